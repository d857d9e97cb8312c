use predicates::prelude::*;
use serde_json::Value;

use super::{Fixture, paradup};

fn json(out: &[u8]) -> Value {
    super::parse_report(out)
}

#[test]
fn within_document_repeats_fail_by_default() {
    let f = Fixture::newsroom();
    paradup(f.dir.path()).args(["scan", "."]).assert().code(1);
}

#[test]
fn fail_on_never_and_clean_input_exit_zero() {
    let f = Fixture::newsroom();
    paradup(f.dir.path())
        .args(["scan", ".", "--fail-on", "never"])
        .assert()
        .code(0);
    // Without the doubled copy nothing is repeated inside a document.
    std::fs::remove_file(f.path("kaaa/wire.txt")).unwrap();
    paradup(f.dir.path()).args(["scan", "."]).assert().code(0);
    // ... but cross-document copies fail at --fail-on across.
    paradup(f.dir.path())
        .args(["scan", ".", "--fail-on", "across"])
        .assert()
        .code(1);
}

#[test]
fn unreadable_and_binary_files_are_error_entries_and_the_scan_goes_on() {
    let f = Fixture::newsroom();
    f.file("kaaa/photo.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    std::os::unix::fs::symlink(f.path("gone.txt"), f.path("dangling.txt")).unwrap();
    let out = paradup(f.dir.path())
        .args(["scan", ".", "dangling.txt", "--format", "json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("binary"))
        .get_output()
        .stdout
        .clone();
    let report = json(&out);
    let errors = report["errors"].as_array().unwrap();
    let reasons: Vec<(String, String)> = errors
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        reasons
            .iter()
            .any(|(p, e)| p == "dangling.txt" && e.contains("no such file")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|(p, e)| p.ends_with("kaaa/photo.txt") && e.contains("binary")),
        "{reasons:?}"
    );
    assert_eq!(
        report["stats"]["documents"], 6,
        "the six articles were still read"
    );
}

#[test]
fn permission_denied_is_an_error_entry() {
    let f = Fixture::newsroom();
    f.file(
        "kaaa/locked.txt",
        "Some text that nobody may read at all today.",
    );
    let locked = f.path("kaaa/locked.txt");
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        return; // running as root: permissions are not enforced
    }
    let out = paradup(f.dir.path())
        .args(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    let report = json(&out.stdout);
    assert!(
        report["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["error"] == "permission denied")
    );
}

#[test]
fn windows_1252_is_detected_and_decoded_with_a_warning() {
    let f = Fixture::new();
    let mut bytes = super::WIRE[0].as_bytes().to_vec();
    bytes.extend_from_slice(
        b"\n\nCaf\xE9 owners said the water reached the counters by noon on Monday.\n\n",
    );
    bytes.extend_from_slice(super::WIRE[0].as_bytes());
    f.file("latin1.txt", &bytes);
    let out = paradup(f.dir.path())
        .args(["scan", "latin1.txt", "--format", "json"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("decoded as Windows-1252"))
        .get_output()
        .stdout
        .clone();
    let report = json(&out);
    assert_eq!(report["warnings"].as_array().unwrap().len(), 1);
    let occ = &report["findings"][0]["occurrences"][1];
    assert_eq!(occ["start_line"], 5);
    assert_eq!(
        occ["start_byte"].as_u64().unwrap() as usize,
        bytes.len() - super::WIRE[0].len()
    );
}

#[test]
fn no_readable_input_exits_two() {
    let f = Fixture::new();
    paradup(f.dir.path())
        .args(["scan", "missing-folder"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing-folder"));
    f.file("empty/notes.bin", "x");
    paradup(f.dir.path())
        .args(["scan", "empty"])
        .assert()
        .code(2);
}

#[test]
fn usage_errors_exit_two() {
    let f = Fixture::newsroom();
    paradup(f.dir.path()).args(["scan"]).assert().code(2);
    paradup(f.dir.path())
        .args(["scan", ".", "--threshold", "1.5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--threshold"));
}

#[test]
fn output_file_gets_the_report_and_stdout_stays_empty() {
    let f = Fixture::newsroom();
    paradup(f.dir.path())
        .args(["scan", ".", "--format", "json", "--output", "report.json"])
        .assert()
        .code(1)
        .stdout("");
    let report = json(&std::fs::read(f.path("report.json")).unwrap());
    assert_eq!(report["version"], 2);
}

#[test]
fn colors_only_when_asked_and_never_with_no_color() {
    let f = Fixture::newsroom();
    let plain = paradup(f.dir.path()).args(["scan", "."]).output().unwrap();
    assert!(!plain.stdout.contains(&0x1b), "not a terminal: no escapes");
    let forced = paradup(f.dir.path())
        .args(["scan", ".", "--color", "always"])
        .output()
        .unwrap();
    assert!(forced.stdout.contains(&0x1b));
    let no_color = paradup(f.dir.path())
        .env("NO_COLOR", "1")
        .args(["scan", "."])
        .output()
        .unwrap();
    assert!(!no_color.stdout.contains(&0x1b));
}

#[test]
fn results_do_not_depend_on_thread_count() {
    let f = Fixture::newsroom();
    let run = |jobs: &str| {
        let out = paradup(f.dir.path())
            .args(["scan", ".", "--format", "json", "-j", jobs])
            .output()
            .unwrap();
        let mut report = json(&out.stdout);
        report.as_object_mut().unwrap().remove("timing");
        report
    };
    assert_eq!(run("1"), run("2"));
}

#[test]
fn near_clusters_do_not_chain_and_lose_no_pair() {
    // B differs from A in 5 of 20 words, C differs from B in 5 other words: A≈B and
    // B≈C at 0.75, but A and C share only half their words.
    let a: Vec<String> = (0..20).map(|i| format!("word{i}")).collect();
    let mut b = a.clone();
    for i in [1, 3, 5, 7, 9] {
        b[i] = format!("bee{i}");
    }
    let mut c = b.clone();
    for i in [11, 13, 15, 17, 19] {
        c[i] = format!("sea{i}");
    }
    let f = Fixture::new();
    f.file("one.txt", format!("{}\n", a.join(" ")));
    f.file("two.txt", format!("{}\n", b.join(" ")));
    f.file("three.txt", format!("{}\n", c.join(" ")));
    let out = paradup(f.dir.path())
        .args(["scan", ".", "--format", "json", "--threshold", "0.7"])
        .output()
        .unwrap();
    let report = json(&out.stdout);
    let findings = report["findings"].as_array().unwrap();
    // Both verified pairs are reported (B is in two findings); A and C never together.
    assert_eq!(findings.len(), 2, "{findings:#?}");
    let mut pairs = Vec::new();
    for finding in findings {
        let mut paths: Vec<&str> = finding["occurrences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["path"].as_str().unwrap())
            .collect();
        paths.sort_unstable();
        assert!(finding["similarity"].as_f64().unwrap() >= 0.7);
        pairs.push(paths);
    }
    pairs.sort();
    assert_eq!(pairs, [["one.txt", "two.txt"], ["three.txt", "two.txt"]]);
}

#[test]
fn markdown_syntax_is_ignored_and_code_is_not_prose() {
    let f = Fixture::new();
    let code =
        "```\nembed: <iframe src=\"https://example.org/map\"></iframe> for the flood map\n```\n";
    f.file(
        "plain.txt",
        format!("{}\n\n{}\n", super::WIRE[0], super::WIRE[1]),
    );
    f.file(
        "styled.md",
        format!(
            "---\ntitle: Relief convoys reach the valley\n---\n\n# Relief convoys reach the valley\n\n{}\n\n{code}\n> {}\n",
            super::WIRE[0].replace("Relief convoys", "*Relief* [convoys](https://example.org/c)"),
            super::WIRE[1],
        ),
    );
    f.file("other.md", format!("# Relief convoys reach the valley\n\n{code}\nA different article about something else entirely, with words.\n"));
    let out = paradup(f.dir.path())
        .args(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    let report = json(&out.stdout);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{findings:#?}");
    for finding in findings {
        assert_eq!(finding["kind"], "exact");
        let occ = finding["occurrences"].as_array().unwrap();
        assert_eq!(occ[1]["path"], "styled.md");
    }
    // The quote's span includes its marker.
    assert!(
        findings[1]["occurrences"][1]["text"]
            .as_str()
            .unwrap()
            .starts_with("> Regional")
    );
}

/// Nothing read is an error that says why: the filters in force, or that every file
/// found failed.
#[test]
fn no_input_says_why() {
    let f = Fixture::new();
    f.file(
        "notes.xml",
        "Some prose in a file type paradup does not walk for.\n",
    );
    paradup(f.dir.path())
        .args(["scan", ".", "--exclude", "drafts/**"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no file passed the filters"))
        .stderr(predicate::str::contains("--exclude drafts/**"))
        .stderr(predicate::str::contains("--hidden"));
    f.file("bad.txt", b"\x00\x01 binary".as_slice());
    paradup(f.dir.path())
        .args(["scan", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "each of the 1 file(s) found failed",
        ));
}
