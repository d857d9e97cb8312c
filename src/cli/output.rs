//! Writing results: `-o` or standard output, colors, the progress bar, the baseline,
//! and the exit status a report earns.

use std::io::{IsTerminal, Write};

use anyhow::Context;
use clap::ValueEnum;

use paradup::{FailOn, Format, Report, ScanOptions};

use super::ExitStatus;
use super::input::no_input;

/// When to use colors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colors when standard output is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Whether to color output going to `output` (`-o`; `None`: standard output): asked for,
/// or it goes to standard output, which is a terminal, and `NO_COLOR` is unset.
pub(crate) fn color(choice: ColorChoice, output: Option<&std::path::Path>) -> bool {
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

pub(crate) fn finish(
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

/// A progress bar on standard error for scans that take more than a second; none when
/// standard error is not a terminal or with `--quiet`.
pub(crate) struct ProgressBar {
    pub(crate) done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    pub(crate) thread: Option<std::thread::JoinHandle<()>>,
}

impl ProgressBar {
    pub(crate) fn start(quiet: bool, opts: &mut ScanOptions) -> Option<ProgressBar> {
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
pub(crate) fn apply_baseline(
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
pub(crate) fn output_file(output: Option<&std::path::Path>) -> Option<&std::path::Path> {
    output.filter(|p| p.as_os_str() != "-")
}

/// Writes output to the file `-o` names (see [`paradup::atomic::write_output`]: atomically for a
/// regular file, in place for a device or a pipe, through symbolic links), or to
/// standard output.
pub(crate) fn emit(
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
