//! Plain text: paragraphs are runs of non-blank lines; whitespace-only lines are blank.
//! Lines end at LF, CRLF or a lone CR. A suppression marker line (`[paradup-ignore]`) is
//! always a block of its own.

use std::borrow::Cow;

use super::{BlockKind, RawBlock};
use crate::span::next_line_break;

pub(super) fn blocks(text: &str) -> Vec<RawBlock<'_>> {
    let bytes = text.as_bytes();
    let mut blocks = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    let mut line_start = 0;
    while line_start < text.len() {
        let (line_end, next) =
            next_line_break(bytes, line_start).unwrap_or((text.len(), text.len()));
        let line = &text[line_start..line_end];
        if line.trim().is_empty() {
            if let Some((start, end)) = open.take() {
                blocks.push(block(text, start, end));
            }
        } else if super::suppress::is_text_marker(line) {
            // A marker line is a block of its own even with no blank line around it, so
            // `[paradup-ignore]` right above a paragraph is not read as part of it.
            if let Some((start, end)) = open.take() {
                blocks.push(block(text, start, end));
            }
            blocks.push(block(text, line_start, line_end));
        } else {
            open = Some((open.map_or(line_start, |(start, _)| start), line_end));
        }
        line_start = next;
    }
    if let Some((start, end)) = open {
        blocks.push(block(text, start, end));
    }
    blocks
}

fn block(text: &str, start: usize, end: usize) -> RawBlock<'_> {
    RawBlock::new(
        start,
        end,
        BlockKind::Prose,
        Cow::Borrowed(&text[start..end]),
    )
}
