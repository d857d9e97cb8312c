//! Exact fingerprints: xxh3-128 of the normalized text. At 128 bits an accidental
//! collision among even billions of paragraphs is not a practical concern.

use xxhash_rust::xxh3::xxh3_128;

/// Identity of a normalized paragraph text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Fingerprint(pub u128);

impl Fingerprint {
    /// Fingerprints normalized text.
    pub fn of(normalized: &str) -> Self {
        Fingerprint(xxh3_128(normalized.as_bytes()))
    }
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}
