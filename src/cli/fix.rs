//! `paradup fix`: a patch by default, `--write` to change files, `-` as a filter.

use std::collections::BTreeSet;
use std::path::PathBuf;

use paradup::Report;
use paradup::fix::{self, Patch, Selection};
use paradup::report::Render;

use super::ExitStatus;
use super::input::{InputArgs, no_input};
use super::output::emit;

/// Arguments of `paradup fix`.
#[derive(Debug, clap::Args)]
#[allow(clippy::struct_excessive_bools)] // on/off flags are what a command line has
pub(crate) struct FixArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Change the files in place. Without it, `fix` prints the patch it would apply.
    #[arg(long)]
    pub write: bool,

    /// With --write: keep each original as FILE.orig.
    #[arg(long, requires = "write")]
    pub backup: bool,

    /// Also remove within-document near duplicates (keeping the copy each suggestion
    /// names).
    #[arg(long)]
    pub near: bool,

    /// Also remove boilerplate paragraphs (footers, share lines, page chrome).
    #[arg(long)]
    pub boilerplate: bool,

    /// Without --write: write the patch to FILE instead of standard output (`-o -`:
    /// standard output).
    #[arg(long, short = 'o', value_name = "FILE", conflicts_with = "write")]
    pub output: Option<PathBuf>,
}

pub(crate) fn run_fix(args: &FixArgs) -> anyhow::Result<ExitStatus> {
    let config = args.input.config()?;
    let mut opts = args.input.options(config.as_ref())?;
    opts.suggest.boilerplate = args.boilerplate;
    let report = args.input.scan(&opts)?;
    if report.stats.documents == 0 {
        no_input(&report, &opts.walk);
        return Ok(ExitStatus::Error);
    }
    let selection = Selection {
        near: args.near,
        boilerplate: args.boilerplate,
    };
    if args.input.paths.iter().all(|p| p.as_os_str() == "-") {
        return fix_stdin(&report, selection, args);
    }
    if !args.write {
        emit(args.output.as_deref(), |out| {
            Patch { selection }.render(&report, out)
        })?;
        if !args.input.quiet {
            eprintln!("paradup: dry run, no file changed; run with --write to apply");
        }
        return Ok(ExitStatus::Clean);
    }
    let (written, errors) = args.input.with_threads(|| {
        fix::write_until_settled(report, selection, args.backup, || {
            paradup::scan(&args.input.paths, &opts)
        })
    })??;
    for w in &written {
        let ids: Vec<String> = w.findings.iter().map(|id| format!("F{id}")).collect();
        let again = if w.round > 0 {
            " (after the first removals)"
        } else {
            ""
        };
        println!(
            "fixed {}: removed {} paragraph(s) ({}){again}",
            w.display_path,
            w.removed,
            ids.join(", ")
        );
    }
    let removed: usize = written.iter().map(|w| w.removed).sum();
    let fixed = written
        .iter()
        .map(|w| &w.shown_path)
        .collect::<BTreeSet<_>>()
        .len();
    for e in &errors {
        eprintln!("paradup: error: {e}");
    }
    println!(
        "{fixed} file(s) fixed, {removed} paragraph(s) removed, {} file(s) not fixed",
        errors.len()
    );
    Ok(if errors.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Error
    })
}

/// Writes the report and turns it into the exit status: 2 when nothing could be read,
/// 1 when findings reach `fail_on`.
/// `fix -`: standard input cannot be changed in place, so the cleaned article goes to
/// standard output (or `-o`), as a formatter used as a filter does; what was removed is
/// said on standard error.
pub(crate) fn fix_stdin(
    report: &Report,
    selection: Selection,
    args: &FixArgs,
) -> anyhow::Result<ExitStatus> {
    let (plans, errors) = fix::plan(report, selection);
    if let Some(e) = errors.first() {
        eprintln!("paradup: error: {e}");
        return Ok(ExitStatus::Error);
    }
    let text: Vec<u8> = match plans.first() {
        Some(plan) => plan.fixed.clone(),
        None => report
            .sources
            .first()
            .and_then(|s| s.stdin.as_deref())
            .unwrap_or_default()
            .to_vec(),
    };
    emit(args.output.as_deref(), |out| out.write_all(&text))?;
    if !args.input.quiet {
        let removed: usize = plans.iter().map(|p| p.removals.len()).sum();
        eprintln!("paradup: <stdin>: removed {removed} paragraph(s)");
    }
    Ok(ExitStatus::Clean)
}
