//! Locality-sensitive hashing: candidate pairs from shared band keys.
//!
//! For each band, `(key, text)` pairs go into one flat vector that is sorted; runs of
//! equal keys are buckets. No map of vectors, no all-pairs comparison.

use rayon::prelude::*;

use crate::fingerprint::minhash::MAX_BANDS;
use crate::fingerprint::{BandKeys, Fingerprint};

use super::TextGroups;

/// Buckets with at most this many members give all their pairs. A bigger bucket is a
/// paragraph family (a template with a changing figure, a line every page carries) and
/// all its pairs would cost quadratic time; each member is then paired with the bucket's
/// first member in [`TextGroups::support_order`] (the text verification will make the
/// family's representative) and with its next [`WINDOW`] neighbours in that order.
const MAX_BUCKET: usize = 64;

/// How many following members each member of a big bucket is paired with.
const WINDOW: usize = 8;

/// Candidate pairs `(a, b)` of text numbers, `a < b`, sorted and without repeats.
///
/// `long` lists the texts eligible for near matching; `bands` holds the band keys of
/// every distinct long text, sorted by fingerprint.
pub fn candidates(
    texts: &TextGroups,
    long: &[u32],
    bands: &[(Fingerprint, BandKeys)],
    corpus_prints: &[crate::corpus::ParagraphPrint],
) -> Vec<(u32, u32)> {
    // (text, index of its keys in `bands`), in support order: buckets hold positions in
    // this order, so each bucket is sorted by it.
    let mut keyed: Vec<(u32, u32)> = long
        .par_iter()
        .filter_map(|&t| {
            let fp = corpus_prints[texts.first(t) as usize].exact;
            let i = bands.binary_search_by_key(&fp, |(f, _)| *f).ok()?;
            Some((t, i as u32))
        })
        .collect();
    keyed.par_sort_unstable_by_key(|&(t, _)| texts.support_order(t));
    // Each band reads every text's key: walking `bands` in its own order streams through
    // memory, where walking it in support order missed the cache once per text and band.
    let mut slots: Vec<(u32, u32)> = keyed
        .iter()
        .enumerate()
        .map(|(position, &(_, i))| (i, position as u32))
        .collect();
    slots.par_sort_unstable();
    let keyed = Keyed {
        texts: keyed.iter().map(|&(t, _)| t).collect(),
        slots,
        bands,
    };
    // Bands are independent: each thread takes bands in turn into its own pair buffer
    // (deduplicated as it grows, to keep memory bounded); the buffers merge once.
    let bound = 4 * keyed.texts.len() + 1_000_000;
    let buffers: Vec<Vec<(u32, u32)>> = (0..MAX_BANDS)
        .into_par_iter()
        .fold(
            || (Vec::new(), Vec::new()),
            |(mut pairs, mut bucket), band| {
                band_pairs(&keyed, band, &mut bucket, &mut pairs);
                if pairs.len() > bound {
                    pairs.par_sort_unstable();
                    pairs.dedup();
                }
                (pairs, bucket)
            },
        )
        .map(|(pairs, _)| pairs)
        .collect();
    let mut pairs = buffers.concat();
    pairs.par_sort_unstable();
    pairs.dedup();
    pairs
}

/// The texts LSH pairs and where their band keys are.
struct Keyed<'a> {
    /// Text numbers in support order; a text's position here is what buckets hold.
    texts: Vec<u32>,
    /// (index in `bands`, position in `texts`), sorted.
    slots: Vec<(u32, u32)>,
    bands: &'a [(Fingerprint, BandKeys)],
}

/// The pairs one band gives: texts in `keyed` sharing its key, a run of equal keys being
/// a bucket. `bucket` is scratch space.
fn band_pairs(
    keyed: &Keyed<'_>,
    band: usize,
    bucket: &mut Vec<(u32, u32)>,
    pairs: &mut Vec<(u32, u32)>,
) {
    let text = |i: u32| keyed.texts[i as usize];
    let pair = |a: u32, b: u32| {
        let (a, b) = (text(a), text(b));
        (a.min(b), a.max(b))
    };
    bucket.clear();
    bucket.extend(keyed.slots.iter().filter_map(|&(i, position)| {
        let keys = &keyed.bands[i as usize].1;
        Some((*keys.keys().get(band)?, position))
    }));
    bucket.sort_unstable();
    for run in bucket.chunk_by(|a, b| a.0 == b.0) {
        if run.len() < 2 {
            continue;
        }
        if run.len() <= MAX_BUCKET {
            for (i, a) in run.iter().enumerate() {
                for b in &run[i + 1..] {
                    pairs.push(pair(a.1, b.1));
                }
            }
        } else {
            for (i, a) in run.iter().enumerate() {
                for b in run[i + 1..].iter().take(WINDOW) {
                    pairs.push(pair(a.1, b.1));
                }
            }
            for b in &run[WINDOW + 1..] {
                pairs.push(pair(run[0].1, b.1));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::fingerprint::MinHasher;
    use crate::fingerprint::minhash::word_hash;

    /// A tiny deterministic generator, so the test needs no corpus.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            (crate::fingerprint::minhash::splitmix64(&mut self.0) % n as u64) as usize
        }
    }

    fn paragraph(rng: &mut Rng, vocabulary: &[String]) -> Vec<String> {
        let len = 15 + rng.below(45);
        (0..len)
            .map(|_| vocabulary[rng.below(vocabulary.len())].clone())
            .collect()
    }

    fn shares_band(hasher: &MinHasher, a: &[String], b: &[String]) -> bool {
        let keys = |p: &[String]| {
            let words: Vec<u32> = p.iter().map(|w| word_hash(w)).collect();
            hasher.signature(&words).band_keys()
        };
        let (ka, kb) = (keys(a), keys(b));
        ka.keys().iter().zip(kb.keys()).any(|(x, y)| x == y)
    }

    /// Planted edits of the kind editors make (a word or figure changed, a clause
    /// dropped or added) must become candidates; unrelated paragraphs must not.
    #[test]
    fn candidate_recall_on_planted_edits() {
        let mut rng = Rng(7);
        let vocabulary: Vec<String> = (0..3000).map(|i| format!("w{i}")).collect();
        let hasher = MinHasher::new();
        let (mut found, mut planted, mut false_hits) = (0, 0, 0);
        let mut previous: Option<Vec<String>> = None;
        for _ in 0..400 {
            let original = paragraph(&mut rng, &vocabulary);
            let mut edited = original.clone();
            match rng.below(3) {
                0 => {
                    // one or two words (a figure, a name) replaced
                    for _ in 0..=rng.below(2) {
                        let i = rng.below(edited.len());
                        edited[i] = "changed".into();
                    }
                }
                1 => {
                    // a clause of 3-6 words dropped
                    let n = 3 + rng.below(4);
                    let i = rng.below(edited.len() - n);
                    edited.drain(i..i + n);
                }
                _ => {
                    // a clause of 3-6 words added
                    let i = rng.below(edited.len());
                    for k in 0..3 + rng.below(4) {
                        edited.insert(i, format!("added{k}"));
                    }
                }
            }
            planted += 1;
            found += usize::from(shares_band(&hasher, &original, &edited));
            if let Some(prev) = &previous {
                false_hits += usize::from(shares_band(&hasher, prev, &original));
            }
            previous = Some(original);
        }
        let recall = found as f64 / planted as f64;
        assert!(
            recall >= 0.97,
            "candidate recall {recall:.3} on planted edits"
        );
        assert!(
            false_hits <= 2,
            "{false_hits} unrelated pairs became candidates"
        );
    }
}
