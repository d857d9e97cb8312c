//! The scanned corpus as later stages see it: sources, and the compact print of every
//! paragraph, in document order. No paragraph text is held; [`Corpus::reread_words`] reads it
//! back from disk when verification needs it (reports do the same, see `report::Report::texts`).

use crate::fingerprint::{ParaRef, ParagraphPrint, minhash::word_hash};
use crate::ingest::{self, DocId, Source};
use crate::normalize;
use crate::segment;

/// Sources and paragraph prints, indexed by document.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Every source found, sorted by shown path; `DocId(i)` is `sources[i]`.
    pub sources: Vec<Source>,
    /// Every paragraph of every readable document, ordered by document then index.
    pub prints: Vec<ParagraphPrint>,
    /// `prints[doc_starts[d]..doc_starts[d + 1]]` are document `d`'s paragraphs.
    doc_starts: Vec<u32>,
    /// Whether each source was read successfully.
    pub readable: Vec<bool>,
    /// Total bytes of the readable documents.
    pub bytes: u64,
}

impl Corpus {
    /// An empty corpus over `sources`; documents are then added in source order with
    /// [`Corpus::push_document`].
    pub fn with_sources(sources: Vec<Source>) -> Self {
        let mut doc_starts = Vec::with_capacity(sources.len() + 1);
        doc_starts.push(0);
        Corpus {
            readable: Vec::with_capacity(sources.len()),
            sources,
            prints: Vec::new(),
            doc_starts,
            bytes: 0,
        }
    }

    /// Appends the next document's prints (`None`: it could not be read).
    pub fn push_document(&mut self, doc: Option<(&[ParagraphPrint], u64)>) {
        debug_assert!(
            self.readable.len() < self.sources.len(),
            "more documents than sources"
        );
        self.readable.push(doc.is_some());
        if let Some((prints, bytes)) = doc {
            self.prints.extend_from_slice(prints);
            self.bytes += bytes;
        }
        self.doc_starts.push(self.prints.len() as u32);
    }

    /// Number of documents read successfully.
    pub fn documents(&self) -> usize {
        self.readable.iter().filter(|r| **r).count()
    }

    /// The prints of one document.
    pub fn doc_prints(&self, doc: DocId) -> &[ParagraphPrint] {
        let range = self.doc_range(doc);
        &self.prints[range.start as usize..range.end as usize]
    }

    /// Indices in `prints` of one document's paragraphs.
    pub fn doc_range(&self, doc: DocId) -> std::ops::Range<u32> {
        let d = doc.0 as usize;
        self.doc_starts[d]..self.doc_starts[d + 1]
    }

    /// Index in `prints` of a paragraph.
    pub fn print_index(&self, at: ParaRef) -> u32 {
        self.doc_starts[at.doc.0 as usize] + at.index
    }

    /// The source of a document.
    pub fn source(&self, doc: DocId) -> &Source {
        &self.sources[doc.0 as usize]
    }

    /// Reads a document again and returns the word hashes of the requested paragraphs
    /// (`None` where the file changed or cannot be read any more).
    pub fn reread_words(
        &self,
        doc: DocId,
        indices: impl Iterator<Item = u32>,
    ) -> Vec<Option<Vec<u32>>> {
        let source = self.source(doc);
        let indices: Vec<u32> = indices.collect();
        let Ok(document) = ingest::read(source) else {
            return vec![None; indices.len()];
        };
        let paragraphs = segment::segment(&document, source.format);
        let known = self.doc_prints(doc);
        indices
            .iter()
            .map(|&i| {
                let p = paragraphs.get(i as usize)?;
                // The file may have changed since it was fingerprinted.
                (known.get(i as usize)?.span == p.span).then(|| {
                    normalize::words(&normalize::normalize(&p.content))
                        .map(word_hash)
                        .collect()
                })
            })
            .collect()
    }
}
