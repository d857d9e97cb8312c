//! Suggest: what to clean up, as edits with an applicability level (ruff's model).
//!
//! * A within-document **exact** repeat: `delete` the later copies, keep the first
//!   (`Safe`: this is the accidental paste).
//! * A within-document **near** duplicate: `review`, naming the copy to keep — the longest
//!   when one copy holds another whole plus a sentence (removing it would lose the
//!   sentence), else the variant carried by more documents (the wording most outlets
//!   kept), else the earlier one — with the edit that would remove the other (`Unsafe`: a
//!   person decides).
//! * **Boilerplate** pasted twice into one document: `delete` the later identical copies
//!   (`Safe`, like an exact repeat).
//! * **Boilerplate**: `delete` each occurrence, only when asked for
//!   ([`SuggestOptions::boilerplate`]); nothing is kept (`Unsafe`), except a paragraph
//!   that is also an editorial copy in another finding.
//! * Cross-document copies: no suggestion; syndication is normal.
//!
//! Invariants: suggestions never overlap (a paragraph gets at most one), a paragraph that
//! a suggestion keeps is never the target of another, and a review never takes the only
//! copy a document has of another finding's text (near families overlap), so the only
//! copy of an editorial paragraph is never deleted.

use std::collections::{HashMap, HashSet};

use crate::classify::{Classified, Finding, Kind};
use crate::corpus::{Corpus, PrintId};
use crate::matching;
use crate::options::SuggestOptions;
use crate::span::Span;

/// What to do with the paragraph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// Remove it.
    Delete,
    /// Replace it with other text.
    Replace,
    /// A person should look and decide.
    Review,
}

impl Action {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Delete => "delete",
            Action::Replace => "replace",
            Action::Review => "review",
        }
    }
}

/// How safe an edit is to apply without a person looking (ordered: `Safe` is highest).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Applicability {
    /// Only to be shown.
    DisplayOnly,
    /// Applied only with opt-in (`fix --near`, `fix --boilerplate`).
    Unsafe,
    /// Applied by default.
    Safe,
}

impl Applicability {
    /// The name used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::DisplayOnly => "display-only",
            Applicability::Unsafe => "unsafe",
            Applicability::Safe => "safe",
        }
    }
}

/// A byte edit in one file: `replacement` `None` deletes the span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    /// The bytes on disk it covers.
    pub span: Span,
    /// The new text, or `None` to delete.
    pub replacement: Option<Box<str>>,
}

impl Edit {
    /// An edit that deletes `span`.
    pub fn deletion(span: Span) -> Self {
        Edit {
            span,
            replacement: None,
        }
    }
}

/// One cleanup suggestion for one paragraph.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The finding it comes from.
    pub finding: u32,
    /// What to do.
    pub action: Action,
    /// The paragraph it targets (index into `Corpus::prints`).
    pub target: PrintId,
    /// The edit that carries it out.
    pub edit: Edit,
    /// Whether `fix` applies it by default.
    pub applicability: Applicability,
    /// The copy that stays (none for boilerplate).
    pub keep: Option<PrintId>,
    /// Why, in words.
    pub reason: String,
    /// The repeated block the target belongs to.
    pub block: Option<u32>,
}

/// Derives suggestions from classified findings, ordered by document and position.
pub fn suggest(corpus: &Corpus, classified: &Classified, opts: &SuggestOptions) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = Vec::new();
    let mut taken: HashSet<PrintId> = HashSet::new();
    let mut kept: HashSet<PrintId> = HashSet::new();
    let mut pasted_kept: HashSet<PrintId> = HashSet::new();
    // Exact repeats first: they are the safe ones and win any conflict.
    for f in classified
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Exact && f.scope.has_within())
    {
        for (keep, later) in within_pairs(corpus, f) {
            kept.insert(keep);
            if taken.insert(later) {
                let block = block_of(f, later);
                out.push(Suggestion {
                    finding: f.id,
                    action: Action::Delete,
                    target: later,
                    edit: Edit::deletion(corpus.print(later).span),
                    applicability: Applicability::Safe,
                    keep: Some(keep),
                    reason: format!(
                        "exact repeat of the paragraph {}; the first copy is kept{}",
                        place(corpus, keep),
                        block.map_or(String::new(), |b| format!(" (repeated block B{b})"))
                    ),
                    block,
                });
            }
        }
    }
    // Boilerplate pasted twice into one article is an accidental paste too: the later
    // identical copies go, the first stays.
    for f in classified
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Boilerplate && f.scope.has_within())
    {
        for (keep, later) in within_pairs(corpus, f) {
            // The kept copy is not protected from `--suggest-boilerplate`, which may
            // remove it too, but no review takes it.
            if !same_text(f, keep, later) || !taken.insert(later) {
                continue;
            }
            pasted_kept.insert(keep);
            out.push(Suggestion {
                finding: f.id,
                action: Action::Delete,
                target: later,
                edit: Edit::deletion(corpus.print(later).span),
                applicability: Applicability::Safe,
                keep: Some(keep),
                reason: format!(
                    "boilerplate pasted twice: exact repeat of the paragraph {}; the first copy is kept",
                    place(corpus, keep)
                ),
                block: block_of(f, later),
            });
        }
    }
    // Near families overlap (a chain A≈B≈C, a text and one that holds it whole): a review
    // in one must not remove the only copy a document has of another finding's text.
    let only_copy = only_copies(corpus, classified);
    for f in classified
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Near && f.scope.has_within())
    {
        for (keep, other, why) in near_choices(corpus, f) {
            let anothers = only_copy
                .get(&other)
                .is_some_and(|ids| ids.iter().any(|&id| id != f.id));
            let protected = kept.contains(&other) || pasted_kept.contains(&other);
            if taken.contains(&other) || taken.contains(&keep) || protected || anothers {
                continue;
            }
            taken.insert(other);
            kept.insert(keep);
            let similarity = f
                .occurrences
                .iter()
                .find(|o| o.print == other)
                .map_or(f.similarity, |o| f64::from(o.similarity));
            out.push(Suggestion {
                finding: f.id,
                action: Action::Review,
                target: other,
                edit: Edit::deletion(corpus.print(other).span),
                applicability: Applicability::Unsafe,
                keep: Some(keep),
                reason: format!(
                    "near duplicate (similarity {similarity:.2}) of the paragraph {}; keep that one because {why}, then delete this one or merge the edits",
                    place(corpus, keep)
                ),
                block: block_of(f, other),
            });
        }
    }
    if opts.boilerplate {
        // A text can be boilerplate in one family and an editorial copy in another (a
        // footer line that is also the tail of an edited paragraph): it stays.
        let editorial: HashSet<PrintId> = classified
            .findings
            .iter()
            .filter(|f| f.kind != Kind::Boilerplate)
            .flat_map(|f| f.occurrences.iter().map(|o| o.print))
            .collect();
        for f in classified
            .findings
            .iter()
            .filter(|f| f.kind == Kind::Boilerplate)
        {
            for o in &f.occurrences {
                if kept.contains(&o.print) || editorial.contains(&o.print) || !taken.insert(o.print)
                {
                    continue;
                }
                out.push(Suggestion {
                    finding: f.id,
                    action: Action::Delete,
                    target: o.print,
                    edit: Edit::deletion(corpus.print(o.print).span),
                    applicability: Applicability::Unsafe,
                    keep: None,
                    reason: format!(
                        "boilerplate: recurs in {} documents of {} unrelated stories",
                        f.documents, f.stories
                    ),
                    block: None,
                });
            }
        }
    }
    out.sort_by_key(|s| s.target);
    debug_assert!(
        out.windows(2)
            .all(|w| !w[0].edit.span.overlaps(&w[1].edit.span)
                || corpus.print(w[0].target).at.doc != corpus.print(w[1].target).at.doc),
        "suggestions overlap"
    );
    out
}

/// For each paragraph, the editorial findings of which it is its document's only copy.
fn only_copies(corpus: &Corpus, classified: &Classified) -> HashMap<PrintId, Vec<u32>> {
    let mut only: HashMap<PrintId, Vec<u32>> = HashMap::new();
    for f in classified
        .findings
        .iter()
        .filter(|f| f.kind != Kind::Boilerplate)
    {
        for run in by_document(corpus, f).filter(|run| run.len() == 1) {
            only.entry(run[0].print).or_default().push(f.id);
        }
    }
    only
}

/// Within each document, the first occurrence and each later one.
/// Whether two occurrences of a finding have the same normalized text.
fn same_text(f: &Finding, a: PrintId, b: PrintId) -> bool {
    let text = |p: PrintId| f.occurrences.iter().find(|o| o.print == p).map(|o| o.text);
    text(a).is_some() && text(a) == text(b)
}

fn within_pairs(corpus: &Corpus, f: &Finding) -> Vec<(PrintId, PrintId)> {
    let mut pairs = Vec::new();
    for run in by_document(corpus, f) {
        pairs.extend(run[1..].iter().map(|o| (run[0].print, o.print)));
    }
    pairs
}

/// Within each document holding two or more variants of a near finding: which copy to
/// keep, which to review, and why. One copy per variant is considered (identical copies
/// are handled by the exact finding).
fn near_choices(corpus: &Corpus, f: &Finding) -> Vec<(PrintId, PrintId, &'static str)> {
    let support = |text: u32| f.occurrences.iter().filter(|o| o.text == text).count();
    let mut out = Vec::new();
    for run in by_document(corpus, f) {
        let mut variants: Vec<&crate::classify::Occurrence> = Vec::new();
        for o in run {
            if !variants.iter().any(|v| v.text == o.text) {
                variants.push(o);
            }
        }
        if variants.len() < 2 {
            continue;
        }
        // A copy that holds another whole plus a sentence is kept: removing it would
        // lose the sentence.
        let whole = variants.iter().any(|v| {
            matches!(
                v.edit,
                Some(matching::Edit::SentenceAdded | matching::Edit::SentenceDropped)
            )
        });
        let words = |o: &crate::classify::Occurrence| corpus.print(o.print).words;
        let keep = variants
            .iter()
            .max_by(|a, b| {
                let longer = if whole {
                    words(a).cmp(&words(b))
                } else {
                    std::cmp::Ordering::Equal
                };
                longer
                    .then(support(a.text).cmp(&support(b.text)))
                    .then(b.print.cmp(&a.print))
            })
            .expect("at least two variants");
        let best = support(keep.text);
        let tie = variants.iter().filter(|v| support(v.text) == best).count() > 1;
        let why = if whole {
            "it holds the other's sentences and more"
        } else if tie {
            "it is the earlier copy"
        } else {
            "more documents carry its wording"
        };
        for v in &variants {
            if v.print != keep.print {
                out.push((keep.print, v.print, why));
            }
        }
    }
    out
}

/// A finding's occurrences, one run per document (occurrences are in document order).
fn by_document<'a>(
    corpus: &'a Corpus,
    f: &'a Finding,
) -> impl Iterator<Item = &'a [crate::classify::Occurrence]> {
    f.occurrences
        .chunk_by(|a, b| corpus.print(a.print).at.doc == corpus.print(b.print).at.doc)
}

fn block_of(f: &Finding, print: PrintId) -> Option<u32> {
    f.occurrences
        .iter()
        .find(|o| o.print == print)
        .and_then(|o| o.block)
}

/// Where the kept copy is, in words: its line, or, inside a feed record (whose paragraphs
/// all share the record's line), its position in the record.
fn place(corpus: &Corpus, print: PrintId) -> String {
    let p = corpus.print(print);
    if corpus.documents[p.at.doc.0 as usize].record.is_some() {
        format!("at position {} in the record", p.at.index + 1)
    } else {
        format!("at line {}", p.lines.start)
    }
}
