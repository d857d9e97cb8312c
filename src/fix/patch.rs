//! Patch report: a unified diff of the removals `fix` would make, for `git apply` or
//! `patch -p1` from the scanned folder.
//!
//! Each file's diff is preceded by `#` comment lines naming every removal's finding and
//! reason (text before a `diff --git` header is ignored by both tools), and each hunk
//! header carries the finding ids it removes in its section-heading slot
//! (`@@ -12,9 +12,5 @@ F1 F2 …`), which both tools also ignore. The diff itself comes from
//! `similar` over the file's raw bytes, so line endings and encodings pass through.

use std::io;

use similar::TextDiff;

use super::{FilePlan, Selection};
use crate::fix;
use crate::report::{Render, Report};

/// Renders the removals of `selection` as a unified diff.
#[derive(Debug, Clone, Copy, Default)]
pub struct Patch {
    /// Which suggestions become removals.
    pub selection: Selection,
}

/// Lines of context around each change.
const CONTEXT: usize = 3;

impl Render for Patch {
    fn render(&self, report: &Report, out: &mut dyn io::Write) -> io::Result<()> {
        let (plans, errors) = fix::plan(report, self.selection);
        let removals: usize = plans.iter().map(|p| p.removals.len()).sum();
        writeln!(
            out,
            "# paradup: remove {removals} paragraph(s) from {} file(s). From the scanned folder: `git apply FILE` or `patch -p1 < FILE`.",
            plans.len()
        )?;
        for e in &errors {
            writeln!(out, "# skipped {}: {}", e.path, e.error)?;
        }
        for plan in &plans {
            file_diff(report, plan, out)?;
        }
        Ok(())
    }
}

fn file_diff(report: &Report, plan: &FilePlan, out: &mut dyn io::Write) -> io::Result<()> {
    let source = &report.sources[plan.source];
    let path = &source.shown_path;
    writeln!(out, "#\n# {path}")?;
    for r in &plan.removals {
        let s = &report.suggestions[r.suggestion];
        writeln!(
            out,
            "#   F{} {} lines {}-{}: {}",
            s.finding,
            s.action.as_str(),
            s.at.lines.start,
            s.at.lines.end,
            s.reason
        )?;
    }
    if utf16(&plan.original) || source.stdin.is_some() {
        writeln!(
            out,
            "#   (not shown as a diff: {}; use `paradup fix --write`)",
            if source.stdin.is_some() {
                "standard input"
            } else {
                "a UTF-16 file"
            }
        )?;
        return Ok(());
    }
    // As git does: a name holding a space ends with a tab, or `patch` would stop the name
    // at the space (it reads what follows as a timestamp).
    let end = if path.contains(' ') { "\t" } else { "" };
    writeln!(out, "diff --git a/{path} b/{path}")?;
    writeln!(out, "--- a/{path}{end}")?;
    writeln!(out, "+++ b/{path}{end}")?;
    let diff = TextDiff::from_lines(plan.original.as_slice(), plan.fixed.as_slice());
    let removal_lines: Vec<(usize, u32)> = plan
        .removals
        .iter()
        .map(|r| {
            let line = memchr::memchr_iter(b'\n', &plan.original[..r.bytes.start as usize]).count();
            (line, report.suggestions[r.suggestion].finding)
        })
        .collect();
    for hunk in diff.unified_diff().context_radius(CONTEXT).iter_hunks() {
        let old = match (hunk.ops().first(), hunk.ops().last()) {
            (Some(first), Some(last)) => first.old_range().start..last.old_range().end,
            _ => continue,
        };
        let mut ids: Vec<u32> = removal_lines
            .iter()
            .filter(|(line, _)| old.contains(line))
            .map(|&(_, finding)| finding)
            .collect();
        ids.dedup();
        let heading: Vec<String> = ids.iter().map(|id| format!("F{id}")).collect();
        let mut text = Vec::new();
        hunk.to_writer(&mut text)?;
        let header_end = memchr::memchr(b'\n', &text).unwrap_or(text.len());
        out.write_all(&text[..header_end])?;
        write!(out, " {} paradup", heading.join(" "))?;
        out.write_all(&text[header_end..])?;
    }
    Ok(())
}

/// A UTF-16 file (byte-order mark): its lines are not byte lines, so it gets no diff.
fn utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF])
}
