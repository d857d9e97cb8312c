//! What a finding is: syndication told from boilerplate (sources by folder, by the
//! `[sources]` map and by a feed's source field), pastes that gate, every script
//! tokenized, reordered and templated sentences, chains (issue 17). Each test is a case
//! that went wrong before; the prose is written for these tests.

use serde_json::Value;

use super::{Fixture, paradup, scan_json};

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

/// Whether some finding has this kind, scope (any when `None`) and number of copies
/// (any when `None`).
fn has(
    found: &[(String, String, Vec<String>)],
    kind: &str,
    scope: Option<&str>,
    copies: Option<usize>,
) -> bool {
    found.iter().any(|(k, s, p)| {
        k == kind && scope.is_none_or(|scope| s == scope) && copies.is_none_or(|n| p.len() == n)
    })
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
    let (code, _) = scan_json(f.dir.path(), &[".", "--fail-on", "within"]);
    assert_eq!(code, 1, "the paste alone fails");
    f.file("brief-a.txt", [LEDE, OTHER[3]].join("\n\n"));
    f.file("brief-b.txt", [OTHER[4], LEDE].join("\n\n"));
    let (code, report) = scan_json(f.dir.path(), &[".", "--fail-on", "within"]);
    assert_eq!(code, 1, "still a paste with briefs around it: {report:#}");
    let (code, _) = scan_json(f.dir.path(), &[".", "--fail-on", "within-exact"]);
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
    let (code, report) = scan_json(f.dir.path(), &["."]);
    assert_eq!(code, 1, "{report:#}");
    let found = findings(&report);
    assert!(has(&found, "exact", Some("within"), Some(2)), "{found:?}");
}

/// Case 4: a Chinese copy with three characters changed is a near duplicate, and the
/// text report's diff names the changed characters, not the whole paragraph.
#[test]
fn a_chinese_copy_with_three_characters_changed_is_near() {
    let f = Fixture::new();
    f.file("a/story.txt", [ZH, ZH_OTHER].join("\n\n"));
    f.file("b/story.txt", [ZH_EDITED].join("\n\n"));
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    let found = findings(&report);
    assert!(has(&found, "near", Some("across"), Some(2)), "{found:?}");
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
    let (code, report) = scan_json(f.dir.path(), &[".", "--fail-on", "across"]);
    let found = findings(&report);
    assert!(has(&found, "exact", Some("across"), None), "{found:?}");
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
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    let found = findings(&report);
    assert!(has(&found, "exact", None, Some(2)), "{found:?}");
}

/// Unrelated prose for articles around a syndicated paragraph: four outlets, two
/// paragraphs each, no two alike.
const LOCAL: &[&str] = &[
    "The county fair opens on Thursday with a new livestock barn paid for by a grant from the state farm bureau.",
    "Organisers expect about forty thousand visitors over the five days if the weather holds and the roads stay dry.",
    "A bakery on Elm Street has won a regional prize for its rye bread, two years after the owners moved from the coast.",
    "The judges said the crust was the best they had tasted, and the owners plan to spend the prize money on a second oven.",
    "Students at the technical college will build a solar car this winter and hope to race it across the desert next year.",
    "Their teacher said the project would cost about twelve thousand dollars, most of it for batteries and light panels.",
    "The old railway bridge over the canal will be painted green again after residents voted against a brighter colour.",
    "Work on the bridge starts in March and the towpath beneath it will close for three weeks while scaffolding goes up.",
];

/// Case 1: a paragraph standing first or last in articles of four outlets is
/// syndication (exact across), not boilerplate.
#[test]
fn a_syndicated_lede_at_four_outlets_is_exact_not_boilerplate() {
    let f = Fixture::new();
    for (i, outlet) in ["kaaa", "kbbb", "kccc", "kddd"].iter().enumerate() {
        let (a, b) = (LOCAL[2 * i], LOCAL[2 * i + 1]);
        let body = if i % 2 == 0 {
            [LEDE, a, b]
        } else {
            [a, b, LEDE]
        };
        f.file(&format!("{outlet}/story.txt"), body.join("\n\n"));
    }
    let (code, report) = scan_json(f.dir.path(), &[".", "--fail-on", "across"]);
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        (found[0].0.as_str(), found[0].1.as_str()),
        ("exact", "across")
    );
    assert_eq!(found[0].2.len(), 4);
    assert_eq!(code, 1, "syndication gates at --fail-on across");
}

/// Case 3: pages of one site that share a large template are not one story, so the
/// template is boilerplate, short chrome lines included, not exact duplicates.
#[test]
fn a_site_template_on_every_page_is_boilerplate() {
    let f = Fixture::new();
    let chrome = [
        "Copyright 2013 Harbor Media Group. All Rights Reserved.",
        "An error has occurred and your email has not been sent, please try again later.",
        "Continue reading the main story",
        "Our newsroom is independent and funded by readers like you, who can support us with a monthly gift.",
        "Get the morning briefing with the five stories you need to know, delivered before breakfast every weekday.",
    ];
    for page in 0..6 {
        let mut paragraphs: Vec<&str> = Vec::new();
        paragraphs.push(LOCAL[page]);
        paragraphs.push(OTHER[page]);
        paragraphs.extend(chrome);
        f.file(&format!("harbor/page-{page}.txt"), paragraphs.join("\n\n"));
    }
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    let found = findings(&report);
    assert!(
        found.iter().all(|(k, _, _)| k == "boilerplate"),
        "{found:?}"
    );
    assert_eq!(found.len(), chrome.len(), "{found:?}");
}

/// Case 3, headings: a rail of headlines (`<h2>`, `<h4>`) a site repeats on its pages is
/// boilerplate; the headline of a story its copies keep at other outlets is not.
#[test]
fn a_rail_of_headings_is_boilerplate_and_a_shared_headline_is_not() {
    let f = Fixture::new();
    let rail = [
        "Harbor pier closes for repairs",
        "Ferry fares rise in spring",
    ];
    for page in 0..5 {
        let mut html = format!(
            "<html><body><article><h1>Story number {page} of the week</h1><p>{}</p><p>{}</p></article>\n",
            LOCAL[page], OTHER[page]
        );
        html.push_str("<section class=\"rail\"><h2>Most Popular</h2><ul>\n");
        for headline in rail {
            html.push_str("<li><h4><a href=\"/x\">");
            html.push_str(headline);
            html.push_str("</a></h4></li>\n");
        }
        html.push_str("</ul></section></body></html>\n");
        f.file(&format!("harbor/page-{page}.html"), html);
    }
    for outlet in ["kaaa", "kbbb"] {
        f.file(
            &format!("{outlet}/pier.md"),
            format!("# Pier closes for six weeks\n\n{LEDE}\n\n{}\n", OTHER[0]),
        );
    }
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    let found = findings(&report);
    let texts: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "boilerplate")
        .map(|f| f["occurrences"][0]["text"].as_str().unwrap())
        .collect();
    for heading in ["Most Popular", rail[0], rail[1]] {
        assert!(texts.contains(&heading), "{heading}: {texts:?}");
    }
    assert!(
        !texts.iter().any(|t| t.contains("Pier closes")),
        "{texts:?}"
    );
    assert!(
        has(&found, "exact", Some("across"), Some(2)),
        "the lede is syndicated: {found:?}"
    );
}

/// Case 5: a copy whose two sentences were swapped is a near duplicate.
#[test]
fn a_copy_with_its_sentences_swapped_is_near() {
    let first = "The harbor authority will close the north pier for six weeks from Monday while divers replace the timber piles.";
    let second = "Fishing crews that use the pier have been offered berths at the marina, where the fees will be waived until the work is done.";
    let f = Fixture::new();
    f.file(
        "a/story.txt",
        [format!("{first} {second}"), LOCAL[0].into()].join("\n\n"),
    );
    f.file(
        "b/story.txt",
        [LOCAL[1].to_string(), format!("{second} {first}")].join("\n\n"),
    );
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    let found = findings(&report);
    assert!(has(&found, "near", Some("across"), Some(2)), "{found:?}");
}

/// The occurrences of the near finding that holds `path`, as (path, edit label).
fn near_edits(report: &Value, path: &str) -> Vec<(String, Option<String>)> {
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["kind"] == "near"
                && f["occurrences"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|o| o["path"] == path)
        })
        .unwrap_or_else(|| panic!("no near finding of {path}: {report:#}"));
    finding["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["path"].as_str().unwrap().to_string(),
                o.get("edit")
                    .map(|e| e.as_str().expect("a string").to_string()),
            )
        })
        .collect()
}

/// The line of a text report that starts with `place`.
fn report_line<'a>(text: &'a str, place: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start().starts_with(place))
        .unwrap_or_else(|| panic!("no line for {place}:\n{text}"))
}

/// A copy with its two sentences swapped is reported as such (JSON `edit`, the text
/// report's copy line, Markdown's places); a copy with one word changed is a plain edit.
#[test]
fn a_swapped_copy_is_labelled_sentences_reordered() {
    let first = "The harbor authority will close the north pier for six weeks from Monday while divers replace the timber piles.";
    let second = "Fishing crews that use the pier have been offered berths at the marina, where the fees will be waived until the work is done.";
    let f = Fixture::new();
    f.file(
        "a/story.txt",
        [format!("{first} {second}"), LOCAL[0].into()].join("\n\n"),
    );
    f.file(
        "b/story.txt",
        [LOCAL[1].to_string(), format!("{second} {first}")].join("\n\n"),
    );
    let edited = format!("{first} {second}").replace("six weeks", "seven weeks");
    f.file("c/story.txt", [edited, LOCAL[2].into()].join("\n\n"));
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    assert_eq!(
        near_edits(&report, "b/story.txt"),
        vec![
            ("a/story.txt".into(), None),
            ("b/story.txt".into(), Some("sentences_reordered".into())),
            ("c/story.txt".into(), None),
        ]
    );
    let scan = |format: &str| {
        let out = paradup(f.dir.path())
            .args([
                "scan",
                ".",
                "--fail-on",
                "never",
                "--color",
                "never",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let text = scan("text");
    let copy = report_line(&text, "./b/story.txt:3");
    assert!(copy.contains("  (1.00, sentences reordered) "), "{copy}");
    let plain = report_line(&text, "./c/story.txt:1");
    assert!(plain.contains("  (0.98) "), "{plain}");
    assert!(!plain.contains("reordered"), "{plain}");
    let markdown = scan("markdown");
    assert!(
        markdown.contains("- `b/story.txt:3` (sentences reordered)\n"),
        "{markdown}"
    );
    assert!(markdown.contains("- `c/story.txt:1`\n"), "{markdown}");
    let html = scan("html");
    assert_eq!(html.matches(r#""edit":"sentences reordered""#).count(), 1);
    // `show` reads the label back from a saved report.
    f.file("report.json", serde_json::to_vec(&report).unwrap());
    let out = paradup(f.dir.path())
        .args(["show", "F1", "--report", "report.json", "--color", "never"])
        .output()
        .unwrap();
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(shown.contains("  (1.0, sentences reordered) "), "{shown}");
    assert!(shown.contains("  (0.9767) "), "{shown}");
}

/// A copy that is the paragraph with a sentence added at its end is labelled
/// `sentence_added`.
#[test]
fn a_copy_with_a_sentence_added_is_labelled_so() {
    let first = "The harbor authority will close the north pier for six weeks from Monday while divers replace the timber piles.";
    let second = "Fishing crews that use the pier have been offered berths at the marina, where the fees will be waived until the work is done.";
    let added = "Shop owners on the waterfront asked for extra signs so that visitors can still find the ferry ticket office.";
    let f = Fixture::new();
    f.file(
        "a/story.txt",
        [format!("{first} {second}"), LOCAL[0].into()].join("\n\n"),
    );
    f.file(
        "b/story.txt",
        [LOCAL[1].to_string(), format!("{first} {second} {added}")].join("\n\n"),
    );
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    assert_eq!(
        near_edits(&report, "b/story.txt"),
        vec![
            ("a/story.txt".into(), None),
            ("b/story.txt".into(), Some("sentence_added".into())),
        ]
    );
    let out = paradup(f.dir.path())
        .args(["scan", ".", "--fail-on", "never", "--color", "never"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let copy = report_line(&text, "./b/story.txt:3");
    assert!(copy.contains("  (1.00, sentence added) "), "{copy}");
}

/// Case 6: short sentences of one template with one slot changed are not near
/// duplicates; edited copies of a long paragraph still are.
#[test]
fn template_siblings_are_not_near_duplicates() {
    let f = Fixture::new();
    f.file(
        "a/ref.md",
        "An example of a match expression:\n\nThe default in rustc is 128.\n",
    );
    f.file(
        "b/ref.md",
        "An example of a parenthesized expression:\n\nThe default value in rustc is 1048576.\n",
    );
    f.file("a/story.txt", LEDE);
    f.file("b/story.txt", LEDE.replace("six weeks", "seven weeks"));
    let (_, report) = scan_json(
        f.dir.path(),
        &[".", "--fail-on", "never", "--min-words", "3"],
    );
    let found = findings(&report);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "near");
    assert!(found[0].2.iter().all(|p| p.ends_with("story.txt")));
}

/// A feed record: `fields` (name, value) and a body of `paragraphs`.
fn record(fields: &[(String, String)], paragraphs: &[&str]) -> String {
    let mut object = serde_json::Map::new();
    for (name, value) in fields {
        object.insert(name.clone(), Value::from(value.as_str()));
    }
    object.insert("body".to_string(), Value::from(paragraphs.join("\n\n")));
    Value::Object(object).to_string()
}

/// Daily exports: folder `day-N` holds one feed whose records come from two outlets.
/// kaaa's story of each day ends with kaaa's footer; `tag(outlet, day)` gives each
/// record's other fields.
fn daily_exports(f: &Fixture, tag: impl Fn(&str, usize) -> Vec<(String, String)>) {
    let footer = super::footer("KAAA");
    for day in 0..3 {
        let lines = [
            record(&tag("kaaa", day), &[LOCAL[2 * day], OTHER[day], &footer]),
            record(&tag("kbbb", day), &[LOCAL[2 * day + 1], OTHER[day + 3]]),
        ];
        f.file(&format!("day-{day}/export.jsonl"), lines.join("\n") + "\n");
    }
}

/// The footer's finding: (kind, scope, copies).
fn footer_finding(report: &Value) -> (String, String, usize) {
    let footer = super::footer("KAAA");
    let f = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["occurrences"][0]["text"] == footer.as_str())
        .unwrap_or_else(|| panic!("no finding of the footer: {report:#}"));
    (
        f["kind"].as_str().unwrap().to_string(),
        f["scope"].as_str().unwrap().to_string(),
        f["occurrences"].as_array().unwrap().len(),
    )
}

fn owned(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(a, b)| ((*a).to_string(), (*b).to_string()))
        .collect()
}

/// Sources from a feed field: by folder, kaaa's footer is in three sites once each
/// (syndication); by the records' `source` field it is what kaaa repeats in three of
/// its stories (boilerplate).
#[test]
fn a_feed_source_field_makes_an_outlet_footer_boilerplate() {
    let f = Fixture::new();
    daily_exports(&f, |outlet, day| {
        owned(&[("id", &format!("{outlet}-{day}")), ("source", outlet)])
    });
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    assert_eq!(
        footer_finding(&report),
        ("exact".into(), "across".into(), 3)
    );
    let (_, report) = scan_json(
        f.dir.path(),
        &[".", "--fail-on", "never", "--source-field", "source"],
    );
    assert_eq!(
        footer_finding(&report),
        ("boilerplate".into(), "across".into(), 3)
    );
    assert_eq!(report["warnings"], serde_json::json!([]));
    // A field no record has changes nothing, and says so once per file.
    let (_, report) = scan_json(
        f.dir.path(),
        &[".", "--fail-on", "never", "--source-field", "outlet"],
    );
    assert_eq!(
        footer_finding(&report),
        ("exact".into(), "across".into(), 3)
    );
    let warnings = report["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(
        warnings[0]["warning"]
            .as_str()
            .unwrap()
            .contains("`outlet` field (--source-field)"),
        "{warnings:?}"
    );
}

/// A URL source field counts by host: scheme, `www.`, port, case and path differ, the
/// outlet is one.
#[test]
fn a_url_source_field_counts_by_host() {
    let urls = [
        "https://www.kaaa-radio.com/news/2026/05/01/fair",
        "http://kaaa-radio.com/local/bakery?ref=rss",
        "https://KAAA-Radio.com:443/college#top",
    ];
    let f = Fixture::new();
    daily_exports(&f, |outlet, day| {
        let url = match outlet {
            "kaaa" => urls[day].to_string(),
            _ => format!("https://{outlet}.example.org/story/{day}"),
        };
        owned(&[("url", &url), ("link", &url)])
    });
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    assert_eq!(
        footer_finding(&report),
        ("exact".into(), "across".into(), 3)
    );
    for field in ["url", "link"] {
        let (_, report) = scan_json(
            f.dir.path(),
            &[".", "--fail-on", "never", "--source-field", field],
        );
        assert_eq!(
            footer_finding(&report),
            ("boilerplate".into(), "across".into(), 3),
            "--source-field {field}"
        );
    }
}

/// `[sources]` in paradup.toml names a file's source by its path; a record's
/// `--source-field` overrides it.
#[test]
fn a_glob_map_names_sources_and_a_record_field_overrides_it() {
    let f = Fixture::new();
    let footer = super::footer("KAAA");
    for day in 0..3 {
        f.file(
            &format!("day-{day}/kaaa-story.txt"),
            [LOCAL[2 * day], OTHER[day], &footer].join("\n\n"),
        );
        f.file(
            &format!("day-{day}/kbbb-story.txt"),
            [LOCAL[2 * day + 1], OTHER[day + 3]].join("\n\n"),
        );
    }
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    assert_eq!(
        footer_finding(&report),
        ("exact".into(), "across".into(), 3)
    );
    f.file(
        "paradup.toml",
        "[sources]\n\"*/kaaa-*.txt\" = \"kaaa\"\n\"*/kbbb-*.txt\" = \"kbbb\"\n",
    );
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    assert_eq!(
        footer_finding(&report),
        ("boilerplate".into(), "across".into(), 3)
    );

    // A lede syndicated to four outlets, whose records sit in feeds the map puts in
    // one source: by the map it recurs in four stories of one source (boilerplate); by
    // the records' own source field, four outlets carry it once each (syndication).
    let f = Fixture::new();
    for (i, outlet) in ["kaaa", "kbbb", "kccc", "kddd"].iter().enumerate() {
        let line = record(
            &owned(&[("source", outlet)]),
            &[LEDE, LOCAL[2 * i], LOCAL[2 * i + 1]],
        );
        f.file(&format!("wire-{i}/export.jsonl"), line + "\n");
    }
    f.file("paradup.toml", "[sources]\n\"*/export.jsonl\" = \"wire\"\n");
    let lede = |report: &Value| {
        let found = findings(report);
        assert_eq!(found.len(), 1, "{found:?}");
        (found[0].0.clone(), found[0].1.clone())
    };
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    assert_eq!(lede(&report), ("boilerplate".into(), "across".into()));
    let (_, report) = scan_json(
        f.dir.path(),
        &[".", "--fail-on", "never", "--source-field", "source"],
    );
    assert_eq!(lede(&report), ("exact".into(), "across".into()));
    f.file(
        "paradup.toml",
        "source_field = \"source\"\n[sources]\n\"*/export.jsonl\" = \"wire\"\n",
    );
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    assert_eq!(lede(&report), ("exact".into(), "across".into()));
}

/// A paragraph of `n` words drawn from a fixed vocabulary by `seed`: prose no other
/// seed's paragraph shares shingles with.
fn filler(seed: u64, n: usize) -> String {
    const WORDS: &[&str] = &[
        "harbor",
        "council",
        "ferry",
        "budget",
        "winter",
        "market",
        "bridge",
        "school",
        "river",
        "station",
        "museum",
        "garden",
        "library",
        "tunnel",
        "festival",
        "orchard",
        "quarry",
        "clinic",
        "stadium",
        "airport",
        "village",
        "factory",
        "canal",
        "meadow",
        "lantern",
        "theatre",
        "vineyard",
        "harvest",
        "railway",
        "island",
        "forest",
        "valley",
        "chapel",
        "warehouse",
        "pavilion",
        "reservoir",
        "lighthouse",
        "bakery",
        "foundry",
        "granary",
        "pier",
        "plaza",
        "avenue",
        "county",
        "tavern",
        "mill",
        "dock",
        "fountain",
    ];
    let mut state = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1_442_695_040_888_963_407);
    let mut words = Vec::with_capacity(n);
    for _ in 0..n {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        words.push(WORDS[(state >> 33) as usize % WORDS.len()]);
    }
    format!("{}.", words.join(" "))
}

/// A short line a source prints word for word at one place in a few of its many
/// stories (a wire reporter's byline) is its template, though on few of its pages; a
/// paragraph a source reuses in two briefs is an editor's copy.
#[test]
fn a_byline_on_a_few_pages_is_boilerplate_and_a_reused_paragraph_is_not() {
    let byline = "By Diego Mensah, Global News Service";
    let f = Fixture::new();
    for (s, outlet) in ["kaaa", "kbbb"].iter().enumerate() {
        for story in 0..24u64 {
            let seed = 100 * s as u64 + story;
            let mut paragraphs = vec![filler(seed, 18), filler(seed + 5000, 16)];
            if story < 3 {
                paragraphs.insert(0, byline.to_string());
            }
            if s == 0 && (story == 5 || story == 9) {
                paragraphs.insert(0, LEDE.to_string());
            }
            f.file(
                &format!("{outlet}/story-{story}.txt"),
                paragraphs.join("\n\n"),
            );
        }
    }
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    let kind_of = |text: &str| -> Vec<(String, usize)> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["occurrences"][0]["text"] == text)
            .map(|f| {
                let n = f["occurrences"].as_array().unwrap().len();
                (f["kind"].as_str().unwrap().to_string(), n)
            })
            .collect()
    };
    assert_eq!(kind_of(byline), [("boilerplate".to_string(), 6)]);
    assert_eq!(kind_of(LEDE), [("exact".to_string(), 2)]);
    assert_eq!(
        report["findings"].as_array().unwrap().len(),
        2,
        "{report:#}"
    );
}

/// A source's template is one entry: the footer and share lines a site puts under every
/// story are folded into `T1` (JSON `templates`, `template` on each member), and the text
/// report shows one header for them. A line another outlet also carries once is still
/// the site's (it holds most copies), and only the site's own pages are counted.
#[test]
fn a_sites_footer_lines_fold_into_one_template() {
    let f = Fixture::new();
    let footer = [
        "Share on Facebook",
        "Follow Weis Radio on Twitter",
        "© 2026 Weis Radio. All rights reserved.",
    ];
    for page in 0..6 {
        let mut paragraphs = vec![LOCAL[page], OTHER[page]];
        paragraphs.extend(footer);
        f.file(
            &format!("weis-radio/story-{page}.txt"),
            paragraphs.join("\n\n"),
        );
    }
    f.file(
        "kaaa/brief.txt",
        [LOCAL[6], LOCAL[7], footer[0]].join("\n\n"),
    );
    let (_, report) = scan_json(f.dir.path(), &[".", "--fail-on", "never"]);
    let templates = report["templates"].as_array().expect("templates");
    assert_eq!(templates.len(), 1, "{templates:?}");
    let t = &templates[0];
    assert_eq!(t["id"], "T1");
    assert_eq!(t["source"], "weis-radio");
    assert_eq!(t["blocks"], 3);
    assert_eq!(t["pages"], 6);
    let members: Vec<&str> = t["findings"]
        .as_array()
        .expect("member ids")
        .iter()
        .map(|id| id.as_str().expect("an id"))
        .collect();
    assert_eq!(members.len(), 3, "{members:?}");
    for finding in report["findings"].as_array().expect("findings") {
        let id = finding["id"].as_str().expect("an id");
        assert_eq!(finding["kind"], "boilerplate", "{finding}");
        assert_eq!(
            finding["template"].as_str(),
            members.contains(&id).then_some("T1"),
            "{id} names its template"
        );
    }
    assert_eq!(report["stats"]["templates"], 1);

    let out = paradup(f.dir.path())
        .args(["scan", ".", "--fail-on", "never", "--color", "never"])
        .output()
        .expect("paradup runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(
        text.contains("T1 template of weis-radio: 3 blocks on 6 pages"),
        "{text}"
    );
    assert_eq!(
        text.matches(" boilerplate across").count(),
        0,
        "members are not listed as findings of their own: {text}"
    );
    assert!(
        text.contains("Share on Facebook"),
        "members are listed: {text}"
    );
}
