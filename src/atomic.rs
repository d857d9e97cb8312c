//! Writing files so that a crash, a kill or a full disk never leaves one half-written:
//! the new bytes go to a temporary file in the same directory, are flushed to disk, get
//! the original's permissions, and replace it with one `rename`. Articles (`fix`),
//! reports (`-o`), shards and manifests are all written here. Reports written to a path
//! the user names go through [`write_output`], which only renames over regular files.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `path` through a temporary file in the same directory (flushed, synced, given
/// `permissions`, then renamed over `path`), so readers see the old file or the new one,
/// never a part.
pub fn write_atomically(
    path: &Path,
    permissions: Option<&std::fs::Permissions>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = temporary_name(dir, path);
    let result = (|| {
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        let mut out = std::io::BufWriter::new(file);
        write(&mut out)?;
        let file = out
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        if let Some(permissions) = permissions {
            file.set_permissions(permissions.clone())?;
        }
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // Make the rename itself durable.
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes a report to the path the user named with `-o`, without replacing what is
/// there unless it is a regular file:
///
/// * a device, FIFO or socket (`/dev/stdout`, `/dev/null`, a named pipe) is opened and
///   written in place: renaming a temporary file over it would turn it into a regular
///   file (as root, `-o /dev/null` would replace the system's `/dev/null`) and a reader
///   waiting on a FIFO would never get the report;
/// * a symbolic link is followed, as `fix --write` does for articles, and its final
///   target is written atomically, so the link stays a link; a dangling link creates
///   its target if the target's folder exists;
/// * a regular file is replaced atomically keeping its permissions, and a new file is
///   created atomically, so a kill or a full disk never leaves a half-written report.
///
/// `-o -` (standard output) is the command line's business, not this function's.
pub fn write_output(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind};
    // `metadata` follows links, so this is the kind of the final target.
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_file() => {
            let target = std::fs::canonicalize(path)?;
            write_atomically(&target, Some(&meta.permissions()), write)
        }
        Ok(meta) if meta.is_dir() => Err(Error::new(ErrorKind::IsADirectory, "is a directory")),
        Ok(_) => {
            // Opened without truncation or creation: it is a device or a pipe.
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            let mut out = std::io::BufWriter::new(file);
            write(&mut out)?;
            out.flush()
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            let target = link_target(path)?;
            let dir = target
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            if !dir.is_dir() {
                let what = if target == path {
                    String::new()
                } else {
                    format!("the symbolic link points to {}, but ", target.display())
                };
                return Err(Error::new(
                    ErrorKind::NotFound,
                    format!("{what}the folder {} does not exist", dir.display()),
                ));
            }
            write_atomically(&target, None, write)
        }
        Err(e) => Err(e),
    }
}

/// The path at the end of the chain of symbolic links starting at `path` (`path` itself
/// when it is not a link), for a path whose final target does not exist.
fn link_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // Linux's own limit; `metadata` already refused real loops.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                // A relative link is relative to the link's folder; `join` keeps an
                // absolute one as it is.
                current = current.parent().unwrap_or(Path::new("")).join(link);
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

/// `.NAME.paradup-PID-N.tmp` next to `path`: hidden, and unique per process and call.
fn temporary_name(dir: &Path, path: &Path) -> PathBuf {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    dir.join(format!(".{name}.paradup-{}-{n}.tmp", std::process::id()))
}
