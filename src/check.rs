//! Check: the pre-publish question. Do these new articles repeat themselves or each other
//! (a normal scan of them), and do they repeat something already published (a lookup of
//! each paragraph in the archive index)?
//!
//! An archived text a new paragraph matches is **boilerplate** rather than an editorial
//! match when, as in `scan`'s boilerplate rule, it recurs across unrelated stories and
//! sits in the page chrome of the new article: it is held by at least
//! [`BOILERPLATE_DOCUMENTS`] archived documents, at least one of which shares no other
//! paragraph with the new article (so the text spans another story, as a footer does),
//! and the new paragraph is in the article's leading or trailing run of short, heading,
//! page chrome or such boilerplate paragraphs. A copied wire paragraph in a new copy of
//! the same story stays an editorial match: every archived copy shares the story's other
//! paragraphs.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::classify::Kind;
use crate::corpus::DocId;
use crate::fingerprint::{Fingerprint, MinHasher};
use crate::index::{ArchiveHit, Index};
use crate::options::ScanOptions;
use crate::pipeline::PrintRules;
use crate::report::{ArchiveFinding, ArchivedView, Location, Report};

/// Archived documents that must hold a text before it can be boilerplate.
pub const BOILERPLATE_DOCUMENTS: u64 = 3;
/// Archived occurrences listed per match.
const OCCURRENCES_LISTED: usize = 20;

/// Scans `inputs` and looks every paragraph up in `index`. The report's `archive` list
/// holds the archive matches; an article that is itself in the index does not match
/// itself.
pub fn check(inputs: &[PathBuf], index: &Index, opts: &ScanOptions) -> crate::Result<Report> {
    let mut report = crate::scan(inputs, opts)?;
    let hasher = MinHasher::new();
    let threshold = opts.matching.threshold;
    let rules = PrintRules {
        min_words: opts.matching.min_words.max(index.min_words()),
        allow: &opts.matching.allow,
    };
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|cwd| std::fs::canonicalize(cwd).ok());
    let mut archive = Vec::new();
    for d in 0..report.documents.len() {
        let doc = DocId(d as u32);
        let source = report.file(doc).clone();
        let record = report.record(doc).cloned();
        let own_path = std::fs::canonicalize(&source.path)
            .ok()
            .map(|p| p.to_string_lossy().into_owned());
        // Read once more for the text (the scan keeps none); what each paragraph needs
        // is computed here, and the lookups, which can fail, follow.
        let mut paragraphs = Vec::new();
        report.text().paragraphs(doc, |p| {
            let mut words = Vec::new();
            let printed = rules.print(p, Some(&mut words));
            let at = Location {
                doc,
                lines: p.lines,
                span: p.span,
                paragraph: p.index,
                chrome: p.chrome,
            };
            let (text, long) = (printed.exact, printed.long);
            paragraphs.push((at, text, long.then_some(words), p.chrome));
        });
        let mut found: Vec<Paragraph> = Vec::new();
        for (at, text, words, chrome) in paragraphs {
            let Some(words) = words else {
                found.push((at, text, Vec::new(), true));
                continue;
            };
            let keys = hasher.signature(&words).band_keys();
            let mut hits =
                index.matches(text, Some((&words, &keys)), threshold, OCCURRENCES_LISTED)?;
            // The article itself, if it was indexed, is not the archive.
            for hit in &mut hits {
                let before = hit.occurrences.len();
                hit.occurrences.retain(|o| {
                    Some(&o.path) != own_path.as_ref()
                        || o.record != record.as_ref().map(|r| r.id.clone())
                });
                if hit.occurrences.len() < before {
                    hit.documents = hit.documents.saturating_sub(1);
                }
            }
            hits.retain(|h| h.documents > 0 && !h.occurrences.is_empty());
            found.push((at, text, hits, chrome));
        }
        archive.extend(classify_document(index, &found, cwd.as_deref())?);
    }
    for (i, f) in archive.iter_mut().enumerate() {
        f.id = i as u32 + 1;
    }
    report.stats.archive_exact = archive.iter().filter(|f| f.kind == Kind::Exact).count();
    report.stats.archive_near = archive.iter().filter(|f| f.kind == Kind::Near).count();
    report.stats.archive_boilerplate = archive
        .iter()
        .filter(|f| f.kind == Kind::Boilerplate)
        .count();
    report.archive = archive;
    Ok(report)
}

/// Turns one new document's hits into archive findings, telling editorial matches from
/// boilerplate. `found` holds every paragraph of the document in order: its location, its
/// hits, and whether it counts as chrome on its own (short, heading or page chrome).
/// A new paragraph: where, its text's fingerprint, its archive hits, and whether it counts
/// as chrome on its own (short, heading, page chrome or suppressed).
type Paragraph = (Location, Fingerprint, Vec<ArchiveHit>, bool);

fn classify_document(
    index: &Index,
    found: &[Paragraph],
    cwd: Option<&Path>,
) -> crate::Result<Vec<ArchiveFinding>> {
    let matched: HashSet<i64> = found
        .iter()
        .flat_map(|(_, _, hits, _)| hits.iter().map(|h| h.text))
        .collect();
    let mut candidate = vec![false; found.len()];
    // Archived documents' texts, each fetched once (a footer's documents recur).
    let mut texts_of: HashMap<i64, Vec<i64>> = HashMap::new();
    for (i, (_, _, hits, _)) in found.iter().enumerate() {
        // The texts this paragraph matched (an edited footer matches several variants).
        let own: HashSet<i64> = hits.iter().map(|h| h.text).collect();
        if hits.iter().map(|h| h.documents).sum::<u64>() < BOILERPLATE_DOCUMENTS {
            continue;
        }
        // Boilerplate spans stories: some archived document holding the text is not a
        // copy of the new article's story (shares none of its other matched paragraphs).
        let mut seen = HashSet::new();
        for o in hits.iter().flat_map(|h| &h.occurrences) {
            if !seen.insert(o.document) {
                continue;
            }
            let texts = match texts_of.entry(o.document) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(index.document_texts(o.document)?)
                }
            };
            if !texts
                .iter()
                .any(|t| !own.contains(t) && matched.contains(t))
            {
                candidate[i] = true;
                break;
            }
        }
    }
    // Leading and trailing runs of chrome-like paragraphs.
    let chrome_like = |i: usize| found[i].3 || candidate[i];
    let lead = (0..found.len()).take_while(|&i| chrome_like(i)).count();
    let trail = (0..found.len())
        .rev()
        .take_while(|&i| chrome_like(i))
        .count();
    let edge = |i: usize| i < lead || i >= found.len() - trail;
    let mut out = Vec::new();
    for (i, (at, fingerprint, hits, _)) in found.iter().enumerate() {
        if hits.is_empty() {
            continue;
        }
        let best = hits.iter().map(|h| h.similarity).fold(0.0, f64::max);
        let kind = if candidate[i] && edge(i) {
            Kind::Boilerplate
        } else if hits.iter().any(|h| h.exact) {
            Kind::Exact
        } else {
            Kind::Near
        };
        let mut archived = Vec::new();
        let mut documents = 0;
        for hit in hits {
            documents += hit.documents;
            archived.extend(hit.occurrences.iter().map(|o| ArchivedView {
                path: shown(&o.path, cwd),
                record: o.record.clone(),
                lines: o.lines,
                span: o.span,
                similarity: hit.similarity,
            }));
        }
        archived.truncate(OCCURRENCES_LISTED);
        out.push(ArchiveFinding {
            id: 0,
            kind,
            similarity: best,
            at: *at,
            archived,
            archived_documents: documents,
            fingerprint: *fingerprint,
        });
    }
    Ok(out)
}

/// An archived path as reports show it: relative to the (canonical) current directory
/// when inside it, else absolute.
fn shown(path: &str, cwd: Option<&Path>) -> String {
    let path = Path::new(path);
    cwd.and_then(|cwd| path.strip_prefix(cwd).ok())
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}
