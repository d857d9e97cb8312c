//! Fingerprint: compact, text-free records of every paragraph.
//!
//! After this stage the document's text is dropped; everything later works on
//! `corpus::ParagraphPrint`s (about 50 bytes each) and on the LSH band keys of distinct
//! long paragraphs. Text needed later (verification, reports) is read back from disk by
//! span, through `corpus::text`. This module knows only text: no files, no documents.

pub mod exact;
pub mod minhash;
pub mod similarity;

pub use exact::Fingerprint;
pub use minhash::{BandKeys, MinHasher, Signature};

/// The fingerprint of a paragraph's normalized text and the hashes of its tokens: what
/// matching, the archive index, `check` and the allowlist all compare.
pub fn text_print(content: &str) -> (Fingerprint, Vec<u32>) {
    let (fingerprint, tokens, _) = text_print_counted(content);
    (fingerprint, tokens)
}

/// [`text_print`] and the text's length in words, as `--min-words` counts it
/// (`normalize::word_count`).
pub fn text_print_counted(content: &str) -> (Fingerprint, Vec<u32>, usize) {
    let normalized = crate::normalize::normalize(content);
    let mut tokens = Vec::new();
    let words = token_hashes(&normalized, &mut tokens);
    (Fingerprint::of(&normalized), tokens, words)
}

/// Appends the hashes of the tokens of `normalized` to `out` and returns its length in
/// words (`normalize::word_count`), in one walk over the text.
pub fn token_hashes(normalized: &str, out: &mut Vec<u32>) -> usize {
    let mut count = crate::normalize::WordCount::default();
    out.extend(crate::normalize::tokens(normalized).map(|token| {
        count.add(token);
        minhash::word_hash(token)
    }));
    count.words()
}

/// The token hashes of a paragraph and where its sentences start (token indices after
/// the first sentence), for verification, which aligns sentences when they were moved.
pub fn sentence_print(content: &str) -> (Vec<u32>, Vec<u32>) {
    let normalized = crate::normalize::normalize(content);
    let mut tokens = Vec::new();
    let mut starts = Vec::new();
    let mut end_of_last = 0;
    for token in crate::normalize::tokens(&normalized) {
        let start = token.as_ptr() as usize - normalized.as_ptr() as usize;
        if !tokens.is_empty() && crate::normalize::ends_sentence(&normalized[end_of_last..start]) {
            starts.push(tokens.len() as u32);
        }
        end_of_last = start + token.len();
        tokens.push(minhash::word_hash(token));
    }
    (tokens, starts)
}
