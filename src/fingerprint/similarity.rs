//! Word-level similarity of two texts, by their token hashes: what verification, the
//! allowlist's drift check and the archive index all measure, so they agree.
//!
//! Similarity is normalized Levenshtein over word hashes (`strsim::generic_levenshtein`):
//! 1 − edits / max(word count). A changed figure or a fixed typo costs one word; a
//! dropped clause costs its length. Word level keeps it cheap (≈ 50 × 50 cells per pair)
//! and matches how editors edit. Sentence alignment measures the same texts with
//! sentences free to move.

/// Word-level similarity in `[0, 1]`, or `None` when the lengths alone rule out reaching
/// `threshold` (edit distance is at least the length difference).
pub fn similarity(a: &[u32], b: &[u32], threshold: f64) -> Option<f64> {
    ordered(a, b, threshold, &mut None)
}

/// [`similarity`], keeping the count of shared words in `common` (or taking it from
/// there) for the order-robust measures of [`verdict`].
pub(crate) fn ordered(
    a: &[u32],
    b: &[u32],
    threshold: f64,
    common: &mut Option<usize>,
) -> Option<f64> {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return Some(1.0);
    }
    let bound = a.len().min(b.len()) as f64 / longest as f64;
    if bound < threshold {
        return None;
    }
    // Most candidate pairs (about 19 in 20 on generated news) are chance band collisions
    // or distant members of a paragraph family. An alignment can match at most the
    // words the two texts have in common, so that count bounds the similarity from
    // above; checking it costs a sort, not the full table of edits.
    let shared = *common.get_or_insert_with(|| common_words(a, b));
    if (shared as f64 / longest as f64) < threshold {
        return None;
    }
    Some(edit_similarity(a, b))
}

/// 1 − word edit distance / the longer length (1 for two empty texts).
pub(crate) fn edit_similarity(a: &[u32], b: &[u32]) -> f64 {
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 1.0;
    }
    let distance = strsim::generic_levenshtein(&Words(a), &Words(b));
    1.0 - distance as f64 / longest as f64
}

/// How many words `a` and `b` have in common, counted with multiplicity.
pub(crate) fn common_words(a: &[u32], b: &[u32]) -> usize {
    // Paragraphs are short: sort copies on the stack when they fit.
    const ON_STACK: usize = 128;
    if a.len() <= ON_STACK && b.len() <= ON_STACK {
        let (mut x, mut y) = ([0u32; ON_STACK], [0u32; ON_STACK]);
        let (x, y) = (&mut x[..a.len()], &mut y[..b.len()]);
        x.copy_from_slice(a);
        y.copy_from_slice(b);
        return common_sorted(x, y);
    }
    common_sorted(&mut a.to_vec(), &mut b.to_vec())
}

/// [`common_words`] on buffers it may reorder.
fn common_sorted(a: &mut [u32], b: &mut [u32]) -> usize {
    a.sort_unstable();
    b.sort_unstable();
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// `strsim::generic_levenshtein` takes a sized `IntoIterator`; a slice is not one.
pub(crate) struct Words<'a>(&'a [u32]);

impl<'a> IntoIterator for &Words<'a> {
    type Item = &'a u32;
    type IntoIter = std::slice::Iter<'a, u32>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Sentences matched one to one.
pub(crate) struct Alignment {
    /// Word edits inside matched sentences.
    pub matched_distance: usize,
    /// Words of the unmatched sentences of the shorter and the longer text.
    pub unmatched_shorter: usize,
    /// See `unmatched_shorter`.
    pub unmatched_longer: usize,
    /// Whether matched sentences stand in another order.
    pub reordered: bool,
}

impl Alignment {
    /// Edits to turn one text into the other when moving a sentence is free.
    pub(crate) fn cost(&self) -> usize {
        self.matched_distance + self.unmatched_shorter + self.unmatched_longer
    }
}

/// Sentences match when at least this similar; others count as added or dropped.
const SENTENCE_MATCH: f64 = 0.5;

/// Matches sentences of `x` with sentences of `y` greedily, most similar first.
pub(crate) fn align_sentences(x: &[&[u32]], y: &[&[u32]]) -> Alignment {
    let mut scored: Vec<(f64, usize, usize, usize)> = Vec::new();
    for (i, a) in x.iter().enumerate() {
        for (j, b) in y.iter().enumerate() {
            let longest = a.len().max(b.len());
            if longest == 0 || (a.len().min(b.len()) as f64) < SENTENCE_MATCH * longest as f64 {
                continue;
            }
            let distance = strsim::generic_levenshtein(&Words(a), &Words(b));
            let sim = 1.0 - distance as f64 / longest as f64;
            if sim >= SENTENCE_MATCH {
                scored.push((sim, i, j, distance));
            }
        }
    }
    scored.sort_by(|p, q| q.0.total_cmp(&p.0).then((p.1, p.2).cmp(&(q.1, q.2))));
    let (mut used_x, mut used_y) = (vec![false; x.len()], vec![false; y.len()]);
    let mut matched: Vec<(usize, usize)> = Vec::new();
    let mut matched_distance = 0;
    for (_, i, j, distance) in scored {
        if !used_x[i] && !used_y[j] {
            used_x[i] = true;
            used_y[j] = true;
            matched.push((i, j));
            matched_distance += distance;
        }
    }
    matched.sort_unstable();
    let reordered = matched.windows(2).any(|w| w[1].1 < w[0].1);
    let unmatched = |s: &[&[u32]], used: &[bool]| {
        s.iter()
            .zip(used)
            .filter(|(_, u)| !**u)
            .map(|(s, _)| s.len())
            .sum()
    };
    Alignment {
        matched_distance,
        unmatched_shorter: unmatched(x, &used_x),
        unmatched_longer: unmatched(y, &used_y),
        reordered,
    }
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
    fn shared_words_bound_the_similarity() {
        let a = words("a b c d e f g h i j");
        let b = words("j i h g f e d c b a");
        assert_eq!(common_words(&a, &b), 10);
        let c = words("a a b x y z q r s t");
        assert_eq!(common_words(&a, &c), 2);
        // 2 of 10 words in common: similarity at most 0.2, so 0.3 is out of reach.
        assert_eq!(similarity(&a, &c, 0.3), None);
        let exact = 1.0 - strsim::generic_levenshtein(&Words(&a), &Words(&c)) as f64 / 10.0;
        assert!(exact <= 0.2, "{exact}");
        assert_eq!(similarity(&a, &c, 0.1), Some(exact));
    }

    #[test]
    fn length_bound_skips_hopeless_pairs() {
        let a = words("a b c d e f g h i j");
        let b = words("a b c");
        assert_eq!(similarity(&a, &b, 0.5), None);
        assert!(similarity(&a, &b, 0.3).is_some());
    }
}
