//! `paradup show`: one finding of a saved report in full.

use std::path::PathBuf;

use anyhow::Context;

use super::ExitStatus;
use super::output::{ColorChoice, color};

/// Arguments of `paradup show`.
#[derive(Debug, clap::Args)]
pub(crate) struct ShowArgs {
    /// The finding (`F12`) or archive match (`A3`).
    pub id: String,

    /// A report saved with `--format json`.
    #[arg(long, value_name = "REPORT.json")]
    pub report: PathBuf,

    /// When to use colors.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

pub(crate) fn run_show(args: &ShowArgs) -> anyhow::Result<ExitStatus> {
    let text = std::fs::read_to_string(&args.report)
        .with_context(|| format!("cannot read {}", args.report.display()))?;
    let report: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a JSON report", args.report.display()))?;
    let mut out = std::io::stdout().lock();
    if paradup::report::show::show(&report, &args.id, color(args.color, None), &mut out)? {
        Ok(ExitStatus::Clean)
    } else {
        eprintln!(
            "paradup: error: no {} in {}: {}",
            args.id,
            args.report.display(),
            paradup::report::show::ids(&report)
        );
        Ok(ExitStatus::Error)
    }
}
