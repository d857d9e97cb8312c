//! Locality-sensitive hashing: candidate pairs from shared band keys.
//!
//! For each band, `(key, text)` pairs go into one flat vector that is sorted; runs of
//! equal keys are buckets. No map of vectors, no all-pairs comparison.

use crate::fingerprint::minhash::BANDS;
use crate::fingerprint::{BandKeys, Fingerprint};

use super::TextGroups;

/// Buckets larger than this are not expanded into all their pairs (a few very common
/// paragraphs would otherwise cost quadratic time); each member is then paired with the
/// bucket's first member and its neighbour in the bucket.
const MAX_BUCKET_PAIRS: usize = 1000;

/// Candidate pairs `(a, b)` of text numbers, `a < b`, sorted and without repeats.
///
/// `long` lists the texts eligible for near matching; `bands` holds the band keys of
/// every distinct long text, sorted by fingerprint.
pub fn candidates(
    texts: &TextGroups,
    long: &[u32],
    bands: &[(Fingerprint, BandKeys)],
    corpus_prints: &[crate::fingerprint::ParagraphPrint],
) -> Vec<(u32, u32)> {
    let keyed: Vec<(u32, &BandKeys)> = long
        .iter()
        .filter_map(|&t| {
            let fp = corpus_prints[texts.first(t) as usize].exact;
            let i = bands.binary_search_by_key(&fp, |(f, _)| *f).ok()?;
            Some((t, &bands[i].1))
        })
        .collect();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut bucket: Vec<(u32, u32)> = Vec::with_capacity(keyed.len());
    for band in 0..BANDS {
        bucket.clear();
        bucket.extend(keyed.iter().map(|(t, keys)| (keys.0[band], *t)));
        bucket.sort_unstable();
        for run in bucket.chunk_by(|a, b| a.0 == b.0) {
            if run.len() < 2 {
                continue;
            }
            if run.len() * (run.len() - 1) / 2 <= MAX_BUCKET_PAIRS * MAX_BUCKET_PAIRS / 2 {
                for (i, a) in run.iter().enumerate() {
                    for b in &run[i + 1..] {
                        pairs.push((a.1.min(b.1), a.1.max(b.1)));
                    }
                }
            } else {
                for w in run.windows(2) {
                    pairs.push((w[0].1.min(w[1].1), w[0].1.max(w[1].1)));
                }
                for b in &run[2..] {
                    pairs.push((run[0].1.min(b.1), run[0].1.max(b.1)));
                }
            }
        }
        // Keep memory bounded by deduplicating as we go.
        if pairs.len() > 4 * keyed.len() + 1_000_000 {
            pairs.sort_unstable();
            pairs.dedup();
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}
