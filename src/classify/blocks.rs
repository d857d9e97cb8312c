//! Repeated blocks: runs of two or more consecutive paragraphs pasted again later in
//! the same document, reported once as a block over their per-paragraph findings.

use std::collections::HashMap;

use super::{Finding, Kind, RepeatedBlock, Units};
use crate::corpus::{Corpus, PrintId};
use crate::matching::Groups;

/// Earlier copies of a unit that a new occurrence is compared with. Documents written by
/// people repeat a paragraph a handful of times; a generated one may repeat a template
/// tens of thousands of times, and must still cost linear time.
pub(super) const MAX_EARLIER_COPIES: usize = 16;

/// Finds runs of two or more consecutive paragraphs repeated later in the same document.
pub(super) fn repeated_blocks(
    corpus: &Corpus,
    groups: &Groups,
    units: &Units,
    boilerplate: &[bool],
    findings: &mut [Finding],
) -> Vec<RepeatedBlock> {
    // Which finding pairs two prints: by text for exact, by unit for near.
    let mut finding_of: HashMap<PrintId, u32> = HashMap::new();
    let mut near_of: HashMap<PrintId, u32> = HashMap::new();
    for f in findings.iter() {
        if f.kind == Kind::Boilerplate {
            continue;
        }
        for o in &f.occurrences {
            if f.kind == Kind::Exact || !finding_of.contains_key(&o.print) {
                finding_of.insert(o.print, f.id);
            }
            if f.kind == Kind::Near {
                near_of.entry(o.print).or_insert(f.id);
            }
        }
    }
    let mut blocks: Vec<RepeatedBlock> = Vec::new();
    for d in 0..corpus.document_count() {
        let range = corpus.doc_range(crate::corpus::DocId(d as u32));
        let base = range.start;
        let unit: Vec<Option<u32>> = range
            .map(|p| {
                let t = groups.texts.text_of(p)?;
                let u = units.of_text[t as usize];
                (units.long[u as usize]
                    && !boilerplate[u as usize]
                    && finding_of.contains_key(&PrintId(p)))
                .then_some(u)
            })
            .collect();
        for (i, j, len) in repeats(&unit) {
            let first: Vec<PrintId> = (i..i + len).map(|k| PrintId(base + k as u32)).collect();
            let repeat: Vec<PrintId> = (j..j + len).map(|k| PrintId(base + k as u32)).collect();
            let same_text =
                |a: PrintId, b: PrintId| groups.texts.text_of(a.0) == groups.texts.text_of(b.0);
            let exact = first.iter().zip(&repeat).all(|(&a, &b)| same_text(a, b));
            let mut ids: Vec<u32> = Vec::new();
            for (&a, &b) in first.iter().zip(&repeat) {
                let id = match near_of.get(&b) {
                    Some(&near) if !same_text(a, b) => near,
                    _ => finding_of[&b],
                };
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            blocks.push(RepeatedBlock {
                id: 0,
                first,
                repeat,
                exact,
                findings: ids,
            });
        }
    }
    for (i, block) in blocks.iter_mut().enumerate() {
        block.id = i as u32 + 1;
        let inside = |p: &PrintId| {
            block.first.first() <= Some(p) && Some(p) <= block.first.last()
                || block.repeat.first() <= Some(p) && Some(p) <= block.repeat.last()
        };
        for &id in &block.findings {
            let f = &mut findings[id as usize - 1]; // ids are 1-based positions
            for o in &mut f.occurrences {
                if o.block.is_none() && inside(&o.print) {
                    o.block = Some(block.id);
                }
            }
        }
    }
    blocks
}

/// The repeated runs in a document's sequence of units, as (first copy's start, repeat's
/// start, length), ordered by first copy. The scan goes left to right; a repeat is
/// matched with the earlier copy giving the longest run (the earliest on ties), the two
/// copies never overlap, and the scan resumes after the repeat; no two blocks share a
/// paragraph.
pub(super) fn repeats(unit: &[Option<u32>]) -> Vec<(usize, usize, usize)> {
    let run = |i: usize, j: usize| {
        let mut len = 0;
        while i + len < j
            && j + len < unit.len()
            && unit[i + len].is_some()
            && unit[i + len] == unit[j + len]
        {
            len += 1;
        }
        len
    };
    let mut earlier: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut found = Vec::new();
    let mut j = 0;
    while j < unit.len() {
        let Some(u) = unit[j] else {
            j += 1;
            continue;
        };
        let copies = earlier.entry(u).or_default();
        let best = copies
            .iter()
            .take(MAX_EARLIER_COPIES)
            .map(|&i| (run(i, j), std::cmp::Reverse(i)))
            .max();
        copies.push(j);
        match best {
            Some((len, std::cmp::Reverse(i))) if len >= 2 => {
                found.push((i, j, len));
                for (k, u) in unit.iter().enumerate().take(j + len).skip(j + 1) {
                    if let Some(u) = u {
                        earlier.entry(*u).or_default().push(k);
                    }
                }
                j += len;
            }
            _ => j += 1,
        }
    }
    // A repeat found inside a longer one (ABCB... then ABCD...ABCD) is left to the
    // longer: blocks never share a paragraph, so each occurrence names one block.
    found.sort_unstable_by_key(|&(i, j, len)| (std::cmp::Reverse(len), i, j));
    let mut used = vec![false; unit.len()];
    found.retain(|&(i, j, len)| {
        let ranges = [i..i + len, j..j + len];
        if ranges.iter().any(|r| used[r.clone()].contains(&true)) {
            return false;
        }
        for r in ranges {
            used[r].fill(true);
        }
        true
    });
    found.sort_unstable();
    found
}
