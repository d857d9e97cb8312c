//! Looking paragraphs up in the index: by exact fingerprint, or by band keys verified with
//! the same word-level similarity `scan` uses.

use rusqlite::{OptionalExtension, params};

use super::build::{TEXT_BITS, band_prefix};
use super::{Index, sql_error};
use crate::fingerprint::similarity;
use crate::fingerprint::{BandKeys, Fingerprint};
use crate::span::{LineRange, Span};

/// An archived paragraph a new one matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArchivedParagraph {
    /// The archived file (canonical absolute path).
    pub path: String,
    /// Feed record id, for a document read from a feed.
    pub record: Option<String>,
    /// Lines in the archived file.
    pub lines: LineRange,
    /// Bytes in the archived file.
    pub span: Span,
    /// The archived document (index row id).
    pub document: i64,
}

/// One archived text a new paragraph matches, and where it occurs.
#[derive(Clone, Debug, PartialEq)]
pub struct ArchiveHit {
    /// The archived text (index row id).
    pub text: i64,
    /// Word-level similarity to the new paragraph (1 for an exact match).
    pub similarity: f64,
    /// Identical after normalization.
    pub exact: bool,
    /// Some of its archived occurrences (at most the limit asked for).
    pub occurrences: Vec<ArchivedParagraph>,
    /// How many archived documents hold it.
    pub documents: u64,
}

impl Index {
    /// Archived texts matching a paragraph: the identical one, and those whose band keys
    /// collide and whose verified similarity reaches `threshold`. `words` are the
    /// paragraph's word hashes; `keys` its band keys (`None`: too short for near lookups).
    pub fn matches(
        &self,
        text: Fingerprint,
        near: Option<(&[u32], &BandKeys)>,
        threshold: f64,
        limit: usize,
    ) -> crate::Result<Vec<ArchiveHit>> {
        let err = |e: rusqlite::Error| sql_error(&self.path, &e);
        let mut hits = Vec::new();
        let exact: Option<i64> = self
            .conn
            .prepare_cached("SELECT id FROM texts WHERE fp_hi = ?1 AND fp_lo = ?2")
            .and_then(|mut s| {
                s.query_row(params![text.0[0] as i64, text.0[1] as i64], |r| r.get(0))
                    .optional()
            })
            .map_err(err)?;
        if let Some(id) = exact {
            hits.push((id, 1.0, true));
        }
        if let Some((words, keys)) = near {
            let mut candidates: Vec<i64> = Vec::new();
            let mut by_key = self
                .conn
                .prepare_cached("SELECT row FROM bands WHERE row >= ?1 AND row < ?2")
                .map_err(err)?;
            for (band, key) in keys.keys().iter().enumerate() {
                let low = band_prefix(band, *key);
                let rows = by_key
                    .query_map([low, low + (1 << TEXT_BITS)], |r| r.get::<_, i64>(0))
                    .and_then(Iterator::collect::<rusqlite::Result<Vec<i64>>>)
                    .map_err(err)?;
                candidates.extend(rows.into_iter().map(|row| row & ((1 << TEXT_BITS) - 1)));
            }
            candidates.sort_unstable();
            candidates.dedup();
            let mut words_of = self
                .conn
                .prepare_cached("SELECT words FROM texts WHERE id = ?1")
                .map_err(err)?;
            let ours = words.to_vec();
            for id in candidates.into_iter().filter(|&id| Some(id) != exact) {
                let Some(blob) = words_of
                    .query_row([id], |r| r.get::<_, Option<Vec<u8>>>(0))
                    .optional()
                    .map_err(err)?
                    .flatten()
                else {
                    continue;
                };
                let theirs: Vec<u32> = blob
                    .chunks_exact(4)
                    .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect();
                if let Some(similarity) = similarity::similarity(&ours, &theirs, threshold) {
                    hits.push((id, similarity, false));
                }
            }
        }
        hits.into_iter()
            .map(|(id, similarity, exact)| {
                let (occurrences, documents) = self.occurrences(id, limit)?;
                Ok(ArchiveHit {
                    text: id,
                    similarity,
                    exact,
                    occurrences,
                    documents,
                })
            })
            .filter(|hit: &crate::Result<ArchiveHit>| {
                hit.as_ref().map_or(true, |h| h.documents > 0)
            })
            .collect()
    }

    /// Up to `limit` archived occurrences of a text, and how many documents hold it.
    fn occurrences(&self, text: i64, limit: usize) -> crate::Result<(Vec<ArchivedParagraph>, u64)> {
        let err = |e: rusqlite::Error| sql_error(&self.path, &e);
        let documents: i64 = self
            .conn
            .prepare_cached("SELECT count(DISTINCT doc) FROM paragraphs WHERE text = ?1")
            .and_then(|mut s| s.query_row([text], |r| r.get(0)))
            .map_err(err)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT f.path, d.record, p.start_line, p.end_line, p.start_byte, p.end_byte, d.id
                 FROM paragraphs p JOIN documents d ON d.id = p.doc JOIN files f ON f.id = d.file
                 WHERE p.text = ?1 ORDER BY f.path, d.record_number, p.idx LIMIT ?2",
            )
            .map_err(err)?;
        let rows = stmt
            .query_map(params![text, limit as i64], |r| {
                Ok(ArchivedParagraph {
                    path: r.get(0)?,
                    record: r.get(1)?,
                    lines: LineRange {
                        start: r.get(2)?,
                        end: r.get(3)?,
                    },
                    span: Span::new(r.get::<_, i64>(4)? as u64, r.get::<_, i64>(5)? as u64),
                    document: r.get(6)?,
                })
            })
            .and_then(Iterator::collect)
            .map_err(err)?;
        Ok((rows, documents as u64))
    }

    /// The texts of an archived document (to tell copies of one story from boilerplate).
    pub fn document_texts(&self, document: i64) -> crate::Result<Vec<i64>> {
        self.conn
            .prepare_cached("SELECT text FROM paragraphs WHERE doc = ?1")
            .and_then(|mut s| {
                s.query_map([document], |r| r.get(0))
                    .and_then(Iterator::collect)
            })
            .map_err(|e| sql_error(&self.path, &e))
    }
}
