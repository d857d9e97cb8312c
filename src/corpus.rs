//! The scanned corpus as later stages see it: the files, the documents (articles) they
//! hold, and the compact print of every paragraph, in document order. No paragraph text is
//! held; [`Corpus::reread_words`] reads it back from disk when verification needs it
//! (reports do the same, see `report::Report::texts`).

use crate::fingerprint::{ParaRef, ParagraphPrint, sentence_print};
use crate::ingest::{self, DocId, Record, Source};
use crate::options::{ReadOptions, SegmentOptions};
use crate::segment::{self, Paragraph};

/// One document: a whole file, or one record of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentInfo {
    /// Index into [`Corpus::sources`].
    pub source: u32,
    /// The record, for a document read from a feed.
    pub record: Option<Record>,
}

impl DocumentInfo {
    /// The document's source (outlet, site), see [`ingest::site_of`]. `sources` is
    /// [`Corpus::sources`].
    pub fn site<'a>(&'a self, sources: &'a [Source]) -> &'a str {
        ingest::site_of(self.record.as_ref(), &sources[self.source as usize])
    }
}

/// Sources, documents and paragraph prints.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Every file found, sorted by shown path (unreadable ones included).
    pub sources: Vec<Source>,
    /// Every document read, in source order then record order; `DocId(i)` is
    /// `documents[i]`.
    pub documents: Vec<DocumentInfo>,
    /// Every paragraph of every document, ordered by document then index.
    pub prints: Vec<ParagraphPrint>,
    /// `prints[doc_starts[d]..doc_starts[d + 1]]` are document `d`'s paragraphs.
    doc_starts: Vec<u32>,
    /// Total bytes of the files read.
    pub bytes: u64,
    /// Per source: the content hash of the bytes read (`None`: not read).
    pub hashes: Vec<Option<u64>>,
    /// How documents were read and segmented, to read them again the same way.
    pub read: ReadOptions,
    /// See `read`.
    pub segment: SegmentOptions,
    /// Documents per source in the whole input, when only part of it was read (`verify`
    /// reads again only the files holding duplicates; the shard manifests count the
    /// rest). `None`: every document was read, count them.
    pub source_documents: Option<std::collections::BTreeMap<String, usize>>,
}

impl Corpus {
    /// An empty corpus over `sources`; documents are then added in source order with
    /// [`Corpus::push_document`].
    pub fn new(sources: Vec<Source>, read: ReadOptions, segment: SegmentOptions) -> Self {
        Corpus {
            hashes: vec![None; sources.len()],
            sources,
            documents: Vec::new(),
            prints: Vec::new(),
            doc_starts: vec![0],
            bytes: 0,
            read,
            segment,
            source_documents: None,
        }
    }

    /// The id the next pushed document gets.
    pub fn next_doc(&self) -> DocId {
        DocId(self.documents.len() as u32)
    }

    /// Appends the next document and its prints (whose `at.doc` must be
    /// [`Corpus::next_doc`]).
    pub fn push_document(&mut self, info: DocumentInfo, prints: &[ParagraphPrint]) {
        debug_assert!(prints.iter().all(|p| p.at.doc == self.next_doc()));
        self.documents.push(info);
        self.prints.extend_from_slice(prints);
        self.doc_starts.push(self.prints.len() as u32);
    }

    /// Number of documents read.
    pub fn document_count(&self) -> usize {
        self.documents.len()
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

    /// The file a document is in.
    pub fn source(&self, doc: DocId) -> &Source {
        &self.sources[self.documents[doc.0 as usize].source as usize]
    }

    /// Reads a document again and calls `each` with the paragraphs whose span is still
    /// the one fingerprinted (a file changed since the scan yields nothing).
    pub fn reread(&self, doc: DocId, mut each: impl FnMut(&Paragraph<'_>)) {
        let info = &self.documents[doc.0 as usize];
        let known = self.doc_prints(doc);
        read_paragraphs_again(
            self.source(doc),
            info.record.as_ref(),
            &self.read,
            self.segment,
            |p| {
                if known
                    .get(p.index as usize)
                    .is_some_and(|k| k.span == p.span)
                {
                    each(p);
                }
            },
        );
    }

    /// Token hashes and sentence starts (`fingerprint::sentence_print`) of the requested
    /// paragraphs of a document, read again from disk (`None` where the file changed or
    /// cannot be read any more).
    pub fn reread_words(
        &self,
        doc: DocId,
        indices: impl Iterator<Item = u32>,
    ) -> Vec<Option<(Vec<u32>, Vec<u32>)>> {
        let mut wanted: Vec<(u32, usize)> = indices.enumerate().map(|(s, i)| (i, s)).collect();
        let mut words = vec![None; wanted.len()];
        wanted.sort_unstable();
        self.reread(doc, |p| {
            let from = wanted.partition_point(|w| w.0 < p.index);
            let slots: Vec<usize> = wanted[from..]
                .iter()
                .take_while(|w| w.0 == p.index)
                .map(|w| w.1)
                .collect();
            if slots.is_empty() {
                return;
            }
            let print = sentence_print(&p.content);
            for slot in slots {
                words[slot] = Some(print.clone());
            }
        });
        words
    }
}

/// Reads and segments one document again, the way the scan did, calling `each` with every
/// paragraph. An unreadable file yields nothing.
pub fn read_paragraphs_again(
    source: &Source,
    record: Option<&Record>,
    read: &ReadOptions,
    segment: SegmentOptions,
    mut each: impl FnMut(&Paragraph<'_>),
) {
    let Ok(document) = ingest::reread(source, record, read) else {
        return;
    };
    for p in segment::segment(&document, segment) {
        each(&p);
    }
}
