//! Which bytes go when a paragraph is removed, so the result reads as if written that way.
//!
//! Ranges are computed in a document's decoded text and mapped back to the bytes on disk
//! by the caller, so the same rules serve UTF-16 files and JSON string fields alike.
//!
//! * Text and Markdown: the paragraph's whole lines and the blank lines after it (for a
//!   block quote, lines holding only `>` count as blank). The last paragraph of a text
//!   takes the blank lines *before* it instead, so the text still ends where the previous
//!   paragraph ends. A Markdown list item takes only its own lines: the blank line after
//!   a list is what keeps the next paragraph out of it.
//! * HTML: the element from `<` to `>`; when it stands alone on its lines, those whole
//!   lines. Whitespace between elements is not significant, so nothing else is touched.

use std::ops::Range;

use crate::ingest::TextFormat;
use crate::segment::{BlockKind, Paragraph};
use crate::span::next_line_break;

/// The text range to delete to remove `paragraph` from `text`.
pub fn removal(text: &str, format: TextFormat, paragraph: &Paragraph<'_>) -> Range<usize> {
    match format {
        TextFormat::Markdown if paragraph.kind == BlockKind::ListItem => {
            whole_lines(text.as_bytes(), &paragraph.text_range)
        }
        TextFormat::Text | TextFormat::Markdown => {
            let quote = paragraph.kind == BlockKind::Quote;
            line_block(text, paragraph.text_range.clone(), quote)
        }
        TextFormat::Html => element(text, paragraph.text_range.clone()),
    }
}

fn line_block(text: &str, range: Range<usize>, quote: bool) -> Range<usize> {
    let bytes = text.as_bytes();
    let Range { start, mut end } = whole_lines(bytes, &range);
    let blank = |line: &[u8]| {
        line.iter()
            .all(|&b| b.is_ascii_whitespace() || (quote && b == b'>'))
    };
    while end < bytes.len() {
        let next = line_end(bytes, end);
        if !blank(&bytes[end..next]) {
            return start..end;
        }
        end = next;
    }
    // Nothing follows: take the blank lines before instead, keeping the previous
    // paragraph's own line ending.
    let mut before = start;
    while before > 0 {
        let previous = line_start(bytes, before - 1);
        if !blank(&bytes[previous..before]) {
            let kept = next_line_break(bytes, previous).map_or(before, |(_, next)| next);
            return kept.min(start)..end;
        }
        before = previous;
    }
    before..end
}

fn element(text: &str, range: Range<usize>) -> Range<usize> {
    let bytes = text.as_bytes();
    let Range { start, end } = whole_lines(bytes, &range);
    let alone = bytes[start..range.start]
        .iter()
        .all(u8::is_ascii_whitespace)
        && bytes[range.end..end].iter().all(u8::is_ascii_whitespace);
    if alone { start..end } else { range }
}

/// The lines `range` touches, from the start of the first to the start of the line after
/// the last (terminator included).
fn whole_lines(bytes: &[u8], range: &Range<usize>) -> Range<usize> {
    line_start(bytes, range.start)..line_end(bytes, range.end.max(range.start + 1) - 1)
}

/// Start of the line holding byte `at` (LF, CRLF and CR end lines).
fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n' || b == b'\r')
        .map_or(0, |i| i + 1)
}

/// Start of the line after the one holding byte `at` (the end of the text for the last
/// line).
fn line_end(bytes: &[u8], at: usize) -> usize {
    next_line_break(bytes, at).map_or(bytes.len(), |(_, next)| next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Document, OffsetMap};
    use crate::options::SegmentOptions;
    use crate::segment::segment;

    /// `text` with paragraph `index` removed.
    fn without(text: &str, format: TextFormat, index: usize) -> String {
        let doc = Document::whole_file(text.to_string(), OffsetMap::shifted(0), format);
        let paragraphs = segment(&doc, SegmentOptions::default());
        let range = removal(text, format, &paragraphs[index]);
        format!("{}{}", &text[..range.start], &text[range.end..])
    }

    #[test]
    fn text_paragraphs_go_with_their_separator() {
        let text = "Title\n\nOne.\n\nTwo\nwrapped.\n\n\nThree.\n";
        assert_eq!(
            without(text, TextFormat::Text, 2),
            "Title\n\nOne.\n\nThree.\n"
        );
        assert_eq!(
            without(text, TextFormat::Text, 3),
            "Title\n\nOne.\n\nTwo\nwrapped.\n"
        );
        assert_eq!(
            without(text, TextFormat::Text, 0),
            "One.\n\nTwo\nwrapped.\n\n\nThree.\n"
        );
        let crlf = "One.\r\n\r\nTwo.\r\n\r\nThree.";
        assert_eq!(without(crlf, TextFormat::Text, 1), "One.\r\n\r\nThree.");
        assert_eq!(without(crlf, TextFormat::Text, 2), "One.\r\n\r\nTwo.\r\n");
        assert_eq!(without("a\r\rb\r\rc\r", TextFormat::Text, 1), "a\r\rc\r");
        assert_eq!(without("Only.\n", TextFormat::Text, 0), "");
    }

    #[test]
    fn markdown_items_and_quotes_leave_valid_structure() {
        let md = "# T\n\n- first item\n- second item\n- third item\n\n> one\n>\n> two\n\nEnd.\n";
        assert_eq!(
            without(md, TextFormat::Markdown, 2),
            "# T\n\n- first item\n- third item\n\n> one\n>\n> two\n\nEnd.\n"
        );
        // The last item keeps the blank line that ends the list.
        assert_eq!(
            without(md, TextFormat::Markdown, 3),
            "# T\n\n- first item\n- second item\n\n> one\n>\n> two\n\nEnd.\n"
        );
        assert_eq!(
            without(md, TextFormat::Markdown, 4),
            "# T\n\n- first item\n- second item\n- third item\n\n> two\n\nEnd.\n"
        );
    }

    #[test]
    fn html_elements_go_whole() {
        let html =
            "<article>\n  <p>One.</p>\n  <p>Two\n  wrapped.</p>\n</article>\n<p>A</p><p>B</p>\n";
        assert_eq!(
            without(html, TextFormat::Html, 1),
            "<article>\n  <p>One.</p>\n</article>\n<p>A</p><p>B</p>\n"
        );
        assert_eq!(
            without(html, TextFormat::Html, 3),
            "<article>\n  <p>One.</p>\n  <p>Two\n  wrapped.</p>\n</article>\n<p>A</p>\n"
        );
    }
}
