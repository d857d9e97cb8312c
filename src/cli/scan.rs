//! `paradup scan`.

use std::path::PathBuf;

use paradup::config::Loaded;
use paradup::{FailOn, Format, ScanOptions};

use super::ExitStatus;
use super::input::InputArgs;
use super::output::{ColorChoice, apply_baseline, color, finish};

/// Arguments of `paradup scan`.
#[derive(Debug, clap::Args)]
pub(crate) struct ScanArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the report to FILE instead of standard output (`-o -`: standard output).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Only exact duplicates (skips near-duplicate detection; faster).
    #[arg(long)]
    pub exact_only: bool,

    /// Findings at or above this level make the exit code 1.
    /// [default: `fail_on` of paradup.toml, else within]
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<FailOn>,

    /// Report and gate only findings not already in this saved JSON report.
    #[arg(long, value_name = "REPORT.json")]
    pub baseline: Option<PathBuf>,

    /// Also suggest deleting boilerplate paragraphs.
    #[arg(long)]
    pub suggest_boilerplate: bool,

    /// When to color the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

impl ScanArgs {
    pub(crate) fn options(&self, config: Option<&Loaded>) -> anyhow::Result<ScanOptions> {
        let mut opts = self.input.options(config)?;
        opts.matching.exact_only = self.exact_only;
        opts.suggest.boilerplate = self.suggest_boilerplate;
        Ok(opts)
    }

    pub(crate) fn color(&self) -> bool {
        color(self.color, self.output.as_deref())
    }
}

pub(crate) fn run_scan(args: &ScanArgs) -> anyhow::Result<ExitStatus> {
    let config = args.input.config()?;
    let opts = args.options(config.as_ref())?;
    let mut report = args.input.scan(&opts)?;
    apply_baseline(&mut report, args.baseline.as_deref(), args.input.quiet)?;
    let fail_on = args
        .fail_on
        .or(config.as_ref().and_then(|c| c.config.fail_on))
        .unwrap_or(FailOn::Within);
    finish(
        &report,
        &opts.walk,
        args.format,
        args.color(),
        args.output.as_deref(),
        fail_on,
    )
}
