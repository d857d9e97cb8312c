//! Options for every stage. `Default` gives the documented defaults (see README, "Defaults
//! and why"), so the library and the CLI agree on them.

mod sources;

pub use sources::SourceMap;
pub(crate) use sources::field_source;

use std::path::Path;

/// What kind of file a source is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// Plain text: paragraphs separated by blank lines.
    #[default]
    Text,
    /// CommonMark: front matter and code are not prose, headings are not candidates.
    Markdown,
    /// An HTML page.
    Html,
    /// JSON Lines (one article object per line) or a JSON array of article objects.
    Json,
}

impl InputFormat {
    /// The format a file name implies, if it is one paradup reads.
    pub fn from_extension(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" => InputFormat::Text,
            "md" | "markdown" => InputFormat::Markdown,
            "html" | "htm" | "xhtml" => InputFormat::Html,
            "jsonl" | "ndjson" | "json" => InputFormat::Json,
            _ => return None,
        })
    }

    /// The format of a file named explicitly: by extension, anything unknown as text.
    pub fn from_path(path: &Path) -> Self {
        Self::from_extension(path).unwrap_or(InputFormat::Text)
    }
}

/// Everything [`crate::scan`] needs to know.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// How input paths are walked.
    pub walk: WalkOptions,
    /// How files are read into articles.
    pub read: ReadOptions,
    /// How articles are split into paragraphs.
    pub segment: SegmentOptions,
    /// How paragraphs are fingerprinted and matched.
    pub matching: MatchOptions,
    /// How findings are classified.
    pub classify: ClassifyOptions,
    /// Which suggestions are emitted.
    pub suggest: SuggestOptions,
    /// Where to count files done, for a progress display (`None`: no counting).
    pub progress: Option<std::sync::Arc<Progress>>,
}

/// Files found and files read so far, updated by the scan while it runs.
#[derive(Debug, Default)]
pub struct Progress {
    /// Files to read (known once the walk is done).
    pub total: std::sync::atomic::AtomicUsize,
    /// Files read, fingerprinted or failed.
    pub done: std::sync::atomic::AtomicUsize,
}

/// Which files a directory walk reads. Files named explicitly are always read (subject
/// to `max_filesize`).
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Read files that `.gitignore`, `.ignore` and git's excludes would skip.
    pub no_ignore: bool,
    /// Read hidden files and directories.
    pub hidden: bool,
    /// Follow symbolic links (loops are reported, not followed).
    pub follow: bool,
    /// Only files matching one of these globs (relative to the walked directory), when
    /// any are given.
    pub include: Vec<String>,
    /// Never files matching these globs.
    pub exclude: Vec<String>,
    /// Skip (and report) files larger than this many bytes.
    pub max_filesize: Option<u64>,
    /// Format of standard input (`-`).
    pub stdin_format: InputFormat,
    /// Sources named by path (`[sources]` of `paradup.toml`), over the folder default.
    pub sources: SourceMap,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            no_ignore: false,
            hidden: false,
            follow: false,
            include: Vec::new(),
            exclude: Vec::new(),
            max_filesize: Some(DEFAULT_MAX_FILESIZE),
            stdin_format: InputFormat::default(),
            sources: SourceMap::default(),
        }
    }
}

/// How files are read into articles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// Field of a feed record holding the article text (default: the first of `body`,
    /// `text`, `content` present).
    pub text_field: Option<String>,
    /// Field naming a feed record in reports (default: `id`, else `url`, else the record
    /// number).
    pub id_field: Option<String>,
    /// Field naming a feed record's source (outlet, site) for the boilerplate rule; a URL
    /// counts by its host. A record without it keeps its file's source (default: none,
    /// every record has its file's source).
    pub source_field: Option<String>,
}

/// How articles are split into paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SegmentOptions {
    /// HTML: read only the article body (`article`, `main`, or the densest block of
    /// paragraphs), never page chrome.
    pub body_only: bool,
    /// Paragraphs longer than this many bytes are not prose (a minified blob, a whole
    /// book on one line): they are left out of matching, with a warning, so one such
    /// paragraph cannot make the scan hold several copies of it.
    pub max_paragraph_bytes: usize,
}

/// Default `--max-paragraph-bytes`: a thousand times a long newspaper paragraph.
pub const DEFAULT_MAX_PARAGRAPH_BYTES: usize = 1 << 20;

/// Default `--max-filesize`: larger files are skipped with an error entry, since each
/// file is read whole.
pub const DEFAULT_MAX_FILESIZE: u64 = 1 << 30;

impl Default for SegmentOptions {
    fn default() -> Self {
        SegmentOptions {
            body_only: false,
            max_paragraph_bytes: DEFAULT_MAX_PARAGRAPH_BYTES,
        }
    }
}

/// Default similarity threshold for near duplicates (word-level; see README for the
/// measurements behind it).
pub const DEFAULT_THRESHOLD: f64 = 0.7;

/// Default minimum number of words for a paragraph to produce duplicate findings.
pub const DEFAULT_MIN_WORDS: usize = 6;

/// Matching: exact fingerprints, MinHash/LSH candidates, verification.
#[derive(Debug, Clone)]
pub struct MatchOptions {
    /// Verified similarity (0..=1) at or above which two paragraphs are near duplicates.
    pub threshold: f64,
    /// Paragraphs with fewer words never produce exact or near findings.
    pub min_words: usize,
    /// Skip near-duplicate detection entirely.
    pub exact_only: bool,
    /// Approved paragraphs: never reported; near copies of them are drift.
    pub allow: crate::allow::Allowlist,
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            threshold: DEFAULT_THRESHOLD,
            min_words: DEFAULT_MIN_WORDS,
            exact_only: false,
            allow: crate::allow::Allowlist::default(),
        }
    }
}

/// Boilerplate classification.
#[derive(Debug, Clone)]
pub struct ClassifyOptions {
    /// Share of a smaller document's long paragraphs two documents must share to count as
    /// copies of one story.
    pub story_overlap: f64,
    /// Stories of one source (site, outlet) a text recurring in fewer than this many of
    /// them must also be on `template_share` of the source's documents to be its
    /// template; from this many on, it is its template whatever the share.
    pub template_stories: usize,
    /// Share of a source's documents a text in two or more of its stories must be on to
    /// be that source's template (see `template_stories`).
    pub template_share: f64,
}

impl Default for ClassifyOptions {
    fn default() -> Self {
        ClassifyOptions {
            story_overlap: 0.5,
            template_stories: 5,
            template_share: 0.1,
        }
    }
}

/// Which suggestions to emit.
#[derive(Debug, Clone, Default)]
pub struct SuggestOptions {
    /// Also suggest deleting boilerplate paragraphs (off by default: page chrome is often
    /// wanted).
    pub boilerplate: bool,
}
