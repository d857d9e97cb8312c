//! Ingest: find the input files and read each one into the articles it holds.
//!
//! `discover` turns the paths given on the command line into a sorted list of
//! [`Source`]s (sorted, so document ids and therefore finding ids are stable whatever the
//! order on disk). `read` loads one source and decodes it into [`Document`]s: one for a
//! text, Markdown or HTML file, one per record for a JSON Lines feed or JSON array. Each
//! document keeps a map back to the bytes on disk.

mod decode;
mod feed;
mod walk;

pub use crate::options::{InputFormat, SourceMap};
pub use decode::{Decoded, Encoding, OffsetMap};
pub use walk::discover;
pub(crate) use walk::slash_path;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::error::{FileError, FileWarning};
use crate::options::ReadOptions;
use crate::span::Span;

/// How one article's text is split into paragraphs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextFormat {
    /// Blank-line separated.
    Text,
    /// CommonMark.
    Markdown,
    /// HTML block elements.
    Html,
}

/// One input file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Where the file is on disk (as reachable from the current directory); `-` for
    /// standard input.
    pub path: PathBuf,
    /// The path shown in reports: relative to the directory given, `/` separators.
    pub shown_path: String,
    /// The outlet or site the file belongs to: the source the first matching pattern of
    /// the `[sources]` map names ([`SourceMap`]), else the top-level folder under the
    /// scanned path it was found in, or the scanned path itself for files directly in it
    /// ("" for a single folder given). A feed record's own source
    /// ([`Record::source`]) overrides it. A source's template is boilerplate; what
    /// sources share is syndication (see `classify`).
    pub site: String,
    /// What kind of file it is.
    pub format: InputFormat,
    /// The bytes read from standard input, when the source is `-` (read once, kept so
    /// later stages can re-read paragraphs as they do from files).
    pub stdin: Option<Arc<[u8]>>,
}

impl Source {
    /// The path as given, with forward slashes and no leading `./`: what CI tools resolve
    /// against the repository root.
    pub fn slash_path(&self) -> String {
        slash_path(&self.path)
    }

    /// The path for people: as reachable from the current directory (so terminals and
    /// editors can open it), or `<stdin>`.
    pub fn display_path(&self) -> std::borrow::Cow<'_, str> {
        match self.stdin {
            Some(_) => self.shown_path.as_str().into(),
            None => self.path.to_string_lossy(),
        }
    }

    /// All the bytes of the source.
    pub fn bytes(&self) -> std::io::Result<Vec<u8>> {
        match &self.stdin {
            Some(bytes) => Ok(bytes.to_vec()),
            None => std::fs::read(&self.path),
        }
    }

    /// The bytes `[start, end)` of the source.
    pub fn bytes_range(&self, start: u64, end: u64) -> std::io::Result<Vec<u8>> {
        match &self.stdin {
            Some(bytes) => bytes
                .get(start as usize..end as usize)
                .map(<[u8]>::to_vec)
                .ok_or_else(|| std::io::ErrorKind::UnexpectedEof.into()),
            None => read_range(&self.path, start, end),
        }
    }
}

/// Where a feed record is, and what it is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The record's id: its id field, else its url, else its number.
    pub id: String,
    /// 1-based position among the file's records.
    pub number: u32,
    /// 1-based line where the text field's value is (JSON strings hold no raw newline,
    /// so every paragraph of the field is on this line).
    pub line: u32,
    /// The whole record on disk.
    pub span: Span,
    /// Name of the field the text was read from.
    pub field: String,
    /// The record's source (outlet, site) from `--source-field`, when the record has
    /// that field; else the file's [`Source::site`] stands.
    pub source: Option<String>,
    /// The file's encoding, to decode the record again from its span alone.
    pub encoding: Encoding,
}

/// The source (outlet, site) of a document for the boilerplate rule: its record's own
/// ([`Record::source`], from `--source-field`), else its file's ([`Source::site`]: the
/// `[sources]` map, else the folder).
pub fn site_of<'a>(record: Option<&'a Record>, file: &'a Source) -> &'a str {
    record
        .and_then(|r| r.source.as_deref())
        .unwrap_or(&file.site)
}

/// One article read and decoded to text.
#[derive(Debug)]
pub struct Document {
    /// The decoded text (UTF-8, BOM removed; for a record: its text field, unescaped).
    pub text: String,
    /// Maps offsets in `text` back to offsets in the file on disk.
    pub offsets: OffsetMap,
    /// How to split `text` into paragraphs.
    pub format: TextFormat,
    /// The record it comes from, for documents read from a feed.
    pub record: Option<Record>,
}

impl Document {
    /// A whole file as one document.
    pub fn whole_file(text: String, offsets: OffsetMap, format: TextFormat) -> Self {
        Document {
            text,
            offsets,
            format,
            record: None,
        }
    }
}

/// Everything one file yields.
#[derive(Debug, Default)]
pub struct FileRead {
    /// Its articles, in file order.
    pub documents: Vec<Document>,
    /// Records that could not be read (the rest of the file still is).
    pub errors: Vec<FileError>,
    /// Problems that did not stop reading.
    pub warnings: Vec<FileWarning>,
    /// Size of the file.
    pub bytes: u64,
    /// [`content_hash`] of the file's bytes, to tell later whether it changed.
    pub hash: u64,
}

/// Hash of a file's bytes: `fix` refuses to write a file whose bytes no longer hash to
/// what was scanned.
pub fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// Reads and decodes one source. Unreadable and binary files are errors for that file
/// only; a malformed feed record is an error for that record only.
pub fn read(source: &Source, opts: &ReadOptions) -> Result<FileRead, FileError> {
    let raw = source
        .bytes()
        .map_err(|err| FileError::io(&source.shown_path, &err))?;
    read_bytes(source, raw, opts)
}

/// Like [`read`], from the file's bytes already in memory.
pub fn read_bytes(
    source: &Source,
    raw: Vec<u8>,
    opts: &ReadOptions,
) -> Result<FileRead, FileError> {
    let bytes = raw.len() as u64;
    let hash = content_hash(&raw);
    let Decoded::Text {
        text,
        offsets,
        encoding,
        warning,
    } = decode::decode(raw)
    else {
        return Err(FileError::new(
            &source.shown_path,
            "binary file (contains NUL bytes), skipped",
        ));
    };
    let mut read = FileRead {
        bytes,
        hash,
        ..FileRead::default()
    };
    if let Some(warning) = warning {
        read.warnings
            .push(FileWarning::new(&source.shown_path, warning));
    }
    let format = match source.format {
        InputFormat::Text => TextFormat::Text,
        InputFormat::Markdown => TextFormat::Markdown,
        InputFormat::Html => TextFormat::Html,
        InputFormat::Json => {
            feed::records(source, &text, &offsets, encoding, opts, &mut read)?;
            return Ok(read);
        }
    };
    read.documents
        .push(Document::whole_file(text, offsets, format));
    Ok(read)
}

/// Reads one document again: a whole file, or one record from its span alone (so
/// re-reading a paragraph of a large feed does not re-read the feed).
pub fn reread(
    source: &Source,
    record: Option<&Record>,
    opts: &ReadOptions,
) -> Result<Document, FileError> {
    let Some(record) = record else {
        let mut read = read(source, opts)?;
        return match read.documents.len() {
            1 => Ok(read.documents.remove(0)),
            _ => Err(FileError::new(
                &source.shown_path,
                "file changed since it was scanned",
            )),
        };
    };
    let raw = source
        .bytes_range(record.span.start, record.span.end)
        .map_err(|err| FileError::io(&source.shown_path, &err))?;
    feed::reread_record(source, &raw, record, opts)
}

/// Reads the raw bytes `[start, end)` of a file, for reports and verification.
pub fn read_range(path: &Path, start: u64, end: u64) -> std::io::Result<Vec<u8>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut buf = vec![0; usize::try_from(end - start).unwrap_or(0)];
    file.read_exact(&mut buf)?;
    Ok(buf)
}

/// Reads standard input into a source named `<stdin>`.
pub fn stdin_source(format: InputFormat) -> std::io::Result<Source> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::io::stdin().lock().read_to_end(&mut bytes)?;
    Ok(Source {
        path: PathBuf::from("-"),
        shown_path: "<stdin>".to_string(),
        site: String::new(),
        format,
        stdin: Some(bytes.into()),
    })
}
