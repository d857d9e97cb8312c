//! `paradup fingerprint` and `paradup verify`: the two ends of the Spark path.

use std::path::PathBuf;

use anyhow::Context;
use clap::Parser;

use paradup::{FailOn, Format};

use super::ExitStatus;
use super::input::InputArgs;
use super::output::{ColorChoice, color, finish};

/// Arguments of `paradup fingerprint`.
#[derive(Debug, clap::Args)]
pub(crate) struct FingerprintArgs {
    #[command(flatten)]
    pub input: InputArgs,

    /// Folder the shard (`shard-I-of-N.parquet`) and its manifest go to.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Which shard this run writes, `I/N` (0-based): file k of the sorted input goes to
    /// shard k % N, so N machines can each run one.
    #[arg(long, value_name = "I/N", default_value = "0/1")]
    pub shard: paradup::shards::Shard,
}

/// Arguments of `paradup verify`.
#[derive(Debug, clap::Args)]
pub(crate) struct VerifyArgs {
    /// The folder the join wrote (pairs, files, manifest.json).
    #[arg(long, value_name = "DIR")]
    pub candidates: PathBuf,

    /// Where the fingerprinted inputs are now, when not where `fingerprint` was given
    /// them (repeatable, in the same order).
    #[arg(long, value_name = "PATH")]
    pub root: Vec<PathBuf>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Write the report to FILE instead of standard output (`-o -`: standard output).
    #[arg(long, short = 'o', visible_alias = "out", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Findings at or above this level make the exit code 1.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FailOn::Within)]
    pub fail_on: FailOn,

    /// Also suggest deleting boilerplate paragraphs.
    #[arg(long)]
    pub suggest_boilerplate: bool,

    /// When to color the text report.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// The input arguments `fingerprint` recorded in its manifest, parsed again by `verify`.
#[derive(Debug, Parser)]
#[command(name = "paradup fingerprint")]
pub(crate) struct Recorded {
    #[command(flatten)]
    pub(crate) input: InputArgs,
}

pub(crate) fn run_fingerprint(args: &FingerprintArgs) -> anyhow::Result<ExitStatus> {
    let config = args.input.config()?;
    let opts = args.input.options(config.as_ref())?;
    let recorded = recorded_args(std::env::args().collect());
    let manifest = args.input.with_threads(|| {
        paradup::shards::fingerprint(&args.input.paths, &opts, args.shard, &args.out, recorded)
    })??;
    if !args.input.quiet {
        for e in &manifest.errors {
            eprintln!("paradup: error: {e}");
        }
        for w in &manifest.warnings {
            eprintln!("paradup: warning: {w}");
        }
    }
    println!(
        "shard {}/{}: {} files, {} documents, {} paragraphs, {:.1} MB -> {}",
        manifest.shard,
        manifest.shards,
        manifest.files,
        manifest.documents,
        manifest.paragraphs,
        manifest.bytes as f64 / 1e6,
        args.out.display()
    );
    Ok(if manifest.errors.is_empty() {
        ExitStatus::Clean
    } else {
        ExitStatus::Error
    })
}

/// The arguments after `fingerprint`, without the ones that say where this shard goes.
pub(crate) fn recorded_args(argv: Vec<String>) -> Vec<String> {
    let mut rest = argv.into_iter().skip_while(|a| a != "fingerprint").skip(1);
    let mut kept = Vec::new();
    while let Some(arg) = rest.next() {
        if arg == "--out" || arg == "--shard" {
            rest.next();
        } else if !arg.starts_with("--out=") && !arg.starts_with("--shard=") {
            kept.push(arg);
        }
    }
    kept
}

pub(crate) fn run_verify(args: &VerifyArgs) -> anyhow::Result<ExitStatus> {
    let candidates = paradup::shards::read_candidates(&args.candidates)?;
    let recorded = &candidates.manifests[0].args;
    let Recorded { input } = Recorded::try_parse_from(
        std::iter::once("paradup fingerprint".to_string()).chain(recorded.iter().cloned()),
    )
    .with_context(|| format!("the arguments recorded by fingerprint: {recorded:?}"))?;
    let config = input.config()?;
    let mut opts = input.options(config.as_ref())?;
    opts.suggest.boilerplate = args.suggest_boilerplate;
    let roots = if args.root.is_empty() {
        input.paths.clone()
    } else {
        args.root.clone()
    };
    if candidates.oversized_buckets > 0 && !input.quiet {
        eprintln!(
            "paradup: note: the join capped {} oversized LSH buckets (families of near-identical lines)",
            candidates.oversized_buckets
        );
    }
    let report = input.with_threads(|| paradup::shards::verify(candidates, &roots, &opts))??;
    input.print_problems(&report);
    finish(
        &report,
        &opts.walk,
        args.format,
        color(args.color, args.output.as_deref()),
        args.output.as_deref(),
        args.fail_on,
    )
}
