//! The command line: clap types, turning flags into options, output, colors, exit codes.
//! No pipeline logic lives here.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use paradup::config::{self, Loaded};
use paradup::fix::{self, Patch, Selection};
use paradup::ingest::InputFormat;
use paradup::report::Render;
use paradup::{FailOn, Format, Report, ScanOptions};

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

/// Arguments of `paradup fingerprint`.
#[derive(Debug, clap::Args)]
pub struct FingerprintArgs {
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
pub struct VerifyArgs {
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
struct Recorded {
    #[command(flatten)]
    input: InputArgs,
}

/// Arguments of `paradup show`.
#[derive(Debug, clap::Args)]
pub struct ShowArgs {
    /// The finding (`F12`) or archive match (`A3`).
    pub id: String,

    /// A report saved with `--format json`.
    #[arg(long, value_name = "REPORT.json")]
    pub report: PathBuf,

    /// When to use colors.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

/// `paradup index …`
#[derive(Debug, Subcommand)]
pub enum IndexCommand {
    /// Fingerprint archived articles into the index (only new and changed files are read).
    Add(Box<IndexAddArgs>),
    /// Drop files that no longer exist from the index.
    Prune(IndexPathArg),
    /// Print counts and size on disk.
    Stats(IndexPathArg),
}

/// The nearest paradup.toml, for commands without input flags.
fn nearest_config() -> anyhow::Result<Option<Loaded>> {
    Ok(config::find(&std::env::current_dir()?)
        .map(|p| config::load(&p))
        .transpose()?)
}

impl IndexPathArg {
    /// `--index`, else the configuration's `[check] index`, else the nearest existing
    /// `.paradup/index.db` in the current folder or a parent (as git finds `.git`, so a
    /// hook run from a subfolder finds the project's index), else the default here.
    fn path(&self, config: Option<&Loaded>) -> PathBuf {
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
pub struct IndexPathArg {
    /// The index database [default: `[check] index` of paradup.toml, else the nearest
    /// .paradup/index.db here or in a parent folder, else .paradup/index.db].
    #[arg(long, value_name = "PATH")]
    pub index: Option<PathBuf>,
}

/// Arguments of `paradup index add`.
#[derive(Debug, clap::Args)]
pub struct IndexAddArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub index: IndexPathArg,
}

/// Arguments of `paradup check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
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

/// When to use colors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colors when standard output is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// What to read and how to match: shared by `scan` and `fix`.
#[derive(Debug, clap::Args)]
#[allow(clippy::struct_excessive_bools)] // on/off flags are what a command line has
pub struct InputArgs {
    /// Files and directories to scan. Directories are walked recursively (respecting
    /// .gitignore); a file named explicitly is read whatever its extension; `-` reads one
    /// article from standard input.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Format of standard input (`-`).
    #[arg(long, value_enum, default_value_t = InputFormat::Text, value_name = "FORMAT")]
    pub stdin_format: InputFormat,

    /// Read files that .gitignore, .ignore and git's excludes would skip.
    #[arg(long)]
    pub no_ignore: bool,

    /// Read hidden files and directories.
    #[arg(long)]
    pub hidden: bool,

    /// Follow symbolic links (loops are reported, not followed).
    #[arg(long, short = 'L')]
    pub follow: bool,

    /// Only read files matching this glob (repeatable; relative to the directory walked).
    #[arg(long, value_name = "GLOB")]
    pub include: Vec<String>,

    /// Never read files matching this glob (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,

    /// Skip (and report as errors) files larger than this: bytes, or with a K, M or G
    /// suffix [default: 1G].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_filesize: Option<u64>,

    /// Leave paragraphs longer than this out of matching, with a warning: bytes, or with
    /// a K, M or G suffix [default: 1M].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_paragraph_bytes: Option<u64>,

    /// HTML: read only the article body (article, main, or the densest block of
    /// paragraphs), not navigation, headers, footers or asides.
    #[arg(long)]
    pub body_only: bool,

    /// Feeds (.jsonl, .json): the field holding the article text [default: the first of
    /// body, text, content present].
    #[arg(long, value_name = "NAME")]
    pub text_field: Option<String>,

    /// Feeds: the field naming a record in reports [default: id, else url, else the
    /// record number].
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,

    /// Feeds: the field naming a record's source (outlet, site) for the boilerplate rule;
    /// a URL counts by its host (`https://www.weis-radio.com/a` is weis-radio.com), as
    /// does any value of a field called url. A record without it keeps its file's source
    /// [default: `source_field` of paradup.toml, else none: a file's source is the
    /// `[sources]` pattern of paradup.toml its path matches, else its top-level folder].
    #[arg(long, value_name = "NAME")]
    pub source_field: Option<String>,

    /// Verified word-level similarity (0-1] at or above which two paragraphs are near
    /// duplicates.
    /// [default: 0.7, or `threshold` of paradup.toml]
    #[arg(long, value_name = "SIM")]
    pub threshold: Option<f64>,

    /// Paragraphs with fewer words never produce duplicate findings (they still count
    /// toward boilerplate).
    /// [default: 6, or `min_words` of paradup.toml]
    #[arg(long, value_name = "N")]
    pub min_words: Option<usize>,

    /// Settings file [default: the nearest paradup.toml in this folder or a parent].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Ignore any paradup.toml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,

    /// Number of worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// Do not print warnings and per-file errors on standard error.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Arguments of `paradup scan`.
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
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

/// Arguments of `paradup fix`.
#[derive(Debug, clap::Args)]
#[allow(clippy::struct_excessive_bools)] // on/off flags are what a command line has
pub struct FixArgs {
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

impl InputArgs {
    /// The configuration file in effect, if any.
    fn config(&self) -> anyhow::Result<Option<Loaded>> {
        if self.no_config {
            return Ok(None);
        }
        let path = match &self.config {
            Some(path) => Some(path.clone()),
            None => config::find(&std::env::current_dir()?),
        };
        Ok(path.map(|p| config::load(&p)).transpose()?)
    }

    /// The one place flags (over the configuration file, over defaults) become scan
    /// options.
    fn options(&self, config: Option<&Loaded>) -> anyhow::Result<ScanOptions> {
        let mut opts = ScanOptions::default();
        if let Some(config) = config {
            config.apply(&mut opts)?;
        }
        opts.walk.stdin_format = self.stdin_format;
        opts.walk.no_ignore = self.no_ignore;
        opts.walk.hidden = self.hidden;
        opts.walk.follow = self.follow;
        if !self.include.is_empty() {
            opts.walk.include.clone_from(&self.include);
        }
        if !self.exclude.is_empty() {
            opts.walk.exclude.clone_from(&self.exclude);
        }
        if self.max_filesize.is_some() {
            opts.walk.max_filesize = self.max_filesize;
        }
        if let Some(max) = self.max_paragraph_bytes {
            opts.segment.max_paragraph_bytes = usize::try_from(max).unwrap_or(usize::MAX);
        }
        opts.segment.body_only |= self.body_only;
        if self.text_field.is_some() {
            opts.read.text_field.clone_from(&self.text_field);
        }
        if self.id_field.is_some() {
            opts.read.id_field.clone_from(&self.id_field);
        }
        if self.source_field.is_some() {
            opts.read.source_field.clone_from(&self.source_field);
        }
        if let Some(t) = self.threshold {
            opts.matching.threshold = t;
        }
        if let Some(m) = self.min_words {
            opts.matching.min_words = m;
        }
        Ok(opts)
    }

    /// Runs `work` on `--jobs` threads (rayon's global pool by default).
    fn with_threads<T: Send>(&self, work: impl FnOnce() -> T + Send) -> anyhow::Result<T> {
        match self.jobs {
            None => Ok(work()),
            Some(jobs) => Ok(rayon::ThreadPoolBuilder::new()
                .num_threads(jobs.max(1))
                .build()
                .context("cannot set up worker threads")?
                .install(work)),
        }
    }

    /// Scans with these inputs and prints per-file errors and warnings.
    fn scan(&self, opts: &ScanOptions) -> anyhow::Result<Report> {
        let mut opts = opts.clone();
        let progress = ProgressBar::start(self.quiet, &mut opts);
        let report = self.with_threads(|| paradup::scan(&self.paths, &opts));
        drop(progress);
        let report = report??;
        self.print_problems(&report);
        Ok(report)
    }

    /// Per-file errors and warnings on standard error, unless `--quiet`.
    fn print_problems(&self, report: &Report) {
        if self.quiet {
            return;
        }
        let mut stderr = std::io::stderr().lock();
        for e in &report.errors {
            let _ = writeln!(stderr, "paradup: error: {e}");
        }
        for w in &report.warnings {
            let _ = writeln!(stderr, "paradup: warning: {w}");
        }
    }
}

impl ScanArgs {
    fn options(&self, config: Option<&Loaded>) -> anyhow::Result<ScanOptions> {
        let mut opts = self.input.options(config)?;
        opts.matching.exact_only = self.exact_only;
        opts.suggest.boilerplate = self.suggest_boilerplate;
        Ok(opts)
    }

    fn color(&self) -> bool {
        color(self.color, self.output.as_deref())
    }
}

/// Whether to color output going to `output` (`-o`; `None`: standard output): asked for,
/// or it goes to standard output, which is a terminal, and `NO_COLOR` is unset.
fn color(choice: ColorChoice, output: Option<&std::path::Path>) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            output_file(output).is_none()
                && std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

/// Parses `--max-filesize` and `--max-paragraph-bytes`: a byte count with an optional K, M or G (binary) suffix.
fn parse_size(value: &str) -> Result<u64, String> {
    let value = value.trim();
    let (digits, unit) = match value.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&value[..i], c.to_ascii_uppercase()),
        _ => (value, 'B'),
    };
    let shift = match unit {
        'B' => 0,
        'K' => 10,
        'M' => 20,
        'G' => 30,
        _ => return Err(format!("unknown size suffix `{unit}` (use K, M or G)")),
    };
    let n: u64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("`{value}` is not a size like 500K, 10M or 1G"))?;
    n.checked_mul(1 << shift)
        .ok_or_else(|| format!("`{value}` is too large"))
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

fn run_fingerprint(args: &FingerprintArgs) -> anyhow::Result<ExitStatus> {
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
fn recorded_args(argv: Vec<String>) -> Vec<String> {
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

fn run_verify(args: &VerifyArgs) -> anyhow::Result<ExitStatus> {
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

fn run_scan(args: &ScanArgs) -> anyhow::Result<ExitStatus> {
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

fn run_fix(args: &FixArgs) -> anyhow::Result<ExitStatus> {
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

fn run_check(args: &CheckArgs) -> anyhow::Result<ExitStatus> {
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

/// Writes the report and turns it into the exit status: 2 when nothing could be read,
/// 1 when findings reach `fail_on`.
/// `fix -`: standard input cannot be changed in place, so the cleaned article goes to
/// standard output (or `-o`), as a formatter used as a filter does; what was removed is
/// said on standard error.
fn fix_stdin(report: &Report, selection: Selection, args: &FixArgs) -> anyhow::Result<ExitStatus> {
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

/// Says that nothing could be read, and why: every file failed (its errors were
/// printed), or no file passed the filters, naming the ones in force.
fn no_input(report: &Report, walk: &paradup::options::WalkOptions) {
    if !report.errors.is_empty() {
        eprintln!(
            "paradup: error: no input could be read: each of the {} file(s) found failed (see the errors above)",
            report.errors.len()
        );
        return;
    }
    let mut filters = vec![
        "a folder is walked for .txt, .md, .html, .json and .jsonl files (name another file to read it as text)".to_string(),
    ];
    if !walk.include.is_empty() {
        filters.push(format!("--include {}", walk.include.join(", ")));
    }
    if !walk.exclude.is_empty() {
        filters.push(format!("--exclude {}", walk.exclude.join(", ")));
    }
    if !walk.hidden {
        filters.push("hidden files are skipped (--hidden)".to_string());
    }
    if !walk.no_ignore {
        filters.push(
            "inside a git repository, git-ignored files are skipped (--no-ignore)".to_string(),
        );
    }
    eprintln!(
        "paradup: error: no input could be read: no file passed the filters ({})",
        filters.join("; ")
    );
}

fn finish(
    report: &Report,
    walk: &paradup::options::WalkOptions,
    format: Format,
    color: bool,
    output: Option<&std::path::Path>,
    fail_on: FailOn,
) -> anyhow::Result<ExitStatus> {
    emit(output, |out| paradup::render(report, format, color, out))?;
    if report.stats.documents == 0 {
        no_input(report, walk);
        return Ok(ExitStatus::Error);
    }
    // As ripgrep does: a file that could not be read was not checked, so the run cannot
    // pass, whatever was found in the rest.
    if !report.errors.is_empty() {
        return Ok(ExitStatus::Error);
    }
    Ok(if report.fails(fail_on) {
        ExitStatus::Findings
    } else {
        ExitStatus::Clean
    })
}

fn run_index_add(args: &IndexAddArgs) -> anyhow::Result<ExitStatus> {
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

fn run_index_prune(args: &IndexPathArg) -> anyhow::Result<ExitStatus> {
    let config = nearest_config()?;
    let mut index = paradup::index::Index::open_for_writing(
        &args.path(config.as_ref()),
        paradup::options::DEFAULT_MIN_WORDS,
    )?;
    let stats = index.prune()?;
    println!("{} files removed, {} kept", stats.removed, stats.kept);
    Ok(ExitStatus::Clean)
}

fn run_index_stats(args: &IndexPathArg) -> anyhow::Result<ExitStatus> {
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

fn run_show(args: &ShowArgs) -> anyhow::Result<ExitStatus> {
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

/// A progress bar on standard error for scans that take more than a second; none when
/// standard error is not a terminal or with `--quiet`.
struct ProgressBar {
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ProgressBar {
    fn start(quiet: bool, opts: &mut ScanOptions) -> Option<ProgressBar> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let counts = std::sync::Arc::new(paradup::options::Progress::default());
        opts.progress = Some(counts.clone());
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let finished = done.clone();
        let thread = std::thread::spawn(move || {
            use std::sync::atomic::Ordering::Relaxed;
            let started = std::time::Instant::now();
            let mut bar: Option<indicatif::ProgressBar> = None;
            while !finished.load(Relaxed) {
                std::thread::sleep(std::time::Duration::from_millis(100));
                if started.elapsed().as_secs_f64() < 1.0 {
                    continue;
                }
                let bar = bar.get_or_insert_with(|| {
                    let bar = indicatif::ProgressBar::new(counts.total.load(Relaxed) as u64);
                    bar.set_style(
                        indicatif::ProgressStyle::with_template(
                            "{spinner} {pos}/{len} files [{bar:30}] {elapsed} ({eta} left)",
                        )
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
                        .progress_chars("=> "),
                    );
                    bar
                });
                bar.set_length(counts.total.load(Relaxed) as u64);
                bar.set_position(counts.done.load(Relaxed) as u64);
            }
            if let Some(bar) = bar {
                bar.finish_and_clear();
            }
        });
        Some(ProgressBar {
            done,
            thread: Some(thread),
        })
    }
}

impl Drop for ProgressBar {
    fn drop(&mut self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Hides what a saved report already lists.
fn apply_baseline(
    report: &mut Report,
    baseline: Option<&std::path::Path>,
    quiet: bool,
) -> anyhow::Result<()> {
    if let Some(path) = baseline {
        let hidden = report.apply_baseline(&paradup::report::Baseline::load(path)?);
        if !quiet {
            eprintln!(
                "paradup: {hidden} known finding(s) hidden by the baseline {}",
                path.display()
            );
        }
    }
    Ok(())
}

/// The file `-o` names; `None` for standard output (no `-o`, or `-o -`).
fn output_file(output: Option<&std::path::Path>) -> Option<&std::path::Path> {
    output.filter(|p| p.as_os_str() != "-")
}

/// Writes output to the file `-o` names (see [`paradup::atomic::write_output`]: atomically for a
/// regular file, in place for a device or a pipe, through symbolic links), or to
/// standard output.
fn emit(
    path: Option<&std::path::Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    if let Some(path) = output_file(path) {
        paradup::atomic::write_output(path, write)
            .with_context(|| format!("cannot write report to {}", path.display()))?;
    } else {
        let stdout = std::io::stdout();
        let mut out = std::io::BufWriter::new(stdout.lock());
        write(&mut out)?;
        out.flush()?;
    }
    Ok(())
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
    eprintln!("paradup: error: {err:#}");
    ExitCode::from(2)
}
