//! `paradup check`: the pre-publish check against the archive index.

use std::path::PathBuf;

use paradup::{FailOn, Format};

use super::ExitStatus;
use super::index::IndexPathArg;
use super::input::InputArgs;
use super::output::{ColorChoice, apply_baseline, color, finish};

/// Arguments of `paradup check`.
#[derive(Debug, clap::Args)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub index: IndexPathArg,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the report to FILE instead of standard output (`-o -`: standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Findings at or above this level make the exit code 1 [default: `[check] fail_on`
    /// of paradup.toml, else archive-near: repeats inside an article, and exact or near
    /// copies of archived paragraphs].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,

    /// Report and gate only findings not already in this saved JSON report.
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,

    /// When to color the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

pub(crate) fn run_check(args: &CheckArgs) -> anyhow::Result<ExitStatus> {
    let config = args.input.config()?;
    let index = paradup::index::Index::open(&args.index.path(config.as_ref()))?;
    let opts = args.input.options(config.as_ref())?;
    if opts.matching.min_words < index.min_words() {
        eprintln!(
            "paradup: warning: the index has near-duplicate data for paragraphs of {} words or more only",
            index.min_words()
        );
    }
    let fail_on = args
        .fail_on
        .or(config
            .as_ref()
            .and_then(|c| c.config.check.as_ref()?.fail_on))
        .unwrap_or(FailOn::ArchiveNear);
    let paths = args.input.paths.clone();
    let walk = opts.walk.clone();
    let mut report = args
        .input
        .with_threads(move || paradup::check(&paths, &index, &opts))??;
    apply_baseline(&mut report, args.baseline.as_deref(), args.input.quiet)?;
    args.input.print_problems(&report);
    let color = color(args.color, args.output.as_deref());
    finish(
        &report,
        &walk,
        args.format,
        color,
        args.output.as_deref(),
        fail_on,
    )
}
