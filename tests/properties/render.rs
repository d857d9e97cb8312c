//! Rendering articles as files of every format paradup reads, with the variations real
//! files have (line endings, byte order marks, entities, front matter, escapes in feeds),
//! since offsets are what break on them.

use std::fmt::{self, Write as _};

use proptest::collection::vec;
use proptest::prelude::*;

use crate::article::{Article, Block, FOOTER, HEADINGS, Kind, article};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Markdown,
    Html,
    Feed,
}

impl Format {
    pub(crate) fn ext(self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Feed => "jsonl",
        }
    }

    /// The first byte of a `checks::check_fix` input, which picks the format.
    pub(crate) fn selector(self) -> u8 {
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
pub(crate) struct Style {
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
pub(crate) struct Feed {
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

pub(crate) fn feed() -> impl Strategy<Value = Feed> {
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
pub(crate) struct Rendered {
    pub(crate) bytes: Vec<u8>,
    /// Documents it holds (a page is one, a feed one per good record).
    pub(crate) documents: u64,
    /// Lines of the malformed records.
    pub(crate) broken_lines: Vec<u64>,
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
pub(crate) enum Doc {
    Page(Format, Article, Style),
    Feed(Feed),
}

impl Doc {
    pub(crate) fn format(&self) -> Format {
        match self {
            Doc::Page(format, ..) => *format,
            Doc::Feed(_) => Format::Feed,
        }
    }

    pub(crate) fn render(&self) -> Rendered {
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

pub(crate) fn page(format: Format) -> impl Strategy<Value = Doc> {
    (article(), style()).prop_map(move |(article, style)| Doc::Page(format, article, style))
}

pub(crate) fn any_doc() -> impl Strategy<Value = Doc> {
    prop_oneof![
        page(Format::Text),
        page(Format::Markdown),
        page(Format::Html),
        feed().prop_map(Doc::Feed),
    ]
}

/// The bytes a check is given, shown as a byte string when a case fails.
#[derive(Clone)]
pub(crate) struct Input {
    pub(crate) format: Format,
    pub(crate) bytes: Vec<u8>,
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

pub(crate) fn input(doc: impl Strategy<Value = Doc>) -> impl Strategy<Value = Input> {
    doc.prop_map(|doc| Input {
        format: doc.format(),
        bytes: doc.render().bytes,
    })
}
