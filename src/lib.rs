//! paradup finds duplicated paragraphs in folders of articles before they are published:
//! exact and near duplicates within one article and across articles, told apart from
//! boilerplate (footers, share buttons, copyright lines), with cleanup suggestions.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! ingest → segment → normalize → fingerprint → matching → classify → suggest → report
//! (files)  (paragraphs) (text)    (prints)      (groups)   (findings) (edits)   (render)
//! ```
//!
//! Around it: [`fix`] applies suggestions to the files (atomically), [`index`] keeps the
//! archive's fingerprints in `SQLite` and [`check()`] looks new articles up in it, [`config`]
//! reads `paradup.toml`, and [`allow`] holds the approved paragraphs (and finds drift
//! from them). [`shards`] splits the pipeline around a distributed join: fingerprint
//! shards in Parquet out, candidate pairs back in for verification.
//!
//! ```no_run
//! let report = paradup::scan(&["corpus".into()], &paradup::ScanOptions::default())?;
//! for finding in &report.findings {
//!     println!("F{} {} in {} documents", finding.id, finding.kind.as_str(), finding.documents);
//! }
//! # Ok::<(), paradup::Error>(())
//! ```
#![warn(
    missing_docs,
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::exit,
    clippy::dbg_macro
)]

pub mod allow;
pub mod atomic;
pub mod check;
pub mod classify;
pub mod config;
pub mod corpus;
pub mod error;
pub mod fingerprint;
pub mod fix;
pub mod index;
pub mod ingest;
pub mod matching;
pub mod normalize;
pub mod options;
mod pipeline;
pub mod report;
pub mod segment;
pub mod shards;
pub mod span;
pub mod suggest;

pub use check::check;
pub use error::{Error, FileError, FileWarning, Result};
pub use options::ScanOptions;
pub use report::{FailOn, Format, Report};

use std::path::PathBuf;

/// Writes `report` in `format`. The patch format is `fix`'s (the removals it would
/// make); every other format is a renderer of [`report`].
pub fn render(
    report: &Report,
    format: Format,
    color: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use report::Render;
    match format {
        Format::Text => report::Text { color }.render(report, out),
        Format::Json => report::Json.render(report, out),
        Format::Sarif => report::Sarif.render(report, out),
        Format::Github => report::Github.render(report, out),
        Format::Html => report::Html.render(report, out),
        Format::Markdown => report::Markdown.render(report, out),
        // Boilerplate removals are in the report only when they were asked for.
        Format::Patch => fix::Patch {
            selection: fix::Selection {
                near: false,
                boilerplate: true,
            },
        }
        .render(report, out),
    }
}

/// Finds duplicated paragraphs in `inputs`: ingest → segment → normalize → fingerprint →
/// match → classify → suggest. Rendering is left to [`render`].
///
/// Unreadable files become entries in `report.errors`; the scan goes on.
pub fn scan(inputs: &[PathBuf], opts: &ScanOptions) -> Result<Report> {
    pipeline::run(inputs, opts, None)
}
