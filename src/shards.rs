//! Beyond one machine: fingerprint shards in Parquet for a distributed join, and the
//! verification of the candidates the join sends back.
//!
//! ```text
//! paradup fingerprint ROOT --out SHARDS --shard I/N     (on N machines: ingest → fingerprint)
//! spark-submit scale/spark_join.py SHARDS CANDIDATES    (exact groups, LSH buckets, pairs)
//! paradup verify --candidates CANDIDATES                (verify → classify → suggest → report)
//! ```
//!
//! paradup keeps what it is best at (reading, segmenting, fingerprinting, verifying,
//! reporting) and hands the one step that does not fit a machine, the join of band keys
//! across billions of paragraphs, to an engine built for it. The shard schema and the
//! join's rules are written down in `scale/README.md`; the join reproduces
//! [`crate::matching::lsh`] exactly, so `verify` reports what `scan` would.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::Field;
use parquet::schema::parser::parse_message_type;
use serde::{Deserialize, Serialize};

use crate::error::{Error, FileError, FileWarning, Result};
use crate::fingerprint::{Fingerprint, MinHasher};
use crate::ingest;
use crate::matching::MAX_NEAR_WORDS;
use crate::options::ScanOptions;
use crate::pipeline::{Bands, External, FilePrints, fingerprint_files};
use crate::report::Report;

/// One row per paragraph occurrence. `bands` is empty unless the paragraph takes part in
/// near matching (long enough, a candidate kind, not allowlisted).
const SCHEMA: &str = "
message paragraph {
  REQUIRED INT32 file;
  REQUIRED BYTE_ARRAY path (UTF8);
  REQUIRED INT32 doc;
  OPTIONAL BYTE_ARRAY record (UTF8);
  REQUIRED INT32 paragraph;
  REQUIRED INT32 start_line;
  REQUIRED INT32 end_line;
  REQUIRED INT64 start_byte;
  REQUIRED INT64 end_byte;
  REQUIRED INT32 words;
  REQUIRED BYTE_ARRAY fingerprint (UTF8);
  REQUIRED BOOLEAN candidate;
  REQUIRED BOOLEAN chrome;
  REQUIRED BYTE_ARRAY kind (UTF8);
  REQUIRED group bands (LIST) {
    REPEATED group list {
      REQUIRED INT32 element;
    }
  }
}
";

/// Rows buffered before a row group is written (bounds memory on a large shard).
const ROWS_PER_GROUP: usize = 200_000;

/// Which part of the input one machine fingerprints: file `k` of the sorted discovery
/// order belongs to shard `k % count`, so every machine that walks the same tree agrees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 0-based shard number.
    pub index: usize,
    /// How many shards there are.
    pub count: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// `I/N`, 0-based: `0/4` … `3/4`.
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("{s:?} is not I/N (e.g. 0/4)"))?;
        let index: usize = i
            .trim()
            .parse()
            .map_err(|_| format!("{i:?} is not a number"))?;
        let count: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("{n:?} is not a number"))?;
        if count == 0 || index >= count {
            return Err(format!(
                "shard {index} of {count}: I must be below N (0-based)"
            ));
        }
        Ok(Shard { index, count })
    }
}

/// What a shard holds, written next to it as `shard-I-of-N.json`; the join copies all of
/// them into the candidates folder for `verify`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// Manifest format version.
    pub version: u32,
    /// 0-based shard number.
    pub shard: usize,
    /// How many shards there are.
    pub shards: usize,
    /// The `fingerprint` arguments other than `--out` and `--shard`: the inputs and every
    /// option, so `verify` reads the files exactly as they were fingerprinted.
    pub args: Vec<String>,
    /// Files in this shard.
    pub files: usize,
    /// Documents read (a feed record is one).
    pub documents: usize,
    /// Documents read per source (site, outlet): the boilerplate rule weighs a text by
    /// the share of its source's documents it is on, and `verify` reads only some of them.
    pub sources: BTreeMap<String, usize>,
    /// Paragraphs written.
    pub paragraphs: usize,
    /// Bytes read.
    pub bytes: u64,
    /// Files or records that could not be read.
    pub errors: Vec<FileError>,
    /// Warnings about files that were read.
    pub warnings: Vec<FileWarning>,
}

const MANIFEST_VERSION: u32 = 2;

impl Manifest {
    /// The manifest of a shard not yet read.
    fn new(shard: Shard, args: Vec<String>) -> Self {
        Manifest {
            version: MANIFEST_VERSION,
            shard: shard.index,
            shards: shard.count,
            args,
            files: 0,
            documents: 0,
            sources: BTreeMap::new(),
            paragraphs: 0,
            bytes: 0,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

fn shards_error(path: &Path, reason: impl std::fmt::Display) -> Error {
    Error::Shards {
        path: path.display().to_string(),
        reason: reason.to_string(),
    }
}

/// Fingerprints this machine's shard of `inputs` into `out/shard-I-of-N.parquet` (and
/// its manifest). `args` is recorded for `verify`.
pub fn fingerprint(
    inputs: &[PathBuf],
    opts: &ScanOptions,
    shard: Shard,
    out: &Path,
    args: Vec<String>,
) -> Result<Manifest> {
    let (sources, errors) = ingest::discover(inputs, &opts.walk)?;
    std::fs::create_dir_all(out).map_err(|e| shards_error(out, e))?;
    let name = format!("shard-{}-of-{}", shard.index, shard.count);
    let parquet_path = out.join(format!("{name}.parquet"));
    let mut manifest = Manifest::new(shard, args);
    // Discovery errors (a missing path) belong to every shard's run; shard 0 reports them.
    if shard.index == 0 {
        manifest.errors = errors;
    }
    let mine: Vec<(usize, &ingest::Source)> = sources
        .iter()
        .enumerate()
        .filter(|(k, _)| k % shard.count == shard.index)
        .collect();
    manifest.files = mine.len();

    let temporary = out.join(format!(".{name}.parquet.partial"));
    let file = File::create(&temporary).map_err(|e| shards_error(&temporary, e))?;
    let mut writer = ShardWriter::new(file).map_err(|e| shards_error(&temporary, e))?;
    let hasher = MinHasher::new();
    fingerprint_files(
        &mine,
        |&(_, source)| source,
        &hasher,
        Bands::Every,
        opts,
        |_, &(k, source), file| {
            match file {
                Ok(file) => {
                    writer.add_file(k, &source.shown_path, &file, opts.matching.exact_only);
                    manifest.bytes += file.bytes;
                    manifest.documents += file.documents.len();
                    for document in &file.documents {
                        let site = ingest::site_of(document.record.as_ref(), source);
                        *manifest.sources.entry(site.to_string()).or_default() += 1;
                    }
                    manifest.paragraphs +=
                        file.documents.iter().map(|d| d.prints.len()).sum::<usize>();
                    manifest.errors.extend(file.errors);
                    manifest.warnings.extend(file.warnings);
                }
                Err(err) => manifest.errors.push(err),
            }
            if writer.rows() >= ROWS_PER_GROUP {
                writer.flush().map_err(|e| shards_error(&temporary, e))?;
            }
            Ok(())
        },
    )?;
    writer.close().map_err(|e| shards_error(&temporary, e))?;
    std::fs::rename(&temporary, &parquet_path).map_err(|e| shards_error(&parquet_path, e))?;
    let manifest_path = out.join(format!("{name}.json"));
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| shards_error(&manifest_path, e))?;
    crate::atomic::write_atomically(&manifest_path, None, |w| w.write_all(&json))
        .map_err(|e| shards_error(&manifest_path, e))?;
    Ok(manifest)
}

/// Column buffers of the rows not yet written.
#[derive(Default)]
struct Columns {
    file: Vec<i32>,
    path: Vec<ByteArray>,
    doc: Vec<i32>,
    record: Vec<ByteArray>,
    record_defined: Vec<i16>,
    paragraph: Vec<i32>,
    start_line: Vec<i32>,
    end_line: Vec<i32>,
    start_byte: Vec<i64>,
    end_byte: Vec<i64>,
    words: Vec<i32>,
    fingerprint: Vec<ByteArray>,
    candidate: Vec<bool>,
    chrome: Vec<bool>,
    kind: Vec<ByteArray>,
    bands: Vec<i32>,
    bands_defined: Vec<i16>,
    bands_repeated: Vec<i16>,
}

struct ShardWriter {
    writer: SerializedFileWriter<File>,
    columns: Columns,
}

/// Reinterprets a band key's bits, as Parquet has no unsigned 32-bit physical type.
fn key_bits(key: u32) -> i32 {
    i32::from_ne_bytes(key.to_ne_bytes())
}

fn int32(value: impl TryInto<i32>) -> i32 {
    value.try_into().unwrap_or(i32::MAX)
}

fn int64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl ShardWriter {
    fn new(file: File) -> parquet::errors::Result<Self> {
        let schema = Arc::new(parse_message_type(SCHEMA)?);
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .build(),
        );
        Ok(ShardWriter {
            writer: SerializedFileWriter::new(file, schema, props)?,
            columns: Columns::default(),
        })
    }

    fn rows(&self) -> usize {
        self.columns.file.len()
    }

    /// Buffers the rows of one file (file `k` of the discovery order).
    fn add_file(&mut self, k: usize, path: &str, file: &FilePrints, exact_only: bool) {
        let c = &mut self.columns;
        for (d, doc) in file.documents.iter().enumerate() {
            let keys: HashMap<Fingerprint, &crate::fingerprint::BandKeys> =
                doc.bands.iter().map(|(fp, keys)| (*fp, keys)).collect();
            for print in &doc.prints {
                c.file.push(int32(k));
                c.path.push(ByteArray::from(path));
                c.doc.push(int32(d));
                match &doc.record {
                    Some(record) => {
                        c.record.push(ByteArray::from(record.id.as_str()));
                        c.record_defined.push(1);
                    }
                    None => c.record_defined.push(0),
                }
                c.paragraph.push(int32(print.at.index));
                c.start_line.push(int32(print.lines.start));
                c.end_line.push(int32(print.lines.end));
                c.start_byte.push(int64(print.span.start));
                c.end_byte.push(int64(print.span.end));
                c.words.push(int32(print.words));
                c.fingerprint
                    .push(ByteArray::from(print.exact.to_string().as_str()));
                c.candidate.push(print.is_candidate());
                c.chrome.push(print.chrome);
                c.kind.push(ByteArray::from(print.kind.name()));
                let eligible = !exact_only
                    && print.kind.is_editorial()
                    && print.words as usize <= MAX_NEAR_WORDS;
                if let Some(keys) = keys.get(&print.exact).filter(|_| eligible) {
                    for (i, &key) in keys.keys().iter().enumerate() {
                        c.bands.push(key_bits(key));
                        c.bands_defined.push(1);
                        c.bands_repeated.push(i16::from(i > 0));
                    }
                } else {
                    // An empty list: one level entry, no value.
                    c.bands_defined.push(0);
                    c.bands_repeated.push(0);
                }
            }
        }
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> parquet::errors::Result<()> {
        if self.rows() == 0 {
            return Ok(());
        }
        let c = std::mem::take(&mut self.columns);
        let mut group = self.writer.next_row_group()?;
        let mut column = 0;
        while let Some(mut writer) = group.next_column()? {
            match column {
                0 => write_i32(&mut writer, &c.file)?,
                1 => write_bytes(&mut writer, &c.path, None)?,
                2 => write_i32(&mut writer, &c.doc)?,
                3 => write_bytes(&mut writer, &c.record, Some(&c.record_defined))?,
                4 => write_i32(&mut writer, &c.paragraph)?,
                5 => write_i32(&mut writer, &c.start_line)?,
                6 => write_i32(&mut writer, &c.end_line)?,
                7 => write_i64(&mut writer, &c.start_byte)?,
                8 => write_i64(&mut writer, &c.end_byte)?,
                9 => write_i32(&mut writer, &c.words)?,
                10 => write_bytes(&mut writer, &c.fingerprint, None)?,
                11 => write_bool(&mut writer, &c.candidate)?,
                12 => write_bool(&mut writer, &c.chrome)?,
                13 => write_bytes(&mut writer, &c.kind, None)?,
                _ => {
                    writer.typed::<Int32Type>().write_batch(
                        &c.bands,
                        Some(&c.bands_defined),
                        Some(&c.bands_repeated),
                    )?;
                }
            }
            writer.close()?;
            column += 1;
        }
        group.close()?;
        Ok(())
    }

    fn close(mut self) -> parquet::errors::Result<()> {
        self.flush()?;
        self.writer.close()?;
        Ok(())
    }
}

type ColumnWriter<'a> = parquet::file::writer::SerializedColumnWriter<'a>;

fn write_i32(w: &mut ColumnWriter<'_>, values: &[i32]) -> parquet::errors::Result<()> {
    w.typed::<Int32Type>()
        .write_batch(values, None, None)
        .map(drop)
}

fn write_i64(w: &mut ColumnWriter<'_>, values: &[i64]) -> parquet::errors::Result<()> {
    w.typed::<Int64Type>()
        .write_batch(values, None, None)
        .map(drop)
}

fn write_bool(w: &mut ColumnWriter<'_>, values: &[bool]) -> parquet::errors::Result<()> {
    w.typed::<BoolType>()
        .write_batch(values, None, None)
        .map(drop)
}

fn write_bytes(
    w: &mut ColumnWriter<'_>,
    values: &[ByteArray],
    defined: Option<&[i16]>,
) -> parquet::errors::Result<()> {
    w.typed::<ByteArrayType>()
        .write_batch(values, defined, None)
        .map(drop)
}

// ---------------------------------------------------------------------------------------
// The way back: the join's candidates.

/// What the distributed join wrote into a candidates folder.
pub struct Candidates {
    /// The manifests of every shard, in shard order.
    pub manifests: Vec<Manifest>,
    /// Files (shown paths) holding a duplicated or candidate paragraph.
    pub files: HashSet<String>,
    /// Candidate pairs of distinct texts.
    pub pairs: Vec<(Fingerprint, Fingerprint)>,
    /// Oversized LSH buckets: (band, key, size, first text) — families of near-identical
    /// lines, boilerplate by definition.
    pub oversized_buckets: usize,
}

/// Reads a candidates folder; every shard's manifest must be there, with the same
/// arguments.
pub fn read_candidates(dir: &Path) -> Result<Candidates> {
    let manifest_path = dir.join("manifest.json");
    let text = std::fs::read(&manifest_path).map_err(|e| {
        shards_error(
            &manifest_path,
            format!("{e} (is this the CANDIDATES_DIR the join wrote?)"),
        )
    })?;
    let mut manifests: Vec<Manifest> =
        serde_json::from_slice(&text).map_err(|e| shards_error(&manifest_path, e))?;
    manifests.sort_by_key(|m| m.shard);
    check_manifests(&manifests).map_err(|reason| shards_error(&manifest_path, reason))?;
    let files = read_rows(&dir.join("files"), &["path"])?
        .into_iter()
        .map(|mut row| row.swap_remove(0))
        .collect();
    let pairs = read_rows(&dir.join("pairs"), &["a", "b"])?
        .into_iter()
        .map(|row| {
            let a = Fingerprint::parse_hex(&row[0]);
            let b = Fingerprint::parse_hex(&row[1]);
            a.zip(b).ok_or_else(|| {
                shards_error(
                    &dir.join("pairs"),
                    format!("not a fingerprint pair: {row:?}"),
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let oversized_dir = dir.join("oversized_buckets");
    let oversized_buckets = if oversized_dir.exists() {
        read_rows(&oversized_dir, &["first_fingerprint"])?.len()
    } else {
        0
    };
    Ok(Candidates {
        manifests,
        files,
        pairs,
        oversized_buckets,
    })
}

/// Every shard 0..N once, all fingerprinted with the same arguments.
fn check_manifests(manifests: &[Manifest]) -> std::result::Result<(), String> {
    let Some(first) = manifests.first() else {
        return Err("no shard manifests".to_string());
    };
    for m in manifests {
        if m.version != MANIFEST_VERSION {
            return Err(format!(
                "shard {} has manifest version {}, this paradup reads {MANIFEST_VERSION}",
                m.shard, m.version
            ));
        }
        if m.shards != first.shards || m.args != first.args {
            return Err(format!(
                "shard {} was fingerprinted with other arguments or shard count than shard {}",
                m.shard, first.shard
            ));
        }
    }
    let have: Vec<usize> = manifests.iter().map(|m| m.shard).collect();
    let want: Vec<usize> = (0..first.shards).collect();
    if have != want {
        return Err(format!(
            "shards {have:?} present, {want:?} expected (each of 0..{} once)",
            first.shards
        ));
    }
    Ok(())
}

/// The string columns `names` of every row of the Parquet files in `dir` (a Spark output
/// folder of `part-*.parquet`, or one file).
fn read_rows(dir: &Path, names: &[&str]) -> Result<Vec<Vec<String>>> {
    let mut paths: Vec<PathBuf> = if dir.is_dir() {
        std::fs::read_dir(dir)
            .map_err(|e| shards_error(dir, e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
            .collect()
    } else {
        vec![dir.to_path_buf()]
    };
    paths.sort();
    let mut rows = Vec::new();
    for path in paths {
        let file = File::open(&path).map_err(|e| shards_error(&path, e))?;
        let reader = SerializedFileReader::new(file).map_err(|e| shards_error(&path, e))?;
        let iter = reader
            .get_row_iter(None)
            .map_err(|e| shards_error(&path, e))?;
        for row in iter {
            let row = row.map_err(|e| shards_error(&path, e))?;
            let by_name: BTreeMap<&str, &Field> = row
                .get_column_iter()
                .map(|(name, field)| (name.as_str(), field))
                .collect();
            let values = names
                .iter()
                .map(|name| match by_name.get(name) {
                    Some(Field::Str(s)) => Ok(s.clone()),
                    other => Err(shards_error(
                        &path,
                        format!("column {name}: expected a string, found {other:?}"),
                    )),
                })
                .collect::<Result<Vec<String>>>()?;
            rows.push(values);
        }
    }
    Ok(rows)
}

/// Verifies the join's candidates: reads again only the files they name (under
/// `inputs`, the roots that were fingerprinted), verifies the pairs with the same code
/// as [`crate::scan`], classifies and suggests. The report's counts and per-file
/// errors are those of the whole fingerprinted input, from the shard manifests.
pub fn verify(candidates: Candidates, inputs: &[PathBuf], opts: &ScanOptions) -> Result<Report> {
    let candidate_pairs = candidates.pairs.len();
    let mut source_documents = BTreeMap::new();
    for m in &candidates.manifests {
        for (site, documents) in &m.sources {
            *source_documents.entry(site.clone()).or_default() += documents;
        }
    }
    let external = External {
        files: candidates.files,
        pairs: candidates.pairs,
        source_documents,
    };
    let mut report = crate::pipeline::run(inputs, opts, Some(&external))?;
    let read_documents = report.stats.documents;
    let ms = &candidates.manifests;
    report.stats.documents = ms.iter().map(|m| m.documents).sum();
    report.stats.paragraphs = ms.iter().map(|m| m.paragraphs).sum();
    report.stats.bytes = ms.iter().map(|m| m.bytes).sum();
    // A document holding no duplicated or candidate paragraph is a story of its own.
    report.stats.stories += report.stats.documents.saturating_sub(read_documents);
    report.stats.candidate_pairs = candidate_pairs;
    let mut errors: Vec<FileError> = ms.iter().flat_map(|m| m.errors.clone()).collect();
    errors.sort_by(|a, b| a.path.cmp(&b.path));
    report.errors = errors;
    report.warnings = ms.iter().flat_map(|m| m.warnings.clone()).collect();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(index: usize, count: usize, args: &[&str]) -> Manifest {
        let args = args.iter().map(ToString::to_string).collect();
        Manifest::new(Shard { index, count }, args)
    }

    #[test]
    fn shards_are_i_of_n_zero_based() {
        assert_eq!("2/4".parse(), Ok(Shard { index: 2, count: 4 }));
        assert!("4/4".parse::<Shard>().is_err());
        assert!("1/0".parse::<Shard>().is_err());
        assert!("1".parse::<Shard>().is_err());
    }

    #[test]
    fn every_shard_once_with_the_same_arguments() {
        let all: Vec<Manifest> = (0..3).map(|i| manifest(i, 3, &["corpus"])).collect();
        assert!(check_manifests(&all).is_ok());
        assert!(check_manifests(&all[..2]).unwrap_err().contains("expected"));
        let mut other = all.clone();
        other[1] = manifest(1, 3, &["corpus", "--min-words", "8"]);
        assert!(
            check_manifests(&other)
                .unwrap_err()
                .contains("other arguments")
        );
        assert!(check_manifests(&[]).is_err());
    }

    /// A shard written here reads back row for row: one row per paragraph, band keys as
    /// a list that is empty for short paragraphs.
    #[test]
    fn a_shard_holds_a_row_per_paragraph() {
        let dir = tempfile::tempdir().unwrap();
        let long = "Relief convoys reached the flooded river towns of the valley on Tuesday.";
        std::fs::write(
            dir.path().join("a.txt"),
            format!("{long}\n\nShort line.\n\n{long}\n"),
        )
        .unwrap();
        let out = dir.path().join("shards");
        let m = fingerprint(
            &[dir.path().join("a.txt")],
            &ScanOptions::default(),
            Shard { index: 0, count: 1 },
            &out,
            vec!["a.txt".into()],
        )
        .unwrap();
        assert_eq!((m.files, m.documents, m.paragraphs), (1, 1, 3));
        let rows = read_rows(&out.join("shard-0-of-1.parquet"), &["fingerprint", "kind"]).unwrap();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0], rows[2], "the repeat has the same fingerprint");
        let file = File::open(out.join("shard-0-of-1.parquet")).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        let bands: Vec<usize> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|row| {
                let row = row.unwrap();
                let (_, field) = row.get_column_iter().find(|(n, _)| *n == "bands").unwrap();
                match field {
                    Field::ListInternal(list) => list.elements().len(),
                    other => panic!("bands is {other:?}"),
                }
            })
            .collect();
        // The 12-word paragraph is short enough for the extra bands; the 2-word line
        // is below --min-words and gets none.
        let all = crate::fingerprint::minhash::MAX_BANDS;
        assert_eq!(bands, [all, 0, all]);
    }
}
