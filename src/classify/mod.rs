//! Classify: turn matched groups into findings — exact, near or boilerplate — with a
//! scope, and find repeated blocks.
//!
//! ## The boilerplate rule
//!
//! A count alone cannot tell a syndicated story from a station footer: both recur in many
//! documents. The difference is *what else* the documents share. Copies of one story share
//! most of their paragraphs; documents that share only a footer are otherwise unrelated.
//!
//! 1. **Stories.** Two documents belong to the same story when the long (≥ `min_words`)
//!    duplicated units they share make up at least `story_overlap` (default 0.5) of the
//!    smaller document's long units, and they share at least two units (or all of them,
//!    for one-paragraph documents). A unit is a near-duplicate cluster or a distinct text.
//!    Stories are the connected components of that relation.
//! 2. **Ungluing.** Units whose documents span two or more stories, or that one source
//!    holds on `UNGLUE_DOCS` or more pages, are left out and stories computed again, so
//!    a footer plus a copyright line (or a large site template) cannot glue unrelated
//!    pages into one story.
//! 3. **A source's template.** Each document has a source (site, outlet: its folder, the
//!    `[sources]` map or the feed's source field). A unit spanning two or more stories is
//!    template in a source when it is in `template_stories` of the source's stories; or,
//!    when most of its occurrences stand in a document's leading or trailing run of page
//!    chrome (short paragraphs, headings, repeated texts), in two or more of them and
//!    either on `template_share` of the source's documents or, as a short line, word for
//!    word at the same place in each (a byline). Headings need three stories there. A
//!    unit is boilerplate when most of its documents are in sources where it is
//!    template: text each source carries once is syndication, however it stands.
//! 4. A **short** unit (below `min_words`: share buttons, "Photo: staff") is boilerplate
//!    when it spans two or more stories, wherever it sits; a heading only as template.
//! 5. A unit all of whose occurrences are HTML **page chrome** (inside `nav`, `header`,
//!    `footer`, `aside` or share and related-links widgets) is boilerplate wherever it
//!    recurs, and is left out of story similarity from the start.
//!
//! Short units that are not boilerplate produce no finding. Boilerplate units are reported
//! once, as `boilerplate`, and are left out of story similarity.
//!
//! ## Templates
//!
//! A site's template is many boilerplate findings at once: every navigation item, share
//! line and footer line is its own text. Reports fold them into one [`Template`] per
//! source ("template of weis-radio: 14 blocks on 120 pages"), so a reader sees one thing
//! to look at instead of a screen of nav items. A boilerplate finding belongs to the
//! source holding at least half of its occurrences; folding changes no finding, only how
//! reports group them.

mod blocks;
mod stories;
mod templates;

pub use templates::Template;

use std::collections::HashMap;

use rayon::prelude::*;

use blocks::repeated_blocks;
use stories::{Evidence, Sites, UNGLUE_DOCS, edge_paragraphs, spans_stories, stories};
use templates::fold_templates;

use crate::corpus::{Corpus, PrintId};
use crate::matching::{Edit, Groups, NearCluster, TextGroups};
use crate::options::{ClassifyOptions, MatchOptions};

/// What a finding asserts about every pair of its occurrences.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Identical after normalization.
    Exact,
    /// Edited copies, verified at or above the threshold.
    Near,
    /// Page chrome recurring across unrelated documents (footers, share lines, ...).
    Boilerplate,
}

impl Kind {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Exact => "exact",
            Kind::Near => "near",
            Kind::Boilerplate => "boilerplate",
        }
    }
}

/// Where a finding's occurrences lie.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// All in one document.
    Within,
    /// Each in a different document.
    Across,
    /// Several in one document and others elsewhere.
    Both,
}

impl Scope {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Within => "within",
            Scope::Across => "across",
            Scope::Both => "both",
        }
    }

    /// Whether some document holds two or more of the occurrences.
    pub fn has_within(self) -> bool {
        matches!(self, Scope::Within | Scope::Both)
    }
}

/// One place a duplicated paragraph occurs.
#[derive(Clone, Debug, PartialEq)]
pub struct Occurrence {
    /// Index into `Corpus::prints`.
    pub print: PrintId,
    /// The distinct text it has (its variant, for near findings).
    pub text: u32,
    /// Verified similarity to the finding's representative (1.0 for exact findings).
    /// Stored as `f32`: occurrences are the bulk of a large report's memory.
    pub similarity: f32,
    /// MinHash estimate of Jaccard similarity to the representative (near findings).
    pub estimate: Option<f32>,
    /// The edit verification saw against the representative (near findings; `None` for
    /// the representative's own variant and for exact findings).
    pub edit: Option<Edit>,
    /// The repeated block this occurrence belongs to, if any (1-based block number).
    pub block: Option<u32>,
}

/// A set of paragraphs that are pairwise duplicates of one kind.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// 1-based number, shown as `F1`, `F2`, ... Assigned after sorting by first occurrence.
    pub id: u32,
    /// Exact, near or boilerplate.
    pub kind: Kind,
    /// Within one document, across documents, or both.
    pub scope: Scope,
    /// Lowest pairwise similarity (1.0 for exact).
    pub similarity: f64,
    /// Lowest MinHash estimate against the representative (near findings).
    pub estimate: Option<f64>,
    /// Occurrences ordered by document then position. The representative (the copy other
    /// variants are compared against) is `occurrences[representative]`.
    pub occurrences: Vec<Occurrence>,
    /// Index of the representative occurrence.
    pub representative: usize,
    /// For near findings: the exact findings that group identical variants inside it.
    pub related: Vec<u32>,
    /// Number of documents and stories it spans.
    pub documents: usize,
    /// Number of distinct stories (see the boilerplate rule) it spans.
    pub stories: usize,
    /// Some document holds two or more of its occurrences and the text is long (at least
    /// `min_words`): a paste, which gates at `within` whatever the finding's kind.
    pub pasted: Option<Paste>,
    /// The source template this boilerplate finding is folded into (its [`Template`] id).
    pub template: Option<u32>,
}

/// A long paragraph repeated inside one document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paste {
    /// The same text twice.
    Exact,
    /// Only edited copies of it.
    Edited,
}

/// Whether a document holds two of `occurrences` (sorted by print), and whether two of
/// them in one document are the same text.
fn paste(corpus: &Corpus, occurrences: &[Occurrence]) -> Option<Paste> {
    let mut by_doc: Vec<(u32, u32)> = occurrences
        .iter()
        .map(|o| (corpus.print(o.print).at.doc.0, o.text))
        .collect();
    by_doc.sort_unstable();
    let mut found = None;
    for pair in by_doc.windows(2) {
        if pair[0] == pair[1] {
            return Some(Paste::Exact);
        }
        if pair[0].0 == pair[1].0 {
            found = Some(Paste::Edited);
        }
    }
    found
}

/// Consecutive paragraphs of one document repeated later in the same document.
#[derive(Clone, Debug, PartialEq)]
pub struct RepeatedBlock {
    /// 1-based number, shown as `B1`, ...
    pub id: u32,
    /// Prints of the first copy, in order.
    pub first: Vec<PrintId>,
    /// Prints of the repeat, in order (same length as `first`).
    pub repeat: Vec<PrintId>,
    /// Whether every repeated paragraph is identical to its counterpart.
    pub exact: bool,
    /// The per-paragraph findings that pair the two copies.
    pub findings: Vec<u32>,
}

/// Findings and blocks, in report order.
#[derive(Debug, Default)]
pub struct Classified {
    /// Findings sorted by first occurrence.
    pub findings: Vec<Finding>,
    /// Repeated blocks sorted by document and position.
    pub blocks: Vec<RepeatedBlock>,
    /// Source templates, by source name.
    pub templates: Vec<Template>,
    /// Number of stories the documents form.
    pub stories: usize,
}

/// A duplicate unit: a near cluster, or a distinct text outside any cluster. Units
/// `0..clusters` are the clusters; unit `clusters + i` is the text `singles[i]`.
struct Units {
    /// Unit of each text.
    of_text: Vec<u32>,
    /// Variants of each cluster.
    cluster_texts: Vec<Vec<u32>>,
    /// Texts outside clusters, in unit order.
    singles: Vec<u32>,
    /// Whether the unit is long: its texts have at least `min_words` words and are not
    /// headings. Only long units are editorial duplicates and tie documents into stories.
    long: Vec<bool>,
    /// Number of clusters (units below this number are clusters).
    clusters: usize,
}

impl Units {
    fn new(corpus: &Corpus, groups: &Groups, min_words: usize) -> Self {
        let texts_n = groups.texts.len();
        let mut of_text = vec![u32::MAX; texts_n];
        let cluster_texts: Vec<Vec<u32>> = groups.near.iter().map(|c| c.variants.clone()).collect();
        // A text in two clusters (a chain A≈B≈C) belongs to the first.
        for (c, variants) in cluster_texts.iter().enumerate() {
            for &t in variants {
                if of_text[t as usize] == u32::MAX {
                    of_text[t as usize] = c as u32;
                }
            }
        }
        let clusters = cluster_texts.len();
        let mut singles = Vec::with_capacity(texts_n);
        for t in 0..texts_n as u32 {
            if of_text[t as usize] == u32::MAX {
                of_text[t as usize] = (clusters + singles.len()) as u32;
                singles.push(t);
            }
        }
        let mut units = Units {
            of_text,
            cluster_texts,
            singles,
            long: Vec::new(),
            clusters,
        };
        units.long = (0..units.len() as u32)
            .map(|u| {
                let first = &corpus.prints[groups.texts.first(units.texts(u)[0]) as usize];
                first.is_long(min_words)
            })
            .collect();
        units
    }

    fn len(&self) -> usize {
        self.clusters + self.singles.len()
    }

    /// Whether the unit's text stands as a heading (its first occurrence does).
    fn heading(&self, unit: u32, corpus: &Corpus, texts: &TextGroups) -> bool {
        let first = texts.first(self.texts(unit)[0]);
        !corpus.prints[first as usize].kind.is_editorial()
    }

    fn texts(&self, unit: u32) -> &[u32] {
        let u = unit as usize;
        if u < self.clusters {
            &self.cluster_texts[u]
        } else {
            std::slice::from_ref(&self.singles[u - self.clusters])
        }
    }

    fn prints<'a>(&'a self, unit: u32, texts: &'a TextGroups) -> impl Iterator<Item = u32> + 'a {
        self.texts(unit)
            .iter()
            .flat_map(|&t| texts.members(t).iter().copied())
    }

    /// The documents a unit occurs in; empty for units with a single occurrence (they
    /// cannot span stories, and most units are such, so nothing is allocated for them).
    fn docs(&self, unit: u32, texts: &TextGroups, corpus: &Corpus) -> Vec<u32> {
        if self.prints(unit, texts).nth(1).is_none() {
            return Vec::new();
        }
        let mut docs: Vec<u32> = self
            .prints(unit, texts)
            .map(|p| corpus.prints[p as usize].at.doc.0)
            .collect();
        docs.sort_unstable();
        docs.dedup();
        docs
    }
}

/// Classifies matched groups into findings and finds repeated blocks.
pub fn classify(
    corpus: &Corpus,
    groups: &Groups,
    matching: &MatchOptions,
    opts: &ClassifyOptions,
) -> Classified {
    let units = Units::new(corpus, groups, matching.min_words);
    let unit_docs: Vec<Vec<u32>> = (0..units.len() as u32)
        .map(|u| units.docs(u, &groups.texts, corpus))
        .collect();

    // Page chrome repeated across pages (menus, footers) says nothing about stories.
    let chrome: Vec<bool> = (0..units.len() as u32)
        .map(|u| {
            units.prints(u, &groups.texts).nth(1).is_some()
                && units
                    .prints(u, &groups.texts)
                    .all(|p| corpus.prints[p as usize].chrome)
        })
        .collect();
    let site = Sites::new(corpus);
    let story1 = stories(corpus, groups, &units, &unit_docs, &chrome, opts);
    // Pages that share a large template share most of their paragraphs, like copies of
    // one story; what a site repeats on many pages is left out of story similarity, so
    // they are not glued into one story.
    let candidate: Vec<bool> = unit_docs
        .iter()
        .zip(&chrome)
        .map(|(d, &chrome)| {
            chrome || spans_stories(d, &story1) >= 2 || site.most_docs(d) >= UNGLUE_DOCS
        })
        .collect();
    let story = stories(corpus, groups, &units, &unit_docs, &candidate, opts);
    let story_count = {
        let mut s: Vec<u32> = story.clone();
        s.sort_unstable();
        s.dedup();
        s.len()
    };
    let spans: Vec<usize> = unit_docs.iter().map(|d| spans_stories(d, &story)).collect();
    let edge = edge_paragraphs(corpus, groups, &units, &spans, matching.min_words);

    let boilerplate: Vec<bool> = (0..units.len() as u32)
        .map(|u| {
            if chrome[u as usize] {
                return true;
            }
            if spans[u as usize] < 2 {
                return false;
            }
            // Where page chrome stands (a leading or trailing run of short lines, headings
            // and other repeated texts): the position that lets a text in a few stories
            // of a source be its template.
            let (mut at_edge, mut all) = (0, 0);
            for p in units.prints(u, &groups.texts) {
                all += 1;
                at_edge += usize::from(edge[p as usize]);
            }
            let docs = &unit_docs[u as usize];
            // Copies of a story keep its headline, and two stories of a site may share
            // one: a heading is boilerplate only as a site's template ("Most Popular", a
            // rail of headlines), on three or more of its stories.
            let heading = units.heading(u, corpus, &groups.texts);
            let few = if heading { 3 } else { 2 };
            // A source that prints one short line word for word at one place in two of
            // its stories (a byline, a sign-off) repeats a line of its template; a
            // paragraph it reuses, or edits, in two stories is an editor's work.
            // Only a text where chrome stands can be such a line: the others skip the work.
            let at_edge = 2 * at_edge >= all;
            let mut repeating: Vec<u32> = units
                .texts(u)
                .iter()
                .filter(|_| at_edge)
                .map(|&t| groups.texts.members(t))
                .filter(|members| {
                    (corpus.prints[members[0] as usize].words as usize) < 2 * matching.min_words
                })
                .flat_map(|members| site.repeating(corpus, members, &story))
                .collect();
            repeating.sort_unstable();
            repeating.dedup();
            let evidence = Evidence {
                at_edge,
                few,
                repeating: &repeating,
            };
            let templates = site.template_docs(docs, &story, &evidence, opts);
            let is_template = 2 * templates >= docs.len();
            if heading {
                return is_template;
            }
            !units.long[u as usize] || is_template
        })
        .collect();

    // Findings are built in parallel, each on its own; collecting keeps their order.
    let mut findings: Vec<Finding> = groups
        .near
        .par_iter()
        .enumerate()
        .map(|(c, cluster)| {
            let kind = if boilerplate[c] {
                Kind::Boilerplate
            } else {
                Kind::Near
            };
            near_finding(corpus, &groups.texts, cluster, kind, spans[c])
        })
        .collect();
    let exact = (0..groups.texts.len() as u32)
        .into_par_iter()
        .filter_map(|t| {
            let members = groups.texts.members(t);
            let u = units.of_text[t as usize] as usize;
            if members.len() < 2 {
                return None;
            }
            let kind = if boilerplate[u] {
                if u < units.clusters {
                    return None; // reported once, with its cluster
                }
                Kind::Boilerplate
            } else if units.long[u] {
                Kind::Exact
            } else {
                return None; // short and not boilerplate: never a finding
            };
            let occurrences = members
                .iter()
                .map(|&p| Occurrence {
                    print: PrintId(p),
                    text: t,
                    similarity: 1.0,
                    estimate: None,
                    edit: None,
                    block: None,
                })
                .collect::<Vec<_>>();
            let (docs, scope) = spread(corpus, &occurrences);
            let pasted = paste(corpus, &occurrences).filter(|_| units.long[u]);
            // The stories of this text's own documents: its unit may be a whole near cluster.
            let own_docs = text_docs(corpus, &groups.texts, t);
            Some(Finding {
                id: 0,
                kind,
                scope,
                similarity: 1.0,
                estimate: None,
                occurrences,
                representative: 0,
                related: Vec::new(),
                documents: docs,
                stories: spans_stories(&own_docs, &story),
                pasted,
                template: None,
            })
        });
    findings.par_extend(exact);
    // Stable: two findings of one kind can start at the same paragraph.
    findings.par_sort_by_key(|f| (f.occurrences[0].print, f.kind));
    for (i, f) in findings.iter_mut().enumerate() {
        f.id = i as u32 + 1;
    }
    link_exact_to_near(&mut findings);
    let blocks = repeated_blocks(corpus, groups, &units, &boilerplate, &mut findings);
    let templates = fold_templates(corpus, &site, &mut findings);
    Classified {
        findings,
        blocks,
        templates,
        stories: story_count,
    }
}

fn near_finding(
    corpus: &Corpus,
    texts: &TextGroups,
    cluster: &NearCluster,
    kind: Kind,
    stories: usize,
) -> Finding {
    let rep_print = PrintId(texts.first(cluster.variants[0]));
    let mut occurrences: Vec<Occurrence> = cluster
        .variants
        .iter()
        .enumerate()
        .flat_map(|(i, &t)| {
            texts.members(t).iter().map(move |&p| Occurrence {
                print: PrintId(p),
                text: t,
                similarity: cluster.similarity_to_rep[i] as f32,
                estimate: Some(cluster.estimate_to_rep[i] as f32),
                edit: (i > 0).then(|| cluster.edit_to_rep[i]),
                block: None,
            })
        })
        .collect();
    occurrences.sort_by_key(|o| o.print);
    let representative = occurrences
        .iter()
        .position(|o| o.print == rep_print)
        .expect("the representative is one of the occurrences");
    let estimate = cluster.estimate_to_rep.iter().copied().reduce(f64::min);
    let (docs, scope) = spread(corpus, &occurrences);
    let pasted = paste(corpus, &occurrences);
    Finding {
        id: 0,
        kind,
        scope,
        documents: docs,
        similarity: cluster.similarity,
        estimate,
        occurrences,
        representative,
        related: Vec::new(),
        stories,
        pasted,
        template: None,
    }
}

/// The documents text `t` occurs in, sorted and distinct (its members are in print
/// order, which is document order).
fn text_docs(corpus: &Corpus, texts: &TextGroups, t: u32) -> Vec<u32> {
    let mut docs: Vec<u32> = texts
        .members(t)
        .iter()
        .map(|&p| corpus.prints[p as usize].at.doc.0)
        .collect();
    docs.dedup();
    docs
}

/// How many documents the occurrences lie in, and the scope that makes.
fn spread(corpus: &Corpus, occurrences: &[Occurrence]) -> (usize, Scope) {
    let mut docs: Vec<u32> = occurrences
        .iter()
        .map(|o| corpus.print(o.print).at.doc.0)
        .collect();
    docs.sort_unstable();
    let total = docs.len();
    docs.dedup();
    let scope = if docs.len() == 1 {
        Scope::Within
    } else if docs.len() == total {
        Scope::Across
    } else {
        Scope::Both
    };
    (docs.len(), scope)
}

/// Near findings name the exact findings of their identical variants (`related`), and
/// those exact findings name the near finding back.
fn link_exact_to_near(findings: &mut [Finding]) {
    let exact_by_text: HashMap<u32, u32> = findings
        .iter()
        .filter(|f| f.kind == Kind::Exact)
        .map(|f| (f.occurrences[0].text, f.id))
        .collect();
    let mut back: Vec<(u32, u32)> = Vec::new();
    for f in findings.iter_mut().filter(|f| f.kind == Kind::Near) {
        let mut related: Vec<u32> = f
            .occurrences
            .iter()
            .filter_map(|o| exact_by_text.get(&o.text).copied())
            .collect();
        related.sort_unstable();
        related.dedup();
        back.extend(related.iter().map(|&e| (e, f.id)));
        f.related = related;
    }
    for (exact, near) in back {
        findings[exact as usize - 1].related.push(near);
    }
}
