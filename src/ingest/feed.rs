//! Feeds and CMS exports: JSON Lines (`.jsonl`, `.ndjson`) and JSON arrays of article
//! objects (`.json`). Each record is its own document.
//!
//! `serde_json` parses each record into borrowed [`RawValue`]s, which keeps every field's
//! place in the file; the text field is then unescaped here, by hand, because only that
//! way do we learn where each character of the article sits on disk (a finding in a
//! record must point at the bytes of its paragraph inside the JSON string).

use std::collections::HashMap;

use serde_json::value::RawValue;

use super::{Document, Encoding, FileRead, OffsetMap, Record, Source, TextFormat, decode};
use crate::error::FileError;
use crate::options::ReadOptions;
use crate::span::{LineIndex, Span};

/// Text fields tried in order when `--text-field` is not given.
pub const DEFAULT_TEXT_FIELDS: [&str; 3] = ["body", "text", "content"];
/// Id fields tried in order when `--id-field` is not given (else the record number).
pub const DEFAULT_ID_FIELDS: [&str; 2] = ["id", "url"];

/// Reads every record of a feed file into `read`. Only a file that is not JSON at all
/// (an array that does not parse) is an error for the whole file.
pub(super) fn records(
    source: &Source,
    text: &str,
    offsets: &OffsetMap,
    encoding: Encoding,
    opts: &ReadOptions,
    read: &mut FileRead,
) -> Result<(), FileError> {
    let lines = LineIndex::new(text.as_bytes());
    let file = FileText {
        source,
        text,
        offsets,
        lines: &lines,
        encoding,
    };
    read_records(&file, opts, read)?;
    collapse_missing_fields(source, read);
    warn_without_sources(source, opts, read);
    Ok(())
}

/// A `--source-field` that no record of a feed has is most likely misspelt, or names a
/// nested field: one warning says that the file's records all keep the file's source.
fn warn_without_sources(source: &Source, opts: &ReadOptions, read: &mut FileRead) {
    let Some(name) = &opts.source_field else {
        return;
    };
    let no_source = |d: &Document| d.record.as_ref().is_none_or(|r| r.source.is_none());
    if !read.documents.is_empty() && read.documents.iter().all(no_source) {
        read.warnings.push(crate::error::FileWarning::new(
            &source.shown_path,
            format!(
                "no record has a `{name}` field (--source-field): its records are in the file's source"
            ),
        ));
    }
}

/// A JSON file none of whose records has a text field is most likely not a feed at all
/// (a config file, a saved report): it is skipped with one warning, not an error per
/// record, so a `paradup.json` report left in the folder does not fail the next scan.
fn collapse_missing_fields(source: &Source, read: &mut FileRead) {
    let missing = |e: &FileError| e.error.contains(NO_TEXT_FIELD);
    if read.documents.is_empty() && !read.errors.is_empty() && read.errors.iter().all(missing) {
        let records = read.errors.len();
        read.errors.clear();
        read.warnings.push(crate::error::FileWarning::new(
            &source.shown_path,
            format!(
                "{NO_TEXT_FIELD} in any of its {records} records: not an article feed, skipped"
            ),
        ));
    }
}

const NO_TEXT_FIELD: &str = "no text field";

fn read_records(
    file: &FileText<'_>,
    opts: &ReadOptions,
    read: &mut FileRead,
) -> Result<(), FileError> {
    let (source, text) = (file.source, file.text);
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        let records: Vec<&RawValue> = serde_json::from_str(text).map_err(|err| {
            FileError::new(&source.shown_path, format!("invalid JSON array: {err}"))
                .at_line(u32::try_from(err.line()).unwrap_or(u32::MAX))
        })?;
        for (i, raw) in records.iter().enumerate() {
            file.record(raw.get(), offset_in(text, raw.get()), i + 1, opts, read);
        }
        return Ok(());
    }
    if trimmed.starts_with('{')
        && let Ok(whole) = serde_json::from_str::<&RawValue>(text)
        && text.lines().filter(|l| !l.trim().is_empty()).count() > 1
    {
        // One pretty-printed object: an article, or a wrapper holding an array of them.
        if let Some(list) = wrapped_array(whole.get()) {
            for (i, raw) in list.iter().enumerate() {
                file.record(raw.get(), offset_in(text, raw.get()), i + 1, opts, read);
            }
        } else {
            file.record(whole.get(), offset_in(text, whole.get()), 1, opts, read);
        }
        return Ok(());
    }
    // JSON Lines: one record per non-blank line.
    let mut number = 0;
    let mut start = 0;
    while start < text.len() {
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
        let line = text[start..end].trim_end_matches('\r');
        if !line.trim().is_empty() {
            number += 1;
            let lead = line.len() - line.trim_start().len();
            file.record(line.trim(), start + lead, number, opts, read);
        }
        start = end + 1;
    }
    Ok(())
}

/// Reads a record again from its bytes alone.
pub(super) fn reread_record(
    source: &Source,
    raw: &[u8],
    record: &Record,
    opts: &ReadOptions,
) -> Result<Document, FileError> {
    let (text, offsets) = decode::decode_as(raw, record.encoding, record.span.start);
    let parsed = parse(text.trim_end(), opts).map_err(|reason| {
        FileError::new(
            &source.shown_path,
            format!("record {}: {reason}", record.number),
        )
    })?;
    Ok(parsed
        .content
        .into_document(&text, &offsets, parsed.field_at, record.clone()))
}

/// The decoded feed file, for turning records into documents.
struct FileText<'a> {
    source: &'a Source,
    text: &'a str,
    offsets: &'a OffsetMap,
    lines: &'a LineIndex,
    encoding: Encoding,
}

impl FileText<'_> {
    /// Parses the record `raw`, found at text offset `at`, into a document or an error
    /// entry for that record.
    fn record(&self, raw: &str, at: usize, number: usize, opts: &ReadOptions, read: &mut FileRead) {
        let number = u32::try_from(number).unwrap_or(u32::MAX);
        let line = self.lines.line_of(at);
        match parse(raw, opts) {
            Err(reason) => read.errors.push(
                FileError::new(
                    &self.source.shown_path,
                    format!("record {number}: {reason}"),
                )
                .at_line(line),
            ),
            Ok(parsed) => {
                let field_at = at + parsed.field_at;
                let record = Record {
                    id: parsed.id.unwrap_or_else(|| number.to_string()),
                    number,
                    line: self.lines.line_of(field_at),
                    span: Span::new(
                        self.offsets.to_disk(self.text, at),
                        self.offsets.to_disk(self.text, at + raw.len()),
                    ),
                    field: parsed.field,
                    source: parsed.source,
                    encoding: self.encoding,
                };
                let document =
                    parsed
                        .content
                        .into_document(self.text, self.offsets, field_at, record);
                read.documents.push(document);
            }
        }
    }
}

/// A record's parts paradup uses.
struct Parsed {
    /// Id, when an id field is present.
    id: Option<String>,
    /// The text field's name.
    field: String,
    /// The record's source, when `--source-field` is given and the record has it.
    source: Option<String>,
    /// Offset of the text field's opening quote in the record.
    field_at: usize,
    /// The text field, unescaped.
    content: Field,
}

/// A text field's unescaped text and its breakpoints `(text offset, offset in the JSON
/// literal)`.
struct Field(String, Vec<(usize, usize)>);

impl Field {
    /// The record's document: its literal starts at `field_at` in `file_text`, whose
    /// offsets map to disk through `offsets`.
    fn into_document(
        self,
        file_text: &str,
        offsets: &OffsetMap,
        field_at: usize,
        record: Record,
    ) -> Document {
        let Field(text, breaks) = self;
        // Between escapes the field copies the file's text, whose own map to disk (UTF-16,
        // Windows-1252, replaced bytes) carries over: mapping the escapes alone would
        // point every later character of a non-UTF-8 feed at the wrong bytes.
        let pieces: Vec<(usize, usize)> =
            breaks.into_iter().map(|(t, s)| (t, field_at + s)).collect();
        Document {
            format: text_format(&text),
            offsets: offsets.compose(file_text, &pieces, text.len()),
            text,
            record: Some(record),
        }
    }
}

fn parse(raw: &str, opts: &ReadOptions) -> Result<Parsed, String> {
    if !raw.starts_with('{') {
        return Err("not a JSON object".to_string());
    }
    let fields: HashMap<String, &RawValue> =
        serde_json::from_str(raw).map_err(|err| format!("invalid JSON: {err}"))?;
    let (field, value) = text_field(&fields, opts)?;
    let (text, breaks) =
        unescape(value.get()).ok_or_else(|| format!("field `{field}` is not a string"))?;
    let id = id_of(&fields, opts);
    let source = opts.source_field.as_ref().and_then(|name| {
        let value = scalar(fields.get(name)?)?;
        crate::options::field_source(name, &value)
    });
    Ok(Parsed {
        id,
        source,
        field_at: offset_in(raw, value.get()),
        field,
        content: Field(text, breaks),
    })
}

fn text_field<'a>(
    fields: &HashMap<String, &'a RawValue>,
    opts: &ReadOptions,
) -> Result<(String, &'a RawValue), String> {
    if let Some(name) = &opts.text_field {
        return fields
            .get(name)
            .map(|v| (name.clone(), *v))
            .ok_or_else(|| format!("no field `{name}` (--text-field)"));
    }
    DEFAULT_TEXT_FIELDS
        .iter()
        .find_map(|name| Some(((*name).to_string(), *fields.get(*name)?)))
        .ok_or_else(|| {
            format!(
                "{NO_TEXT_FIELD} (none of `body`, `text`, `content`; choose one with --text-field)"
            )
        })
}

fn id_of(fields: &HashMap<String, &RawValue>, opts: &ReadOptions) -> Option<String> {
    let value = match &opts.id_field {
        Some(name) => *fields.get(name)?,
        None => DEFAULT_ID_FIELDS
            .iter()
            .find_map(|n| fields.get(*n).copied())?,
    };
    scalar(value)
}

/// A string field's text, or a number's digits; `None` for anything else.
fn scalar(value: &RawValue) -> Option<String> {
    let raw = value.get();
    if raw.starts_with('"') {
        unescape(raw).map(|(s, _)| s)
    } else if raw.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        Some(raw.to_string())
    } else {
        None
    }
}

/// The first member of a wrapper object (`{"items": [...]}`) that is an array of objects.
fn wrapped_array(raw: &str) -> Option<Vec<&RawValue>> {
    let fields: HashMap<String, &RawValue> = serde_json::from_str(raw).ok()?;
    let has_text = DEFAULT_TEXT_FIELDS.iter().any(|f| fields.contains_key(*f));
    if has_text {
        return None;
    }
    let mut names: Vec<&String> = fields.keys().collect();
    names.sort_by_key(|n| offset_in(raw, fields[*n].get()));
    names.into_iter().find_map(|name| {
        let list: Vec<&RawValue> = serde_json::from_str(fields[name].get()).ok()?;
        list.iter()
            .all(|r| r.get().starts_with('{'))
            .then_some(list)
            .filter(|l| !l.is_empty())
    })
}

/// Byte offset of `part` inside `whole` (`part` is a slice borrowed from `whole`).
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize).saturating_sub(whole.as_ptr() as usize)
}

/// Text that holds HTML markup is segmented as HTML: a tag of a block or inline element
/// commonly found in article bodies.
fn text_format(text: &str) -> TextFormat {
    const TAGS: [&str; 16] = [
        "p",
        "br",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "blockquote",
        "a",
        "em",
        "strong",
        "span",
        "figure",
    ];
    let bytes = text.as_bytes();
    for at in memchr::memchr_iter(b'<', bytes).take(64) {
        let rest = &text[at + 1..];
        let rest = rest.strip_prefix('/').unwrap_or(rest);
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_len);
        if TAGS.iter().any(|t| t.eq_ignore_ascii_case(name))
            && after.starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace())
        {
            return TextFormat::Html;
        }
    }
    TextFormat::Text
}

/// Unescapes a JSON string literal (quotes included), returning the text and breakpoints
/// `(text offset, offset in the literal)` after each escape; between breakpoints the two
/// advance together. `None` if `literal` is not a string.
fn unescape(literal: &str) -> Option<(String, Vec<(usize, usize)>)> {
    let inner = literal.strip_prefix('"')?.strip_suffix('"')?;
    let bytes = inner.as_bytes();
    let mut out = String::with_capacity(inner.len());
    let mut breaks = vec![(0, 1)];
    let mut i = 0;
    while i < bytes.len() {
        let Some(k) = memchr::memchr(b'\\', &bytes[i..]) else {
            out.push_str(&inner[i..]);
            break;
        };
        out.push_str(&inner[i..i + k]);
        i += k;
        let (c, used) = escape_at(inner, i)?;
        out.push(c);
        i += used;
        breaks.push((out.len(), 1 + i));
    }
    Some((out, breaks))
}

/// The character an escape sequence starting at `inner[at] == '\\'` stands for, and how
/// many bytes it takes.
fn escape_at(inner: &str, at: usize) -> Option<(char, usize)> {
    let simple = match inner.as_bytes().get(at + 1)? {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => return unicode_escape(inner, at),
        _ => return None,
    };
    Some((simple, 2))
}

fn unicode_escape(inner: &str, at: usize) -> Option<(char, usize)> {
    let unit = |from: usize| u16::from_str_radix(inner.get(from..from + 4)?, 16).ok();
    let high = unit(at + 2)?;
    if (0xD800..0xDC00).contains(&high)
        && inner.get(at + 6..at + 8) == Some("\\u")
        && let Some(low) = unit(at + 8).filter(|l| (0xDC00..0xE000).contains(l))
    {
        let c = 0x10000 + ((u32::from(high) - 0xD800) << 10) + (u32::from(low) - 0xDC00);
        return Some((char::from_u32(c)?, 12));
    }
    Some((char::from_u32(u32::from(high)).unwrap_or('\u{FFFD}'), 6))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn source(name: &str) -> Source {
        Source {
            site: String::new(),
            path: name.into(),
            shown_path: name.to_string(),
            format: super::super::InputFormat::Json,
            stdin: None,
        }
    }

    fn read_feed(text: &str, opts: &ReadOptions) -> FileRead {
        let mut read = FileRead::default();
        records(
            &source("feed.jsonl"),
            text,
            &OffsetMap::shifted(0),
            Encoding::Utf8,
            opts,
            &mut read,
        )
        .expect("a feed");
        read
    }

    /// The disk text of a paragraph-sized range of a document.
    fn disk<'a>(file: &'a str, doc: &Document, start: usize, end: usize) -> &'a str {
        let s = doc.offsets.to_disk(&doc.text, start) as usize;
        let e = doc.offsets.to_disk(&doc.text, end) as usize;
        &file[s..e]
    }

    #[test]
    fn json_lines_records_with_escapes_map_to_disk() {
        let file = concat!(
            r#"{"id": "a1", "body": "First para says \"hi\".\n\nCaf\u00e9 second para."}"#,
            "\n\n",
            r#"{"url": "https://x.org/2", "text": "<p>One</p><p>Two &amp; three</p>"}"#,
            "\n",
            "{not json}\n",
            r#"{"id": 7, "headline": "no body"}"#,
            "\n",
            r#"{"id": 8, "body": 42}"#,
            "\n",
            "[1, 2]\n",
        );
        let read = read_feed(file, &ReadOptions::default());
        assert_eq!(read.documents.len(), 2);
        let a = &read.documents[0];
        let rec = a.record.as_ref().unwrap();
        assert_eq!(
            (rec.id.as_str(), rec.number, rec.line, rec.field.as_str()),
            ("a1", 1, 1, "body")
        );
        assert_eq!(a.text, "First para says \"hi\".\n\nCafé second para.");
        assert_eq!(a.format, TextFormat::Text);
        let second = a.text.find("Café").unwrap();
        assert_eq!(
            disk(file, a, second, a.text.len()),
            r"Caf\u00e9 second para."
        );
        assert_eq!(
            disk(file, a, 0, a.text.find('\n').unwrap()),
            r#"First para says \"hi\"."#
        );
        assert_eq!(rec.span, Span::new(0, file.find("\n\n").unwrap() as u64));
        let b = &read.documents[1];
        let rec = b.record.as_ref().unwrap();
        assert_eq!(
            (rec.id.as_str(), rec.number, rec.line, rec.field.as_str()),
            ("https://x.org/2", 2, 3, "text")
        );
        assert_eq!(b.format, TextFormat::Html);
        let errors: Vec<_> = read
            .errors
            .iter()
            .map(|e| (e.line, e.error.as_str()))
            .collect();
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert!(
            errors[0].1.starts_with("record 3: invalid JSON"),
            "{errors:?}"
        );
        assert_eq!(errors[0].0, Some(4));
        assert!(errors[1].1.contains("no text field"), "{errors:?}");
        assert!(errors[2].1.contains("`body` is not a string"), "{errors:?}");
        assert!(errors[3].1.contains("not a JSON object"), "{errors:?}");
    }

    #[test]
    fn pretty_json_array_uses_the_field_line_and_options() {
        let file = "[\n  {\n    \"slug\": \"s-1\",\n    \"story\": \"Alpha para.\\n\\nBeta para.\"\n  },\n  {\"slug\": \"s-2\", \"story\": \"Gamma.\"}\n]\n";
        let opts = ReadOptions {
            text_field: Some("story".into()),
            id_field: Some("slug".into()),
            ..ReadOptions::default()
        };
        let read = read_feed(file, &opts);
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        let recs: Vec<_> = read
            .documents
            .iter()
            .map(|d| {
                let r = d.record.as_ref().unwrap();
                (r.id.as_str(), r.line)
            })
            .collect();
        assert_eq!(recs, vec![("s-1", 4), ("s-2", 6)]);
        let d = &read.documents[0];
        let beta = d.text.find("Beta").unwrap();
        assert_eq!(disk(file, d, beta, d.text.len()), "Beta para.");
        let reread = reread_record(
            &source("f.json"),
            &file.as_bytes()[d.record.as_ref().unwrap().span.start as usize
                ..d.record.as_ref().unwrap().span.end as usize],
            d.record.as_ref().unwrap(),
            &opts,
        )
        .unwrap();
        assert_eq!(reread.text, d.text);
        assert_eq!(
            reread.offsets.to_disk(&reread.text, beta),
            d.offsets.to_disk(&d.text, beta)
        );
    }

    #[test]
    fn a_source_field_names_the_record_source_and_urls_count_by_host() {
        let file = concat!(
            r#"{"body": "One.", "outlet": "kaaa", "url": "https://www.weis-radio.com/a/1"}"#,
            "\n",
            r#"{"body": "Two.", "outlet": " ", "url": "http://weis-radio.com:80/b"}"#,
            "\n",
            r#"{"body": "Three.", "outlet": 17, "url": null}"#,
            "\n",
            r#"{"body": "Four.", "outlet": "https://WWW.Example.org/x"}"#,
            "\n",
        );
        let sources = |field: Option<&str>| {
            let opts = ReadOptions {
                source_field: field.map(Into::into),
                ..ReadOptions::default()
            };
            let read = read_feed(file, &opts);
            assert!(read.errors.is_empty(), "{:?}", read.errors);
            let sources: Vec<Option<String>> = read
                .documents
                .iter()
                .map(|d| d.record.as_ref().unwrap().source.clone())
                .collect();
            (sources, read.warnings)
        };
        let some = |s: &str| Some(s.to_string());
        let (outlets, warnings) = sources(Some("outlet"));
        assert_eq!(
            outlets,
            vec![some("kaaa"), None, some("17"), some("example.org")]
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        let (hosts, _) = sources(Some("url"));
        assert_eq!(
            hosts,
            vec![some("weis-radio.com"), some("weis-radio.com"), None, None]
        );
        assert_eq!(sources(None).0, vec![None; 4]);
        let (none, warnings) = sources(Some("publisher"));
        assert_eq!(none, vec![None; 4]);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(warnings[0].warning.contains("`publisher`"), "{warnings:?}");
    }

    #[test]
    fn wrapper_object_and_invalid_array() {
        let file = "{\n \"items\": [\n  {\"id\": 1, \"body\": \"One.\"},\n  {\"id\": 2, \"body\": \"Two.\"}\n ]\n}\n";
        let read = read_feed(file, &ReadOptions::default());
        assert_eq!(read.documents.len(), 2);
        assert_eq!(read.documents[1].record.as_ref().unwrap().line, 4);
        let mut read = FileRead::default();
        let err = records(
            &source("bad.json"),
            "[\n{\"body\": \"x\"},\n{oops}\n]",
            &OffsetMap::shifted(0),
            Encoding::Utf8,
            &ReadOptions::default(),
            &mut read,
        )
        .unwrap_err();
        assert!(err.error.starts_with("invalid JSON array"), "{err:?}");
        assert_eq!(err.line, Some(3));
    }

    #[test]
    fn non_utf8_feeds_map_paragraphs_to_their_bytes() {
        // Text and disk advance apart between escapes: one disk byte for a 2- or 3-byte
        // character in Windows-1252, two disk bytes for every character in UTF-16.
        let body = "{\"body\": \"caf\u{e9}\\n\\n\u{201c}quoted\u{201d} para\"}\n";
        let w1252: Vec<u8> = body
            .chars()
            .map(|c| match c {
                '\u{e9}' => 0xE9,
                '\u{201c}' => 0x93,
                '\u{201d}' => 0x94,
                c => c as u8,
            })
            .collect();
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in body.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let chars = |end: usize| body[..end].chars().count() as u64;
        for (raw, bom, width) in [(w1252, 0, 1), (utf16, 2, 2)] {
            let decode::Decoded::Text {
                text,
                offsets,
                encoding,
                ..
            } = decode::decode(raw)
            else {
                panic!("text expected");
            };
            let mut read = FileRead::default();
            records(
                &source("f.jsonl"),
                &text,
                &offsets,
                encoding,
                &ReadOptions::default(),
                &mut read,
            )
            .expect("a feed");
            let doc = &read.documents[0];
            let quoted = doc.text.find('\u{201c}').unwrap();
            assert_eq!(
                doc.offsets.to_disk(&doc.text, quoted),
                bom + width * chars(body.find('\u{201c}').unwrap())
            );
            assert_eq!(
                doc.offsets.to_disk(&doc.text, doc.text.len()),
                bom + width * chars(body.rfind('"').unwrap())
            );
            let record = doc.record.as_ref().unwrap();
            assert_eq!(record.span.end, bom + width * chars(body.len() - 1));
        }
    }

    proptest! {
        /// Unescaping agrees with serde_json, and every breakpoint points just past an
        /// escape in the literal.
        #[test]
        fn unescape_agrees_with_serde(s in "\\PC{0,40}") {
            let literal = serde_json::to_string(&s).unwrap();
            let (text, breaks) = unescape(&literal).unwrap();
            prop_assert_eq!(&text, &s);
            for (t, l) in breaks {
                prop_assert!(text.is_char_boundary(t));
                prop_assert!(l < literal.len());
            }
        }
    }
}
