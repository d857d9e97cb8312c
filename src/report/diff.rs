//! Token-level differences between two versions of a paragraph (similar's diff over
//! the tokens matching uses: words, and single characters of Chinese, Japanese or Thai),
//! as runs of equal, deleted and inserted text, for every renderer that shows an edit.

use similar::{Algorithm, DiffTag, capture_diff_slices};

/// What a run of words is in the newer text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// In both.
    Equal,
    /// Only in the older text.
    Delete,
    /// Only in the newer text.
    Insert,
}

/// The pieces a diff aligns: runs of spaces, words as written between spaces, and each
/// character of a script written without spaces (`normalize::is_character_token`), so
/// "4,200" → "4,600" is one changed figure and a changed Chinese character is one
/// changed character. Concatenated, the pieces are the text.
fn pieces(text: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut last_space = None;
    for (at, c) in text.char_indices() {
        let space = c.is_whitespace();
        if crate::normalize::is_character_token(c) {
            if start < at {
                pieces.push(&text[start..at]);
            }
            pieces.push(&text[at..at + c.len_utf8()]);
            start = at + c.len_utf8();
            last_space = None;
            continue;
        }
        if last_space.is_some_and(|s| s != space) && start < at {
            pieces.push(&text[start..at]);
            start = at;
        }
        last_space = Some(space);
    }
    if start < text.len() {
        pieces.push(&text[start..]);
    }
    pieces
}

/// The diff of `new` against `old`, consecutive pieces of one kind merged. Pieces are
/// compared as matching sees them (normalized: case, quote style, dashes, spacing), so
/// a diff shows only what made the texts differ, never "The" → "the"; equal runs show
/// the newer text.
pub fn word_runs(old: &str, new: &str) -> Vec<(Change, String)> {
    let (old, new) = (pieces(old), pieces(new));
    let key = |pieces: &[&str]| -> Vec<String> {
        pieces
            .iter()
            .map(|p| crate::normalize::normalize(p).into_owned())
            .collect()
    };
    let ops = capture_diff_slices(Algorithm::Myers, &key(&old), &key(&new));
    let mut runs: Vec<(Change, String)> = Vec::new();
    let mut push = |kind: Change, text: &str| match runs.last_mut() {
        Some((last, run)) if *last == kind => run.push_str(text),
        _ => runs.push((kind, text.to_string())),
    };
    for op in &ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => new[new_range].iter().for_each(|p| push(Change::Equal, p)),
            DiffTag::Delete => old[old_range].iter().for_each(|p| push(Change::Delete, p)),
            DiffTag::Insert => new[new_range].iter().for_each(|p| push(Change::Insert, p)),
            DiffTag::Replace => {
                old[old_range].iter().for_each(|p| push(Change::Delete, p));
                new[new_range].iter().for_each(|p| push(Change::Insert, p));
            }
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_and_quote_style_are_not_edits() {
        let runs = word_runs(
            "The Mayor said \u{201c}no\u{201d} on Tuesday.",
            "the mayor said \"no\" on Tuesday.",
        );
        assert_eq!(
            runs,
            [(
                Change::Equal,
                "the mayor said \"no\" on Tuesday.".to_string()
            )]
        );
        let runs = word_runs("The Mayor said no.", "The mayor said yes.");
        assert!(
            runs.contains(&(Change::Delete, "no.".to_string())),
            "{runs:?}"
        );
        assert!(
            !runs
                .iter()
                .any(|(c, t)| *c != Change::Equal && t.contains("ayor")),
            "{runs:?}"
        );
    }

    #[test]
    fn runs_merge_words() {
        let runs = word_runs(
            "more than 4,200 residents moved",
            "more than 4,600 residents moved",
        );
        assert_eq!(runs[0], (Change::Equal, "more than ".to_string()));
        assert_eq!(runs[1], (Change::Delete, "4,200".to_string()));
        assert_eq!(runs[2], (Change::Insert, "4,600".to_string()));
        assert_eq!(runs[3], (Change::Equal, " residents moved".to_string()));
    }

    #[test]
    fn chinese_changes_are_characters_not_the_whole_paragraph() {
        let runs = word_runs(
            "朝鲜已向俄罗斯派遣一万二千名士兵。",
            "朝鲜已向俄罗斯派出一万二千名士兵。",
        );
        assert_eq!(
            runs,
            [
                (Change::Equal, "朝鲜已向俄罗斯派".to_string()),
                (Change::Delete, "遣".to_string()),
                (Change::Insert, "出".to_string()),
                (Change::Equal, "一万二千名士兵。".to_string()),
            ]
        );
    }
}
