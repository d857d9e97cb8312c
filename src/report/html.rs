//! HTML report: one self-contained file (inline CSS and JS, no network access) that opens
//! from disk, for editors who would rather look than read JSON.
//!
//! Article text is untrusted. It never becomes markup: the report's data is embedded as
//! JSON inside `<script type="application/json">` with every `<`, `>`, `&` and line
//! separator escaped as `\uXXXX` (so nothing in it can close the element), and the page's
//! script builds the DOM with `textContent` only. A Content Security Policy forbids any
//! network request and any script but the page's own (allowed by its SHA-256, so even an
//! injected inline handler could not run; the browser test fails if the hash is stale). Findings are rendered a page at a
//! time, so a report of ten thousand findings stays responsive. A source's template is
//! one card where its first member would stand, its members listed when it is opened.

use std::io;

use serde::Serialize;

use super::diff::{Change, word_runs};
use super::{Render, Report};
use crate::classify::Kind;

/// Renders [`Report`] as a self-contained HTML page.
#[derive(Debug, Clone, Copy, Default)]
pub struct Html;

#[derive(Serialize)]
struct Data<'a> {
    tool: String,
    summary: Summary,
    findings: Vec<Finding>,
    templates: Vec<Template<'a>>,
    archive: Vec<Archive>,
    errors: &'a [crate::error::FileError],
}

/// A source's template; its members are the findings naming it.
#[derive(Serialize)]
struct Template<'a> {
    id: String,
    source: &'a str,
    blocks: usize,
    pages: usize,
}

#[derive(Serialize)]
struct Summary {
    documents: usize,
    paragraphs: usize,
    bytes: u64,
    exact: usize,
    near: usize,
    boilerplate: usize,
    /// Share of paragraphs in findings of each kind.
    share_exact: f64,
    share_near: f64,
    share_boilerplate: f64,
    /// Findings by kind and scope: [kind, scope, count].
    by_kind_scope: Vec<(String, String, usize)>,
    /// Documents with the most duplicated (exact or near) paragraphs.
    top_documents: Vec<(String, usize)>,
    suggestions: usize,
    errors: usize,
}

#[derive(Serialize)]
struct Finding {
    id: String,
    kind: &'static str,
    scope: &'static str,
    similarity: f64,
    documents: usize,
    /// The template it is folded into (`T1`), for boilerplate of a source's template.
    #[serde(skip_serializing_if = "Option::is_none")]
    template: Option<String>,
    occurrences: Vec<Occurrence>,
    suggestions: Vec<Suggestion>,
}

#[derive(Serialize)]
struct Occurrence {
    path: String,
    line: u32,
    end_line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    element: Option<String>,
    representative: bool,
    similarity: f64,
    /// Near findings: "sentences reordered", "sentence added" or "sentence dropped", when
    /// verification saw that edit against the representative.
    #[serde(skip_serializing_if = "Option::is_none")]
    edit: Option<&'static str>,
    text: String,
    /// Word diff against the representative, for near findings: [0 equal | 1 deleted |
    /// 2 inserted, text].
    #[serde(skip_serializing_if = "Option::is_none")]
    diff: Option<Vec<(u8, String)>>,
}

#[derive(Serialize)]
struct Suggestion {
    action: &'static str,
    applicability: &'static str,
    path: String,
    line: u32,
    end_line: u32,
    reason: String,
}

#[derive(Serialize)]
struct Archive {
    id: String,
    kind: &'static str,
    similarity: f64,
    path: String,
    line: u32,
    text: String,
    archived: Vec<(String, u32)>,
}

impl Render for Html {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let data = data(report);
        let json = serde_json::to_string(&data).map_err(io::Error::other)?;
        out.write_all(HEAD.as_bytes())?;
        out.write_all(embeddable(&json).as_bytes())?;
        out.write_all(TAIL.as_bytes())
    }
}

/// JSON made safe inside a `<script>` element: no character that could end it or start a
/// comment, and no line separators (which old engines treat as line ends).
fn embeddable(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

fn data(report: &Report) -> Data<'_> {
    let mut findings = Vec::with_capacity(report.findings.len());
    for (batch, texts) in report.finding_batches() {
        for f in batch {
            let text_of = |o: &super::OccurrenceView| {
                texts
                    .get(&(o.at.doc, o.at.span.start))
                    .cloned()
                    .unwrap_or_default()
            };
            let rep = f.representative();
            let rep_text = text_of(rep).text;
            let occurrences = f
                .occurrences
                .iter()
                .map(|o| {
                    let text = text_of(o);
                    let diff = (f.kind == Kind::Near && o.variant != rep.variant).then(|| {
                        word_runs(&rep_text, &text.text)
                            .into_iter()
                            .map(|(change, run)| {
                                let tag = match change {
                                    Change::Equal => 0,
                                    Change::Delete => 1,
                                    Change::Insert => 2,
                                };
                                (tag, run)
                            })
                            .collect()
                    });
                    Occurrence {
                        path: report.file(o.at.doc).shown_path.clone(),
                        line: o.at.lines.start,
                        end_line: o.at.lines.end,
                        record: report.record(o.at.doc).map(|r| r.id.clone()),
                        element: text.element,
                        representative: o.representative,
                        similarity: f64::from(o.similarity),
                        edit: o
                            .edit
                            .and_then(crate::matching::Edit::phrase)
                            .filter(|_| f.kind == Kind::Near),
                        text: text.text,
                        diff,
                    }
                })
                .collect();
            let suggestions = report
                .suggestions
                .iter()
                .filter(|s| s.finding == f.id)
                .map(|s| Suggestion {
                    action: s.action.as_str(),
                    applicability: s.applicability.as_str(),
                    path: report.file(s.at.doc).shown_path.clone(),
                    line: s.at.lines.start,
                    end_line: s.at.lines.end,
                    reason: s.reason.clone(),
                })
                .collect();
            findings.push(Finding {
                id: format!("F{}", f.id),
                kind: f.kind.as_str(),
                scope: f.scope.as_str(),
                similarity: f.similarity,
                documents: f.documents,
                template: f.template.map(|t| format!("T{t}")),
                occurrences,
                suggestions,
            });
        }
    }
    let archive_texts = report.texts(report.archive.iter().map(|a| &a.at));
    let archive = report
        .archive
        .iter()
        .map(|a| Archive {
            id: format!("A{}", a.id),
            kind: a.kind.as_str(),
            similarity: a.similarity,
            path: report.file(a.at.doc).shown_path.clone(),
            line: a.at.lines.start,
            text: archive_texts
                .get(&(a.at.doc, a.at.span.start))
                .map(|t| t.text.clone())
                .unwrap_or_default(),
            archived: a
                .archived
                .iter()
                .map(|o| (o.path.clone(), o.lines.start))
                .collect(),
        })
        .collect();
    Data {
        tool: format!("paradup {}", env!("CARGO_PKG_VERSION")),
        summary: summary(report),
        findings,
        templates: report
            .templates
            .iter()
            .map(|t| Template {
                id: format!("T{}", t.id),
                source: t.shown_source(),
                blocks: t.blocks(),
                pages: t.pages,
            })
            .collect(),
        archive,
        errors: &report.errors,
    }
}

fn summary(report: &Report) -> Summary {
    let paragraphs = report.stats.paragraphs.max(1) as f64;
    let share = |kind: Kind| {
        report
            .findings
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| f.occurrences.len())
            .sum::<usize>() as f64
            / paragraphs
    };
    let mut by_kind_scope: Vec<(String, String, usize)> = Vec::new();
    for f in &report.findings {
        let key = (f.kind.as_str().to_string(), f.scope.as_str().to_string());
        match by_kind_scope
            .iter_mut()
            .find(|(k, s, _)| (k, s) == (&key.0, &key.1))
        {
            Some(entry) => entry.2 += 1,
            None => by_kind_scope.push((key.0, key.1, 1)),
        }
    }
    by_kind_scope.sort();
    let mut per_doc = vec![0usize; report.documents.len()];
    for f in report
        .findings
        .iter()
        .filter(|f| f.kind != Kind::Boilerplate)
    {
        for o in &f.occurrences {
            per_doc[o.at.doc.0 as usize] += 1;
        }
    }
    let mut top: Vec<(String, usize)> = per_doc
        .iter()
        .enumerate()
        .filter(|(_, n)| **n > 0)
        .map(|(d, n)| {
            let doc = crate::corpus::DocId(d as u32);
            let name = match report.record(doc) {
                Some(r) => format!("{} [{}]", report.file(doc).shown_path, r.id),
                None => report.file(doc).shown_path.clone(),
            };
            (name, *n)
        })
        .collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    top.truncate(10);
    Summary {
        documents: report.stats.documents,
        paragraphs: report.stats.paragraphs,
        bytes: report.stats.bytes,
        exact: report.stats.exact,
        near: report.stats.near,
        boilerplate: report.stats.boilerplate,
        share_exact: share(Kind::Exact),
        share_near: share(Kind::Near),
        share_boilerplate: share(Kind::Boilerplate),
        by_kind_scope,
        top_documents: top,
        suggestions: report.suggestions.len(),
        errors: report.errors.len(),
    }
}

const HEAD: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-G0z4+LSyQ5ghOgE3suqvQ1VOfFbqEAhgi7C64Lpt01k='; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>paradup report</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #f6f7f9; }
header { background: #1d2330; color: #fff; padding: 14px 24px; }
header h1 { margin: 0; font-size: 20px; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0; }
.card { background: #fff; border: 1px solid #dde1e8; border-radius: 6px; padding: 10px 14px; min-width: 120px; }
.card b { display: block; font-size: 22px; }
.panel { background: #fff; border: 1px solid #dde1e8; border-radius: 6px; padding: 12px 16px; margin: 12px 0; }
.controls { display: flex; gap: 10px; flex-wrap: wrap; align-items: center; position: sticky; top: 0; background: #f6f7f9; padding: 8px 0; z-index: 1; }
.finding { background: #fff; border: 1px solid #dde1e8; border-left: 5px solid #8a94a6; border-radius: 6px; margin: 10px 0; padding: 10px 14px; }
.finding.exact { border-left-color: #c62828; } .finding.near { border-left-color: #e0a100; } .finding.boilerplate { border-left-color: #8a94a6; }
.head { font-weight: 600; }
.kind { display: inline-block; padding: 0 6px; border-radius: 4px; color: #fff; font-size: 12px; margin-right: 6px; }
.kind.exact { background: #c62828; } .kind.near { background: #b07d00; } .kind.boilerplate { background: #6b7485; }
.occs { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 10px; margin-top: 8px; }
.occ { border: 1px solid #e6e9ef; border-radius: 4px; padding: 8px; background: #fbfcfd; }
.place { font-family: ui-monospace, monospace; font-size: 13px; color: #0b5cad; word-break: break-all; }
.text { white-space: pre-wrap; margin-top: 4px; }
del { background: #fde0e0; color: #8e1b1b; } ins { background: #dcf5dc; color: #1b5e20; text-decoration: none; }
.sugg { margin-top: 6px; font-size: 13px; } .sugg b { color: #2e7d32; }
.pager button { margin: 0 2px; }
.bar { fill: #4a6fa5; } svg text { font-size: 11px; fill: #1d2330; }
table { border-collapse: collapse; } td, th { padding: 2px 10px 2px 0; text-align: left; }
</style>
</head>
<body>
<header><h1>paradup report</h1><div id="tool"></div></header>
<main>
<section id="summary"></section>
<section class="controls">
<label>Kind <select id="kind"><option value="">all</option><option>exact</option><option>near</option><option>boilerplate</option></select></label>
<label>Scope <select id="scope"><option value="">all</option><option>within</option><option>across</option><option>both</option></select></label>
<label>Path <input id="path" type="search" placeholder="filter by path"></label>
<span id="count"></span>
</section>
<section id="findings"></section>
<section class="pager" id="pager"></section>
<section id="archive"></section>
<script type="application/json" id="data">"#;

const TAIL: &str = r#"</script>
<script>
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("data").textContent);
  const PAGE = 50;
  let page = 0;
  // A source's template is one entry where its first member stands; its members go with it.
  const templates = {};
  data.templates.forEach(function (t) { templates[t.id] = Object.assign({ members: [] }, t); });
  const entries = [];
  data.findings.forEach(function (f) {
    const t = f.template && templates[f.template];
    if (!t) { entries.push(f); return; }
    if (!t.members.length) entries.push(t);
    t.members.push(f);
  });
  function members(e) { return e.members || [e]; }
  function size(list) { return list.reduce(function (n, e) { return n + members(e).length; }, 0); }
  let shown = entries;
  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function pct(x) { return (100 * x).toFixed(1) + "%"; }
  document.getElementById("tool").textContent = data.tool;
  function summary() {
    const s = data.summary, box = document.getElementById("summary");
    const cards = el("div", "cards");
    [["documents", s.documents], ["paragraphs", s.paragraphs], ["exact", s.exact + " (" + pct(s.share_exact) + " of paragraphs)"],
     ["near", s.near + " (" + pct(s.share_near) + ")"], ["boilerplate", s.boilerplate + " (" + pct(s.share_boilerplate) + ")"],
     ["suggestions", s.suggestions], ["errors", s.errors]].forEach(function (c) {
      const card = el("div", "card"); card.appendChild(el("b", "", String(c[1]))); card.appendChild(el("span", "", c[0])); cards.appendChild(card);
    });
    box.appendChild(cards);
    const panel = el("div", "panel");
    panel.appendChild(el("div", "head", "Findings by kind and scope"));
    const ns = "http://www.w3.org/2000/svg", rows = s.by_kind_scope;
    const max = Math.max(1, ...rows.map(function (r) { return r[2]; }));
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("width", "520"); svg.setAttribute("height", String(22 * rows.length + 6)); svg.setAttribute("id", "chart");
    rows.forEach(function (r, i) {
      const label = document.createElementNS(ns, "text");
      label.setAttribute("x", "0"); label.setAttribute("y", String(22 * i + 15)); label.textContent = r[0] + " " + r[1];
      const bar = document.createElementNS(ns, "rect");
      bar.setAttribute("x", "140"); bar.setAttribute("y", String(22 * i + 4)); bar.setAttribute("height", "14");
      bar.setAttribute("width", String(Math.max(2, 330 * r[2] / max))); bar.setAttribute("class", "bar");
      const n = document.createElementNS(ns, "text");
      n.setAttribute("x", String(146 + 330 * r[2] / max)); n.setAttribute("y", String(22 * i + 15)); n.textContent = String(r[2]);
      svg.appendChild(label); svg.appendChild(bar); svg.appendChild(n);
    });
    panel.appendChild(svg);
    if (s.top_documents.length) {
      panel.appendChild(el("div", "head", "Documents with the most duplicated paragraphs"));
      const t = el("table");
      s.top_documents.forEach(function (d) { const tr = el("tr"); tr.appendChild(el("td", "place", d[0])); tr.appendChild(el("td", "", String(d[1]))); t.appendChild(tr); });
      panel.appendChild(t);
    }
    box.appendChild(panel);
  }
  function place(o) {
    let p = o.path + ":" + o.line + (o.end_line !== o.line ? "-" + o.end_line : "");
    if (o.record) p += " [record " + o.record + "]";
    if (o.element) p += " [" + o.element + "]";
    return p;
  }
  function finding(f) {
    const box = el("article", "finding " + f.kind);
    box.id = f.id;
    const head = el("div", "head");
    head.appendChild(el("span", "kind " + f.kind, f.kind));
    head.appendChild(document.createTextNode(f.id + " · " + f.scope + " · " + f.occurrences.length + " copies in " + f.documents + " document(s)" +
      (f.kind === "near" ? " · similarity " + f.similarity.toFixed(2) : "")));
    box.appendChild(head);
    const occs = el("div", "occs");
    f.occurrences.forEach(function (o) {
      const c = el("div", "occ");
      c.appendChild(el("div", "place", place(o) + (o.representative && f.kind === "near" ? " (representative)" : "") + (o.edit ? " (" + o.edit + ")" : "")));
      const t = el("div", "text");
      if (o.diff) {
        o.diff.forEach(function (d) { t.appendChild(d[0] === 1 ? el("del", "", d[1]) : d[0] === 2 ? el("ins", "", d[1]) : document.createTextNode(d[1])); });
      } else {
        t.textContent = o.text;
      }
      c.appendChild(t);
      occs.appendChild(c);
    });
    box.appendChild(occs);
    f.suggestions.forEach(function (s) {
      const d = el("div", "sugg");
      d.appendChild(el("b", "", s.action + " (" + s.applicability + ")"));
      d.appendChild(document.createTextNode(" " + s.path + ":" + s.line + "-" + s.end_line + ": " + s.reason));
      box.appendChild(d);
    });
    return box;
  }
  function template(t) {
    const box = el("article", "finding boilerplate");
    box.id = t.id;
    const head = el("div", "head");
    head.appendChild(el("span", "kind boilerplate", "template"));
    head.appendChild(document.createTextNode(t.id + " · template of " + t.source + ": " + t.blocks + " blocks on " + t.pages + " page(s)"));
    box.appendChild(head);
    const list = el("details");
    list.appendChild(el("summary", "", t.members.map(function (f) { return f.id; }).join(", ")));
    // Members are drawn when the list is opened, so a large template stays one card.
    list.addEventListener("toggle", function () {
      if (!list.open || list.childElementCount > 1) return;
      t.members.forEach(function (f) { list.appendChild(finding(f)); });
    });
    box.appendChild(list);
    return box;
  }
  function render() {
    const list = document.getElementById("findings");
    list.replaceChildren();
    const start = page * PAGE;
    shown.slice(start, start + PAGE).forEach(function (e) { list.appendChild(e.members ? template(e) : finding(e)); });
    document.getElementById("count").textContent = size(shown) + " of " + data.findings.length + " findings";
    const pager = document.getElementById("pager");
    pager.replaceChildren();
    const pages = Math.ceil(shown.length / PAGE);
    if (pages > 1) {
      const prev = el("button", "", "previous"); prev.disabled = page === 0; prev.onclick = function () { page--; render(); };
      const next = el("button", "", "next"); next.disabled = page >= pages - 1; next.onclick = function () { page++; render(); };
      pager.appendChild(prev); pager.appendChild(el("span", "", " page " + (page + 1) + " of " + pages + " ")); pager.appendChild(next);
    }
  }
  function filter() {
    const kind = document.getElementById("kind").value, scope = document.getElementById("scope").value;
    const path = document.getElementById("path").value.toLowerCase();
    shown = entries.filter(function (e) {
      return members(e).some(function (f) {
        return (!kind || f.kind === kind) && (!scope || f.scope === scope) &&
          (!path || f.occurrences.some(function (o) { return o.path.toLowerCase().indexOf(path) >= 0; }));
      });
    });
    page = 0;
    render();
  }
  function archive() {
    if (!data.archive.length) return;
    const box = document.getElementById("archive");
    box.appendChild(el("h2", "", "In the archive"));
    data.archive.forEach(function (a) {
      const f = el("article", "finding " + a.kind);
      f.appendChild(el("div", "head", a.id + " archive-" + a.kind + " · " + a.path + ":" + a.line));
      f.appendChild(el("div", "text", a.text));
      a.archived.forEach(function (p) { f.appendChild(el("div", "place", p[0] + ":" + p[1])); });
      box.appendChild(f);
    });
  }
  ["kind", "scope"].forEach(function (id) { document.getElementById(id).addEventListener("change", filter); });
  document.getElementById("path").addEventListener("input", filter);
  summary();
  render();
  archive();
  document.body.setAttribute("data-ready", "1");
})();
</script>
</body>
</html>
"#;
