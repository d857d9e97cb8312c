//! The archive index: paragraph fingerprints of everything already published, on disk, so
//! a new article can be checked against the archive without scanning it again.
//!
//! An embedded `SQLite` database (WAL mode: many readers, one writer) holds the files
//! (path, content hash, size, modification time), their documents, every paragraph's
//! place and text id, and per distinct text its word hashes and MinHash band keys. Adding
//! is incremental: a file whose size and modification time (or, failing that, content
//! hash) are unchanged is not read again. Each batch of files is one transaction, so a
//! killed `index add` leaves the index as it was after the last finished batch.
//!
//! The schema is versioned ([`SCHEMA_VERSION`]); an index written by another version is
//! refused, never misread.

// SQLite integers are i64: u64 hashes and offsets are stored as their bit patterns.
#![allow(clippy::cast_possible_wrap)]

mod build;
mod lookup;

pub use build::{AddStats, PruneStats};
pub use lookup::{ArchiveHit, ArchivedParagraph};

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::error::Error;
use crate::fingerprint::minhash::{BANDS, ROWS, SHORT_BANDS, SHORT_ROWS, SHORT_WORDS};

/// Version of the on-disk layout and of the fingerprints stored in it. Bump on any change
/// to the tables, the normalization or the MinHash scheme.
pub const SCHEMA_VERSION: u32 = 4;

/// Where `index add` and `check` look for the index unless told otherwise.
pub const DEFAULT_PATH: &str = ".paradup/index.db";

/// What the fingerprints in an index were computed with; must match to be comparable.
fn fingerprint_scheme() -> String {
    format!(
        "xxh3-128 normalize-v1; minhash {BANDS}x{ROWS} (+{SHORT_BANDS}x{SHORT_ROWS} up to {SHORT_WORDS} words) word-bigrams"
    )
}

/// An open archive index.
pub struct Index {
    conn: Connection,
    path: PathBuf,
    /// Paragraphs with at least this many words have word hashes and band keys stored.
    min_words: usize,
}

/// Counts shown by `index stats`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IndexStats {
    /// Files indexed.
    pub files: u64,
    /// Documents (files, or feed records).
    pub documents: u64,
    /// Paragraphs.
    pub paragraphs: u64,
    /// Distinct paragraph texts.
    pub texts: u64,
    /// Distinct texts long enough for near-duplicate lookups.
    pub long_texts: u64,
    /// Size of the database files on disk (main file and write-ahead log).
    pub bytes_on_disk: u64,
}

impl Index {
    /// Opens an index for reading; it must exist and have this version's schema.
    pub fn open(path: &Path) -> crate::Result<Index> {
        if !path.exists() {
            return Err(index_error(
                path,
                "no index here; create one with `paradup index add ARCHIVE`",
            ));
        }
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| sql_error(path, &e))?;
        Self::ready(conn, path)
    }

    /// Opens an index for writing, creating it (and its folder) if needed.
    pub fn open_for_writing(path: &Path, min_words: usize) -> crate::Result<Index> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| index_error(path, &crate::error::io_reason(&e)))?;
        }
        let conn = Connection::open(path).map_err(|e| sql_error(path, &e))?;
        // A large page cache keeps the band-key B-tree in memory while it grows.
        conn.pragma_update(None, "journal_mode", "WAL")
            .and_then(|()| conn.pragma_update(None, "synchronous", "NORMAL"))
            .and_then(|()| conn.pragma_update(None, "cache_size", -524_288))
            .and_then(|()| conn.pragma_update(None, "temp_store", "MEMORY"))
            .map_err(|e| sql_error(path, &e))?;
        let fresh: bool = conn
            .query_row(
                "SELECT count(*) = 0 FROM sqlite_master WHERE type = 'table'",
                [],
                |r| r.get(0),
            )
            .map_err(|e| sql_error(path, &e))?;
        if fresh {
            create_schema(&conn, min_words).map_err(|e| sql_error(path, &e))?;
        }
        Self::ready(conn, path)
    }

    /// Checks the version and settings of an opened database.
    fn ready(conn: Connection, path: &Path) -> crate::Result<Index> {
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .and_then(|()| conn.pragma_update(None, "foreign_keys", "ON"))
            .map_err(|e| sql_error(path, &e))?;
        let meta = |key: &str| -> crate::Result<Option<String>> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                .optional()
                .map_err(|_| index_error(path, "not a paradup index (no meta table)"))
        };
        let version = meta("schema_version")?.unwrap_or_default();
        if version != SCHEMA_VERSION.to_string() {
            return Err(index_error(
                path,
                &format!(
                    "index schema version {version} is not this paradup's ({SCHEMA_VERSION}); rebuild it with `paradup index add` into a new file"
                ),
            ));
        }
        if meta("fingerprints")?.as_deref() != Some(fingerprint_scheme().as_str()) {
            return Err(index_error(
                path,
                "index fingerprints were made differently; rebuild it with this paradup",
            ));
        }
        let min_words = meta("min_words")?
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| index_error(path, "index settings are damaged (min_words)"))?;
        Ok(Index {
            conn,
            path: path.to_path_buf(),
            min_words,
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Minimum words of the paragraphs whose near-duplicate data is stored.
    pub fn min_words(&self) -> usize {
        self.min_words
    }

    /// Counts and size on disk.
    pub fn stats(&self) -> crate::Result<IndexStats> {
        let count = |sql: &str| -> crate::Result<u64> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| n as u64)
                .map_err(|e| sql_error(&self.path, &e))
        };
        let size = |suffix: &str| {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            std::fs::metadata(name).map_or(0, |m| m.len())
        };
        Ok(IndexStats {
            files: count("SELECT count(*) FROM files")?,
            documents: count("SELECT count(*) FROM documents")?,
            paragraphs: count("SELECT count(*) FROM paragraphs")?,
            texts: count("SELECT count(*) FROM texts")?,
            long_texts: count("SELECT count(*) FROM texts WHERE words IS NOT NULL")?,
            bytes_on_disk: size("") + size("-wal"),
        })
    }
}

fn create_schema(conn: &Connection, min_words: usize) -> rusqlite::Result<()> {
    conn.execute_batch(
        "BEGIN;
         CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
         CREATE TABLE files (
             id INTEGER PRIMARY KEY,
             path TEXT NOT NULL UNIQUE,      -- canonical absolute path
             hash INTEGER NOT NULL,          -- xxh3-64 of the bytes
             size INTEGER NOT NULL,
             mtime_ns INTEGER NOT NULL);
         CREATE TABLE documents (
             id INTEGER PRIMARY KEY,
             file INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
             record TEXT,                    -- feed record id
             record_number INTEGER);
         CREATE INDEX documents_file ON documents(file);
         CREATE TABLE texts (
             id INTEGER PRIMARY KEY AUTOINCREMENT,
             fp_hi INTEGER NOT NULL,
             fp_lo INTEGER NOT NULL,
             words BLOB,                     -- u32 LE word hashes, long texts only
             UNIQUE (fp_hi, fp_lo));
         CREATE TABLE paragraphs (
             doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
             idx INTEGER NOT NULL,
             start_line INTEGER NOT NULL, end_line INTEGER NOT NULL,
             start_byte INTEGER NOT NULL, end_byte INTEGER NOT NULL,
             words INTEGER NOT NULL,
             kind INTEGER NOT NULL,          -- 0 prose, 1 heading, 2 list item, 3 quote
             chrome INTEGER NOT NULL,
             text INTEGER NOT NULL REFERENCES texts(id),
             PRIMARY KEY (doc, idx)) WITHOUT ROWID;
         CREATE INDEX paragraphs_text ON paragraphs(text);
         CREATE TABLE bands (
             row INTEGER PRIMARY KEY);       -- band (5 bits) | key (31) | text id (27)
         COMMIT;",
    )?;
    let mut insert = conn.prepare("INSERT INTO meta (key, value) VALUES (?1, ?2)")?;
    insert.execute(params!["schema_version", SCHEMA_VERSION.to_string()])?;
    insert.execute(params!["fingerprints", fingerprint_scheme()])?;
    insert.execute(params!["min_words", min_words.to_string()])?;
    insert.execute(params![
        "created_by",
        format!("paradup {}", env!("CARGO_PKG_VERSION"))
    ])?;
    Ok(())
}

fn index_error(path: &Path, reason: &str) -> Error {
    Error::Index {
        path: path.display().to_string(),
        reason: reason.to_string(),
    }
}

fn sql_error(path: &Path, err: &rusqlite::Error) -> Error {
    index_error(path, &err.to_string())
}
