//! `paradup index` and `paradup check`: the archive index and the pre-publish check.

use std::path::{Path, PathBuf};
use std::process::{Command as Process, Stdio};

use predicates::prelude::*;
use serde_json::Value;

use super::{Fixture, WIRE, paradup};

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The paragraphs (blank-line separated) of a corpus file.
fn paragraphs(rel: &str) -> Vec<String> {
    std::fs::read_to_string(corpus().join(rel))
        .unwrap()
        .split("\n\n")
        .map(|p| p.trim().to_string())
        .collect()
}

fn check_json(dir: &Path, args: &[&str]) -> (Value, i32) {
    let out = paradup(dir)
        .arg("check")
        .args(args)
        .args(["--index", "idx.db", "--format", "json"])
        .output()
        .unwrap();
    let report = serde_json::from_slice(&out.stdout).map_or(Value::Null, super::inline_texts);
    (report, out.status.code().unwrap_or(-1))
}

/// An index of the bundled corpus, in a fresh folder.
fn indexed() -> Fixture {
    let f = Fixture::new();
    paradup(f.dir.path())
        .args(["index", "add", "--index", "idx.db"])
        .arg(corpus())
        .assert()
        .code(0)
        .stdout(predicate::str::contains("24 files: 24 fingerprinted"));
    f
}

#[test]
fn check_reports_verbatim_and_edited_archive_copies_and_passes_clean_articles() {
    let f = indexed();
    let wire = paragraphs("kvsh/wire-orlan-flood.txt");
    let verbatim = &wire[5]; // the defence ministry paragraph
    let edited = wire[7]
        .replace("Wednesday", "Thursday")
        .replace("emergency cabinet session", "special cabinet meeting");
    let article = [
        "Council approves a new budget for the harbor district after a long night of debate in the town hall.",
        verbatim,
        &edited,
        "The mayor said the vote showed that residents wanted the repairs finished before the next storm season.",
    ]
    .join("\n\n");
    f.file("new.txt", article + "\n");
    let (report, code) = check_json(f.dir.path(), &["new.txt"]);
    assert_eq!(code, 1, "{report:#}");
    let archive = report["archive"].as_array().unwrap();
    assert_eq!(archive.len(), 2, "{archive:#?}");
    let (exact, near) = (&archive[0], &archive[1]);
    assert_eq!(
        (exact["kind"].as_str(), exact["start_line"].as_u64()),
        (Some("exact"), Some(3))
    );
    assert_eq!(
        (near["kind"].as_str(), near["start_line"].as_u64()),
        (Some("near"), Some(5))
    );
    assert!(near["similarity"].as_f64().unwrap() > 0.85);
    let places = |a: &Value| -> Vec<(String, u64, u64)> {
        a["archived"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                let path = o["path"].as_str().unwrap();
                let rel = path
                    .rsplit_once("corpus/")
                    .map_or(path, |(_, r)| r)
                    .to_string();
                (
                    rel,
                    o["start_line"].as_u64().unwrap(),
                    o["end_line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    assert!(
        places(exact).contains(&("kvsh/wire-orlan-flood.txt".into(), 11, 11)),
        "{:?}",
        places(exact)
    );
    assert!(places(exact).contains(&("kxrt/wire-orlan-flood.txt".into(), 15, 15)));
    assert!(
        places(near).contains(&("kvsh/wire-orlan-flood.txt".into(), 15, 15)),
        "{:?}",
        places(near)
    );
    // The text report names the archived path and line too.
    paradup(f.dir.path())
        .args(["check", "new.txt", "--index", "idx.db"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("archive-exact"))
        .stdout(predicate::str::contains("kvsh/wire-orlan-flood.txt:11"));

    f.file(
        "clean.txt",
        "A brand new article about the school chess club, which meets every Tuesday in the library.\n\nThe club has forty members and plans a tournament for families in the spring.\n",
    );
    let (report, code) = check_json(f.dir.path(), &["clean.txt"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(report["archive"].as_array().unwrap().is_empty());
    // A station's footer and the agency copyright in a new wire-free article are
    // boilerplate, not a reason to fail.
    let local = paragraphs("kvsh/local-lake-corvin-dam.txt");
    let footer_and_share: Vec<&String> = local.iter().rev().take(2).collect();
    let fresh = format!(
        "Fresh headline about the ferry timetable\n\nThe ferry company will add an early sailing on weekdays from June, the harbor office said on Monday.\n\n{}\n\n{}\n",
        footer_and_share[1], footer_and_share[0]
    );
    f.file("fresh.txt", fresh);
    let (report, code) = check_json(f.dir.path(), &["fresh.txt"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["archive"][0]["kind"], "boilerplate", "{report:#}");
}

#[test]
fn an_indexed_article_does_not_match_itself() {
    let f = Fixture::new();
    let story = [WIRE[0], WIRE[1], WIRE[2]].join("\n\n") + "\n";
    f.file("archive/story.txt", &story);
    paradup(f.dir.path())
        .args(["index", "add", "archive", "--index", "idx.db"])
        .assert()
        .code(0);
    let (report, code) = check_json(f.dir.path(), &["archive/story.txt"]);
    assert_eq!(code, 0, "{report:#}");
    assert!(report["archive"].as_array().unwrap().is_empty());
    // A copy under another name is a match.
    f.file("copy.txt", &story);
    let (report, code) = check_json(f.dir.path(), &["copy.txt"]);
    assert_eq!(code, 1);
    assert_eq!(report["archive"].as_array().unwrap().len(), 3);
}

#[test]
fn re_adding_reads_only_changed_files_and_drops_their_old_paragraphs() {
    let f = Fixture::newsroom();
    let add = || {
        String::from_utf8(
            paradup(f.dir.path())
                .args(["index", "add", ".", "--index", "idx.db"])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap()
    };
    assert!(add().starts_with("6 files: 6 fingerprinted"));
    assert!(
        add().starts_with("6 files: 0 fingerprinted"),
        "unchanged files are not read"
    );
    // Touching a file without changing it: read, hashed, not fingerprinted.
    let text = std::fs::read_to_string(f.path("kccc/local.txt")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(f.path("kccc/local.txt"), &text).unwrap();
    assert!(add().starts_with("6 files: 0 fingerprinted"));
    // Changing it replaces its paragraphs.
    let old = super::LOCAL_C[1];
    std::fs::write(
        f.path("kccc/local.txt"),
        text.replace(
            old,
            "A different second paragraph about the robotics team and its many sponsors in town.",
        ),
    )
    .unwrap();
    assert!(add().starts_with("6 files: 1 fingerprinted"));
    f.file("probe/old.txt", format!("{old}\n"));
    let (report, _) = check_json(f.dir.path(), &["probe/old.txt"]);
    assert!(
        report["archive"].as_array().unwrap().is_empty(),
        "{report:#}"
    );
    // Pruning drops files that are gone.
    std::fs::remove_file(f.path("kccc/local.txt")).unwrap();
    paradup(f.dir.path())
        .args(["index", "prune", "--index", "idx.db"])
        .assert()
        .code(0)
        .stdout("1 files removed, 5 kept\n");
    paradup(f.dir.path())
        .args(["index", "stats", "--index", "idx.db"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("files       5"));
}

#[test]
fn an_index_of_another_version_is_refused() {
    let f = Fixture::newsroom();
    paradup(f.dir.path())
        .args(["index", "add", ".", "--index", "idx.db"])
        .assert()
        .code(0);
    let conn = rusqlite::Connection::open(f.path("idx.db")).unwrap();
    conn.execute(
        "UPDATE meta SET value = '99' WHERE key = 'schema_version'",
        [],
    )
    .unwrap();
    drop(conn);
    paradup(f.dir.path())
        .args(["check", "kaaa/wire.txt", "--index", "idx.db"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "index schema version 99 is not this paradup's",
        ));
    f.file("junk.db", "not a database at all, just text");
    paradup(f.dir.path())
        .args(["check", "kaaa/wire.txt", "--index", "junk.db"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("junk.db"));
    paradup(f.dir.path())
        .args(["check", "kaaa/wire.txt", "--index", "missing.db"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("paradup index add"));
}

/// An archive big enough that `index add` takes a while: `n` files of made-up prose.
fn big_archive(f: &Fixture, n: usize) {
    let vocabulary: Vec<&str> = WIRE.iter().flat_map(|p| p.split_whitespace()).collect();
    let mut state = 11_u64;
    let mut word = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1);
        vocabulary[(state >> 33) as usize % vocabulary.len()]
    };
    for i in 0..n {
        let text: Vec<String> = (0..12)
            .map(|_| (0..25).map(|_| word()).collect::<Vec<_>>().join(" ") + ".")
            .collect();
        f.file(
            &format!("big/{:02}/{i:05}.txt", i % 50),
            text.join("\n\n") + "\n",
        );
    }
}

#[test]
fn checks_run_while_the_index_is_written_and_a_killed_writer_leaves_it_usable() {
    let f = Fixture::newsroom();
    paradup(f.dir.path())
        .args(["index", "add", "kaaa", "kbbb", "--index", "idx.db"])
        .assert()
        .code(0);
    big_archive(&f, 1500);
    let bin = assert_cmd::cargo::cargo_bin("paradup");
    let writer = |dir: &Path| {
        Process::new(&bin)
            .current_dir(dir)
            .args(["index", "add", "big", "kccc", "--index", "idx.db", "-q"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // Readers while a writer works: every check answers (0 or 1), none fails.
    let mut child = writer(f.dir.path());
    let mut checks = 0;
    while child.try_wait().unwrap().is_none() && checks < 200 {
        let (report, code) = check_json(f.dir.path(), &["kccc/wire.txt"]);
        assert!(
            code == 0 || code == 1,
            "check failed during a write: {report:#}"
        );
        checks += 1;
    }
    assert!(child.wait().unwrap().success());
    assert!(
        checks >= 2,
        "the writer finished before any check ran ({checks})"
    );
    eprintln!("{checks} checks ran while index add wrote");

    // Kill a writer half way: the index stays readable and a new add completes it.
    for (i, path) in (0..300).map(|i| (i, f.path(&format!("big/{:02}/{i:05}.txt", i % 50)))) {
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace('.', &format!(" v{i}."))).unwrap();
    }
    let mut child = writer(f.dir.path());
    std::thread::sleep(std::time::Duration::from_millis(150));
    let _ = child.kill();
    let _ = child.wait();
    let (_, code) = check_json(f.dir.path(), &["kaaa/wire.txt"]);
    assert!(code == 0 || code == 1);
    paradup(f.dir.path())
        .args(["index", "stats", "--index", "idx.db"])
        .assert()
        .code(0);
    paradup(f.dir.path())
        .args(["index", "add", "big", "kccc", "--index", "idx.db"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1502 files:"));
    let again = paradup(f.dir.path())
        .args(["index", "add", "big", "kccc", "--index", "idx.db"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("1502 files: 0 fingerprinted"));
}

/// `check` run from a subfolder (a hook, an editor) finds the project's index in a
/// parent folder, as `paradup.toml` is found.
#[test]
fn check_finds_the_index_in_a_parent_folder() {
    let f = Fixture::new();
    let story = [WIRE[0], WIRE[1], WIRE[2]].join("\n\n") + "\n";
    f.file("archive/story.txt", &story);
    paradup(f.dir.path())
        .args(["index", "add", "archive"])
        .assert()
        .code(0);
    assert!(f.path(".paradup/index.db").is_file());
    f.file("drafts/today/copy.txt", &story);
    let out = paradup(&f.path("drafts/today"))
        .args(["check", "copy.txt", "--format", "json"])
        .output()
        .unwrap();
    let report: Value = super::parse_report(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{report:#}");
    assert_eq!(report["archive"].as_array().unwrap().len(), 3);
}
