//! The bundled corpus, checked exactly against `corpus/expected.json`: every planted
//! duplicate is found with the right kind and lines, and nothing else is flagged.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

type Occurrence = (String, u64, u64);
type Group = (String, Vec<Occurrence>);
/// Path, first copy's lines, repeat's lines.
type Block = (String, (u64, u64), (u64, u64));

fn occurrence(v: &Value) -> Occurrence {
    (
        v["path"].as_str().expect("path").to_string(),
        v["start_line"].as_u64().expect("start_line"),
        v["end_line"].as_u64().expect("end_line"),
    )
}

fn group(kind: &str, occurrences: &[Value]) -> Group {
    let mut occ: Vec<Occurrence> = occurrences.iter().map(occurrence).collect();
    occ.sort();
    (kind.to_string(), occ)
}

/// Blocks as (path, first copy's lines, repeat's lines); expected.json and the report
/// share this shape.
fn blocks(list: &Value) -> BTreeSet<Block> {
    let lines = |v: &Value| {
        (
            v["start_line"].as_u64().unwrap(),
            v["end_line"].as_u64().unwrap(),
        )
    };
    list.as_array()
        .unwrap()
        .iter()
        .map(|b| {
            (
                b["path"].as_str().unwrap().to_string(),
                lines(&b["first"]),
                lines(&b["repeat"]),
            )
        })
        .collect()
}

fn scan_corpus() -> Value {
    let report = paradup::scan(&[PathBuf::from("corpus")], &paradup::ScanOptions::default())
        .expect("the corpus scans");
    let mut json = Vec::new();
    paradup::render(&report, paradup::Format::Json, false, &mut json).expect("renders");
    serde_json::from_slice(&json).expect("valid JSON")
}

fn expected() -> Value {
    let text = std::fs::read_to_string("corpus/expected.json").expect("corpus/expected.json");
    serde_json::from_str(&text).expect("expected.json parses")
}

#[test]
fn findings_match_expected_exactly() {
    let expected = expected();
    let report = scan_corpus();
    let want: BTreeSet<Group> = expected["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            group(
                g["kind"].as_str().unwrap(),
                g["occurrences"].as_array().unwrap(),
            )
        })
        .collect();
    assert!(
        want.len() >= 15,
        "the corpus plants at least 15 groups, got {}",
        want.len()
    );
    let got: BTreeSet<Group> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            group(
                f["kind"].as_str().unwrap(),
                f["occurrences"].as_array().unwrap(),
            )
        })
        .collect();
    let missing: Vec<&Group> = want.difference(&got).collect();
    let unexpected: Vec<&Group> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "missing (expected but not found):\n{missing:#?}\nunexpected (found but not expected):\n{unexpected:#?}"
    );
    assert!(report["errors"].as_array().unwrap().is_empty());
}

#[test]
fn occurrences_point_at_the_planted_text() {
    let expected = expected();
    for g in expected["groups"].as_array().unwrap() {
        for o in g["occurrences"].as_array().unwrap() {
            let Some(prefix) = o["starts_with"].as_str() else {
                continue;
            };
            let path = PathBuf::from("corpus").join(o["path"].as_str().unwrap());
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            let line = text
                .lines()
                .nth(o["start_line"].as_u64().unwrap() as usize - 1)
                .unwrap();
            let line = line.trim_start_matches('\u{feff}');
            let line = line.trim_start_matches(['-', '*', '>', ' ']);
            assert!(
                line.starts_with(prefix),
                "{}:{}: {line:?} does not start with {prefix:?}",
                path.display(),
                o["start_line"]
            );
        }
    }
}

#[test]
fn doubled_pair_is_one_block_and_only_its_second_copy_is_deleted() {
    let expected = expected();
    let report = scan_corpus();
    let want = blocks(&expected["blocks"]);
    let got = blocks(&report["blocks"]);
    assert_eq!(got, want);
    assert!(!want.is_empty());

    let want_deletes: BTreeSet<Occurrence> = expected["deletions"]
        .as_array()
        .unwrap()
        .iter()
        .map(occurrence)
        .collect();
    let got_deletes: BTreeSet<Occurrence> = report["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["action"] == "delete")
        .map(occurrence)
        .collect();
    assert_eq!(got_deletes, want_deletes);
}

/// Scans the corpus with `opts` and returns its editorial (exact and near) findings as
/// groups, keeping only occurrences in `.txt` files and groups that still assert a
/// duplicate among them.
fn txt_groups(opts: &paradup::ScanOptions) -> BTreeSet<Group> {
    let report = paradup::scan(&[PathBuf::from("corpus")], opts).expect("the corpus scans");
    let mut json = Vec::new();
    paradup::render(&report, paradup::Format::Json, false, &mut json).expect("renders");
    let report: Value = serde_json::from_slice(&json).expect("valid JSON");
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] != "boilerplate")
        .filter_map(|f| {
            let txt: Vec<Value> = f["occurrences"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|o| {
                    o["path"]
                        .as_str()
                        .unwrap()
                        .to_ascii_lowercase()
                        .ends_with(".txt")
                })
                .cloned()
                .collect();
            // A near finding is about the `.txt` files only if they hold two variants.
            let variants: BTreeSet<u64> =
                txt.iter().map(|o| o["variant"].as_u64().unwrap()).collect();
            let editorial = txt.len() >= 2 && (f["kind"] == "exact" || variants.len() >= 2);
            editorial.then(|| group(f["kind"].as_str().unwrap(), &txt))
        })
        .collect()
}

/// HTML pages, feed records and Markdown copies of the stories join the same findings the
/// plain-text copies form on their own: adding formats neither splits nor merges them.
#[test]
fn mixed_formats_give_the_same_editorial_findings_as_plain_text_alone() {
    let mut txt_only = paradup::ScanOptions::default();
    txt_only.walk.include = vec!["*.txt".to_string()];
    let alone = txt_groups(&txt_only);
    let mixed = txt_groups(&paradup::ScanOptions::default());
    assert!(alone.len() >= 20, "{} groups", alone.len());
    assert_eq!(alone, mixed);
}

/// A wire paragraph is one cross-document finding across plain text, HTML pages and feed
/// records: wire A in `.txt`, `.html`, `.htm` and JSON Lines; wire B in `.txt`, Markdown,
/// JSON Lines (an HTML field) and a JSON array.
#[test]
fn the_same_paragraph_in_every_format_is_one_finding() {
    let report = scan_corpus();
    let formats = |f: &Value| -> BTreeSet<String> {
        f["occurrences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                let path = o["path"].as_str().unwrap();
                path.rsplit('.').next().unwrap().to_string()
            })
            .collect()
    };
    for wanted in [
        ["txt", "html", "htm", "jsonl"],
        ["txt", "md", "json", "jsonl"],
    ] {
        let found = report["findings"].as_array().unwrap().iter().any(|f| {
            f["kind"] == "exact"
                && f["scope"] != "within"
                && wanted.iter().all(|ext| formats(f).contains(*ext))
        });
        assert!(found, "no exact finding spans {wanted:?}");
    }
}
