//! Coordinates in the original file: byte spans and line ranges.
//!
//! Every later stage points back at the bytes on disk, so a reviewer (or `fix`) can find a
//! paragraph exactly. Spans are half-open byte ranges; lines are 1-based and inclusive,
//! the way editors and terminals show them.

use serde::Serialize;

/// A half-open byte range `[start, end)` in a file as stored on disk.
///
/// Invariant: `start <= end`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// First byte (0-based).
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
}

impl Span {
    /// Builds a span; panics in debug builds if `start > end`.
    pub fn new(start: u64, end: u64) -> Self {
        debug_assert!(start <= end, "span start {start} after end {end}");
        Span { start, end }
    }

    /// Number of bytes covered.
    pub fn len(&self) -> u64 {
        self.end - self.start
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// Whether the two spans share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// An inclusive range of 1-based line numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct LineRange {
    /// First line (1-based).
    pub start: u32,
    /// Last line (1-based, inclusive).
    pub end: u32,
}

/// Maps byte offsets of one text to 1-based line numbers.
///
/// Built once per file with `memchr`. LF, CRLF and lone CR (old Mac files) each end a
/// line, and a line terminator belongs to the line it ends, so files number their lines
/// the same way whatever their line endings.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &[u8]) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        let mut at = 0;
        while let Some((_, next)) = next_line_break(text, at) {
            starts.push(next);
            at = next;
        }
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line_of(&self, offset: usize) -> u32 {
        let line = match self.starts.binary_search(&offset) {
            Ok(exact) => exact,
            Err(next) => next - 1,
        };
        u32::try_from(line + 1).unwrap_or(u32::MAX)
    }

    /// Byte offset where 1-based `line` starts, if the text has that line.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        self.starts.get((line as usize).checked_sub(1)?).copied()
    }

    /// The lines covered by the non-empty text range `[start, end)`.
    pub fn lines(&self, start: usize, end: usize) -> LineRange {
        LineRange {
            start: self.line_of(start),
            end: self.line_of(end.saturating_sub(1).max(start)),
        }
    }
}

/// The next line terminator at or after `from`: `(where it starts, where the next line
/// starts)`. A terminator is LF, CRLF or a lone CR.
pub fn next_line_break(text: &[u8], from: usize) -> Option<(usize, usize)> {
    let i = from + memchr::memchr2(b'\n', b'\r', text.get(from..)?)?;
    let next = if text[i] == b'\r' && text.get(i + 1) == Some(&b'\n') {
        i + 2
    } else {
        i + 1
    };
    Some((i, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based_and_terminators_belong_to_their_line() {
        let index = LineIndex::new(b"ab\r\ncd\n\nef");
        assert_eq!(index.line_of(0), 1);
        assert_eq!(index.line_of(3), 1, "the LF of a CRLF ends line 1");
        assert_eq!(index.line_of(4), 2);
        assert_eq!(index.line_of(7), 3);
        assert_eq!(index.line_of(8), 4);
        assert_eq!(index.lines(4, 10), LineRange { start: 2, end: 4 });
        assert_eq!(index.line_start(4), Some(8));
        assert_eq!(index.line_start(5), None);
    }

    #[test]
    fn lone_cr_ends_a_line() {
        let index = LineIndex::new(b"ab\rcd\r\rxy");
        assert_eq!(index.line_of(3), 2);
        assert_eq!(index.line_of(7), 4);
    }
}
