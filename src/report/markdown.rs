//! Markdown report: compact, for pull-request comments and chat. A summary table, then
//! the most pressing findings (repeats inside an article first) with their places and a
//! fenced word diff for edits, then counts of the rest, so a large report stays short.
//! A source's template is one line, in place of a finding per member.

use std::fmt::Write as _;
use std::io;

use super::diff::{Change, word_runs};
use super::{FindingView, Render, Report, Texts};
use crate::classify::{Kind, Scope, Template};

/// Renders [`Report`] as Markdown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown;

/// Findings shown in full.
const TOP: usize = 20;
/// Places listed per finding.
const PLACES: usize = 5;

impl Render for Markdown {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let s = &report.stats;
        writeln!(out, "## paradup: duplicated paragraphs\n")?;
        writeln!(
            out,
            "| documents | paragraphs | exact | near | boilerplate | suggestions | errors |"
        )?;
        writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|")?;
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            s.documents,
            s.paragraphs,
            s.exact,
            s.near,
            s.boilerplate,
            report.suggestions.len(),
            report.errors.len()
        )?;
        // A template stands where its first member would, and takes its members along.
        let mut order: Vec<&FindingView> = report
            .findings
            .iter()
            .filter(|f| folded(report, f).is_none_or(|t| t.findings.first() == Some(&f.id)))
            .collect();
        order.sort_by_key(|f| (urgency(f), f.id));
        let top: Vec<&FindingView> = order.iter().take(TOP).copied().collect();
        let texts = report.texts(top.iter().flat_map(|f| f.occurrences.iter().map(|o| &o.at)));
        for f in &top {
            match folded(report, f) {
                Some(t) => template(report, t, out)?,
                None => finding(report, f, &texts, out)?,
            }
        }
        let rest: Vec<&FindingView> = order[top.len()..]
            .iter()
            .flat_map(|f| match folded(report, f) {
                Some(t) => t
                    .findings
                    .iter()
                    .filter_map(|&id| report.finding(id))
                    .collect(),
                None => vec![*f],
            })
            .collect();
        if !rest.is_empty() {
            let count = |k: Kind| rest.iter().filter(|f| f.kind == k).count();
            writeln!(
                out,
                "…and {} more findings ({} exact, {} near, {} boilerplate); `--format html` shows them all.\n",
                rest.len(),
                count(Kind::Exact),
                count(Kind::Near),
                count(Kind::Boilerplate)
            )?;
        }
        for a in report.archive.iter().take(TOP) {
            let first = a
                .archived
                .first()
                .map_or(String::new(), |o| format!("`{}:{}`", o.path, o.lines.start));
            writeln!(
                out,
                "- **A{} archive-{}** `{}:{}` is in {} archived document(s), e.g. {first}",
                a.id,
                a.kind.as_str(),
                report.file(a.at.doc).shown_path,
                a.at.lines.start,
                a.archived_documents
            )?;
        }
        for e in &report.errors {
            writeln!(out, "- error: `{}`: {}", e.path, e.error)?;
        }
        Ok(())
    }
}

/// The template finding `f` is folded into.
fn folded<'r>(report: &'r Report, f: &FindingView) -> Option<&'r Template> {
    f.template.and_then(|id| report.template(id))
}

/// A source's template on one line: its size and its members' ids.
fn template(report: &Report, t: &Template, out: &mut dyn io::Write) -> io::Result<()> {
    let ids: Vec<String> = t.findings.iter().map(|id| format!("F{id}")).collect();
    let suggestions = report
        .suggestions
        .iter()
        .filter(|s| t.findings.contains(&s.finding))
        .count();
    let suggested = match suggestions {
        0 => String::new(),
        n => format!("; {n} suggestion(s), see `--format text`"),
    };
    writeln!(
        out,
        "- **T{} template** of `{}`: {} blocks on {} page(s) ({}){suggested}\n",
        t.id,
        one_line(t.shown_source()),
        t.blocks(),
        t.pages,
        ids.join(", ")
    )
}

/// Repeats inside an article first, then edits across articles, then copies, then
/// boilerplate.
fn urgency(f: &FindingView) -> u8 {
    match (f.kind, f.scope) {
        (Kind::Exact, Scope::Within | Scope::Both) => 0,
        (Kind::Near, Scope::Within | Scope::Both) => 1,
        (Kind::Near, Scope::Across) => 2,
        (Kind::Exact, Scope::Across) => 3,
        (Kind::Boilerplate, _) => 4,
    }
}

fn finding(
    report: &Report,
    f: &FindingView,
    texts: &Texts,
    out: &mut dyn io::Write,
) -> io::Result<()> {
    let similarity = if f.kind == Kind::Near {
        format!(", similarity {:.2}", f.similarity)
    } else {
        String::new()
    };
    writeln!(
        out,
        "#### F{} {} {}{similarity}: {} copies in {} document(s)\n",
        f.id,
        f.kind.as_str(),
        f.scope.as_str(),
        f.occurrences.len(),
        f.documents
    )?;
    for o in f.occurrences.iter().take(PLACES) {
        let edit = match o.edit.and_then(crate::matching::Edit::phrase) {
            Some(phrase) if f.kind == Kind::Near => format!(" ({phrase})"),
            _ => String::new(),
        };
        writeln!(
            out,
            "- `{}:{}`{edit}",
            report.file(o.at.doc).shown_path,
            o.at.lines.start
        )?;
    }
    if f.occurrences.len() > PLACES {
        writeln!(out, "- …and {} more", f.occurrences.len() - PLACES)?;
    }
    let text = |o: &super::OccurrenceView| {
        texts
            .get(&(o.at.doc, o.at.span.start))
            .map_or("", |t| t.text.as_str())
    };
    let rep = f.representative();
    if f.kind == Kind::Near
        && let Some(other) = f.occurrences.iter().find(|o| o.variant != rep.variant)
    {
        writeln!(out, "\n```diff")?;
        let (mut old, mut new) = (String::new(), String::new());
        for (change, run) in word_runs(text(rep), text(other)) {
            match change {
                Change::Equal => {
                    old.push_str(&run);
                    new.push_str(&run);
                }
                Change::Delete => {
                    let _ = write!(old, "[-{}-]", run.trim());
                }
                Change::Insert => {
                    let _ = write!(new, "{{+{}+}}", run.trim());
                }
            }
        }
        writeln!(out, "- {}", one_line(&old))?;
        writeln!(out, "+ {}", one_line(&new))?;
        writeln!(out, "```")?;
    } else if f.kind != Kind::Boilerplate {
        writeln!(out, "\n> {}", one_line(text(rep)))?;
    }
    for s in report.suggestions.iter().filter(|s| s.finding == f.id) {
        writeln!(
            out,
            "\n**{}** `{}:{}-{}`: {}",
            s.action.as_str(),
            report.file(s.at.doc).shown_path,
            s.at.lines.start,
            s.at.lines.end,
            s.reason
        )?;
    }
    writeln!(out)
}

/// Whitespace collapsed to single spaces, and no backtick fence breakouts.
fn one_line(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace("```", "` ` `")
}
