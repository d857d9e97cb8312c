//! Templates: a site's boilerplate findings folded into one [`Template`] per source, so a
//! reader sees one thing to look at instead of a screen of nav items. Folding changes no
//! finding, only how reports group them.

use std::collections::BTreeMap;

use super::stories::Sites;
use super::{Finding, Kind, Occurrence};
use crate::corpus::Corpus;

/// The boilerplate findings of one source, folded into one entry of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    /// 1-based number, shown as `T1`, `T2`, ... Assigned in order of source name, so the
    /// same input always numbers its templates alike.
    pub id: u32,
    /// The source (site, outlet) whose template it is.
    pub source: String,
    /// Ids of the member findings, ascending (ids, like a block's, so they stay valid
    /// when a baseline drops other findings).
    pub findings: Vec<u32>,
    /// How many of the source's documents hold an occurrence of some member.
    pub pages: usize,
}

impl Template {
    /// How many member findings (the template's blocks of text) it has.
    pub fn blocks(&self) -> usize {
        self.findings.len()
    }

    /// The source as people read it: files directly in the scanned folder have the empty
    /// source, shown as `.` (the folder itself).
    pub fn shown_source(&self) -> &str {
        if self.source.is_empty() {
            "."
        } else {
            &self.source
        }
    }
}

/// Groups boilerplate findings by the source owning them ([`owning_source`]) and makes a
/// [`Template`] of every source with two or more: one boilerplate finding alone is
/// clearer as itself than as a template of one. Templates are numbered by source name.
pub(super) fn fold_templates(
    corpus: &Corpus,
    site: &Sites,
    findings: &mut [Finding],
) -> Vec<Template> {
    let site_of = |o: &Occurrence| {
        let doc = corpus.print(o.print).at.doc;
        (site.of_doc[doc.0 as usize], doc.0)
    };
    let mut by_source: BTreeMap<&str, (u32, Vec<u32>)> = BTreeMap::new();
    for f in findings.iter().filter(|f| f.kind == Kind::Boilerplate) {
        if let Some(owner) = owning_source(f.occurrences.iter().map(|o| site_of(o).0)) {
            let name = site.names[owner as usize].as_str();
            by_source
                .entry(name)
                .or_insert((owner, Vec::new()))
                .1
                .push(f.id);
        }
    }
    let mut templates = Vec::new();
    for (source, (owner, members)) in by_source {
        if members.len() < 2 {
            continue;
        }
        let id = templates.len() as u32 + 1;
        let mut pages: Vec<u32> = Vec::new();
        for &m in &members {
            let f = &mut findings[m as usize - 1]; // ids are 1-based positions
            f.template = Some(id);
            pages.extend(
                f.occurrences
                    .iter()
                    .map(site_of)
                    .filter(|&(s, _)| s == owner)
                    .map(|(_, d)| d),
            );
        }
        pages.sort_unstable();
        pages.dedup();
        templates.push(Template {
            id,
            source: source.to_string(),
            findings: members,
            pages: pages.len(),
        });
    }
    templates
}

/// The source holding at least half of the occurrences whose sources `sites` lists, if
/// exactly one does. When two sources hold half each, neither owns the text: what two
/// outlets carry alike is shared chrome (a network's footer), not one site's template,
/// and picking one by name would fold it under an arbitrary site.
pub(super) fn owning_source<T: Ord + Copy>(sites: impl Iterator<Item = T>) -> Option<T> {
    let mut sites: Vec<T> = sites.collect();
    sites.sort_unstable();
    let total = sites.len();
    let mut owners = sites
        .chunk_by(|a, b| a == b)
        .filter(|run| 2 * run.len() >= total)
        .map(|run| run[0]);
    match (owners.next(), owners.next()) {
        (Some(owner), None) => Some(owner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::owning_source;

    #[test]
    fn a_source_with_half_the_copies_owns_a_text() {
        let owner = |sites: &[&'static str]| owning_source(sites.iter().copied());
        assert_eq!(owner(&["weis", "weis", "weis"]), Some("weis"));
        assert_eq!(owner(&["weis", "kaaa", "weis", "kbbb"]), Some("weis"));
        assert_eq!(
            owner(&["weis", "kaaa", "kbbb"]),
            None,
            "a third is not half"
        );
        assert_eq!(
            owner(&["weis", "kaaa", "weis", "kaaa"]),
            None,
            "a tie has no owner"
        );
        assert_eq!(owner(&[]), None);
    }
}
