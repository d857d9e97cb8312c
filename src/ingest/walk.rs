//! Walking the paths given on the command line with the `ignore` crate (ripgrep's walker:
//! `.gitignore`, `.ignore` and hidden files are respected by default).

use std::path::{Path, PathBuf};

use super::{InputFormat, Source};
use crate::error::FileError;
use crate::options::WalkOptions;

/// Expands `inputs` into the files to read, sorted by shown path.
///
/// A file named explicitly is read whatever its extension; files found by walking a
/// directory are read when their extension is in `opts.extensions`. Shown paths are
/// relative to the directory given when exactly one path is given; with several, each
/// keeps its root as a prefix so two roots cannot produce the same shown path.
pub fn discover(inputs: &[PathBuf], opts: &WalkOptions) -> (Vec<Source>, Vec<FileError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let prefix_roots = inputs.len() > 1;
    for root in inputs {
        let shown_root = slash_path(root);
        match std::fs::metadata(root) {
            Err(err) => errors.push(FileError {
                path: shown_root,
                error: super::io_reason(&err),
            }),
            Ok(meta) if meta.is_dir() => {
                walk_dir(root, prefix_roots, opts, &mut sources, &mut errors);
            }
            Ok(_) => sources.push(Source {
                path: root.clone(),
                shown_path: shown_root,
                format: InputFormat::from_path(root),
            }),
        }
    }
    sources.sort_by(|a, b| a.shown_path.cmp(&b.shown_path));
    sources.dedup_by(|a, b| a.shown_path == b.shown_path);
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    (sources, errors)
}

fn walk_dir(
    root: &Path,
    prefix_root: bool,
    opts: &WalkOptions,
    sources: &mut Vec<Source>,
    errors: &mut Vec<FileError>,
) {
    for entry in ignore::WalkBuilder::new(root).build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                errors.push(walk_error(root, &err));
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.path();
        if !has_extension(path, &opts.extensions) {
            continue;
        }
        let shown_path = if prefix_root {
            slash_path(path)
        } else {
            slash_path(path.strip_prefix(root).unwrap_or(path))
        };
        sources.push(Source {
            path: path.to_path_buf(),
            shown_path,
            format: InputFormat::from_path(path),
        });
    }
}

fn has_extension(path: &Path, extensions: &[String]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| extensions.iter().any(|x| x.eq_ignore_ascii_case(e)))
}

fn walk_error(root: &Path, err: &ignore::Error) -> FileError {
    let path = match err {
        ignore::Error::WithPath { path, .. } => slash_path(path),
        _ => slash_path(root),
    };
    FileError {
        path,
        error: err.to_string(),
    }
}

/// A path as shown in reports: `/` separators, no leading `./`.
pub(crate) fn slash_path(path: &Path) -> String {
    let shown = path.to_string_lossy().replace('\\', "/");
    match shown.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => shown,
    }
}
