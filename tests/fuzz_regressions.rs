//! Fuzzing regressions: every input under `tests/fuzz_regressions/<target>/` goes through
//! the check of the fuzz target of that name (`fuzz/checks.rs`, shared with the fuzz
//! targets, so an input is checked here exactly as the fuzzer checked it).
//!
//! A crash found by `fuzz/run.sh` is minimized (`cargo fuzz tmin`) and kept here, next
//! to hand-made tricky inputs, together with its fix; see `fuzz/README.md`.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::path::{Path, PathBuf};

fn regressions() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions")
}

/// Runs the check of `target` on every file of its folder, reporting all failures.
fn run(target: &str) {
    run_dir(target, &regressions().join(target));
}

/// Runs the check of `target` on every file of `dir`.
fn run_dir(target: &str, dir: &Path) {
    let check = checks::TARGETS
        .iter()
        .find(|(name, _)| *name == target)
        .map(|(_, check)| *check)
        .expect("a fuzz target of that name");
    let mut inputs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "no inputs in {}", dir.display());
    let failed: Vec<String> = inputs
        .iter()
        .filter(|path| {
            let data = std::fs::read(path).expect("a readable input");
            std::panic::catch_unwind(|| check(&data)).is_err()
        })
        .map(|path| path.display().to_string())
        .collect();
    assert!(
        failed.is_empty(),
        "{} of {} {target} inputs fail (see the panics above): {failed:#?}",
        failed.len(),
        inputs.len()
    );
}

#[test]
fn segment() {
    run("segment");
}

#[test]
fn html() {
    run("html");
}

#[test]
fn feed() {
    run("feed");
}

#[test]
fn fix() {
    run("fix");
}
