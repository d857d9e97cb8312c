//! The architecture, enforced: which module may import which (ARCHITECTURE.md), the one
//! door back to the text, and rooms small enough to hold in the head.
//!
//! It reads `src/` as text: every `crate::module` a library file names (in `use` lines
//! and in paths), every `paradup::module` the binary names. A module may use only the
//! modules on lower layers of [`LAYERS`], so arrows point one way and no circle can form.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The layers, lowest first. A module may import modules of lower layers only.
const LAYERS: &[&[&str]] = &[
    // The foundation: no knowledge of files, documents or reports.
    &["error", "span", "atomic"],
    &["normalize"],
    &["fingerprint"],
    &["allow"],
    &["options"],
    // The stages, in pipeline order.
    &["ingest"],
    &["segment"],
    &["corpus"],
    &["matching"],
    &["classify"],
    &["suggest"],
    &["report"],
    // Around the pipeline.
    &["fix", "pipeline", "config"],
    &["index", "shards"],
    &["check"],
    // The crate root wires everything; the binary only calls the library.
    &["lib"],
    &["cli"],
];

/// Arrows the layers allow but the design does not: reports see documents as the corpus
/// describes them and read text only through `corpus::text`.
const FORBIDDEN: &[(&str, &str)] = &[("report", "ingest"), ("report", "segment")];

/// Who may read a document again (decode it, segment it) after the scan: the stages that
/// do it the first time, the one door (`corpus/text.rs`), and the index, which reads
/// archived files the first time.
const READERS: &[&str] = &[
    "src/pipeline.rs",
    "src/corpus/text.rs",
    "src/index/build.rs",
];

/// The calls that read a document's text.
const READ_CALLS: &[&str] = &[
    "ingest::read(",
    "ingest::read_bytes(",
    "ingest::reread(",
    "segment::segment(",
];

/// Longest a source file may be.
const MAX_LINES: usize = 900;

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// The module a file belongs to: `src/report/json.rs` is `report`, `src/lib.rs` `lib`,
/// the binary's files `cli`.
fn module_of(path: &Path) -> String {
    let relative = path.strip_prefix("src").unwrap_or(path);
    let first = relative
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = first.trim_end_matches(".rs").to_string();
    match name.as_str() {
        "main" | "cli" => "cli".to_string(),
        _ => name,
    }
}

/// The code of a file without comments and without its `#[cfg(test)]` module.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a file's code names through `root` (`crate` or `paradup`).
fn imports(code: &str, root: &str) -> Vec<String> {
    let mut found = Vec::new();
    let prefix = format!("{root}::");
    let mut rest = code;
    while let Some(at) = rest.find(&prefix) {
        let before = rest[..at].chars().next_back();
        rest = &rest[at + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a, b::c, d::{e, f}}`: the first segment of each top-level item.
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(first_segment(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 {
                    item.push(c);
                }
            }
            found.push(first_segment(&item));
        } else {
            found.push(first_segment(rest));
        }
    }
    found.retain(|m| !m.is_empty() && m.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
    found
}

fn first_segment(s: &str) -> String {
    s.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Top-level items of the library a path may name that are not modules.
fn is_root_item(name: &str) -> bool {
    matches!(name, "scan" | "check" | "render")
}

/// Every backward or unknown arrow among `files` (path, text).
fn violations(files: &[(PathBuf, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, text) in files {
        let from = module_of(path);
        let root = if from == "cli" { "paradup" } else { "crate" };
        let Some(from_layer) = layer(&from) else {
            problems.push(format!(
                "{}: module `{from}` is on no layer",
                path.display()
            ));
            continue;
        };
        let code = code(text);
        for to in imports(&code, root) {
            if to == from || is_root_item(&to) {
                continue;
            }
            if FORBIDDEN.contains(&(from.as_str(), to.as_str())) {
                problems.push(format!(
                    "{}: `{from}` must not import `{to}` (ARCHITECTURE.md)",
                    path.display()
                ));
                continue;
            }
            match layer(&to) {
                None => problems.push(format!("{}: `{to}` is on no layer", path.display())),
                Some(to_layer) if to_layer >= from_layer => problems.push(format!(
                    "{}: `{from}` (layer {from_layer}) imports `{to}` (layer {to_layer}): arrows point down only",
                    path.display()
                )),
                Some(_) => {}
            }
        }
    }
    problems.sort();
    problems.dedup();
    problems
}

/// Reads of document text outside the one door.
fn side_doors(files: &[(PathBuf, String)]) -> Vec<String> {
    let mut problems = Vec::new();
    for (path, text) in files {
        let shown = path.to_string_lossy().replace('\\', "/");
        let own_stage = shown.starts_with("src/ingest/") || shown.starts_with("src/segment/");
        if own_stage || READERS.contains(&shown.as_str()) {
            continue;
        }
        let code = code(text);
        for call in READ_CALLS {
            if code.contains(call) {
                problems.push(format!(
                    "{shown}: calls {call}…): read text again through corpus::text"
                ));
            }
        }
    }
    problems
}

fn source_files() -> Vec<(PathBuf, String)> {
    fn walk(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("src is readable")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).expect("source is UTF-8");
                out.push((path, text));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(root).expect("crate root");
    let mut files = Vec::new();
    walk(Path::new("src"), &mut files);
    files
}

#[test]
fn arrows_point_one_way() {
    let problems = violations(&source_files());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn text_is_read_again_only_through_the_one_door() {
    let problems = side_doors(&source_files());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_source_file_is_over_900_lines() {
    let long: Vec<String> = source_files()
        .iter()
        .filter(|(_, text)| text.lines().count() > MAX_LINES)
        .map(|(path, text)| format!("{}: {} lines", path.display(), text.lines().count()))
        .collect();
    assert!(
        long.is_empty(),
        "over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

#[test]
fn every_module_is_on_a_layer() {
    let mut modules: BTreeMap<String, usize> = BTreeMap::new();
    for (path, _) in source_files() {
        *modules.entry(module_of(&path)).or_default() += 1;
    }
    let missing: Vec<&String> = modules.keys().filter(|m| layer(m).is_none()).collect();
    assert!(missing.is_empty(), "add to LAYERS: {missing:?}");
}

#[test]
fn a_planted_backward_import_is_caught() {
    let planted = |path: &str, text: &str| vec![(PathBuf::from(path), text.to_string())];
    // fingerprint → ingest: the print of a text must not know about files.
    let found = violations(&planted(
        "src/fingerprint/exact.rs",
        "use crate::ingest::Source;\n",
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("`fingerprint`"), "{found:?}");
    // report → fix, hidden in a group and a path.
    let found = violations(&planted(
        "src/report/text.rs",
        "use crate::{corpus::DocId, fix::{Selection}};\nfn f() { crate::fix::plan(); }\n",
    ));
    assert_eq!(found.len(), 1, "{found:?}");
    // Reports do not read files themselves.
    assert_eq!(
        violations(&planted(
            "src/report/json.rs",
            "use crate::ingest::Source;\n"
        ))
        .len(),
        1
    );
    // Options reaching up.
    assert_eq!(
        violations(&planted(
            "src/options/mod.rs",
            "use crate::report::Format;\n"
        ))
        .len(),
        1
    );
    // Comments and tests do not count; a downward arrow is fine.
    let clean = "// use crate::fix;\nuse crate::corpus::Corpus;\n#[cfg(test)]\nmod tests {\n    use crate::fix;\n}\n";
    assert!(violations(&planted("src/report/mod.rs", clean)).is_empty());
    // A side door to the text.
    let door = side_doors(&planted(
        "src/report/html.rs",
        "fn f() { let d = crate::ingest::reread(s, r, o); }\n",
    ));
    assert_eq!(door.len(), 1, "{door:?}");
}
