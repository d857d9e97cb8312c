//! The boilerplate rule's evidence: which documents tell one story (shared long units),
//! which source each document is from, and which paragraphs stand where page chrome
//! stands (the leading and trailing runs of a document).

use std::collections::HashMap;

use super::Units;
use crate::corpus::Corpus;
use crate::matching::Groups;
use crate::options::ClassifyOptions;

/// Documents a site holds of a text before the text is left out of story similarity
/// (see [`classify`]). A story is rarely carried this often by one outlet; a template is
/// on most pages.
pub(super) const UNGLUE_DOCS: usize = 5;

/// The source (site, outlet) of every document, and how many documents each has.
pub(super) struct Sites {
    pub(super) of_doc: Vec<u32>,
    /// Name of each site id.
    pub(super) names: Vec<String>,
    pub(super) documents: Vec<usize>,
}

impl Sites {
    pub(super) fn new(corpus: &Corpus) -> Self {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let mut names = Vec::new();
        let of_doc = corpus
            .documents
            .iter()
            .map(|d| {
                let site = d.site(&corpus.sources);
                *ids.entry(site).or_insert_with(|| {
                    names.push(site.to_string());
                    names.len() as u32 - 1
                })
            })
            .collect::<Vec<u32>>();
        let documents = if let Some(whole) = &corpus.source_documents {
            names
                .iter()
                .map(|n| whole.get(n).copied().unwrap_or(0))
                .collect()
        } else {
            let mut documents = vec![0; names.len()];
            for &s in &of_doc {
                documents[s as usize] += 1;
            }
            documents
        };
        Sites {
            of_doc,
            names,
            documents,
        }
    }

    /// `docs` (sorted) as (site, story, doc), sorted.
    pub(super) fn placed(&self, docs: &[u32], story: &[u32]) -> Vec<(u32, u32, u32)> {
        let mut placed: Vec<(u32, u32, u32)> = docs
            .iter()
            .map(|&d| (self.of_doc[d as usize], story[d as usize], d))
            .collect();
        placed.sort_unstable();
        placed
    }

    /// The most of `docs` that one site holds.
    pub(super) fn most_docs(&self, docs: &[u32]) -> usize {
        let mut sites: Vec<u32> = docs.iter().map(|&d| self.of_doc[d as usize]).collect();
        sites.sort_unstable();
        sites
            .chunk_by(|a, b| a == b)
            .map(<[u32]>::len)
            .max()
            .unwrap_or(0)
    }

    /// How many of `docs` are in sources where the text is the template: it recurs in
    /// `template_stories` of the source's stories, or, standing where page chrome does,
    /// in `few` or more of them and either on `template_share` of the source's documents
    /// or as the same words (`repeating`).
    pub(super) fn template_docs(
        &self,
        docs: &[u32],
        story: &[u32],
        evidence: &Evidence,
        opts: &ClassifyOptions,
    ) -> usize {
        self.placed(docs, story)
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|in_site| {
                let site = in_site[0].0;
                let stories = in_site.chunk_by(|a, b| a.1 == b.1).count();
                let documents = self.documents[site as usize].max(1);
                let share = in_site.len() as f64 / documents as f64;
                stories >= opts.template_stories
                    || evidence.at_edge
                        && stories >= evidence.few
                        && (share >= opts.template_share
                            || evidence.repeating.binary_search(&site).is_ok())
            })
            .map(<[(u32, u32, u32)]>::len)
            .sum()
    }

    /// The sites that print one text (its `prints`) in two or more of their stories at
    /// one place: the same paragraph counted from the top, or from the bottom, in each.
    pub(super) fn repeating(&self, corpus: &Corpus, prints: &[u32], story: &[u32]) -> Vec<u32> {
        let mut placed: Vec<(u32, u32, u32, u32)> = prints
            .iter()
            .map(|&p| {
                let at = corpus.prints[p as usize].at;
                let paragraphs = corpus.doc_prints(at.doc).len() as u32;
                let d = at.doc.0 as usize;
                (self.of_doc[d], story[d], at.index, paragraphs - at.index)
            })
            .collect();
        placed.sort_unstable();
        placed
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|in_site| {
                let same = |place: fn(&(u32, u32, u32, u32)) -> u32| {
                    in_site.iter().all(|x| place(x) == place(&in_site[0]))
                };
                in_site.chunk_by(|a, b| a.1 == b.1).count() >= 2 && (same(|x| x.2) || same(|x| x.3))
            })
            .map(|in_site| in_site[0].0)
            .collect()
    }
}

/// What, besides how many stories, makes a text a source's template.
pub(super) struct Evidence<'a> {
    /// Most of its copies stand where page chrome does (a leading or trailing run).
    pub(super) at_edge: bool,
    /// Stories of a source it must recur in for the position to count.
    pub(super) few: usize,
    /// Sources (sorted) that print one of its texts, a short line, word for word in two
    /// stories at the same place in each.
    pub(super) repeating: &'a [u32],
}

/// Union-find over documents: the story of each document (by smallest member).
pub(super) fn stories(
    corpus: &Corpus,
    groups: &Groups,
    units: &Units,
    unit_docs: &[Vec<u32>],
    excluded: &[bool],
    opts: &ClassifyOptions,
) -> Vec<u32> {
    let n = corpus.document_count();
    // Long units per document, the denominator of the overlap.
    let mut long_units = vec![0u32; n];
    for (d, count) in long_units.iter_mut().enumerate() {
        let mut seen: Vec<u32> = corpus
            .doc_range(crate::corpus::DocId(d as u32))
            .filter_map(|p| groups.texts.text_of(p))
            .map(|t| units.of_text[t as usize])
            .filter(|&u| units.long[u as usize] && !excluded[u as usize])
            .collect();
        seen.sort_unstable();
        seen.dedup();
        *count = seen.len() as u32;
    }
    // Shared-unit counts per document pair: a flat vector, sorted, runs counted.
    let mut shared: Vec<(u32, u32)> = Vec::new();
    for (u, docs) in unit_docs.iter().enumerate() {
        if docs.len() < 2 || !units.long[u] || excluded[u] {
            continue;
        }
        doc_pairs(docs, &mut shared);
    }
    shared.sort_unstable();
    let mut parent: Vec<u32> = (0..n as u32).collect();
    for run in shared.chunk_by(|x, y| x == y) {
        let (a, b) = run[0];
        let count = run.len() as u32;
        let smaller = long_units[a as usize].min(long_units[b as usize]).max(1);
        let enough = count >= smaller.min(2);
        if enough && f64::from(count) / f64::from(smaller) >= opts.story_overlap {
            union(&mut parent, a, b);
        }
    }
    (0..n as u32).map(|d| find(&mut parent, d)).collect()
}

/// The document pairs a unit contributes to overlap counts. Large units contribute a
/// chain and a star instead of all pairs; stories are connected components, so this
/// still joins every copy of a widely syndicated story.
pub(super) fn doc_pairs(docs: &[u32], pairs: &mut Vec<(u32, u32)>) {
    const ALL_PAIRS_UP_TO: usize = 16;
    if docs.len() <= ALL_PAIRS_UP_TO {
        for (i, &a) in docs.iter().enumerate() {
            for &b in &docs[i + 1..] {
                pairs.push((a, b));
            }
        }
    } else {
        for w in docs.windows(2) {
            pairs.push((w[0], w[1]));
        }
        for &b in &docs[2..] {
            pairs.push((docs[0], b));
        }
    }
}

pub(super) fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

pub(super) fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb) as usize] = ra.min(rb);
    }
}

pub(super) fn spans_stories(docs: &[u32], story: &[u32]) -> usize {
    let mut s: Vec<u32> = docs.iter().map(|&d| story[d as usize]).collect();
    s.sort_unstable();
    s.dedup();
    s.len()
}

/// Marks paragraphs in each document's leading and trailing run of page chrome: short
/// paragraphs, headings, and paragraphs of units spanning several stories.
pub(super) fn edge_paragraphs(
    corpus: &Corpus,
    groups: &Groups,
    units: &Units,
    spans: &[usize],
    min_words: usize,
) -> Vec<bool> {
    let mut edge = vec![false; corpus.prints.len()];
    let chrome = |p: u32| {
        let print = &corpus.prints[p as usize];
        if print.chrome || !print.is_long(min_words) {
            return true;
        }
        groups
            .texts
            .text_of(p)
            .is_some_and(|t| spans[units.of_text[t as usize] as usize] >= 2)
    };
    for d in 0..corpus.document_count() {
        let range = corpus.doc_range(crate::corpus::DocId(d as u32));
        let (base, n) = (range.start, range.len() as u32);
        let mut i = 0;
        while i < n && chrome(base + i) {
            edge[(base + i) as usize] = true;
            i += 1;
        }
        let mut j = n;
        while j > i && chrome(base + j - 1) {
            edge[(base + j - 1) as usize] = true;
            j -= 1;
        }
    }
    edge
}
