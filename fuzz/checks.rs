//! Invariants checked on arbitrary input, shared by the fuzz targets and the regression test.
//!
//! Each `check_*` function takes one input and panics when an invariant breaks. The fuzz
//! targets (`fuzz/fuzz_targets/*.rs`) include this file with
//! `#[path = "../checks.rs"] mod checks;`, and the root crate's `tests/fuzz_regressions.rs`
//! with `#[path = "../fuzz/checks.rs"] mod checks;`, so every input kept under
//! `tests/fuzz_regressions/<target>/` is checked again by `cargo test` exactly as the
//! fuzzer checked it. Nothing here depends on more than `paradup`, std and `tempfile`.
//!
//! The oracles are written independently of the code under test where that is cheap:
//! line numbers are counted here, disk bytes are decoded here (UTF-8, UTF-16,
//! Windows-1252, JSON string escapes), plain-text paragraphs are recomputed here. Only the
//! choice of encoding mirrors the reader's rule (see [`disk_encoding`]).

#![allow(dead_code)]

use std::collections::HashSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use paradup::fix::{self, FilePlan, Selection, WriteOptions};
use paradup::ingest::{self, Document, FileRead, InputFormat, Source, TextFormat};
use paradup::options::{ReadOptions, SegmentOptions};
use paradup::report::{Report, SuggestionView};
use paradup::segment::{self, Paragraph};
use paradup::span::Span;
use paradup::suggest::Applicability;

/// A check: panics when an invariant breaks on the input.
pub type Check = fn(&[u8]);

/// The targets and their checks, by name (the fuzz target and the regression folder).
pub const TARGETS: [(&str, Check); 4] = [
    ("segment", check_segment),
    ("html", check_html),
    ("feed", check_feed),
    ("fix", check_fix),
];

// ---------------------------------------------------------------------------------------
// Targets.

/// `segment`: `data` read like a file (BOM, UTF-16, Windows-1252, lossy UTF-8, CR/CRLF)
/// as plain text and as Markdown. Paragraph spans lie inside the file, in order and
/// disjoint, on bytes that decode to the paragraph's text; lines agree with the spans;
/// plain-text paragraphs are exactly the runs of non-blank lines; re-reading gives the
/// same text and map.
pub fn check_segment(data: &[u8]) {
    for (name, format) in [
        ("fuzz.txt", InputFormat::Text),
        ("fuzz.md", InputFormat::Markdown),
    ] {
        let source = source(name, format, data);
        let Some(read) = read_file(&source, data) else {
            continue;
        };
        let doc = &read.documents[0];
        let paragraphs = segment::segment(doc, SegmentOptions::default());
        check_file_paragraphs(data, doc, &paragraphs);
        match format {
            InputFormat::Text => check_text_paragraphs(doc, &paragraphs),
            _ => check_markdown_paragraphs(doc, &paragraphs),
        }
        check_reread_whole(&source, doc, &paragraphs);
    }
}

/// `html`: `data` as an HTML page, with and without `body_only`. Besides the span checks
/// of [`check_segment`]: spans start and end on tag or whitespace boundaries, contents are
/// non-empty and trimmed, and the `body_only` paragraphs are a subsequence of all the
/// paragraphs, none of them chrome.
pub fn check_html(data: &[u8]) {
    let source = source("fuzz.html", InputFormat::Html, data);
    let Some(read) = read_file(&source, data) else {
        return;
    };
    let doc = &read.documents[0];
    assert_eq!(doc.format, TextFormat::Html);
    let all = segment::segment(doc, SegmentOptions::default());
    check_file_paragraphs(data, doc, &all);
    check_html_paragraphs(doc, &all);
    let body_only = SegmentOptions {
        body_only: true,
        ..SegmentOptions::default()
    };
    let body = segment::segment(doc, body_only);
    check_file_paragraphs(data, doc, &body);
    check_html_paragraphs(doc, &body);
    let mut rest = all.iter();
    for p in &body {
        assert!(!p.chrome, "body_only kept chrome: {p:?}");
        assert!(
            rest.any(|q| q.text_range == p.text_range
                && q.content == p.content
                && q.kind == p.kind
                && q.element == p.element),
            "body_only paragraph {p:?} is not among all paragraphs (in order)"
        );
    }
    check_reread_whole(&source, doc, &all);
}

/// `feed`: `data` as a JSON Lines feed or JSON array. A malformed record is an error
/// value, never a panic; record spans lie inside the file, in order, each an object; every
/// paragraph of a record lies inside the record's span, on its line, on bytes that decode
/// and unescape to its text (in every encoding), and passes the checks of its format;
/// re-reading a record from its span alone gives the same document.
pub fn check_feed(data: &[u8]) {
    let source = source("fuzz.jsonl", InputFormat::Json, data);
    let opts = ReadOptions::default();
    let Ok(read) = ingest::read_bytes(&source, data.to_vec(), &opts) else {
        // Only a binary file or an unparsable JSON array fails the whole file.
        return;
    };
    let encoding = disk_encoding(data);
    let disk_lines = (encoding == Disk::Utf8).then(|| line_table(data));
    let mut last_end = 0;
    let mut last_number = 0;
    for doc in &read.documents {
        let record = doc.record.as_ref().expect("a feed document has a record");
        let span = record.span;
        assert!(
            span.start < span.end && span.end <= data.len() as u64,
            "record span {span:?} outside the file ({} bytes)",
            data.len()
        );
        assert!(span.start >= last_end, "record spans overlap: {span:?}");
        assert!(record.number > last_number, "record numbers not increasing");
        (last_end, last_number) = (span.end, record.number);
        let raw = decode_disk(&data[range(span)], encoding);
        assert!(
            raw.starts_with('{') && raw.ends_with('}'),
            "record span is not an object: {raw:?}"
        );
        if let Some(lines) = &disk_lines {
            let (first, last) = (lines[range(span).start], lines[range(span).end - 1]);
            assert!(
                (first..=last).contains(&record.line),
                "record line {} outside the record's lines {first}..={last}",
                record.line
            );
        }
        let paragraphs = segment::segment(doc, SegmentOptions::default());
        check_text_ranges(doc, &paragraphs);
        match doc.format {
            TextFormat::Text => check_text_paragraphs(doc, &paragraphs),
            TextFormat::Markdown => check_markdown_paragraphs(doc, &paragraphs),
            TextFormat::Html => check_html_paragraphs(doc, &paragraphs),
        }
        let mut at = span.start;
        for p in &paragraphs {
            assert!(
                p.span.start >= at && p.span.start < p.span.end && p.span.end <= span.end,
                "paragraph span {:?} not inside record span {span:?} after {at}: {p:?}",
                p.span
            );
            at = p.span.end;
            assert_eq!(
                (p.lines.start, p.lines.end),
                (record.line, record.line),
                "a record's paragraphs are on its line"
            );
            let disk = decode_disk(&data[range(p.span)], encoding);
            assert_eq!(
                json_unescape(&disk).as_deref(),
                Some(&doc.text[p.text_range.clone()]),
                "the disk bytes of {p:?} ({disk:?}, {encoding:?}) do not unescape to its text"
            );
        }
        let again = ingest::reread(&source, Some(record), &opts)
            .unwrap_or_else(|e| panic!("record {} cannot be read again: {e}", record.number));
        assert_same_document(doc, &again, &paragraphs);
    }
}

/// `fix`: the first byte picks the format (text, Markdown, HTML, JSON Lines), the rest is
/// the file. The file is scanned and fixed with the default selection, with `--near` and
/// with `--near --boilerplate`: the fixed bytes are the original minus exactly the
/// removed ranges (inside the file, sharing at most blank lines, each covering its
/// paragraph and touching no other); the copy a suggestion keeps stays, so no text loses
/// its last copy (only `--boilerplate` deletes every copy of boilerplate, by design); the
/// fixed file reads as many records without new errors; and once the fix is written, a
/// second scan has nothing left for the default `fix` to remove.
pub fn check_fix(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let (ext, format) = match selector % 4 {
        0 => ("txt", InputFormat::Text),
        1 => ("md", InputFormat::Markdown),
        2 => ("html", InputFormat::Html),
        _ => ("jsonl", InputFormat::Json),
    };
    let dir = scratch_dir();
    let path = dir.path().join(format!("article.{ext}"));
    std::fs::write(&path, body).expect("write the input file");
    let mut opts = paradup::ScanOptions::default();
    opts.suggest.boilerplate = true;
    let report = paradup::scan(std::slice::from_ref(&path), &opts).expect("scan");
    let source = source("fuzz", format, body);
    let Ok(read) = ingest::read_bytes(&source, body.to_vec(), &ReadOptions::default()) else {
        assert!(
            report.suggestions.is_empty(),
            "suggestions for an unreadable file"
        );
        return;
    };
    let original = Texts::of(&read);
    // The default selection last: its result is written and scanned again.
    for selection in [
        Selection {
            near: true,
            boilerplate: false,
        },
        Selection {
            near: true,
            boilerplate: true,
        },
        Selection::default(),
    ] {
        let (plans, errors) = fix::plan(&report, selection);
        assert!(
            errors.is_empty(),
            "fix refused an unchanged file: {errors:?}"
        );
        let taken = report
            .suggestions
            .iter()
            .filter(|s| selection.takes(&report, s))
            .count();
        assert!(plans.len() <= 1, "one file, at most one plan");
        let Some(plan) = plans.first() else {
            assert_eq!(taken, 0, "suggestions taken but nothing planned");
            continue;
        };
        assert_eq!(
            plan.removals.len(),
            taken,
            "one removal per suggestion taken"
        );
        check_plan(&report, selection, plan, body, &original, &source);
        if selection == Selection::default() {
            fix::write_plan(&report, plan, WriteOptions::default()).expect("write the fix");
            let written = std::fs::read(&path).expect("read the fixed file");
            assert!(written == plan.fixed, "the file written is not the plan");
            // As `fix --write` does: fix what the removals left, until nothing is left.
            let scan_again = || paradup::scan(std::slice::from_ref(&path), &opts);
            let after = scan_again().expect("scan again");
            let (_, errors) =
                fix::write_until_settled(after, Selection::default(), false, scan_again)
                    .expect("scan again");
            assert!(
                errors.is_empty(),
                "a later round refused the file: {errors:?}"
            );
            let again = scan_again().expect("scan again");
            let left: Vec<&SuggestionView> = again
                .suggestions
                .iter()
                .filter(|s| Selection::default().takes(&again, s))
                .collect();
            assert!(
                left.is_empty(),
                "fix is not idempotent: after fixing, it would still remove {left:?} from {:?}",
                String::from_utf8_lossy(&plan.fixed)
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Whole files: text, Markdown, HTML.

/// A source whose bytes are `data` (held in memory, as standard input is).
fn source(name: &str, format: InputFormat, data: &[u8]) -> Source {
    Source {
        path: PathBuf::from(name),
        shown_path: name.to_string(),
        site: String::new(),
        format,
        stdin: Some(Arc::from(data)),
    }
}

/// Reads a text, Markdown or HTML file: one document, or `None` for a binary file (the
/// only kind refused).
fn read_file(source: &Source, data: &[u8]) -> Option<FileRead> {
    match ingest::read_bytes(source, data.to_vec(), &ReadOptions::default()) {
        Ok(read) => {
            assert_eq!(read.documents.len(), 1, "a whole file is one document");
            assert_eq!(read.bytes, data.len() as u64);
            assert!(read.errors.is_empty());
            Some(read)
        }
        Err(err) => {
            assert!(
                disk_encoding(data) == Disk::Binary,
                "a text file was refused: {err}"
            );
            None
        }
    }
}

/// Checks that hold for the paragraphs of any whole-file document read from `raw`.
fn check_file_paragraphs(raw: &[u8], doc: &Document, paragraphs: &[Paragraph<'_>]) {
    check_text_ranges(doc, paragraphs);
    let encoding = disk_encoding(raw);
    let text_lines = line_table(doc.text.as_bytes());
    let disk_lines = (encoding == Disk::Utf8).then(|| line_table(raw));
    let mut at = 0;
    for p in paragraphs {
        let span = p.span;
        assert!(
            span.start >= at && span.start < span.end && span.end <= raw.len() as u64,
            "span {span:?} is empty, overlaps the previous one (ending at {at}) or lies \
             outside the file ({} bytes): {p:?}",
            raw.len()
        );
        at = span.end;
        let text = &doc.text[p.text_range.clone()];
        let disk = &raw[range(span)];
        assert_eq!(
            decode_disk(disk, encoding),
            text,
            "the disk bytes {disk:?} of {p:?} do not decode to its text ({encoding:?})"
        );
        let last = p.text_range.end - 1;
        let lines = (text_lines[p.text_range.start], text_lines[last]);
        assert_eq!(
            (p.lines.start, p.lines.end),
            lines,
            "lines of {p:?} (counted in the text)"
        );
        if let Some(disk_lines) = &disk_lines {
            let on_disk = (
                disk_lines[range(span).start],
                disk_lines[range(span).end - 1],
            );
            assert_eq!(lines, on_disk, "lines of {p:?} (counted on disk)");
        }
        if !p.oversized {
            assert!(!p.content.is_empty(), "empty paragraph {p:?}");
        }
    }
}

/// Paragraph indices count up from 0; text ranges are non-empty, on character
/// boundaries, inside the text, in order and disjoint.
fn check_text_ranges(doc: &Document, paragraphs: &[Paragraph<'_>]) {
    let mut at = 0;
    for (i, p) in paragraphs.iter().enumerate() {
        assert_eq!(p.index as usize, i, "paragraph indices");
        let Range { start, end } = p.text_range;
        assert!(
            start >= at && start < end && end <= doc.text.len(),
            "text range {start}..{end} is empty, overlaps the previous one (ending at {at}) \
             or lies outside the text ({} bytes)",
            doc.text.len()
        );
        assert!(
            doc.text.is_char_boundary(start) && doc.text.is_char_boundary(end),
            "text range {start}..{end} cuts a character"
        );
        at = end;
    }
}

/// Plain text: the paragraphs are exactly the runs of non-blank lines (LF, CRLF or CR
/// ending each line), their content being the run's text.
fn check_text_paragraphs(doc: &Document, paragraphs: &[Paragraph<'_>]) {
    let text = doc.text.as_str();
    let mut runs: Vec<Range<usize>> = Vec::new();
    let mut open: Option<Range<usize>> = None;
    for line in lines_of(text.as_bytes()) {
        if text[line.clone()].trim().is_empty() {
            runs.extend(open.take());
        } else {
            open = Some(open.map_or(line.start, |o| o.start)..line.end);
        }
    }
    runs.extend(open);
    let got: Vec<Range<usize>> = paragraphs.iter().map(|p| p.text_range.clone()).collect();
    assert_eq!(
        got, runs,
        "plain-text paragraphs are not the non-blank line runs"
    );
    for p in paragraphs {
        assert_eq!(p.content, &text[p.text_range.clone()]);
        assert!(!p.content.trim().is_empty(), "blank paragraph {p:?}");
        assert_eq!(p.kind, segment::BlockKind::Prose);
    }
}

/// Markdown: a paragraph's source text ends with its last character (no trailing
/// whitespace) and has some inline text.
fn check_markdown_paragraphs(doc: &Document, paragraphs: &[Paragraph<'_>]) {
    for p in paragraphs {
        assert!(!p.content.trim().is_empty(), "blank paragraph {p:?}");
        let source = &doc.text[p.text_range.clone()];
        assert_eq!(
            source.trim_end(),
            source,
            "trailing whitespace in the span of {p:?}"
        );
    }
}

/// HTML: spans start and end on `<`, `>` or whitespace boundaries (an element from its `<`;
/// a run of inline text from its first non-blank character), and contents are trimmed of
/// HTML's whitespace (ASCII whitespace: a vertical tab or a no-break space is content).
fn check_html_paragraphs(doc: &Document, paragraphs: &[Paragraph<'_>]) {
    let bytes = doc.text.as_bytes();
    let space = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_whitespace);
    for p in paragraphs {
        let Range { start, end } = p.text_range;
        let starts_well = start == 0
            || bytes[start] == b'<'
            || bytes[start - 1] == b'>'
            || space(start - 1)
            || space(start);
        assert!(
            starts_well,
            "span of {p:?} starts inside text or markup: {:?}",
            String::from_utf8_lossy(&bytes[start.saturating_sub(8)..end])
        );
        let ends_well = end == bytes.len()
            || bytes[end - 1] == b'>'
            || bytes[end] == b'<'
            || space(end)
            || space(end - 1);
        assert!(
            ends_well,
            "span of {p:?} ends inside text or markup: {:?}",
            String::from_utf8_lossy(&bytes[start..(end + 8).min(bytes.len())])
        );
        assert!(p.element.is_some(), "an HTML paragraph names its element");
        if !p.oversized {
            assert!(
                !p.content.is_empty() && p.content.trim_ascii() == p.content,
                "content of {p:?} is empty or untrimmed"
            );
        }
    }
}

/// Reading a whole file again (what reports and `fix` do) gives the same document.
fn check_reread_whole(source: &Source, doc: &Document, paragraphs: &[Paragraph<'_>]) {
    let again =
        ingest::reread(source, None, &ReadOptions::default()).expect("the file reads again");
    assert_same_document(doc, &again, paragraphs);
}

fn assert_same_document(doc: &Document, again: &Document, paragraphs: &[Paragraph<'_>]) {
    assert!(again.text == doc.text, "read again, the text differs");
    assert_eq!(again.format, doc.format, "read again, the format differs");
    let points = paragraphs
        .iter()
        .flat_map(|p| [p.text_range.start, p.text_range.end])
        .chain([0, doc.text.len()]);
    for at in points {
        assert_eq!(
            again.offsets.to_disk(&again.text, at),
            doc.offsets.to_disk(&doc.text, at),
            "read again, text offset {at} maps elsewhere on disk"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Fix.

/// Normalized paragraph texts of every document of a file, by record number.
struct Texts {
    docs: Vec<(Option<u32>, Vec<Text>)>,
}

/// A paragraph's span and normalized text.
type Text = (Span, String);

impl Texts {
    fn of(read: &FileRead) -> Texts {
        let docs = read
            .documents
            .iter()
            .map(|doc| {
                let paragraphs = segment::segment(doc, SegmentOptions::default())
                    .iter()
                    .map(|p| {
                        (
                            p.span,
                            paradup::normalize::normalize(&p.content).into_owned(),
                        )
                    })
                    .collect();
                (doc.record.as_ref().map(|r| r.number), paragraphs)
            })
            .collect();
        Texts { docs }
    }

    fn doc(&self, record: Option<u32>) -> &[Text] {
        self.docs
            .iter()
            .find(|(r, _)| *r == record)
            .map_or(&[], |(_, p)| p.as_slice())
    }

    /// The normalized text of the paragraph at `span` in the document of `record`.
    fn at(&self, record: Option<u32>, span: Span) -> &str {
        self.doc(record)
            .iter()
            .find(|(s, _)| *s == span)
            .map_or_else(|| panic!("no paragraph at {span:?}"), |(_, t)| t.as_str())
    }
}

fn check_plan(
    report: &Report,
    selection: Selection,
    plan: &FilePlan,
    body: &[u8],
    original: &Texts,
    source: &Source,
) {
    assert!(plan.original == body, "the plan's original is not the file");
    let encoding = disk_encoding(body);
    let json = source.format == InputFormat::Json;
    let record = |s: &SuggestionView| report.record(s.at.doc).map(|r| r.number);
    let mut previous = 0..0;
    let mut targets = HashSet::new();
    let mut removed = vec![false; body.len()];
    for removal in &plan.removals {
        let bytes = &removal.bytes;
        assert!(
            bytes.start >= previous.start
                && bytes.start < bytes.end
                && bytes.end <= body.len() as u64,
            "removal {bytes:?} is empty, out of order or outside the file ({} bytes)",
            body.len()
        );
        // Two removals may share blank lines (a paragraph takes the blank lines after it,
        // the last one those before it), never more: the union goes. Blank in the text:
        // in a feed, `\n` escapes are blank lines; in a quote, so are `>` lines.
        let shared = &body[bytes.start.min(previous.end) as usize..previous.end as usize];
        let mut text = decode_disk(shared, encoding);
        if json {
            text = json_unescape(&text).unwrap_or(text);
        }
        assert!(
            text.chars().all(|c| c.is_ascii_whitespace() || c == '>'),
            "removals {previous:?} and {bytes:?} share more than blank lines: {text:?}"
        );
        previous = bytes.start..previous.end.max(bytes.end);
        removed[bytes.start as usize..bytes.end as usize].fill(true);
        let s = &report.suggestions[removal.suggestion];
        assert!(
            selection.takes(report, s),
            "removal of a suggestion not selected"
        );
        assert!(
            bytes.start <= s.at.span.start && s.at.span.end <= bytes.end,
            "removal {bytes:?} does not cover its paragraph {:?}",
            s.at.span
        );
        targets.insert((record(s), s.at.span));
    }
    let expected: Vec<u8> = body
        .iter()
        .zip(&removed)
        .filter(|&(_, &gone)| !gone)
        .map(|(&b, _)| b)
        .collect();
    assert!(
        plan.fixed == expected,
        "the fixed bytes are not the original minus the removals"
    );
    let overlaps = |span: Span| {
        plan.removals
            .iter()
            .any(|r| span.start < r.bytes.end && r.bytes.start < span.end)
    };
    for (record, paragraphs) in &original.docs {
        for (span, _) in paragraphs {
            assert!(
                targets.contains(&(*record, *span)) || !overlaps(*span),
                "a removal takes bytes of the paragraph at {span:?}, which no suggestion \
                 targets: {:?}",
                String::from_utf8_lossy(&body[range(*span)])
            );
        }
    }
    let fixed = ingest::read_bytes(source, plan.fixed.clone(), &ReadOptions::default())
        .expect("the fixed file reads");
    let before = ingest::read_bytes(source, body.to_vec(), &ReadOptions::default())
        .expect("the original file reads");
    let numbers = |read: &FileRead| -> Vec<Option<u32>> {
        read.documents
            .iter()
            .map(|d| d.record.as_ref().map(|r| r.number))
            .collect()
    };
    assert_eq!(
        numbers(&fixed),
        numbers(&before),
        "fix lost or broke a record"
    );
    assert_eq!(
        fixed.errors.len(),
        before.errors.len(),
        "fix made a record unreadable: {:?}",
        fixed.errors
    );
    let after = Texts::of(&fixed);
    for removal in &plan.removals {
        let s = &report.suggestions[removal.suggestion];
        let Some(keep) = &s.keep else {
            // Boilerplate deletions keep nothing, by design.
            continue;
        };
        let removed_by: Vec<&SuggestionView> = plan
            .removals
            .iter()
            .filter(|r| keep.span.start < r.bytes.end && r.bytes.start < keep.span.end)
            .map(|r| &report.suggestions[r.suggestion])
            .collect();
        if !removed_by.is_empty() {
            // Boilerplate pasted twice keeps its first copy from the safe deletion only:
            // `--boilerplate` deletes every copy of boilerplate, that one too.
            assert!(
                selection.boilerplate && removed_by.iter().all(|r| r.keep.is_none()),
                "the copy kept at {:?} by {s:?} is removed too, by {removed_by:?}",
                keep.span
            );
            continue;
        }
        let kept = original.at(record(s), keep.span);
        if s.applicability == Applicability::Safe {
            assert_eq!(
                original.at(record(s), s.at.span),
                kept,
                "a safe deletion removes a text that is not the kept one"
            );
        }
        // Its bytes are untouched (no removal overlaps it, and the splice is checked).
        // Read again, its text is the same unless removing the only multi-byte UTF-8
        // character of a damaged file turned its decoding to Windows-1252.
        if disk_encoding(&plan.fixed) != encoding {
            continue;
        }
        // Removing a block between two runs of inline HTML text joins them into one
        // paragraph, so the kept text may now be part of a longer one. In tag soup, a
        // removal can even change how the rest of the page parses (an unclosed element
        // now swallows it): there the guarantee is the bytes above, untouched.
        // Markdown with raw HTML is the same case: removing a list item that opens an
        // inline tag can turn what follows into an HTML block.
        let soup = match source.format {
            InputFormat::Html => !well_formed(body),
            InputFormat::Markdown => body.contains(&b'<'),
            _ => false,
        };
        assert!(
            soup || after.doc(record(s)).iter().any(|(_, t)| t.contains(kept)),
            "the kept text {kept:?} is gone from the fixed file {:?}",
            String::from_utf8_lossy(&plan.fixed)
        );
    }
}

/// A fresh directory for one input: in memory (`/dev/shm`) where there is one, since
/// `fix` syncs the files it writes.
fn scratch_dir() -> tempfile::TempDir {
    let mut builder = tempfile::Builder::new();
    builder.prefix("paradup-fuzz-");
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(dir) = builder.tempdir_in(shm)
    {
        return dir;
    }
    builder.tempdir().expect("a temporary directory")
}

// ---------------------------------------------------------------------------------------
// Oracles.

/// How a file's bytes are decoded. This mirrors the reader's rule (a UTF-16 BOM; NUL
/// bytes mean binary; UTF-8 with an optional BOM; else Windows-1252 when no multi-byte
/// UTF-8 character appears; else UTF-8 with replacements), so the decoding below can be
/// done independently on each paragraph's bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Disk {
    Binary,
    Utf8,
    Utf8Lossy,
    Utf16 { le: bool },
    Windows1252,
}

fn disk_encoding(raw: &[u8]) -> Disk {
    match raw {
        [0xFF, 0xFE, ..] => return Disk::Utf16 { le: true },
        [0xFE, 0xFF, ..] => return Disk::Utf16 { le: false },
        _ if raw.contains(&0) => return Disk::Binary,
        _ => {}
    }
    let bom = if raw.starts_with(b"\xEF\xBB\xBF") {
        3
    } else {
        0
    };
    if std::str::from_utf8(&raw[bom..]).is_ok() {
        Disk::Utf8
    } else if bom == 0 && raw.utf8_chunks().all(|c| c.valid().is_ascii()) {
        Disk::Windows1252
    } else {
        Disk::Utf8Lossy
    }
}

/// The text the disk bytes `raw` (a paragraph's span) decode to on their own.
fn decode_disk(raw: &[u8], encoding: Disk) -> String {
    match encoding {
        Disk::Binary => panic!("a binary file has no paragraphs"),
        Disk::Utf8 => match std::str::from_utf8(raw) {
            Ok(text) => text.to_string(),
            Err(err) => panic!("span bytes {raw:?} are not UTF-8: {err}"),
        },
        Disk::Utf8Lossy => String::from_utf8_lossy(raw).into_owned(),
        Disk::Utf16 { le } => {
            let units = raw.chunks_exact(2).map(|pair| {
                let pair = [pair[0], pair[1]];
                if le {
                    u16::from_le_bytes(pair)
                } else {
                    u16::from_be_bytes(pair)
                }
            });
            let mut text: String = char::decode_utf16(units)
                .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
                .collect();
            // A last odd byte is a character of its own, replaced.
            if raw.len() % 2 == 1 {
                text.push(char::REPLACEMENT_CHARACTER);
            }
            text
        }
        Disk::Windows1252 => raw.iter().map(|&b| windows_1252(b)).collect(),
    }
}

/// A Windows-1252 byte as a character (WHATWG: the five undefined bytes are C1 controls).
fn windows_1252(byte: u8) -> char {
    const HIGH: [u16; 32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ];
    match byte {
        0x80..=0x9F => {
            char::from_u32(u32::from(HIGH[usize::from(byte - 0x80)])).expect("a BMP character")
        }
        _ => char::from(byte),
    }
}

/// The text a piece of a JSON string literal's inside stands for (`None` if it holds a
/// broken escape). Lone surrogates become U+FFFD.
fn json_unescape(text: &str) -> Option<String> {
    let unit = |at: usize| u32::from_str_radix(text.get(at..at + 4)?, 16).ok();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let (_, kind) = chars.next()?;
        let c = match kind {
            '"' | '\\' | '/' => kind,
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let high = unit(i + 2)?;
                let low = (text.get(i + 6..i + 8) == Some("\\u"))
                    .then(|| unit(i + 8))
                    .flatten();
                let skip = match low {
                    Some(low)
                        if (0xD800..0xDC00).contains(&high) && (0xDC00..0xE000).contains(&low) =>
                    {
                        out.push(char::from_u32(
                            0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00),
                        )?);
                        10
                    }
                    _ => {
                        out.push(char::from_u32(high).unwrap_or(char::REPLACEMENT_CHARACTER));
                        4
                    }
                };
                for _ in 0..skip {
                    chars.next();
                }
                continue;
            }
            _ => return None,
        };
        out.push(c);
    }
    Some(out)
}

/// The lines of `text`, each without its terminator (LF, CRLF or a lone CR).
fn lines_of(text: &[u8]) -> Vec<Range<usize>> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < text.len() {
        match text[i] {
            b'\n' => {
                lines.push(start..i);
                start = i + 1;
            }
            b'\r' => {
                lines.push(start..i);
                if text.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < text.len() {
        lines.push(start..text.len());
    }
    lines
}

/// The 1-based line of every byte offset of `text` (and of its end): a line starts after
/// an LF, after a CR not followed by an LF, and the LF of a CRLF is on the CR's line.
fn line_table(text: &[u8]) -> Vec<u32> {
    let mut table = Vec::with_capacity(text.len() + 1);
    let mut line = 1;
    for at in 0..=text.len() {
        if at > 0 {
            let before = text[at - 1];
            if before == b'\n' || (before == b'\r' && text.get(at) != Some(&b'\n')) {
                line += 1;
            }
        }
        table.push(line);
    }
    table
}

fn range(span: Span) -> Range<usize> {
    span.start as usize..span.end as usize
}

/// Whether an HTML page is plain enough that removing whole elements cannot change how
/// the rest parses: every tag closed, no stray `<`, comments closed.
fn well_formed(body: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(body) else {
        return false;
    };
    let mut open = 0i64;
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        if rest.starts_with("!--") {
            match rest.find("-->") {
                Some(end) => rest = &rest[end + 3..],
                None => return false,
            }
            continue;
        }
        let Some(end) = rest.find('>') else {
            return false;
        };
        let tag = &rest[..end];
        if tag.contains('<') || tag.matches('"').count() % 2 == 1 {
            return false;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() && !tag.starts_with('!') {
            return false;
        }
        let void = matches!(
            name.as_str(),
            "br" | "img" | "meta" | "link" | "hr" | "input" | "source" | "wbr" | "area" | "col"
        );
        if !tag.starts_with('!') && !void && !tag.ends_with('/') {
            open += if tag.starts_with('/') { -1 } else { 1 };
        }
        if open < 0 {
            return false;
        }
        rest = &rest[end + 1..];
    }
    open == 0
}
