//! `paradup fix` and `--format patch`: exactly the accidental repeats go, nothing else
//! changes, patch and `--write` agree, and no file is ever left half-written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use predicates::prelude::*;

use super::{Fixture, WIRE, paradup};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` (relative path → bytes), temporary files of an interrupted
/// write left out.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().unwrap() != ".git" {
                    stack.push(path);
                }
                continue;
            }
            let rel = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if rel.contains(".paradup-") && Path::new(&rel).extension().is_some_and(|e| e == "tmp")
            {
                continue;
            }
            out.insert(rel, std::fs::read(&path).unwrap());
        }
    }
    out
}

fn copy_corpus(to: &Path) {
    for (rel, bytes) in files(&repo().join("corpus")) {
        let path = to.join(&rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

/// The corpus as `fix --write` must leave it: the files of `tests/fixtures/fixed` in place
/// of their originals, every other file unchanged.
fn expected_fixed_corpus() -> BTreeMap<String, Vec<u8>> {
    let mut want = files(&repo().join("corpus"));
    let fixed = files(&repo().join("tests/fixtures/fixed"));
    assert_eq!(
        fixed.len(),
        5,
        "one fixed file per planted paste: txt, md, html, htm, jsonl"
    );
    for (rel, bytes) in fixed {
        assert!(want.contains_key(&rel), "{rel} is not a corpus file");
        want.insert(rel, bytes);
    }
    want
}

#[test]
fn fix_write_removes_exactly_the_planted_repeats_in_every_format() {
    let f = Fixture::new();
    copy_corpus(f.dir.path());
    paradup(f.dir.path())
        .args(["fix", "."])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("dry run"));
    assert_eq!(
        files(f.dir.path()),
        files(&repo().join("corpus")),
        "a dry run changes nothing"
    );

    paradup(f.dir.path())
        .args(["fix", ".", "--write"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "5 file(s) fixed, 6 paragraph(s) removed",
        ));
    assert_eq!(files(f.dir.path()), expected_fixed_corpus());

    // Idempotent, and nothing exact is repeated inside a document any more.
    paradup(f.dir.path())
        .args(["fix", ".", "--write"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "0 file(s) fixed, 0 paragraph(s) removed",
        ));
    assert_eq!(files(f.dir.path()), expected_fixed_corpus());
    paradup(f.dir.path())
        .args(["scan", ".", "--fail-on", "within-exact"])
        .assert()
        .code(0);
}

#[test]
fn patch_applies_with_git_and_patch_and_gives_the_fixed_files() {
    let f = Fixture::new();
    let (git_dir, patch_dir) = (f.path("git"), f.path("patch"));
    copy_corpus(&git_dir);
    copy_corpus(&patch_dir);
    let patch = paradup(&git_dir)
        .args(["scan", ".", "--format", "patch"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(
        paradup(&git_dir)
            .args(["fix", "."])
            .output()
            .unwrap()
            .stdout,
        patch,
        "fix's dry run prints the same patch"
    );
    let text = String::from_utf8_lossy(&patch);
    assert!(
        text.contains("@@ -12,10 +12,6 @@ F16 F17 paradup"),
        "{text}"
    );
    assert!(
        text.contains("#   F16 delete lines 15-15: exact repeat"),
        "{text}"
    );
    let patch_file = f.path("fix.patch");
    std::fs::write(&patch_file, &patch).unwrap();

    let run = |cmd: &mut Process| {
        let out = cmd.output().expect("runs");
        assert!(
            out.status.success(),
            "{cmd:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(Process::new("git")
        .current_dir(&git_dir)
        .arg("apply")
        .arg("--check")
        .arg(&patch_file));
    run(Process::new("git")
        .current_dir(&git_dir)
        .arg("apply")
        .arg(&patch_file));
    run(Process::new("patch")
        .current_dir(&patch_dir)
        .args(["-p1", "--quiet", "--no-backup-if-mismatch", "-i"])
        .arg(&patch_file));
    let want = expected_fixed_corpus();
    assert_eq!(files(&git_dir), want, "git apply");
    assert_eq!(files(&patch_dir), want, "patch -p1");
}

#[test]
fn near_and_boilerplate_are_opt_in_and_cross_document_copies_stay() {
    let f = Fixture::new();
    copy_corpus(f.dir.path());
    paradup(f.dir.path())
        .args(["fix", ".", "--write", "--near"])
        .assert()
        .code(0);
    // The near repeat in the storm drain story is gone, the first version kept.
    let drains = std::fs::read_to_string(f.path("wbnm/local-storm-drain-overhaul.txt")).unwrap();
    let original =
        std::fs::read_to_string(repo().join("corpus/wbnm/local-storm-drain-overhaul.txt")).unwrap();
    assert_eq!(original.lines().count() - 2, drains.lines().count());
    assert_eq!(drains.lines().nth(6), original.lines().nth(6));
    paradup(f.dir.path()).args(["scan", "."]).assert().code(0);

    paradup(f.dir.path())
        .args(["fix", ".", "--write", "--boilerplate"])
        .assert()
        .code(0);
    let kvsh = std::fs::read_to_string(f.path("kvsh/wire-orlan-flood.txt")).unwrap();
    assert!(!kvsh.contains("Northlight Press Agency. All rights reserved"));
    assert!(!kvsh.contains("Download the KVSH"));
    // Syndicated paragraphs are never touched: every wire copy keeps them.
    for outlet in ["kpln", "kvsh", "kxrt", "wbnm"] {
        let text =
            std::fs::read_to_string(f.path(&format!("{outlet}/wire-orlan-flood.txt"))).unwrap();
        assert!(
            text.contains("Hydrologists expect the crest to reach Dunholt"),
            "{outlet}"
        );
    }
    let page = std::fs::read_to_string(f.path("valley-courier/orlan-river-flood.html")).unwrap();
    assert!(
        !page.contains("<li><a href=\"/local/\">"),
        "menu items are boilerplate"
    );
    assert!(page.contains("Hydrologists expect the crest"));
}

#[test]
fn a_file_changed_after_the_scan_is_refused() {
    let f = Fixture::new();
    let doubled = [WIRE[0], WIRE[1], WIRE[1]].join("\n\n") + "\n";
    f.file("a.txt", &doubled).file("b.txt", &doubled);
    let report = paradup::scan(
        &[f.dir.path().to_path_buf()],
        &paradup::ScanOptions::default(),
    )
    .unwrap();
    let selection = paradup::fix::Selection::default();
    std::fs::write(f.path("a.txt"), doubled.replace("Relief", "Aid")).unwrap();
    let (plans, errors) = paradup::fix::plan(&report, selection);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].path, "a.txt");
    assert!(errors[0].error.contains("changed since it was scanned"));
    assert_eq!(plans.len(), 1);
    // Changed between planning and writing: refused too.
    std::fs::write(
        f.path("b.txt"),
        doubled.clone() + "\nA late edit by a person.\n",
    )
    .unwrap();
    let err = paradup::fix::write_plan(&report, &plans[0], paradup::fix::WriteOptions::default())
        .unwrap_err();
    assert!(
        err.error.contains("changed since it was scanned"),
        "{err:?}"
    );
    assert!(
        std::fs::read_to_string(f.path("b.txt"))
            .unwrap()
            .ends_with("A late edit by a person.\n")
    );
}

#[test]
fn read_only_files_are_reported_not_forced_and_backups_keep_the_original() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    let doubled = [WIRE[0], WIRE[1], WIRE[1]].join("\r\n\r\n") + "\r\n";
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(doubled.as_bytes());
    f.file("locked.txt", &doubled).file("open.txt", &with_bom);
    std::fs::set_permissions(f.path("locked.txt"), std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(f.path("open.txt"), std::fs::Permissions::from_mode(0o640)).unwrap();
    paradup(f.dir.path())
        .args(["fix", ".", "--write", "--backup"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "locked.txt: read-only file; not fixed",
        ));
    assert_eq!(
        std::fs::read_to_string(f.path("locked.txt")).unwrap(),
        doubled
    );
    // The BOM, CRLF line endings and permissions stay; the original is kept as .orig.
    let mut want = b"\xEF\xBB\xBF".to_vec();
    want.extend_from_slice(([WIRE[0], WIRE[1]].join("\r\n\r\n") + "\r\n").as_bytes());
    assert_eq!(std::fs::read(f.path("open.txt")).unwrap(), want);
    assert_eq!(std::fs::read(f.path("open.txt.orig")).unwrap(), with_bom);
    let mode = std::fs::metadata(f.path("open.txt"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640);
}

#[test]
fn utf16_and_symlinked_files_are_fixed_in_place() {
    let f = Fixture::new();
    let doubled = [WIRE[2], WIRE[3], WIRE[3]].join("\n\n") + "\n";
    let utf16 = |text: &str| {
        let mut raw = vec![0xFF, 0xFE];
        raw.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        raw
    };
    f.file("wide.txt", utf16(&doubled));
    f.file("real/story.txt", &doubled);
    std::os::unix::fs::symlink(f.path("real/story.txt"), f.path("link.txt")).unwrap();
    paradup(f.dir.path())
        .args(["fix", "wide.txt", "link.txt", "--write"])
        .assert()
        .code(0);
    let fixed = [WIRE[2], WIRE[3]].join("\n\n") + "\n";
    assert_eq!(std::fs::read(f.path("wide.txt")).unwrap(), utf16(&fixed));
    assert_eq!(
        std::fs::read_to_string(f.path("real/story.txt")).unwrap(),
        fixed
    );
    assert!(
        std::fs::symlink_metadata(f.path("link.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// Kills `fix --write` at random moments over many files: every file must be wholly the
/// old text or wholly the new one, never truncated or mixed.
#[test]
fn killed_fix_never_leaves_a_damaged_file() {
    let f = Fixture::new();
    let files_n = 150;
    // Two paragraphs of word salad per file (no two files alike), the second pasted twice.
    let vocabulary: Vec<&str> = WIRE.iter().flat_map(|p| p.split_whitespace()).collect();
    let mut state = 7_u64;
    let mut salad = || {
        (0..16)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                vocabulary[(state >> 33) as usize % vocabulary.len()]
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    let (mut old, mut new) = (Vec::new(), Vec::new());
    for _ in 0..files_n {
        let (first, second) = (salad(), salad());
        old.push(format!("{first}\n\n{second}\n\n{second}\n"));
        new.push(format!("{first}\n\n{second}\n"));
    }
    let reset = || {
        for (i, text) in old.iter().enumerate() {
            std::fs::write(f.path(&format!("d/{i:03}.txt")), text).unwrap();
        }
    };
    std::fs::create_dir_all(f.path("d")).unwrap();
    reset();
    let bin = assert_cmd::cargo::cargo_bin("paradup");
    // How long a whole run takes, to spread the kills over it.
    let started = std::time::Instant::now();
    let status = Process::new(&bin)
        .current_dir(f.dir.path())
        .args(["fix", "d", "--write", "-q"])
        .output()
        .unwrap();
    assert!(status.status.success());
    let full = started.elapsed().as_micros().max(1000) as u64;
    for (i, text) in new.iter().enumerate() {
        assert_eq!(
            &std::fs::read_to_string(f.path(&format!("d/{i:03}.txt"))).unwrap(),
            text
        );
    }
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let (mut partial, mut kills) = (0, 0);
    for _ in 0..100 {
        reset();
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let wait = (seed >> 33) % (full + full / 2);
        let mut child = Process::new(&bin)
            .current_dir(f.dir.path())
            .args(["fix", "d", "--write", "-q"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(wait));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        kills += 1;
        let mut changed = 0;
        for i in 0..files_n {
            let now = std::fs::read_to_string(f.path(&format!("d/{i:03}.txt"))).unwrap();
            assert!(
                now == old[i] || now == new[i],
                "file {i} damaged after a kill: {now:?}"
            );
            changed += usize::from(now == new[i]);
        }
        partial += usize::from(changed > 0 && changed < files_n);
    }
    assert_eq!(kills, 100);
    eprintln!("{kills} kills over a {full} µs run: {partial} left some files fixed and some not");
    // Some kills must have landed in the middle of the writes, or the test proves little.
    assert!(
        partial >= 5,
        "only {partial} of 100 kills interrupted the writing"
    );
}

#[test]
fn boilerplate_pasted_twice_in_one_article_is_removed_by_default() {
    let f = Fixture::newsroom();
    let local = std::fs::read_to_string(f.path("kaaa/local.txt")).unwrap();
    let footer = super::footer("KAAA");
    let pasted = local.replace(&footer, &format!("{footer}\n\n{footer}"));
    f.file("kaaa/local.txt", &pasted);
    paradup(f.dir.path())
        .args(["fix", ".", "--write"])
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read_to_string(f.path("kaaa/local.txt")).unwrap(),
        local
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    /// Whatever the articles, `fix` (with `--near`) leaves every document holding each of
    /// its long paragraphs at least once, and exact repeats at most once.
    #[test]
    fn the_only_copy_of_a_paragraph_is_never_deleted(
        docs in proptest::collection::vec(proptest::collection::vec(0usize..8, 1..8), 1..5)
    ) {
        let vocabulary: Vec<&str> = WIRE.iter().flat_map(|p| p.split_whitespace()).collect();
        let pool: Vec<String> = (0..8u64)
            .map(|k| {
                (0..12u64)
                    .map(|w| vocabulary[((k * 7919 + w * 104_729) ^ (k << 5)) as usize % vocabulary.len()])
                    .collect::<Vec<_>>()
                    .join(" ")
                    + "."
            })
            .collect();
        let f = Fixture::new();
        for (d, paras) in docs.iter().enumerate() {
            let text: Vec<&str> = paras.iter().map(|&p| pool[p].as_str()).collect();
            f.file(&format!("{d}.txt"), text.join("\n\n") + "\n");
        }
        let report = paradup::scan(&[f.dir.path().to_path_buf()], &paradup::ScanOptions::default()).unwrap();
        let selection = paradup::fix::Selection { near: true, boilerplate: false };
        let (plans, errors) = paradup::fix::plan(&report, selection);
        proptest::prop_assert!(errors.is_empty());
        for (d, paras) in docs.iter().enumerate() {
            let name = format!("{d}.txt");
            let fixed = plans
                .iter()
                .find(|p| report.sources[p.source].shown_path == name)
                .map_or_else(|| std::fs::read_to_string(f.path(&name)).unwrap(), |p| String::from_utf8(p.fixed.clone()).unwrap());
            let after: Vec<&str> = fixed.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
            for &p in paras {
                let copies = after.iter().filter(|a| **a == pool[p]).count();
                proptest::prop_assert!(copies == 1, "paragraph {} has {} copies in {}: {:?}", p, copies, name, after);
            }
            proptest::prop_assert!(after.iter().all(|a| pool.iter().any(|p| p == a)));
        }
    }
}

/// Options that only mean something together are usage errors apart, before any file
/// is touched: `--backup` needs `--write`, and `-o` (where the patch goes) has no patch
/// to write under `--write`.
#[test]
fn backup_without_write_and_write_with_output_are_usage_errors() {
    let f = Fixture::new();
    f.file(
        "story.txt",
        format!("{}\n\n{}\n\n{}\n", WIRE[0], WIRE[1], WIRE[0]),
    );
    let before = files(f.dir.path());
    for args in [
        &["fix", ".", "--backup"][..],
        &["fix", ".", "--write", "-o", "fix.patch"][..],
    ] {
        paradup(f.dir.path())
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--write"));
        assert_eq!(files(f.dir.path()), before, "{args:?} changed nothing");
    }
}

/// A file name with spaces survives the patch header for both `git apply` and
/// `patch -p1`.
#[test]
fn a_patch_for_a_file_name_with_spaces_applies_with_git_and_patch() {
    let f = Fixture::new();
    let story = format!("{}\n\n{}\n\n{}\n", WIRE[0], WIRE[1], WIRE[0]);
    let fixed = format!("{}\n\n{}\n", WIRE[0], WIRE[1]);
    for tool in ["git", "patch"] {
        f.file(&format!("{tool}/late edition/front page.txt"), &story);
    }
    let patch = paradup(&f.path("git"))
        .args(["fix", "."])
        .output()
        .unwrap()
        .stdout;
    let text = String::from_utf8_lossy(&patch);
    assert!(
        text.contains("--- a/late edition/front page.txt\t\n"),
        "{text}"
    );
    let patch_file = f.path("fix.patch");
    std::fs::write(&patch_file, &patch).unwrap();
    for (tool, args) in [
        ("git", &["apply"][..]),
        (
            "patch",
            &["-p1", "--quiet", "--no-backup-if-mismatch", "-i"][..],
        ),
    ] {
        let out = Process::new(tool)
            .current_dir(f.path(tool))
            .args(args)
            .arg(&patch_file)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{tool}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    for tool in ["git", "patch"] {
        let got = std::fs::read_to_string(f.path(&format!("{tool}/late edition/front page.txt")));
        assert_eq!(got.unwrap(), fixed, "{tool}");
    }
}

/// `fix -` is a filter: the cleaned article on standard output, the removals on
/// standard error.
#[test]
fn fix_of_standard_input_prints_the_cleaned_article() {
    let f = Fixture::new();
    let story = format!("{}\n\n{}\n\n{}\n", WIRE[0], WIRE[1], WIRE[0]);
    paradup(f.dir.path())
        .args(["fix", "-"])
        .write_stdin(story)
        .assert()
        .code(0)
        .stdout(format!("{}\n\n{}\n", WIRE[0], WIRE[1]))
        .stderr(predicate::str::contains("removed 1 paragraph"));
}
