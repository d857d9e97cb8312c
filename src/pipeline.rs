//! The run: discover the files, then read → segment → normalize → fingerprint them in
//! parallel, a chunk of files at a time, into the corpus's flat print table; then match,
//! classify and suggest. `scan`, `check`, `index` and the shards all fingerprint through
//! here, so a paragraph's print and the rule for which paragraphs are long enough to
//! compare are written once ([`PrintRules`]).

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use rayon::prelude::*;

use crate::corpus::{self, Corpus, DocId, ParaRef, ParagraphPrint};
use crate::error::{Error, FileError, FileWarning, Result};
use crate::fingerprint::{self, BandKeys, Fingerprint, MinHasher};
use crate::ingest::{self, Source};
use crate::options::ScanOptions;
use crate::report::{self, Report};
use crate::segment::{self, Paragraph};
use crate::{allow, classify, matching, normalize, suggest};

/// What `paradup verify` brings from the distributed join in place of the candidate
/// search: the files worth reading again and the candidate pairs.
pub(crate) struct External {
    /// Files (as shown in reports) holding a duplicated or candidate paragraph.
    pub files: HashSet<String>,
    /// Candidate pairs of texts, by exact fingerprint.
    pub pairs: Vec<(Fingerprint, Fingerprint)>,
    /// Documents per source in the whole input (the boilerplate rule's shares).
    pub source_documents: std::collections::BTreeMap<String, usize>,
}

/// The pipeline of [`scan`]; with `external`, only its files are read and its pairs
/// replace locality-sensitive hashing.
pub(crate) fn run(
    inputs: &[PathBuf],
    opts: &ScanOptions,
    external: Option<&External>,
) -> Result<Report> {
    validate(opts)?;
    let started = Instant::now();
    let mut stages = Vec::new();
    let mut lap = Instant::now();
    let mut stage = |name: &'static str| {
        stages.push((name, lap.elapsed().as_secs_f64() * 1000.0));
        lap = Instant::now();
    };

    let (mut sources, mut errors) = ingest::discover(inputs, &opts.walk)?; // sorted: stable ids
    if let Some(external) = external {
        sources.retain(|s| external.files.contains(&s.shown_path));
    }
    stage("discover");
    let hasher = MinHasher::new();
    let seen = SeenTexts::default();
    let bands_for = match external {
        None => Bands::Distinct(&seen),
        Some(_) => Bands::Skip,
    };
    let mut warnings = Vec::new();
    let mut bands: Vec<(Fingerprint, BandKeys)> = Vec::new();
    let mut drift = Vec::new();
    let mut corpus = Corpus::new(sources, opts.read.clone(), opts.segment);
    corpus.source_documents = external.map(|e| e.source_documents.clone());
    if let Some(progress) = &opts.progress {
        progress
            .total
            .store(corpus.sources.len(), std::sync::atomic::Ordering::Relaxed);
    }
    // Document ids are given in source order as files come back, so they do not depend
    // on scheduling.
    let sources = std::mem::take(&mut corpus.sources);
    fingerprint_files(
        &sources,
        |source| source,
        &hasher,
        bands_for,
        opts,
        |k, _, file| -> std::result::Result<(), std::convert::Infallible> {
            match file {
                Ok(file) => {
                    corpus.bytes += file.bytes;
                    corpus.hashes[k] = Some(file.hash);
                    warnings.extend(file.warnings);
                    errors.extend(file.errors);
                    for mut doc in file.documents {
                        let id = corpus.next_doc();
                        for p in &mut doc.prints {
                            p.at.doc = id;
                        }
                        bands.extend(doc.bands);
                        drift.extend(doc.drift.into_iter().map(|(index, approved, similarity)| {
                            (ParaRef { doc: id, index }, approved, similarity)
                        }));
                        let info = corpus::DocumentInfo {
                            source: k as u32,
                            record: doc.record,
                        };
                        corpus.push_document(info, &doc.prints);
                    }
                }
                Err(err) => errors.push(err),
            }
            Ok(())
        },
    )
    .unwrap_or_else(|never| match never {});
    corpus.sources = sources;
    stage("read+segment+normalize+fingerprint");
    // `verify` reads only the files holding duplicates: it cannot tell an unused entry.
    if external.is_none() {
        warnings.extend(unused_allow_entries(&corpus, &drift, &opts.matching.allow));
    }
    bands.sort_unstable_by_key(|(fp, _)| *fp);

    let groups = match external {
        None => matching::find(&corpus, bands, &opts.matching),
        Some(external) => matching::find_among(&corpus, &external.pairs, &opts.matching),
    };
    stage("match");
    let classified = classify::classify(&corpus, &groups, &opts.matching, &opts.classify);
    stage("classify");
    let suggestions = suggest::suggest(&corpus, &classified, &opts.suggest);
    stage("suggest");
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    let mut report = Report::build(
        &corpus,
        report::Parts {
            classified,
            suggestions,
            errors,
            warnings,
            settings: report::Settings {
                threshold: opts.matching.threshold,
                min_words: opts.matching.min_words,
                exact_only: opts.matching.exact_only,
            },
            candidate_pairs: groups.candidates,
            drift,
        },
    );
    stage("report");
    report.timing = report::Timing {
        stages,
        total_ms: started.elapsed().as_secs_f64() * 1000.0,
    };
    Ok(report)
}

/// A warning for each allowlist entry no paragraph of the scan equals or drifted from.
fn unused_allow_entries(
    corpus: &Corpus,
    drift: &[(ParaRef, allow::Approved, f64)],
    allow: &allow::Allowlist,
) -> Vec<FileWarning> {
    if allow.is_empty() {
        return Vec::new();
    }
    let matched: HashSet<Fingerprint> = corpus
        .prints
        .iter()
        .filter(|p| p.allowed)
        .map(|p| p.exact)
        .chain(drift.iter().map(|(_, approved, _)| approved.fingerprint))
        .collect();
    allow
        .unused(&matched)
        .map(|entry| FileWarning {
            path: allow.origin.clone(),
            line: None,
            warning: format!(
                "allow entry \"{}\" matched no paragraph of this scan (remove it if it is stale)",
                entry.name
            ),
        })
        .collect()
}

fn validate(opts: &ScanOptions) -> Result<()> {
    let t = opts.matching.threshold;
    if !(t > 0.0 && t <= 1.0) {
        return Err(Error::InvalidSetting {
            setting: "threshold",
            reason: format!("{t} is not in (0, 1]; try 0.7"),
        });
    }
    if opts.matching.min_words == 0 {
        return Err(Error::InvalidSetting {
            setting: "min_words",
            reason: "must be at least 1".to_string(),
        });
    }
    Ok(())
}

/// Files fingerprinted per parallel batch (bounds the transient per-document memory).
pub(crate) const FILES_PER_CHUNK: usize = 512;

/// What one file contributes after the per-document stages.
pub(crate) struct FilePrints {
    pub documents: Vec<DocPrints>,
    pub bytes: u64,
    pub hash: u64,
    pub warnings: Vec<FileWarning>,
    pub errors: Vec<FileError>,
}

/// What one document contributes.
pub(crate) struct DocPrints {
    /// Prints with a placeholder document id (set when the document gets its id).
    pub prints: Vec<ParagraphPrint>,
    /// Band keys of long paragraphs whose text no other document had contributed yet.
    pub bands: Vec<(Fingerprint, BandKeys)>,
    /// Paragraphs (by index) that drifted from an approved text, and how similar they are.
    drift: Vec<(u32, allow::Approved, f64)>,
    /// First lines of the paragraphs over `--max-paragraph-bytes`, left out of matching.
    oversized: Vec<u32>,
    pub record: Option<ingest::Record>,
}

/// Which long paragraphs get MinHash band keys.
#[derive(Clone, Copy)]
pub(crate) enum Bands<'a> {
    /// One per distinct text (`scan`: the candidate search needs each text once).
    Distinct(&'a SeenTexts),
    /// Every long paragraph (`fingerprint`: each shard row carries its own).
    Every,
    /// None (`verify`: the candidates come from the join).
    Skip,
}

/// Fingerprints of long texts whose band keys are already computed, so each distinct
/// text is hashed into a MinHash signature once. Sharded to keep lock contention negligible. Which document
/// gets there first varies with scheduling, but the keys of a text do not, so results
/// stay deterministic.
pub(crate) struct SeenTexts {
    shards: Vec<Mutex<HashSet<[u64; 2]>>>,
}

impl Default for SeenTexts {
    fn default() -> Self {
        SeenTexts {
            shards: (0..64).map(|_| Mutex::new(HashSet::new())).collect(),
        }
    }
}

impl SeenTexts {
    /// Records `fp`; true if it was new.
    fn insert(&self, fp: Fingerprint) -> bool {
        let shard = &self.shards[(fp.0[0] >> 58) as usize];
        shard
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(fp.0)
    }
}

/// read → segment → normalize → fingerprint, for one file. Its text is dropped on
/// return; only prints and band keys are kept. The records of a large feed are
/// fingerprinted in parallel.
pub(crate) fn fingerprint_file(
    source: &Source,
    hasher: &MinHasher,
    bands: Bands<'_>,
    opts: &ScanOptions,
) -> std::result::Result<FilePrints, FileError> {
    let read = ingest::read(source, &opts.read)?;
    let documents: Vec<DocPrints> = if read.documents.len() > 1 {
        read.documents
            .into_par_iter()
            .map(|doc| fingerprint_document(doc, hasher, bands, opts))
            .collect()
    } else {
        read.documents
            .into_iter()
            .map(|doc| fingerprint_document(doc, hasher, bands, opts))
            .collect()
    };
    let mut warnings = read.warnings;
    let limit = opts.segment.max_paragraph_bytes;
    for line in documents.iter().flat_map(|d| &d.oversized) {
        warnings.push(
            FileWarning::new(
                &source.shown_path,
                format!("paragraph over --max-paragraph-bytes ({limit} bytes), not compared"),
            )
            .at_line(*line),
        );
    }
    Ok(FilePrints {
        documents,
        bytes: read.bytes,
        hash: read.hash,
        warnings,
        errors: read.errors,
    })
}

/// segment → normalize → fingerprint, for one document.
fn fingerprint_document(
    document: ingest::Document,
    hasher: &MinHasher,
    bands_for: Bands<'_>,
    opts: &ScanOptions,
) -> DocPrints {
    let paragraphs = segment::segment(&document, opts.segment);
    let rules = PrintRules {
        min_words: opts.matching.min_words,
        allow: &opts.matching.allow,
    };
    let mut prints = Vec::with_capacity(paragraphs.len());
    let mut bands = Vec::new();
    let mut drift = Vec::new();
    let mut word_hashes = Vec::new();
    let mut oversized = Vec::new();
    for paragraph in &paragraphs {
        if paragraph.oversized {
            oversized.push(paragraph.lines.start);
        }
        let allow = &opts.matching.allow;
        // Word hashes feed MinHash (near matching, drift); exact-only scans just count.
        let need_hashes = !opts.matching.exact_only || !allow.is_empty();
        word_hashes.clear();
        let Printed {
            exact,
            words,
            allowed,
            long,
        } = rules.print(paragraph, need_hashes.then_some(&mut word_hashes));
        let drift_check = long && !allow.is_empty();
        let new_text = long
            && !opts.matching.exact_only
            && match bands_for {
                Bands::Distinct(seen) => seen.insert(exact),
                Bands::Every => true,
                Bands::Skip => false,
            };
        if new_text || drift_check {
            let keys = hasher.signature(&word_hashes).band_keys();
            if drift_check {
                let threshold = opts.matching.threshold;
                for (approved, similarity) in allow.drift(&word_hashes, &keys, threshold) {
                    drift.push((paragraph.index, approved.clone(), similarity));
                }
            }
            if new_text {
                bands.push((exact, keys));
            }
        }
        prints.push(ParagraphPrint {
            at: ParaRef {
                doc: DocId(u32::MAX),
                index: paragraph.index,
            },
            span: paragraph.span,
            lines: paragraph.lines,
            kind: paragraph.kind,
            chrome: paragraph.chrome,
            words: u32::try_from(words).unwrap_or(u32::MAX),
            exact,
            allowed,
        });
    }
    drop(paragraphs);
    DocPrints {
        prints,
        bands,
        drift,
        oversized,
        record: document.record,
    }
}

/// Which paragraphs are compared at all: the allowlist and the length rule, as scan,
/// check and the index apply them.
pub(crate) struct PrintRules<'a> {
    /// Paragraphs shorter than this (in words) are never duplicate candidates.
    pub min_words: usize,
    /// Approved texts: never duplicate candidates.
    pub allow: &'a allow::Allowlist,
}

/// What [`PrintRules::print`] computes for one paragraph.
pub(crate) struct Printed {
    /// Hash of the normalized text.
    pub exact: Fingerprint,
    /// Length in words (`normalize::word_count`).
    pub words: usize,
    /// Excluded by a marker or on the allowlist.
    pub allowed: bool,
    /// Long enough, editorial and not allowed: compared with other texts.
    pub long: bool,
}

impl PrintRules<'_> {
    /// The print of one paragraph. With `word_hashes`, its token hashes are appended
    /// there (MinHash, verification, drift); without, words are only counted.
    pub fn print(&self, paragraph: &Paragraph<'_>, word_hashes: Option<&mut Vec<u32>>) -> Printed {
        let normalized = normalize::normalize(&paragraph.content);
        let exact = Fingerprint::of(&normalized);
        let words = match word_hashes {
            Some(out) => fingerprint::token_hashes(&normalized, out),
            None => normalize::word_count(&normalized),
        };
        let allowed = paragraph.excluded() || self.allow.allows(exact);
        Printed {
            exact,
            words,
            allowed,
            long: corpus::is_long(words, paragraph.kind, self.min_words) && !allowed,
        }
    }
}

/// Fingerprints `files` in parallel, [`FILES_PER_CHUNK`] at a time, handing each file's
/// prints to `each` in order (with its index in `files`), so the per-document vectors of
/// only one chunk exist at once and what `each` builds does not depend on scheduling.
pub(crate) fn fingerprint_files<T: Sync, E>(
    files: &[T],
    source: impl Fn(&T) -> &Source + Sync,
    hasher: &MinHasher,
    bands: Bands<'_>,
    opts: &ScanOptions,
    mut each: impl FnMut(
        usize,
        &T,
        std::result::Result<FilePrints, FileError>,
    ) -> std::result::Result<(), E>,
) -> std::result::Result<(), E> {
    for (c, chunk) in files.chunks(FILES_PER_CHUNK).enumerate() {
        let prints: Vec<std::result::Result<FilePrints, FileError>> = chunk
            .par_iter()
            .map(|file| {
                let prints = fingerprint_file(source(file), hasher, bands, opts);
                if let Some(progress) = &opts.progress {
                    progress
                        .done
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
                prints
            })
            .collect();
        for (i, (file, result)) in chunk.iter().zip(prints).enumerate() {
            each(c * FILES_PER_CHUNK + i, file, result)?;
        }
    }
    Ok(())
}
