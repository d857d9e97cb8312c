//! Exact fingerprints: xxh3-128 of the normalized text. At 128 bits an accidental
//! collision among even billions of paragraphs is not a practical concern.

use xxhash_rust::xxh3::xxh3_128;

/// Identity of a normalized paragraph text: the 128-bit hash as two `u64` halves (so a
/// paragraph record needs 8-byte, not 16-byte, alignment).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint(pub [u64; 2]);

impl Fingerprint {
    /// Reads the 32 hex digits it is displayed as.
    pub fn parse_hex(hex: &str) -> Option<Self> {
        let hex = hex.trim();
        if hex.len() != 32 || !hex.is_ascii() {
            return None;
        }
        let hi = u64::from_str_radix(&hex[..16], 16).ok()?;
        let lo = u64::from_str_radix(&hex[16..], 16).ok()?;
        Some(Fingerprint([hi, lo]))
    }

    /// Fingerprints normalized text.
    pub fn of(normalized: &str) -> Self {
        let h = xxh3_128(normalized.as_bytes());
        Fingerprint([(h >> 64) as u64, h as u64])
    }
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016x}{:016x}", self.0[0], self.0[1])
    }
}
