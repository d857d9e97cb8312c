//! Report: the finished result, resolved to paths, lines and text, and its renderers.
//!
//! [`Report`] is built once from the pipeline's output (reading back the original text of
//! every reported paragraph); each output format is one module implementing [`Render`].

pub mod annotation;
mod baseline;
pub mod diff;
mod github;
mod html;
mod json;
mod markdown;
mod sarif;
pub mod show;
mod text;

pub use baseline::Baseline;
pub use github::Github;
pub use html::Html;
pub use json::Json;
pub use markdown::Markdown;
pub use sarif::Sarif;
pub use text::Text;

use std::io;

use crate::classify::{Classified, Kind, Paste, Scope, Template};
use crate::corpus::DocId;
use crate::corpus::text::TextReader;
pub use crate::corpus::text::{ParagraphText, Texts};
use crate::corpus::{Corpus, DocumentInfo, PrintId};
use crate::corpus::{Record, Source};
use crate::error::{FileError, FileWarning};
use crate::matching::Edit;
use crate::options::{ReadOptions, SegmentOptions};
use crate::span::{LineRange, Span};
use crate::suggest::{Action, Applicability, Suggestion};

/// Renders a finished report in one output format.
pub trait Render {
    /// Writes the report to `out`.
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()>;
}

/// Output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Human-readable, grouped by finding, `path:line` references (default).
    Text,
    /// Machine-readable JSON, schema version 2 (see README).
    Json,
    /// A unified diff of the removals `fix` would make (`git apply`, `patch -p1`).
    Patch,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// GitHub Actions workflow commands (annotations on the pull request).
    Github,
    /// One self-contained HTML page to review in a browser.
    Html,
    /// Compact Markdown for pull-request comments and chat.
    Markdown,
}

/// Which findings make a run fail (exit code 1).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    /// Never fail because of findings.
    Never,
    /// Exact repeats inside one document.
    WithinExact,
    /// Exact or near repeats inside one document (default).
    Within,
    /// `check`: also paragraphs already published (exact matches in the archive).
    ArchiveExact,
    /// `check`: also near matches in the archive.
    ArchiveNear,
    /// Also duplicates across documents.
    Across,
    /// Any finding, boilerplate included.
    Any,
}

/// Where a paragraph is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// The document (index into [`Report::documents`]).
    pub doc: DocId,
    /// Lines, 1-based inclusive.
    pub lines: LineRange,
    /// Bytes, 0-based, end exclusive.
    pub span: Span,
    /// 0-based paragraph index in its document.
    pub paragraph: u32,
    /// Page chrome (HTML navigation, header, footer, share widgets), not article body.
    pub chrome: bool,
}

/// One occurrence of a finding, with its original text.
#[derive(Clone, Debug, PartialEq)]
pub struct OccurrenceView {
    /// Where it is. The original text is read back from disk when a renderer needs it
    /// ([`Report::texts`]), so a report of a large archive does not hold the archive.
    pub at: Location,
    /// 1-based variant number inside the finding (always 1 for exact findings).
    pub variant: u32,
    /// Verified similarity to the representative.
    pub similarity: f32,
    /// MinHash estimate against the representative (near findings).
    pub estimate: Option<f32>,
    /// The edit verification saw against the representative (near findings): shown
    /// when it moved or added sentences ([`Edit::name`]).
    pub edit: Option<Edit>,
    /// Repeated block it belongs to.
    pub block: Option<u32>,
    /// Whether this is the copy others were compared against.
    pub representative: bool,
    /// Fingerprint of the normalized text (what an allowlist entry can name).
    pub fingerprint: crate::fingerprint::Fingerprint,
}

/// A finding, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct FindingView {
    /// 1-based id (`F{id}`).
    pub id: u32,
    /// Kind.
    pub kind: Kind,
    /// Scope.
    pub scope: Scope,
    /// Lowest pairwise similarity.
    pub similarity: f64,
    /// Lowest MinHash estimate (near findings).
    pub estimate: Option<f64>,
    /// Occurrences by path and position.
    pub occurrences: Vec<OccurrenceView>,
    /// Documents it spans.
    pub documents: usize,
    /// Stories it spans.
    pub stories: usize,
    /// Related findings (exact ↔ near of the same paragraph).
    pub related: Vec<u32>,
    /// A long paragraph repeated inside one document: gates at `within` whatever its kind.
    pub pasted: Option<crate::classify::Paste>,
    /// The source template it is folded into (`T{id}`), for boilerplate.
    pub template: Option<u32>,
}

impl FindingView {
    /// The copy the others were compared against (the first, if none is marked).
    pub fn representative(&self) -> &OccurrenceView {
        self.occurrences
            .iter()
            .find(|o| o.representative)
            .unwrap_or(&self.occurrences[0])
    }
}

/// A contiguous run of paragraphs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// Lines from the first paragraph's first line to the last paragraph's last line.
    pub lines: LineRange,
    /// Bytes from the first paragraph's start to the last paragraph's end.
    pub span: Span,
    /// Paragraph indices.
    pub paragraphs: Vec<u32>,
}

/// A repeated block, resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockView {
    /// 1-based id (`B{id}`).
    pub id: u32,
    /// The document.
    pub doc: DocId,
    /// The first copy.
    pub first: Run,
    /// The repeat.
    pub repeat: Run,
    /// Whether each repeated paragraph is identical to its counterpart.
    pub exact: bool,
    /// Per-paragraph findings pairing the copies.
    pub findings: Vec<u32>,
}

/// A suggestion, resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct SuggestionView {
    /// Finding id.
    pub finding: u32,
    /// What to do.
    pub action: Action,
    /// Whether `fix` applies it by default.
    pub applicability: Applicability,
    /// The paragraph it targets.
    pub at: Location,
    /// The copy that stays.
    pub keep: Option<Location>,
    /// Why.
    pub reason: String,
    /// Repeated block.
    pub block: Option<u32>,
}

/// A paragraph that is a near copy of an approved one: the footer with an old phone
/// number.
#[derive(Clone, Debug, PartialEq)]
pub struct DriftView {
    /// The paragraph.
    pub at: Location,
    /// The approved paragraph's name.
    pub approved: String,
    /// The approved text (when it was given by text).
    pub approved_text: Option<String>,
    /// Word-level similarity to it.
    pub similarity: f64,
    /// Fingerprint of the paragraph's normalized text.
    pub fingerprint: crate::fingerprint::Fingerprint,
}

/// A new paragraph that matches archived ones (`check`).
#[derive(Clone, Debug, PartialEq)]
pub struct ArchiveFinding {
    /// 1-based id (`A{id}`).
    pub id: u32,
    /// Exact, near, or boilerplate (page chrome the archive holds across stories).
    pub kind: Kind,
    /// Best verified similarity to an archived text.
    pub similarity: f64,
    /// The new paragraph.
    pub at: Location,
    /// Some archived occurrences, exact ones first.
    pub archived: Vec<ArchivedView>,
    /// Archived documents holding the matched texts.
    pub archived_documents: u64,
    /// Fingerprint of the new paragraph's normalized text.
    pub fingerprint: crate::fingerprint::Fingerprint,
}

/// An archived paragraph, as reports show it.
#[derive(Clone, Debug, PartialEq)]
pub struct ArchivedView {
    /// Path (relative to the current directory when inside it).
    pub path: String,
    /// Feed record id.
    pub record: Option<String>,
    /// Lines in the archived file.
    pub lines: LineRange,
    /// Bytes in the archived file.
    pub span: Span,
    /// Similarity to the new paragraph.
    pub similarity: f64,
}

/// Counts for the summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Documents read.
    pub documents: usize,
    /// Paragraphs segmented (all kinds).
    pub paragraphs: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Stories the documents form (see the boilerplate rule).
    pub stories: usize,
    /// Candidate pairs LSH proposed for verification.
    pub candidate_pairs: usize,
    /// Findings per kind.
    pub exact: usize,
    /// Near findings.
    pub near: usize,
    /// Boilerplate findings.
    pub boilerplate: usize,
    /// `check`: new paragraphs identical to archived ones.
    pub archive_exact: usize,
    /// `check`: new paragraphs near archived ones.
    pub archive_near: usize,
    /// `check`: archive matches that are boilerplate.
    pub archive_boilerplate: usize,
}

/// Settings the report was produced with (echoed in JSON).
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// Near-duplicate threshold.
    pub threshold: f64,
    /// Minimum words.
    pub min_words: usize,
    /// Whether near detection was skipped.
    pub exact_only: bool,
}

/// Wall-clock time per stage, in milliseconds. Timing is the only part of a report that
/// differs between two runs on the same input.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timing {
    /// Stage name and milliseconds, in pipeline order.
    pub stages: Vec<(&'static str, f64)>,
    /// Whole scan.
    pub total_ms: f64,
}

/// The finished result of a scan.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Every file found (unreadable ones included).
    pub sources: Vec<Source>,
    /// Every document read, indexed by `DocId`: which source, which record.
    pub documents: Vec<DocumentInfo>,
    /// Per source: content hash of the bytes scanned (`None`: not read).
    pub hashes: Vec<Option<u64>>,
    /// How documents were read and segmented (to read their text again).
    pub read: ReadOptions,
    /// See `read`.
    pub segment: SegmentOptions,
    /// Counts.
    pub stats: Stats,
    /// Settings used.
    pub settings: Settings,
    /// Findings, sorted by first occurrence.
    pub findings: Vec<FindingView>,
    /// Repeated blocks.
    pub blocks: Vec<BlockView>,
    /// Source templates: boilerplate findings folded per source, by source name.
    pub templates: Vec<Template>,
    /// Suggestions, by path and position.
    pub suggestions: Vec<SuggestionView>,
    /// `check`: new paragraphs found in the archive index.
    pub archive: Vec<ArchiveFinding>,
    /// Paragraphs that are near copies of an approved (allowlisted) text.
    pub drift: Vec<DriftView>,
    /// Files that could not be read.
    pub errors: Vec<FileError>,
    /// Files read with a problem.
    pub warnings: Vec<FileWarning>,
    /// Time per stage.
    pub timing: Timing,
}

/// Inputs of [`Report::build`] that are not the corpus.
pub struct Parts {
    /// Findings and blocks.
    pub classified: Classified,
    /// Suggestions.
    pub suggestions: Vec<Suggestion>,
    /// Unreadable files.
    pub errors: Vec<FileError>,
    /// Warnings.
    pub warnings: Vec<FileWarning>,
    /// Settings.
    pub settings: Settings,
    /// Candidate pairs.
    pub candidate_pairs: usize,
    /// Paragraphs that drifted from an approved text.
    pub drift: Vec<(crate::corpus::ParaRef, crate::allow::Approved, f64)>,
}

impl Report {
    /// Resolves findings, blocks and suggestions to paths, lines and original text.
    pub fn build(corpus: &Corpus, parts: Parts) -> Report {
        let Parts {
            classified,
            suggestions,
            errors,
            warnings,
            settings,
            candidate_pairs,
            drift,
        } = parts;
        let location = |print: PrintId| {
            let p = corpus.print(print);
            Location {
                doc: p.at.doc,
                lines: p.lines,
                span: p.span,
                paragraph: p.at.index,
                chrome: p.chrome,
            }
        };
        let Classified {
            findings: classified_findings,
            blocks: classified_blocks,
            templates,
            stories,
        } = classified;
        // Consumed one by one so the domain findings are freed as views are built.
        let findings: Vec<FindingView> = classified_findings
            .into_iter()
            .map(|f| {
                let mut variants: Vec<u32> = Vec::new();
                let occurrences =
                    f.occurrences
                        .iter()
                        .enumerate()
                        .map(|(i, o)| {
                            let variant = variants
                                .iter()
                                .position(|&t| t == o.text)
                                .unwrap_or_else(|| {
                                    variants.push(o.text);
                                    variants.len() - 1
                                });
                            OccurrenceView {
                                at: location(o.print),
                                variant: variant as u32 + 1,
                                similarity: o.similarity,
                                estimate: o.estimate,
                                edit: o.edit,
                                block: o.block,
                                representative: i == f.representative,
                                fingerprint: corpus.print(o.print).exact,
                            }
                        })
                        .collect();
                FindingView {
                    id: f.id,
                    kind: f.kind,
                    scope: f.scope,
                    similarity: f.similarity,
                    estimate: f.estimate,
                    occurrences,
                    documents: f.documents,
                    stories: f.stories,
                    related: f.related,
                    pasted: f.pasted,
                    template: f.template,
                }
            })
            .collect();
        let run = |prints: &[PrintId]| {
            let first = corpus.print(prints[0]);
            let last = corpus.print(prints[prints.len() - 1]);
            Run {
                lines: LineRange {
                    start: first.lines.start,
                    end: last.lines.end,
                },
                span: Span::new(first.span.start, last.span.end),
                paragraphs: prints.iter().map(|&p| corpus.print(p).at.index).collect(),
            }
        };
        let blocks = classified_blocks
            .iter()
            .map(|b| BlockView {
                id: b.id,
                doc: corpus.print(b.first[0]).at.doc,
                first: run(&b.first),
                repeat: run(&b.repeat),
                exact: b.exact,
                findings: b.findings.clone(),
            })
            .collect();
        let suggestions = suggestions
            .iter()
            .map(|s| SuggestionView {
                finding: s.finding,
                action: s.action,
                applicability: s.applicability,
                at: location(s.target),
                keep: s.keep.map(location),
                reason: s.reason.clone(),
                block: s.block,
            })
            .collect();
        let drift = drift
            .into_iter()
            .map(|(at, approved, similarity)| DriftView {
                at: location(corpus.print_index(at)),
                fingerprint: corpus.print(corpus.print_index(at)).exact,
                approved: approved.name,
                approved_text: approved.text,
                similarity,
            })
            .collect();
        let count = |kind| findings.iter().filter(|f| f.kind == kind).count();
        let stats = Stats {
            documents: corpus.document_count(),
            paragraphs: corpus.prints.len(),
            bytes: corpus.bytes,
            stories,
            candidate_pairs,
            exact: count(Kind::Exact),
            near: count(Kind::Near),
            boilerplate: count(Kind::Boilerplate),
            ..Stats::default()
        };
        Report {
            sources: corpus.sources.clone(),
            documents: corpus.documents.clone(),
            hashes: corpus.hashes.clone(),
            read: corpus.read.clone(),
            segment: corpus.segment,
            stats,
            settings,
            findings,
            blocks,
            templates,
            suggestions,
            archive: Vec::new(),
            drift,
            errors,
            warnings,
            timing: Timing::default(),
        }
    }

    /// Whether any finding is at or above `level`.
    pub fn fails(&self, level: FailOn) -> bool {
        // A paste gates as a paste, whatever else the finding is: a lede repeated inside
        // a story is no less a mistake because briefs elsewhere carry it too.
        let findings = self.findings.iter().any(|f| match f.kind {
            _ if f.pasted == Some(Paste::Exact) => level >= FailOn::WithinExact,
            _ if f.pasted.is_some() => level >= FailOn::Within,
            Kind::Boilerplate => level >= FailOn::Any,
            _ if f.scope.has_within() => level >= FailOn::Within,
            _ => level >= FailOn::Across,
        });
        let archive = self.archive.iter().any(|a| match a.kind {
            Kind::Exact => level >= FailOn::ArchiveExact,
            Kind::Near => level >= FailOn::ArchiveNear,
            Kind::Boilerplate => level >= FailOn::Any,
        });
        let drift = !self.drift.is_empty() && level >= FailOn::Across;
        findings || archive || drift
    }
}

impl Report {
    /// The finding with this id (findings are sorted by id; a baseline may leave gaps).
    pub fn finding(&self, id: u32) -> Option<&FindingView> {
        self.findings
            .binary_search_by_key(&id, |f| f.id)
            .ok()
            .map(|i| &self.findings[i])
    }

    /// The template with this id (templates are sorted by id).
    pub fn template(&self, id: u32) -> Option<&Template> {
        self.templates
            .binary_search_by_key(&id, |t| t.id)
            .ok()
            .map(|i| &self.templates[i])
    }

    /// The file a document is in.
    pub fn file(&self, doc: DocId) -> &Source {
        &self.sources[self.documents[doc.0 as usize].source as usize]
    }

    /// The feed record a document is, if it is one.
    pub fn record(&self, doc: DocId) -> Option<&Record> {
        self.documents[doc.0 as usize].record.as_ref()
    }

    /// The door back to the reported text (`corpus::text`).
    pub fn text(&self) -> TextReader<'_> {
        TextReader::new(&self.sources, &self.documents, &self.read, self.segment)
    }

    /// Reads the text at `locations` back from disk (see [`TextReader::texts`]).
    pub fn texts<'a>(&self, locations: impl Iterator<Item = &'a Location>) -> Texts {
        self.text().texts(locations.map(|l| (l.doc, l.span)))
    }
}

impl Report {
    /// Findings in batches of [`TEXT_BATCH`], each with the original text of its
    /// occurrences read from disk. Renderers walk this instead of the findings directly.
    pub fn finding_batches(&self) -> impl Iterator<Item = (&[FindingView], Texts)> {
        self.findings.chunks(TEXT_BATCH).map(|batch| {
            let texts = self.texts(
                batch
                    .iter()
                    .flat_map(|f| f.occurrences.iter().map(|o| &o.at)),
            );
            (batch, texts)
        })
    }
}

/// How many findings a renderer resolves text for at a time.
pub const TEXT_BATCH: usize = 512;
