use predicates::prelude::*;
use serde_json::Value;

use super::{Fixture, paradup, scan_json};

#[test]
fn json_has_the_version_2_fields() {
    let f = Fixture::newsroom();
    let r = scan_json(f.dir.path(), &["."]).1;
    assert_eq!(r["version"], 2);
    for key in ["documents", "paragraphs", "bytes"] {
        assert!(r["stats"][key].as_u64().unwrap() > 0, "stats.{key}");
    }
    for finding in r["findings"].as_array().unwrap() {
        assert!(finding["id"].as_str().unwrap().starts_with('F'));
        assert!(["exact", "near", "boilerplate"].contains(&finding["kind"].as_str().unwrap()));
        assert!(finding["similarity"].as_f64().unwrap() > 0.0);
        for occ in finding["occurrences"].as_array().unwrap() {
            for key in [
                "start_line",
                "end_line",
                "start_byte",
                "end_byte",
                "paragraph",
            ] {
                assert!(occ[key].is_u64(), "{key}");
            }
            // The text is the original bytes of the span.
            let path = f.path(occ["path"].as_str().unwrap());
            let bytes = std::fs::read(path).unwrap();
            let (s, e) = (
                occ["start_byte"].as_u64().unwrap() as usize,
                occ["end_byte"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                std::str::from_utf8(&bytes[s..e]).unwrap(),
                occ["text"].as_str().unwrap()
            );
        }
    }
    for s in r["suggestions"].as_array().unwrap() {
        assert!(["delete", "replace", "review"].contains(&s["action"].as_str().unwrap()));
        assert!(s["reason"].as_str().unwrap().len() > 10);
    }
    assert!(r["errors"].as_array().unwrap().is_empty());
}

#[test]
fn newsroom_findings_by_kind() {
    let f = Fixture::newsroom();
    let r = scan_json(f.dir.path(), &["."]).1;
    let findings = r["findings"].as_array().unwrap();
    let kinds = |kind: &str| findings.iter().filter(|x| x["kind"] == kind).count();
    // Paragraphs 0,1,4,5 at three outlets, and 2,3 (doubled at KAAA), exact; paragraph 2
    // edited at KBBB (4,200 -> 4,600) is near.
    assert_eq!(kinds("exact"), 6, "{findings:#?}");
    assert_eq!(kinds("near"), 1, "the edited paragraph");
    assert_eq!(
        kinds("boilerplate"),
        2,
        "footers and share lines across unrelated stories"
    );
    let blocks = r["blocks"].as_array().unwrap();
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0]["path"], "kaaa/wire.txt");
    let deletes: Vec<(u64, u64)> = r["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["start_line"].as_u64().unwrap(),
                s["end_line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        deletes,
        vec![(9, 9), (11, 11)],
        "exactly the second copy is deleted"
    );
}

#[test]
fn text_report_snapshot() {
    let f = Fixture::newsroom();
    let out = paradup(f.dir.path())
        .args(["scan", "kaaa", "kbbb"])
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

/// The required properties of the SARIF 2.1.0 objects paradup writes (from the OASIS
/// specification's schema): sarifLog {version, runs}; run {tool}; tool {driver};
/// toolComponent {name}; reportingDescriptor {id}; result {message}; message {text or
/// id}; physicalLocation {artifactLocation or address}; region {a start: startLine here}.
fn assert_sarif_shape(log: &Value) {
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "paradup");
    let rules = driver["rules"].as_array().expect("rules");
    for rule in rules {
        assert!(rule["id"].is_string());
        assert!(rule["shortDescription"]["text"].is_string());
    }
    for result in run["results"].as_array().expect("results") {
        assert!(
            result["message"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty()),
            "{result:#}"
        );
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
        let related = result["relatedLocations"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for location in result["locations"]
            .as_array()
            .unwrap()
            .iter()
            .chain(&related)
        {
            let physical = &location["physicalLocation"];
            assert!(
                physical["artifactLocation"]["uri"].is_string(),
                "{location:#}"
            );
            let region = &physical["region"];
            let (start, end) = (
                region["startLine"].as_u64().unwrap(),
                region["endLine"].as_u64().unwrap(),
            );
            assert!(start >= 1 && end >= start, "{region:#}");
        }
        assert!(
            result["partialFingerprints"]
                .as_object()
                .is_some_and(|m| !m.is_empty())
        );
    }
    assert!(run["invocations"][0]["executionSuccessful"].is_boolean());
}

#[test]
fn sarif_report_is_valid_and_flags_the_paste_at_the_repeat() {
    let f = Fixture::newsroom();
    let run = || {
        paradup(f.dir.path())
            .args(["scan", ".", "--format", "sarif"])
            .output()
            .unwrap()
    };
    let out = run();
    assert_eq!(
        out.status.code(),
        Some(1),
        "exit code still follows --fail-on"
    );
    assert_eq!(out.stdout, run().stdout, "deterministic");
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_sarif_shape(&log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let pastes: Vec<(u64, u64)> = results
        .iter()
        .filter(|r| r["ruleId"] == "exact-within")
        .map(|r| {
            assert_eq!(r["level"], "error");
            let at = &r["locations"][0]["physicalLocation"];
            assert_eq!(at["artifactLocation"]["uri"], "kaaa/wire.txt");
            let kept = &r["relatedLocations"][0]["physicalLocation"]["region"]["startLine"];
            (
                at["region"]["startLine"].as_u64().unwrap(),
                kept.as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(pastes, [(9, 5), (11, 7)]);
    // Occurrences of one text share their partial fingerprint.
    let across: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "exact-across")
        .collect();
    assert!(across.len() >= 2);
    let first = &across[0]["message"]["text"];
    let same: Vec<&Value> = across
        .iter()
        .filter(|r| r["message"]["text"].as_str().unwrap()[..4] == first.as_str().unwrap()[..4])
        .map(|r| &r["partialFingerprints"])
        .collect();
    assert!(
        same.len() >= 2 && same.iter().all(|p| *p == same[0]),
        "{same:?}"
    );
}

#[test]
fn github_annotations_point_at_the_repeat() {
    let f = Fixture::newsroom();
    let out = paradup(f.dir.path())
        .args(["scan", ".", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| {
            l.starts_with(
                "::error file=kaaa/wire.txt,line=9,endLine=9,title=paradup exact-within::",
            )
        })
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("the paragraph at line 5"), "{line}");
    assert!(text.lines().last().unwrap().contains("documents scanned"));
    paradup(f.dir.path())
        .args(["scan", ".", "--format", "github", "--fail-on", "never"])
        .assert()
        .code(0);
}

#[test]
fn markdown_report_is_compact_with_diffs() {
    let f = Fixture::newsroom();
    let out = paradup(f.dir.path())
        .args(["scan", ".", "--format", "markdown"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "| documents | paragraphs | exact | near | boilerplate | suggestions | errors |"
        ),
        "{text}"
    );
    // Repeats inside an article come first.
    let first = text.lines().find(|l| l.starts_with("#### ")).unwrap();
    assert!(
        first.contains("exact both") || first.contains("exact within"),
        "{first}"
    );
    assert!(text.contains("**delete** `kaaa/wire.txt:9-9`"), "{text}");
    assert!(
        text.contains("```diff") && text.contains("[-4,200-]") && text.contains("{+4,600+}"),
        "{text}"
    );
}

#[test]
fn show_prints_one_finding_of_a_saved_report() {
    let f = Fixture::newsroom();
    paradup(f.dir.path())
        .args([
            "scan",
            ".",
            "--format",
            "json",
            "-o",
            "r.json",
            "--fail-on",
            "never",
        ])
        .assert()
        .code(0);
    let report: Value = super::parse_report(&std::fs::read(f.path("r.json")).unwrap());
    let near = first_near_id(&report);
    paradup(f.dir.path())
        .args([
            "show",
            &near.to_lowercase(),
            "--report",
            "r.json",
            "--color",
            "never",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(format!("{near} near")))
        .stdout(predicate::str::contains("[-4,200-]{+4,600+}"))
        .stdout(predicate::str::contains("kbbb/wire.txt:5"));
    paradup(f.dir.path())
        .args(["show", "F999", "--report", "r.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the report has F1 to F"));
}

/// Reports saved by an earlier paradup (version 1: text and fingerprint on every
/// occurrence, no `texts` table) still work for `show` and as a baseline.
#[test]
fn show_and_baselines_read_version_1_reports() {
    let f = Fixture::newsroom();
    let (_, report) = super::scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    let mut old = report.clone();
    old["version"] = 1.into();
    old.as_object_mut().unwrap().remove("texts");
    assert!(old["findings"][0]["occurrences"][0]["text"].is_string());
    f.file("old.json", serde_json::to_string_pretty(&old).unwrap());
    let near = first_near_id(&report);
    paradup(f.dir.path())
        .args(["show", &near, "--report", "old.json", "--color", "never"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("[-4,200-]{+4,600+}"));
    paradup(f.dir.path())
        .args(["scan", ".", "--baseline", "old.json", "--fail-on", "any"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("hidden by the baseline"));
}

/// The id of a report's first near finding.
fn first_near_id(report: &Value) -> String {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "near")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}
