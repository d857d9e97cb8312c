//! CLI integration tests: one binary, one module per concern.

// Exit codes, errors[] entries, --output, colors, determinism.
mod scan;
// `-o`: standard output, devices, FIFOs, symbolic links, atomic replacement.
mod output;
// Report formats: JSON shape and the text snapshot.
mod formats;
// Encodings, line endings, feeds, walking options, standard input.
mod inputs;
// `fix` and the patch report: exact edits, atomic writes, refusals, kills.
mod fix;
// The archive index and `check`.
mod check;
// paradup.toml, the allowlist and drift.
mod config;
// Syndication vs boilerplate, pastes, scripts, reordering, templates, chains.
mod detection;
// Hostile inputs: empty, binary, huge, deep, odd names, loops, races, limits.
mod adversarial;

use std::path::{Path, PathBuf};

use assert_cmd::Command;

#[path = "../support/report.rs"]
mod report;
pub use report::{inline_texts, parse_report};

/// The `paradup` binary, run from `dir`.
pub fn paradup(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("paradup").expect("binary built by cargo");
    cmd.current_dir(dir).env_remove("NO_COLOR");
    cmd
}

/// A temporary folder of articles.
/// `paradup scan ARGS --format json` in `dir`: the exit code and the parsed report.
pub fn scan_json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let out = paradup(dir)
        .arg("scan")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("paradup runs");
    let report = parse_report(&out.stdout);
    (out.status.code().expect("an exit code"), report)
}

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Default for Fixture {
    fn default() -> Self {
        Self::new()
    }
}

impl Fixture {
    pub fn new() -> Self {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// Writes `contents` to `rel` (creating folders).
    pub fn file(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// A small newsroom: one wire story at three outlets (one copy pastes two paragraphs
    /// twice, one edits a figure), a local story per outlet, footers and share lines.
    pub fn newsroom() -> Self {
        let f = Fixture::new();
        let p = WIRE;
        let story = |paras: &[&str], footer: &str| {
            let mut s = paras.join("\n\n");
            s.push_str("\n\n");
            s.push_str(footer);
            s.push_str("\n\nFacebook\nX\nEmail\nPrint\n");
            s
        };
        let doubled = [p[0], p[1], p[2], p[3], p[2], p[3], p[4], p[5]];
        f.file("kaaa/wire.txt", story(&doubled, &footer("KAAA")));
        let edited: Vec<String> = p.iter().map(|s| s.replace("4,200", "4,600")).collect();
        let edited: Vec<&str> = edited.iter().map(String::as_str).collect();
        f.file("kbbb/wire.txt", story(&edited, &footer("KBBB")));
        f.file("kccc/wire.txt", story(p, &footer("KCCC")));
        f.file("kaaa/local.txt", story(&LOCAL_A, &footer("KAAA")));
        f.file("kbbb/local.txt", story(&LOCAL_B, &footer("KBBB")));
        f.file("kccc/local.txt", story(&LOCAL_C, &footer("KCCC")));
        f
    }
}

pub fn footer(call: &str) -> String {
    format!(
        "Download the {call} Radio app for breaking news, weather alerts and traffic, free on every phone."
    )
}

/// Original prose written for these tests.
pub const WIRE: &[&str] = &[
    "Relief convoys reached the flooded river towns of the Vell valley on Tuesday, three days after the levee near Ostrava Mill gave way.",
    "Regional officials said the water had started to fall in the lower districts but warned that more rain was expected before the weekend.",
    "The authorities have moved more than 4,200 residents into schools and sports halls, according to the regional emergency office.",
    "At least 18 people have died and dozens are still missing, the office said, adding that search teams were working through the night.",
    "Engineers plan to close the breach with rock-filled barges once the current slows, a task they expect to take at least a week.",
    "The national weather service said a second band of storms could bring another 60 millimetres of rain to the hills upstream.",
];

pub const LOCAL_A: [&str; 3] = [
    "The city library will open on Sundays from next month after the council found money in the parks budget.",
    "Librarians said the extra day would help students who work during the week and families who cannot visit on weekdays.",
    "A volunteer group has offered to run a reading hour for children on the first Sunday of every month.",
];
pub const LOCAL_B: [&str; 3] = [
    "Bus fares on the harbor line will stay at two dollars for another year, the transit board decided on Monday.",
    "Board members said ridership had recovered faster than expected and that the line now carries more passengers than before.",
    "Drivers asked for a new shelter at the ferry terminal, where riders wait in the rain during the morning rush.",
];
pub const LOCAL_C: [&str; 3] = [
    "A high school robotics team from the east side has qualified for the national finals for the first time.",
    "The students built their machine in a borrowed garage and paid for parts with a bake sale and a car wash.",
    "Their coach said the team would need about three thousand dollars to cover travel and hotel costs for the trip.",
];
