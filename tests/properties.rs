//! Property tests of the reliability guarantees (README, "Reliability"): spans slice back
//! to their paragraphs in every format, `fix` removes exactly the deleted spans and never
//! the last copy of a paragraph, and the JSON report keeps its documented shape.
//!
//! The invariants themselves live in `fuzz/checks.rs`, shared with the fuzz targets and
//! `tests/fuzz_regressions.rs`. Fuzzing feeds them random bytes, which seldom form an
//! article holding a duplicated paragraph, so the duplicate, suggestion and fix paths stay
//! cold there. The strategies here build articles the way a newsroom produces them (a
//! small pool of sentences, paragraphs pasted twice, copies with a word changed, headings,
//! list items, page chrome, feeds of records, CRLF and blank-line variations) and hand
//! their bytes to the same checks; the fix test asserts that most cases do get
//! suggestions, so it cannot pass by testing nothing. A failing case is printed (shrunk)
//! as the bytes the check got (for `fix`, after the byte that selects the format): kept
//! under `tests/fuzz_regressions/<target>/`, it is replayed by `cargo test` like a
//! fuzzing crash.
//!
//! The JSON report is checked against the README's "JSON report, version 2" by a
//! validator written from the README alone, so a change to the wire format that the
//! documentation does not follow fails here.

#[path = "../fuzz/checks.rs"]
mod checks;

// Sentences, headings and the pieces an article is written from.
#[path = "properties/article.rs"]
mod article;
// Articles written out as text, Markdown, HTML pages and JSON Lines feeds.
#[path = "properties/render.rs"]
mod render;
// Folders of such files, scanned with varied options (property 4).
#[path = "properties/folder.rs"]
mod folder;
// The JSON report validator, from the README's "JSON report, version 2".
#[path = "properties/schema.rs"]
mod schema;
// Version 2's `texts` table put back on the entries that refer to it (the validator
// uses `inline_texts`; `parse_report` is for the CLI tests).
#[allow(dead_code)]
#[path = "support/report.rs"]
mod support;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use paradup::fix::Selection;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::Value;

use article::SENTENCES;
use folder::folder;
use render::{Doc, Format, Input, any_doc, feed, input, page};
use schema::{Scanned, validate};

/// Cases per test: enough to meet every kind of piece in every format, few enough that
/// the whole file runs in seconds in a debug build.
const CASES: u32 = 64;
/// Cases of the JSON report test, whose every case scans a folder of files.
const FOLDER_CASES: u32 = 48;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        // A test file outside `src/` has nowhere for proptest to keep failures; a failing
        // case is printed instead, to be kept as a fuzz regression.
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases)
    }
}

// ---------------------------------------------------------------------------------------
// Properties 1–3: the fuzz checks, on articles.

proptest! {
    #![proptest_config(config(CASES))]

    /// Property 1, text and Markdown (each input is read as both).
    #[test]
    fn spans_slice_back_in_text_and_markdown(
        input in input(prop_oneof![page(Format::Text), page(Format::Markdown)])
    ) {
        checks::check_segment(&input.bytes);
    }

    /// Property 1, HTML pages (with and without `body_only`).
    #[test]
    fn spans_slice_back_in_html(input in input(page(Format::Html))) {
        checks::check_html(&input.bytes);
    }

    /// Property 1, JSON Lines feeds.
    #[test]
    fn spans_slice_back_in_feeds(input in input(feed().prop_map(Doc::Feed))) {
        checks::check_feed(&input.bytes);
    }
}

/// Properties 2 and 3 on one file of each format: `checks::check_fix` scans it, plans the
/// fixes of every selection, checks each fixed file is the original minus exactly the
/// removed ranges and still holds every kept copy, writes the default fix and rescans.
#[test]
fn fix_removes_exactly_the_deleted_spans_and_keeps_a_copy() {
    let fixed = AtomicUsize::new(0);
    let mut runner = TestRunner::new(config(CASES));
    let result = runner.run(&input(any_doc()), |input| {
        if default_fix_takes_something(&input) {
            fixed.fetch_add(1, Ordering::Relaxed);
        }
        let mut data = vec![input.format.selector()];
        data.extend_from_slice(&input.bytes);
        checks::check_fix(&data);
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
    let fixed = fixed.into_inner();
    eprintln!("{fixed} of {CASES} inputs had something for the default fix to remove");
    assert!(
        fixed * 2 >= CASES as usize,
        "only {fixed} of {CASES} inputs had something for the default fix to remove: the \
         strategy no longer reaches the fix path"
    );
}

/// Whether a scan with the default options finds something for the default `fix` to remove.
fn default_fix_takes_something(input: &Input) -> bool {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(format!("article.{}", input.format.ext()));
    std::fs::write(&path, &input.bytes).expect("write the input");
    let report = paradup::scan(
        std::slice::from_ref(&path),
        &paradup::ScanOptions::default(),
    )
    .expect("scan");
    report
        .suggestions
        .iter()
        .any(|s| Selection::default().takes(&report, s))
}

// ---------------------------------------------------------------------------------------
// Property 4: the JSON report.

/// Property 4: for any folder of articles, the JSON report parses and has the shape the
/// README documents; and, across files, no suggestion deletes the last copy of a
/// paragraph (property 3, checked on the report rather than on one fixed file).
#[test]
fn json_report_has_the_documented_shape() {
    let seen = Seen::default();
    let mut runner = TestRunner::new(config(FOLDER_CASES));
    let result = runner.run(&folder(), |folder| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let scanned = folder.write(dir.path());
        let json = scan_to_json(dir.path(), &folder.options());
        validate(&json, &scanned);
        seen.count(&json);
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
    eprintln!("{seen:?} over {FOLDER_CASES} folders");
    let cases = FOLDER_CASES as usize;
    for (what, count) in [
        ("findings", &seen.findings),
        ("suggestions", &seen.suggestions),
    ] {
        let count = count.load(Ordering::Relaxed);
        assert!(
            count * 2 >= cases,
            "only {count} of {cases} reports had {what}: the validator saw too little"
        );
    }
}

/// Folders whose reports broke the documented shape, checked on every run.
#[test]
fn json_report_of_known_folders() {
    // An exact repeat inside one article whose near variant is in another story: the
    // exact finding lies in one document, so it cannot span two stories.
    let (pasted, edited) = (SENTENCES[0], SENTENCES[0].replace("Tuesday", "Monday"));
    let [one, two, three, four, five] = [2, 4, 6, 8, 10].map(|i| SENTENCES[i]);
    let folders = [[
        (
            "a.txt",
            format!("{one}\n\n{pasted}\n\n{two}\n\n{pasted}\n\n{three}\n"),
        ),
        ("b.txt", format!("{four}\n\n{edited}\n\n{five}\n")),
    ]];
    for files in folders {
        known_folder(&files);
    }
    // A copy with its sentences swapped and one with a sentence added: the occurrences
    // carry an `edit`, which the validator checks.
    let s = SENTENCES;
    let edits = known_folder(&[
        ("a.txt", format!("{} {}\n\n{} {}\n", s[0], s[1], s[2], s[3])),
        (
            "b.txt",
            format!("{} {}\n\n{} {} {}\n", s[1], s[0], s[2], s[3], s[4]),
        ),
    ]);
    let edits: Vec<&str> = edits
        .iter()
        .flat_map(|f| f["occurrences"].as_array().expect("occurrences"))
        .filter_map(|o| o.get("edit")?.as_str())
        .collect();
    assert_eq!(edits, ["sentences_reordered", "sentence_added"]);
    // Six stories of one site (files directly in the folder: the source "") ending in
    // the same share and copyright lines: one template of three members.
    let footer =
        "Share this story\n\nFollow us online\n\nCopyright 2026 Town Crier. All rights reserved.";
    let pages: Vec<(String, String)> = (0..6)
        .map(|i| {
            let name = format!("story-{i}.txt");
            (
                name,
                format!("{}\n\n{}\n\n{footer}\n", s[2 * i], s[2 * i + 1]),
            )
        })
        .collect();
    let pages: Vec<(&str, String)> = pages.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let templated = known_folder(&pages);
    let members = templated
        .iter()
        .filter(|f| f.get("template").is_some())
        .count();
    assert_eq!(members, 3, "{templated:?}");
}

/// Writes `files` to a fresh folder, scans it, validates the JSON report and returns its
/// findings.
fn known_folder(files: &[(&str, String)]) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut scanned = Scanned::default();
    for (path, text) in files {
        std::fs::write(dir.path().join(path), text).expect("write a file");
        scanned
            .files
            .insert((*path).to_string(), text.clone().into_bytes());
        scanned.documents += 1;
    }
    let json = scan_to_json(dir.path(), &paradup::ScanOptions::default());
    validate(&json, &scanned);
    json["findings"].as_array().expect("findings").clone()
}

/// Scans a folder and parses its JSON report.
fn scan_to_json(root: &Path, opts: &paradup::ScanOptions) -> Value {
    let report = paradup::scan(&[root.to_path_buf()], opts).expect("scan");
    let mut json = Vec::new();
    paradup::render(&report, paradup::Format::Json, false, &mut json).expect("render JSON");
    serde_json::from_slice(&json).expect("the JSON report parses")
}

/// How many reports had each kind of entry, so the validator is known to have seen them.
#[derive(Debug, Default)]
struct Seen {
    findings: AtomicUsize,
    blocks: AtomicUsize,
    templates: AtomicUsize,
    suggestions: AtomicUsize,
    errors: AtomicUsize,
    warnings: AtomicUsize,
}

impl Seen {
    fn count(&self, json: &Value) {
        for (key, counter) in [
            ("findings", &self.findings),
            ("blocks", &self.blocks),
            ("templates", &self.templates),
            ("suggestions", &self.suggestions),
            ("errors", &self.errors),
            ("warnings", &self.warnings),
        ] {
            if json[key].as_array().is_some_and(|a| !a.is_empty()) {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}
