//! Options for every stage. `Default` gives the documented defaults (see README, "Defaults
//! and why"), so the library and the CLI agree on them.

/// Everything [`crate::scan`] needs to know.
#[derive(Debug, Clone, Default)]
pub struct ScanOptions {
    /// How input paths are walked.
    pub walk: WalkOptions,
    /// How paragraphs are fingerprinted and matched.
    pub matching: MatchOptions,
    /// How findings are classified.
    pub classify: ClassifyOptions,
    /// Which suggestions are emitted.
    pub suggest: SuggestOptions,
}

/// Which files a directory walk reads.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// File extensions (lowercase, no dot) read when walking a directory. A file named
    /// explicitly is always read.
    pub extensions: Vec<String>,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            extensions: ["txt", "md", "markdown"].map(String::from).to_vec(),
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
}

impl Default for MatchOptions {
    fn default() -> Self {
        MatchOptions {
            threshold: DEFAULT_THRESHOLD,
            min_words: DEFAULT_MIN_WORDS,
            exact_only: false,
        }
    }
}

/// Boilerplate classification.
#[derive(Debug, Clone)]
pub struct ClassifyOptions {
    /// Share of a smaller document's long paragraphs two documents must share to count as
    /// copies of one story.
    pub story_overlap: f64,
}

impl Default for ClassifyOptions {
    fn default() -> Self {
        ClassifyOptions { story_overlap: 0.5 }
    }
}

/// Which suggestions to emit.
#[derive(Debug, Clone, Default)]
pub struct SuggestOptions {
    /// Also suggest deleting boilerplate paragraphs (off by default: page chrome is often
    /// wanted).
    pub boilerplate: bool,
}
