//! Exact grouping: sort candidate paragraphs by fingerprint and cut the runs. Sorting (not
//! a hash map) keeps the result independent of thread scheduling.

use rayon::prelude::*;

use crate::corpus::Corpus;

/// All distinct candidate texts, each with its occurrences, stored flat.
///
/// Text `t` has occurrences `order[starts[t]..starts[t + 1]]` (indices into
/// `Corpus::prints`, ascending, so the first is the earliest by path and position).
/// Texts are numbered by their first occurrence.
#[derive(Debug, Default)]
pub struct TextGroups {
    order: Vec<u32>,
    starts: Vec<u32>,
    /// For each print, its text number (`u32::MAX` for non-candidates: allowlisted).
    text_of: Vec<u32>,
}

/// A view of one distinct text.
pub type TextGroup<'a> = &'a [u32];

impl TextGroups {
    /// Number of distinct texts.
    pub fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The occurrences (print indices) of text `t`, ascending.
    pub fn members(&self, t: u32) -> TextGroup<'_> {
        let t = t as usize;
        &self.order[self.starts[t] as usize..self.starts[t + 1] as usize]
    }

    /// The earliest occurrence of text `t`.
    pub fn first(&self, t: u32) -> u32 {
        self.members(t)[0]
    }

    /// The order in which texts lead near-duplicate clusters: most occurrences first, then
    /// by text number. LSH centres its big buckets on the first text in this order, so
    /// the text that leads a family's cluster has a candidate edge to every member.
    pub fn support_order(&self, t: u32) -> (std::cmp::Reverse<usize>, u32) {
        (std::cmp::Reverse(self.members(t).len()), t)
    }

    /// The text a print belongs to, if it is a candidate.
    pub fn text_of(&self, print: u32) -> Option<u32> {
        self.text_of
            .get(print as usize)
            .copied()
            .filter(|&t| t != u32::MAX)
    }
}

/// Groups every candidate paragraph by fingerprint. Headings are grouped apart from
/// paragraphs of the same words: a headline and a link to that story in another page's
/// rail are not copies of each other.
pub fn group(corpus: &Corpus) -> TextGroups {
    let prints = &corpus.prints;
    let key = |p: u32| {
        let print = &prints[p as usize];
        (print.exact, !print.kind.is_editorial())
    };
    let mut by_print: Vec<u32> = (0..prints.len() as u32)
        .into_par_iter()
        .filter(|&p| prints[p as usize].is_candidate())
        .collect();
    by_print.par_sort_unstable_by_key(|&p| (key(p), p));

    // Runs of equal keys, then renumber texts by first occurrence.
    let mut runs: Vec<(u32, u32)> = Vec::new();
    let mut i = 0;
    while i < by_print.len() {
        let k = key(by_print[i]);
        let mut j = i + 1;
        while j < by_print.len() && key(by_print[j]) == k {
            j += 1;
        }
        runs.push((i as u32, j as u32));
        i = j;
    }
    runs.par_sort_unstable_by_key(|&(s, _)| by_print[s as usize]);

    let mut order = Vec::with_capacity(by_print.len());
    let mut starts = Vec::with_capacity(runs.len() + 1);
    let mut text_of = vec![u32::MAX; prints.len()];
    for (t, &(s, e)) in runs.iter().enumerate() {
        starts.push(order.len() as u32);
        for &p in &by_print[s as usize..e as usize] {
            text_of[p as usize] = t as u32;
            order.push(p);
        }
    }
    starts.push(order.len() as u32);
    TextGroups {
        order,
        starts,
        text_of,
    }
}
