//! Verification: score candidate pairs on the real words, then cluster without chaining.
//!
//! Similarity is word-level normalized Levenshtein (`fingerprint::similarity`).
//!
//! Clustering is greedy and deterministic: texts are taken in order of support (most
//! occurrences first, then earliest); each becomes the representative of a cluster that
//! takes its verified neighbours, best first, but only those at or above the threshold
//! against every member already in the cluster. So A≈B and B≈C never put an unrelated
//! A and C together; C then leads a second cluster with B, so the pair B≈C is reported
//! too (B is in both findings).
//!
//! Order-robust: a pair that falls short in order is measured again with sentences free
//! to move (matched one to one, most similar first), and as one text found whole in the
//! other with sentences added; the verdict says which edit it saw, and clusters keep it
//! per variant ([`NearCluster::edit_to_rep`]) for reports. Template siblings
//! (short texts differing in one slot) are never near duplicates.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::TextGroups;
use crate::corpus::Corpus;
use crate::fingerprint::MinHasher;
use crate::fingerprint::similarity::{align_sentences, common_words, edit_similarity, ordered};
use crate::options::MatchOptions;

/// A cluster of distinct texts that are pairwise near duplicates.
#[derive(Debug, Clone)]
pub struct NearCluster {
    /// Text numbers; the first is the representative.
    pub variants: Vec<u32>,
    /// Verified similarity of each variant to the representative (1.0 for itself).
    pub similarity_to_rep: Vec<f64>,
    /// MinHash estimate of each variant's Jaccard similarity to the representative.
    pub estimate_to_rep: Vec<f64>,
    /// The edit verification saw between each variant and the representative
    /// ([`Edit::Words`] for itself).
    pub edit_to_rep: Vec<Edit>,
    /// Lowest verified similarity between any two variants.
    pub similarity: f64,
}

/// The word hashes of the texts in candidate pairs, read back from disk into one flat
/// buffer: a few bytes per word, with no per-text allocation, because at archive scale
/// these are millions of texts held at once. Signatures are not kept; the few that
/// reports show are computed again for cluster members.
struct Loaded {
    /// Text numbers, sorted.
    nodes: Vec<u32>,
    /// Where in `words` the words of `nodes[i]` are; `None` when its file changed since
    /// the scan.
    ranges: Vec<Option<std::ops::Range<usize>>>,
    words: Vec<u32>,
    /// Where in `sentences` the sentence starts of `nodes[i]` are.
    sentence_ranges: Vec<std::ops::Range<usize>>,
    sentences: Vec<u32>,
}

impl Loaded {
    /// The words of text `t`, known to be loaded.
    fn of(&self, t: u32) -> &[u32] {
        self.text(t).expect("a cluster member was loaded").words
    }

    /// Text `t` with its sentence starts, if it was read again.
    fn text(&self, t: u32) -> Option<Text<'_>> {
        let i = self.nodes.binary_search(&t).ok()?;
        let range = self.ranges[i].clone()?;
        Some(Text {
            words: &self.words[range],
            sentences: &self.sentences[self.sentence_ranges[i].clone()],
        })
    }

    fn total_words(&self) -> usize {
        self.words.len()
    }
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
    let loaded = load(corpus, texts, nodes);

    let threshold = opts.threshold;
    let edges: Vec<(u32, u32, Verdict)> = pairs
        .par_iter()
        .filter_map(|&(a, b)| {
            let verdict = verdict(loaded.text(a)?, loaded.text(b)?, threshold)?;
            Some((a, b, verdict))
        })
        .collect();

    let mut neighbours: HashMap<u32, Vec<(u32, Verdict)>> = HashMap::new();
    for &(a, b, verdict) in &edges {
        neighbours.entry(a).or_default().push((b, verdict));
        neighbours.entry(b).or_default().push((a, verdict));
    }
    let mut order: Vec<u32> = neighbours.keys().copied().collect();
    order.sort_unstable_by_key(|&t| texts.support_order(t));

    let hasher = MinHasher::new();
    let mut budget = TAIL_STEPS_PER_WORD * loaded.total_words();
    let mut assigned: HashSet<u32> = HashSet::new();
    let mut clustered: HashSet<u32> = HashSet::new();
    let mut clusters = Vec::new();
    // Two passes: the first makes disjoint clusters; the second gives each text left in
    // none (C, when A≈B≈C but not A≈C put A and B together) a cluster of its own that may
    // take members of earlier clusters, so every verified pair is in some finding.
    for second in [false, true] {
        for &rep in &order {
            if assigned.contains(&rep) || (second && clustered.contains(&rep)) {
                continue;
            }
            let mut near: Vec<(u32, Verdict)> = neighbours[&rep]
                .iter()
                .copied()
                .filter(|(t, _)| !assigned.contains(t))
                .collect();
            // In the second pass, the best neighbour already in a cluster joins too (one,
            // so a flood of template lines cannot multiply findings).
            if second {
                let best = neighbours[&rep]
                    .iter()
                    .filter(|(t, _)| assigned.contains(t))
                    .max_by(|a, b| {
                        (a.1.similarity)
                            .total_cmp(&b.1.similarity)
                            .then(b.0.cmp(&a.0))
                    });
                near.extend(best.copied());
            }
            near.sort_by(|a, b| {
                (b.1.similarity)
                    .total_cmp(&a.1.similarity)
                    .then(a.0.cmp(&b.0))
            });
            let cluster = grow(rep, &near, &loaded, &hasher, threshold, &mut budget);
            if cluster.variants.len() > 1 {
                clustered.extend(&cluster.variants);
                if !second {
                    assigned.extend(&cluster.variants);
                }
                clusters.push(cluster);
            }
        }
    }
    clusters.sort_by_key(|c| c.variants.iter().map(|&t| texts.first(t)).min());
    clusters
}

/// The cluster `rep` leads: its verified neighbours `near` (best first) that are at or
/// above the threshold against every member taken before them.
fn grow(
    rep: u32,
    near: &[(u32, Verdict)],
    loaded: &Loaded,
    hasher: &MinHasher,
    threshold: f64,
    budget: &mut usize,
) -> NearCluster {
    let mut cluster = NearCluster {
        variants: vec![rep],
        similarity_to_rep: vec![1.0],
        estimate_to_rep: vec![1.0],
        edit_to_rep: vec![Edit::Words],
        similarity: 1.0,
    };
    let rep_words = loaded.of(rep);
    let rep_signature = hasher.signature(rep_words);
    let mut tail = Tail::default();
    for &(candidate, to_rep) in near {
        let sim = to_rep.similarity;
        let Some(cand) = loaded.text(candidate) else {
            continue;
        };
        let Some(lowest) = fits(&cluster, &tail, cand, sim, loaded, threshold, budget) else {
            continue;
        };
        if cluster.variants.len() > MAX_EXACT_CHECKS {
            let words = cand.words.len();
            tail.add(distance_from(sim, rep_words.len(), words), words);
        }
        cluster.variants.push(candidate);
        cluster.similarity_to_rep.push(sim);
        cluster
            .estimate_to_rep
            .push(rep_signature.jaccard(&hasher.signature(cand.words)));
        let shorter = cand.words.len() < rep_words.len();
        cluster.edit_to_rep.push(match to_rep.edit {
            Edit::SentenceAdded if shorter => Edit::SentenceDropped,
            edit => edit,
        });
        cluster.similarity = cluster.similarity.min(lowest);
    }
    cluster
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
    cand: Text<'_>,
    sim: f64,
    loaded: &Loaded,
    threshold: f64,
    budget: &mut usize,
) -> Option<f64> {
    // The lowest similarity to `members`, or None when one is below the threshold.
    let lowest_to = |members: &[u32], mut lowest: f64| {
        for member in members {
            let member = loaded.text(*member).expect("a cluster member was loaded");
            match verdict(cand, member, threshold) {
                Some(v) => lowest = lowest.min(v.similarity),
                None => return None,
            }
        }
        Some(lowest)
    };
    let checked = cluster.variants.len().min(1 + MAX_EXACT_CHECKS);
    let mut lowest = lowest_to(&cluster.variants[1..checked], sim)?;
    if tail.len > 0 {
        let rep = loaded.of(cluster.variants[0]);
        let to_rep = distance_from(sim, rep.len(), cand.words.len());
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

/// A paragraph's token hashes and the token indices where its sentences after the
/// first start.
#[derive(Clone, Copy)]
pub struct Text<'a> {
    /// Token hashes.
    pub words: &'a [u32],
    /// Sentence starts, ascending, none at 0.
    pub sentences: &'a [u32],
}

impl<'a> Text<'a> {
    fn sentence_slices(&self) -> Vec<&'a [u32]> {
        let mut out = Vec::with_capacity(self.sentences.len() + 1);
        let mut from = 0;
        for &start in self.sentences {
            out.push(&self.words[from..start as usize]);
            from = start as usize;
        }
        out.push(&self.words[from..]);
        out
    }
}

/// The edit a verified pair shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Words changed, added or dropped in place.
    Words,
    /// Sentences in another order (and perhaps words changed inside them).
    Reordered,
    /// One text is the other with one or more sentences added. Verification sees the
    /// pair without direction; a cluster gives it one against its representative.
    SentenceAdded,
    /// The copy is the representative with one or more sentences dropped.
    SentenceDropped,
}

impl Edit {
    /// The name machine-readable reports give an edit that moved or added sentences;
    /// `None` for words changed in place, which the similarity and the word diff show.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Edit::Words => None,
            Edit::Reordered => Some("sentences_reordered"),
            Edit::SentenceAdded => Some("sentence_added"),
            Edit::SentenceDropped => Some("sentence_dropped"),
        }
    }

    /// [`Edit::name`] in words, for people.
    pub fn phrase(self) -> Option<&'static str> {
        match self {
            Edit::Words => None,
            Edit::Reordered => Some("sentences reordered"),
            Edit::SentenceAdded => Some("sentence added"),
            Edit::SentenceDropped => Some("sentence dropped"),
        }
    }
}

/// A verified near pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Verdict {
    /// Similarity in `[0, 1]` under the measure that saw the edit.
    pub similarity: f64,
    /// What the edit was.
    pub edit: Edit,
}

/// Texts this short (in tokens) that differ in one place are template siblings, not
/// copies: "An example of a match expression:" and "An example of a parenthesized
/// expression:" share a template and say different things. One word changed in six is
/// not the edit that one word changed in sixty is. Measured on 101 real sibling pairs
/// mined from the Rust books and translated man pages against 742 planted near pairs
/// (`benches/eval`): at most 15 tokens and one slot of at most 3 tokens catches 100 of
/// the siblings and 11 of the near pairs; several edits need a similarity of 0.8.
pub const SIBLING_TOKENS: usize = 15;
/// See [`SIBLING_TOKENS`].
const SIBLING_SLOT: usize = 3;
/// Short texts edited in more than one place are copies only at this similarity or
/// above ("The default in rustc is 128." and "The default value in rustc is 1048576."
/// are 0.71 alike). With it the rule catches all 101 siblings and still 11 of the 742
/// near pairs (at 0.85: 30).
const SIBLING_BAR: f64 = 0.8;

/// Whether `a` and `b` (short, see [`SIBLING_TOKENS`]) differ in one contiguous slot of
/// a few tokens.
fn one_slot(a: &[u32], b: &[u32]) -> bool {
    if a == b {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let rest = a.len().min(b.len()) - prefix;
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(rest)
        .take_while(|(x, y)| x == y)
        .count();
    let slot = (a.len() - prefix - suffix).max(b.len() - prefix - suffix);
    slot <= SIBLING_SLOT
}

/// Verifies a candidate pair: word-level similarity in order, and, when that falls
/// short, the same measure with sentences free to move, or one text found whole inside
/// the other with sentences added. Every measure is computed on the words, never
/// estimated. Template siblings are not near duplicates.
pub fn verdict(a: Text<'_>, b: Text<'_>, threshold: f64) -> Option<Verdict> {
    let mut common = None;
    let in_order = if a.words.len().max(b.words.len()) <= SIBLING_TOKENS {
        // Short texts: a template sibling, or a copy only with few edits.
        if one_slot(a.words, b.words) {
            return None;
        }
        let similarity = edit_similarity(a.words, b.words);
        if similarity < SIBLING_BAR {
            return None;
        }
        Some(similarity)
    } else {
        ordered(a.words, b.words, threshold, &mut common)
    };
    if let Some(similarity) = in_order
        && similarity >= threshold
    {
        return Some(Verdict {
            similarity,
            edit: Edit::Words,
        });
    }
    if a.sentences.is_empty() && b.sentences.is_empty() {
        return None;
    }
    let (shorter, longer) = if a.words.len() <= b.words.len() {
        (a, b)
    } else {
        (b, a)
    };
    // Every measure below matches at most the words the two have in common: moving
    // sentences still costs every word of the longer text not in the shorter, and a
    // text found inside another shares all but a tenth of its words with it.
    let common = common.unwrap_or_else(|| common_words(a.words, b.words)) as f64;
    if common < threshold * longer.words.len() as f64
        && common < threshold.max(CONTAINED) * shorter.words.len() as f64
    {
        return None;
    }
    let aligned = align_sentences(&shorter.sentence_slices(), &longer.sentence_slices());
    let longest = longer.words.len().max(1) as f64;
    let moved = 1.0 - aligned.cost() as f64 / longest;
    if moved >= threshold && aligned.reordered {
        return Some(Verdict {
            similarity: moved,
            edit: Edit::Reordered,
        });
    }
    // Sentences added: each sentence of the shorter text has its counterpart, and the
    // shorter text is at least half the longer (a lede is not a copy of the story).
    let inside = 1.0 - aligned.matched_distance as f64 / shorter.words.len().max(1) as f64;
    let whole = aligned.unmatched_shorter == 0 && aligned.unmatched_longer > 0;
    if whole && inside >= threshold.max(CONTAINED) && 2 * shorter.words.len() >= longer.words.len()
    {
        return Some(Verdict {
            similarity: inside,
            edit: if aligned.reordered {
                Edit::Reordered
            } else {
                Edit::SentenceAdded
            },
        });
    }
    None
}

/// How similar the sentences of a text must be to their counterparts inside a longer
/// one for "sentences added": the copy is found whole, lightly edited at most. Two
/// paragraphs that open alike and go on differently are not copies.
const CONTAINED: f64 = 0.9;

/// A text read again: its token hashes and sentence starts.
type Reread = (Vec<u32>, Vec<u32>);

/// Documents read again per parallel batch: bounds the per-text vectors that exist
/// before they are copied into the flat buffer.
const DOCS_PER_BATCH: usize = 4096;

/// Reads the representative occurrence of each node back from disk, documents in
/// parallel a batch at a time, into one flat buffer.
fn load(corpus: &Corpus, texts: &TextGroups, nodes: Vec<u32>) -> Loaded {
    let mut by_doc: Vec<(u32, u32, u32)> = nodes
        .iter()
        .enumerate()
        .map(|(slot, &t)| {
            let print = &corpus.prints[texts.first(t) as usize];
            (print.at.doc.0, print.at.index, slot as u32)
        })
        .collect();
    by_doc.sort_unstable();
    let docs: Vec<&[(u32, u32, u32)]> = by_doc.chunk_by(|a, b| a.0 == b.0).collect();
    let mut ranges = vec![None; nodes.len()];
    let mut words = Vec::new();
    let mut sentence_ranges = vec![0..0; nodes.len()];
    let mut sentences = Vec::new();
    for batch in docs.chunks(DOCS_PER_BATCH) {
        let read: Vec<Vec<(u32, Option<Reread>)>> = batch
            .par_iter()
            .map(|wanted| {
                let doc = crate::corpus::DocId(wanted[0].0);
                let found = corpus.reread_words(doc, wanted.iter().map(|w| w.1));
                wanted.iter().map(|w| w.2).zip(found).collect()
            })
            .collect();
        for (slot, found) in read.into_iter().flatten() {
            if let Some((found, starts)) = found {
                let start = words.len();
                words.extend_from_slice(&found);
                ranges[slot as usize] = Some(start..words.len());
                let start = sentences.len();
                sentences.extend_from_slice(&starts);
                sentence_ranges[slot as usize] = start..sentences.len();
            }
        }
    }
    Loaded {
        nodes,
        ranges,
        words,
        sentence_ranges,
        sentences,
    }
}
