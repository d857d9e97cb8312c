//! `paradup index add|prune|stats`: the archive index.

use std::path::PathBuf;

use clap::Subcommand;

use paradup::config::{self, Loaded};

use super::ExitStatus;
use super::input::{InputArgs, nearest_config};

/// `paradup index …`
#[derive(Debug, Subcommand)]
pub(crate) enum IndexCommand {
    /// Fingerprint archived articles into the index (only new and changed files are read).
    Add(Box<IndexAddArgs>),
    /// Drop files that no longer exist from the index.
    Prune(IndexPathArg),
    /// Print counts and size on disk.
    Stats(IndexPathArg),
}

impl IndexPathArg {
    /// `--index`, else the configuration's `[check] index`, else the nearest existing
    /// `.paradup/index.db` in the current folder or a parent (as git finds `.git`, so a
    /// hook run from a subfolder finds the project's index), else the default here.
    pub(crate) fn path(&self, config: Option<&Loaded>) -> PathBuf {
        let default = PathBuf::from(paradup::index::DEFAULT_PATH);
        self.index
            .clone()
            .or_else(|| config.and_then(Loaded::index))
            .or_else(|| config::nearest(&std::env::current_dir().ok()?, &default))
            .unwrap_or(default)
    }
}

/// Where the index is.
#[derive(Debug, clap::Args)]
pub(crate) struct IndexPathArg {
    /// The index database [default: `[check] index` of paradup.toml, else the nearest
    /// .paradup/index.db here or in a parent folder, else .paradup/index.db].
    #[arg(long, value_name = "PATH")]
    pub index: Option<PathBuf>,
}

/// Arguments of `paradup index add`.
#[derive(Debug, clap::Args)]
pub(crate) struct IndexAddArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub index: IndexPathArg,
}

pub(crate) fn run_index_add(args: &IndexAddArgs) -> anyhow::Result<ExitStatus> {
    let config = args.input.config()?;
    let opts = args.input.options(config.as_ref())?;
    let mut index = paradup::index::Index::open_for_writing(
        &args.index.path(config.as_ref()),
        opts.matching.min_words,
    )?;
    let stats = args
        .input
        .with_threads(|| index.add(&args.input.paths, &opts))??;
    if !args.input.quiet {
        for e in &stats.errors {
            eprintln!("paradup: error: {e}");
        }
    }
    println!(
        "{} files: {} fingerprinted ({:.1} MB, {} paragraphs), {} unchanged, {} errors",
        stats.files,
        stats.fingerprinted,
        stats.bytes as f64 / 1e6,
        stats.paragraphs,
        stats.unchanged,
        stats.errors.len()
    );
    Ok(ExitStatus::Clean)
}

pub(crate) fn run_index_prune(args: &IndexPathArg) -> anyhow::Result<ExitStatus> {
    let config = nearest_config()?;
    let mut index = paradup::index::Index::open_for_writing(
        &args.path(config.as_ref()),
        paradup::options::DEFAULT_MIN_WORDS,
    )?;
    let stats = index.prune()?;
    println!("{} files removed, {} kept", stats.removed, stats.kept);
    Ok(ExitStatus::Clean)
}

pub(crate) fn run_index_stats(args: &IndexPathArg) -> anyhow::Result<ExitStatus> {
    let config = nearest_config()?;
    let index = paradup::index::Index::open(&args.path(config.as_ref()))?;
    let s = index.stats()?;
    println!("index {}", index.path().display());
    println!("files       {}", s.files);
    println!("documents   {}", s.documents);
    println!("paragraphs  {}", s.paragraphs);
    println!(
        "texts       {} ({} long enough for near lookups)",
        s.texts, s.long_texts
    );
    println!(
        "on disk     {:.1} MB ({:.0} bytes per paragraph)",
        s.bytes_on_disk as f64 / 1e6,
        s.bytes_on_disk as f64 / s.paragraphs.max(1) as f64
    );
    Ok(ExitStatus::Clean)
}
