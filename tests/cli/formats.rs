use serde_json::Value;

use super::{Fixture, paradup};

fn scan_json(f: &Fixture) -> Value {
    let out = paradup(f.dir.path())
        .args(["scan", ".", "--format", "json"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).expect("JSON parses")
}

#[test]
fn json_has_the_version_1_fields() {
    let f = Fixture::newsroom();
    let r = scan_json(&f);
    assert_eq!(r["version"], 1);
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
    let r = scan_json(&f);
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
