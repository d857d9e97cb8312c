//! Ingest: find the input files and read each one into text.
//!
//! `discover` turns the paths given on the command line into a sorted list of
//! [`Source`]s (sorted, so document ids and therefore finding ids are stable whatever the
//! order on disk). `read` loads one source and decodes it into a [`Document`], keeping a
//! map back to the bytes on disk.

mod decode;
mod walk;

pub use decode::{Decoded, OffsetMap};
pub use walk::discover;

use std::path::PathBuf;

use crate::error::{FileError, FileWarning};

/// Index of a document in the sorted source list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(pub u32);

/// How a file's text is split into paragraphs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// Paragraphs separated by blank lines.
    Text,
    /// CommonMark: front matter and code are not prose, headings are not candidates.
    Markdown,
}

impl InputFormat {
    /// The format a file name implies; anything unknown is read as plain text.
    pub fn from_path(path: &std::path::Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("md" | "markdown") => InputFormat::Markdown,
            _ => InputFormat::Text,
        }
    }
}

/// One input file to read.
#[derive(Debug, Clone)]
pub struct Source {
    /// Where the file is on disk (as reachable from the current directory).
    pub path: PathBuf,
    /// The path shown in JSON reports: relative to the directory given, `/` separators.
    pub shown_path: String,
    /// How to segment it.
    pub format: InputFormat,
}

/// A file read and decoded to text.
#[derive(Debug)]
pub struct Document {
    /// The decoded text (UTF-8, BOM removed).
    pub text: String,
    /// Maps offsets in `text` back to offsets in the file on disk.
    pub offsets: OffsetMap,
    /// Size of the file on disk.
    pub bytes: u64,
    /// Problems that did not stop reading (e.g. invalid UTF-8 replaced).
    pub warnings: Vec<FileWarning>,
}

/// Reads and decodes one source. Unreadable and binary files are errors for that file only.
pub fn read(source: &Source) -> Result<Document, FileError> {
    let raw = std::fs::read(&source.path).map_err(|err| FileError {
        path: source.shown_path.clone(),
        error: io_reason(&err),
    })?;
    let bytes = raw.len() as u64;
    match decode::decode(raw) {
        Decoded::Binary => Err(FileError {
            path: source.shown_path.clone(),
            error: "binary file (contains NUL bytes), skipped".to_string(),
        }),
        Decoded::Text {
            text,
            offsets,
            replaced,
        } => {
            let mut warnings = Vec::new();
            if replaced > 0 {
                warnings.push(FileWarning {
                    path: source.shown_path.clone(),
                    warning: format!(
                        "invalid UTF-8: {replaced} byte sequence(s) replaced with U+FFFD"
                    ),
                });
            }
            Ok(Document {
                text,
                offsets,
                bytes,
                warnings,
            })
        }
    }
}

/// Reads the raw bytes `[start, end)` of a file, for reports and verification.
pub fn read_range(path: &std::path::Path, start: u64, end: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut buf = vec![0; usize::try_from(end - start).unwrap_or(0)];
    file.read_exact(&mut buf)?;
    Ok(buf)
}

/// An io error in words a user understands, without the OS error number noise.
pub(crate) fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => err.to_string(),
    }
}
