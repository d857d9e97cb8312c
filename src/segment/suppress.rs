//! Inline suppression: an editor marks a paragraph or a region that paradup must never
//! report (a quote repeated on purpose, a legal notice).
//!
//! * Markdown and HTML: `<!-- paradup-ignore -->` before a paragraph ignores that
//!   paragraph; `<!-- paradup-ignore-start -->` … `<!-- paradup-ignore-end -->` ignores
//!   every paragraph between them.
//! * Plain text (and feed fields read as text): the same markers as lines of their own,
//!   in square brackets: `[paradup-ignore]`, `[paradup-ignore-start]`,
//!   `[paradup-ignore-end]`. The marker lines are ignored too.
//!
//! A start without an end runs to the end of the document.

use super::RawBlock;
use crate::ingest::TextFormat;

const MARKER: &str = "paradup-ignore";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    Next,
    Start,
    End,
}

/// Which of `blocks` are suppressed.
pub(super) fn ignored(text: &str, format: TextFormat, blocks: &[RawBlock<'_>]) -> Vec<bool> {
    let mut out = vec![false; blocks.len()];
    if !text.contains(MARKER) {
        return out;
    }
    let markers = markers(text, format, blocks, &mut out);
    let mut at = 0; // next marker to apply
    let mut region = false;
    let mut next = false;
    for (i, block) in blocks.iter().enumerate() {
        while at < markers.len() && markers[at].0 <= block.start {
            match markers[at].1 {
                Marker::Next => next = true,
                Marker::Start => region = true,
                Marker::End => region = false,
            }
            at += 1;
        }
        if out[i] {
            continue; // a marker line itself
        }
        if region || next {
            out[i] = true;
            next = false;
        }
    }
    out
}

/// Marker positions in the text, in order. Plain-text markers are blocks of their own,
/// which are marked ignored in `out`.
fn markers(
    text: &str,
    format: TextFormat,
    blocks: &[RawBlock<'_>],
    out: &mut [bool],
) -> Vec<(usize, Marker)> {
    let mut found = Vec::new();
    match format {
        TextFormat::Markdown | TextFormat::Html => {
            let mut from = 0;
            while let Some(i) = text[from..].find("<!--") {
                let start = from + i;
                let Some(len) = text[start..].find("-->") else {
                    break;
                };
                // `<!-->` is an (abruptly closed) comment whose "-->" overlaps its opening.
                let body = text.get(start + 4..start + len).unwrap_or("").trim();
                if let Some(marker) = marker(body) {
                    found.push((start, marker));
                }
                from = start + len + 3;
            }
        }
        TextFormat::Text => {
            for (i, block) in blocks.iter().enumerate() {
                if let Some(marker) = text_marker(&block.content) {
                    found.push((block.start, marker));
                    out[i] = true;
                }
            }
        }
    }
    found
}

/// The plain-text marker a line (or one-line block) is: `[paradup-ignore]` and kin.
fn text_marker(line: &str) -> Option<Marker> {
    let inner = line.trim().strip_prefix('[')?.strip_suffix(']')?;
    marker(inner.trim())
}

/// Whether a plain-text line is a suppression marker (the segmenter keeps it apart).
pub(super) fn is_text_marker(line: &str) -> bool {
    text_marker(line).is_some()
}

fn marker(body: &str) -> Option<Marker> {
    match body {
        "paradup-ignore" => Some(Marker::Next),
        "paradup-ignore-start" => Some(Marker::Start),
        "paradup-ignore-end" => Some(Marker::End),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::ingest::{Document, OffsetMap, TextFormat};
    use crate::options::SegmentOptions;
    use crate::segment::segment;

    fn ignored(text: &str, format: TextFormat) -> Vec<(String, bool)> {
        let doc = Document::whole_file(text.to_string(), OffsetMap::shifted(0), format);
        segment(&doc, SegmentOptions::default())
            .into_iter()
            .map(|p| (p.content.trim().to_string(), p.ignored))
            .collect()
    }

    #[test]
    fn markdown_and_html_comments() {
        let md = "One.\n\n<!-- paradup-ignore -->\nTwo.\n\nThree.\n\n<!-- paradup-ignore-start -->\n\nFour.\n\n- Five.\n\n<!-- paradup-ignore-end -->\n\nSix.\n";
        let got = ignored(md, TextFormat::Markdown);
        let flags: Vec<(&str, bool)> = got.iter().map(|(c, f)| (c.as_str(), *f)).collect();
        assert_eq!(
            flags,
            [
                ("One.", false),
                ("Two.", true),
                ("Three.", false),
                ("Four.", true),
                ("Five.", true),
                ("Six.", false)
            ]
        );
        let html = "<p>One.</p><!-- paradup-ignore --><p>Two.</p><p>Three.</p>";
        let flags: Vec<bool> = ignored(html, TextFormat::Html)
            .into_iter()
            .map(|(_, f)| f)
            .collect();
        assert_eq!(flags, [false, true, false]);
    }

    #[test]
    fn plain_text_marker_lines() {
        let text = "One.\n\n[paradup-ignore]\n\nTwo.\n\n[paradup-ignore-start]\n\nThree.\n\nFour.\n\n[paradup-ignore-end]\n\nFive.\n";
        let flags: Vec<(String, bool)> = ignored(text, TextFormat::Text);
        let expected = [
            ("One.", false),
            ("[paradup-ignore]", true),
            ("Two.", true),
            ("[paradup-ignore-start]", true),
            ("Three.", true),
            ("Four.", true),
            ("[paradup-ignore-end]", true),
            ("Five.", false),
        ];
        let got: Vec<(&str, bool)> = flags.iter().map(|(c, f)| (c.as_str(), *f)).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn a_plain_text_marker_right_above_a_paragraph_is_not_part_of_it() {
        let text = "One.\n[paradup-ignore]\nTwo, the quote kept twice.\nStill two.\n\nThree.\n";
        let got = ignored(text, TextFormat::Text);
        let expected = [
            ("One.", false),
            ("[paradup-ignore]", true),
            ("Two, the quote kept twice.\nStill two.", true),
            ("Three.", false),
        ];
        let got: Vec<(&str, bool)> = got.iter().map(|(c, f)| (c.as_str(), *f)).collect();
        assert_eq!(got, expected);
    }
}
