//! `fix --write`: an article is written only if it is still byte for byte what was
//! scanned, through `atomic::write_atomically`, keeping its permissions.

use std::path::Path;

use super::FilePlan;
use crate::atomic::write_atomically;
use crate::error::FileError;
use crate::report::Report;

/// How `fix --write` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Keep the original as `FILE.orig`.
    pub backup: bool,
}

/// Writes a planned file in place. The file is read once more right before writing and
/// refused if its bytes changed since the scan; read-only files are refused, not forced.
pub fn write_plan(report: &Report, plan: &FilePlan, opts: WriteOptions) -> Result<(), FileError> {
    let source = &report.sources[plan.source];
    let error = |reason: String| FileError::new(&source.shown_path, reason);
    if source.stdin.is_some() {
        return Err(error("standard input cannot be fixed in place".to_string()));
    }
    // Replace the file a symbolic link points to, not the link.
    let target =
        std::fs::canonicalize(&source.path).map_err(|e| error(crate::error::io_reason(&e)))?;
    let meta = std::fs::metadata(&target).map_err(|e| error(crate::error::io_reason(&e)))?;
    if meta.permissions().readonly() {
        return Err(error("read-only file; not fixed".to_string()));
    }
    let now = std::fs::read(&target).map_err(|e| error(crate::error::io_reason(&e)))?;
    if now != plan.original {
        return Err(error("changed since it was scanned; not fixed".to_string()));
    }
    if opts.backup {
        let mut name = target.clone().into_os_string();
        name.push(".orig");
        write_atomically(Path::new(&name), Some(&meta.permissions()), |out| {
            out.write_all(&plan.original)
        })
        .map_err(|e| {
            error(format!(
                "cannot write the backup: {}",
                crate::error::io_reason(&e)
            ))
        })?;
    }
    write_atomically(&target, Some(&meta.permissions()), |out| {
        out.write_all(&plan.fixed)
    })
    .map_err(|e| error(format!("cannot write: {}", crate::error::io_reason(&e))))
}
