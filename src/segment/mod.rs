//! Segment: split a document's text into paragraphs, keeping where each one lies on disk.
//!
//! A paragraph's `content` is what matching looks at (for Markdown: the inline text, with
//! emphasis and link syntax already gone); its `span` and `lines` are what reports and
//! fixes point at. Segmentation never normalizes.

mod html;
mod markdown;
mod suppress;
mod text;

use std::borrow::Cow;

use crate::ingest::{Document, TextFormat};
use crate::options::SegmentOptions;
use crate::span::{LineIndex, LineRange, Span};

/// What kind of block a paragraph is. Only some kinds are duplicate candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BlockKind {
    /// Running text.
    Prose = 0,
    /// A Markdown or HTML heading: titles repeat by design, so never an editorial
    /// duplicate; a heading a site repeats on many pages ("Most Popular", a rail of
    /// headlines) is boilerplate all the same.
    Heading = 1,
    /// A list item.
    ListItem = 2,
    /// A paragraph inside a block quote.
    Quote = 3,
}

impl BlockKind {
    /// Whether paragraphs of this kind can be editorial (exact or near) duplicates.
    pub fn is_editorial(self) -> bool {
        !matches!(self, BlockKind::Heading)
    }

    /// The kind's number in the archive index. Stored on disk: never renumber.
    pub fn code(self) -> i64 {
        self as i64
    }

    /// The kind's name in shard files (and the Spark join that reads them).
    pub fn name(self) -> &'static str {
        match self {
            BlockKind::Prose => "prose",
            BlockKind::Heading => "heading",
            BlockKind::ListItem => "list-item",
            BlockKind::Quote => "quote",
        }
    }
}

/// One paragraph of a document.
#[derive(Debug, Clone)]
pub struct Paragraph<'a> {
    /// 0-based position among the document's paragraphs.
    pub index: u32,
    /// Bytes on disk, from the first byte of its first line to the end of its last line
    /// (line terminator excluded); for HTML, its element from `<` to `>`.
    pub span: Span,
    /// Lines on disk, 1-based inclusive.
    pub lines: LineRange,
    /// Where it is in the document's decoded text (what `fix` edits before mapping back
    /// to the bytes on disk).
    pub text_range: std::ops::Range<usize>,
    /// Block kind.
    pub kind: BlockKind,
    /// Whether it is page chrome (HTML navigation, header, footer, aside, share widgets)
    /// rather than article body.
    pub chrome: bool,
    /// HTML: a short element path (`article > p:nth-of-type(7)`) to find it in the page.
    pub element: Option<String>,
    /// Inside an inline suppression (`<!-- paradup-ignore -->`): never reported.
    pub ignored: bool,
    /// Over `--max-paragraph-bytes`: never compared, and its `content` is left empty.
    pub oversized: bool,
    /// The text matching looks at (not yet normalized).
    pub content: Cow<'a, str>,
}

impl Paragraph<'_> {
    /// Whether matching leaves this paragraph out whatever its text (suppressed inline
    /// or oversized); allowlisted texts are decided later, by fingerprint.
    pub fn excluded(&self) -> bool {
        self.ignored || self.oversized
    }
}

/// A block found by a format-specific segmenter, in text coordinates.
struct RawBlock<'a> {
    start: usize,
    end: usize,
    kind: BlockKind,
    chrome: bool,
    element: Option<String>,
    content: Cow<'a, str>,
}

impl<'a> RawBlock<'a> {
    fn new(start: usize, end: usize, kind: BlockKind, content: Cow<'a, str>) -> Self {
        RawBlock {
            start,
            end,
            kind,
            chrome: false,
            element: None,
            content,
        }
    }
}

/// Splits `doc` into paragraphs according to its format.
pub fn segment(doc: &Document, opts: SegmentOptions) -> Vec<Paragraph<'_>> {
    let blocks = match doc.format {
        TextFormat::Text => text::blocks(&doc.text),
        TextFormat::Markdown => markdown::blocks(&doc.text),
        TextFormat::Html => html::blocks(&doc.text, opts.body_only)
            .into_iter()
            .map(|b| RawBlock {
                start: b.start,
                end: b.end,
                kind: b.kind,
                chrome: b.chrome,
                element: Some(b.element),
                content: Cow::Owned(b.content),
            })
            .collect(),
    };
    // A feed record's text sits inside one JSON string, on one line of the file.
    let record_line = doc.record.as_ref().map(|r| LineRange {
        start: r.line,
        end: r.line,
    });
    let index = record_line
        .is_none()
        .then(|| LineIndex::new(doc.text.as_bytes()));
    let ignored = suppress::ignored(&doc.text, doc.format, &blocks);
    blocks
        .into_iter()
        .zip(ignored)
        .enumerate()
        .map(|(i, (block, ignored))| {
            let oversized = block.content.len() > opts.max_paragraph_bytes;
            Paragraph {
                index: u32::try_from(i).unwrap_or(u32::MAX),
                span: Span::new(
                    doc.offsets.to_disk(&doc.text, block.start),
                    doc.offsets.to_disk(&doc.text, block.end),
                ),
                lines: match &index {
                    Some(index) => index.lines(block.start, block.end),
                    None => record_line.unwrap_or_default(),
                },
                text_range: block.start..block.end,
                kind: block.kind,
                chrome: block.chrome,
                element: block.element,
                ignored,
                oversized,
                content: if oversized {
                    Cow::Borrowed("")
                } else {
                    block.content
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::OffsetMap;
    use proptest::prelude::*;

    fn doc(text: &str, format: TextFormat) -> Document {
        Document::whole_file(text.to_string(), OffsetMap::shifted(0), format)
    }

    const WIRE: &str = "Headline here\r\n\r\nFirst paragraph line one\r\nline two.\r\n \t \r\n\r\nSecond.\r\nFacebook\r\nEmail\r\n";

    #[test]
    fn text_paragraphs_are_blank_line_blocks_with_crlf() {
        let d = doc(WIRE, TextFormat::Text);
        let paras = segment(&d, SegmentOptions::default());
        let got: Vec<_> = paras
            .iter()
            .map(|p| {
                (
                    p.lines.start,
                    p.lines.end,
                    &d.text[p.span.start as usize..p.span.end as usize],
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (1, 1, "Headline here"),
                (3, 4, "First paragraph line one\r\nline two."),
                (7, 9, "Second.\r\nFacebook\r\nEmail"),
            ]
        );
    }

    proptest! {
        /// Every paragraph's span slices back to its text, spans are ordered and disjoint,
        /// and no non-blank line is lost.
        #[test]
        fn text_spans_slice_back(lines in proptest::collection::vec("[ a-z\t]{0,12}|\r?", 0..40),
                                 crlf in any::<bool>()) {
            let sep = if crlf { "\r\n" } else { "\n" };
            let text = lines.join(sep);
            let d = doc(&text, TextFormat::Text);
            let paras = segment(&d, SegmentOptions::default());
            let mut last_end = 0;
            for p in &paras {
                let (s, e) = (p.span.start as usize, p.span.end as usize);
                prop_assert!(s >= last_end && s < e);
                prop_assert_eq!(&d.text[s..e], p.content.as_ref());
                prop_assert!(!p.content.trim().is_empty());
                last_end = e;
            }
            let non_blank = text.lines().filter(|l| !l.trim().is_empty()).count();
            let covered: usize = paras.iter().map(|p| (p.lines.end - p.lines.start + 1) as usize).sum();
            prop_assert_eq!(non_blank, covered);
        }

        /// Markdown paragraphs never overlap and their content comes from inside the span.
        #[test]
        fn markdown_spans_are_disjoint(lines in proptest::collection::vec(
            "(- |> |# |1\\. |    |```|---|)[a-z *_\\[\\]()]{0,10}|", 0..30)) {
            let text = lines.join("\n");
            let d = doc(&text, TextFormat::Markdown);
            let paras = segment(&d, SegmentOptions::default());
            let mut last_end = 0;
            for p in &paras {
                let (s, e) = (p.span.start as usize, p.span.end as usize);
                prop_assert!(s >= last_end, "overlap at {} in {:?}", s, text);
                prop_assert!(s < e && e <= text.len());
                prop_assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
                last_end = e;
            }
        }
    }
}
