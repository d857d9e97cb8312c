//! `index add` and `index prune`: bringing the index up to date with the files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rusqlite::{Transaction, params};

use super::{Index, sql_error};
use crate::error::FileError;
use crate::fingerprint::{BandKeys, Fingerprint, MinHasher};
use crate::ingest::{self, Source};
use crate::options::ScanOptions;
use crate::pipeline::PrintRules;
use crate::segment::{self, BlockKind};
use crate::span::{LineRange, Span};

/// What `index add` did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AddStats {
    /// Files found under the paths given.
    pub files: usize,
    /// Files skipped because they are unchanged since they were indexed.
    pub unchanged: usize,
    /// Files read and fingerprinted (new or changed).
    pub fingerprinted: usize,
    /// Paragraphs written.
    pub paragraphs: usize,
    /// Bytes of the files fingerprinted.
    pub bytes: u64,
    /// Files that could not be read (their previous entries, if any, are kept).
    pub errors: Vec<FileError>,
}

/// What `index prune` did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PruneStats {
    /// Files dropped because they no longer exist.
    pub removed: usize,
    /// Files still present.
    pub kept: usize,
}

/// Files fingerprinted and written per transaction.
const FILES_PER_BATCH: usize = 1024;

/// One file found by the walk, with what the index needs to decide whether to read it.
struct Found {
    source: Source,
    /// Canonical absolute path (the file's identity in the index).
    path: String,
    size: u64,
    mtime_ns: i64,
}

/// A file's rows, ready to write.
struct FileRows {
    path: String,
    hash: u64,
    size: u64,
    mtime_ns: i64,
    /// `None`: the bytes are unchanged, only the modification time moved.
    documents: Option<Vec<DocumentRows>>,
}

struct DocumentRows {
    record: Option<(String, u32)>,
    paragraphs: Vec<ParagraphRow>,
}

struct ParagraphRow {
    index: u32,
    lines: LineRange,
    span: Span,
    words: u32,
    kind: BlockKind,
    chrome: bool,
    text: Fingerprint,
    /// Word hashes and band keys, for long paragraphs.
    near: Option<(Vec<u32>, BandKeys)>,
}

impl Index {
    /// Brings the index up to date with the files under `inputs`: new and changed files
    /// are fingerprinted (their old rows replaced), unchanged ones are not read.
    pub fn add(&mut self, inputs: &[PathBuf], opts: &ScanOptions) -> crate::Result<AddStats> {
        let (sources, errors) = ingest::discover(inputs, &opts.walk)?;
        let mut stats = AddStats {
            files: sources.len(),
            errors,
            ..AddStats::default()
        };
        let known = self.known_files()?;
        let mut to_read = Vec::new();
        for source in sources {
            match found(source) {
                Err(err) => stats.errors.push(err),
                Ok(f) => match known.get(&f.path) {
                    Some(&(_, size, mtime)) if size == f.size && mtime == f.mtime_ns => {
                        stats.unchanged += 1;
                    }
                    _ => to_read.push(f),
                },
            }
        }
        let hasher = MinHasher::new();
        let min_words = self.min_words;
        let mut texts = self.text_ids()?;
        // Fingerprinting (all cores) runs one batch ahead of writing (this thread).
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Result<FileRows, FileError>>>(1);
        let written: crate::Result<()> = std::thread::scope(|scope| {
            let known = &known;
            let hasher = &hasher;
            let to_read = &to_read;
            scope.spawn(move || {
                for batch in to_read.chunks(FILES_PER_BATCH) {
                    let rows = batch
                        .par_iter()
                        .map(|f| {
                            let previous_hash = known.get(&f.path).map(|k| k.0);
                            file_rows(f, previous_hash, opts, hasher, min_words)
                        })
                        .collect();
                    if send.send(rows).is_err() {
                        return; // the writer stopped on an error
                    }
                }
            });
            for rows in receive {
                let tx = self
                    .conn
                    .transaction()
                    .map_err(|e| sql_error(&self.path, &e))?;
                let mut new_bands = Vec::new();
                for row in rows {
                    match row {
                        Err(err) => stats.errors.push(err),
                        Ok(row) => {
                            if row.documents.is_some() {
                                stats.fingerprinted += 1;
                                stats.bytes += row.size;
                            } else {
                                stats.unchanged += 1;
                            }
                            stats.paragraphs += write_file(&tx, &row, &mut texts, &mut new_bands)
                                .map_err(|e| sql_error(&self.path, &e))?;
                        }
                    }
                }
                write_bands(&tx, &mut new_bands).map_err(|e| sql_error(&self.path, &e))?;
                tx.commit().map_err(|e| sql_error(&self.path, &e))?;
            }
            Ok(())
        });
        written?;
        if to_read.iter().any(|f| known.contains_key(&f.path)) {
            let tx = self
                .conn
                .transaction()
                .map_err(|e| sql_error(&self.path, &e))?;
            drop_unused_texts(&tx).map_err(|e| sql_error(&self.path, &e))?;
            tx.commit().map_err(|e| sql_error(&self.path, &e))?;
        }
        stats.errors.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(stats)
    }

    /// Drops the files that no longer exist, and texts no paragraph uses any more.
    pub fn prune(&mut self) -> crate::Result<PruneStats> {
        let known = self.known_files()?;
        let gone: Vec<&String> = known.keys().filter(|p| !Path::new(p).exists()).collect();
        let tx = self
            .conn
            .transaction()
            .map_err(|e| sql_error(&self.path, &e))?;
        for path in &gone {
            tx.execute("DELETE FROM files WHERE path = ?1", [path])
                .map_err(|e| sql_error(&self.path, &e))?;
        }
        drop_unused_texts(&tx).map_err(|e| sql_error(&self.path, &e))?;
        tx.commit().map_err(|e| sql_error(&self.path, &e))?;
        Ok(PruneStats {
            removed: gone.len(),
            kept: known.len() - gone.len(),
        })
    }

    /// Every text's id, by fingerprint (kept in memory while adding, so a text already
    /// indexed costs a hash lookup, not a query).
    fn text_ids(&self) -> crate::Result<HashMap<Fingerprint, i64>> {
        let mut stmt = self
            .conn
            .prepare("SELECT fp_hi, fp_lo, id FROM texts")
            .map_err(|e| sql_error(&self.path, &e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    Fingerprint([r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64]),
                    r.get::<_, i64>(2)?,
                ))
            })
            .and_then(Iterator::collect)
            .map_err(|e| sql_error(&self.path, &e))?;
        Ok(rows)
    }

    /// Indexed files: path → (hash, size, modification time).
    fn known_files(&self) -> crate::Result<HashMap<String, (u64, u64, i64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT path, hash, size, mtime_ns FROM files")
            .map_err(|e| sql_error(&self.path, &e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    (
                        r.get::<_, i64>(1)? as u64,
                        r.get::<_, i64>(2)? as u64,
                        r.get::<_, i64>(3)?,
                    ),
                ))
            })
            .and_then(Iterator::collect)
            .map_err(|e| sql_error(&self.path, &e))?;
        Ok(rows)
    }
}

fn found(source: Source) -> Result<Found, FileError> {
    let error = |e: &std::io::Error| FileError::io(&source.shown_path, e);
    if source.stdin.is_some() {
        return Err(FileError::new(
            &source.shown_path,
            "standard input cannot be indexed",
        ));
    }
    let path = std::fs::canonicalize(&source.path).map_err(|e| error(&e))?;
    let meta = std::fs::metadata(&path).map_err(|e| error(&e))?;
    let mtime_ns = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX));
    Ok(Found {
        path: path.to_string_lossy().into_owned(),
        size: meta.len(),
        mtime_ns,
        source,
    })
}

/// Reads and fingerprints one file (or only notes its new modification time when its
/// bytes hash as before).
fn file_rows(
    f: &Found,
    previous_hash: Option<u64>,
    opts: &ScanOptions,
    hasher: &MinHasher,
    min_words: usize,
) -> Result<FileRows, FileError> {
    let raw = f
        .source
        .bytes()
        .map_err(|e| FileError::io(&f.source.shown_path, &e))?;
    let hash = ingest::content_hash(&raw);
    let mut rows = FileRows {
        path: f.path.clone(),
        hash,
        size: raw.len() as u64,
        mtime_ns: f.mtime_ns,
        documents: None,
    };
    if previous_hash == Some(hash) {
        return Ok(rows);
    }
    let read = ingest::read_bytes(&f.source, raw, &opts.read)?;
    let no_allowlist = crate::allow::Allowlist::default();
    // The archive holds every text; the allowlist applies when `check` compares.
    let rules = PrintRules {
        min_words,
        allow: &no_allowlist,
    };
    let documents = read
        .documents
        .iter()
        .map(|doc| DocumentRows {
            record: doc.record.as_ref().map(|r| (r.id.clone(), r.number)),
            paragraphs: segment::segment(doc, opts.segment)
                .iter()
                .filter(|p| !p.excluded())
                .map(|p| {
                    let mut words = Vec::new();
                    let printed = rules.print(p, Some(&mut words));
                    ParagraphRow {
                        index: p.index,
                        lines: p.lines,
                        span: p.span,
                        words: u32::try_from(printed.words).unwrap_or(u32::MAX),
                        kind: p.kind,
                        chrome: p.chrome,
                        text: printed.exact,
                        near: printed.long.then(|| {
                            let keys = hasher.signature(&words).band_keys();
                            (words, keys)
                        }),
                    }
                })
                .collect(),
        })
        .collect();
    rows.documents = Some(documents);
    Ok(rows)
}

/// Writes one file's rows, replacing what the index had for it; returns the number of
/// paragraphs written.
fn write_file(
    tx: &Transaction<'_>,
    row: &FileRows,
    texts: &mut HashMap<Fingerprint, i64>,
    new_bands: &mut Vec<i64>,
) -> rusqlite::Result<usize> {
    let Some(documents) = &row.documents else {
        tx.execute(
            "UPDATE files SET size = ?2, mtime_ns = ?3 WHERE path = ?1",
            params![row.path, row.size as i64, row.mtime_ns],
        )?;
        return Ok(0);
    };
    tx.execute("DELETE FROM files WHERE path = ?1", [&row.path])?;
    tx.execute(
        "INSERT INTO files (path, hash, size, mtime_ns) VALUES (?1, ?2, ?3, ?4)",
        params![row.path, row.hash as i64, row.size as i64, row.mtime_ns],
    )?;
    let file = tx.last_insert_rowid();
    let mut insert_doc = tx.prepare_cached(
        "INSERT INTO documents (file, record, record_number) VALUES (?1, ?2, ?3)",
    )?;
    let mut insert_paragraph = tx.prepare_cached(
        "INSERT INTO paragraphs (doc, idx, start_line, end_line, start_byte, end_byte, words, kind, chrome, text)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    let mut written = 0;
    for doc in documents {
        insert_doc.execute(params![
            file,
            doc.record.as_ref().map(|r| &r.0),
            doc.record.as_ref().map(|r| r.1)
        ])?;
        let doc_id = tx.last_insert_rowid();
        for p in &doc.paragraphs {
            let text = text_id(tx, p, texts, new_bands)?;
            insert_paragraph.execute(params![
                doc_id,
                p.index,
                p.lines.start,
                p.lines.end,
                p.span.start as i64,
                p.span.end as i64,
                p.words,
                p.kind.code(),
                p.chrome,
                text
            ])?;
            written += 1;
        }
    }
    Ok(written)
}

/// The id of a paragraph's text, inserting it if new (its band keys are queued in
/// `new_bands`, written sorted at the end of the batch).
fn text_id(
    tx: &Transaction<'_>,
    p: &ParagraphRow,
    texts: &mut HashMap<Fingerprint, i64>,
    new_bands: &mut Vec<i64>,
) -> rusqlite::Result<i64> {
    if let Some(&id) = texts.get(&p.text) {
        return Ok(id);
    }
    let words = p.near.as_ref().map(|(words, _)| {
        words
            .iter()
            .flat_map(|w| w.to_le_bytes())
            .collect::<Vec<u8>>()
    });
    tx.prepare_cached("INSERT INTO texts (fp_hi, fp_lo, words) VALUES (?1, ?2, ?3)")?
        .execute(params![p.text.0[0] as i64, p.text.0[1] as i64, words])?;
    let id = tx.last_insert_rowid();
    if id >= 1 << TEXT_BITS {
        return Err(rusqlite::Error::ToSqlConversionFailure(
            format!("the index is full ({} distinct paragraph texts); split the archive into several indexes", 1u64 << TEXT_BITS).into(),
        ));
    }
    texts.insert(p.text, id);
    if let Some((_, keys)) = &p.near {
        new_bands.extend(
            keys.keys()
                .iter()
                .enumerate()
                .map(|(b, key)| band_row(b, *key, id)),
        );
    }
    Ok(id)
}

/// Inserts queued band rows in key order (B-tree friendly).
fn write_bands(tx: &Transaction<'_>, new_bands: &mut Vec<i64>) -> rusqlite::Result<()> {
    new_bands.sort_unstable();
    new_bands.dedup();
    let mut insert = tx.prepare_cached("INSERT OR IGNORE INTO bands (row) VALUES (?1)")?;
    for row in new_bands.drain(..) {
        insert.execute([row])?;
    }
    Ok(())
}

/// Bits of a band row that hold the text id (up to 134 million distinct texts).
pub(super) const TEXT_BITS: u32 = 27;

/// A band row: band (6 bits), band key (30 bits), text id (27 bits) packed into one
/// non-negative integer, stored as the rowid itself, so the table is one B-tree of
/// integers and a lookup is a rowid range scan.
pub(super) fn band_row(band: usize, key: u32, text: i64) -> i64 {
    band_prefix(band, key) | (text & ((1 << TEXT_BITS) - 1))
}

/// The smallest band row of a (band, key) pair.
pub(super) fn band_prefix(band: usize, key: u32) -> i64 {
    ((band as i64) << 57) | (i64::from(key >> 2) << TEXT_BITS)
}

/// Deletes texts no paragraph refers to. Their band rows stay behind (text ids are never
/// reused, so they only ever point at nothing).
fn drop_unused_texts(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute(
        "DELETE FROM texts WHERE NOT EXISTS (SELECT 1 FROM paragraphs p WHERE p.text = texts.id)",
        [],
    )?;
    Ok(())
}
