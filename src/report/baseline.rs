//! Baselines: gate only what is new. A saved JSON report lists every known duplicate by
//! kind, path and text fingerprint; a later run drops the findings all of whose
//! occurrences are known, so an old archive's accepted duplicates do not fail every build,
//! while a new copy of a known paragraph (a new occurrence) still shows.
//!
//! Occurrences are matched by fingerprint, not by line, so edits elsewhere in a file do
//! not make known findings look new.

use std::collections::HashSet;
use std::path::Path;

use serde_json::Value;

use super::Report;
use super::json::saved_text;
use crate::classify::Kind;
use crate::error::Error;

/// The known findings of a saved report.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    /// (kind, path, fingerprint) of every known occurrence.
    known: HashSet<(String, String, String)>,
}

impl Baseline {
    /// Reads a JSON report (version 1 with fingerprints, or 2).
    pub fn load(path: &Path) -> crate::Result<Baseline> {
        let error = |reason: String| Error::Config {
            path: path.display().to_string(),
            reason,
        };
        let text = std::fs::read_to_string(path).map_err(|e| error(crate::error::io_reason(&e)))?;
        let report: Value = serde_json::from_str(&text)
            .map_err(|e| error(format!("not a paradup JSON report: {e}")))?;
        if report["version"] != 1 && report["version"] != super::json::VERSION {
            return Err(error(format!(
                "not a paradup JSON report of version 1 or {}",
                super::json::VERSION
            )));
        }
        let mut known = HashSet::new();
        let entry = |kind: &str, item: &Value| -> crate::Result<(String, String, String)> {
            let path = item["path"].as_str().unwrap_or_default();
            let fingerprint = saved_text(&report, item).fingerprint.ok_or_else(|| {
                error("the report has no fingerprints; save it again with this paradup".to_string())
            })?;
            Ok((kind.to_string(), path.to_string(), fingerprint.to_string()))
        };
        for finding in report["findings"].as_array().into_iter().flatten() {
            let kind = finding["kind"].as_str().unwrap_or_default();
            for o in finding["occurrences"].as_array().into_iter().flatten() {
                known.insert(entry(kind, o)?);
            }
        }
        for a in report["archive"].as_array().into_iter().flatten() {
            let kind = format!("archive-{}", a["kind"].as_str().unwrap_or_default());
            known.insert(entry(&kind, a)?);
        }
        for d in report["drift"].as_array().into_iter().flatten() {
            known.insert(entry("drift", d)?);
        }
        Ok(Baseline { known })
    }

    fn knows(&self, kind: &str, path: &str, fingerprint: crate::fingerprint::Fingerprint) -> bool {
        self.known
            .contains(&(kind.to_string(), path.to_string(), fingerprint.to_string()))
    }
}

impl Report {
    /// Drops what `baseline` already knows: findings all of whose occurrences it lists
    /// (with their suggestions and blocks), known archive matches and drift. Returns how
    /// many entries were dropped.
    pub fn apply_baseline(&mut self, baseline: &Baseline) -> usize {
        let before = self.findings.len() + self.archive.len() + self.drift.len();
        let (sources, documents) = (&self.sources, &self.documents);
        let path = |doc: crate::corpus::DocId| {
            sources[documents[doc.0 as usize].source as usize]
                .shown_path
                .as_str()
        };
        self.findings.retain(|f| {
            !f.occurrences
                .iter()
                .all(|o| baseline.knows(f.kind.as_str(), path(o.at.doc), o.fingerprint))
        });
        self.archive.retain(|a| {
            let kind = format!("archive-{}", a.kind.as_str());
            !baseline.knows(&kind, path(a.at.doc), a.fingerprint)
        });
        self.drift
            .retain(|d| !baseline.knows("drift", path(d.at.doc), d.fingerprint));
        self.refold_templates();
        let kept_ids: HashSet<u32> = self.findings.iter().map(|f| f.id).collect();
        self.suggestions.retain(|s| kept_ids.contains(&s.finding));
        self.blocks
            .retain(|b| b.findings.iter().any(|f| kept_ids.contains(f)));
        let count = |kind| self.findings.iter().filter(|f| f.kind == kind).count();
        self.stats.exact = count(Kind::Exact);
        self.stats.near = count(Kind::Near);
        self.stats.boilerplate = count(Kind::Boilerplate);
        let archive = |kind| self.archive.iter().filter(|a| a.kind == kind).count();
        self.stats.archive_exact = archive(Kind::Exact);
        self.stats.archive_near = archive(Kind::Near);
        self.stats.archive_boilerplate = archive(Kind::Boilerplate);
        before - (self.findings.len() + self.archive.len() + self.drift.len())
    }

    /// Keeps templates in step with the findings a baseline left: dropped members leave,
    /// a template left with fewer than two members unfolds (classify would not have made
    /// it), and `pages` is counted again. Ids are kept, as blocks keep
    /// theirs.
    fn refold_templates(&mut self) {
        let mut templates = std::mem::take(&mut self.templates);
        for t in &mut templates {
            t.findings.retain(|&id| self.finding(id).is_some());
        }
        let unfolded: HashSet<u32> = templates
            .iter()
            .filter(|t| t.findings.len() < 2)
            .map(|t| t.id)
            .collect();
        templates.retain(|t| !unfolded.contains(&t.id));
        for f in &mut self.findings {
            if f.template.is_some_and(|t| unfolded.contains(&t)) {
                f.template = None;
            }
        }
        for t in &mut templates {
            t.pages = self.template_pages(t);
        }
        self.templates = templates;
    }

    /// Documents of a template's source holding an occurrence of one of its members.
    fn template_pages(&self, template: &crate::classify::Template) -> usize {
        let mut docs: Vec<u32> = template
            .findings
            .iter()
            .filter_map(|&id| self.finding(id))
            .flat_map(|f| &f.occurrences)
            .map(|o| o.at.doc.0)
            .filter(|&d| self.documents[d as usize].site(&self.sources) == template.source)
            .collect();
        docs.sort_unstable();
        docs.dedup();
        docs.len()
    }
}
