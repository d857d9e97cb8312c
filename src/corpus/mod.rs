//! The scanned corpus as later stages see it: the files, the documents (articles) they
//! hold, and the compact print of every paragraph, in document order. No paragraph text is
//! held; [`text`] is the one door back to it, for verification, reports, `fix` and
//! `check` alike.

pub mod text;

use crate::fingerprint::Fingerprint;
pub use crate::ingest::{Record, Source};

use crate::ingest;
use crate::options::{ReadOptions, SegmentOptions};
use crate::segment::BlockKind;
use crate::span::{LineRange, Span};

/// Index of a document (an article: a file, or one record of a feed) in scan order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId(pub u32);

/// The compact handle later stages pass around: document and paragraph index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParaRef {
    /// The document.
    pub doc: DocId,
    /// 0-based paragraph index in it.
    pub index: u32,
}

/// Everything matching and reporting need to know about one paragraph, without its text.
#[derive(Clone, Copy, Debug)]
pub struct ParagraphPrint {
    /// Where it is.
    pub at: ParaRef,
    /// Bytes on disk.
    pub span: Span,
    /// Lines on disk.
    pub lines: LineRange,
    /// Block kind (headings are never editorial duplicates).
    pub kind: BlockKind,
    /// Page chrome (HTML navigation, header, footer, share widgets), not article body.
    pub chrome: bool,
    /// Number of words in the normalized text.
    pub words: u32,
    /// Hash of the normalized text.
    pub exact: Fingerprint,
    /// On the allowlist: never a duplicate candidate.
    pub allowed: bool,
}

/// A paragraph's place in [`Corpus::prints`]: the handle classify, suggest and report
/// pass between them for a paragraph (document ids and paragraph indices are [`ParaRef`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PrintId(pub u32);

/// The long-paragraph rule, the one place it is written: an editorial paragraph of at
/// least `min_words` words is compared with other texts (near duplicates, the index);
/// shorter ones and headings can still repeat exactly, and be boilerplate.
pub fn is_long(words: usize, kind: BlockKind, min_words: usize) -> bool {
    words >= min_words && kind.is_editorial()
}

impl ParagraphPrint {
    /// [`is_long`] for this paragraph.
    pub fn is_long(&self, min_words: usize) -> bool {
        is_long(self.words as usize, self.kind, min_words)
    }

    /// Whether the paragraph can be reported as a duplicate at all (allowlisted ones
    /// cannot). Headings are candidates, but only ever as boilerplate.
    pub fn is_candidate(&self) -> bool {
        !self.allowed
    }
}

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
    pub fn print_index(&self, at: ParaRef) -> PrintId {
        PrintId(self.doc_starts[at.doc.0 as usize] + at.index)
    }

    /// The print of a paragraph.
    pub fn print(&self, id: PrintId) -> &ParagraphPrint {
        &self.prints[id.0 as usize]
    }

    /// The file a document is in.
    pub fn source(&self, doc: DocId) -> &Source {
        &self.sources[self.documents[doc.0 as usize].source as usize]
    }
}
