//! Annotations: the report as a list of places a reviewer should act on, one per
//! occurrence, for CI formats (SARIF, GitHub workflow commands). Both render this list,
//! so they always agree on what is flagged.
//!
//! * A repeat inside one document is flagged on each later copy (the first is the one
//!   kept), pointing at the first copy.
//! * A copy across documents, and boilerplate, is flagged on every occurrence, pointing at
//!   the others.
//! * `check`'s archive matches are flagged on the new paragraph, pointing at the archive.
//! * Drift from an approved paragraph is flagged on the paragraph.

use super::{Location, Report};
use crate::classify::{Kind, Scope};
use crate::span::{LineRange, Span};

/// How serious an annotation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// An accidental repeat to fix before publishing.
    Error,
    /// Needs a look (a near repeat, a copy of archived text, drift).
    Warning,
    /// For information (syndicated copies, boilerplate).
    Note,
}

/// A rule: what kind of duplicate an annotation reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Stable id (`exact-within`).
    pub id: &'static str,
    /// One line.
    pub short: &'static str,
    /// What it means and what to do.
    pub help: &'static str,
    /// Default level.
    pub level: Level,
}

/// Every rule, in a fixed order (SARIF `ruleIndex` is a position in this list).
pub const RULES: [Rule; 8] = [
    Rule {
        id: "exact-within",
        short: "Paragraph repeated word for word inside one article",
        help: "An accidental paste: delete the later copy (`paradup fix --write` does it).",
        level: Level::Error,
    },
    Rule {
        id: "near-within",
        short: "Paragraph repeated with edits inside one article",
        help: "Two versions of one paragraph were left in: keep one, merge the edits.",
        level: Level::Warning,
    },
    Rule {
        id: "exact-across",
        short: "Paragraph identical in several articles",
        help: "Syndicated or copied text; fine for wire copy, worth a look otherwise.",
        level: Level::Note,
    },
    Rule {
        id: "near-across",
        short: "Paragraph lightly edited across articles",
        help: "Copies of one paragraph with edits; check the versions agree.",
        level: Level::Note,
    },
    Rule {
        id: "boilerplate",
        short: "Boilerplate (footer, share line, page template)",
        help: "Recurs across unrelated stories; approve it in paradup.toml to silence it.",
        level: Level::Note,
    },
    Rule {
        id: "archive-exact",
        short: "Paragraph already published",
        help: "The archive index holds this paragraph word for word.",
        level: Level::Warning,
    },
    Rule {
        id: "archive-near",
        short: "Paragraph close to an archived one",
        help: "The archive index holds a lightly edited version of this paragraph.",
        level: Level::Warning,
    },
    Rule {
        id: "drift",
        short: "Approved text has drifted",
        help: "A near copy of an allowlisted paragraph: update it to the approved text.",
        level: Level::Warning,
    },
];

/// A place in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// Path as reports show it.
    pub path: String,
    /// Lines.
    pub lines: LineRange,
    /// Bytes.
    pub span: Span,
}

/// One flagged paragraph.
#[derive(Clone, Debug, PartialEq)]
pub struct Annotation {
    /// Index into [`RULES`].
    pub rule: usize,
    /// Where.
    pub at: Place,
    /// Feed record id, when the paragraph is in a record.
    pub record: Option<String>,
    /// What, in one sentence.
    pub message: String,
    /// The other copies.
    pub related: Vec<Place>,
    /// Fingerprint of the paragraph's normalized text (stable across runs).
    pub fingerprint: String,
}

/// Other copies listed per annotation.
const RELATED: usize = 20;

fn rule(id: &str) -> usize {
    RULES.iter().position(|r| r.id == id).expect("a known rule")
}

impl Report {
    /// Paths are as reachable from the current directory (`articles/outlet/story.txt`
    /// for `paradup scan articles/`), which is what CI tools resolve against the
    /// repository root.
    fn place(&self, at: &Location) -> Place {
        let source = self.file(at.doc);
        let path = if source.stdin.is_some() {
            source.shown_path.clone()
        } else {
            source.slash_path()
        };
        Place {
            path,
            lines: at.lines,
            span: at.span,
        }
    }

    /// The report as annotations, in report order.
    pub fn annotations(&self) -> Vec<Annotation> {
        let mut out = Vec::new();
        for f in &self.findings {
            let id = match (f.kind, f.scope) {
                (Kind::Boilerplate, _) => "boilerplate",
                (Kind::Exact, Scope::Within | Scope::Both) => "exact-within",
                (Kind::Near, Scope::Within | Scope::Both) => "near-within",
                (Kind::Exact, Scope::Across) => "exact-across",
                (Kind::Near, Scope::Across) => "near-across",
            };
            let within = id.ends_with("within");
            for (i, o) in f.occurrences.iter().enumerate() {
                let first_in_doc =
                    f.occurrences.iter().position(|p| p.at.doc == o.at.doc) == Some(i);
                if within && first_in_doc {
                    continue; // the copy that stays
                }
                let related: Vec<Place> = f
                    .occurrences
                    .iter()
                    .enumerate()
                    .filter(|&(j, p)| j != i && (!within || p.at.doc == o.at.doc))
                    .take(RELATED)
                    .map(|(_, p)| self.place(&p.at))
                    .collect();
                let others = f.occurrences.len() - 1;
                let message = match id {
                    "exact-within" => format!(
                        "F{}: repeats word for word the paragraph at line {} of this article",
                        f.id,
                        related.first().map_or(0, |p| p.lines.start)
                    ),
                    "near-within" => format!(
                        "F{}: near repeat (similarity {:.2}) of the paragraph at line {} of this article",
                        f.id,
                        o.similarity,
                        related.first().map_or(0, |p| p.lines.start)
                    ),
                    "boilerplate" => format!(
                        "F{}: boilerplate, in {} documents of {} stories",
                        f.id, f.documents, f.stories
                    ),
                    _ => format!(
                        "F{}: {} copy of a paragraph also in {others} other place(s), first {}",
                        f.id,
                        f.kind.as_str(),
                        related
                            .first()
                            .map_or(String::new(), |p| format!("{}:{}", p.path, p.lines.start))
                    ),
                };
                out.push(Annotation {
                    rule: rule(id),
                    at: self.place(&o.at),
                    record: self.record(o.at.doc).map(|r| r.id.clone()),
                    message,
                    related,
                    fingerprint: o.fingerprint.to_string(),
                });
            }
        }
        for a in &self.archive {
            let id = match a.kind {
                Kind::Exact => "archive-exact",
                Kind::Near => "archive-near",
                Kind::Boilerplate => "boilerplate",
            };
            let related: Vec<Place> = a
                .archived
                .iter()
                .take(RELATED)
                .map(|o| Place {
                    path: o.path.clone(),
                    lines: o.lines,
                    span: o.span,
                })
                .collect();
            let first = related
                .first()
                .map_or(String::new(), |p| format!("{}:{}", p.path, p.lines.start));
            out.push(Annotation {
                rule: rule(id),
                at: self.place(&a.at),
                record: self.record(a.at.doc).map(|r| r.id.clone()),
                message: format!(
                    "A{}: {} in {} archived document(s) (similarity {:.2}), e.g. {first}",
                    a.id,
                    if a.kind == Kind::Exact {
                        "already published"
                    } else {
                        "close to archived text"
                    },
                    a.archived_documents,
                    a.similarity
                ),
                related,
                fingerprint: a.fingerprint.to_string(),
            });
        }
        for d in &self.drift {
            out.push(Annotation {
                rule: rule("drift"),
                at: self.place(&d.at),
                record: self.record(d.at.doc).map(|r| r.id.clone()),
                message: format!(
                    "drifted from the approved \"{}\" (similarity {:.2})",
                    d.approved, d.similarity
                ),
                related: Vec::new(),
                fingerprint: d.fingerprint.to_string(),
            });
        }
        out
    }
}
