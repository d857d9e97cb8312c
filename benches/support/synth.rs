//! A deterministic synthetic news archive for the benches.
//!
//! The text comes from the repo's own `corpus/` folder: every `.txt`/`.md` file but the
//! README is read at run time, split into prose paragraphs on blank lines and then into
//! sentences. Those sentences are templates: a *unique* paragraph is 1–4 template
//! sentences (half of them spliced from two templates) whose content words and figures are
//! replaced by words drawn Zipf-like from a 40 000-word vocabulary (the corpus's own words
//! first, then made-up ones). Function words and punctuation stay, so the text keeps the
//! shape of news prose while two unique paragraphs share about as few word bigrams as two
//! unrelated real ones.
//!
//! Paragraph mix (share of all paragraphs, roughly):
//!
//! | share | kind                                                                     |
//! |-------|--------------------------------------------------------------------------|
//! | 60 %  | unique paragraphs                                                        |
//! | 25 %  | syndicated: a leading run of a wire story, reused by 2–6 articles        |
//! | 5 %   | near copies: a wire or recent paragraph with 1–2 words or figures changed |
//! | 2 %   | repeats of an earlier paragraph of the same article                      |
//! | 8 %   | footers and share lines of the outlet                                    |
//!
//! Articles have a title plus 8–20 paragraphs (files of about 2–6 KB) and are spread over
//! 50 outlet folders with a year subfolder each. Outlets differ the way real feeds do:
//! 30 % write Markdown with front matter, 30 % use curly quotes and em dashes (so the same
//! syndicated paragraph differs in bytes but not after normalization), half of the
//! plain-text outlets hard-wrap at 72 columns and one in ten uses CRLF.
//!
//! Everything comes from one splitmix64 stream with a fixed seed, so the same `corpus/`
//! text and size give byte-identical output. The corpus is written to
//! `target/bench-corpus-<MB>mb/` (or `$PARADUP_BENCH_DIR`) and reused while its marker file
//! matches the generator version, the size and a hash of the seed text.

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Bump when the output of the generator changes, so stale corpora are rebuilt.
const GENERATOR_VERSION: u32 = 3;
/// Seed of the single random stream.
const SEED: u64 = 0x7061_7261_6475_7000;
/// Bytes per MB (decimal, like the MB/s the benches report).
pub const MB: u64 = 1_000_000;
/// Marker written last; hidden, so the scan's walker skips it.
const MARKER: &str = ".paradup-bench-corpus";
const OUTLETS: usize = 50;
const VOCABULARY: usize = 40_000;
/// Below this many template sentences the built-in fallback text is added.
const MIN_SENTENCES: usize = 40;

/// A generated corpus on disk.
pub struct Generated {
    /// Directory to scan.
    pub dir: PathBuf,
    /// Total size of the article files.
    pub bytes: u64,
    /// Number of article files.
    pub files: u64,
    /// One-line description of what was generated (mix, seed text).
    pub summary: String,
}

/// Corpus size in MB: `$PARADUP_BENCH_MB`, else `default`.
pub fn corpus_mb(default: u64) -> u64 {
    std::env::var("PARADUP_BENCH_MB")
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|&mb| mb > 0)
        .unwrap_or(default)
}

/// Returns the corpus of `mb` MB, generating it first unless an up-to-date one exists.
pub fn ensure(mb: u64) -> io::Result<Generated> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = SeedText::load(&root.join("corpus"))?;
    let dir = match std::env::var_os("PARADUP_BENCH_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| root.join("target"), PathBuf::from)
            .join(format!("bench-corpus-{mb}mb")),
    };
    let key = format!(
        "paradup-bench-corpus version={GENERATOR_VERSION} mb={mb} seed={SEED:016x} text={:016x}",
        seed.hash
    );
    if let Some(found) = read_marker(&dir, &key) {
        return Ok(found);
    }

    eprintln!(
        "paradup bench: generating a {mb} MB corpus in {} ...",
        dir.display()
    );
    let started = std::time::Instant::now();
    let partial = dir.with_extension("partial");
    if partial.exists() {
        fs::remove_dir_all(&partial)?;
    }
    fs::create_dir_all(&partial)?;
    let mut generator = Generator::new(&seed, SEED);
    let written = generator.write_corpus(&partial, mb * MB)?;
    let summary = format!(
        "{} files, {:.1} MB in {OUTLETS} outlets; paragraphs: {}; seed text: {}",
        written.files,
        written.bytes as f64 / MB as f64,
        generator.counts.describe(),
        seed.describe(),
    );
    fs::write(
        partial.join(MARKER),
        format!(
            "{key}\nbytes={}\nfiles={}\nsummary={summary}\n",
            written.bytes, written.files
        ),
    )?;
    if dir.exists() {
        fs::remove_dir_all(&dir)?;
    }
    fs::rename(&partial, &dir)?;
    eprintln!(
        "paradup bench: generated in {:.1} s: {summary}",
        started.elapsed().as_secs_f64()
    );
    Ok(Generated {
        dir,
        bytes: written.bytes,
        files: written.files,
        summary,
    })
}

fn read_marker(dir: &Path, key: &str) -> Option<Generated> {
    let marker = fs::read_to_string(dir.join(MARKER)).ok()?;
    let mut lines = marker.lines();
    if lines.next()? != key {
        return None;
    }
    let mut bytes = None;
    let mut files = None;
    let mut summary = String::new();
    for line in lines {
        match line.split_once('=') {
            Some(("bytes", v)) => bytes = v.parse().ok(),
            Some(("files", v)) => files = v.parse().ok(),
            Some(("summary", v)) => summary = v.to_string(),
            _ => {}
        }
    }
    Some(Generated {
        dir: dir.to_path_buf(),
        bytes: bytes?,
        files: files?,
        summary,
    })
}

// ---------------------------------------------------------------------------------------
// Seed text: sentences and vocabulary from corpus/.

/// Used only when `corpus/` is missing or nearly empty, so the benches still run.
const FALLBACK: &str = "\
The city council voted 7-2 on Tuesday to approve a budget of $48 million for the coming year, \
ending weeks of debate over road repairs. Council members said the plan would add 14 new \
positions at the public works department.

Officials at the regional hospital reported that emergency room visits rose by 12 percent in \
January compared with the same month last year. A spokesperson said most patients were treated \
for respiratory infections and released the same day.

The company announced on Monday that it would close two of its factories by the end of the \
year, affecting about 600 workers. Union leaders called the decision a betrayal and promised to \
fight the closures in court.

Heavy rain flooded several streets downtown overnight, and firefighters rescued three drivers \
whose cars had stalled in rising water. The weather service warned that more storms were \
expected through the weekend.

Researchers at the state university published a study showing that river temperatures have \
climbed steadily over the past two decades. The authors warned that native fish populations \
could decline sharply if the trend continues.

The school board postponed a decision on the new calendar after parents packed the meeting to \
object to an earlier start date. Board members agreed to hold two more public hearings before \
the final vote in March.

Police arrested a 34-year-old man on Friday in connection with a series of burglaries in the \
northern suburbs. Investigators said they recovered jewelry, laptops and cash worth more than \
$20,000 from a storage unit.

The national team secured its place in the final with a 3-1 victory over its longtime rivals, \
thanks to two late goals from the substitute striker. The coach praised the players for \
staying calm under pressure in front of a hostile crowd.

Prices at the pump fell for the third straight week, according to a survey of 1,200 gas \
stations released on Thursday. Analysts attributed the drop to lower crude oil costs and weak \
demand after the holiday season.

The museum will reopen its east wing next month after a renovation that took nearly four \
years and cost $9.5 million. Visitors will be able to see the restored collection of maritime \
paintings for the first time since 2019.

Lawmakers introduced a bill that would require landlords to give tenants at least 90 days of \
notice before raising rents. Supporters argued the measure would protect families, while \
property owners said it would discourage new construction.

Farmers in the valley said the late frost had damaged much of this year's apple harvest, with \
some orchards losing more than half of their blossoms. State agriculture officials are \
considering emergency loans for the hardest hit growers.
";

struct SeedText {
    /// Template sentences as whitespace-separated tokens.
    sentences: Vec<Vec<String>>,
    /// Content words, corpus words first (most frequent first), then made-up ones.
    vocabulary: Vec<String>,
    /// FNV-1a of the prose paragraphs (cache key of the generated corpus).
    hash: u64,
    files: usize,
    paragraphs: usize,
    fallback: bool,
}

impl SeedText {
    fn load(corpus: &Path) -> io::Result<SeedText> {
        let mut files = Vec::new();
        if corpus.is_dir() {
            collect_files(corpus, &mut files)?;
        }
        files.sort();
        let mut seen = HashSet::new();
        let mut paragraphs = Vec::new();
        for file in &files {
            let raw = fs::read(file)?;
            let text = String::from_utf8_lossy(&raw);
            let markdown = file.extension().is_some_and(|e| e == "md");
            for paragraph in prose_paragraphs(&text, markdown) {
                if seen.insert(paragraph.clone()) {
                    paragraphs.push(paragraph);
                }
            }
        }
        let mut sentences: Vec<Vec<String>> = Vec::new();
        let mut unique_sentences = HashSet::new();
        let mut add = |paragraphs: &[String], sentences: &mut Vec<Vec<String>>| {
            for paragraph in paragraphs {
                for sentence in split_sentences(paragraph) {
                    if sentence.len() >= 4 && unique_sentences.insert(sentence.join(" ")) {
                        sentences.push(sentence);
                    }
                }
            }
        };
        add(&paragraphs, &mut sentences);
        let fallback = sentences.len() < MIN_SENTENCES;
        if fallback {
            let extra: Vec<String> = prose_paragraphs(FALLBACK, false).collect();
            add(&extra, &mut sentences);
        }

        let mut hash = Fnv::default();
        for paragraph in &paragraphs {
            hash.write(paragraph.as_bytes());
            hash.write(b"\n\n");
        }
        hash.write(if fallback { b"+fallback" } else { b"" });

        let vocabulary = vocabulary(&sentences);
        Ok(SeedText {
            sentences,
            vocabulary,
            hash: hash.0,
            files: files.len(),
            paragraphs: paragraphs.len(),
            fallback,
        })
    }

    fn describe(&self) -> String {
        format!(
            "{} sentences from {} paragraphs in {} corpus files{}",
            self.sentences.len(),
            self.paragraphs,
            self.files,
            if self.fallback {
                " + built-in fallback text"
            } else {
                ""
            }
        )
    }
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "txt" || e == "md") {
            // The corpus README describes the corpus (scans skip it too); not an article.
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().to_ascii_lowercase());
            if !name.is_some_and(|n| n.starts_with("readme")) {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// Prose paragraphs of a file, one line each, ASCII punctuation: front matter, headings,
/// code, tables and HTML are dropped; list and quote markers and link targets removed.
fn prose_paragraphs(text: &str, markdown: bool) -> impl Iterator<Item = String> {
    let mut body = text.trim_start_matches('\u{feff}');
    if markdown && (body.starts_with("---\n") || body.starts_with("---\r\n")) {
        let after = &body[3..];
        body = match after.find("\n---") {
            Some(end) => &after[end + 4..],
            None => after,
        };
    }
    let mut blocks: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    let mut in_fence = false;
    let mut skip_block = false;
    for line in body.lines() {
        let trimmed = line.trim();
        if markdown && (trimmed.starts_with("```") || trimmed.starts_with("~~~")) {
            in_fence = !in_fence;
            skip_block = true;
            continue;
        }
        if in_fence {
            continue;
        }
        if trimmed.is_empty() {
            if !skip_block && !current.is_empty() {
                blocks.push(current.join(" "));
            }
            current.clear();
            skip_block = false;
            continue;
        }
        if markdown
            && current.is_empty()
            && (trimmed.starts_with('#')
                || trimmed.starts_with('|')
                || trimmed.starts_with('<')
                || line.starts_with("    "))
        {
            skip_block = true;
        }
        let trimmed = trimmed
            .trim_start_matches(['>', '-', '*', '+'])
            .trim_start();
        current.push(trimmed);
    }
    if !skip_block && !current.is_empty() {
        blocks.push(current.join(" "));
    }
    blocks.into_iter().filter_map(move |block| {
        let clean = ascii_punctuation(&if markdown {
            strip_markdown(&block)
        } else {
            block
        });
        let clean = clean.split_whitespace().collect::<Vec<_>>().join(" ");
        (clean.split(' ').count() >= 6).then_some(clean)
    })
}

/// `[text](url)` → `text`; emphasis and code markers dropped.
fn strip_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("](") {
        let Some(close) = rest[open..].find(')') else {
            break;
        };
        out.push_str(&rest[..open]);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out.replace(['[', '*', '`'], "").replace("__", "")
}

fn ascii_punctuation(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{00A0}' | '\u{2009}' | '\u{202F}' => ' ',
            c => c,
        })
        .collect()
}

/// Splits a paragraph after `.`, `?` or `!` (possibly followed by a quote) when the next
/// token starts with an uppercase letter, digit or quote.
fn split_sentences(paragraph: &str) -> Vec<Vec<String>> {
    let mut sentences = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let tokens: Vec<&str> = paragraph.split(' ').collect();
    for (i, token) in tokens.iter().enumerate() {
        current.push((*token).to_string());
        let ends = token
            .trim_end_matches(['"', '\'', ')'])
            .ends_with(['.', '?', '!']);
        let next_starts = tokens.get(i + 1).is_none_or(|next| {
            next.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '"')
        });
        if ends && next_starts {
            sentences.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        sentences.push(current);
    }
    sentences
}

// Syllables of the made-up words.
const ONSETS: &[&str] = &[
    "b", "br", "c", "ch", "cl", "d", "dr", "f", "fl", "g", "gr", "h", "j", "k", "l", "m", "n", "p",
    "pl", "pr", "r", "s", "sh", "st", "t", "tr", "v", "w", "",
];
const VOWELS: &[&str] = &["a", "e", "i", "o", "u", "a", "e", "i", "o", "ea", "ou"];
const CODAS: &[&str] = &["", "", "", "", "n", "r", "s", "l", "t", "nd", "st", "m"];
const SUFFIXES: &[&str] = &[
    "", "", "", "", "", "", "", "", "ing", "ed", "er", "s", "s", "al", "ly",
];

/// Corpus content words by frequency, then made-up words up to [`VOCABULARY`].
fn vocabulary(sentences: &[Vec<String>]) -> Vec<String> {
    let mut counts: std::collections::HashMap<String, u32> = std::collections::HashMap::new();
    for token in sentences.iter().flatten() {
        let (_, core, _) = split_token(token);
        if is_content_word(core) {
            *counts.entry(core.to_ascii_lowercase()).or_default() += 1;
        }
    }
    let mut words: Vec<(String, u32)> = counts.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let mut vocabulary: Vec<String> = words.into_iter().map(|(w, _)| w).collect();
    let mut known: BTreeSet<String> = vocabulary.iter().cloned().collect();
    let mut rng = Rng(SEED ^ 0x766f_6361_6275_6c61);
    // Made-up words of about the length of English content words (~7 letters).
    while vocabulary.len() < VOCABULARY {
        let mut word = String::new();
        let syllables = match rng.below(10) {
            0..=2 => 1,
            3..=7 => 2,
            _ => 3,
        };
        for _ in 0..syllables {
            word.push_str(rng.pick(ONSETS));
            word.push_str(rng.pick(VOWELS));
            word.push_str(rng.pick(CODAS));
        }
        word.push_str(rng.pick(SUFFIXES));
        if word.len() >= 4 && known.insert(word.clone()) {
            vocabulary.push(word);
        }
    }
    vocabulary
}

/// Leading punctuation, the word, trailing punctuation.
fn split_token(token: &str) -> (&str, &str, &str) {
    let start = token
        .find(|c: char| c.is_alphanumeric())
        .unwrap_or(token.len());
    let end = token
        .rfind(|c: char| c.is_alphanumeric())
        .map_or(start, |i| {
            i + token[i..].chars().next().map_or(1, char::len_utf8)
        });
    (&token[..start], &token[start..end], &token[end..])
}

/// Function words stay in place so generated text keeps the shape of prose; everything
/// else alphabetic is a content word and gets replaced.
const FUNCTION_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
    "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "may", "more",
    "most", "no", "not", "of", "on", "one", "or", "our", "out", "over", "said", "she", "so",
    "some", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "to", "up", "was", "we", "were", "what", "when", "where", "which", "while", "who",
    "will", "with", "would", "you",
];

fn is_content_word(core: &str) -> bool {
    !core.is_empty()
        && core.chars().all(|c| c.is_ascii_alphabetic())
        && !FUNCTION_WORDS.contains(&core.to_ascii_lowercase().as_str())
}

/// Numbers, and words with digits in them ("34-year-old", "3-1").
fn is_figure(core: &str) -> bool {
    core.contains(|c: char| c.is_ascii_digit())
}

// ---------------------------------------------------------------------------------------
// Random stream.

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        paradup::fingerprint::minhash::splitmix64(&mut self.0)
    }

    /// Uniform in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T: ?Sized>(&mut self, items: &[&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    /// `x` rounded up or down at random so that the expected value is `x`.
    fn round(&mut self, x: f64) -> usize {
        let floor = x.floor();
        floor as usize + usize::from(self.chance(x - floor))
    }
}

#[derive(Default)]
struct Fnv(u64);

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        if self.0 == 0 {
            self.0 = 0xcbf2_9ce4_8422_2325;
        }
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Articles.

const OUTLET_NAMES: &[&str] = &[
    "Courier",
    "Gazette",
    "Herald",
    "Tribune",
    "Chronicle",
    "Post",
    "Observer",
    "Ledger",
    "Sentinel",
    "Dispatch",
    "Times",
    "Journal",
    "Register",
    "Examiner",
    "Record",
];
const OUTLET_PLACES: &[&str] = &[
    "Riverside",
    "Northfield",
    "Lakeview",
    "Harbor",
    "Westbrook",
    "Pine Valley",
    "Eastport",
    "Cedar Falls",
    "Millbrook",
    "Summit",
    "Bayside",
    "Granite City",
    "Fairview",
    "Oakdale",
];
/// Footer and share lines; `{name}`, `{slug}` and `{year}` are filled in per outlet.
const FOOTERS: &[&str] = &[
    "Share this article: Facebook | Twitter | LinkedIn | Email",
    "(c) {year} The {name}. All rights reserved.",
    "Sign up for the {name} newsletter to get the day's top stories in your inbox every morning.",
    "Have a news tip? Contact the {name} newsroom at tips@{slug}.example.com.",
    "Follow the {name} on social media for the latest local news and updates.",
    "This article has been updated with additional reporting.",
    "Reporting by staff writers; editing by the {name} news desk.",
    "Advertisement",
    "Comments are closed for this article.",
    "Copyright {year} The {name}. This material may not be published, broadcast, rewritten or redistributed.",
];
const MD_SHARE: &str = "[Share on Facebook](https://www.facebook.com/sharer/sharer.php) | \
[Share on Twitter](https://twitter.com/intent/tweet) | [Email](mailto:?subject=news)";

/// House style: the switches are independent of each other.
#[allow(clippy::struct_excessive_bools)]
struct Outlet {
    dir: String,
    markdown: bool,
    smart: bool,
    wrap: bool,
    crlf: bool,
    footers: Vec<String>,
}

struct WireStory {
    paragraphs: Vec<String>,
    uses_left: u32,
}

/// Paragraphs written per kind.
#[derive(Default)]
struct Counts {
    unique: u64,
    syndicated: u64,
    near: u64,
    repeat: u64,
    footer: u64,
}

impl Counts {
    fn describe(&self) -> String {
        let total =
            (self.unique + self.syndicated + self.near + self.repeat + self.footer).max(1) as f64;
        let pct = |n: u64| 100.0 * n as f64 / total;
        format!(
            "{total} total, unique {:.1}%, syndicated {:.1}%, near {:.1}%, repeat {:.1}%, footer {:.1}%",
            pct(self.unique),
            pct(self.syndicated),
            pct(self.near),
            pct(self.repeat),
            pct(self.footer),
        )
    }
}

struct Written {
    bytes: u64,
    files: u64,
}

struct Generator<'a> {
    seed: &'a SeedText,
    rng: Rng,
    outlets: Vec<Outlet>,
    wire: Vec<WireStory>,
    /// Recent unique paragraphs (any article), sources of near copies.
    recent: Vec<String>,
    counts: Counts,
}

const LIVE_WIRE_STORIES: usize = 40;
const RECENT: usize = 512;

impl<'a> Generator<'a> {
    fn new(seed: &'a SeedText, stream: u64) -> Self {
        let mut rng = Rng(stream);
        let mut outlets = Vec::with_capacity(OUTLETS);
        for i in 0..OUTLETS {
            let place = OUTLET_PLACES[i % OUTLET_PLACES.len()];
            let name = format!(
                "{place} {}",
                OUTLET_NAMES[(i / OUTLET_PLACES.len() + i * 7) % OUTLET_NAMES.len()]
            );
            let slug = name.to_ascii_lowercase().replace(' ', "-");
            let markdown = i % 10 < 3;
            let mut footers = Vec::new();
            if markdown {
                footers.push(MD_SHARE.to_string());
            }
            while footers.len() < 3 {
                let footer = rng
                    .pick(FOOTERS)
                    .replace("{name}", &name)
                    .replace("{slug}", &slug)
                    .replace("{year}", "2024");
                if !footers.contains(&footer) {
                    footers.push(footer);
                }
            }
            outlets.push(Outlet {
                dir: format!("{i:02}-{slug}"),
                markdown,
                smart: i % 10 >= 7,
                wrap: !markdown && i % 2 == 1,
                crlf: i % 10 == 4,
                footers,
            });
        }
        let mut generator = Generator {
            seed,
            rng,
            outlets,
            wire: Vec::new(),
            recent: Vec::with_capacity(RECENT),
            counts: Counts::default(),
        };
        for _ in 0..LIVE_WIRE_STORIES {
            let story = generator.wire_story();
            generator.wire.push(story);
        }
        generator
    }

    fn write_corpus(&mut self, dir: &Path, target: u64) -> io::Result<Written> {
        let mut written = Written { bytes: 0, files: 0 };
        let mut made_dirs = HashSet::new();
        let mut text = String::with_capacity(8 * 1024);
        while written.bytes < target {
            let n = written.files;
            let outlet = self.rng.below(self.outlets.len());
            text.clear();
            self.article(outlet, n, &mut text);
            // Dates advance ~8 articles a day from 2016 (28-day months keep this simple).
            let day = n / 8;
            let (year, month, mday) = (2016 + day / 336, day % 336 / 28 + 1, day % 28 + 1);
            let sub = dir.join(&self.outlets[outlet].dir).join(year.to_string());
            if made_dirs.insert(sub.clone()) {
                fs::create_dir_all(&sub)?;
            }
            let ext = if self.outlets[outlet].markdown {
                "md"
            } else {
                "txt"
            };
            let path = sub.join(format!("{year}-{month:02}-{mday:02}-{n:07}.{ext}"));
            fs::write(&path, text.as_bytes())?;
            written.bytes += text.len() as u64;
            written.files += 1;
        }
        Ok(written)
    }

    /// Writes one article of `outlet` into `out`.
    fn article(&mut self, outlet: usize, n: u64, out: &mut String) {
        let total = self.rng.range(8, 20);
        let footers = 1 + usize::from(self.rng.chance(0.15));
        let body = total - footers;
        // Shares of the body (footers are the remaining ~8 % of all paragraphs).
        let syndicated = self.rng.round(body as f64 * 25.0 / 92.0);
        let near = self.rng.round(body as f64 * 5.0 / 92.0);
        let repeat = self.rng.round(body as f64 * 2.0 / 92.0);
        let unique = body - syndicated - near - repeat;

        let mut paragraphs: Vec<String> = (0..unique).map(|_| self.unique_paragraph()).collect();
        self.counts.unique += unique as u64;
        // Near copies of this article's unique paragraphs may appear in later articles.
        for paragraph in paragraphs.iter().take(2) {
            if self.recent.len() < RECENT {
                self.recent.push(paragraph.clone());
            } else {
                let slot = self.rng.below(RECENT);
                self.recent[slot].clone_from(paragraph);
            }
        }
        if syndicated > 0 {
            let story = self.rng.below(self.wire.len());
            let at = self.rng.below(paragraphs.len() + 1);
            let run: Vec<String> = self.wire[story].paragraphs[..syndicated].to_vec();
            paragraphs.splice(at..at, run);
            self.counts.syndicated += syndicated as u64;
            self.wire[story].uses_left -= 1;
            if self.wire[story].uses_left == 0 {
                self.wire[story] = self.wire_story();
            }
        }
        for _ in 0..near {
            let source = if self.recent.is_empty() || self.rng.chance(0.5) {
                let story = &self.wire[self.rng.below(self.wire.len())];
                story.paragraphs[self.rng.below(story.paragraphs.len())].clone()
            } else {
                self.recent[self.rng.below(self.recent.len())].clone()
            };
            let copy = self.near_copy(&source);
            let at = self.rng.below(paragraphs.len() + 1);
            paragraphs.insert(at, copy);
            self.counts.near += 1;
        }
        for _ in 0..repeat {
            let from = self.rng.below(paragraphs.len());
            let at = self.rng.range(from + 1, paragraphs.len());
            let copy = paragraphs[from].clone();
            paragraphs.insert(at, copy);
            self.counts.repeat += 1;
        }
        let title = self.title();
        let o = &self.outlets[outlet];
        let mut lines: Vec<String> = Vec::with_capacity(total + 2);
        lines.push(title);
        lines.extend(paragraphs);
        lines.push(o.footers[0].clone());
        if footers > 1 {
            lines.push(o.footers[1 + self.rng.below(o.footers.len() - 1)].clone());
        }
        self.counts.footer += footers as u64;
        render(o, n, &lines, out);
    }

    fn wire_story(&mut self) -> WireStory {
        // Long enough for the longest syndicated run (body 19 × 25/92 rounded up = 6).
        let len = self.rng.range(6, 9);
        WireStory {
            paragraphs: (0..len).map(|_| self.unique_paragraph()).collect(),
            uses_left: self.rng.range(2, 6) as u32,
        }
    }

    fn title(&mut self) -> String {
        let words = self.rng.range(5, 9);
        let mut title = String::new();
        for i in 0..words {
            if i > 0 {
                title.push(' ');
            }
            if i % 3 == 2 {
                title.push_str(
                    self.rng
                        .pick(&["in", "of", "to", "for", "after", "as", "and", "on"]),
                );
            } else {
                let word = self.word();
                title.push_str(&capitalize(word));
            }
        }
        title
    }

    fn unique_paragraph(&mut self) -> String {
        let sentences = match self.rng.below(10) {
            0..=1 => 1,
            2..=5 => 2,
            6..=8 => 3,
            _ => 4,
        };
        let mut paragraph = String::new();
        for i in 0..sentences {
            if i > 0 {
                paragraph.push(' ');
            }
            self.unique_sentence(&mut paragraph);
        }
        paragraph
    }

    /// A template sentence (or two spliced) with content words and figures replaced.
    fn unique_sentence(&mut self, out: &mut String) {
        let sentences = &self.seed.sentences;
        let a = &sentences[self.rng.below(sentences.len())];
        let b = &sentences[self.rng.below(sentences.len())];
        let tokens: Vec<&String> = if self.rng.chance(0.5) && a.len() >= 4 && b.len() >= 4 {
            let cut_a = self.rng.range(a.len() / 3, a.len() * 2 / 3);
            let cut_b = self.rng.range(b.len() / 3, b.len() * 2 / 3);
            a[..cut_a].iter().chain(&b[cut_b..]).collect()
        } else {
            a.iter().collect()
        };
        let start = out.len();
        for (i, token) in tokens.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            let (lead, core, trail) = split_token(token);
            // A possessive or contraction ("year's") is replaced as its first part.
            let (core, trail) = match core.find('\'') {
                Some(at) if at > 0 => (&core[..at], &token[lead.len() + at..]),
                _ => (core, trail),
            };
            out.push_str(lead);
            if is_figure(core) {
                self.figure(core, out);
            } else if is_content_word(core) && self.rng.chance(0.85) {
                let upper = core.starts_with(|c: char| c.is_ascii_uppercase());
                let word = self.word();
                if upper {
                    out.push_str(&capitalize(word));
                } else {
                    out.push_str(word);
                }
            } else {
                out.push_str(core);
            }
            out.push_str(trail);
        }
        // Capitalize the first letter and end with a full stop.
        if let Some(first) = out[start..].find(|c: char| c.is_alphabetic()) {
            let at = start + first;
            let c = out[at..].chars().next().unwrap_or('a');
            if c.is_ascii_lowercase() {
                out.replace_range(at..=at, &c.to_ascii_uppercase().to_string());
            }
        }
        if !out
            .trim_end_matches(['"', '\'', ')'])
            .ends_with(['.', '?', '!'])
        {
            out.push('.');
        }
    }

    /// A vocabulary word, Zipf-like: probability ∝ 1/(rank + 100), the tail of English
    /// word frequencies once the ~100 most frequent (function) words are left out. The most
    /// frequent content word gets ~0.2 % of the draws.
    fn word(&mut self) -> &'a str {
        const HEAD: f64 = 100.0;
        let v = self.seed.vocabulary.len();
        let span = ((v as f64 + HEAD) / HEAD).ln();
        let rank = (HEAD * (self.rng.unit() * span).exp() - HEAD) as usize;
        &self.seed.vocabulary[rank.min(v - 1)]
    }

    /// `figure` with each digit replaced at random (no leading zeros), the rest kept.
    fn figure(&mut self, figure: &str, out: &mut String) {
        let mut prev_digit = false;
        for c in figure.chars() {
            if c.is_ascii_digit() {
                let digit = if prev_digit {
                    self.rng.below(10)
                } else {
                    self.rng.range(1, 9)
                };
                let _ = write!(out, "{digit}");
            } else {
                out.push(c);
            }
            prev_digit = c.is_ascii_digit();
        }
    }

    /// `source` with one word or figure changed (sometimes two).
    fn near_copy(&mut self, source: &str) -> String {
        let mut tokens: Vec<String> = source.split(' ').map(str::to_string).collect();
        let edits = if self.rng.chance(0.8) { 1 } else { 2 };
        for _ in 0..edits {
            let figures: Vec<usize> = (0..tokens.len())
                .filter(|&i| is_figure(split_token(&tokens[i]).1))
                .collect();
            let words: Vec<usize> = (0..tokens.len())
                .filter(|&i| is_content_word(split_token(&tokens[i]).1))
                .collect();
            let (pool, figure) =
                if !figures.is_empty() && (words.is_empty() || self.rng.chance(0.5)) {
                    (figures, true)
                } else {
                    (words, false)
                };
            if pool.is_empty() {
                tokens.push("too".to_string());
                continue;
            }
            let i = pool[self.rng.below(pool.len())];
            let (lead, core, trail) = split_token(&tokens[i]);
            let mut new = lead.to_string();
            if figure {
                let old = core.to_string();
                while new.len() == lead.len() || new[lead.len()..] == old {
                    new.truncate(lead.len());
                    self.figure(&old, &mut new);
                }
            } else {
                let upper = core.starts_with(|c: char| c.is_ascii_uppercase());
                let old = core.to_ascii_lowercase();
                let mut word = self.word();
                while word == old {
                    word = self.word();
                }
                new.push_str(&if upper {
                    capitalize(word)
                } else {
                    word.to_string()
                });
            }
            new.push_str(trail);
            tokens[i] = new;
        }
        tokens.join(" ")
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().chain(chars).collect::<String>()
    })
}

/// Writes the article's title, paragraphs and footers in the outlet's house style.
fn render(outlet: &Outlet, n: u64, lines: &[String], out: &mut String) {
    let nl = if outlet.crlf { "\r\n" } else { "\n" };
    let (title, rest) = lines.split_first().expect("an article has a title");
    if outlet.markdown {
        let _ = write!(
            out,
            "---{nl}title: \"{title}\"{nl}id: {n}{nl}author: Staff{nl}---{nl}{nl}# {title}{nl}"
        );
    } else {
        out.push_str(title);
        out.push_str(nl);
    }
    for paragraph in rest {
        out.push_str(nl);
        let text = if outlet.smart {
            smart_punctuation(paragraph)
        } else {
            paragraph.clone()
        };
        if outlet.wrap {
            wrap(&text, 72, nl, out);
        } else {
            out.push_str(&text);
        }
        out.push_str(nl);
    }
}

/// Curly quotes and apostrophes, em dashes for spaced hyphens.
fn smart_punctuation(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut open = true;
    let mut prev = ' ';
    for c in text.chars() {
        match c {
            '"' => {
                out.push(if open { '\u{201C}' } else { '\u{201D}' });
                open = !open;
            }
            '\'' if prev.is_alphanumeric() => out.push('\u{2019}'),
            '\'' => out.push('\u{2018}'),
            c => out.push(c),
        }
        prev = c;
    }
    out.replace(" - ", " \u{2014} ")
}

/// Greedy word wrap at `width` columns.
fn wrap(text: &str, width: usize, nl: &str, out: &mut String) {
    let mut column = 0;
    for word in text.split(' ') {
        let len = word.chars().count();
        if column > 0 && column + 1 + len > width {
            out.push_str(nl);
            column = 0;
        } else if column > 0 {
            out.push(' ');
            column += 1;
        }
        out.push_str(word);
        column += len;
    }
}
