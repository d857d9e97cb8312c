//! Property tests of the reliability guarantees (README, "Reliability"): spans slice back
//! to their paragraphs in every format, `fix` removes exactly the deleted spans and never
//! the last copy of a paragraph, and the JSON report keeps its documented shape.
//!
//! The invariants themselves live in `fuzz/checks.rs`, shared with the fuzz targets and
//! `tests/fuzz_regressions.rs`. Fuzzing feeds them random bytes, which seldom form an
//! article holding a duplicated paragraph, so the duplicate, suggestion and fix paths stay
//! cold there. The strategies here build articles the way a newsroom produces them (a
//! small pool of sentences, paragraphs pasted twice, copies with a word changed, headings,
//! list items, page chrome, feeds of records, CRLF and blank-line variations) and hand
//! their bytes to the same checks; the fix test asserts that most cases do get
//! suggestions, so it cannot pass by testing nothing. A failing case is printed (shrunk)
//! as the bytes the check got (for `fix`, after the byte that selects the format): kept
//! under `tests/fuzz_regressions/<target>/`, it is replayed by `cargo test` like a
//! fuzzing crash.
//!
//! The JSON report is checked against the README's "JSON report, version 1" by a
//! validator written from the README alone, so a change to the wire format that the
//! documentation does not follow fails here.

#[path = "../fuzz/checks.rs"]
mod checks;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use paradup::fix::Selection;
use paradup::options::{DEFAULT_MIN_WORDS, DEFAULT_THRESHOLD};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use serde_json::Value;

/// Cases per test: enough to meet every kind of piece in every format, few enough that
/// the whole file runs in seconds in a debug build.
const CASES: u32 = 64;
/// Cases of the JSON report test, whose every case scans a folder of files.
const FOLDER_CASES: u32 = 48;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        // A test file outside `src/` has nowhere for proptest to keep failures; a failing
        // case is printed instead, to be kept as a fuzz regression.
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases)
    }
}

// ---------------------------------------------------------------------------------------
// What articles are made of.

/// Sentences of 12 words or more, so that a paragraph of one is well over `--min-words`
/// and its repeats are reported. Some hold a curly quote, an accent or a dash, so that
/// offsets cross multi-byte characters (and HTML entities, and `\u` escapes in feeds).
const SENTENCES: [&str; 12] = [
    "The city council voted on Tuesday to expand the downtown bus network by next spring.",
    "Officials said the plan would add twelve new routes and extend evening service hours.",
    "Residents who spoke at the meeting were divided over the cost of the proposal.",
    "The regional transit authority expects ridership to grow by about eight percent next year.",
    "Critics argued that the money would be better spent repairing existing roads and bridges.",
    "A spokesperson for the mayor’s office declined to comment on the final budget figures.",
    "Construction is scheduled to begin in March and should last roughly eighteen months.",
    "Café owners along Main Street welcomed the news after years of declining foot traffic.",
    "The storm knocked out power to more than forty thousand homes across the county overnight.",
    "Crews worked through the night to restore electricity — most customers were back by noon.",
    "Forecasters warned that another band of heavy rain could arrive later this week.",
    "Schools in the northern district will remain closed on Friday as a precaution.",
];

/// Headings: short, never duplicate candidates.
const HEADINGS: [&str; 4] = [
    "City expands bus network",
    "Storm leaves thousands without power",
    "What happens next",
    "Reaction from residents",
];

/// Lines below `--min-words`: share bars, photo credits.
const SHORT: [&str; 5] = [
    "Photo: staff",
    "Share this article",
    "Advertisement",
    "Read more:",
    "Updated at 9:41 a.m.",
];

/// The outlet's footer, long enough to be compared: boilerplate once it is in several
/// stories.
const FOOTER: &str = "Copyright 2024 Example Media Group. All rights reserved. This material \
                      may not be published, broadcast or redistributed.";

/// Words a near copy puts in place of one of the original's.
const WORDS: [&str; 6] = [
    "Monday",
    "fifteen",
    "county",
    "several",
    "quickly",
    "reporters",
];

/// One step in writing an article. Indices are reduced modulo what they index, so any
/// value is valid and shrinking moves towards the first choice.
#[derive(Clone, Debug)]
enum Piece {
    /// A paragraph of new prose: these sentences.
    Prose(Vec<usize>),
    /// An exact copy of `len` earlier blocks from `of` (a paste, or a repeated block),
    /// with its line wrapping flipped when `rewrap` (the same text once normalized).
    Repeat {
        of: usize,
        len: usize,
        rewrap: bool,
    },
    /// A copy of an earlier paragraph with one word replaced: a near duplicate.
    Edit {
        of: usize,
        word: usize,
        with: usize,
    },
    Heading(usize),
    /// A list item of these sentences.
    Item(Vec<usize>),
    Quote(usize),
    Short(usize),
    Footer,
    /// A code block (`pre`) holding a copy of an earlier paragraph: not prose.
    Code(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Prose,
    Heading,
    Item,
    Quote,
    Short,
    Footer,
    Code,
}

/// A block of an article, ready to render.
#[derive(Clone, Debug)]
struct Block {
    kind: Kind,
    sentences: Vec<String>,
    /// One sentence a line, rather than all on one.
    wrap: bool,
    /// Which separator precedes it (an index into the format's list).
    gap: usize,
}

impl Block {
    fn new(kind: Kind, sentences: Vec<String>, wrap: bool, gap: usize) -> Self {
        Block {
            kind,
            sentences,
            wrap,
            gap,
        }
    }

    /// The text, its wrapped lines joined by `newline`.
    fn text(&self, newline: &str) -> String {
        self.sentences.join(if self.wrap { newline } else { " " })
    }

    /// Replaces the `word`-th word (modulo the word count) with `with`.
    fn replace_word(&mut self, word: usize, with: &str) {
        let total: usize = self
            .sentences
            .iter()
            .map(|s| s.split_whitespace().count())
            .sum();
        let mut target = word % total.max(1);
        for sentence in &mut self.sentences {
            let words: Vec<&str> = sentence.split_whitespace().collect();
            if target < words.len() {
                let mut words = words;
                words[target] = with;
                *sentence = words.join(" ");
                return;
            }
            target -= words.len();
        }
    }
}

/// An article: pieces (each with its gap and wrapping) and, usually, one planted exact
/// copy of a prose paragraph (`at`, `of`), so most articles hold a within-document repeat.
#[derive(Clone, Debug)]
struct Article {
    pieces: Vec<(Piece, usize, bool)>,
    plant: Option<(usize, usize)>,
}

impl Article {
    /// The blocks the pieces make.
    fn blocks(&self) -> Vec<Block> {
        let sentences = |ids: &[usize]| -> Vec<String> {
            ids.iter()
                .map(|&i| SENTENCES[i % SENTENCES.len()].to_string())
                .collect()
        };
        let mut out: Vec<Block> = Vec::new();
        let prose = |out: &[Block]| -> Vec<usize> {
            (0..out.len())
                .filter(|&i| matches!(out[i].kind, Kind::Prose | Kind::Item | Kind::Quote))
                .collect()
        };
        for (piece, gap, wrap) in &self.pieces {
            let (gap, wrap) = (*gap, *wrap);
            match piece {
                Piece::Prose(ids) => out.push(Block::new(Kind::Prose, sentences(ids), wrap, gap)),
                Piece::Repeat { of, len, rewrap } => {
                    if out.is_empty() {
                        continue;
                    }
                    let start = of % out.len();
                    let end = (start + (*len).max(1)).min(out.len());
                    let copies = out[start..end].to_vec();
                    for (i, mut block) in copies.into_iter().enumerate() {
                        if *rewrap {
                            block.wrap = !block.wrap;
                        }
                        if i == 0 {
                            block.gap = gap;
                        }
                        out.push(block);
                    }
                }
                Piece::Edit { of, word, with } => {
                    let candidates = prose(&out);
                    if candidates.is_empty() {
                        continue;
                    }
                    let mut block = out[candidates[of % candidates.len()]].clone();
                    block.replace_word(*word, WORDS[with % WORDS.len()]);
                    block.gap = gap;
                    out.push(block);
                }
                Piece::Heading(i) => out.push(Block::new(
                    Kind::Heading,
                    vec![HEADINGS[i % HEADINGS.len()].to_string()],
                    false,
                    gap,
                )),
                Piece::Item(ids) => out.push(Block::new(Kind::Item, sentences(ids), wrap, gap)),
                Piece::Quote(i) => out.push(Block::new(Kind::Quote, sentences(&[*i]), wrap, gap)),
                Piece::Short(i) => out.push(Block::new(
                    Kind::Short,
                    vec![SHORT[i % SHORT.len()].to_string()],
                    false,
                    gap,
                )),
                Piece::Footer => out.push(Block::new(
                    Kind::Footer,
                    vec![FOOTER.to_string()],
                    false,
                    gap,
                )),
                Piece::Code(of) => {
                    let candidates = prose(&out);
                    let text = if candidates.is_empty() {
                        sentences(&[*of])
                    } else {
                        out[candidates[of % candidates.len()]].sentences.clone()
                    };
                    out.push(Block::new(Kind::Code, text, wrap, gap));
                }
            }
        }
        if out.is_empty() {
            out.push(Block::new(Kind::Prose, sentences(&[0]), false, 0));
        }
        if let Some((at, of)) = self.plant {
            let candidates = prose(&out);
            if !candidates.is_empty() {
                let copy = out[candidates[of % candidates.len()]].clone();
                out.insert(at % (out.len() + 1), copy);
            }
        }
        out
    }
}

fn piece() -> impl Strategy<Value = Piece> {
    let sentence = 0..SENTENCES.len();
    prop_oneof![
        5 => vec(sentence.clone(), 1..=3).prop_map(Piece::Prose),
        2 => (any::<usize>(), 1..=3usize, any::<bool>())
            .prop_map(|(of, len, rewrap)| Piece::Repeat { of, len, rewrap }),
        2 => (any::<usize>(), any::<usize>(), 0..WORDS.len())
            .prop_map(|(of, word, with)| Piece::Edit { of, word, with }),
        1 => (0..HEADINGS.len()).prop_map(Piece::Heading),
        1 => vec(sentence.clone(), 1..=2).prop_map(Piece::Item),
        1 => sentence.prop_map(Piece::Quote),
        1 => (0..SHORT.len()).prop_map(Piece::Short),
        1 => Just(Piece::Footer),
        1 => any::<usize>().prop_map(Piece::Code),
    ]
}

fn article() -> impl Strategy<Value = Article> {
    (
        vec((piece(), 0..4usize, prop::bool::weighted(0.3)), 1..8),
        proptest::option::weighted(0.85, (any::<usize>(), any::<usize>())),
    )
        .prop_map(|(pieces, plant)| Article { pieces, plant })
}

// ---------------------------------------------------------------------------------------
// Rendering: text, Markdown, HTML, JSON Lines.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Markdown,
    Html,
    Feed,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Feed => "jsonl",
        }
    }

    /// The first byte of a `checks::check_fix` input, which picks the format.
    fn selector(self) -> u8 {
        match self {
            Format::Text => 0,
            Format::Markdown => 1,
            Format::Html => 2,
            Format::Feed => 3,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Newline {
    Lf,
    Crlf,
    Cr,
}

/// How a page is written out.
#[allow(clippy::struct_excessive_bools)] // independent switches a strategy draws
#[derive(Clone, Copy, Debug)]
struct Style {
    newline: Newline,
    bom: bool,
    trailing_newline: bool,
    /// HTML: curly quotes, accents and dashes as named entities.
    entities: bool,
    /// Markdown: YAML front matter.
    front_matter: bool,
    /// HTML: a navigation bar and a page footer around the article.
    chrome: bool,
    /// Markdown and HTML: the first word of each paragraph in bold, and in HTML wrapped
    /// lines broken with `<br>`.
    inline: bool,
}

fn style() -> impl Strategy<Value = Style> {
    (
        prop_oneof![5 => Just(Newline::Lf), 3 => Just(Newline::Crlf), 1 => Just(Newline::Cr)],
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.8),
        any::<bool>(),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.7),
        prop::bool::weighted(0.3),
    )
        .prop_map(
            |(newline, bom, trailing_newline, entities, front_matter, chrome, inline)| Style {
                newline,
                bom,
                trailing_newline,
                entities,
                front_matter,
                chrome,
                inline,
            },
        )
}

/// Separators between paragraphs of text and Markdown: blank lines, some holding spaces.
const TEXT_GAPS: [&str; 4] = ["\n\n", "\n\n\n", "\n  \n", "\n\t\n\n"];
/// Whitespace between HTML elements.
const HTML_GAPS: [&str; 4] = ["\n", "", "\n\n    ", " "];

fn text_body(blocks: &[Block]) -> String {
    let mut out = String::new();
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            out.push_str(TEXT_GAPS[b.gap % TEXT_GAPS.len()]);
        }
        if b.kind == Kind::Item {
            out.push_str("- ");
            out.push_str(&b.text("\n  "));
        } else {
            out.push_str(&b.text("\n"));
        }
    }
    out
}

fn markdown_body(blocks: &[Block], style: Style) -> String {
    let mut out = String::new();
    if style.front_matter {
        out.push_str("---\ntitle: Example story\ntags: [news, local]\n---\n\n");
    }
    for (i, b) in blocks.iter().enumerate() {
        if i > 0 {
            out.push_str(TEXT_GAPS[b.gap % TEXT_GAPS.len()]);
        }
        let text = match b.kind {
            Kind::Heading => format!("## {}", b.text("\n")),
            Kind::Item => format!("- {}", b.text("\n  ")),
            Kind::Quote => format!("> {}", b.text("\n> ")),
            Kind::Code => format!("```\n{}\n```", b.text("\n")),
            Kind::Footer => format!("*{}*", b.text(" ")),
            Kind::Prose if style.inline => bold_first_word(&b.text("\n"), "**", "**"),
            Kind::Prose | Kind::Short => b.text("\n"),
        };
        out.push_str(&text);
    }
    out
}

fn html_escape(text: &str, entities: bool) -> String {
    let text = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    if entities {
        text.replace('’', "&rsquo;")
            .replace('é', "&eacute;")
            .replace('—', "&mdash;")
    } else {
        text
    }
}

fn bold_first_word(text: &str, open: &str, close: &str) -> String {
    let (first, rest) = text.split_at(text.find(' ').unwrap_or(text.len()));
    format!("{open}{first}{close}{rest}")
}

/// The article's elements, as in a page's `article` or a feed record's HTML body.
fn html_fragment(blocks: &[Block], entities: bool, inline: bool) -> String {
    let mut out = String::new();
    for b in blocks {
        out.push_str(HTML_GAPS[b.gap % HTML_GAPS.len()]);
        let text = html_escape(&b.text("\n"), entities);
        let element = match b.kind {
            Kind::Prose if inline => {
                let lines: Vec<String> = b
                    .sentences
                    .iter()
                    .map(|s| html_escape(s, entities))
                    .collect();
                let text = lines.join(if b.wrap { "<br>\n" } else { " " });
                let text = bold_first_word(&text, "<strong>", "</strong>");
                format!("<p>{text}</p>")
            }
            Kind::Prose => format!("<p>{text}</p>"),
            Kind::Heading => format!("<h2>{text}</h2>"),
            Kind::Item => format!("<ul><li>{text}</li></ul>"),
            Kind::Quote => format!("<blockquote><p>{text}</p></blockquote>"),
            Kind::Short => format!("<div class=\"share\"><a href=\"#share\">{text}</a></div>"),
            Kind::Footer => format!("<aside class=\"newsletter\"><p>{text}</p></aside>"),
            Kind::Code => format!("<pre>{text}</pre>"),
        };
        out.push_str(&element);
    }
    out
}

fn html_page(blocks: &[Block], style: Style) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Example news</title>\n</head>\n<body>\n",
    );
    if style.chrome {
        out.push_str(
            "<header class=\"site-header\"><nav class=\"menu\"><ul><li><a href=\"/\">Home</a>\
             </li><li><a href=\"/local\">Local news</a></li></ul></nav></header>\n",
        );
    }
    out.push_str("<article>");
    out.push_str(&html_fragment(blocks, style.entities, style.inline));
    out.push_str("\n</article>\n");
    if style.chrome {
        writeln!(
            out,
            "<footer class=\"site-footer\"><p>{}</p></footer>",
            html_escape(FOOTER, style.entities)
        )
        .expect("write to a string");
    }
    out.push_str("</body>\n</html>");
    out
}

/// The file's bytes: line endings, byte order mark, final newline.
fn finish(mut text: String, style: Style) -> Vec<u8> {
    if style.trailing_newline {
        text.push('\n');
    }
    let text = match style.newline {
        Newline::Lf => text,
        Newline::Crlf => text.replace('\n', "\r\n"),
        Newline::Cr => text.replace('\n', "\r"),
    };
    let mut bytes = if style.bom {
        b"\xEF\xBB\xBF".to_vec()
    } else {
        Vec::new()
    };
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

/// A JSON string literal; with `escape_unicode`, non-ASCII characters as `\u` escapes and
/// `/` as `\/`, as some exporters write them.
fn json_string(text: &str, escape_unicode: bool) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '/' if escape_unicode => out.push_str("\\/"),
            c if c < ' ' || (escape_unicode && !c.is_ascii()) => {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    write!(out, "\\u{unit:04x}").expect("write to a string");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One record of a feed.
#[allow(clippy::struct_excessive_bools)] // independent switches a strategy draws
#[derive(Clone, Debug)]
struct Record {
    article: Article,
    /// The body is HTML rather than plain text.
    html: bool,
    escape_unicode: bool,
    /// Paragraphs in the body end with `\r\n` rather than `\n`.
    crlf_body: bool,
    /// The record has a `url` and a `title` besides `id` and `body`.
    extra_fields: bool,
}

/// A JSON Lines feed.
#[derive(Clone, Debug)]
struct Feed {
    records: Vec<Record>,
    /// A malformed record, after this many good ones (at least one).
    broken: Option<usize>,
    crlf: bool,
    blank_lines: bool,
}

fn record() -> impl Strategy<Value = Record> {
    (
        article(),
        prop::bool::weighted(0.25),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.3),
        any::<bool>(),
    )
        .prop_map(
            |(article, html, escape_unicode, crlf_body, extra_fields)| Record {
                article,
                html,
                escape_unicode,
                crlf_body,
                extra_fields,
            },
        )
}

fn feed() -> impl Strategy<Value = Feed> {
    (
        vec(record(), 1..4),
        proptest::option::weighted(0.2, any::<usize>()),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.2),
    )
        .prop_map(|(records, broken, crlf, blank_lines)| Feed {
            records,
            broken,
            crlf,
            blank_lines,
        })
}

/// A file as written, with what a scan should make of it.
struct Rendered {
    bytes: Vec<u8>,
    /// Documents it holds (a page is one, a feed one per good record).
    documents: u64,
    /// Lines of the malformed records.
    broken_lines: Vec<u64>,
}

impl Feed {
    fn render(&self) -> Rendered {
        let mut lines: Vec<String> = self
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let blocks = r.article.blocks();
                let body = if r.html {
                    format!(
                        "<div class=\"story\">{}</div>",
                        html_fragment(&blocks, false, false)
                    )
                } else {
                    let text = text_body(&blocks);
                    if r.crlf_body {
                        text.replace('\n', "\r\n")
                    } else {
                        text
                    }
                };
                let body = json_string(&body, r.escape_unicode);
                if r.extra_fields {
                    let title = json_string(HEADINGS[i % HEADINGS.len()], r.escape_unicode);
                    format!(
                        "{{\"id\": \"story-{i}\", \"url\": \"https://example.com/{i}\", \
                         \"title\": {title}, \"body\": {body}}}"
                    )
                } else {
                    format!("{{\"body\":{body},\"id\":\"story-{i}\"}}")
                }
            })
            .collect();
        let mut broken_lines = Vec::new();
        if let Some(b) = self.broken {
            // After at least one good record; a comma is missing: this record is an
            // error, the others are read.
            let at = 1 + b % self.records.len();
            lines.insert(
                at,
                "{\"id\": \"story-broken\" \"body\": \"Officials said so.\"}".to_string(),
            );
            let step = if self.blank_lines { 2 } else { 1 };
            broken_lines.push(1 + step * at as u64);
        }
        let newline = if self.crlf { "\r\n" } else { "\n" };
        let mut out = String::new();
        for line in &lines {
            out.push_str(line);
            out.push_str(newline);
            if self.blank_lines {
                out.push_str(newline);
            }
        }
        Rendered {
            bytes: out.into_bytes(),
            documents: self.records.len() as u64,
            broken_lines,
        }
    }
}

/// A file of any format.
#[derive(Clone, Debug)]
enum Doc {
    Page(Format, Article, Style),
    Feed(Feed),
}

impl Doc {
    fn format(&self) -> Format {
        match self {
            Doc::Page(format, ..) => *format,
            Doc::Feed(_) => Format::Feed,
        }
    }

    fn render(&self) -> Rendered {
        let (format, article, style) = match self {
            Doc::Page(format, article, style) => (format, article, style),
            Doc::Feed(feed) => return feed.render(),
        };
        let blocks = article.blocks();
        let text = match format {
            Format::Text => text_body(&blocks),
            Format::Markdown => markdown_body(&blocks, *style),
            Format::Html => html_page(&blocks, *style),
            Format::Feed => unreachable!("a feed is a Doc::Feed"),
        };
        Rendered {
            bytes: finish(text, *style),
            documents: 1,
            broken_lines: Vec::new(),
        }
    }
}

fn page(format: Format) -> impl Strategy<Value = Doc> {
    (article(), style()).prop_map(move |(article, style)| Doc::Page(format, article, style))
}

fn any_doc() -> impl Strategy<Value = Doc> {
    prop_oneof![
        page(Format::Text),
        page(Format::Markdown),
        page(Format::Html),
        feed().prop_map(Doc::Feed),
    ]
}

/// The bytes a check is given, shown as a byte string when a case fails.
#[derive(Clone)]
struct Input {
    format: Format,
    bytes: Vec<u8>,
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Input {{ format: {:?}, bytes: b\"{}\" }}",
            self.format,
            self.bytes.escape_ascii()
        )
    }
}

fn input(doc: impl Strategy<Value = Doc>) -> impl Strategy<Value = Input> {
    doc.prop_map(|doc| Input {
        format: doc.format(),
        bytes: doc.render().bytes,
    })
}

// ---------------------------------------------------------------------------------------
// Properties 1–3: the fuzz checks, on articles.

proptest! {
    #![proptest_config(config(CASES))]

    /// Property 1, text and Markdown (each input is read as both).
    #[test]
    fn spans_slice_back_in_text_and_markdown(
        input in input(prop_oneof![page(Format::Text), page(Format::Markdown)])
    ) {
        checks::check_segment(&input.bytes);
    }

    /// Property 1, HTML pages (with and without `body_only`).
    #[test]
    fn spans_slice_back_in_html(input in input(page(Format::Html))) {
        checks::check_html(&input.bytes);
    }

    /// Property 1, JSON Lines feeds.
    #[test]
    fn spans_slice_back_in_feeds(input in input(feed().prop_map(Doc::Feed))) {
        checks::check_feed(&input.bytes);
    }
}

/// Properties 2 and 3 on one file of each format: `checks::check_fix` scans it, plans the
/// fixes of every selection, checks each fixed file is the original minus exactly the
/// removed ranges and still holds every kept copy, writes the default fix and rescans.
#[test]
fn fix_removes_exactly_the_deleted_spans_and_keeps_a_copy() {
    let fixed = AtomicUsize::new(0);
    let mut runner = TestRunner::new(config(CASES));
    let result = runner.run(&input(any_doc()), |input| {
        if default_fix_takes_something(&input) {
            fixed.fetch_add(1, Ordering::Relaxed);
        }
        let mut data = vec![input.format.selector()];
        data.extend_from_slice(&input.bytes);
        checks::check_fix(&data);
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
    let fixed = fixed.into_inner();
    eprintln!("{fixed} of {CASES} inputs had something for the default fix to remove");
    assert!(
        fixed * 2 >= CASES as usize,
        "only {fixed} of {CASES} inputs had something for the default fix to remove: the \
         strategy no longer reaches the fix path"
    );
}

/// Whether a scan with the default options finds something for the default `fix` to remove.
fn default_fix_takes_something(input: &Input) -> bool {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join(format!("article.{}", input.format.ext()));
    std::fs::write(&path, &input.bytes).expect("write the input");
    let report = paradup::scan(
        std::slice::from_ref(&path),
        &paradup::ScanOptions::default(),
    )
    .expect("scan");
    report
        .suggestions
        .iter()
        .any(|s| Selection::default().takes(&report, s))
}

// ---------------------------------------------------------------------------------------
// Property 4: the JSON report.

/// Sub-folders files are put in.
const DIRS: [&str; 3] = ["", "outlet-a/", "outlet-b/"];

/// A folder of articles of mixed formats, and the options it is scanned with.
#[allow(clippy::struct_excessive_bools)] // independent switches a strategy draws
#[derive(Clone, Debug)]
struct Folder {
    docs: Vec<(usize, Doc)>,
    /// A byte-for-byte copy of one of the files, elsewhere (a syndicated story).
    copy: Option<usize>,
    /// A binary file (an error entry).
    binary: bool,
    /// A Windows-1252 file (a warning) that repeats a paragraph.
    legacy: bool,
    exact_only: bool,
    suggest_boilerplate: bool,
    /// A `--max-paragraph-bytes` most paragraphs are over (warnings with lines).
    small_paragraphs: bool,
}

fn folder() -> impl Strategy<Value = Folder> {
    (
        vec((0..DIRS.len(), any_doc()), 1..5),
        proptest::option::weighted(0.4, any::<usize>()),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.2),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.15),
    )
        .prop_map(
            |(docs, copy, binary, legacy, exact_only, suggest_boilerplate, small_paragraphs)| {
                Folder {
                    docs,
                    copy,
                    binary,
                    legacy,
                    exact_only,
                    suggest_boilerplate,
                    small_paragraphs,
                }
            },
        )
}

/// What was written and how it was scanned, to check a report against.
#[derive(Default)]
struct Scanned {
    /// Path as reports show it (relative, `/`-separated) → bytes.
    files: BTreeMap<String, Vec<u8>>,
    documents: u64,
    /// Expected error entries: path and line.
    errors: BTreeSet<(String, Option<u64>)>,
    /// Paths that must have a warning.
    warned: BTreeSet<String>,
    exact_only: bool,
    suggest_boilerplate: bool,
}

impl Folder {
    fn write(&self, root: &Path) -> Scanned {
        let mut scanned = Scanned {
            exact_only: self.exact_only,
            suggest_boilerplate: self.suggest_boilerplate,
            ..Scanned::default()
        };
        let rendered: Vec<(String, Rendered)> = self
            .docs
            .iter()
            .enumerate()
            .map(|(i, (dir, doc))| {
                let path = format!("{}{i}.{}", DIRS[*dir], doc.format().ext());
                (path, doc.render())
            })
            .collect();
        for (path, r) in &rendered {
            scanned.add(path, r);
        }
        if let Some(k) = self.copy {
            let (path, r) = &rendered[k % rendered.len()];
            let name = path.rsplit('/').next().expect("a file name");
            scanned.add(&format!("wire/copy-{name}"), r);
        }
        if self.legacy {
            // Not UTF-8, no multi-byte sequence: read as Windows-1252, with a warning.
            let para = b"Caf\xe9 owners along Main Street welcomed the news after years of \
                         \x93declining\x94 foot traffic.";
            let mut bytes = para.to_vec();
            bytes.extend_from_slice(b"\r\n\r\n");
            bytes.extend_from_slice(para);
            bytes.extend_from_slice(b"\r\n");
            let path = "outlet-b/legacy.txt";
            scanned.warned.insert(path.to_string());
            scanned.add(
                path,
                &Rendered {
                    bytes,
                    documents: 1,
                    broken_lines: Vec::new(),
                },
            );
        }
        if self.binary {
            let path = "outlet-a/photo.txt".to_string();
            scanned.errors.insert((path.clone(), None));
            scanned
                .files
                .insert(path, b"GIF89a\x01\x00\x01\x00\x00\xff\x00,".to_vec());
        }
        for (path, bytes) in &scanned.files {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("create a folder");
            std::fs::write(&path, bytes).expect("write a file");
        }
        scanned
    }

    fn options(&self) -> paradup::ScanOptions {
        let mut opts = paradup::ScanOptions::default();
        opts.matching.exact_only = self.exact_only;
        opts.suggest.boilerplate = self.suggest_boilerplate;
        if self.small_paragraphs {
            opts.segment.max_paragraph_bytes = 160;
        }
        opts
    }
}

/// Property 4: for any folder of articles, the JSON report parses and has the shape the
/// README documents; and, across files, no suggestion deletes the last copy of a
/// paragraph (property 3, checked on the report rather than on one fixed file).
#[test]
fn json_report_has_the_documented_shape() {
    let seen = Seen::default();
    let mut runner = TestRunner::new(config(FOLDER_CASES));
    let result = runner.run(&folder(), |folder| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let scanned = folder.write(dir.path());
        let json = scan_to_json(dir.path(), &folder.options());
        validate(&json, &scanned);
        seen.count(&json);
        Ok(())
    });
    if let Err(err) = result {
        panic!("{err}");
    }
    eprintln!("{seen:?} over {FOLDER_CASES} folders");
    let cases = FOLDER_CASES as usize;
    for (what, count) in [
        ("findings", &seen.findings),
        ("suggestions", &seen.suggestions),
    ] {
        let count = count.load(Ordering::Relaxed);
        assert!(
            count * 2 >= cases,
            "only {count} of {cases} reports had {what}: the validator saw too little"
        );
    }
}

/// Folders whose reports broke the documented shape, checked on every run.
#[test]
fn json_report_of_known_folders() {
    // An exact repeat inside one article whose near variant is in another story: the
    // exact finding lies in one document, so it cannot span two stories.
    let (pasted, edited) = (SENTENCES[0], SENTENCES[0].replace("Tuesday", "Monday"));
    let [one, two, three, four, five] = [2, 4, 6, 8, 10].map(|i| SENTENCES[i]);
    let folders = [[
        (
            "a.txt",
            format!("{one}\n\n{pasted}\n\n{two}\n\n{pasted}\n\n{three}\n"),
        ),
        ("b.txt", format!("{four}\n\n{edited}\n\n{five}\n")),
    ]];
    for files in folders {
        known_folder(&files);
    }
    // A copy with its sentences swapped and one with a sentence added: the occurrences
    // carry an `edit`, which the validator checks.
    let s = SENTENCES;
    let edits = known_folder(&[
        ("a.txt", format!("{} {}\n\n{} {}\n", s[0], s[1], s[2], s[3])),
        (
            "b.txt",
            format!("{} {}\n\n{} {} {}\n", s[1], s[0], s[2], s[3], s[4]),
        ),
    ]);
    let edits: Vec<&str> = edits
        .iter()
        .flat_map(|f| f["occurrences"].as_array().expect("occurrences"))
        .filter_map(|o| o.get("edit")?.as_str())
        .collect();
    assert_eq!(edits, ["sentences_reordered", "sentence_added"]);
    // Six stories of one site (files directly in the folder: the source "") ending in
    // the same share and copyright lines: one template of three members.
    let footer =
        "Share this story\n\nFollow us online\n\nCopyright 2026 Town Crier. All rights reserved.";
    let pages: Vec<(String, String)> = (0..6)
        .map(|i| {
            let name = format!("story-{i}.txt");
            (
                name,
                format!("{}\n\n{}\n\n{footer}\n", s[2 * i], s[2 * i + 1]),
            )
        })
        .collect();
    let pages: Vec<(&str, String)> = pages.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let templated = known_folder(&pages);
    let members = templated
        .iter()
        .filter(|f| f.get("template").is_some())
        .count();
    assert_eq!(members, 3, "{templated:?}");
}

/// Writes `files` to a fresh folder, scans it, validates the JSON report and returns its
/// findings.
fn known_folder(files: &[(&str, String)]) -> Vec<Value> {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut scanned = Scanned::default();
    for (path, text) in files {
        std::fs::write(dir.path().join(path), text).expect("write a file");
        scanned
            .files
            .insert((*path).to_string(), text.clone().into_bytes());
        scanned.documents += 1;
    }
    let json = scan_to_json(dir.path(), &paradup::ScanOptions::default());
    validate(&json, &scanned);
    json["findings"].as_array().expect("findings").clone()
}

/// Scans a folder and parses its JSON report.
fn scan_to_json(root: &Path, opts: &paradup::ScanOptions) -> Value {
    let report = paradup::scan(&[root.to_path_buf()], opts).expect("scan");
    let mut json = Vec::new();
    paradup::render(&report, paradup::Format::Json, false, &mut json).expect("render JSON");
    serde_json::from_slice(&json).expect("the JSON report parses")
}

/// How many reports had each kind of entry, so the validator is known to have seen them.
#[derive(Debug, Default)]
struct Seen {
    findings: AtomicUsize,
    blocks: AtomicUsize,
    templates: AtomicUsize,
    suggestions: AtomicUsize,
    errors: AtomicUsize,
    warnings: AtomicUsize,
}

impl Seen {
    fn count(&self, json: &Value) {
        for (key, counter) in [
            ("findings", &self.findings),
            ("blocks", &self.blocks),
            ("templates", &self.templates),
            ("suggestions", &self.suggestions),
            ("errors", &self.errors),
            ("warnings", &self.warnings),
        ] {
            if json[key].as_array().is_some_and(|a| !a.is_empty()) {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

// The validator. Every accessor panics with where it was looking.

fn get<'v>(v: &'v Value, key: &str, at: &str) -> &'v Value {
    v.as_object()
        .unwrap_or_else(|| panic!("{at}: not an object: {v}"))
        .get(key)
        .unwrap_or_else(|| panic!("{at}: no `{key}` in {v}"))
}

/// An optional field: absent or `null`.
fn optional<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    v.get(key).filter(|v| !v.is_null())
}

fn uint(v: &Value, key: &str, at: &str) -> u64 {
    get(v, key, at)
        .as_u64()
        .unwrap_or_else(|| panic!("{at}.{key}: not an unsigned integer in {v}"))
}

fn number(v: &Value, key: &str, at: &str) -> f64 {
    let value = get(v, key, at);
    assert!(value.is_number(), "{at}.{key}: not a number in {v}");
    value.as_f64().expect("a number")
}

/// A similarity or an estimate: a number in 0..=1.
fn fraction(v: &Value, key: &str, at: &str) -> f64 {
    let x = number(v, key, at);
    assert!((0.0..=1.0).contains(&x), "{at}.{key}: {x} is not in 0..=1");
    x
}

fn string<'v>(v: &'v Value, key: &str, at: &str) -> &'v str {
    get(v, key, at)
        .as_str()
        .unwrap_or_else(|| panic!("{at}.{key}: not a string in {v}"))
}

fn boolean(v: &Value, key: &str, at: &str) -> bool {
    get(v, key, at)
        .as_bool()
        .unwrap_or_else(|| panic!("{at}.{key}: not a boolean in {v}"))
}

fn array<'v>(v: &'v Value, key: &str, at: &str) -> &'v [Value] {
    get(v, key, at)
        .as_array()
        .unwrap_or_else(|| panic!("{at}.{key}: not an array in {v}"))
}

fn one_of<'v>(v: &'v Value, key: &str, at: &str, allowed: &[&str]) -> &'v str {
    let s = string(v, key, at);
    assert!(
        allowed.contains(&s),
        "{at}.{key}: {s:?} is none of {allowed:?}"
    );
    s
}

/// An id such as `F3`: its number.
fn id_number(id: &Value, prefix: char, at: &str) -> u64 {
    id.as_str()
        .and_then(|s| s.strip_prefix(prefix))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{at}: {id} is not an id `{prefix}<number>`"))
}

/// The finding of an id (`F3` is the third).
fn finding_by_id<'v>(findings: &'v [Value], id: &Value, at: &str) -> &'v Value {
    findings
        .get((id_number(id, 'F', at) as usize).wrapping_sub(1))
        .unwrap_or_else(|| panic!("{at}: no finding {id}"))
}

/// The block of an id.
fn block_by_id<'v>(blocks: &'v [Value], id: &Value, at: &str) -> &'v Value {
    let n = id_number(id, 'B', at);
    blocks
        .iter()
        .find(|b| b.get("id").is_some_and(|b| id_number(b, 'B', at) == n))
        .unwrap_or_else(|| panic!("{at}: no block {id}"))
}

/// The 1-based line of byte `at` of `data`: lines end with LF, CRLF or a lone CR, and the
/// LF of a CRLF is on the CR's line.
fn line_of(data: &[u8], at: usize) -> u64 {
    let breaks = data[..at]
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && data.get(i + 1) != Some(&b'\n')))
        .count();
    1 + breaks as u64
}

/// Where an occurrence is: path, feed record number, first byte.
type Place = (String, Option<u64>, u64);
/// A document: path and feed record number.
type DocKey = (String, Option<u64>);

impl Scanned {
    fn add(&mut self, path: &str, rendered: &Rendered) {
        for &line in &rendered.broken_lines {
            self.errors.insert((path.to_string(), Some(line)));
        }
        self.documents += rendered.documents;
        self.files.insert(path.to_string(), rendered.bytes.clone());
    }

    fn file(&self, path: &str, at: &str) -> &[u8] {
        self.files
            .get(path)
            .unwrap_or_else(|| panic!("{at}: {path:?} is not a file of the folder"))
    }

    /// The number of the last line of a file.
    fn last_line(&self, path: &str, at: &str) -> u64 {
        let data = self.file(path, at);
        line_of(data, data.len().saturating_sub(1))
    }

    /// Lines 1-based inclusive and inside the file.
    fn check_lines(&self, v: &Value, path: &str, at: &str) -> (u64, u64) {
        let (start, end) = (uint(v, "start_line", at), uint(v, "end_line", at));
        let last = self.last_line(path, at);
        assert!(
            1 <= start && start <= end && end <= last,
            "{at}: lines {start}..={end} are not inside {path:?} (lines 1..={last})"
        );
        (start, end)
    }

    /// Lines and bytes inside the file and agreeing with each other: bytes are 0-based,
    /// end-exclusive offsets on disk, lines those of the first and last byte.
    fn check_place(&self, v: &Value, path: &str, at: &str) -> (u64, u64) {
        let (start_line, end_line) = self.check_lines(v, path, at);
        let (start, end) = (uint(v, "start_byte", at), uint(v, "end_byte", at));
        let data = self.file(path, at);
        assert!(
            start < end && end <= data.len() as u64,
            "{at}: bytes {start}..{end} are empty or outside {path:?} ({} bytes)",
            data.len()
        );
        let lines = (
            line_of(data, start as usize),
            line_of(data, end as usize - 1),
        );
        assert_eq!(
            (start_line, end_line),
            lines,
            "{at}: lines disagree with bytes {start}..{end}"
        );
        (start, end)
    }
}

const STATS: [&str; 16] = [
    "documents",
    "paragraphs",
    "bytes",
    "stories",
    "candidate_pairs",
    "findings",
    "exact",
    "near",
    "boilerplate",
    "blocks",
    "templates",
    "suggestions",
    "errors",
    "archive_exact",
    "archive_near",
    "archive_boilerplate",
];

/// Checks a JSON report against README, "JSON report, version 1", and the folder scanned.
fn validate(report: &Value, scanned: &Scanned) {
    let at = "report";
    assert_eq!(uint(report, "version", at), 1);
    let tool = get(report, "tool", at);
    assert_eq!(string(tool, "name", "tool"), "paradup");
    assert_eq!(string(tool, "version", "tool"), env!("CARGO_PKG_VERSION"));
    let settings = get(report, "settings", at);
    let threshold = number(settings, "threshold", "settings");
    assert!(
        (threshold - DEFAULT_THRESHOLD).abs() < 1e-9,
        "settings.threshold {threshold}"
    );
    assert_eq!(
        uint(settings, "min_words", "settings"),
        DEFAULT_MIN_WORDS as u64
    );
    assert_eq!(
        boolean(settings, "exact_only", "settings"),
        scanned.exact_only
    );
    let stats = get(report, "stats", at);
    let stat: HashMap<&str, u64> = STATS
        .iter()
        .map(|&key| (key, uint(stats, key, "stats")))
        .collect();
    let findings = array(report, "findings", at);
    let blocks = array(report, "blocks", at);
    let templates = array(report, "templates", at);
    let suggestions = array(report, "suggestions", at);
    let archive = array(report, "archive", at);
    let drift = array(report, "drift", at);
    let errors = array(report, "errors", at);
    let warnings = array(report, "warnings", at);
    let timing = get(report, "timing", at);
    assert!(number(timing, "total_ms", "timing") >= 0.0);
    let stages = get(timing, "stages_ms", "timing")
        .as_object()
        .expect("timing.stages_ms is an object");
    for (stage, ms) in stages {
        assert!(
            ms.as_f64().is_some_and(|ms| ms >= 0.0),
            "timing.stages_ms.{stage}: {ms}"
        );
    }

    // Ids: findings are F1, F2… in order, blocks are unique.
    for (i, f) in findings.iter().enumerate() {
        assert_eq!(
            id_number(get(f, "id", "finding"), 'F', "finding"),
            i as u64 + 1,
            "finding ids are F1, F2… in order"
        );
    }
    let block_ids: Vec<u64> = blocks
        .iter()
        .map(|b| id_number(get(b, "id", "block"), 'B', "block"))
        .collect();
    assert_eq!(
        block_ids.iter().collect::<HashSet<_>>().len(),
        block_ids.len(),
        "block ids repeat: {block_ids:?}"
    );
    let finding = |id: &Value, at: &str| finding_by_id(findings, id, at);
    let block = |id: &Value, at: &str| block_by_id(blocks, id, at);

    let mut kinds: HashMap<&str, u64> = HashMap::new();
    let mut previous_first: Option<(Vec<String>, u64)> = None;
    for (i, f) in findings.iter().enumerate() {
        let at = &format!("findings[{i}]");
        let kind = one_of(f, "kind", at, &["exact", "near", "boilerplate"]);
        *kinds.entry(kind).or_default() += 1;
        let scope = one_of(f, "scope", at, &["within", "across", "both"]);
        fraction(f, "similarity", at);
        if kind == "near" || f.get("minhash_estimate").is_some() {
            fraction(f, "minhash_estimate", at);
        }
        let documents = uint(f, "documents", at);
        let stories = uint(f, "stories", at);
        for related in array(f, "related", at) {
            assert!(
                !std::ptr::eq(finding(related, at), f),
                "{at}: related to itself"
            );
        }
        let listed: BTreeSet<u64> = array(f, "blocks", at)
            .iter()
            .map(|b| {
                block(b, at);
                id_number(b, 'B', at)
            })
            .collect();
        let occurrences = array(f, "occurrences", at);
        assert!(
            occurrences.len() >= 2,
            "{at}: a duplicate has at least two occurrences"
        );
        let mut per_doc: HashMap<DocKey, usize> = HashMap::new();
        let mut in_blocks = BTreeSet::new();
        let mut variants: HashMap<u64, &str> = HashMap::new();
        let mut first: Option<(Vec<String>, u64)> = None;
        for (j, o) in occurrences.iter().enumerate() {
            let at = &format!("{at}.occurrences[{j}]");
            let (path, record) = check_occurrence(o, scanned, at);
            if let Some(b) = optional(o, "block") {
                block(b, at);
                in_blocks.insert(id_number(b, 'B', at));
            }
            let key = (
                path.split('/').map(str::to_string).collect(),
                uint(o, "start_byte", at),
            );
            if first.as_ref().is_none_or(|f| key < *f) {
                first = Some(key);
            }
            *per_doc.entry((path.to_string(), record)).or_default() += 1;
            // Occurrences of one variant are identical once normalized: one fingerprint.
            let fingerprint = string(o, "fingerprint", at);
            let variant = if kind == "exact" {
                1
            } else {
                uint(o, "variant", at)
            };
            // How a near copy differs from the representative, when sentences moved or
            // were added; the representative's own variant has no edit.
            if o.get("edit").is_some() {
                one_of(
                    o,
                    "edit",
                    at,
                    &["sentences_reordered", "sentence_added", "sentence_dropped"],
                );
                assert_ne!(kind, "exact", "{at}: an exact copy has no edit");
                assert!(
                    !boolean(o, "representative", at),
                    "{at}: the representative has no edit"
                );
            }
            if kind != "boilerplate" {
                let seen = *variants.entry(variant).or_insert(fingerprint);
                assert_eq!(
                    seen, fingerprint,
                    "{at}: two texts in variant {variant} of an {kind} finding"
                );
            }
        }
        assert_eq!(
            listed, in_blocks,
            "{at}: `blocks` is not the blocks of its occurrences"
        );
        assert_eq!(
            documents,
            per_doc.len() as u64,
            "{at}: `documents` is not the documents of its occurrences"
        );
        assert!(
            1 <= stories && stories <= documents,
            "{at}: {stories} stories for {documents} documents"
        );
        let twice = per_doc.values().any(|&n| n > 1);
        let expected = match (per_doc.len(), twice) {
            (1, _) => "within",
            (_, false) => "across",
            (_, true) => "both",
        };
        assert_eq!(scope, expected, "{at}: scope of {per_doc:?}");
        // Ids follow the first occurrence (path, then position).
        assert!(
            previous_first <= first,
            "{at}: findings are not in the order of their first occurrences"
        );
        previous_first = first;
    }

    for (i, b) in blocks.iter().enumerate() {
        let at = &format!("blocks[{i}]");
        let path = string(b, "path", at);
        boolean(b, "exact", at);
        let first = get(b, "first", at);
        let repeat = get(b, "repeat", at);
        let mut runs = Vec::new();
        for (name, run) in [("first", first), ("repeat", repeat)] {
            let at = &format!("{at}.{name}");
            let bytes = scanned.check_place(run, path, at);
            let paragraphs: Vec<u64> = array(run, "paragraphs", at)
                .iter()
                .map(|p| p.as_u64().unwrap_or_else(|| panic!("{at}: paragraph {p}")))
                .collect();
            assert!(
                paragraphs.len() >= 2 && paragraphs.windows(2).all(|w| w[0] < w[1]),
                "{at}: a block is two or more paragraphs in order: {paragraphs:?}"
            );
            runs.push((bytes, paragraphs));
        }
        assert_eq!(
            runs[0].1.len(),
            runs[1].1.len(),
            "{at}: copies of different lengths"
        );
        assert!(
            runs[0].0.1 <= runs[1].0.0 && runs[0].1.last() < runs[1].1.first(),
            "{at}: the repeat is not after the first copy"
        );
        let own = id_number(get(b, "id", at), 'B', at);
        let listed = array(b, "findings", at);
        assert!(!listed.is_empty(), "{at}: a block without findings");
        for f in listed {
            let f = finding(f, at);
            assert!(
                array(f, "blocks", at)
                    .iter()
                    .any(|b| id_number(b, 'B', at) == own),
                "{at}: finding {} does not name its block",
                f["id"]
            );
        }
    }

    check_templates(templates, findings);
    check_suggestions(suggestions, findings, blocks, scanned);

    assert!(archive.is_empty(), "`archive` is for `check` only");
    assert!(drift.is_empty(), "no allowlist, no drift");
    let mut got_errors = BTreeSet::new();
    for (i, e) in errors.iter().enumerate() {
        let at = &format!("errors[{i}]");
        let path = string(e, "path", at);
        assert!(!string(e, "error", at).is_empty(), "{at}: an empty error");
        let line = optional(e, "line").map(|_| uint(e, "line", at));
        if let Some(line) = line {
            assert!(
                1 <= line && line <= scanned.last_line(path, at),
                "{at}: line {line}"
            );
        }
        got_errors.insert((path.to_string(), line));
    }
    assert_eq!(got_errors, scanned.errors, "errors: path and line");
    let mut warned = BTreeSet::new();
    for (i, w) in warnings.iter().enumerate() {
        let at = &format!("warnings[{i}]");
        let path = string(w, "path", at);
        assert!(
            !string(w, "warning", at).is_empty(),
            "{at}: an empty warning"
        );
        if optional(w, "line").is_some() {
            let line = uint(w, "line", at);
            assert!(
                1 <= line && line <= scanned.last_line(path, at),
                "{at}: line {line}"
            );
        }
        warned.insert(path.to_string());
    }
    assert!(
        scanned.warned.is_subset(&warned),
        "warnings missing for {:?}",
        scanned.warned.difference(&warned).collect::<Vec<_>>()
    );

    let count = |kind: &str| kinds.get(kind).copied().unwrap_or(0);
    let expected_stats = [
        ("documents", scanned.documents),
        ("findings", findings.len() as u64),
        ("exact", count("exact")),
        ("near", count("near")),
        ("boilerplate", count("boilerplate")),
        ("blocks", blocks.len() as u64),
        ("templates", templates.len() as u64),
        ("suggestions", suggestions.len() as u64),
        ("errors", errors.len() as u64),
        ("archive_exact", 0),
        ("archive_near", 0),
        ("archive_boilerplate", 0),
    ];
    for (key, expected) in expected_stats {
        assert_eq!(stat[key], expected, "stats.{key}");
    }
    assert!(stat["stories"] <= stat["documents"], "stats.stories");
    if scanned.exact_only {
        assert_eq!(stat["near"], 0, "near findings with exact_only");
    }
}

/// The source of a path in the scanned folder: its top-level folder, or "" for a file
/// directly in it (no `[sources]` map and no source field in these folders).
fn source_of(path: &str) -> &str {
    path.split_once('/').map_or("", |(top, _)| top)
}

/// Checks `templates` against README: every boilerplate finding whose occurrences are at
/// least half in one source (and not half in another) is folded into that source's
/// template when the source has two or more such findings; every other finding is not.
/// Members name their template, templates are numbered in source order, and `pages`
/// counts the source's documents holding a member.
fn check_templates(templates: &[Value], findings: &[Value]) {
    // Expected: source → members, from the findings alone.
    let mut owned: BTreeMap<&str, Vec<u64>> = BTreeMap::new();
    for f in findings {
        if f["kind"] != "boilerplate" {
            continue;
        }
        let mut sites: HashMap<&str, usize> = HashMap::new();
        let occurrences = f["occurrences"].as_array().expect("occurrences");
        for o in occurrences {
            *sites
                .entry(source_of(o["path"].as_str().expect("a path")))
                .or_default() += 1;
        }
        let owners: Vec<&str> = sites
            .iter()
            .filter(|(_, n)| 2 * **n >= occurrences.len())
            .map(|(site, _)| *site)
            .collect();
        if let [owner] = owners[..] {
            owned
                .entry(owner)
                .or_default()
                .push(id_number(&f["id"], 'F', "finding"));
        }
    }
    owned.retain(|_, members| members.len() >= 2);
    let mut member_of: HashMap<u64, String> = HashMap::new();
    let mut previous: Option<(u64, &str)> = None;
    for (i, t) in templates.iter().enumerate() {
        let at = &format!("templates[{i}]");
        let id = id_number(get(t, "id", at), 'T', at);
        let source = string(t, "source", at);
        if let Some((before, before_source)) = previous {
            assert!(
                before < id && before_source < source,
                "{at}: templates are numbered in source order"
            );
        }
        previous = Some((id, source));
        let members: Vec<u64> = array(t, "findings", at)
            .iter()
            .map(|m| {
                let f = finding_by_id(findings, m, at);
                assert_eq!(
                    f["kind"], "boilerplate",
                    "{at}: member {m} is not boilerplate"
                );
                assert_eq!(
                    f.get("template").and_then(Value::as_str),
                    Some(format!("T{id}").as_str()),
                    "{at}: member {m} does not name its template"
                );
                let n = id_number(m, 'F', at);
                assert!(
                    member_of.insert(n, format!("T{id}")).is_none(),
                    "{at}: {m} is in two templates"
                );
                n
            })
            .collect();
        assert_eq!(
            owned.remove(source).as_ref(),
            Some(&members),
            "{at}: not the boilerplate findings {source:?} owns"
        );
        assert_eq!(uint(t, "blocks", at), members.len() as u64, "{at}: blocks");
        let mut pages: BTreeSet<DocKey> = BTreeSet::new();
        for &m in &members {
            let f = &findings[m as usize - 1];
            for o in f["occurrences"].as_array().expect("occurrences") {
                let path = o["path"].as_str().expect("a path");
                if source_of(path) == source {
                    let record = o.get("record").map(|r| uint(r, "number", at));
                    pages.insert((path.to_string(), record));
                }
            }
        }
        assert_eq!(uint(t, "pages", at), pages.len() as u64, "{at}: pages");
    }
    assert!(
        owned.is_empty(),
        "sources without their template: {owned:?}"
    );
    for (i, f) in findings.iter().enumerate() {
        let named = optional(f, "template").map(|t| t.as_str().expect("a template id"));
        assert_eq!(
            named,
            member_of.get(&(i as u64 + 1)).map(String::as_str),
            "findings[{i}]: `template` is not the template listing it"
        );
    }
}

/// Checks an occurrence's fields; returns its path and feed record number.
fn check_occurrence<'v>(o: &'v Value, scanned: &Scanned, at: &str) -> (&'v str, Option<u64>) {
    let path = string(o, "path", at);
    let (start, end) = scanned.check_place(o, path, at);
    uint(o, "paragraph", at);
    assert!(uint(o, "variant", at) >= 1, "{at}: variants count from 1");
    boolean(o, "representative", at);
    fraction(o, "similarity", at);
    let fingerprint = string(o, "fingerprint", at);
    assert!(
        fingerprint.len() == 32 && fingerprint.bytes().all(|b| b.is_ascii_hexdigit()),
        "{at}: fingerprint {fingerprint:?}"
    );
    let text = string(o, "text", at);
    assert!(!text.trim().is_empty(), "{at}: no text");
    let data = scanned.file(path, at);
    let ext = path.rsplit('.').next().expect("an extension");
    let record = optional(o, "record");
    assert_eq!(
        record.is_some(),
        ext == "jsonl",
        "{at}: `record` is there for feeds only"
    );
    let element = optional(o, "element");
    let region = optional(o, "region");
    assert_eq!(
        element.is_some(),
        region.is_some(),
        "{at}: `element` and `region` go together"
    );
    match ext {
        "txt" | "md" => {
            assert!(element.is_none(), "{at}: `element` is for HTML only");
            // The original bytes (when the file is UTF-8: the rest is decoded).
            let bom = if data.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            };
            if std::str::from_utf8(&data[bom..]).is_ok() {
                assert_eq!(
                    text.as_bytes(),
                    &data[start as usize..end as usize],
                    "{at}: `text` is not the bytes of the file"
                );
            }
        }
        "html" | "jsonl" => {
            if ext == "html" {
                assert!(
                    element.is_some(),
                    "{at}: an HTML occurrence has an `element`"
                );
            }
            if element.is_some() {
                assert!(!string(o, "element", at).is_empty(), "{at}: empty element");
                one_of(o, "region", at, &["body", "chrome"]);
            }
            // The extracted text: no markup, no entities, no JSON escapes.
            assert!(
                !text.contains(['<', '&', '\\']),
                "{at}: `text` is not extracted: {text:?}"
            );
        }
        _ => panic!("{at}: unexpected file {path:?}"),
    }
    let number = record.map(|r| {
        let at = &format!("{at}.record");
        string(r, "id", at);
        assert_eq!(string(r, "field", at), "body");
        let line = uint(r, "line", at);
        assert_eq!(
            line,
            uint(o, "start_line", at),
            "{at}: a record's paragraphs are on its line"
        );
        let number = uint(r, "number", at);
        assert!(number >= 1, "{at}: record numbers count from 1");
        number
    });
    (path, number)
}

/// Checks the suggestions' fields, and that they never overlap, each keeps a copy in its
/// own document that no other suggestion removes, and every document keeps a copy of
/// each editorial paragraph (README, "Which copy is kept").
fn check_suggestions(
    suggestions: &[Value],
    findings: &[Value],
    blocks: &[Value],
    scanned: &Scanned,
) {
    let finding = |id: &Value, at: &str| finding_by_id(findings, id, at);
    let block = |id: &Value, at: &str| block_by_id(blocks, id, at);
    let record = |o: &Value| optional(o, "record").map(|r| r["number"].as_u64().expect("number"));
    let place = |o: &Value| -> Place {
        (
            o["path"].as_str().expect("path").to_string(),
            record(o),
            o["start_byte"].as_u64().expect("start_byte"),
        )
    };
    // Target and kept occurrence of each suggestion.
    let mut resolved: Vec<(&Value, &Value, Option<&Value>)> = Vec::new();
    for (i, s) in suggestions.iter().enumerate() {
        let at = &format!("suggestions[{i}]");
        let f = finding(get(s, "finding", at), at);
        let action = one_of(s, "action", at, &["delete", "replace", "review"]);
        let applicability = one_of(s, "applicability", at, &["safe", "unsafe"]);
        let path = string(s, "path", at);
        let (start, end) = scanned.check_place(s, path, at);
        let paragraph = uint(s, "paragraph", at);
        assert!(!string(s, "reason", at).is_empty(), "{at}: no reason");
        if let Some(b) = optional(s, "block") {
            assert_eq!(
                string(block(b, at), "path", at),
                path,
                "{at}: its block is in another file"
            );
        }
        let occurrences = array(f, "occurrences", at);
        let target = occurrences
            .iter()
            .find(|o| {
                o["path"] == path
                    && o["start_byte"] == start
                    && o["end_byte"] == end
                    && o["paragraph"] == paragraph
            })
            .unwrap_or_else(|| panic!("{at}: its paragraph is no occurrence of its finding"));
        let keep = optional(s, "keep").map(|k| {
            let at = &format!("{at}.keep");
            let keep_path = string(k, "path", at);
            let (start_line, end_line) = scanned.check_lines(k, keep_path, at);
            let keep_paragraph = uint(k, "paragraph", at);
            let kept = occurrences
                .iter()
                .find(|o| {
                    o["path"] == keep_path
                        && o["start_line"] == start_line
                        && o["end_line"] == end_line
                        && o["paragraph"] == keep_paragraph
                })
                .unwrap_or_else(|| panic!("{at}: the copy kept is no occurrence of the finding"));
            assert!(
                place(kept) != place(target),
                "{at}: keeps the paragraph it removes"
            );
            assert!(
                kept["path"] == target["path"] && record(kept) == record(target),
                "{at}: keeps a copy in another document (nothing is suggested across documents)"
            );
            if action == "delete" && applicability == "safe" {
                assert!(
                    kept["fingerprint"] == target["fingerprint"] && place(kept).2 < place(target).2,
                    "{at}: a safe deletion keeps the earlier identical copy"
                );
            }
            kept
        });
        assert!(
            keep.is_some() || scanned.suggest_boilerplate,
            "{at}: `keep` is null only for boilerplate deletions, asked for"
        );
        resolved.push((f, target, keep));
    }

    // Never overlapping.
    let mut spans: Vec<(&str, u64, u64)> = suggestions
        .iter()
        .map(|s| {
            (
                s["path"].as_str().expect("path"),
                s["start_byte"].as_u64().expect("start_byte"),
                s["end_byte"].as_u64().expect("end_byte"),
            )
        })
        .collect();
    spans.sort_unstable();
    for pair in spans.windows(2) {
        assert!(
            pair[0].0 != pair[1].0 || pair[0].2 <= pair[1].1,
            "suggestions overlap: {pair:?}"
        );
    }
    let targets: HashMap<Place, bool> = resolved
        .iter()
        .map(|(_, target, keep)| (place(target), keep.is_some()))
        .collect();
    for (i, (f, _, keep)) in resolved.iter().enumerate() {
        let Some(keep) = keep else { continue };
        // A boilerplate deletion (asked for, keeping nothing) removes every copy, the
        // one a "pasted twice" deletion keeps included.
        let allowed = f["kind"] == "boilerplate";
        if let Some(&keeps) = targets.get(&place(keep)) {
            assert!(
                allowed && !keeps,
                "suggestions[{i}]: the copy it keeps is removed by another suggestion"
            );
        }
    }
    // Every document keeps a copy of every editorial paragraph it holds.
    let mut seen = HashSet::new();
    for (f, _, _) in &resolved {
        if f["kind"] == "boilerplate" || !seen.insert(f["id"].as_str()) {
            continue;
        }
        let mut kept: HashMap<DocKey, bool> = HashMap::new();
        for o in f["occurrences"].as_array().expect("occurrences") {
            let (path, record, _) = place(o);
            *kept.entry((path, record)).or_default() |= !targets.contains_key(&place(o));
        }
        assert!(
            kept.values().all(|&k| k),
            "finding {}: every copy in a document is removed: {kept:?}",
            f["id"]
        );
    }
}
