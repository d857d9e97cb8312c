//! Markdown (CommonMark via `pulldown-cmark`): which blocks are prose.
//!
//! Front matter (YAML `---` or TOML `+++`), code blocks, raw HTML blocks and tables are not
//! prose and produce no paragraph. Headings are paragraphs of kind `Heading` (never
//! candidates). List items and block quotes produce one paragraph per text block inside
//! them. The content kept for matching is the inline text only, so `*emphasis*` and
//! `[links](…)` match their plain-text copies.

use std::borrow::Cow;

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{BlockKind, RawBlock};

/// A block being collected.
struct Open {
    start: usize,
    end: usize,
    kind: BlockKind,
    content: String,
}

pub(super) fn blocks(text: &str) -> Vec<RawBlock<'_>> {
    let options = Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let mut blocks = Vec::new();
    let mut containers: Vec<BlockKind> = Vec::new();
    let mut opaque = 0usize;
    let mut open: Option<Open> = None;

    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(
                Tag::MetadataBlock(_) | Tag::CodeBlock(_) | Tag::HtmlBlock | Tag::Table(_),
            ) => {
                close(text, &mut open, &mut blocks);
                opaque += 1;
            }
            Event::End(
                TagEnd::MetadataBlock(_) | TagEnd::CodeBlock | TagEnd::HtmlBlock | TagEnd::Table,
            ) => {
                opaque = opaque.saturating_sub(1);
            }
            _ if opaque > 0 => {}
            Event::Start(Tag::Paragraph | Tag::Heading { .. }) => {
                close(text, &mut open, &mut blocks);
                let kind = if matches!(event, Event::Start(Tag::Heading { .. })) {
                    BlockKind::Heading
                } else {
                    containers.last().copied().unwrap_or(BlockKind::Prose)
                };
                open = Some(Open {
                    start: range.start,
                    end: range.end,
                    kind,
                    content: String::new(),
                });
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) => {
                if let Some(block) = open.as_mut() {
                    block.end = block.end.max(range.end);
                }
                close(text, &mut open, &mut blocks);
            }
            Event::Start(Tag::Item) => {
                close(text, &mut open, &mut blocks);
                containers.push(BlockKind::ListItem);
            }
            Event::Start(Tag::BlockQuote(_)) => {
                close(text, &mut open, &mut blocks);
                containers.push(BlockKind::Quote);
            }
            Event::End(TagEnd::Item | TagEnd::BlockQuote(_)) => {
                close(text, &mut open, &mut blocks);
                containers.pop();
            }
            Event::Start(Tag::List(_)) | Event::Rule => close(text, &mut open, &mut blocks),
            Event::Text(piece) | Event::Code(piece) => {
                let block = open.get_or_insert_with(|| Open {
                    start: range.start,
                    end: range.end,
                    kind: containers.last().copied().unwrap_or(BlockKind::Prose),
                    content: String::new(),
                });
                block.content.push_str(&piece);
                block.end = block.end.max(range.end);
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(block) = open.as_mut() {
                    block.content.push(' ');
                }
            }
            _ => {}
        }
    }
    close(text, &mut open, &mut blocks);
    blocks
}

/// Finishes the open block: widens it to whole lines (so list and quote markers belong to
/// the paragraph they introduce) and drops blocks without text.
fn close<'a>(text: &'a str, open: &mut Option<Open>, blocks: &mut Vec<RawBlock<'a>>) {
    let Some(block) = open.take() else { return };
    if block.content.trim().is_empty() {
        return;
    }
    let floor = blocks.last().map_or(0, |b: &RawBlock<'_>| b.end);
    let line_start = text[..block.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let start = line_start.max(floor).min(block.start);
    let end = start + text[start..block.end].trim_end().len();
    if end <= start {
        return;
    }
    blocks.push(RawBlock::new(
        start,
        end,
        block.kind,
        Cow::Owned(block.content),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    const ARTICLE: &str = "---\ntitle: Flood talks\n---\n\n# Flood talks\n\nThe *council* met [today](https://x.org).\n\n```\ncode line\n```\n\n- first item\n- second item\n\n> quoted line one\n> line two\n\n    indented code\n";

    #[test]
    fn front_matter_and_code_are_not_prose() {
        let blocks = blocks(ARTICLE);
        let got: Vec<_> = blocks
            .iter()
            .map(|b| (b.kind, b.content.as_ref(), &ARTICLE[b.start..b.end]))
            .collect();
        assert_eq!(
            got,
            vec![
                (BlockKind::Heading, "Flood talks", "# Flood talks"),
                (
                    BlockKind::Prose,
                    "The council met today.",
                    "The *council* met [today](https://x.org)."
                ),
                (BlockKind::ListItem, "first item", "- first item"),
                (BlockKind::ListItem, "second item", "- second item"),
                (
                    BlockKind::Quote,
                    "quoted line one line two",
                    "> quoted line one\n> line two"
                ),
            ]
        );
    }
}
