//! Real-world inputs: encodings and line endings, feeds, walking options, standard input.
//! Every occurrence must point at the bytes and lines of the file on disk.

use predicates::prelude::*;
use serde_json::Value;

use super::{Fixture, WIRE, paradup, scan_json};

/// The occurrences of a finding as `(path, start_line, end_line)`.
fn places(report: &Value, finding: usize) -> Vec<(String, u64, u64)> {
    report["findings"][finding]["occurrences"]
        .as_array()
        .expect("occurrences")
        .iter()
        .map(|o| {
            (
                o["path"].as_str().unwrap().to_string(),
                o["start_line"].as_u64().unwrap(),
                o["end_line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn files(report: &Value) -> Vec<String> {
    let mut paths: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["occurrences"].as_array().unwrap().iter())
        .map(|o| o["path"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// A story where paragraph 2 is pasted again as paragraph 4, joined with `eol`.
fn doubled(eol: &str) -> String {
    [WIRE[0], WIRE[1], WIRE[2], WIRE[1]].join(&format!("{eol}{eol}")) + eol
}

/// Checks the doubled paragraph's two occurrences: lines 3 and 7, and bytes that slice
/// back to the paragraph in `disk` (decoded with `decode`).
fn assert_doubled_on_disk(report: &Value, disk: &[u8], decode: impl Fn(&[u8]) -> String) {
    let occ = report["findings"][0]["occurrences"].as_array().unwrap();
    assert_eq!(occ.len(), 2, "{report:#}");
    for (o, line) in occ.iter().zip([3, 7]) {
        assert_eq!(o["start_line"], line, "{o:#}");
        assert_eq!(o["end_line"], line, "{o:#}");
        let (s, e) = (
            o["start_byte"].as_u64().unwrap() as usize,
            o["end_byte"].as_u64().unwrap() as usize,
        );
        assert_eq!(decode(&disk[s..e]), WIRE[1]);
    }
}

#[test]
fn utf16_with_bom_points_at_bytes_on_disk() {
    let f = Fixture::new();
    for (name, le) in [("le.txt", true), ("be.txt", false)] {
        let mut raw = if le {
            vec![0xFF, 0xFE]
        } else {
            vec![0xFE, 0xFF]
        };
        for unit in doubled("\r\n").encode_utf16() {
            raw.extend_from_slice(&if le {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        f.file(name, &raw);
        let (code, report) = scan_json(f.dir.path(), &[name, "--fail-on", "any"]);
        assert_eq!(code, 1);
        assert_eq!(report["warnings"].as_array().unwrap().len(), 0);
        assert_doubled_on_disk(&report, &raw, |b| {
            let units: Vec<u16> = b
                .chunks(2)
                .map(|c| {
                    if le {
                        u16::from_le_bytes([c[0], c[1]])
                    } else {
                        u16::from_be_bytes([c[0], c[1]])
                    }
                })
                .collect();
            String::from_utf16(&units).unwrap()
        });
    }
}

#[test]
fn utf8_bom_crlf_and_lone_cr_line_endings() {
    let f = Fixture::new();
    for (name, eol, bom) in [
        ("bom.txt", "\n", true),
        ("crlf.txt", "\r\n", false),
        ("cr.txt", "\r", false),
    ] {
        let mut raw = if bom {
            b"\xEF\xBB\xBF".to_vec()
        } else {
            Vec::new()
        };
        raw.extend_from_slice(doubled(eol).as_bytes());
        f.file(name, &raw);
        let (_, report) = scan_json(f.dir.path(), &[name, "--fail-on", "any"]);
        assert_doubled_on_disk(&report, &raw, |b| String::from_utf8(b.to_vec()).unwrap());
    }
}

#[test]
fn damaged_utf8_is_read_lossily_with_a_warning() {
    let f = Fixture::new();
    let mut raw = "Café owners said the water reached the counters by noon on Monday.\n\n"
        .as_bytes()
        .to_vec();
    raw.extend_from_slice(b"A stray \xFF byte.\n\n");
    raw.extend_from_slice(doubled("\n").as_bytes());
    f.file("damaged.txt", &raw);
    paradup(f.dir.path())
        .args(["scan", "damaged.txt"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "damaged.txt: invalid UTF-8: 1 byte sequence(s) replaced",
        ));
}

const FEED: &str = concat!(
    r#"{"id": "w-1", "headline": "Flood", "body": "Relief convoys reached the flooded river towns of the Vell valley on Tuesday, three days after the levee near Ostrava Mill gave way.\n\nRegional officials said the water had started to fall in the lower districts but warned that more rain was expected before the weekend."}"#,
    "\n",
    "{\"id\": \"w-2\", \"body\": \"broken\n",
    r#"{"url": "https://example.org/w-3", "body": "<p>Regional officials said the water had started to fall in the lower districts but warned that more rain was expected before the weekend.</p>\n<p>Caf\u00e9 owners were still pumping water out of their cellars on \"Wednesday\" morning.</p>"}"#,
    "\n",
);

#[test]
fn feed_records_are_documents_and_a_malformed_record_is_an_error_entry() {
    let f = Fixture::new();
    f.file("feed.jsonl", FEED);
    f.file("story.txt", [WIRE[2], WIRE[1]].join("\n\n"));
    let (code, report) = scan_json(f.dir.path(), &[".", "--fail-on", "any"]);
    assert_eq!(code, 2, "a record that could not be read fails the run");
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["path"], "feed.jsonl");
    assert_eq!(errors[0]["line"], 2);
    assert!(
        errors[0]["error"]
            .as_str()
            .unwrap()
            .starts_with("record 2: invalid JSON")
    );
    assert_eq!(
        report["stats"]["documents"], 3,
        "two records and one text file"
    );
    // The same paragraph in a plain record, an HTML record and a text file: one finding.
    assert_eq!(
        report["findings"].as_array().unwrap().len(),
        1,
        "{report:#}"
    );
    assert_eq!(report["findings"][0]["scope"], "across");
    let occ = report["findings"][0]["occurrences"].as_array().unwrap();
    let records: Vec<(&str, u64, &str)> = occ
        .iter()
        .map(|o| {
            (
                o["path"].as_str().unwrap(),
                o["start_line"].as_u64().unwrap(),
                o["record"]["id"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        records,
        vec![
            ("feed.jsonl", 1, "w-1"),
            ("feed.jsonl", 3, "https://example.org/w-3"),
            ("story.txt", 3, "")
        ]
    );
    for o in occ {
        let (s, e) = (
            o["start_byte"].as_u64().unwrap() as usize,
            o["end_byte"].as_u64().unwrap() as usize,
        );
        let disk = if o["path"] == "feed.jsonl" {
            FEED
        } else {
            &[WIRE[2], WIRE[1]].join("\n\n")
        };
        assert!(
            disk[s..e].contains("Regional officials said"),
            "{}",
            &disk[s..e]
        );
        assert_eq!(o["text"], WIRE[1]);
    }
    assert_eq!(occ[1]["element"], "body > p:nth-of-type(1)");
    assert_eq!(occ[1]["region"], "body");
}

#[test]
fn text_and_id_fields_can_be_chosen() {
    let f = Fixture::new();
    let rec =
        |slug: &str, story: &str| serde_json::json!({"slug": slug, "story": story}).to_string();
    let doubled = [WIRE[0], WIRE[0]].join("\n\n");
    f.file(
        "cms.json",
        format!("[\n{},\n{}\n]\n", rec("a", WIRE[3]), rec("b", &doubled)),
    );
    // Without the field it is not an article feed: skipped with a warning, and with
    // nothing else to read the run fails.
    let (code, report) = scan_json(f.dir.path(), &["cms.json", "--fail-on", "any"]);
    assert_eq!(code, 2);
    assert!(
        report["warnings"][0]["warning"]
            .as_str()
            .unwrap()
            .contains("no text field")
    );
    let (code, report) = scan_json(
        f.dir.path(),
        &[
            "cms.json",
            "--text-field",
            "story",
            "--id-field",
            "slug",
            "--fail-on",
            "any",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(report["errors"].as_array().unwrap().len(), 0);
    assert_eq!(
        places(&report, 0),
        vec![("cms.json".into(), 3, 3), ("cms.json".into(), 3, 3)]
    );
    assert_eq!(report["findings"][0]["occurrences"][0]["record"]["id"], "b");
    assert_eq!(report["findings"][0]["scope"], "within");
}

#[test]
fn walking_respects_ignore_hidden_globs_and_size() {
    let f = Fixture::new();
    let story = doubled("\n");
    for name in [
        "a/story.txt",
        "a/draft.md",
        ".hidden/story.txt",
        "skipme/story.txt",
    ] {
        f.file(name, &story);
    }
    f.file(
        "big/story.html",
        format!("<p>{}</p>\n<p>{}</p>\n", WIRE[1], WIRE[1]),
    );
    f.file("notes.rst", &story); // unknown extension: not read when walking
    f.file(".ignore", "skipme/\n");
    let walked = |args: &[&str]| {
        let mut all = vec!["."];
        all.extend_from_slice(args);
        files(&scan_json(f.dir.path(), &all).1)
    };
    assert_eq!(
        walked(&[]),
        vec!["a/draft.md", "a/story.txt", "big/story.html"]
    );
    assert_eq!(
        walked(&["--hidden", "--no-ignore"]),
        vec![
            ".hidden/story.txt",
            "a/draft.md",
            "a/story.txt",
            "big/story.html",
            "skipme/story.txt"
        ]
    );
    assert_eq!(walked(&["--include", "*.txt"]), vec!["a/story.txt"]);
    assert_eq!(walked(&["--exclude", "a/**"]), vec!["big/story.html"]);
    let (_, report) = scan_json(
        f.dir.path(),
        &[".", "--max-filesize", "100", "--fail-on", "any"],
    );
    let errors = report["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 3);
    assert!(
        errors[0]["error"]
            .as_str()
            .unwrap()
            .contains("--max-filesize")
    );
    paradup(f.dir.path())
        .args(["scan", ".", "--max-filesize", "12Q"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown size suffix"));
    paradup(f.dir.path())
        .args(["scan", ".", "--include", "a/[oops"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--include"));
}

#[test]
fn symlinks_are_followed_only_when_asked_and_loops_are_reported() {
    let f = Fixture::new();
    f.file("real/story.txt", doubled("\n"));
    std::os::unix::fs::symlink(f.path("real"), f.path("linked")).unwrap();
    std::os::unix::fs::symlink(f.dir.path(), f.path("real/loop")).unwrap();
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "any"]);
    assert_eq!(files(&report), vec!["real/story.txt"]);
    let (code, report) = scan_json(f.dir.path(), &[".", "--follow", "--fail-on", "any"]);
    assert_eq!(code, 2, "the loop is an error entry");
    assert_eq!(files(&report), vec!["linked/story.txt", "real/story.txt"]);
    let errors = report["errors"].as_array().unwrap();
    assert!(
        errors
            .iter()
            .any(|e| e["error"].as_str().unwrap().contains("symbolic link loop")),
        "{errors:?}"
    );
}

#[test]
fn standard_input_is_one_article() {
    let f = Fixture::new();
    paradup(f.dir.path())
        .args(["scan", "-"])
        .write_stdin(doubled("\n"))
        .assert()
        .code(1)
        .stdout(predicate::str::contains("<stdin>:7"));
    let html = format!(
        "<article><p>{}</p><p>{}</p><p>{}</p></article>",
        WIRE[0], WIRE[1], WIRE[1]
    );
    let out = paradup(f.dir.path())
        .args(["scan", "-", "--stdin-format", "html", "--format", "json"])
        .write_stdin(html)
        .output()
        .unwrap();
    let report: Value = super::parse_report(&out.stdout);
    assert_eq!(
        report["findings"][0]["occurrences"][1]["element"],
        "article > p:nth-of-type(3)"
    );
    assert_eq!(report["findings"][0]["occurrences"][1]["path"], "<stdin>");
}

fn corpus() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn scan_corpus(extra: &[&str]) -> Value {
    let out = paradup(&corpus())
        .args(["scan", ".", "--format", "json", "--fail-on", "never"])
        .args(extra)
        .output()
        .unwrap();
    super::parse_report(&out.stdout)
}

/// Every HTML occurrence's bytes are its element on disk, from `<` to `>`, on the lines
/// the report gives.
#[test]
fn html_occurrences_point_at_their_elements() {
    let report = scan_corpus(&[]);
    let mut checked = 0;
    for o in report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["occurrences"].as_array().unwrap())
        .filter(|o| o["path"].as_str().unwrap().contains(".htm"))
    {
        let disk = std::fs::read(corpus().join(o["path"].as_str().unwrap())).unwrap();
        let (s, e) = (
            o["start_byte"].as_u64().unwrap() as usize,
            o["end_byte"].as_u64().unwrap() as usize,
        );
        let element = String::from_utf8_lossy(&disk[s..e]);
        assert!(element.starts_with('<'), "{element:?}");
        let line_of = |at: usize| 1 + memchr::memchr_iter(b'\n', &disk[..at]).count() as u64;
        assert_eq!(o["start_line"].as_u64().unwrap(), line_of(s), "{o:#}");
        assert_eq!(o["end_line"].as_u64().unwrap(), line_of(e - 1), "{o:#}");
        let words = |t: &str| {
            t.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .count()
        };
        let first_word = o["text"]
            .as_str()
            .unwrap()
            .split(|c: char| !c.is_alphanumeric())
            .find(|w| !w.is_empty())
            .unwrap();
        assert!(element.contains(first_word), "{element:?}");
        assert!(
            words(&element) >= words(o["text"].as_str().unwrap()),
            "{element:?}"
        );
        assert!(o["element"].as_str().unwrap().len() > 1);
        checked += 1;
    }
    assert!(checked >= 30, "only {checked} HTML occurrences");
}

/// Page templates are boilerplate, never editorial findings; `--body-only` drops them.
#[test]
fn page_chrome_is_boilerplate_and_body_only_leaves_it_out() {
    let report = scan_corpus(&[]);
    let chrome_findings: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["occurrences"]
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o["region"] == "chrome")
        })
        .collect();
    assert!(chrome_findings.len() >= 10, "{}", chrome_findings.len());
    for f in &chrome_findings {
        assert_eq!(f["kind"], "boilerplate", "{f:#}");
    }
    let body_only = scan_corpus(&["--body-only"]);
    let regions: Vec<&Value> = body_only["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["occurrences"].as_array().unwrap())
        .filter_map(|o| o.get("region"))
        .collect();
    assert!(!regions.is_empty());
    assert!(regions.iter().all(|r| *r == "body"), "{regions:?}");
    let boilerplate = |r: &Value| r["stats"]["boilerplate"].as_u64().unwrap();
    assert!(boilerplate(&body_only) + 10 <= boilerplate(&report));
    assert_eq!(body_only["stats"]["exact"], report["stats"]["exact"]);
    assert_eq!(body_only["stats"]["near"], report["stats"]["near"]);
}
