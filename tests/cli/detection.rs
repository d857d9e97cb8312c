//! What a finding is: syndication told from boilerplate, pastes that gate, every script
//! tokenized, reordered and templated sentences, chains (issue 17). Each test is a case
//! that went wrong before; the prose is written for these tests.

use serde_json::Value;

use super::{Fixture, paradup};

/// Scans `dir` and returns the exit code and the JSON report.
fn scan_json(dir: &std::path::Path, extra: &[&str]) -> (i32, Value) {
    let out = paradup(dir)
        .args(["scan", ".", "--format", "json"])
        .args(extra)
        .output()
        .expect("paradup runs");
    let report = serde_json::from_slice(&out.stdout).expect("the JSON report parses");
    (out.status.code().expect("an exit code"), report)
}

/// (kind, scope, paths of the occurrences) of every finding.
fn findings(report: &Value) -> Vec<(String, String, Vec<String>)> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            let paths = f["occurrences"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["path"].as_str().unwrap().to_string())
                .collect();
            (
                f["kind"].as_str().unwrap().to_string(),
                f["scope"].as_str().unwrap().to_string(),
                paths,
            )
        })
        .collect()
}

const LEDE: &str = "The harbor authority will close the north pier for six weeks from Monday while divers replace the timber piles that hold up the old cargo shed.";

const OTHER: &[&str] = &[
    "Fishing crews that use the pier have been offered berths at the marina, where the fees will be waived until the work is done.",
    "The mayor said the repairs had been planned for years and could not wait for another winter of storms on the exposed side of the bay.",
    "Shop owners on the waterfront asked for extra signs so that visitors can still find the ferry ticket office during the closure.",
    "A spokesman for the contractor said the divers would work in two shifts and that the noise would stop every evening at seven.",
    "The cargo shed itself will stay open for the weekend market, which has been held there every Saturday since the nineteen fifties.",
    "Engineers found rot in about a third of the piles during an inspection last spring, after a crack appeared in the loading ramp.",
];

/// Case 2: a lede pasted twice into a story gates at `within`, even when two briefs
/// elsewhere start and end with the same paragraph.
#[test]
fn a_paste_gates_at_within_whatever_else_carries_it() {
    let f = Fixture::new();
    f.file(
        "story.txt",
        [LEDE, OTHER[0], LEDE, OTHER[1], OTHER[2]].join("\n\n"),
    );
    let (code, _) = scan_json(f.dir.path(), &["--fail-on", "within"]);
    assert_eq!(code, 1, "the paste alone fails");
    f.file("brief-a.txt", [LEDE, OTHER[3]].join("\n\n"));
    f.file("brief-b.txt", [OTHER[4], LEDE].join("\n\n"));
    let (code, report) = scan_json(f.dir.path(), &["--fail-on", "within"]);
    assert_eq!(code, 1, "still a paste with briefs around it: {report:#}");
    let (code, _) = scan_json(f.dir.path(), &["--fail-on", "within-exact"]);
    assert_eq!(code, 1);
}

/// Original Japanese prose, about 80 characters.
const JA: &str = "北部の港では、老朽化した木製の杭を交換するため、来週の月曜日から六週間にわたって桟橋が閉鎖される。漁船は近くのマリーナに移り、その間の使用料は免除されるという。";

/// Original Chinese prose.
const ZH: &str = "港务局表示，由于支撑旧货棚的木桩已经严重腐烂，北码头将从下周一起关闭六周，潜水员将分两班进行更换作业。";
const ZH_EDITED: &str = "港务局表示，由于支撑旧仓库的木桩已经严重腐烂，北码头将从下周二起关闭六周，潜水员将分两班进行更换作业。";
const ZH_OTHER: &str = "市长说，这项维修工程已经计划多年，不能再等到下一个风暴季节，否则海湾东侧的设施可能会进一步受损。";

/// Case 4: a Japanese paragraph pasted twice is an exact within-document repeat.
#[test]
fn a_japanese_paste_is_found_and_fails() {
    let f = Fixture::new();
    let other = "市長は、この工事は何年も前から計画されていたもので、冬の嵐の季節をもう一度待つことはできないと述べた。";
    f.file("ja/story.txt", [JA, other, JA].join("\n\n"));
    let (code, report) = scan_json(f.dir.path(), &[]);
    assert_eq!(code, 1, "{report:#}");
    let found = findings(&report);
    assert!(
        found
            .iter()
            .any(|(k, s, p)| k == "exact" && s == "within" && p.len() == 2),
        "{found:?}"
    );
}

/// Case 4: a Chinese copy with three characters changed is a near duplicate, and the
/// text report's diff names the changed characters, not the whole paragraph.
#[test]
fn a_chinese_copy_with_three_characters_changed_is_near() {
    let f = Fixture::new();
    f.file("a/story.txt", [ZH, ZH_OTHER].join("\n\n"));
    f.file("b/story.txt", [ZH_EDITED].join("\n\n"));
    let (_, report) = scan_json(f.dir.path(), &["--fail-on", "never"]);
    let found = findings(&report);
    assert!(
        found
            .iter()
            .any(|(k, s, p)| k == "near" && s == "across" && p.len() == 2),
        "{found:?}"
    );
    let text = paradup(f.dir.path())
        .args(["scan", ".", "--fail-on", "never", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(!text.contains(&format!("[-{ZH}-]")), "{text}");
}

/// Case 4: the casualty paragraph copied into two files is an editorial exact duplicate
/// across documents, not boilerplate.
#[test]
fn a_chinese_paragraph_in_two_files_is_exact_across() {
    let f = Fixture::new();
    f.file("a/story.txt", [ZH, ZH_OTHER].join("\n\n"));
    f.file(
        "b/story.txt",
        [
            "另一家媒体的报道说，码头关闭期间，渡轮售票处将照常营业，游客可以通过临时标志找到入口。",
            ZH,
        ]
        .join("\n\n"),
    );
    let (code, report) = scan_json(f.dir.path(), &["--fail-on", "across"]);
    let found = findings(&report);
    assert!(
        found.iter().any(|(k, s, _)| k == "exact" && s == "across"),
        "{found:?}"
    );
    assert_eq!(code, 1);
}

/// Case 4: Arabic with and without harakat (and a tatweel) is the same paragraph.
#[test]
fn arabic_with_harakat_is_an_exact_copy() {
    let plain = "أعلنت سلطة الميناء أن الرصيف الشمالي سيغلق لمدة ستة أسابيع اعتبارا من يوم الاثنين لاستبدال الأعمدة الخشبية القديمة";
    let vocalized = "أَعْلَنَت سُلْطَة المِيناء أَنَّ الرَّصِيف الشَّمالي سَيُغْلَق لِمُدَّة سِتَّة أَسابِيع اعْتِبارًا مِن يَوْم الاثْنَيْن لاسْتِبْدال الأَعْمِدَة الخَشَبِيَّة القـديمة";
    let f = Fixture::new();
    f.file("a/story.txt", plain);
    f.file("b/story.txt", vocalized);
    let (_, report) = scan_json(f.dir.path(), &["--fail-on", "never"]);
    let found = findings(&report);
    assert!(
        found.iter().any(|(k, _, p)| k == "exact" && p.len() == 2),
        "{found:?}"
    );
}
