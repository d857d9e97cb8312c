//! Text report: one header per finding, `path:line` references terminals and editors make
//! clickable, a word diff for near duplicates, a summary line. Colors only when asked
//! (the CLI decides: a terminal and no `NO_COLOR`). A source's template is one header
//! with a short line per member, where its first member would stand: a site's nav items
//! are one thing to look at, not a screen of findings.

use std::borrow::Cow;
use std::io;

use anstyle::{AnsiColor, Style};

use super::diff::Change;
use super::{FindingView, Render, Report, Texts};
use crate::classify::{Kind, Template};
use crate::matching::Edit;

/// Renders [`Report`] for people.
#[derive(Debug, Clone, Copy, Default)]
pub struct Text {
    /// Whether to emit ANSI colors.
    pub color: bool,
}

const SNIPPET_CHARS: usize = 90;
/// Characters of a template member's text shown on its one line.
const MEMBER_CHARS: usize = 60;
/// Occurrences listed per finding (the rest are counted).
const OCCURRENCES_SHOWN: usize = 12;
/// Occurrences listed per boilerplate finding.
const BOILERPLATE_SHOWN: usize = 3;

impl Text {
    pub(super) fn paint(self, style: Style, text: &str) -> Cow<'_, str> {
        if self.color {
            Cow::Owned(format!("{style}{text}{style:#}"))
        } else {
            Cow::Borrowed(text)
        }
    }

    fn finding(
        self,
        f: &FindingView,
        report: &Report,
        texts: &Texts,
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        let text_of = |o: &super::OccurrenceView| {
            texts
                .get(&(o.at.doc, o.at.span.start))
                .map_or("", |t| t.text.as_str())
        };
        let kind_style = match f.kind {
            Kind::Exact => AnsiColor::Red.on_default().bold(),
            Kind::Near => AnsiColor::Yellow.on_default().bold(),
            Kind::Boilerplate => AnsiColor::BrightBlack.on_default().bold(),
        };
        let id = format!("F{}", f.id);
        let similarity = if f.kind == Kind::Near {
            format!(" similarity {:.2}", f.similarity)
        } else {
            String::new()
        };
        writeln!(
            out,
            "{} {} {}{similarity}: {} copies in {} document{}",
            self.paint(Style::new().bold(), &id),
            self.paint(kind_style, f.kind.as_str()),
            f.scope.as_str(),
            f.occurrences.len(),
            f.documents,
            if f.documents == 1 { "" } else { "s" },
        )?;
        let rep = f.representative();
        // Boilerplate is listed briefly: it is page chrome, not something to read again.
        let shown = if f.kind == Kind::Boilerplate {
            BOILERPLATE_SHOWN
        } else {
            OCCURRENCES_SHOWN
        };
        for o in f.occurrences.iter().take(shown) {
            let place = format!(
                "{}:{}",
                report.file(o.at.doc).display_path(),
                o.at.lines.start
            );
            let mut tags = Vec::new();
            if let Some(record) = report.record(o.at.doc) {
                tags.push(format!("record {} ¶{}", record.id, o.at.paragraph + 1));
            }
            if let Some(element) = texts
                .get(&(o.at.doc, o.at.span.start))
                .and_then(|t| t.element.as_deref())
            {
                let region = if o.at.chrome { "chrome: " } else { "" };
                tags.push(format!("{region}{element}"));
            }
            if f.kind == Kind::Near && o.representative {
                tags.push("representative".to_string());
            }
            if let Some(b) = o.block {
                tags.push(format!("block B{b}"));
            }
            let tags = if tags.is_empty() {
                String::new()
            } else {
                format!(" [{}]", tags.join(", "))
            };
            let body = if f.kind == Kind::Near && o.variant != rep.variant {
                let edit = o
                    .edit
                    .and_then(Edit::phrase)
                    .map(|p| format!(", {p}"))
                    .unwrap_or_default();
                format!(
                    "({:.2}{edit}) {}",
                    o.similarity,
                    self.word_diff(text_of(rep), text_of(o))
                )
            } else {
                snippet(text_of(o))
            };
            writeln!(
                out,
                "  {}{tags}  {body}",
                self.paint(AnsiColor::Cyan.on_default(), &place)
            )?;
        }
        if f.occurrences.len() > shown {
            writeln!(
                out,
                "  … and {} more (all are in --format json)",
                f.occurrences.len() - shown
            )?;
        }
        self.suggestions(f, report, "  ", out)?;
        writeln!(out)
    }

    /// The suggestions for finding `f`, one a line after `indent`.
    fn suggestions(
        self,
        f: &FindingView,
        report: &Report,
        indent: &str,
        out: &mut dyn io::Write,
    ) -> io::Result<()> {
        for s in report.suggestions.iter().filter(|s| s.finding == f.id) {
            let record = report
                .record(s.at.doc)
                .map(|r| format!(" [record {}]", r.id))
                .unwrap_or_default();
            writeln!(
                out,
                "{indent}{} {}:{}-{}{record}: {}",
                self.paint(AnsiColor::Green.on_default().bold(), s.action.as_str()),
                report.file(s.at.doc).display_path(),
                s.at.lines.start,
                s.at.lines.end,
                s.reason
            )?;
        }
        Ok(())
    }

    /// A source's template: one header, then each member on one line (its id, copies and
    /// first words) with its suggestions under it.
    fn template(self, t: &Template, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let members: Vec<&FindingView> = t
            .findings
            .iter()
            .filter_map(|&id| report.finding(id))
            .collect();
        let texts = report.texts(members.iter().map(|f| &f.representative().at));
        writeln!(
            out,
            "{} {} of {}: {} blocks on {} page{}",
            self.paint(Style::new().bold(), &format!("T{}", t.id)),
            self.paint(AnsiColor::BrightBlack.on_default().bold(), "template"),
            sanitize(t.shown_source()),
            t.blocks(),
            t.pages,
            if t.pages == 1 { "" } else { "s" },
        )?;
        for f in members {
            let rep = f.representative();
            let text = texts
                .get(&(rep.at.doc, rep.at.span.start))
                .map_or("", |t| t.text.as_str());
            writeln!(
                out,
                "  {} {} copies in {} document{}  {}",
                self.paint(Style::new().bold(), &format!("F{}", f.id)),
                f.occurrences.len(),
                f.documents,
                if f.documents == 1 { "" } else { "s" },
                snippet_of(text, MEMBER_CHARS),
            )?;
            self.suggestions(f, report, "    ", out)?;
        }
        writeln!(out)
    }

    /// `check`'s archive matches: the new paragraph, then where the archive has it.
    fn archive(self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let texts = report.texts(report.archive.iter().map(|a| &a.at));
        for a in &report.archive {
            let style = match a.kind {
                Kind::Exact => AnsiColor::Red.on_default().bold(),
                Kind::Near => AnsiColor::Yellow.on_default().bold(),
                Kind::Boilerplate => AnsiColor::BrightBlack.on_default().bold(),
            };
            let similarity = if a.kind == Kind::Near {
                format!(" similarity {:.2}", a.similarity)
            } else {
                String::new()
            };
            writeln!(
                out,
                "{} {}{similarity}: {}:{} is in {} archived document{}",
                self.paint(Style::new().bold(), &format!("A{}", a.id)),
                self.paint(style, &format!("archive-{}", a.kind.as_str())),
                report.file(a.at.doc).display_path(),
                a.at.lines.start,
                a.archived_documents,
                if a.archived_documents == 1 { "" } else { "s" },
            )?;
            let text = texts
                .get(&(a.at.doc, a.at.span.start))
                .map_or("", |t| t.text.as_str());
            writeln!(out, "  {}", snippet(text))?;
            for o in a.archived.iter().take(OCCURRENCES_SHOWN) {
                let record = o
                    .record
                    .as_ref()
                    .map(|r| format!(" [record {r}]"))
                    .unwrap_or_default();
                let place = format!("{}:{}", o.path, o.lines.start);
                writeln!(
                    out,
                    "  {}{record} ({:.2})",
                    self.paint(AnsiColor::Cyan.on_default(), &place),
                    o.similarity
                )?;
            }
            writeln!(out)?;
        }
        Ok(())
    }

    /// Paragraphs that drifted from an approved text, with the difference.
    fn drift(self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let texts = report.texts(report.drift.iter().map(|d| &d.at));
        for (i, d) in report.drift.iter().enumerate() {
            let place = format!(
                "{}:{}",
                report.file(d.at.doc).display_path(),
                d.at.lines.start
            );
            writeln!(
                out,
                "{} {} similarity {:.2}: {} drifted from the approved \"{}\"",
                self.paint(Style::new().bold(), &format!("D{}", i + 1)),
                self.paint(AnsiColor::Magenta.on_default().bold(), "drift"),
                d.similarity,
                self.paint(AnsiColor::Cyan.on_default(), &place),
                d.approved
            )?;
            let text = texts
                .get(&(d.at.doc, d.at.span.start))
                .map_or("", |t| t.text.as_str());
            let body = match &d.approved_text {
                Some(approved) => self.word_diff(approved, text),
                None => snippet(text),
            };
            writeln!(out, "  {body}\n")?;
        }
        Ok(())
    }

    /// Word-level diff of `new` against `old`, with long unchanged stretches elided.
    pub(super) fn word_diff(self, old: &str, new: &str) -> String {
        let old = sanitize(&collapse(old)).into_owned();
        let new = sanitize(&collapse(new)).into_owned();
        let runs = super::diff::word_runs(&old, &new);
        let mut out = String::new();
        for (i, (change, text)) in runs.iter().enumerate() {
            match change {
                Change::Equal => out.push_str(&elide(text, i == 0, i + 1 == runs.len())),
                Change::Delete => out.push_str(&self.mark(text, "[-", "-]", AnsiColor::Red)),
                Change::Insert => out.push_str(&self.mark(text, "{+", "+}", AnsiColor::Green)),
            }
        }
        out
    }

    fn mark(self, text: &str, open: &str, close: &str, color: AnsiColor) -> String {
        let trimmed = text.trim();
        let lead = &text[..text.len() - text.trim_start().len()];
        let trail = &text[text.trim_end().len()..];
        if self.color {
            let style = color.on_default().bold();
            format!("{lead}{style}{open}{trimmed}{close}{style:#}{trail}")
        } else {
            format!("{lead}{open}{trimmed}{close}{trail}")
        }
    }
}

impl Render for Text {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        for (batch, texts) in report.finding_batches() {
            for f in batch {
                match f.template.and_then(|id| report.template(id)) {
                    // Members are shown together, where the first one stands.
                    Some(t) if t.findings.first() == Some(&f.id) => {
                        self.template(t, report, out)?;
                    }
                    Some(_) => {}
                    None => self.finding(f, report, &texts, out)?,
                }
            }
        }
        for b in &report.blocks {
            writeln!(
                out,
                "{} repeated block in {}: lines {}-{} repeat lines {}-{} ({} paragraphs, {})",
                self.paint(Style::new().bold(), &format!("B{}", b.id)),
                report.file(b.doc).display_path(),
                b.repeat.lines.start,
                b.repeat.lines.end,
                b.first.lines.start,
                b.first.lines.end,
                b.first.paragraphs.len(),
                if b.exact { "exact" } else { "with edits" },
            )?;
        }
        if !report.blocks.is_empty() {
            writeln!(out)?;
        }
        self.archive(report, out)?;
        self.drift(report, out)?;
        writeln!(out, "{}", summary(report))
    }
}

/// The one-line summary.
pub fn summary(report: &Report) -> String {
    let s = &report.stats;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let archive = if report.archive.is_empty() {
        String::new()
    } else {
        format!(
            "; archive: {} exact, {} near, {} boilerplate",
            s.archive_exact, s.archive_near, s.archive_boilerplate
        )
    };
    format!(
        "{} scanned ({}, {:.1} KB): {} exact, {} near, {} boilerplate; {}; {}; {}",
        plural(s.documents, "document"),
        plural(s.paragraphs, "paragraph"),
        s.bytes as f64 / 1024.0,
        s.exact,
        s.near,
        s.boilerplate,
        plural(report.blocks.len(), "repeated block"),
        plural(report.suggestions.len(), "suggestion"),
        plural(report.errors.len(), "error"),
    ) + &archive
}

/// One line of text: whitespace collapsed, cut at a word boundary, control and bidi
/// characters escaped.
fn snippet(text: &str) -> String {
    snippet_of(text, SNIPPET_CHARS)
}

/// [`snippet`] of at most `chars` characters (and an ellipsis).
fn snippet_of(text: &str, chars: usize) -> String {
    let flat = collapse(text);
    let cut = if flat.chars().count() > chars {
        let mut end = flat
            .char_indices()
            .nth(chars)
            .map_or(flat.len(), |(i, _)| i);
        if let Some(space) = flat[..end].rfind(' ') {
            end = space;
        }
        format!("{}…", &flat[..end])
    } else {
        flat
    };
    sanitize(&cut).into_owned()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Keeps at most a few words either side of a change.
fn elide(text: &str, at_start: bool, at_end: bool) -> String {
    const KEEP: usize = 4;
    let words: Vec<&str> = text.split(' ').collect();
    if words.len() <= 2 * KEEP + 1 {
        return text.to_string();
    }
    let head = if at_start {
        ""
    } else {
        &words[..KEEP].join(" ")
    };
    let tail = if at_end {
        ""
    } else {
        &words[words.len() - KEEP..].join(" ")
    };
    match (at_start, at_end) {
        (true, true) => snippet(text),
        (true, false) => format!("… {tail}"),
        (false, true) => format!("{head} …"),
        (false, false) => format!("{head} … {tail}"),
    }
}

/// Article text is untrusted: control characters (other than tab) and bidirectional
/// overrides could rewrite the terminal, so they are shown escaped.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
    };
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if bad(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}
