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

use std::collections::{BTreeMap, HashMap};

use crate::corpus::Corpus;
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
    pub print: u32,
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
        .map(|o| (corpus.prints[o.print as usize].at.doc.0, o.text))
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
    pub first: Vec<u32>,
    /// Prints of the repeat, in order (same length as `first`).
    pub repeat: Vec<u32>,
    /// Whether every repeated paragraph is identical to its counterpart.
    pub exact: bool,
    /// The per-paragraph findings that pair the two copies.
    pub findings: Vec<u32>,
}

/// The boilerplate findings of one source, folded into one entry of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// 1-based number, shown as `T1`, `T2`, ... Assigned in order of source name, so the
    /// same input always numbers its templates alike.
    pub id: u32,
    /// The source (site, outlet) whose template it is.
    pub source: String,
    /// Ids of the member findings, ascending (ids, like a block's, so they stay valid
    /// when a baseline drops other findings).
    pub findings: Vec<u32>,
    /// How many of the source's documents hold an occurrence of some member.
    pub pages: usize,
}

impl Template {
    /// How many member findings (the template's blocks of text) it has.
    pub fn blocks(&self) -> usize {
        self.findings.len()
    }

    /// The source as people read it: files directly in the scanned folder have the empty
    /// source, shown as `.` (the folder itself).
    pub fn shown_source(&self) -> &str {
        if self.source.is_empty() {
            "."
        } else {
            &self.source
        }
    }
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

    let mut findings = Vec::new();
    for (c, cluster) in groups.near.iter().enumerate() {
        let kind = if boilerplate[c] {
            Kind::Boilerplate
        } else {
            Kind::Near
        };
        findings.push(near_finding(corpus, &groups.texts, cluster, kind, spans[c]));
    }
    for t in 0..groups.texts.len() as u32 {
        let members = groups.texts.members(t);
        let u = units.of_text[t as usize] as usize;
        if members.len() < 2 {
            continue;
        }
        let kind = if boilerplate[u] {
            if u < units.clusters {
                continue; // reported once, with its cluster
            }
            Kind::Boilerplate
        } else if units.long[u] {
            Kind::Exact
        } else {
            continue; // short and not boilerplate: never a finding
        };
        let occurrences = members
            .iter()
            .map(|&p| Occurrence {
                print: p,
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
        findings.push(Finding {
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
        });
    }
    findings.sort_by_key(|f| (f.occurrences[0].print, f.kind));
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

/// Groups boilerplate findings by the source owning them ([`owning_source`]) and makes a
/// [`Template`] of every source with two or more: one boilerplate finding alone is
/// clearer as itself than as a template of one. Templates are numbered by source name.
fn fold_templates(corpus: &Corpus, site: &Sites, findings: &mut [Finding]) -> Vec<Template> {
    let site_of = |o: &Occurrence| {
        let doc = corpus.prints[o.print as usize].at.doc;
        (site.of_doc[doc.0 as usize], doc.0)
    };
    let mut by_source: BTreeMap<&str, (u32, Vec<u32>)> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.kind == Kind::Boilerplate) {
        if let Some(owner) = owning_source(f.occurrences.iter().map(|o| site_of(o).0)) {
            let name = site.names[owner as usize].as_str();
            by_source
                .entry(name)
                .or_insert((owner, Vec::new()))
                .1
                .push(f.id);
        }
    }
    let mut templates = Vec::new();
    for (source, (owner, members)) in by_source {
        if members.len() < 2 {
            continue;
        }
        let id = templates.len() as u32 + 1;
        let mut pages: Vec<u32> = Vec::new();
        for &m in &members {
            let f = &mut findings[m as usize - 1]; // ids are 1-based positions
            f.template = Some(id);
            pages.extend(
                f.occurrences
                    .iter()
                    .map(site_of)
                    .filter(|&(s, _)| s == owner)
                    .map(|(_, d)| d),
            );
        }
        pages.sort_unstable();
        pages.dedup();
        templates.push(Template {
            id,
            source: source.to_string(),
            findings: members,
            pages: pages.len(),
        });
    }
    templates
}

/// The source holding at least half of the occurrences whose sources `sites` lists, if
/// exactly one does. When two sources hold half each, neither owns the text: what two
/// outlets carry alike is shared chrome (a network's footer), not one site's template,
/// and picking one by name would fold it under an arbitrary site.
fn owning_source<T: Ord + Copy>(sites: impl Iterator<Item = T>) -> Option<T> {
    let mut sites: Vec<T> = sites.collect();
    sites.sort_unstable();
    let total = sites.len();
    let mut owners = sites
        .chunk_by(|a, b| a == b)
        .filter(|run| 2 * run.len() >= total)
        .map(|run| run[0]);
    match (owners.next(), owners.next()) {
        (Some(owner), None) => Some(owner),
        _ => None,
    }
}

fn near_finding(
    corpus: &Corpus,
    texts: &TextGroups,
    cluster: &NearCluster,
    kind: Kind,
    stories: usize,
) -> Finding {
    let rep_print = texts.first(cluster.variants[0]);
    let mut occurrences: Vec<Occurrence> = cluster
        .variants
        .iter()
        .enumerate()
        .flat_map(|(i, &t)| {
            texts.members(t).iter().map(move |&p| Occurrence {
                print: p,
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
        .map(|o| corpus.prints[o.print as usize].at.doc.0)
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

/// Documents a site holds of a text before the text is left out of story similarity
/// (see [`classify`]). A story is rarely carried this often by one outlet; a template is
/// on most pages.
const UNGLUE_DOCS: usize = 5;

/// The source (site, outlet) of every document, and how many documents each has.
struct Sites {
    of_doc: Vec<u32>,
    /// Name of each site id.
    names: Vec<String>,
    documents: Vec<usize>,
}

impl Sites {
    fn new(corpus: &Corpus) -> Self {
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
    fn placed(&self, docs: &[u32], story: &[u32]) -> Vec<(u32, u32, u32)> {
        let mut placed: Vec<(u32, u32, u32)> = docs
            .iter()
            .map(|&d| (self.of_doc[d as usize], story[d as usize], d))
            .collect();
        placed.sort_unstable();
        placed
    }

    /// The most of `docs` that one site holds.
    fn most_docs(&self, docs: &[u32]) -> usize {
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
    fn template_docs(
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
    fn repeating(&self, corpus: &Corpus, prints: &[u32], story: &[u32]) -> Vec<u32> {
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
struct Evidence<'a> {
    /// Most of its copies stand where page chrome does (a leading or trailing run).
    at_edge: bool,
    /// Stories of a source it must recur in for the position to count.
    few: usize,
    /// Sources (sorted) that print one of its texts, a short line, word for word in two
    /// stories at the same place in each.
    repeating: &'a [u32],
}

/// Union-find over documents: the story of each document (by smallest member).
fn stories(
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
fn doc_pairs(docs: &[u32], pairs: &mut Vec<(u32, u32)>) {
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

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb) as usize] = ra.min(rb);
    }
}

fn spans_stories(docs: &[u32], story: &[u32]) -> usize {
    let mut s: Vec<u32> = docs.iter().map(|&d| story[d as usize]).collect();
    s.sort_unstable();
    s.dedup();
    s.len()
}

/// Marks paragraphs in each document's leading and trailing run of page chrome: short
/// paragraphs, headings, and paragraphs of units spanning several stories.
fn edge_paragraphs(
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

/// Earlier copies of a unit that a new occurrence is compared with. Documents written by
/// people repeat a paragraph a handful of times; a generated one may repeat a template
/// tens of thousands of times, and must still cost linear time.
const MAX_EARLIER_COPIES: usize = 16;

/// Finds runs of two or more consecutive paragraphs repeated later in the same document.
fn repeated_blocks(
    corpus: &Corpus,
    groups: &Groups,
    units: &Units,
    boilerplate: &[bool],
    findings: &mut [Finding],
) -> Vec<RepeatedBlock> {
    // Which finding pairs two prints: by text for exact, by unit for near.
    let mut finding_of: HashMap<u32, u32> = HashMap::new();
    let mut near_of: HashMap<u32, u32> = HashMap::new();
    for f in findings.iter() {
        if f.kind == Kind::Boilerplate {
            continue;
        }
        for o in &f.occurrences {
            if f.kind == Kind::Exact || !finding_of.contains_key(&o.print) {
                finding_of.insert(o.print, f.id);
            }
            if f.kind == Kind::Near {
                near_of.entry(o.print).or_insert(f.id);
            }
        }
    }
    let mut blocks: Vec<RepeatedBlock> = Vec::new();
    for d in 0..corpus.document_count() {
        let range = corpus.doc_range(crate::corpus::DocId(d as u32));
        let base = range.start;
        let unit: Vec<Option<u32>> = range
            .map(|p| {
                let t = groups.texts.text_of(p)?;
                let u = units.of_text[t as usize];
                (units.long[u as usize] && !boilerplate[u as usize] && finding_of.contains_key(&p))
                    .then_some(u)
            })
            .collect();
        for (i, j, len) in repeats(&unit) {
            let first: Vec<u32> = (i..i + len).map(|k| base + k as u32).collect();
            let repeat: Vec<u32> = (j..j + len).map(|k| base + k as u32).collect();
            let same_text = |a: u32, b: u32| groups.texts.text_of(a) == groups.texts.text_of(b);
            let exact = first.iter().zip(&repeat).all(|(&a, &b)| same_text(a, b));
            let mut ids: Vec<u32> = Vec::new();
            for (&a, &b) in first.iter().zip(&repeat) {
                let id = match near_of.get(&b) {
                    Some(&near) if !same_text(a, b) => near,
                    _ => finding_of[&b],
                };
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            blocks.push(RepeatedBlock {
                id: 0,
                first,
                repeat,
                exact,
                findings: ids,
            });
        }
    }
    for (i, block) in blocks.iter_mut().enumerate() {
        block.id = i as u32 + 1;
        let inside = |p: &u32| {
            block.first.first() <= Some(p) && Some(p) <= block.first.last()
                || block.repeat.first() <= Some(p) && Some(p) <= block.repeat.last()
        };
        for &id in &block.findings {
            let f = &mut findings[id as usize - 1]; // ids are 1-based positions
            for o in &mut f.occurrences {
                if o.block.is_none() && inside(&o.print) {
                    o.block = Some(block.id);
                }
            }
        }
    }
    blocks
}

/// The repeated runs in a document's sequence of units, as (first copy's start, repeat's
/// start, length), ordered by first copy. The scan goes left to right; a repeat is
/// matched with the earlier copy giving the longest run (the earliest on ties), the two
/// copies never overlap, and the scan resumes after the repeat; no two blocks share a
/// paragraph.
fn repeats(unit: &[Option<u32>]) -> Vec<(usize, usize, usize)> {
    let run = |i: usize, j: usize| {
        let mut len = 0;
        while i + len < j
            && j + len < unit.len()
            && unit[i + len].is_some()
            && unit[i + len] == unit[j + len]
        {
            len += 1;
        }
        len
    };
    let mut earlier: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut found = Vec::new();
    let mut j = 0;
    while j < unit.len() {
        let Some(u) = unit[j] else {
            j += 1;
            continue;
        };
        let copies = earlier.entry(u).or_default();
        let best = copies
            .iter()
            .take(MAX_EARLIER_COPIES)
            .map(|&i| (run(i, j), std::cmp::Reverse(i)))
            .max();
        copies.push(j);
        match best {
            Some((len, std::cmp::Reverse(i))) if len >= 2 => {
                found.push((i, j, len));
                for (k, u) in unit.iter().enumerate().take(j + len).skip(j + 1) {
                    if let Some(u) = u {
                        earlier.entry(*u).or_default().push(k);
                    }
                }
                j += len;
            }
            _ => j += 1,
        }
    }
    // A repeat found inside a longer one (ABCB... then ABCD...ABCD) is left to the
    // longer: blocks never share a paragraph, so each occurrence names one block.
    found.sort_unstable_by_key(|&(i, j, len)| (std::cmp::Reverse(len), i, j));
    let mut used = vec![false; unit.len()];
    found.retain(|&(i, j, len)| {
        let ranges = [i..i + len, j..j + len];
        if ranges.iter().any(|r| used[r.clone()].contains(&true)) {
            return false;
        }
        for r in ranges {
            used[r].fill(true);
        }
        true
    });
    found.sort_unstable();
    found
}

#[cfg(test)]
mod tests {
    use super::owning_source;

    #[test]
    fn a_source_with_half_the_copies_owns_a_text() {
        let owner = |sites: &[&'static str]| owning_source(sites.iter().copied());
        assert_eq!(owner(&["weis", "weis", "weis"]), Some("weis"));
        assert_eq!(owner(&["weis", "kaaa", "weis", "kbbb"]), Some("weis"));
        assert_eq!(
            owner(&["weis", "kaaa", "kbbb"]),
            None,
            "a third is not half"
        );
        assert_eq!(
            owner(&["weis", "kaaa", "weis", "kaaa"]),
            None,
            "a tie has no owner"
        );
        assert_eq!(owner(&[]), None);
    }
}
