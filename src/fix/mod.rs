//! Fix: turn a report's suggestions into edited files, and write them safely.
//!
//! [`plan`] reads every file with something to remove again, checks it is byte for byte
//! what was scanned (content hash), finds each target paragraph by its span, widens it to
//! the bytes that make the result read as if written that way (see `removal.rs`), and splices
//! them out of the original bytes. Nothing is re-encoded: BOM, encoding, line endings and
//! every byte outside the removed ranges stay as they were. [`write`] replaces files
//! atomically. The patch report renders the same plans as a unified diff, so a patch and
//! `fix --write` always agree.

mod patch;
mod removal;
mod write;

pub use patch::Patch;

pub use write::{WriteOptions, write_plan};

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use rayon::prelude::*;

use crate::classify::Kind;
use crate::corpus::text::FileText;
use crate::error::FileError;
use crate::ingest::Document;
use crate::report::{Report, SuggestionView};
use crate::suggest::{Action, Applicability};

/// Which suggestions `fix` applies. Cross-document copies never have one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    /// Also remove within-document near duplicates (keeping the copy each suggestion
    /// names).
    pub near: bool,
    /// Also remove boilerplate paragraphs (needs a scan with boilerplate suggestions).
    pub boilerplate: bool,
}

impl Selection {
    /// Whether `fix` applies this suggestion: every `Safe` one (the accidental pastes),
    /// near-duplicate reviews with `near`, boilerplate deletions with `boilerplate`.
    pub fn takes(self, report: &Report, s: &SuggestionView) -> bool {
        if s.applicability == Applicability::Safe {
            return matches!(s.action, Action::Delete | Action::Replace);
        }
        // Ids are 1-based positions; the search is only a fallback.
        let kind = report
            .findings
            .get((s.finding as usize).wrapping_sub(1))
            .filter(|f| f.id == s.finding)
            .or_else(|| report.findings.iter().find(|f| f.id == s.finding))
            .map(|f| f.kind);
        match (s.action, kind) {
            (Action::Review, Some(Kind::Near)) => self.near,
            (Action::Delete, Some(Kind::Boilerplate)) => self.boilerplate,
            _ => false,
        }
    }
}

/// How many times `fix --write` scans and writes at most. Removing a paragraph can leave
/// a new repeat behind (in tag soup, an element's removal changes how its neighbours
/// parse), so like ruff it fixes again the files it wrote until nothing is left to take.
/// Every round removes bytes, so this ends; the cap (ruff's) only bounds the time.
pub const MAX_ROUNDS: usize = 100;

/// One paragraph's removal from one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Removal {
    /// Bytes removed from the file on disk.
    pub bytes: Range<u64>,
    /// Index of the suggestion in [`Report::suggestions`].
    pub suggestion: usize,
}

/// The edit of one file: its bytes before and after.
#[derive(Clone, Debug)]
pub struct FilePlan {
    /// Index of the file in [`Report::sources`].
    pub source: usize,
    /// The bytes scanned.
    pub original: Vec<u8>,
    /// The bytes after the removals.
    pub fixed: Vec<u8>,
    /// What was removed, in file order.
    pub removals: Vec<Removal>,
}

/// Plans the removals `selection` takes from `report`, per file in path order. A file that
/// changed since the scan, or cannot be read, is an error and is left out.
pub fn plan(report: &Report, selection: Selection) -> (Vec<FilePlan>, Vec<FileError>) {
    // Suggestions by file, files in path (source) order.
    let mut by_source: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, s) in report.suggestions.iter().enumerate() {
        if selection.takes(report, s) {
            let source = report.documents[s.at.doc.0 as usize].source as usize;
            by_source.entry(source).or_default().push(i);
        }
    }
    let by_source: Vec<(usize, Vec<usize>)> = by_source.into_iter().collect();
    let results: Vec<Result<FilePlan, FileError>> = by_source
        .par_iter()
        .map(|(source, suggestions)| plan_file(report, *source, suggestions))
        .collect();
    let mut plans = Vec::new();
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(plan) if !plan.removals.is_empty() => plans.push(plan),
            Ok(_) => {}
            Err(err) => errors.push(err),
        }
    }
    (plans, errors)
}

fn plan_file(report: &Report, source: usize, suggestions: &[usize]) -> Result<FilePlan, FileError> {
    let file = &report.sources[source];
    let error = |reason: &str| FileError::new(&file.shown_path, reason);
    let changed = || error("changed since it was scanned; not fixed");
    let FileText {
        original,
        documents,
    } = report
        .text()
        .edit(source, report.hashes[source])?
        .ok_or_else(changed)?;
    let mut removals = Vec::with_capacity(suggestions.len());
    for &i in suggestions {
        let s = &report.suggestions[i];
        let record = report.record(s.at.doc).map(|r| r.number);
        let document = documents
            .iter()
            .find(|d| d.record.as_ref().map(|r| r.number) == record)
            .ok_or_else(changed)?;
        let bytes = removal_on_disk(report, document, s).ok_or_else(changed)?;
        removals.push(Removal {
            bytes,
            suggestion: i,
        });
    }
    removals.sort_by_key(|r| r.bytes.start);
    let fixed = splice(&original, &removals);
    Ok(FilePlan {
        source,
        original,
        fixed,
        removals,
    })
}

/// The bytes on disk that removing the suggestion's target takes, found by segmenting
/// the document again and matching the target's span.
fn removal_on_disk(report: &Report, document: &Document, s: &SuggestionView) -> Option<Range<u64>> {
    let paragraphs = report.text().segment(document);
    let paragraph = paragraphs
        .iter()
        .find(|p| p.index == s.at.paragraph && p.span == s.at.span)?;
    let mut range = removal::removal(&document.text, document.format, paragraph);
    // Whole lines and separators never reach into another paragraph, even where tag soup
    // puts one on the same line (its text must survive byte for byte).
    let own = &paragraph.text_range;
    for other in paragraphs.iter().filter(|q| q.index != paragraph.index) {
        let theirs = &other.text_range;
        if theirs.start >= range.end || theirs.end <= range.start {
            continue;
        }
        if theirs.start >= own.end {
            range.end = range.end.min(theirs.start);
        } else if theirs.end <= own.start {
            range.start = range.start.max(theirs.end);
        }
    }
    let to_disk = |at: usize| document.offsets.to_disk(&document.text, at);
    Some(to_disk(range.start)..to_disk(range.end))
}

/// A file [`write_until_settled`] wrote, in one of its rounds.
#[derive(Clone, Debug)]
pub struct Written {
    /// The file as reports show it.
    pub shown_path: String,
    /// The file as reachable from the current directory (what the command line prints).
    pub display_path: String,
    /// Paragraphs removed in this round.
    pub removed: usize,
    /// The findings they belonged to, in file order, consecutive repeats merged.
    pub findings: Vec<u32>,
    /// 0 for the removals planned from `report`, 1 and up for those found after them.
    pub round: usize,
}

/// Writes what `selection` takes from `report`, then scans again (`rescan`) and fixes
/// again the files it wrote, until a round writes nothing or [`MAX_ROUNDS`] have run.
/// Only a file's first write keeps a backup, so `FILE.orig` is the original. Files that
/// cannot be fixed are errors, and the others are still written.
pub fn write_until_settled<E>(
    mut report: Report,
    selection: Selection,
    backup: bool,
    mut rescan: impl FnMut() -> Result<Report, E>,
) -> Result<(Vec<Written>, Vec<FileError>), E> {
    let mut written: Vec<Written> = Vec::new();
    let mut errors = Vec::new();
    // The files the last round wrote; later rounds fix only those (None: every file).
    let mut last_round: Option<BTreeSet<String>> = None;
    for round in 0..MAX_ROUNDS {
        if round > 0 {
            report = rescan()?;
        }
        let (mut plans, mut plan_errors) = plan(&report, selection);
        if let Some(last) = &last_round {
            plans.retain(|p| last.contains(&report.sources[p.source].shown_path));
            plan_errors.retain(|e| last.contains(&e.path));
        }
        errors.append(&mut plan_errors);
        let mut this_round = BTreeSet::new();
        for plan in &plans {
            let source = &report.sources[plan.source];
            let first_write = !written.iter().any(|w| w.shown_path == source.shown_path);
            let options = WriteOptions {
                backup: backup && first_write,
            };
            match write_plan(&report, plan, options) {
                Ok(()) => {
                    let mut findings: Vec<u32> = plan
                        .removals
                        .iter()
                        .map(|r| report.suggestions[r.suggestion].finding)
                        .collect();
                    findings.dedup();
                    written.push(Written {
                        shown_path: source.shown_path.clone(),
                        display_path: source.display_path().into_owned(),
                        removed: plan.removals.len(),
                        findings,
                        round,
                    });
                    this_round.insert(source.shown_path.clone());
                }
                Err(err) => errors.push(err),
            }
        }
        if this_round.is_empty() {
            break;
        }
        last_round = Some(this_round);
    }
    Ok((written, errors))
}

/// `original` without the removed ranges (overlapping ranges remove their union).
fn splice(original: &[u8], removals: &[Removal]) -> Vec<u8> {
    let mut fixed = Vec::with_capacity(original.len());
    let mut at = 0usize;
    for r in removals {
        let (start, end) = (r.bytes.start as usize, r.bytes.end as usize);
        if start > at {
            fixed.extend_from_slice(&original[at..start]);
        }
        at = at.max(end);
    }
    fixed.extend_from_slice(original.get(at..).unwrap_or_default());
    fixed
}
