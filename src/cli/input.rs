//! The input flags every reading subcommand shares (paths, walking, feeds, matching
//! settings, `paradup.toml`), turned into `ScanOptions`; per-file problems printed once.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;

use paradup::config::{self, Loaded};
use paradup::ingest::InputFormat;
use paradup::{Report, ScanOptions};

use super::output::ProgressBar;

/// The nearest paradup.toml, for commands without input flags.
pub(crate) fn nearest_config() -> anyhow::Result<Option<Loaded>> {
    Ok(config::find(&std::env::current_dir()?)
        .map(|p| config::load(&p))
        .transpose()?)
}

/// What to read and how to match: shared by `scan` and `fix`.
#[derive(Debug, clap::Args)]
#[allow(clippy::struct_excessive_bools)] // on/off flags are what a command line has
pub(crate) struct InputArgs {
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

impl InputArgs {
    /// The configuration file in effect, if any.
    pub(crate) fn config(&self) -> anyhow::Result<Option<Loaded>> {
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
    pub(crate) fn options(&self, config: Option<&Loaded>) -> anyhow::Result<ScanOptions> {
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
    pub(crate) fn with_threads<T: Send>(
        &self,
        work: impl FnOnce() -> T + Send,
    ) -> anyhow::Result<T> {
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
    pub(crate) fn scan(&self, opts: &ScanOptions) -> anyhow::Result<Report> {
        let mut opts = opts.clone();
        let progress = ProgressBar::start(self.quiet, &mut opts);
        let report = self.with_threads(|| paradup::scan(&self.paths, &opts));
        drop(progress);
        let report = report??;
        self.print_problems(&report);
        Ok(report)
    }

    /// Per-file errors and warnings on standard error, unless `--quiet`.
    pub(crate) fn print_problems(&self, report: &Report) {
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

/// Parses `--max-filesize` and `--max-paragraph-bytes`: a byte count with an optional K, M or G (binary) suffix.
pub(crate) fn parse_size(value: &str) -> Result<u64, String> {
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

/// Says that nothing could be read, and why: every file failed (its errors were
/// printed), or no file passed the filters, naming the ones in force.
pub(crate) fn no_input(report: &Report, walk: &paradup::options::WalkOptions) {
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
