//! Plain text: paragraphs are runs of non-blank lines; whitespace-only lines are blank.

use std::borrow::Cow;

use super::{BlockKind, RawBlock};

pub(super) fn blocks(text: &str) -> Vec<RawBlock<'_>> {
    let mut blocks = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    let mut line_start = 0;
    while line_start < text.len() {
        let newline = memchr::memchr(b'\n', &text.as_bytes()[line_start..]).map(|i| line_start + i);
        let line_end = newline.unwrap_or(text.len());
        let line = &text[line_start..line_end];
        if line.trim().is_empty() {
            if let Some((start, end)) = open.take() {
                blocks.push(block(text, start, end));
            }
        } else {
            let content_end = line_start + line.trim_end_matches('\r').len();
            open = Some((open.map_or(line_start, |(start, _)| start), content_end));
        }
        line_start = line_end + 1;
    }
    if let Some((start, end)) = open {
        blocks.push(block(text, start, end));
    }
    blocks
}

fn block(text: &str, start: usize, end: usize) -> RawBlock<'_> {
    RawBlock {
        start,
        end,
        kind: BlockKind::Prose,
        content: Cow::Borrowed(&text[start..end]),
    }
}
