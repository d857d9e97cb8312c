//! JSON report, schema version 2 (documented in the README).
//!
//! The wire types below are private and built from the domain types, so an internal
//! rename cannot silently change the public schema (ripgrep's `jsont.rs`).
//!
//! Version 2 carries each distinct paragraph text once, in a `texts` table at the end
//! that occurrences, archive matches and drift refer to by index: a wire story
//! syndicated to forty sites is one text and forty places, not forty copies of it
//! (version 1 repeated the text and fingerprint at every occurrence, 1.2 bytes of
//! report per byte of input on the 100 MB bench corpus).

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::{self, BufRead, Seek, Write};

use rayon::prelude::*;
use serde::Serialize;
use serde::ser::{Error as _, SerializeSeq, Serializer};
use serde_json::value::RawValue;

use super::{BlockView, FindingView, Location, Render, Report, Run, SuggestionView};
use crate::corpus::DocId;
use crate::error::{FileError, FileWarning};
use crate::fingerprint::Fingerprint;
use crate::span::{LineRange, Span};

/// The schema version this module writes (`show` and baselines also read version 1).
pub const VERSION: u32 = 2;

/// Renders [`Report`] as JSON, one finding, suggestion or text per line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

impl Render for Json {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let mut table = TextTable::new();
        let placed = Placed::read(report, &mut table)?;
        let table = RefCell::new(Some(table));
        let wire = JsonReport::new(report, &placed, &table);
        let mut serializer = serde_json::Serializer::with_formatter(&mut *out, LineFormatter(0));
        wire.serialize(&mut serializer)
            .map_err(|e| match e.io_error_kind() {
                Some(kind) => io::Error::from(kind), // keeps BrokenPipe recognisable
                None => io::Error::other(e),
            })?;
        writeln!(out)
    }
}

/// Compact JSON with a line break before each top-level field and each element of a
/// top-level list: one finding, suggestion or text per line, so `grep`, `less` and
/// `git diff` work on a report that is a third smaller than pretty-printed (68 vs 96 MB
/// on the 100 MB bench corpus). The number is the nesting depth.
struct LineFormatter(usize);

impl serde_json::ser::Formatter for LineFormatter {
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0 += 1;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0 -= 1;
        w.write_all(if self.0 == 0 { b"\n}" } else { b"}" })
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0 += 1;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0 -= 1;
        w.write_all(b"]")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        separator(w, first, self.0 == 1)
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        separator(w, first, self.0 == 2)
    }
}

/// What goes before a field or element: a comma unless it is the first, then a line
/// break if it starts a line.
fn separator<W: ?Sized + io::Write>(w: &mut W, first: bool, line: bool) -> io::Result<()> {
    if !first {
        w.write_all(b",")?;
    }
    if line {
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// The `texts` table: each distinct (text, fingerprint) gets the next index the first
/// time a place shows it, and its entry is spooled (to an unnamed temporary file, or
/// memory if there is no temporary folder) until the table is written last, so the text
/// of a large report is never held in memory.
struct TextTable {
    index: HashMap<(u128, Fingerprint), u32>,
    spool: io::BufWriter<Box<dyn Spool>>,
}

/// Where table lines wait: an unnamed temporary file, or memory.
trait Spool: io::Read + io::Write + Seek {}
impl<T: io::Read + io::Write + Seek> Spool for T {}

/// One entry of the `texts` table.
#[derive(Serialize)]
struct JsonText<'a> {
    fingerprint: String,
    text: &'a str,
}

/// A place's text, ready for the table: the place (document, start byte), what tells
/// the text apart from other texts, its line of the table (compact JSON and a newline)
/// and its HTML element, all made where the text was read.
struct Entry {
    place: (DocId, u64),
    key: (u128, Fingerprint),
    line: Vec<u8>,
    element: Option<String>,
}

impl Entry {
    fn new(at: &Location, fingerprint: Fingerprint, text: super::ParagraphText) -> Entry {
        let entry = JsonText {
            fingerprint: fingerprint.to_string(),
            text: &text.text,
        };
        let mut line = serde_json::to_vec(&entry).expect("a string and a fingerprint serialize");
        line.push(b'\n');
        Entry {
            place: (at.doc, at.span.start),
            key: (
                xxhash_rust::xxh3::xxh3_128(text.text.as_bytes()),
                fingerprint,
            ),
            line,
            element: text.element,
        }
    }
}

impl TextTable {
    fn new() -> Self {
        let spool: Box<dyn Spool> = match tempfile::tempfile() {
            Ok(file) => Box::new(file),
            Err(_) => Box::new(io::Cursor::new(Vec::new())),
        };
        TextTable {
            index: HashMap::new(),
            spool: io::BufWriter::with_capacity(1 << 16, spool),
        }
    }

    /// The index of `entry` in the table, adding it if it is new.
    fn insert(&mut self, entry: &Entry) -> io::Result<u32> {
        let next = self.index.len() as u32;
        let index = *self.index.entry(entry.key).or_insert(next);
        if index == next {
            self.spool.write_all(&entry.line)?;
        }
        Ok(index)
    }

    /// Writes the spooled entries as the elements of `seq`, in index order.
    fn drain<S: SerializeSeq>(self, seq: &mut S) -> Result<(), S::Error> {
        let mut spool = self.spool.into_inner().map_err(spool_error)?;
        spool.rewind().map_err(spool_error)?;
        let mut lines = io::BufReader::with_capacity(1 << 16, spool);
        let mut line = String::new();
        loop {
            line.clear();
            let n = lines.read_line(&mut line).map_err(spool_error)?;
            if n == 0 {
                return Ok(());
            }
            let raw: &RawValue = serde_json::from_str(line.trim_end()).map_err(spool_error)?;
            seq.serialize_element(raw)?;
        }
    }
}

fn spool_error<E: serde::ser::Error>(e: impl std::fmt::Display) -> E {
    E::custom(format!("spooling the report's texts: {e}"))
}

/// The text and fingerprint of an occurrence, archive match or drift entry of a saved
/// report of either version (version 1 carried both inline, version 2 an index into
/// `texts`).
pub fn saved_text<'r>(report: &'r serde_json::Value, item: &'r serde_json::Value) -> SavedText<'r> {
    let entry = match item["text"].as_u64() {
        Some(i) => &report["texts"][i as usize],
        None => item,
    };
    SavedText {
        text: entry["text"].as_str().unwrap_or_default(),
        fingerprint: entry["fingerprint"].as_str(),
    }
}

/// See [`saved_text`].
pub struct SavedText<'r> {
    /// The paragraph's text.
    pub text: &'r str,
    /// Its fingerprint (absent in reports of very old versions).
    pub fingerprint: Option<&'r str>,
}

/// Every place the report shows, with the index of its text in the table and its HTML
/// element: read before anything is written, in one pass over the files in path order
/// (each file read once, a chunk of files at a time in parallel), where reading text per
/// batch of findings read a file again for every batch it had findings in.
struct Placed(HashMap<(DocId, u64), (u32, Option<String>)>);

/// How many documents' texts are read back at a time.
const DOCS_PER_CHUNK: usize = 1024;

impl Placed {
    fn read(r: &Report, table: &mut TextTable) -> io::Result<Placed> {
        let occurrences = r.findings.iter().flat_map(|f| f.occurrences.iter());
        let mut wanted: Vec<(Location, Fingerprint)> = occurrences
            .map(|o| (o.at, o.fingerprint))
            .chain(r.archive.iter().map(|a| (a.at, a.fingerprint)))
            .chain(r.drift.iter().map(|d| (d.at, d.fingerprint)))
            .collect();
        wanted.sort_unstable_by_key(|(at, _)| (at.doc, at.span.start));
        wanted.dedup_by_key(|(at, _)| (at.doc, at.span.start));
        let docs: Vec<&[(Location, Fingerprint)]> =
            wanted.chunk_by(|a, b| a.0.doc == b.0.doc).collect();
        let mut placed = HashMap::with_capacity(wanted.len());
        for chunk in docs.chunks(DOCS_PER_CHUNK) {
            // Reading, hashing and encoding run in parallel; only numbering is in order.
            let read: Vec<Vec<Entry>> = chunk
                .par_iter()
                .map(|places| {
                    let mut texts = r.texts(places.iter().map(|(at, _)| at));
                    places
                        .iter()
                        .map(|(at, fingerprint)| {
                            let text = texts.remove(&(at.doc, at.span.start));
                            Entry::new(at, *fingerprint, text.unwrap_or_default())
                        })
                        .collect()
                })
                .collect();
            for entry in read.into_iter().flatten() {
                let index = table.insert(&entry)?;
                placed.insert(entry.place, (index, entry.element));
            }
        }
        Ok(Placed(placed))
    }

    /// The text index and element of a place (index 0, no element, if it was never read:
    /// cannot happen for places of this report).
    fn at(&self, at: &Location) -> (u32, Option<&str>) {
        self.0
            .get(&(at.doc, at.span.start))
            .map_or((0, None), |(i, element)| (*i, element.as_deref()))
    }
}

/// Serializes the `texts` table, once; it must come after everything that refers to it.
struct LazyTexts<'a>(&'a RefCell<Option<TextTable>>);

impl Serialize for LazyTexts<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let table = self.0.borrow_mut().take();
        let table = table.ok_or_else(|| S::Error::custom("the texts table is written once"))?;
        let mut seq = serializer.serialize_seq(Some(table.index.len()))?;
        table.drain(&mut seq)?;
        seq.end()
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: JsonTool,
    settings: JsonSettings,
    stats: JsonStats,
    findings: LazyFindings<'a>,
    blocks: Vec<JsonBlock<'a>>,
    templates: Vec<JsonTemplate<'a>>,
    suggestions: Vec<JsonSuggestion<'a>>,
    archive: Vec<JsonArchive<'a>>,
    drift: Vec<JsonDrift<'a>>,
    errors: &'a [FileError],
    warnings: &'a [FileWarning],
    timing: JsonTiming,
    /// Last: every text the fields above refer to by index.
    texts: LazyTexts<'a>,
}

#[derive(Serialize)]
struct JsonTool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct JsonSettings {
    threshold: f64,
    min_words: usize,
    exact_only: bool,
}

#[derive(Serialize)]
struct JsonStats {
    documents: usize,
    paragraphs: usize,
    bytes: u64,
    stories: usize,
    candidate_pairs: usize,
    findings: usize,
    exact: usize,
    near: usize,
    boilerplate: usize,
    blocks: usize,
    templates: usize,
    suggestions: usize,
    errors: usize,
    archive_exact: usize,
    archive_near: usize,
    archive_boilerplate: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    id: String,
    kind: &'static str,
    scope: &'static str,
    similarity: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    minhash_estimate: Option<f64>,
    documents: usize,
    stories: usize,
    related: Vec<String>,
    blocks: Vec<String>,
    /// Boilerplate folded into its source's template (absent otherwise, like the
    /// finding's other optional fields).
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<String>,
    occurrences: Vec<JsonOccurrence<'a>>,
}

#[derive(Serialize)]
struct JsonOccurrence<'a> {
    #[serde(flatten)]
    at: JsonPlace<'a>,
    variant: u32,
    representative: bool,
    similarity: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    minhash_estimate: Option<f64>,
    /// Near findings: how this copy differs from the representative when sentences
    /// moved or were added (absent for words changed in place).
    #[serde(skip_serializing_if = "Option::is_none")]
    edit: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    block: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<JsonRecord<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    element: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<&'static str>,
    /// Index into `texts`.
    text: u32,
}

/// Where a paragraph is: the five location fields every place in the report carries.
#[derive(Serialize)]
struct JsonPlace<'a> {
    path: &'a str,
    #[serde(flatten)]
    span: JsonSpan,
    paragraph: u32,
}

impl<'a> JsonPlace<'a> {
    fn of(r: &'a Report, at: &Location) -> Self {
        JsonPlace {
            path: &r.file(at.doc).shown_path,
            span: JsonSpan::new(at.lines, at.span),
            paragraph: at.paragraph,
        }
    }
}

/// Lines and bytes on disk.
#[derive(Serialize)]
struct JsonSpan {
    start_line: u32,
    end_line: u32,
    start_byte: u64,
    end_byte: u64,
}

impl JsonSpan {
    fn new(lines: LineRange, span: Span) -> Self {
        JsonSpan {
            start_line: lines.start,
            end_line: lines.end,
            start_byte: span.start,
            end_byte: span.end,
        }
    }
}

/// The feed record a paragraph is in.
#[derive(Serialize)]
struct JsonRecord<'a> {
    id: &'a str,
    number: u32,
    line: u32,
    field: &'a str,
}

impl<'a> JsonRecord<'a> {
    fn of(r: &'a Report, doc: crate::corpus::DocId) -> Option<Self> {
        r.record(doc).map(|rec| JsonRecord {
            id: &rec.id,
            number: rec.number,
            line: rec.line,
            field: &rec.field,
        })
    }
}

#[derive(Serialize)]
struct JsonBlock<'a> {
    id: String,
    path: &'a str,
    exact: bool,
    first: JsonRun<'a>,
    repeat: JsonRun<'a>,
    findings: Vec<String>,
}

/// A source's template: its boilerplate findings, folded.
#[derive(Serialize)]
struct JsonTemplate<'a> {
    id: String,
    source: &'a str,
    findings: Vec<String>,
    blocks: usize,
    pages: usize,
}

#[derive(Serialize)]
struct JsonRun<'a> {
    #[serde(flatten)]
    span: JsonSpan,
    paragraphs: &'a [u32],
}

#[derive(Serialize)]
struct JsonSuggestion<'a> {
    finding: String,
    action: &'static str,
    applicability: &'static str,
    #[serde(flatten)]
    at: JsonPlace<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<JsonRecord<'a>>,
    keep: Option<JsonKeep<'a>>,
    reason: &'a str,
    block: Option<String>,
}

#[derive(Serialize)]
struct JsonKeep<'a> {
    path: &'a str,
    start_line: u32,
    end_line: u32,
    paragraph: u32,
}

#[derive(Serialize)]
struct JsonTiming {
    total_ms: f64,
    stages_ms: serde_json::Map<String, serde_json::Value>,
}

/// Similarities are rounded so the JSON does not show float noise.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn ids(prefix: char, ids: &[u32]) -> Vec<String> {
    ids.iter().map(|i| format!("{prefix}{i}")).collect()
}

impl<'a> JsonReport<'a> {
    fn new(r: &'a Report, placed: &'a Placed, table: &'a RefCell<Option<TextTable>>) -> Self {
        let archive = archive(r, placed);
        let drift = drift(r, placed);
        JsonReport {
            version: VERSION,
            tool: JsonTool {
                name: "paradup",
                version: env!("CARGO_PKG_VERSION"),
            },
            settings: JsonSettings {
                threshold: r.settings.threshold,
                min_words: r.settings.min_words,
                exact_only: r.settings.exact_only,
            },
            stats: JsonStats {
                documents: r.stats.documents,
                paragraphs: r.stats.paragraphs,
                bytes: r.stats.bytes,
                stories: r.stats.stories,
                candidate_pairs: r.stats.candidate_pairs,
                findings: r.findings.len(),
                exact: r.stats.exact,
                near: r.stats.near,
                boilerplate: r.stats.boilerplate,
                blocks: r.blocks.len(),
                templates: r.templates.len(),
                suggestions: r.suggestions.len(),
                errors: r.errors.len(),
                archive_exact: r.stats.archive_exact,
                archive_near: r.stats.archive_near,
                archive_boilerplate: r.stats.archive_boilerplate,
            },
            findings: LazyFindings(r, placed),
            blocks: r.blocks.iter().map(|b| block(r, b)).collect(),
            templates: r
                .templates
                .iter()
                .map(|t| JsonTemplate {
                    id: format!("T{}", t.id),
                    source: &t.source,
                    findings: ids('F', &t.findings),
                    blocks: t.blocks(),
                    pages: t.pages,
                })
                .collect(),
            suggestions: r.suggestions.iter().map(|s| suggestion(r, s)).collect(),
            archive,
            drift,
            errors: &r.errors,
            warnings: &r.warnings,
            timing: JsonTiming {
                total_ms: round(r.timing.total_ms),
                stages_ms: r
                    .timing
                    .stages
                    .iter()
                    .map(|(name, ms)| ((*name).to_string(), serde_json::json!(round(*ms))))
                    .collect(),
            },
            texts: LazyTexts(table),
        }
    }
}

/// Serializes findings a chunk at a time, the findings of a chunk in parallel (each is
/// compact JSON on a line of its own, so it can be written on its own), so the report is
/// streamed rather than held and rendering uses every core.
struct LazyFindings<'a>(&'a Report, &'a Placed);

/// How many findings are serialized at a time.
const FINDINGS_PER_CHUNK: usize = 1024;

impl Serialize for LazyFindings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (report, placed) = (self.0, self.1);
        let mut seq = serializer.serialize_seq(Some(report.findings.len()))?;
        for chunk in report.findings.chunks(FINDINGS_PER_CHUNK) {
            let lines: Vec<Box<RawValue>> = chunk
                .par_iter()
                .map(|f| serde_json::value::to_raw_value(&finding(report, placed, f)))
                .collect::<Result<_, _>>()
                .map_err(S::Error::custom)?;
            for line in &lines {
                seq.serialize_element(line)?;
            }
        }
        seq.end()
    }
}

fn finding<'a>(r: &'a Report, placed: &'a Placed, f: &'a FindingView) -> JsonFinding<'a> {
    let mut blocks: Vec<u32> = f.occurrences.iter().filter_map(|o| o.block).collect();
    blocks.sort_unstable();
    blocks.dedup();
    JsonFinding {
        id: format!("F{}", f.id),
        kind: f.kind.as_str(),
        scope: f.scope.as_str(),
        similarity: round(f.similarity),
        minhash_estimate: f.estimate.map(round),
        documents: f.documents,
        stories: f.stories,
        related: ids('F', &f.related),
        blocks: ids('B', &blocks),
        template: f.template.map(|t| format!("T{t}")),
        occurrences: f
            .occurrences
            .iter()
            .map(|o| {
                let (text, element) = placed.at(&o.at);
                JsonOccurrence {
                    at: JsonPlace::of(r, &o.at),
                    variant: o.variant,
                    representative: o.representative,
                    similarity: round(f64::from(o.similarity)),
                    minhash_estimate: o.estimate.map(|e| round(f64::from(e))),
                    edit: o.edit.and_then(crate::matching::Edit::name),
                    block: o.block.map(|b| format!("B{b}")),
                    record: JsonRecord::of(r, o.at.doc),
                    element,
                    region: element.map(|_| if o.at.chrome { "chrome" } else { "body" }),
                    text,
                }
            })
            .collect(),
    }
}

fn run(r: &Run) -> JsonRun<'_> {
    JsonRun {
        span: JsonSpan::new(r.lines, r.span),
        paragraphs: &r.paragraphs,
    }
}

fn block<'a>(r: &'a Report, b: &'a BlockView) -> JsonBlock<'a> {
    JsonBlock {
        id: format!("B{}", b.id),
        path: &r.file(b.doc).shown_path,
        exact: b.exact,
        first: run(&b.first),
        repeat: run(&b.repeat),
        findings: ids('F', &b.findings),
    }
}

fn keep<'a>(r: &'a Report, at: &Location) -> JsonKeep<'a> {
    JsonKeep {
        path: &r.file(at.doc).shown_path,
        start_line: at.lines.start,
        end_line: at.lines.end,
        paragraph: at.paragraph,
    }
}

fn suggestion<'a>(r: &'a Report, s: &'a SuggestionView) -> JsonSuggestion<'a> {
    JsonSuggestion {
        finding: format!("F{}", s.finding),
        action: s.action.as_str(),
        applicability: s.applicability.as_str(),
        at: JsonPlace::of(r, &s.at),
        record: JsonRecord::of(r, s.at.doc),
        keep: s.keep.as_ref().map(|k| keep(r, k)),
        reason: &s.reason,
        block: s.block.map(|b| format!("B{b}")),
    }
}

/// A `check` match in the archive.
#[derive(Serialize)]
struct JsonArchive<'a> {
    id: String,
    kind: &'static str,
    similarity: f64,
    #[serde(flatten)]
    at: JsonPlace<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<String>,
    /// Index into `texts`.
    text: u32,
    archived_documents: u64,
    archived: Vec<JsonArchived>,
}

#[derive(Serialize)]
struct JsonArchived {
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<String>,
    #[serde(flatten)]
    span: JsonSpan,
    similarity: f64,
}

fn archive<'a>(r: &'a Report, placed: &Placed) -> Vec<JsonArchive<'a>> {
    r.archive
        .iter()
        .map(|a| JsonArchive {
            id: format!("A{}", a.id),
            kind: a.kind.as_str(),
            similarity: round(a.similarity),
            at: JsonPlace::of(r, &a.at),
            record: r.record(a.at.doc).map(|rec| rec.id.clone()),
            text: placed.at(&a.at).0,
            archived_documents: a.archived_documents,
            archived: a
                .archived
                .iter()
                .map(|o| JsonArchived {
                    path: o.path.clone(),
                    record: o.record.clone(),
                    span: JsonSpan::new(o.lines, o.span),
                    similarity: round(o.similarity),
                })
                .collect(),
        })
        .collect()
}

/// A paragraph that drifted from an approved one.
#[derive(Serialize)]
struct JsonDrift<'a> {
    #[serde(flatten)]
    at: JsonPlace<'a>,
    approved: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    approved_text: Option<String>,
    similarity: f64,
    /// Index into `texts`.
    text: u32,
}

fn drift<'a>(r: &'a Report, placed: &Placed) -> Vec<JsonDrift<'a>> {
    r.drift
        .iter()
        .map(|d| JsonDrift {
            at: JsonPlace::of(r, &d.at),
            approved: d.approved.clone(),
            approved_text: d.approved_text.clone(),
            similarity: round(d.similarity),
            text: placed.at(&d.at).0,
        })
        .collect()
}
