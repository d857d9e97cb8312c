//! `paradup show ID --report REPORT.json`: one finding of a saved JSON report in full,
//! with its word diffs, for reviewing later or on another machine (the report carries
//! the text of every occurrence, so the articles need not be at hand).

use std::fmt::Write as _;
use std::io;

use anstyle::{AnsiColor, Style};
use serde_json::Value;

use super::Text;
use super::json::saved_text;

/// Prints finding (`F12`) or archive match (`A3`) `id` of `report`; `Ok(false)` when
/// the report has no such id (see [`ids`]).
pub fn show(report: &Value, id: &str, color: bool, out: &mut dyn io::Write) -> io::Result<bool> {
    let text = Text { color };
    let id = id.trim().to_ascii_uppercase();
    let find = |list: &str| {
        report[list]
            .as_array()
            .and_then(|items| items.iter().find(|f| f["id"].as_str() == Some(id.as_str())))
    };
    if let Some(f) = find("findings") {
        finding(report, f, text, out)?;
    } else if let Some(a) = find("archive") {
        archive(report, a, text, out)?;
    } else {
        return Ok(false);
    }
    Ok(true)
}

/// The ids a report has, in words, for an error message.
pub fn ids(report: &Value) -> String {
    let count = |list: &str| report[list].as_array().map_or(0, Vec::len);
    match (count("findings"), count("archive")) {
        (0, 0) => "the report has no findings".to_string(),
        (f, 0) => format!("the report has F1 to F{f}"),
        (f, a) => format!("the report has F1 to F{f} and A1 to A{a}"),
    }
}

/// Text indented under its place.
fn indented(text: &str) -> String {
    text.replace('\n', "\n  ")
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

fn place(o: &Value) -> String {
    let mut place = format!("{}:{}", s(&o["path"]), o["start_line"]);
    if o["end_line"] != o["start_line"] {
        let _ = write!(place, "-{}", o["end_line"]);
    }
    if let Some(record) = o["record"]["id"].as_str() {
        let _ = write!(place, " [record {record}]");
    }
    if let Some(element) = o["element"].as_str() {
        let _ = write!(place, " [{element}]");
    }
    place
}

fn finding(report: &Value, f: &Value, text: Text, out: &mut dyn io::Write) -> io::Result<()> {
    let kind = s(&f["kind"]);
    writeln!(
        out,
        "{} {} {}, similarity {}: {} copies in {} document(s), {} stor{}",
        text.paint(Style::new().bold(), s(&f["id"])),
        text.paint(AnsiColor::Yellow.on_default().bold(), kind),
        s(&f["scope"]),
        f["similarity"],
        f["occurrences"].as_array().map_or(0, Vec::len),
        f["documents"],
        f["stories"],
        if f["stories"] == 1 { "y" } else { "ies" }
    )?;
    let occurrences = f["occurrences"].as_array().cloned().unwrap_or_default();
    let rep = occurrences
        .iter()
        .find(|o| o["representative"] == true)
        .or(occurrences.first());
    for o in &occurrences {
        let mut tags = vec![format!("variant {}", o["variant"])];
        if o["representative"] == true {
            tags.push("representative".into());
        }
        if let Some(b) = o["block"].as_str() {
            tags.push(format!("block {b}"));
        }
        writeln!(
            out,
            "\n  {} [{}]",
            text.paint(AnsiColor::Cyan.on_default(), &place(o)),
            tags.join(", ")
        )?;
        let own = saved_text(report, o).text;
        match rep {
            Some(rep) if kind == "near" && o["variant"] != rep["variant"] => {
                let edit = match o["edit"].as_str() {
                    Some(name) => format!(", {}", name.replace('_', " ")),
                    None => String::new(),
                };
                writeln!(
                    out,
                    "  ({}{edit}) {}",
                    o["similarity"],
                    text.word_diff(saved_text(report, rep).text, own)
                )?;
                writeln!(out, "  {}", indented(own))?;
            }
            _ => writeln!(out, "  {}", indented(own))?,
        }
    }
    for sugg in report["suggestions"].as_array().into_iter().flatten() {
        if sugg["finding"] == f["id"] {
            writeln!(
                out,
                "\n  {} {}:{}-{}: {}",
                text.paint(AnsiColor::Green.on_default().bold(), s(&sugg["action"])),
                s(&sugg["path"]),
                sugg["start_line"],
                sugg["end_line"],
                s(&sugg["reason"])
            )?;
        }
    }
    if let Some(related) = f["related"].as_array().filter(|r| !r.is_empty()) {
        let ids: Vec<&str> = related.iter().map(s).collect();
        writeln!(out, "\n  related: {}", ids.join(", "))?;
    }
    Ok(())
}

fn archive(report: &Value, a: &Value, text: Text, out: &mut dyn io::Write) -> io::Result<()> {
    writeln!(
        out,
        "{} archive-{}, similarity {}: {} is in {} archived document(s)\n  {}",
        text.paint(Style::new().bold(), s(&a["id"])),
        s(&a["kind"]),
        a["similarity"],
        place(a),
        a["archived_documents"],
        indented(saved_text(report, a).text)
    )?;
    for o in a["archived"].as_array().into_iter().flatten() {
        writeln!(
            out,
            "  {} ({})",
            text.paint(AnsiColor::Cyan.on_default(), &place(o)),
            o["similarity"]
        )?;
    }
    Ok(())
}
