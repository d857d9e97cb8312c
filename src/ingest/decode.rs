//! Bytes on disk → UTF-8 text, remembering where each text byte came from.
//!
//! Findings must point at the bytes on disk even when the text we match on differs from
//! them (a BOM stripped, UTF-16 or Windows-1252 converted to UTF-8, invalid sequences
//! replaced by U+FFFD). [`OffsetMap`] records where the two drift apart.

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

/// The encoding a file was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (with or without BOM; invalid sequences replaced).
    Utf8,
    /// UTF-16, little endian, with BOM.
    Utf16Le,
    /// UTF-16, big endian, with BOM.
    Utf16Be,
    /// Legacy single-byte text.
    Windows1252,
}

/// Result of decoding a file.
#[derive(Debug)]
pub enum Decoded {
    /// Not text (NUL bytes outside a UTF-16 file).
    Binary,
    /// Decoded text.
    Text {
        /// UTF-8 text without BOM.
        text: String,
        /// Text offset → disk offset.
        offsets: OffsetMap,
        /// The encoding it was decoded from.
        encoding: Encoding,
        /// Problem worth a warning (lossy or guessed decoding).
        warning: Option<String>,
    },
}

/// Maps offsets in decoded text to offsets in the original bytes.
///
/// Stored as breakpoints `(text_offset, disk_offset)`. Between breakpoints text and disk
/// advance together (UTF-8, Windows-1252: a breakpoint after each byte whose width
/// changed), or, for UTF-16, by each character's UTF-16 width, walked from the nearest
/// breakpoint. Clean UTF-8 files have one breakpoint.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    breaks: Vec<(usize, u64)>,
    utf16: bool,
}

/// UTF-16 text keeps a breakpoint every this many text bytes, so a lookup walks at most
/// this far.
const UTF16_STRIDE: usize = 256;

impl OffsetMap {
    /// A map where text offset `t` is disk offset `t + shift`.
    pub fn shifted(shift: u64) -> Self {
        OffsetMap {
            breaks: vec![(0, shift)],
            utf16: false,
        }
    }

    /// A map from breakpoints, sorted by text offset, between which text and disk advance
    /// together.
    pub fn from_breaks(breaks: Vec<(usize, u64)>) -> Self {
        debug_assert!(breaks.windows(2).all(|w| w[0].0 <= w[1].0));
        OffsetMap {
            breaks,
            utf16: false,
        }
    }

    /// The map of a text made of pieces of `text` (the text this map was built for), such
    /// as a JSON string field unescaped: `pieces` are `(offset in the new text, offset in
    /// text)` where each piece starts, sorted, the first at 0; the new text is `len` bytes
    /// long. A piece is a byte-for-byte copy of `text`, except that its last character may
    /// stand for a longer run of ASCII there (an escape sequence).
    ///
    /// Mapping only the piece starts is not enough where text and disk do not advance
    /// together: the breakpoints (or, for UTF-16, the walks) of this map carry over into
    /// each piece.
    pub(crate) fn compose(&self, text: &str, pieces: &[(usize, usize)], len: usize) -> OffsetMap {
        let mut breaks = Vec::with_capacity(pieces.len());
        for (i, &(new, old)) in pieces.iter().enumerate() {
            let piece_len = pieces.get(i + 1).map_or(len, |p| p.0).saturating_sub(new);
            breaks.push((new, self.to_disk(text, old)));
            if self.utf16 {
                // Walks within a piece see the same characters as in `text`; a breakpoint
                // every stride keeps them short (not in the last character: an escape's).
                let mut k = UTF16_STRIDE;
                while k + 4 < piece_len {
                    let mut at = old + k;
                    while !text.is_char_boundary(at) {
                        at -= 1;
                    }
                    breaks.push((new + (at - old), self.to_disk(text, at)));
                    k += UTF16_STRIDE;
                }
            } else {
                // Breakpoints come after non-ASCII characters, so none falls inside an
                // escape but at its start, where the copy still matches `text` (the one
                // at a piece's very end counts: the text's end maps through it).
                let first = self.breaks.partition_point(|&(t, _)| t <= old);
                breaks.extend(
                    self.breaks[first..]
                        .iter()
                        .take_while(|&&(t, _)| t <= old + piece_len)
                        .map(|&(t, d)| (new + (t - old), d)),
                );
            }
        }
        OffsetMap {
            breaks,
            utf16: self.utf16,
        }
    }

    /// The disk offset of text offset `offset` in `text` (the text this map was built for).
    pub fn to_disk(&self, text: &str, offset: usize) -> u64 {
        let i = self.breaks.partition_point(|&(t, _)| t <= offset);
        let Some(&(t, d)) = i.checked_sub(1).and_then(|i| self.breaks.get(i)) else {
            return offset as u64;
        };
        if !self.utf16 {
            return d + (offset - t) as u64;
        }
        let walked: usize = text
            .get(t..offset)
            .unwrap_or_default()
            .chars()
            .map(|c| c.len_utf16() * 2)
            .sum();
        d + walked as u64
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes file bytes: UTF-8 (BOM optional), UTF-16 with BOM, or Windows-1252 when the
/// bytes are not UTF-8 and look like single-byte text. NUL bytes elsewhere mean binary.
pub fn decode(raw: Vec<u8>) -> Decoded {
    if let Some(encoding) = utf16_bom(&raw) {
        return decode_utf16(&raw[2..], encoding, 2);
    }
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
            encoding: Encoding::Utf8,
            warning: None,
        };
    }
    if bom == 0 && looks_single_byte(&raw) {
        return decode_windows_1252(&raw, 0);
    }
    decode_lossy(&raw[bom..], bom as u64)
}

/// Decodes bytes already known to be in `encoding` (a range re-read from a file whose
/// encoding was found when it was first read). `shift` is the range's disk offset.
pub fn decode_as(raw: &[u8], encoding: Encoding, shift: u64) -> (String, OffsetMap) {
    let decoded = match encoding {
        Encoding::Utf8 => decode_lossy(raw, shift),
        Encoding::Windows1252 => decode_windows_1252(raw, shift),
        Encoding::Utf16Le | Encoding::Utf16Be => decode_utf16(raw, encoding, shift),
    };
    match decoded {
        Decoded::Text { text, offsets, .. } => (text, offsets),
        Decoded::Binary => (String::new(), OffsetMap::shifted(shift)),
    }
}

fn utf16_bom(raw: &[u8]) -> Option<Encoding> {
    match raw {
        [0xFF, 0xFE, ..] => Some(Encoding::Utf16Le),
        [0xFE, 0xFF, ..] => Some(Encoding::Utf16Be),
        _ => None,
    }
}

/// Decodes UTF-16 `body`, which starts at disk offset `shift` (after the BOM, or where a
/// re-read range starts).
fn decode_utf16(body: &[u8], encoding: Encoding, shift: u64) -> Decoded {
    let codec = if encoding == Encoding::Utf16Le {
        UTF_16LE
    } else {
        UTF_16BE
    };
    // An odd last byte is no code unit: it is decoded apart, as one U+FFFD that stands
    // for one disk byte (not the two every other character's width assumes).
    let even = body.len() & !1;
    let (text, had_errors) = codec.decode_without_bom_handling(&body[..even]);
    let mut text = text.into_owned();
    let mut breaks = vec![(0, shift)];
    let mut disk = shift;
    let mut last = 0;
    for (i, c) in text.char_indices() {
        if i - last >= UTF16_STRIDE {
            breaks.push((i, disk));
            last = i;
        }
        disk += (c.len_utf16() * 2) as u64;
    }
    let odd = even < body.len();
    if odd {
        text.push(char::REPLACEMENT_CHARACTER);
        breaks.push((text.len(), disk + 1));
    }
    Decoded::Text {
        text,
        offsets: OffsetMap {
            breaks,
            utf16: true,
        },
        encoding,
        warning: (had_errors || odd).then(|| {
            if odd {
                "invalid UTF-16: odd number of bytes, the last one replaced".to_string()
            } else {
                "invalid UTF-16: unpaired surrogates replaced".to_string()
            }
        }),
    }
}

/// Whether bytes that are not UTF-8 are more likely a legacy single-byte encoding than
/// UTF-8 with a few damaged sequences: no valid multi-byte UTF-8 character appears at all.
fn looks_single_byte(raw: &[u8]) -> bool {
    raw.utf8_chunks().all(|chunk| chunk.valid().is_ascii())
}

fn decode_windows_1252(raw: &[u8], shift: u64) -> Decoded {
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(raw);
    let text = text.into_owned();
    // Each disk byte is one character; non-ASCII ones grow to 2 or 3 UTF-8 bytes.
    let mut breaks = vec![(0, shift)];
    for (n, (i, c)) in text.char_indices().enumerate() {
        if !c.is_ascii() {
            breaks.push((i + c.len_utf8(), shift + n as u64 + 1));
        }
    }
    Decoded::Text {
        text,
        offsets: OffsetMap::from_breaks(breaks),
        encoding: Encoding::Windows1252,
        warning: Some("not UTF-8; decoded as Windows-1252".to_string()),
    }
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
        offsets: OffsetMap::from_breaks(breaks),
        encoding: Encoding::Utf8,
        warning: (replaced > 0)
            .then(|| format!("invalid UTF-8: {replaced} byte sequence(s) replaced with U+FFFD")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(raw: &[u8]) -> (String, OffsetMap, Encoding, Option<String>) {
        match decode(raw.to_vec()) {
            Decoded::Text {
                text,
                offsets,
                encoding,
                warning,
            } => (text, offsets, encoding, warning),
            Decoded::Binary => panic!("not expected to be binary"),
        }
    }

    #[test]
    fn bom_is_stripped_and_offsets_shift() {
        let (text, map, encoding, warning) = text_of(b"\xEF\xBB\xBFabc");
        assert_eq!(text, "abc");
        assert_eq!(encoding, Encoding::Utf8);
        assert!(warning.is_none());
        assert_eq!(map.to_disk(&text, 0), 3);
        assert_eq!(map.to_disk(&text, 3), 6);
    }

    #[test]
    fn invalid_utf8_is_replaced_and_mapped_back() {
        // A valid multi-byte character (é) marks this as damaged UTF-8, not Windows-1252.
        let raw = b"\xC3\xA9 ab\xFF\xFEcd".to_vec();
        let (text, map, encoding, warning) = text_of(&raw);
        assert_eq!(encoding, Encoding::Utf8);
        assert_eq!(text, "é ab\u{FFFD}\u{FFFD}cd");
        assert!(warning.unwrap().contains("2 byte sequence"));
        let c = text.find('c').unwrap();
        assert_eq!(map.to_disk(&text, c), raw.len() as u64 - 2);
        assert_eq!(map.to_disk(&text, text.len()), raw.len() as u64);
    }

    #[test]
    fn windows_1252_is_detected_and_mapped_byte_for_byte() {
        // "café “quoted”" in Windows-1252: é = E9, curly quotes = 93/94.
        let raw = b"caf\xE9 \x93quoted\x94 end";
        let (text, map, encoding, warning) = text_of(raw);
        assert_eq!(encoding, Encoding::Windows1252);
        assert_eq!(text, "café \u{201C}quoted\u{201D} end");
        assert!(warning.unwrap().contains("Windows-1252"));
        let q = text.find("quoted").unwrap();
        assert_eq!(map.to_disk(&text, q), 6);
        let e = text.find("end").unwrap();
        assert_eq!(map.to_disk(&text, e), raw.len() as u64 - 3);
        assert_eq!(map.to_disk(&text, text.len()), raw.len() as u64);
    }

    #[test]
    fn utf16_with_bom_is_decoded_and_mapped() {
        for (bom, le) in [([0xFF, 0xFE], true), ([0xFE, 0xFF], false)] {
            let body = "Ünïcode line\r\nsecond 😀 line";
            let mut raw = bom.to_vec();
            for unit in body.encode_utf16() {
                raw.extend_from_slice(&if le {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                });
            }
            let (text, map, encoding, warning) = text_of(&raw);
            assert_eq!(text, body);
            assert!(warning.is_none());
            assert_eq!(encoding == Encoding::Utf16Le, le);
            let s = text.find("second").unwrap();
            assert_eq!(map.to_disk(&text, s), 2 + 2 * 14);
            assert_eq!(map.to_disk(&text, text.len()), raw.len() as u64);
        }
    }

    #[test]
    fn long_utf16_text_maps_through_breakpoints() {
        let body: String = (0..2000)
            .map(|i| if i % 7 == 0 { 'ß' } else { 'a' })
            .collect();
        let mut raw = vec![0xFF, 0xFE];
        for unit in body.encode_utf16() {
            raw.extend_from_slice(&unit.to_le_bytes());
        }
        let (text, map, _, _) = text_of(&raw);
        for (chars, (offset, _)) in text.char_indices().enumerate() {
            assert_eq!(map.to_disk(&text, offset), 2 + 2 * chars as u64);
        }
    }

    #[test]
    fn odd_utf16_byte_is_one_replaced_byte() {
        // Also after a high surrogate still waiting for its pair.
        for surrogate in [false, true] {
            let mut raw = vec![0xFF, 0xFE, b'a', 0, b'b', 0];
            if surrogate {
                raw.extend_from_slice(&[0x00, 0xD8]);
            }
            raw.push(b'x');
            let (text, map, _, warning) = text_of(&raw);
            assert!(text.ends_with('\u{FFFD}'), "{text:?}");
            assert!(warning.is_some());
            let last = text.len() - '\u{FFFD}'.len_utf8();
            assert_eq!(map.to_disk(&text, last), raw.len() as u64 - 1);
            assert_eq!(map.to_disk(&text, text.len()), raw.len() as u64);
        }
    }

    #[test]
    fn composed_maps_keep_the_widths_between_pieces() {
        // On disk (Windows-1252): x é \ n y é z; the new text unescapes `\n`.
        let (text, map) = decode_as(b"x\xE9\\ny\xE9z", Encoding::Windows1252, 10);
        let new = "x\u{e9}\ny\u{e9}z";
        let composed = map.compose(&text, &[(0, 0), (4, 5)], new.len());
        let disk: Vec<u64> = [0, 1, 3, 4, 5, 7, 8]
            .iter()
            .map(|&at| composed.to_disk(new, at))
            .collect();
        assert_eq!(disk, [10, 11, 12, 14, 15, 16, 17]);
        // UTF-16: every character two bytes, the escape four.
        let mut raw = Vec::new();
        for unit in "x\u{e9}\\ny\u{e9}z".encode_utf16() {
            raw.extend_from_slice(&unit.to_le_bytes());
        }
        let (text, map) = decode_as(&raw, Encoding::Utf16Le, 2);
        let composed = map.compose(&text, &[(0, 0), (4, 5)], new.len());
        let disk: Vec<u64> = [0, 1, 3, 4, 5, 7, 8]
            .iter()
            .map(|&at| composed.to_disk(new, at))
            .collect();
        assert_eq!(disk, [2, 4, 6, 10, 12, 14, 16]);
    }

    #[test]
    fn nul_means_binary() {
        assert!(matches!(decode(b"a\0b".to_vec()), Decoded::Binary));
    }

    #[test]
    fn decode_as_maps_a_range() {
        let (text, map) = decode_as(b"caf\xE9 ok", Encoding::Windows1252, 100);
        assert_eq!(text, "café ok");
        assert_eq!(map.to_disk(&text, text.find("ok").unwrap()), 105);
        let (text, map) = decode_as(&[0x61, 0, 0x62, 0], Encoding::Utf16Le, 10);
        assert_eq!(text, "ab");
        assert_eq!(map.to_disk(&text, 1), 12);
    }
}
