//! The command line: clap types, turning flags into options, output, colors, exit codes.
//! No pipeline logic lives here; one file per subcommand, the shared input flags in
//! `input.rs`, writing results in `output.rs`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use check::{CheckArgs, run_check};
use fix::{FixArgs, run_fix};
use index::{IndexCommand, run_index_add, run_index_prune, run_index_stats};
use scan::{ScanArgs, run_scan};
use shards::{FingerprintArgs, VerifyArgs, run_fingerprint, run_verify};
use show::{ShowArgs, run_show};

mod check;
mod fix;
mod index;
mod input;
mod output;
mod scan;
mod shards;
mod show;

/// Find duplicated paragraphs in folders of articles: exact and near copies within and
/// across articles, boilerplate, and cleanup suggestions.
#[derive(Debug, Parser)]
#[command(name = "paradup", version, about, max_term_width = 100)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and folders (.txt, .md, .html, .htm, .jsonl, .ndjson, .json) and report
    /// duplicated paragraphs.
    Scan(ScanArgs),
    /// Remove accidental repeats: prints a patch, or with --write changes the files
    /// (atomically; only within-document exact repeats unless --near/--boilerplate).
    Fix(FixArgs),
    /// Pre-publish check: new articles against themselves and the archive index.
    Check(CheckArgs),
    /// Maintain the archive index that `check` looks paragraphs up in.
    #[command(subcommand)]
    Index(IndexCommand),
    /// Print one finding of a saved JSON report in full, with its diff.
    Show(ShowArgs),
    /// Scale out, step 1: fingerprint one shard of the input into Parquet for a
    /// distributed join (`scale/spark_join.py`).
    Fingerprint(FingerprintArgs),
    /// Scale out, step 3: verify the candidates a distributed join found and report as
    /// `scan` would.
    Verify(VerifyArgs),
}

/// How the process ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above `--fail-on`.
    Clean,
    /// Findings at or above `--fail-on`.
    Findings,
    /// Some input could not be read (an error entry), or none could.
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Clean => ExitCode::from(0),
            ExitStatus::Findings => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

/// Runs a parsed command line.
pub fn run(args: Args) -> anyhow::Result<ExitStatus> {
    match args.command {
        Command::Scan(scan) => run_scan(&scan),
        Command::Fix(fix) => run_fix(&fix),
        Command::Check(check) => run_check(&check),
        Command::Index(IndexCommand::Add(add)) => run_index_add(&add),
        Command::Index(IndexCommand::Prune(at)) => run_index_prune(&at),
        Command::Index(IndexCommand::Stats(at)) => run_index_stats(&at),
        Command::Show(show) => run_show(&show),
        Command::Fingerprint(args) => run_fingerprint(&args),
        Command::Verify(args) => run_verify(&args),
    }
}

/// Prints the error chain once; a closed pipe (`paradup … | head`) is not an error.
pub fn report_error(err: &anyhow::Error) -> ExitCode {
    for cause in err.chain() {
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::BrokenPipe
        {
            return ExitCode::from(0);
        }
    }
    // The library names the setting; on the command line, the flag that set it.
    match err.downcast_ref::<paradup::Error>() {
        Some(paradup::Error::InvalidSetting { setting, reason }) => {
            eprintln!(
                "paradup: error: invalid value for --{}: {reason}",
                setting.replace('_', "-")
            );
        }
        _ => eprintln!("paradup: error: {err:#}"),
    }
    ExitCode::from(2)
}
