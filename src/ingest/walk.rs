//! Walking the paths given on the command line with the `ignore` crate's parallel walker
//! (ripgrep's: `.gitignore`, `.ignore` and hidden files are respected by default).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::overrides::{Override, OverrideBuilder};
use ignore::{WalkBuilder, WalkState};

use super::{InputFormat, Source};
use crate::error::{Error, FileError};
use crate::options::WalkOptions;

/// Expands `inputs` into the files to read, sorted by shown path.
///
/// A file named explicitly is read whatever its extension; files found by walking a
/// directory are read when paradup knows their extension (`.txt`, `.md`, `.html`,
/// `.jsonl`, …). Shown paths are relative to the directory given when exactly one path is
/// given; with several, each keeps its root as a prefix so two roots cannot produce the
/// same shown path. `-` is standard input, read in `opts.stdin_format`.
pub fn discover(
    inputs: &[PathBuf],
    opts: &WalkOptions,
) -> crate::Result<(Vec<Source>, Vec<FileError>)> {
    let found = Mutex::new((Vec::new(), Vec::new()));
    let prefix_roots = inputs.len() > 1;
    for root in inputs {
        if root.as_os_str() == "-" {
            let source = super::stdin_source(opts.stdin_format)
                .map_err(|err| Error::NoInput(format!("cannot read standard input: {err}")))?;
            lock(&found).0.push(source);
            continue;
        }
        let shown_root = slash_path(root);
        match std::fs::metadata(root) {
            Err(err) => lock(&found).1.push(FileError::io(&shown_root, &err)),
            Ok(meta) if meta.is_dir() => {
                let overrides = overrides(root, opts)?;
                walk_dir(root, prefix_roots, opts, overrides, &found);
            }
            Ok(meta) => {
                let mut found = lock(&found);
                match too_large(meta.len(), opts) {
                    Some(reason) => found.1.push(FileError::new(&shown_root, reason)),
                    None => found.0.push(Source {
                        path: root.clone(),
                        site: opts.sources.source_of(&shown_root).map_or_else(
                            || root.parent().map(slash_path).unwrap_or_default(),
                            str::to_string,
                        ),
                        shown_path: shown_root,
                        format: InputFormat::from_path(root),
                        stdin: None,
                    }),
                }
            }
        }
    }
    let (mut sources, mut errors) = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    sources.sort_by(|a: &Source, b| a.shown_path.cmp(&b.shown_path));
    sources.dedup_by(|a, b| a.shown_path == b.shown_path);
    errors.sort_by(|a: &FileError, b| a.path.cmp(&b.path));
    Ok((sources, errors))
}

type Found = Mutex<(Vec<Source>, Vec<FileError>)>;

fn lock(found: &Found) -> std::sync::MutexGuard<'_, (Vec<Source>, Vec<FileError>)> {
    found
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// `--include` globs whitelist, `--exclude` globs blacklist (ripgrep's `-g` semantics).
fn overrides(root: &Path, opts: &WalkOptions) -> crate::Result<Override> {
    let mut builder = OverrideBuilder::new(root);
    let globs = opts
        .include
        .iter()
        .map(|g| ("include", g.clone()))
        .chain(opts.exclude.iter().map(|g| ("exclude", format!("!{g}"))));
    for (setting, glob) in globs {
        builder.add(&glob).map_err(|err| Error::InvalidSetting {
            setting,
            reason: err.to_string(),
        })?;
    }
    builder.build().map_err(|err| Error::InvalidSetting {
        setting: "include",
        reason: err.to_string(),
    })
}

fn walk_dir(
    root: &Path,
    prefix_root: bool,
    opts: &WalkOptions,
    overrides: Override,
    found: &Found,
) {
    let respect = !opts.no_ignore;
    let walker = WalkBuilder::new(root)
        .hidden(!opts.hidden)
        .ignore(respect)
        .git_ignore(respect)
        .git_global(respect)
        .git_exclude(respect)
        .parents(respect)
        .follow_links(opts.follow)
        .overrides(overrides)
        .build_parallel();
    walker.run(|| {
        Box::new(move |entry| {
            match entry {
                Err(err) => lock(found).1.push(walk_error(root, &err)),
                Ok(entry) => {
                    if let Some(found_file) = file_of(root, prefix_root, opts, &entry) {
                        let mut found = lock(found);
                        match found_file {
                            Ok(source) => found.0.push(source),
                            Err(err) => found.1.push(err),
                        }
                    }
                }
            }
            WalkState::Continue
        })
    });
}

/// The site of a file found under `root`: the source the `[sources]` map gives its path
/// relative to `root`, else the top-level folder under `root` (after the root, when roots
/// prefix shown paths), or the root for files directly in it.
fn site_of(root: &Path, prefix_root: bool, path: &Path, opts: &WalkOptions) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    if !opts.sources.is_empty()
        && let Some(source) = opts.sources.source_of(&slash_path(relative))
    {
        return source.to_string();
    }
    let mut parts = relative.components();
    let top = parts.next().filter(|_| parts.next().is_some());
    match (top, prefix_root) {
        (Some(top), true) => slash_path(&root.join(top)),
        (Some(top), false) => slash_path(Path::new(top.as_os_str())),
        (None, true) => slash_path(root),
        (None, false) => String::new(),
    }
}

/// The source an entry stands for, if it is a file paradup reads.
fn file_of(
    root: &Path,
    prefix_root: bool,
    opts: &WalkOptions,
    entry: &ignore::DirEntry,
) -> Option<Result<Source, FileError>> {
    if !entry.file_type().is_some_and(|t| t.is_file()) {
        return None; // directories; symlinks when not following them
    }
    let path = entry.path();
    let format = InputFormat::from_extension(path)?;
    let shown_path = if prefix_root {
        slash_path(path)
    } else {
        slash_path(path.strip_prefix(root).unwrap_or(path))
    };
    if let Some(reason) = entry
        .metadata()
        .ok()
        .and_then(|meta| too_large(meta.len(), opts))
    {
        return Some(Err(FileError::new(&shown_path, reason)));
    }
    Some(Ok(Source {
        site: site_of(root, prefix_root, path, opts),
        path: path.to_path_buf(),
        shown_path,
        format,
        stdin: None,
    }))
}

fn too_large(len: u64, opts: &WalkOptions) -> Option<String> {
    let max = opts.max_filesize?;
    (len > max).then(|| format!("skipped: {len} bytes is over --max-filesize ({max} bytes)"))
}

fn walk_error(root: &Path, err: &ignore::Error) -> FileError {
    match err {
        ignore::Error::WithPath { path, err } => FileError::new(&slash_path(path), reason(err)),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(root, err)
        }
        ignore::Error::Loop { ancestor, child } => FileError::new(
            &slash_path(child),
            format!(
                "symbolic link loop (points back to {}), not followed",
                slash_path(ancestor)
            ),
        ),
        other => FileError::new(&slash_path(root), reason(other)),
    }
}

fn reason(err: &ignore::Error) -> String {
    match err.io_error() {
        Some(io) => crate::error::io_reason(io),
        None => err.to_string(),
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
