//! `paradup.toml`: settings, precedence, errors, and the allowlist with drift.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::Value;

use super::{Fixture, paradup};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

const COPYRIGHT: &str = "Copyright 2026 Northlight Press Agency. All rights reserved. This report may not be reprinted, rebroadcast or resold without a written licence from the agency.";
const KXRT_FOOTER: &str = "Download the KXRT Radio app for breaking news, weather alerts and local traffic, free on iOS and Android.";

/// Scans the bundled corpus from `dir` (where a paradup.toml may be) as JSON.
fn scan(dir: &Path, extra: &[&str]) -> Value {
    let out = paradup(dir)
        .arg("scan")
        .arg(corpus())
        .args(["--format", "json", "--fail-on", "never"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    super::parse_report(&out.stdout)
}

/// Every finding as (kind, sorted occurrence places).
fn findings(report: &Value) -> BTreeSet<(String, Vec<(String, u64)>)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let mut places: Vec<(String, u64)> = f["occurrences"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| {
                    (
                        o["path"].as_str().unwrap().to_string(),
                        o["start_line"].as_u64().unwrap(),
                    )
                })
                .collect();
            places.sort();
            (f["kind"].as_str().unwrap().to_string(), places)
        })
        .collect()
}

#[test]
fn the_allowlist_suppresses_exactly_the_listed_paragraphs() {
    let f = Fixture::new();
    let before = findings(&scan(f.dir.path(), &[]));
    let copyright: Vec<_> = before
        .iter()
        .filter(|(_, places)| places.contains(&("kxrt/wire-orlan-flood.txt".to_string(), 35)))
        .cloned()
        .collect();
    assert_eq!(copyright.len(), 1);
    // By text (spacing and case do not matter) ...
    f.file(
        "paradup.toml",
        format!(
            "[[allow]]\nname = \"agency copyright\"\ntext = \"{}\"\n",
            COPYRIGHT.to_uppercase().replace(". ", ".  ")
        ),
    );
    let report = scan(f.dir.path(), &[]);
    let after = findings(&report);
    let removed: Vec<_> = before.difference(&after).cloned().collect();
    assert_eq!(removed, copyright, "only the copyright line's finding goes");
    assert!(after.is_subset(&before));
    assert!(report["drift"].as_array().unwrap().is_empty());
    // ... or by the fingerprint reports print.
    let fingerprint = scan(Path::new("/"), &["--no-config"])["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["occurrences"].as_array().unwrap())
        .find(|o| o["text"].as_str().unwrap().starts_with("Copyright 2026"))
        .unwrap()["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    f.file(
        "paradup.toml",
        format!("[[allow]]\nfingerprint = \"{fingerprint}\"\n"),
    );
    assert_eq!(findings(&scan(f.dir.path(), &[])), after);
    // --no-config ignores the file.
    assert_eq!(findings(&scan(f.dir.path(), &["--no-config"])), before);
}

#[test]
fn near_copies_of_an_approved_footer_are_drift() {
    let f = Fixture::new();
    f.file(
        "paradup.toml",
        format!("[[allow]]\nname = \"KXRT footer\"\ntext = \"{KXRT_FOOTER}\"\n"),
    );
    let report = scan(f.dir.path(), &[]);
    let drift = report["drift"].as_array().unwrap();
    // Every other station's footer (12 of the 15 .txt files) differs only by call sign.
    assert_eq!(drift.len(), 12, "{drift:#?}");
    assert!(drift.iter().all(|d| d["approved"] == "KXRT footer"));
    assert!(
        drift
            .iter()
            .all(|d| !d["path"].as_str().unwrap().starts_with("kxrt/"))
    );
    let text = paradup(f.dir.path())
        .arg("scan")
        .arg(corpus())
        .args(["--color", "never"])
        .output()
        .unwrap()
        .stdout;
    let text = String::from_utf8_lossy(&text);
    assert!(
        text.contains("drifted from the approved \"KXRT footer\""),
        "{text}"
    );
    assert!(text.contains("[-KXRT-]{+KVSH+}"), "{text}");
}

#[test]
fn settings_apply_flags_override_and_mistakes_are_named() {
    let f = Fixture::newsroom();
    // The doubled paste makes `within` fail; the file relaxes the gate, a flag restores it.
    f.file("paradup.toml", "fail_on = \"never\"\nmin_words = 5\n");
    paradup(f.dir.path()).args(["scan", "."]).assert().code(0);
    paradup(f.dir.path())
        .args(["scan", ".", "--fail-on", "within"])
        .assert()
        .code(1);
    f.file("sub/dir/.keep", "");
    paradup(&f.path("sub/dir"))
        .args(["scan", "../.."])
        .assert()
        .code(0);
    f.file("paradup.toml", "fail_on = \"never\"\nthreshhold = 0.8\n");
    paradup(f.dir.path())
        .args(["scan", "."])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("paradup.toml").and(predicate::str::contains("threshhold")),
        );
    f.file("paradup.toml", "min_words = \"six\"\n");
    paradup(f.dir.path())
        .args(["scan", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("min_words"));
    paradup(f.dir.path())
        .args(["scan", ".", "--config", "missing.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.toml"));
}

#[test]
fn a_baseline_hides_known_findings_and_gates_only_new_ones() {
    let f = Fixture::newsroom();
    paradup(f.dir.path())
        .args([
            "scan",
            ".",
            "--format",
            "json",
            "-o",
            "base.json",
            "--fail-on",
            "never",
        ])
        .assert()
        .code(0);
    paradup(f.dir.path())
        .args(["scan", ".", "--baseline", "base.json", "--fail-on", "any"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("hidden by the baseline"));
    // A new accidental paste elsewhere is reported and fails.
    let local = std::fs::read_to_string(f.path("kbbb/local.txt")).unwrap();
    let first = super::LOCAL_B[0];
    f.file(
        "kbbb/local.txt",
        local.replace(first, &format!("{first}\n\n{first}")),
    );
    let out = paradup(f.dir.path())
        .args(["scan", ".", "--baseline", "base.json", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: Value = super::parse_report(&out.stdout);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{findings:#?}");
    assert!(
        findings[0]["occurrences"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["path"] == "kbbb/local.txt")
    );
    paradup(f.dir.path())
        .args(["scan", ".", "--baseline", "kaaa/wire.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a paradup JSON report"));
}

#[test]
fn inline_suppression_in_markdown_html_and_text() {
    let f = Fixture::new();
    let quote = super::WIRE[2];
    f.file(
        "a.md",
        format!(
            "{}\n\n{quote}\n\n<!-- paradup-ignore -->\n{quote}\n",
            super::WIRE[0]
        ),
    );
    f.file("b.html", format!("<p>{quote}</p>\n<!-- paradup-ignore-start -->\n<p>{quote}</p>\n<p>{quote}</p>\n<!-- paradup-ignore-end -->\n"));
    f.file("c.txt", format!("{quote}\n\n[paradup-ignore]\n\n{quote}\n"));
    let out = paradup(f.dir.path())
        .args(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let report: Value = super::parse_report(&out.stdout);
    // Only the unsuppressed copies remain: one per file, an across finding.
    let places: Vec<(String, u64)> = report["findings"][0]["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["path"].as_str().unwrap().to_string(),
                o["start_line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("a.md".to_string(), 3),
            ("b.html".to_string(), 1),
            ("c.txt".to_string(), 1)
        ]
    );
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
}

/// A `[sources]` pattern that is not a glob stops the run with an error naming the
/// file, the table and the pattern (not a flag).
#[test]
fn a_bad_sources_glob_is_a_config_error_naming_it() {
    let f = Fixture::newsroom();
    f.file(
        "paradup.toml",
        "[sources]\n\"kaaa/**\" = \"kaaa\"\n\"feeds/[ap-*.jsonl\" = \"ap\"\n",
    );
    let out = paradup(f.dir.path()).args(["scan", "."]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("paradup.toml: [sources] \"feeds/[ap-*.jsonl\": invalid glob"),
        "{stderr}"
    );
    assert!(!stderr.contains("--"), "{stderr}");
    assert!(out.stdout.is_empty());
    f.file("paradup.toml", "[sources]\n\"kaaa/**\" = \"kaaa\"\n");
    paradup(f.dir.path())
        .args(["scan", ".", "--fail-on", "never"])
        .assert()
        .code(0);
}

/// An allowlist entry that matches no paragraph (stale: the footer was reworded long
/// ago) is a warning naming it; an entry that matches, exactly or as drift, is not.
#[test]
fn an_allow_entry_that_matches_nothing_is_a_warning() {
    let f = Fixture::new();
    f.file(
        "paradup.toml",
        format!(
            "[[allow]]\nname = \"agency copyright\"\ntext = \"{COPYRIGHT}\"\n\n[[allow]]\nname = \"old footer\"\ntext = \"Listen to the Harbor FM breakfast show every weekday from six on 101.4 FM.\"\n"
        ),
    );
    let report = scan(f.dir.path(), &[]);
    let warnings: Vec<&str> = report["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["warning"].as_str().unwrap())
        .filter(|w| w.contains("allow entry"))
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("\"old footer\""), "{warnings:?}");
    let out = paradup(f.dir.path())
        .arg("scan")
        .arg(corpus())
        .args(["--fail-on", "never"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("paradup.toml") && stderr.contains("old footer"),
        "{stderr}"
    );
}
