//! Word-level differences between two versions of a paragraph (similar's word diff), as
//! runs of equal, deleted and inserted text, for every renderer that shows an edit.

use similar::{ChangeTag, TextDiff};

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

/// The word diff of `new` against `old`, consecutive words of one kind merged.
pub fn word_runs(old: &str, new: &str) -> Vec<(Change, String)> {
    let diff = TextDiff::from_words(old, new);
    let mut runs: Vec<(Change, String)> = Vec::new();
    for change in diff.iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => Change::Equal,
            ChangeTag::Delete => Change::Delete,
            ChangeTag::Insert => Change::Insert,
        };
        match runs.last_mut() {
            Some((last, text)) if *last == kind => text.push_str(change.value()),
            _ => runs.push((kind, change.value().to_string())),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
