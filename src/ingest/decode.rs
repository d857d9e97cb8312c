//! Bytes on disk → UTF-8 text, remembering where each text byte came from.
//!
//! Findings must point at the bytes on disk even when the text we match on differs from
//! them (a BOM stripped, invalid sequences replaced by U+FFFD). [`OffsetMap`] records the
//! few places where the two drift apart.

/// Result of decoding a file.
#[derive(Debug)]
pub enum Decoded {
    /// The file holds NUL bytes: not text.
    Binary,
    /// Decoded text.
    Text {
        /// UTF-8 text without BOM.
        text: String,
        /// Text offset → disk offset.
        offsets: OffsetMap,
        /// How many invalid byte sequences were replaced.
        replaced: usize,
    },
}

/// Maps offsets in decoded text to offsets in the original bytes.
///
/// Stored as breakpoints `(text_offset, disk_offset)`: from each breakpoint on, the two
/// advance together until the next one. Files that are clean UTF-8 have one breakpoint.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    breaks: Vec<(usize, u64)>,
}

impl OffsetMap {
    /// A map where text offset `t` is disk offset `t + shift`.
    pub fn shifted(shift: u64) -> Self {
        OffsetMap {
            breaks: vec![(0, shift)],
        }
    }

    /// The disk offset of text offset `offset`.
    pub fn to_disk(&self, offset: usize) -> u64 {
        let i = self.breaks.partition_point(|&(t, _)| t <= offset);
        match i.checked_sub(1).map(|i| self.breaks[i]) {
            Some((t, d)) => d + (offset - t) as u64,
            None => offset as u64,
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes file bytes. NUL bytes mean binary; invalid UTF-8 is replaced, counted, and
/// mapped back so spans still point at the right bytes.
pub fn decode(raw: Vec<u8>) -> Decoded {
    if memchr::memchr(0, &raw).is_some() {
        return Decoded::Binary;
    }
    let bom = if raw.starts_with(UTF8_BOM) {
        UTF8_BOM.len()
    } else {
        0
    };
    if std::str::from_utf8(&raw[bom..]).is_ok() {
        let mut raw = raw;
        raw.drain(..bom);
        let text = String::from_utf8(raw).expect("validated as UTF-8 just above");
        return Decoded::Text {
            text,
            offsets: OffsetMap::shifted(bom as u64),
            replaced: 0,
        };
    }
    decode_lossy(&raw[bom..], bom as u64)
}

fn decode_lossy(bytes: &[u8], shift: u64) -> Decoded {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut breaks = vec![(0, shift)];
    let mut disk = shift;
    let mut replaced = 0;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        disk += chunk.valid().len() as u64;
        let invalid = chunk.invalid();
        if !invalid.is_empty() {
            // The replacement character stands for the whole invalid sequence; the text
            // after it continues at the next valid disk byte.
            text.push(char::REPLACEMENT_CHARACTER);
            disk += invalid.len() as u64;
            replaced += 1;
            breaks.push((text.len(), disk));
        }
    }
    Decoded::Text {
        text,
        offsets: OffsetMap { breaks },
        replaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(raw: &[u8]) -> (String, OffsetMap, usize) {
        match decode(raw.to_vec()) {
            Decoded::Text {
                text,
                offsets,
                replaced,
            } => (text, offsets, replaced),
            Decoded::Binary => panic!("not expected to be binary"),
        }
    }

    #[test]
    fn bom_is_stripped_and_offsets_shift() {
        let (text, map, replaced) = text_of(b"\xEF\xBB\xBFabc");
        assert_eq!(text, "abc");
        assert_eq!(replaced, 0);
        assert_eq!(map.to_disk(0), 3);
        assert_eq!(map.to_disk(3), 6);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_mapped_back() {
        let raw = b"ab\xFF\xFEcd";
        let (text, map, replaced) = text_of(raw);
        assert_eq!(text, "ab\u{FFFD}\u{FFFD}cd");
        assert_eq!(replaced, 2);
        let c = text.find('c').unwrap();
        assert_eq!(map.to_disk(c), 4);
        assert_eq!(map.to_disk(text.len()), raw.len() as u64);
    }

    #[test]
    fn nul_means_binary() {
        assert!(matches!(decode(b"a\0b".to_vec()), Decoded::Binary));
    }
}
