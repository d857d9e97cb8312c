//! The one door back to the text. The scan keeps no paragraph text (a print is a few
//! dozen bytes, the text can be megabytes); whoever needs it later — verification,
//! every renderer, `fix`, `check` — reads it here, the way the scan read it: the same
//! decoding, the same record, the same segmentation. Everything else in the crate after
//! fingerprinting sees only prints and spans.

use std::collections::HashMap;

use rayon::prelude::*;

use super::{Corpus, DocId, DocumentInfo, ParagraphPrint};
use crate::error::FileError;
use crate::fingerprint::sentence_print;
use crate::ingest::{self, Document, InputFormat, Record, Source};
use crate::options::{ReadOptions, SegmentOptions};
use crate::segment::{self, Paragraph};
use crate::span::Span;

/// Where the documents of a scan live and how they were read: enough to read any
/// paragraph again. Both the corpus and the finished report lend one out.
#[derive(Clone, Copy)]
pub struct TextReader<'a> {
    /// Every file of the scan.
    pub sources: &'a [Source],
    /// Every document, indexed by [`DocId`].
    pub documents: &'a [DocumentInfo],
    /// How documents were read.
    pub read: &'a ReadOptions,
    /// How they were segmented.
    pub segment: SegmentOptions,
}

/// A reported paragraph's text as read back for a renderer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParagraphText {
    /// The text: the original bytes for text and Markdown, the extracted text for HTML
    /// and feed records (markup and JSON escapes gone).
    pub text: String,
    /// HTML: the element path.
    pub element: Option<String>,
}

/// Text of reported paragraphs, keyed by document and start byte.
pub type Texts = HashMap<(DocId, u64), ParagraphText>;

/// A file read again to be edited: the bytes the scan read, and the documents in them.
pub struct FileText {
    /// The bytes on disk, unchanged since the scan.
    pub original: Vec<u8>,
    /// Its documents, decoded as the scan decoded them.
    pub documents: Vec<Document>,
}

impl<'a> TextReader<'a> {
    /// The door to the documents of a scan, read and segmented as given.
    pub fn new(
        sources: &'a [Source],
        documents: &'a [DocumentInfo],
        read: &'a ReadOptions,
        segment: SegmentOptions,
    ) -> Self {
        TextReader {
            sources,
            documents,
            read,
            segment,
        }
    }

    /// The file a document is in.
    pub fn file(&self, doc: DocId) -> &'a Source {
        &self.sources[self.documents[doc.0 as usize].source as usize]
    }

    /// The feed record a document is, if it is one.
    pub fn record(&self, doc: DocId) -> Option<&'a Record> {
        self.documents[doc.0 as usize].record.as_ref()
    }

    /// Reads and segments one document again, the way the scan did, calling `each` with
    /// every paragraph. An unreadable file yields nothing.
    pub fn paragraphs(&self, doc: DocId, each: impl FnMut(&Paragraph<'_>)) {
        paragraphs_of(
            self.file(doc),
            self.record(doc),
            self.read,
            self.segment,
            each,
        );
    }

    /// The paragraphs of a document decoded from a file read with [`TextReader::edit`].
    pub fn segment<'d>(&self, document: &'d Document) -> Vec<Paragraph<'d>> {
        segment::segment(document, self.segment)
    }

    /// Reads file `source` again for editing, if its bytes still hash to `scanned`
    /// (`Ok(None)`: it changed since the scan).
    pub fn edit(&self, source: usize, scanned: Option<u64>) -> Result<Option<FileText>, FileError> {
        let file = &self.sources[source];
        let original = file
            .bytes()
            .map_err(|err| FileError::io(&file.shown_path, &err))?;
        if scanned != Some(ingest::content_hash(&original)) {
            return Ok(None);
        }
        let read = ingest::read_bytes(file, original.clone(), self.read)?;
        Ok(Some(FileText {
            original,
            documents: read.documents,
        }))
    }

    /// Reads the text at `spans` back from disk, each document once and documents in
    /// parallel. Renderers ask for a batch of findings at a time, so memory stays bounded
    /// by the batch, not by the report.
    pub fn texts(&self, spans: impl Iterator<Item = (DocId, Span)>) -> Texts {
        let mut wanted: Vec<(DocId, Span)> = spans.collect();
        wanted.sort_unstable();
        wanted.dedup();
        let by_doc: Vec<&[(DocId, Span)]> = wanted.chunk_by(|a, b| a.0 == b.0).collect();
        by_doc
            .par_iter()
            .flat_map_iter(|spans| self.doc_texts(spans))
            .collect()
    }

    /// Text of some paragraphs of one document: byte slices of plain text and Markdown,
    /// the segmenter's text for HTML and records.
    fn doc_texts(&self, spans: &[(DocId, Span)]) -> Vec<((DocId, u64), ParagraphText)> {
        let doc = spans[0].0;
        let source = self.file(doc);
        let record = self.record(doc);
        if record.is_none() && matches!(source.format, InputFormat::Text | InputFormat::Markdown) {
            let raw = source.bytes().unwrap_or_default();
            return spans
                .iter()
                .map(|&(doc, span)| {
                    let bytes = raw
                        .get(span.start as usize..span.end as usize)
                        .unwrap_or_default();
                    let text = String::from_utf8_lossy(bytes).into_owned();
                    (
                        (doc, span.start),
                        ParagraphText {
                            text,
                            element: None,
                        },
                    )
                })
                .collect();
        }
        let mut found = Vec::with_capacity(spans.len());
        self.paragraphs(doc, |p| {
            if spans.binary_search(&(doc, p.span)).is_ok() {
                let text = ParagraphText {
                    text: p.content.to_string(),
                    element: p.element.clone(),
                };
                found.push(((doc, p.span.start), text));
            }
        });
        found
    }
}

impl Corpus {
    /// The door to this corpus's text.
    pub fn text(&self) -> TextReader<'_> {
        TextReader::new(&self.sources, &self.documents, &self.read, self.segment)
    }

    /// Reads a document again and calls `each` with the paragraphs whose span is still
    /// the one fingerprinted (a file changed since the scan yields nothing).
    pub fn reread(&self, doc: DocId, mut each: impl FnMut(&Paragraph<'_>)) {
        let known: &[ParagraphPrint] = self.doc_prints(doc);
        self.text().paragraphs(doc, |p| {
            if known
                .get(p.index as usize)
                .is_some_and(|k| k.span == p.span)
            {
                each(p);
            }
        });
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

fn paragraphs_of(
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
