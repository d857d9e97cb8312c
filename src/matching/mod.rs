//! Match: which paragraphs are the same text, and which are edited copies of each other.
//!
//! 1. [`exact`]: paragraphs with equal fingerprints form a [`TextGroup`] (one per distinct
//!    normalized text).
//! 2. [`lsh`]: band keys of distinct long texts propose candidate pairs, without comparing
//!    all pairs.
//! 3. [`verify`]: each candidate pair is re-read from disk and scored by word-level edit
//!    similarity; pairs at or above the threshold are grouped into [`NearCluster`]s whose
//!    members are all verified against each other (no transitive chaining).
//!
//! This stage says only "these are the same / this similar". Whether that is an editorial
//! duplicate or boilerplate is for `classify`.

pub mod exact;
pub mod lsh;
pub mod verify;

pub use exact::{TextGroup, TextGroups};
pub use verify::{Edit, NearCluster};

use std::collections::HashMap;

use rayon::prelude::*;

use crate::corpus::Corpus;
use crate::fingerprint::{BandKeys, Fingerprint};
use crate::options::MatchOptions;

/// Paragraphs longer than this are matched exactly only. Verification is quadratic in
/// words, and a "paragraph" this long is an unsegmented document, not a paragraph.
pub const MAX_NEAR_WORDS: usize = 20_000;

/// What matching found.
#[derive(Debug, Default)]
pub struct Groups {
    /// Every distinct candidate text with its occurrences (singletons included).
    pub texts: TextGroups,
    /// Clusters of near-duplicate distinct texts.
    pub near: Vec<NearCluster>,
    /// How many candidate pairs LSH proposed (for stats).
    pub candidates: usize,
}

/// Runs exact grouping, then (unless `exact_only`) LSH and verification. The band keys
/// are dropped once they have given their candidate pairs, before verification loads
/// words: they are the largest table of a scan.
pub fn find(corpus: &Corpus, bands: Vec<(Fingerprint, BandKeys)>, opts: &MatchOptions) -> Groups {
    let texts = exact::group(corpus);
    if opts.exact_only {
        return Groups {
            texts,
            near: Vec::new(),
            candidates: 0,
        };
    }
    let long: Vec<u32> = (0..texts.len() as u32)
        .into_par_iter()
        .filter(|&t| {
            let first = &corpus.prints[texts.first(t) as usize];
            first.is_long(opts.min_words) && first.words as usize <= MAX_NEAR_WORDS
        })
        .collect();
    let pairs = lsh::candidates(&texts, &long, &bands, &corpus.prints);
    drop(bands);
    verified(corpus, texts, &pairs, opts)
}

/// The groups once candidate `pairs` (sorted, distinct) are verified and clustered.
fn verified(
    corpus: &Corpus,
    texts: TextGroups,
    pairs: &[(u32, u32)],
    opts: &MatchOptions,
) -> Groups {
    let near = verify::clusters(corpus, &texts, pairs, opts);
    Groups {
        texts,
        near,
        candidates: pairs.len(),
    }
}

/// [`find`] with candidate pairs given (by exact fingerprint, as a distributed join over
/// fingerprint shards produced them) instead of found by LSH here.
pub fn find_among(
    corpus: &Corpus,
    pairs: &[(Fingerprint, Fingerprint)],
    opts: &MatchOptions,
) -> Groups {
    let texts = exact::group(corpus);
    // Pairs are between paragraphs; a heading of the same words is a text of its own.
    let text_of: HashMap<Fingerprint, u32> = (0..texts.len() as u32)
        .map(|t| &corpus.prints[texts.first(t) as usize])
        .zip(0..)
        .filter(|(first, _)| first.kind.is_editorial())
        .map(|(first, t)| (first.exact, t))
        .collect();
    let mut candidates: Vec<(u32, u32)> = pairs
        .iter()
        .filter_map(|(a, b)| {
            let (a, b) = (*text_of.get(a)?, *text_of.get(b)?);
            (a != b).then_some((a.min(b), a.max(b)))
        })
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    verified(corpus, texts, &candidates, opts)
}
