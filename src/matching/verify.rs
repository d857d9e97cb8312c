//! Verification: score candidate pairs on the real words, then cluster without chaining.
//!
//! Similarity is word-level normalized Levenshtein (`strsim::generic_levenshtein` over
//! word hashes): 1 − edits / max(word count). A changed figure or a fixed typo costs one
//! word; a dropped clause costs its length. Word level keeps verification cheap
//! (≈ 50 × 50 cells per pair) and matches how editors edit.
//!
//! Clustering is greedy and deterministic: texts are taken in order of support (most
//! occurrences first, then earliest); each becomes the representative of a cluster that
//! takes its verified neighbours, best first, but only those at or above the threshold
//! against every member already in the cluster. So A≈B and B≈C never put an unrelated
//! A and C together.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::TextGroups;
use crate::corpus::Corpus;
use crate::fingerprint::{MinHasher, Signature};
use crate::options::MatchOptions;

/// Candidate pairs whose MinHash estimate is below this are chance band collisions and
/// are not verified. Edited copies at or above any sensible threshold share far more
/// than a tenth of their word bigrams (five scattered word changes in a 20-word
/// paragraph still leave a Jaccard similarity of 0.3).
const MIN_ESTIMATE: f64 = 0.1;

/// A cluster of distinct texts that are pairwise near duplicates.
#[derive(Debug, Clone)]
pub struct NearCluster {
    /// Text numbers; the first is the representative.
    pub variants: Vec<u32>,
    /// Verified similarity of each variant to the representative (1.0 for itself).
    pub similarity_to_rep: Vec<f64>,
    /// MinHash estimate of each variant's Jaccard similarity to the representative.
    pub estimate_to_rep: Vec<f64>,
    /// Lowest verified similarity between any two variants.
    pub similarity: f64,
}

/// Word hashes and signature of one distinct text, read back from disk.
struct Loaded {
    words: Vec<u32>,
    signature: Signature,
}

/// Verifies `pairs` and clusters the texts that pass.
pub fn clusters(
    corpus: &Corpus,
    texts: &TextGroups,
    pairs: &[(u32, u32)],
    opts: &MatchOptions,
) -> Vec<NearCluster> {
    let mut nodes: Vec<u32> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
    nodes.sort_unstable();
    nodes.dedup();
    let loaded = load(corpus, texts, &nodes);

    let threshold = opts.threshold;
    let edges: Vec<(u32, u32, f64)> = pairs
        .par_iter()
        .filter_map(|&(a, b)| {
            let (la, lb) = (loaded.get(&a)?, loaded.get(&b)?);
            if la.signature.jaccard(&lb.signature) < MIN_ESTIMATE {
                return None;
            }
            let sim = similarity(&la.words, &lb.words, threshold)?;
            (sim >= threshold).then_some((a, b, sim))
        })
        .collect();

    let mut neighbours: HashMap<u32, Vec<(u32, f64)>> = HashMap::new();
    for &(a, b, sim) in &edges {
        neighbours.entry(a).or_default().push((b, sim));
        neighbours.entry(b).or_default().push((a, sim));
    }
    let mut order: Vec<u32> = neighbours.keys().copied().collect();
    order.sort_unstable_by_key(|&t| texts.support_order(t));

    let mut budget = TAIL_STEPS_PER_WORD * loaded.values().map(|l| l.words.len()).sum::<usize>();
    let mut assigned: HashSet<u32> = HashSet::new();
    let mut clusters = Vec::new();
    for &rep in &order {
        if assigned.contains(&rep) {
            continue;
        }
        let mut near: Vec<(u32, f64)> = neighbours[&rep]
            .iter()
            .copied()
            .filter(|(t, _)| !assigned.contains(t))
            .collect();
        near.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut cluster = NearCluster {
            variants: vec![rep],
            similarity_to_rep: vec![1.0],
            estimate_to_rep: vec![1.0],
            similarity: 1.0,
        };
        let mut tail = Tail::default();
        for (candidate, sim) in near {
            let Some(cand) = loaded.get(&candidate) else {
                continue;
            };
            if let Some(lowest) = fits(&cluster, &tail, cand, sim, &loaded, threshold, &mut budget)
            {
                if cluster.variants.len() > MAX_EXACT_CHECKS {
                    let rep_words = loaded[&rep].words.len();
                    let words = cand.words.len();
                    tail.add(distance_from(sim, rep_words, words), words);
                }
                cluster.variants.push(candidate);
                cluster.similarity_to_rep.push(sim);
                cluster
                    .estimate_to_rep
                    .push(loaded[&rep].signature.jaccard(&cand.signature));
                cluster.similarity = cluster.similarity.min(lowest);
            }
        }
        if cluster.variants.len() > 1 {
            for &t in &cluster.variants {
                assigned.insert(t);
            }
            clusters.push(cluster);
        }
    }
    clusters.sort_by_key(|c| c.variants.iter().map(|&t| texts.first(t)).min());
    clusters
}

/// A candidate is compared word by word with the first this many members of a cluster,
/// so small clusters report their exact lowest similarity. Members past them are settled
/// together by the triangle bound (see [`Tail`]), so a cluster of tens of thousands of
/// lightly varied copies (a template with a changing number) costs linear, not
/// quadratic, time.
const MAX_EXACT_CHECKS: usize = 16;

/// When the bound cannot admit a candidate, it is still compared word by word with the
/// members past the first [`MAX_EXACT_CHECKS`], as long as the run's budget for such
/// checks lasts: this many word-pair steps of edit distance per word of the texts being
/// clustered. Families of short, varied lines ("This story was last updated on DATE")
/// have loose bounds, and settling them by the bound alone would split one family into
/// several findings; the budget keeps the whole run linear in its input all the same.
const TAIL_STEPS_PER_WORD: usize = 256;

/// What a cluster's members past the first [`MAX_EXACT_CHECKS`] need for the bound:
/// word edit distance obeys the triangle inequality, so for any such member m,
/// d(cand, m) ≤ d(cand, rep) + d(rep, m) ≤ d(cand, rep) + `max_distance`, and the longer
/// of the two texts has at least max(|cand|, `min_words`) words.
#[derive(Default)]
struct Tail {
    max_distance: usize,
    min_words: usize,
    len: usize,
    /// The members' words, summed (the cost of comparing a candidate with all of them).
    words: usize,
}

impl Tail {
    fn add(&mut self, distance: usize, words: usize) {
        self.words += words;
        self.min_words = if self.len == 0 {
            words
        } else {
            self.min_words.min(words)
        };
        self.max_distance = self.max_distance.max(distance);
        self.len += 1;
    }
}

/// Whether `cand` (similarity `sim` to the representative) is at or above `threshold`
/// against every member of `cluster`, and the lowest similarity it has to one of them
/// (a lower bound when the cluster has a [`Tail`] the bound settled). A candidate that
/// neither the bound nor the checks admit is left out: precision is kept, and the
/// candidate may still lead its own cluster.
fn fits(
    cluster: &NearCluster,
    tail: &Tail,
    cand: &Loaded,
    sim: f64,
    loaded: &HashMap<u32, Loaded>,
    threshold: f64,
    budget: &mut usize,
) -> Option<f64> {
    // The lowest similarity to `members`, or None when one is below the threshold.
    let lowest_to = |members: &[u32], mut lowest: f64| {
        for member in members {
            match similarity(&cand.words, &loaded[member].words, threshold) {
                Some(s) if s >= threshold => lowest = lowest.min(s),
                _ => return None,
            }
        }
        Some(lowest)
    };
    let checked = cluster.variants.len().min(1 + MAX_EXACT_CHECKS);
    let mut lowest = lowest_to(&cluster.variants[1..checked], sim)?;
    if tail.len > 0 {
        let rep = &loaded[&cluster.variants[0]];
        let to_rep = distance_from(sim, rep.words.len(), cand.words.len());
        let longest = cand.words.len().max(tail.min_words).max(1);
        let bound = 1.0 - (to_rep + tail.max_distance) as f64 / longest as f64;
        if bound >= threshold {
            lowest = lowest.min(bound);
        } else if let Some(left) = budget.checked_sub(cand.words.len() * tail.words) {
            *budget = left;
            lowest = lowest_to(&cluster.variants[checked..], lowest)?;
        } else {
            return None;
        }
    }
    Some(lowest)
}

/// The word edit distance behind a similarity of two texts of these lengths.
fn distance_from(similarity: f64, a: usize, b: usize) -> usize {
    ((1.0 - similarity) * a.max(b) as f64).round() as usize
}

/// Word-level similarity in `[0, 1]`, or `None` when the lengths alone rule out reaching
/// `threshold` (edit distance is at least the length difference).
///
/// Takes `&Vec` because `strsim::generic_levenshtein` needs a sized `IntoIterator`.
pub fn similarity(a: &Vec<u32>, b: &Vec<u32>, threshold: f64) -> Option<f64> {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return Some(1.0);
    }
    let bound = a.len().min(b.len()) as f64 / longest as f64;
    if bound < threshold {
        return None;
    }
    let distance = strsim::generic_levenshtein(a, b);
    Some(1.0 - distance as f64 / longest as f64)
}

/// Reads the representative occurrence of each node back from disk, one document at a
/// time and in parallel.
fn load(corpus: &Corpus, texts: &TextGroups, nodes: &[u32]) -> HashMap<u32, Loaded> {
    let mut by_doc: Vec<(u32, u32, u32)> = nodes
        .iter()
        .map(|&t| {
            let print = &corpus.prints[texts.first(t) as usize];
            (print.at.doc.0, print.at.index, t)
        })
        .collect();
    by_doc.sort_unstable();
    let hasher = MinHasher::new();
    by_doc
        .chunk_by(|a, b| a.0 == b.0)
        .collect::<Vec<_>>()
        .par_iter()
        .flat_map_iter(|wanted| {
            let doc = crate::ingest::DocId(wanted[0].0);
            let words = corpus.reread_words(doc, wanted.iter().map(|w| w.1));
            wanted
                .iter()
                .zip(words)
                .filter_map(|(w, words)| {
                    let words = words?;
                    let signature = hasher.signature(&words);
                    Some((w.2, Loaded { words, signature }))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<u32> {
        s.split_whitespace()
            .map(crate::fingerprint::minhash::word_hash)
            .collect()
    }

    #[test]
    fn one_changed_figure_costs_one_word() {
        let a = words("pyongyang has deployed more than 12 000 soldiers to the region");
        let b = words("pyongyang has deployed more than 12 500 soldiers to the region");
        let sim = similarity(&a, &b, 0.5).unwrap();
        assert!((sim - 10.0 / 11.0).abs() < 1e-9, "{sim}");
    }

    #[test]
    fn length_bound_skips_hopeless_pairs() {
        let a = words("a b c d e f g h i j");
        let b = words("a b c");
        assert_eq!(similarity(&a, &b, 0.5), None);
        assert!(similarity(&a, &b, 0.3).is_some());
    }
}
