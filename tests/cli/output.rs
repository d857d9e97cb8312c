//! `-o PATH` writes the report without replacing what is at PATH unless it is a regular
//! file: `-` is standard output, devices and FIFOs are written in place, symbolic links
//! are followed, regular files are replaced atomically (issue 20).

use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::time::Duration;

use predicates::prelude::*;
use serde_json::Value;

use super::{Fixture, paradup};

fn json(out: &[u8]) -> Value {
    super::parse_report(out)
}

/// `paradup scan . --format json -o PATH` in the fixture.
fn scan_to(f: &Fixture, path: &std::path::Path) -> assert_cmd::assert::Assert {
    paradup(f.dir.path())
        .args(["scan", ".", "--format", "json", "-o"])
        .arg(path)
        .assert()
}

#[test]
fn dash_is_standard_output() {
    let f = Fixture::newsroom();
    let out = paradup(f.dir.path())
        .args(["scan", ".", "--format", "json", "-o", "-"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out.stdout)["version"], 2);
    // The patch of a dry-run `fix` too.
    let plain = paradup(f.dir.path()).args(["fix", "."]).output().unwrap();
    let dash = paradup(f.dir.path())
        .args(["fix", ".", "-o", "-"])
        .output()
        .unwrap();
    assert!(!plain.stdout.is_empty());
    assert_eq!(dash.stdout, plain.stdout);
    assert!(!f.path("-").exists(), "no file named `-`");
}

#[test]
fn a_fifo_gets_the_report_and_stays_a_fifo() {
    let f = Fixture::newsroom();
    let out = tempfile::tempdir().unwrap();
    let fifo = out.path().join("report.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = fifo.clone();
    // Opening a FIFO for reading blocks until paradup opens it for writing.
    std::thread::spawn(move || tx.send(std::fs::read(reader)));
    paradup(f.dir.path())
        .args(["scan", ".", "--format", "json", "-o"])
        .arg(&fifo)
        .timeout(Duration::from_mins(2))
        .assert()
        .code(1)
        .stdout("");
    let got = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the reader of the FIFO got the report")
        .unwrap();
    assert_eq!(json(&got)["version"], 2);
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "still a FIFO, not {kind:?}");
}

#[test]
fn a_symlink_stays_a_link_and_its_target_gets_the_report() {
    let f = Fixture::newsroom();
    let out = tempfile::tempdir().unwrap();
    std::fs::create_dir(out.path().join("real")).unwrap();
    let target = out.path().join("real/report.json");
    std::fs::write(&target, "old").unwrap();
    let link = out.path().join("report.json");
    std::os::unix::fs::symlink("real/report.json", &link).unwrap();
    scan_to(&f, &link).code(1).stdout("");
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        std::path::Path::new("real/report.json")
    );
    assert_eq!(json(&std::fs::read(&target).unwrap())["version"], 2);

    // A dangling link: its target is created, the link kept.
    let dangling = out.path().join("new.json");
    std::os::unix::fs::symlink("real/new.json", &dangling).unwrap();
    scan_to(&f, &dangling).code(1);
    assert!(std::fs::symlink_metadata(&dangling).unwrap().is_symlink());
    assert_eq!(
        json(&std::fs::read(out.path().join("real/new.json")).unwrap())["version"],
        2
    );

    // ... unless the target's folder does not exist: an error naming the path, and
    // the link is left alone.
    let nowhere = out.path().join("nowhere.json");
    std::os::unix::fs::symlink("missing/report.json", &nowhere).unwrap();
    scan_to(&f, &nowhere).code(2).stderr(
        predicate::str::contains(nowhere.display().to_string())
            .and(predicate::str::contains("does not exist")),
    );
    assert!(std::fs::symlink_metadata(&nowhere).unwrap().is_symlink());
}

#[test]
fn dev_null_stays_a_character_device() {
    let f = Fixture::newsroom();
    paradup(f.dir.path())
        .args(["scan", ".", "--format", "json", "-o", "/dev/null"])
        .assert()
        .code(1)
        .stdout("");
    let kind = std::fs::symlink_metadata("/dev/null").unwrap().file_type();
    assert!(kind.is_char_device(), "/dev/null is now {kind:?}");
}

#[test]
fn dev_stdout_is_standard_output_and_stays_a_link() {
    let f = Fixture::newsroom();
    let Ok(before) = std::fs::symlink_metadata("/dev/stdout") else {
        return; // no /dev/stdout here
    };
    let out = paradup(f.dir.path())
        .args(["scan", ".", "--format", "json", "-o", "/dev/stdout"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out.stdout)["version"], 2);
    let after = std::fs::symlink_metadata("/dev/stdout").unwrap();
    assert_eq!(after.file_type(), before.file_type());
}

#[test]
fn a_regular_file_is_replaced_atomically_keeping_its_permissions() {
    let f = Fixture::newsroom();
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("report.json");
    std::fs::write(&report, "old").unwrap();
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o640)).unwrap();
    // A second name for the old file: a rename leaves it the old bytes, a rewrite in
    // place would change them.
    let old = out.path().join("old.json");
    std::fs::hard_link(&report, &old).unwrap();
    scan_to(&f, &report).code(1);
    assert_eq!(json(&std::fs::read(&report).unwrap())["version"], 2);
    assert_eq!(std::fs::read(&old).unwrap(), b"old");
    let meta = std::fs::metadata(&report).unwrap();
    assert_eq!(meta.mode() & 0o777, 0o640, "permissions kept");
    let mut names: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["old.json", "report.json"], "no temporary file left");
}

#[test]
fn a_folder_is_an_error_naming_it() {
    let f = Fixture::newsroom();
    let out = tempfile::tempdir().unwrap();
    scan_to(&f, out.path()).code(2).stderr(
        predicate::str::contains(out.path().display().to_string())
            .and(predicate::str::contains("is a directory")),
    );
}
