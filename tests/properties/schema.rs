//! The JSON report validator, written from the README's "JSON report, version 2" alone
//! (not from the code), so that a change to the wire format the documentation does not
//! follow fails. Every accessor panics with where it was looking.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use paradup::options::{DEFAULT_MIN_WORDS, DEFAULT_THRESHOLD};
use serde_json::Value;

use crate::render::Rendered;

/// What was written and how it was scanned, to check a report against.
#[derive(Default)]
pub(crate) struct Scanned {
    /// Path as reports show it (relative, `/`-separated) → bytes.
    pub(crate) files: BTreeMap<String, Vec<u8>>,
    pub(crate) documents: u64,
    /// Expected error entries: path and line.
    pub(crate) errors: BTreeSet<(String, Option<u64>)>,
    /// Paths that must have a warning.
    pub(crate) warned: BTreeSet<String>,
    pub(crate) exact_only: bool,
    pub(crate) suggest_boilerplate: bool,
}

fn get<'v>(v: &'v Value, key: &str, at: &str) -> &'v Value {
    v.as_object()
        .unwrap_or_else(|| panic!("{at}: not an object: {v}"))
        .get(key)
        .unwrap_or_else(|| panic!("{at}: no `{key}` in {v}"))
}

/// An optional field: absent or `null`.
fn optional<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    v.get(key).filter(|v| !v.is_null())
}

fn uint(v: &Value, key: &str, at: &str) -> u64 {
    get(v, key, at)
        .as_u64()
        .unwrap_or_else(|| panic!("{at}.{key}: not an unsigned integer in {v}"))
}

fn number(v: &Value, key: &str, at: &str) -> f64 {
    let value = get(v, key, at);
    assert!(value.is_number(), "{at}.{key}: not a number in {v}");
    value.as_f64().expect("a number")
}

/// A similarity or an estimate: a number in 0..=1.
fn fraction(v: &Value, key: &str, at: &str) -> f64 {
    let x = number(v, key, at);
    assert!((0.0..=1.0).contains(&x), "{at}.{key}: {x} is not in 0..=1");
    x
}

fn string<'v>(v: &'v Value, key: &str, at: &str) -> &'v str {
    get(v, key, at)
        .as_str()
        .unwrap_or_else(|| panic!("{at}.{key}: not a string in {v}"))
}

fn boolean(v: &Value, key: &str, at: &str) -> bool {
    get(v, key, at)
        .as_bool()
        .unwrap_or_else(|| panic!("{at}.{key}: not a boolean in {v}"))
}

fn array<'v>(v: &'v Value, key: &str, at: &str) -> &'v [Value] {
    get(v, key, at)
        .as_array()
        .unwrap_or_else(|| panic!("{at}.{key}: not an array in {v}"))
}

fn one_of<'v>(v: &'v Value, key: &str, at: &str, allowed: &[&str]) -> &'v str {
    let s = string(v, key, at);
    assert!(
        allowed.contains(&s),
        "{at}.{key}: {s:?} is none of {allowed:?}"
    );
    s
}

/// An id such as `F3`: its number.
fn id_number(id: &Value, prefix: char, at: &str) -> u64 {
    id.as_str()
        .and_then(|s| s.strip_prefix(prefix))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{at}: {id} is not an id `{prefix}<number>`"))
}

/// The finding of an id (`F3` is the third).
fn finding_by_id<'v>(findings: &'v [Value], id: &Value, at: &str) -> &'v Value {
    findings
        .get((id_number(id, 'F', at) as usize).wrapping_sub(1))
        .unwrap_or_else(|| panic!("{at}: no finding {id}"))
}

/// The block of an id.
fn block_by_id<'v>(blocks: &'v [Value], id: &Value, at: &str) -> &'v Value {
    let n = id_number(id, 'B', at);
    blocks
        .iter()
        .find(|b| b.get("id").is_some_and(|b| id_number(b, 'B', at) == n))
        .unwrap_or_else(|| panic!("{at}: no block {id}"))
}

/// The 1-based line of byte `at` of `data`: lines end with LF, CRLF or a lone CR, and the
/// LF of a CRLF is on the CR's line.
fn line_of(data: &[u8], at: usize) -> u64 {
    let breaks = data[..at]
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')))
        .count();
    1 + breaks as u64
}

/// Where an occurrence is: path, feed record number, first byte.
type Place = (String, Option<u64>, u64);
/// A document: path and feed record number.
type DocKey = (String, Option<u64>);

impl Scanned {
    pub(crate) fn add(&mut self, path: &str, rendered: &Rendered) {
        for &line in &rendered.broken_lines {
            self.errors.insert((path.to_string(), Some(line)));
        }
        self.documents += rendered.documents;
        self.files.insert(path.to_string(), rendered.bytes.clone());
    }

    fn file(&self, path: &str, at: &str) -> &[u8] {
        self.files
            .get(path)
            .unwrap_or_else(|| panic!("{at}: {path:?} is not a file of the folder"))
    }

    /// The number of the last line of a file.
    fn last_line(&self, path: &str, at: &str) -> u64 {
        let data = self.file(path, at);
        line_of(data, data.len().saturating_sub(1))
    }

    /// Lines 1-based inclusive and inside the file.
    fn check_lines(&self, v: &Value, path: &str, at: &str) -> (u64, u64) {
        let (start, end) = (uint(v, "start_line", at), uint(v, "end_line", at));
        let last = self.last_line(path, at);
        assert!(
            1 <= start && start <= end && end <= last,
            "{at}: lines {start}..={end} are not inside {path:?} (lines 1..={last})"
        );
        (start, end)
    }

    /// Lines and bytes inside the file and agreeing with each other: bytes are 0-based,
    /// end-exclusive offsets on disk, lines those of the first and last byte.
    fn check_place(&self, v: &Value, path: &str, at: &str) -> (u64, u64) {
        let (start_line, end_line) = self.check_lines(v, path, at);
        let (start, end) = (uint(v, "start_byte", at), uint(v, "end_byte", at));
        let data = self.file(path, at);
        assert!(
            start < end && end <= data.len() as u64,
            "{at}: bytes {start}..{end} are empty or outside {path:?} ({} bytes)",
            data.len()
        );
        let lines = (
            line_of(data, start as usize),
            line_of(data, end as usize - 1),
        );
        assert_eq!(
            (start_line, end_line),
            lines,
            "{at}: lines disagree with bytes {start}..{end}"
        );
        (start, end)
    }
}

const STATS: [&str; 16] = [
    "documents",
    "paragraphs",
    "bytes",
    "stories",
    "candidate_pairs",
    "findings",
    "exact",
    "near",
    "boilerplate",
    "blocks",
    "templates",
    "suggestions",
    "errors",
    "archive_exact",
    "archive_near",
    "archive_boilerplate",
];

/// Checks a JSON report against README, "JSON report, version 2", and the folder scanned.
pub(crate) fn validate(report: &Value, scanned: &Scanned) {
    let at = "report";
    assert_eq!(uint(report, "version", at), 2);
    texts_table(report);
    // The rest reads each entry's text and fingerprint where it refers to them.
    let inlined = crate::support::inline_texts(report.clone());
    let report = &inlined;
    let tool = get(report, "tool", at);
    assert_eq!(string(tool, "name", "tool"), "paradup");
    assert_eq!(string(tool, "version", "tool"), env!("CARGO_PKG_VERSION"));
    let settings = get(report, "settings", at);
    let threshold = number(settings, "threshold", "settings");
    assert!(
        (threshold - DEFAULT_THRESHOLD).abs() < 1e-9,
        "settings.threshold {threshold}"
    );
    assert_eq!(
        uint(settings, "min_words", "settings"),
        DEFAULT_MIN_WORDS as u64
    );
    assert_eq!(
        boolean(settings, "exact_only", "settings"),
        scanned.exact_only
    );
    let stats = get(report, "stats", at);
    let stat: HashMap<&str, u64> = STATS
        .iter()
        .map(|&key| (key, uint(stats, key, "stats")))
        .collect();
    let findings = array(report, "findings", at);
    let blocks = array(report, "blocks", at);
    let templates = array(report, "templates", at);
    let suggestions = array(report, "suggestions", at);
    let archive = array(report, "archive", at);
    let drift = array(report, "drift", at);
    let errors = array(report, "errors", at);
    let warnings = array(report, "warnings", at);
    let timing = get(report, "timing", at);
    assert!(number(timing, "total_ms", "timing") >= 0.0);
    let stages = get(timing, "stages_ms", "timing")
        .as_object()
        .expect("timing.stages_ms is an object");
    for (stage, ms) in stages {
        assert!(
            ms.as_f64().is_some_and(|ms| ms >= 0.0),
            "timing.stages_ms.{stage}: {ms}"
        );
    }

    // Ids: findings are F1, F2… in order, blocks are unique.
    for (i, f) in findings.iter().enumerate() {
        assert_eq!(
            id_number(get(f, "id", "finding"), 'F', "finding"),
            i as u64 + 1,
            "finding ids are F1, F2… in order"
        );
    }
    let block_ids: Vec<u64> = blocks
        .iter()
        .map(|b| id_number(get(b, "id", "block"), 'B', "block"))
        .collect();
    assert_eq!(
        block_ids.iter().collect::<HashSet<_>>().len(),
        block_ids.len(),
        "block ids repeat: {block_ids:?}"
    );
    let finding = |id: &Value, at: &str| finding_by_id(findings, id, at);
    let block = |id: &Value, at: &str| block_by_id(blocks, id, at);

    let mut kinds: HashMap<&str, u64> = HashMap::new();
    let mut previous_first: Option<(Vec<String>, u64)> = None;
    for (i, f) in findings.iter().enumerate() {
        let at = &format!("findings[{i}]");
        let kind = one_of(f, "kind", at, &["exact", "near", "boilerplate"]);
        *kinds.entry(kind).or_default() += 1;
        let scope = one_of(f, "scope", at, &["within", "across", "both"]);
        fraction(f, "similarity", at);
        if kind == "near" || f.get("minhash_estimate").is_some() {
            fraction(f, "minhash_estimate", at);
        }
        let documents = uint(f, "documents", at);
        let stories = uint(f, "stories", at);
        for related in array(f, "related", at) {
            assert!(
                !std::ptr::eq(finding(related, at), f),
                "{at}: related to itself"
            );
        }
        let listed: BTreeSet<u64> = array(f, "blocks", at)
            .iter()
            .map(|b| {
                block(b, at);
                id_number(b, 'B', at)
            })
            .collect();
        let occurrences = array(f, "occurrences", at);
        assert!(
            occurrences.len() >= 2,
            "{at}: a duplicate has at least two occurrences"
        );
        let mut per_doc: HashMap<DocKey, usize> = HashMap::new();
        let mut in_blocks = BTreeSet::new();
        let mut variants: HashMap<u64, &str> = HashMap::new();
        let mut first: Option<(Vec<String>, u64)> = None;
        for (j, o) in occurrences.iter().enumerate() {
            let at = &format!("{at}.occurrences[{j}]");
            let (path, record) = check_occurrence(o, scanned, at);
            if let Some(b) = optional(o, "block") {
                block(b, at);
                in_blocks.insert(id_number(b, 'B', at));
            }
            let key = (
                path.split('/').map(str::to_string).collect(),
                uint(o, "start_byte", at),
            );
            if first.as_ref().is_none_or(|f| key < *f) {
                first = Some(key);
            }
            *per_doc.entry((path.to_string(), record)).or_default() += 1;
            // Occurrences of one variant are identical once normalized: one fingerprint.
            let fingerprint = string(o, "fingerprint", at);
            let variant = if kind == "exact" {
                1
            } else {
                uint(o, "variant", at)
            };
            // How a near copy differs from the representative, when sentences moved or
            // were added; the representative's own variant has no edit.
            if o.get("edit").is_some() {
                one_of(
                    o,
                    "edit",
                    at,
                    &["sentences_reordered", "sentence_added", "sentence_dropped"],
                );
                assert_ne!(kind, "exact", "{at}: an exact copy has no edit");
                assert!(
                    !boolean(o, "representative", at),
                    "{at}: the representative has no edit"
                );
            }
            if kind != "boilerplate" {
                let seen = *variants.entry(variant).or_insert(fingerprint);
                assert_eq!(
                    seen, fingerprint,
                    "{at}: two texts in variant {variant} of an {kind} finding"
                );
            }
        }
        assert_eq!(
            listed, in_blocks,
            "{at}: `blocks` is not the blocks of its occurrences"
        );
        assert_eq!(
            documents,
            per_doc.len() as u64,
            "{at}: `documents` is not the documents of its occurrences"
        );
        assert!(
            1 <= stories && stories <= documents,
            "{at}: {stories} stories for {documents} documents"
        );
        let twice = per_doc.values().any(|&n| n > 1);
        let expected = match (per_doc.len(), twice) {
            (1, _) => "within",
            (_, false) => "across",
            (_, true) => "both",
        };
        assert_eq!(scope, expected, "{at}: scope of {per_doc:?}");
        // Ids follow the first occurrence (path, then position).
        assert!(
            previous_first <= first,
            "{at}: findings are not in the order of their first occurrences"
        );
        previous_first = first;
    }

    for (i, b) in blocks.iter().enumerate() {
        let at = &format!("blocks[{i}]");
        let path = string(b, "path", at);
        boolean(b, "exact", at);
        let first = get(b, "first", at);
        let repeat = get(b, "repeat", at);
        let mut runs = Vec::new();
        for (name, run) in [("first", first), ("repeat", repeat)] {
            let at = &format!("{at}.{name}");
            let bytes = scanned.check_place(run, path, at);
            let paragraphs: Vec<u64> = array(run, "paragraphs", at)
                .iter()
                .map(|p| p.as_u64().unwrap_or_else(|| panic!("{at}: paragraph {p}")))
                .collect();
            assert!(
                paragraphs.len() >= 2 && paragraphs.windows(2).all(|w| w[0] < w[1]),
                "{at}: a block is two or more paragraphs in order: {paragraphs:?}"
            );
            runs.push((bytes, paragraphs));
        }
        assert_eq!(
            runs[0].1.len(),
            runs[1].1.len(),
            "{at}: copies of different lengths"
        );
        assert!(
            runs[0].0.1 <= runs[1].0.0 && runs[0].1.last() < runs[1].1.first(),
            "{at}: the repeat is not after the first copy"
        );
        let own = id_number(get(b, "id", at), 'B', at);
        let listed = array(b, "findings", at);
        assert!(!listed.is_empty(), "{at}: a block without findings");
        for f in listed {
            let f = finding(f, at);
            assert!(
                array(f, "blocks", at)
                    .iter()
                    .any(|b| id_number(b, 'B', at) == own),
                "{at}: finding {} does not name its block",
                f["id"]
            );
        }
    }

    check_templates(templates, findings);
    check_suggestions(suggestions, findings, blocks, scanned);

    assert!(archive.is_empty(), "`archive` is for `check` only");
    assert!(drift.is_empty(), "no allowlist, no drift");
    let mut got_errors = BTreeSet::new();
    for (i, e) in errors.iter().enumerate() {
        let at = &format!("errors[{i}]");
        let path = string(e, "path", at);
        assert!(!string(e, "error", at).is_empty(), "{at}: an empty error");
        let line = optional(e, "line").map(|_| uint(e, "line", at));
        if let Some(line) = line {
            assert!(
                1 <= line && line <= scanned.last_line(path, at),
                "{at}: line {line}"
            );
        }
        got_errors.insert((path.to_string(), line));
    }
    assert_eq!(got_errors, scanned.errors, "errors: path and line");
    let mut warned = BTreeSet::new();
    for (i, w) in warnings.iter().enumerate() {
        let at = &format!("warnings[{i}]");
        let path = string(w, "path", at);
        assert!(
            !string(w, "warning", at).is_empty(),
            "{at}: an empty warning"
        );
        if optional(w, "line").is_some() {
            let line = uint(w, "line", at);
            assert!(
                1 <= line && line <= scanned.last_line(path, at),
                "{at}: line {line}"
            );
        }
        warned.insert(path.to_string());
    }
    assert!(
        scanned.warned.is_subset(&warned),
        "warnings missing for {:?}",
        scanned.warned.difference(&warned).collect::<Vec<_>>()
    );

    let count = |kind: &str| kinds.get(kind).copied().unwrap_or(0);
    let expected_stats = [
        ("documents", scanned.documents),
        ("findings", findings.len() as u64),
        ("exact", count("exact")),
        ("near", count("near")),
        ("boilerplate", count("boilerplate")),
        ("blocks", blocks.len() as u64),
        ("templates", templates.len() as u64),
        ("suggestions", suggestions.len() as u64),
        ("errors", errors.len() as u64),
        ("archive_exact", 0),
        ("archive_near", 0),
        ("archive_boilerplate", 0),
    ];
    for (key, expected) in expected_stats {
        assert_eq!(stat[key], expected, "stats.{key}");
    }
    assert!(stat["stories"] <= stat["documents"], "stats.stories");
    if scanned.exact_only {
        assert_eq!(stat["near"], 0, "near findings with exact_only");
    }
}

/// The source of a path in the scanned folder: its top-level folder, or "" for a file
/// directly in it (no `[sources]` map and no source field in these folders).
fn source_of(path: &str) -> &str {
    path.split_once('/').map_or("", |(top, _)| top)
}

/// Checks `templates` against README: every boilerplate finding whose occurrences are at
/// least half in one source (and not half in another) is folded into that source's
/// template when the source has two or more such findings; every other finding is not.
/// Members name their template, templates are numbered in source order, and `pages`
/// counts the source's documents holding a member.
fn check_templates(templates: &[Value], findings: &[Value]) {
    // Expected: source → members, from the findings alone.
    let mut owned: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for f in findings {
        if f["kind"] != "boilerplate" {
            continue;
        }
        let mut sites: HashMap<&str, usize> = HashMap::new();
        let occurrences = f["occurrences"].as_array().expect("occurrences");
        for o in occurrences {
            *sites
                .entry(source_of(o["path"].as_str().expect("a path")))
                .or_default() += 1;
        }
        let owners: Vec<&str> = sites
            .iter()
            .filter(|(_, n)| 2 * **n >= occurrences.len())
            .map(|(site, _)| *site)
            .collect();
        if let [owner] = owners[..] {
            owned
                .entry(owner)
                .or_default()
                .push(id_number(&f["id"], 'F', "finding"));
        }
    }
    owned.retain(|_, members| members.len() >= 2);
    let mut member_of: HashMap<u64, String> = HashMap::new();
    let mut previous: Option<(u64, &str)> = None;
    for (i, t) in templates.iter().enumerate() {
        let at = &format!("templates[{i}]");
        let id = id_number(get(t, "id", at), 'T', at);
        let source = string(t, "source", at);
        if let Some((before, before_source)) = previous {
            assert!(
                before < id && before_source < source,
                "{at}: templates are numbered in source order"
            );
        }
        previous = Some((id, source));
        let members: Vec<u64> = array(t, "findings", at)
            .iter()
            .map(|m| {
                let f = finding_by_id(findings, m, at);
                assert_eq!(
                    f["kind"], "boilerplate",
                    "{at}: member {m} is not boilerplate"
                );
                assert_eq!(
                    f.get("template").and_then(Value::as_str),
                    Some(format!("T{id}").as_str()),
                    "{at}: member {m} does not name its template"
                );
                let n = id_number(m, 'F', at);
                assert!(
                    member_of.insert(n, format!("T{id}")).is_none(),
                    "{at}: {m} is in two templates"
                );
                n
            })
            .collect();
        assert_eq!(
            owned.remove(source).as_ref(),
            Some(&members),
            "{at}: not the boilerplate findings {source:?} owns"
        );
        assert_eq!(uint(t, "blocks", at), members.len() as u64, "{at}: blocks");
        let mut pages: BTreeSet<DocKey> = BTreeSet::new();
        for &m in &members {
            let f = &findings[m as usize - 1];
            for o in f["occurrences"].as_array().expect("occurrences") {
                let path = o["path"].as_str().expect("a path");
                if source_of(path) == source {
                    let record = o.get("record").map(|r| uint(r, "number", at));
                    pages.insert((path.to_string(), record));
                }
            }
        }
        assert_eq!(uint(t, "pages", at), pages.len() as u64, "{at}: pages");
    }
    assert!(
        owned.is_empty(),
        "sources without their template: {owned:?}"
    );
    for (i, f) in findings.iter().enumerate() {
        let named = optional(f, "template").map(|t| t.as_str().expect("a template id"));
        assert_eq!(
            named,
            member_of.get(&(i as u64 + 1)).map(String::as_str),
            "findings[{i}]: `template` is not the template listing it"
        );
    }
}

/// Checks an occurrence's fields; returns its path and feed record number.
fn check_occurrence<'v>(o: &'v Value, scanned: &Scanned, at: &str) -> (&'v str, Option<u64>) {
    let path = string(o, "path", at);
    let (start, end) = scanned.check_place(o, path, at);
    uint(o, "paragraph", at);
    assert!(uint(o, "variant", at) >= 1, "{at}: variants count from 1");
    boolean(o, "representative", at);
    fraction(o, "similarity", at);
    let fingerprint = string(o, "fingerprint", at);
    assert!(
        fingerprint.len() == 32 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit()),
        "{at}: fingerprint {fingerprint:?}"
    );
    let text = string(o, "text", at);
    assert!(!text.trim().is_empty(), "{at}: no text");
    let data = scanned.file(path, at);
    let ext = path.rsplit('.').next().expect("an extension");
    let record = optional(o, "record");
    assert_eq!(
        record.is_some(),
        ext == "jsonl",
        "{at}: `record` is there for feeds only"
    );
    let element = optional(o, "element");
    let region = optional(o, "region");
    assert_eq!(
        element.is_some(),
        region.is_some(),
        "{at}: `element` and `region` go together"
    );
    match ext {
        "txt" | "md" => {
            assert!(element.is_none(), "{at}: `element` is for HTML only");
            // The original bytes (when the file is UTF-8: the rest is decoded).
            let bom = if data.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            };
            if std::str::from_utf8(&data[bom..]).is_ok() {
                assert_eq!(
                    text.as_bytes(),
                    &data[start as usize..end as usize],
                    "{at}: `text` is not the bytes of the file"
                );
            }
        }
        "html" | "jsonl" => {
            if ext == "html" {
                assert!(
                    element.is_some(),
                    "{at}: an HTML occurrence has an `element`"
                );
            }
            if element.is_some() {
                assert!(!string(o, "element", at).is_empty(), "{at}: empty element");
                one_of(o, "region", at, &["body", "chrome"]);
            }
            // The extracted text: no markup, no entities, no JSON escapes.
            assert!(
                !text.contains(['<', '&', '\\']),
                "{at}: `text` is not extracted: {text:?}"
            );
        }
        _ => panic!("{at}: unexpected file {path:?}"),
    }
    let number = record.map(|r| {
        let at = &format!("{at}.record");
        string(r, "id", at);
        assert_eq!(string(r, "field", at), "body");
        let line = uint(r, "line", at);
        assert_eq!(
            line,
            uint(o, "start_line", at),
            "{at}: a record's paragraphs are on its line"
        );
        let number = uint(r, "number", at);
        assert!(number >= 1, "{at}: record numbers count from 1");
        number
    });
    (path, number)
}

/// Checks the suggestions' fields, and that they never overlap, each keeps a copy in its
/// own document that no other suggestion removes, and every document keeps a copy of
/// each editorial paragraph (README, "Which copy is kept").
fn check_suggestions(
    suggestions: &[Value],
    findings: &[Value],
    blocks: &[Value],
    scanned: &Scanned,
) {
    let finding = |id: &Value, at: &str| finding_by_id(findings, id, at);
    let block = |id: &Value, at: &str| block_by_id(blocks, id, at);
    let record = |o: &Value| optional(o, "record").map(|r| r["number"].as_u64().expect("number"));
    let place = |o: &Value| -> Place {
        (
            o["path"].as_str().expect("path").to_string(),
            record(o),
            o["start_byte"].as_u64().expect("start_byte"),
        )
    };
    // Target and kept occurrence of each suggestion.
    let mut resolved: Vec<(&Value, &Value, Option<&Value>)> = Vec::new();
    for (i, s) in suggestions.iter().enumerate() {
        let at = &format!("suggestions[{i}]");
        let f = finding(get(s, "finding", at), at);
        let action = one_of(s, "action", at, &["delete", "replace", "review"]);
        let applicability = one_of(s, "applicability", at, &["safe", "unsafe"]);
        let path = string(s, "path", at);
        let (start, end) = scanned.check_place(s, path, at);
        let paragraph = uint(s, "paragraph", at);
        assert!(!string(s, "reason", at).is_empty(), "{at}: no reason");
        if let Some(b) = optional(s, "block") {
            assert_eq!(
                string(block(b, at), "path", at),
                path,
                "{at}: its block is in another file"
            );
        }
        let occurrences = array(f, "occurrences", at);
        let target = occurrences
            .iter()
            .find(|o| {
                o["path"] == path
                    && o["start_byte"] == start
                    && o["end_byte"] == end
                    && o["paragraph"] == paragraph
            })
            .unwrap_or_else(|| panic!("{at}: its paragraph is no occurrence of its finding"));
        let keep = optional(s, "keep").map(|k| {
            let at = &format!("{at}.keep");
            let keep_path = string(k, "path", at);
            let (start_line, end_line) = scanned.check_lines(k, keep_path, at);
            let keep_paragraph = uint(k, "paragraph", at);
            let kept = occurrences
                .iter()
                .find(|o| {
                    o["path"] == keep_path
                        && o["start_line"] == start_line
                        && o["end_line"] == end_line
                        && o["paragraph"] == keep_paragraph
                })
                .unwrap_or_else(|| panic!("{at}: the copy kept is no occurrence of the finding"));
            assert!(
                place(kept) != place(target),
                "{at}: keeps the paragraph it removes"
            );
            assert!(
                kept["path"] == target["path"] && record(kept) == record(target),
                "{at}: keeps a copy in another document (nothing is suggested across documents)"
            );
            if action == "delete" && applicability == "safe" {
                assert!(
                    kept["fingerprint"] == target["fingerprint"] && place(kept).2 < place(target).2,
                    "{at}: a safe deletion keeps the earlier identical copy"
                );
            }
            kept
        });
        assert!(
            keep.is_some() || scanned.suggest_boilerplate,
            "{at}: `keep` is null only for boilerplate deletions, asked for"
        );
        resolved.push((f, target, keep));
    }

    // Never overlapping.
    let mut spans: Vec<(&str, u64, u64)> = suggestions
        .iter()
        .map(|s| {
            (
                s["path"].as_str().expect("path"),
                s["start_byte"].as_u64().expect("start_byte"),
                s["end_byte"].as_u64().expect("end_byte"),
            )
        })
        .collect();
    spans.sort_unstable();
    for pair in spans.windows(2) {
        assert!(
            pair[0].0 != pair[1].0 || pair[0].2 <= pair[1].1,
            "suggestions overlap: {pair:?}"
        );
    }
    let targets: HashMap<Place, bool> = resolved
        .iter()
        .map(|(_, target, keep)| (place(target), keep.is_some()))
        .collect();
    for (i, (f, _, keep)) in resolved.iter().enumerate() {
        let Some(keep) = keep else { continue };
        // A boilerplate deletion (asked for, keeping nothing) removes every copy, the
        // one a "pasted twice" deletion keeps included.
        let allowed = f["kind"] == "boilerplate";
        if let Some(&keeps) = targets.get(&place(keep)) {
            assert!(
                allowed && !keeps,
                "suggestions[{i}]: the copy it keeps is removed by another suggestion"
            );
        }
    }
    // Every document keeps a copy of every editorial paragraph it holds.
    let mut seen = HashSet::new();
    for (f, _, _) in &resolved {
        if f["kind"] == "boilerplate" || !seen.insert(f["id"].as_str()) {
            continue;
        }
        let mut kept: HashMap<DocKey, bool> = HashMap::new();
        for o in f["occurrences"].as_array().expect("occurrences") {
            let (path, record, _) = place(o);
            *kept.entry((path, record)).or_default() |= !targets.contains_key(&place(o));
        }
        assert!(
            kept.values().all(|&k| k),
            "finding {}: every copy in a document is removed: {kept:?}",
            f["id"]
        );
    }
}

/// `texts`: every distinct (fingerprint, text) once, each referred to by some entry, and
/// every reference in range.
fn texts_table(report: &Value) {
    let texts = array(report, "texts", "report");
    let mut distinct = HashSet::new();
    for (i, entry) in texts.iter().enumerate() {
        let at = &format!("texts[{i}]");
        let fingerprint = string(entry, "fingerprint", at);
        assert!(
            fingerprint.len() == 32 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit()),
            "{at}: fingerprint {fingerprint:?}"
        );
        let text = string(entry, "text", at);
        assert!(
            distinct.insert((fingerprint, text)),
            "{at}: the same text twice in the table"
        );
    }
    let mut used = vec![false; texts.len()];
    let mut refer = |item: &Value, at: &str| {
        let i = uint(item, "text", at) as usize;
        assert!(i < texts.len(), "{at}: text {i} is past the table");
        used[i] = true;
    };
    for (i, f) in array(report, "findings", "report").iter().enumerate() {
        for (j, o) in array(f, "occurrences", "finding").iter().enumerate() {
            refer(o, &format!("findings[{i}].occurrences[{j}]"));
        }
    }
    for list in ["archive", "drift"] {
        for (i, item) in array(report, list, "report").iter().enumerate() {
            refer(item, &format!("{list}[{i}]"));
        }
    }
    assert!(
        used.iter().all(|&u| u),
        "a texts entry no finding, archive match or drift entry refers to"
    );
}
