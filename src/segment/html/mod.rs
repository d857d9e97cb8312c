//! HTML pages (html5ever): which elements are paragraphs, and where each lies in the text.
//!
//! html5ever builds the same tree a browser would, but it reports no byte offsets. We get
//! them by feeding it the text in chunks that each start at a `<` (plus one chunk before
//! the first `<`) and noting which chunk is being processed whenever the tree builder calls
//! our [`TreeSink`]: html5ever emits a start tag's element while processing the chunk that
//! holds the tag's `>`, and a run of characters while processing the chunk it lies in. So
//! an element starts at its chunk's `<` and a text node runs from the end of its chunk's
//! tag to the end of the chunk. Ends are found after parsing, because html5ever calls
//! `TreeSink::pop` for only some of the elements it closes: an element ends after the `>`
//! of the first later chunk that is its end tag `</name …>`, or, when something else was
//! added to the tree first (it was closed implicitly), just before that chunk, less
//! trailing whitespace (see [`Dom::close_elements`]).
//!
//! Where that assumption breaks, the span stays safe (on `<`, `>` or whitespace boundaries,
//! inside the text) but is approximate; the tests pin the common cases:
//! * A start tag with `<` inside a quoted attribute value spans several chunks; the element
//!   is emitted in the last one. We look back over the chunks in which nothing was emitted
//!   for the one that opens the tag.
//! * A character reference cut by a chunk end (`AT&T<b>`) or a lone `<` is emitted while the
//!   next chunk is processed; such text is credited to the previous chunk.
//! * Text inside a table that is moved before it (foster parenting), elements the parser
//!   invents (`html`, `body`, `tbody`, reopened formatting elements) and elements moved by
//!   the adoption agency get the position of the tag that caused them. Blocks are finally
//!   clamped so that their spans never overlap.
//!
//! Which elements are paragraphs: `p`, `li`, `blockquote`, `dd`, `dt`, `figcaption` and
//! headings are, when they hold no other block; in any element, each run of inline content
//! between block children is a paragraph of its own (a share bar of links in a `div`).
//! Scripts, styles, `pre`, form controls, `svg`, `math` and the `head` are never prose.
//!
//! [`blocks`] ties the parts together: [`dom`] parses the page into nodes with offsets,
//! [`chrome`] says which elements are what (and, for `body_only`, where the article is),
//! and [`walk`] turns the tree into paragraphs.
//!
//! [`TreeSink`]: html5ever::tree_builder::TreeSink
//! [`Dom::close_elements`]: dom::Dom::close_elements

mod chrome;
mod dom;
#[cfg(test)]
mod tests;
mod walk;

use chrome::body_scope;
use dom::{DOCUMENT, parse};
use walk::{Context, Walker};

use super::BlockKind;

/// One paragraph found in an HTML page, in coordinates of the `text` passed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HtmlBlock {
    /// Byte offset of the element's start tag `<` (or of the inline run's first node).
    pub start: usize,
    /// One past the end tag's `>` (or the end of the content if implicitly closed).
    pub end: usize,
    /// Heading, list item, quote or prose.
    pub kind: BlockKind,
    /// Inside page chrome (navigation, page header and footer, sidebars, share bars…).
    pub chrome: bool,
    /// A short CSS path to paste into the browser's devtools, e.g. `article > p:nth-of-type(7)`.
    pub element: String,
    /// The paragraph's text: entities decoded, tags gone, whitespace collapsed, `<br>` as `\n`.
    pub content: String,
}

/// Splits an HTML page into paragraphs, in document order with disjoint increasing spans.
///
/// With `body_only`, keeps only the article body (all `article` elements, else `main`, else
/// the element whose direct `p` children hold the most words) and never page chrome.
pub(crate) fn blocks(text: &str, body_only: bool) -> Vec<HtmlBlock> {
    let dom = parse(text);
    let scope = body_only.then(|| body_scope(&dom));
    let mut walker = Walker {
        dom: &dom,
        text,
        contains_block: dom.contains_block(),
        scope: scope.as_deref(),
        found: Vec::new(),
    };
    let top = Context {
        in_scope: scope.as_ref().is_some_and(|roots| roots[DOCUMENT]),
        ..Context::default()
    };
    walker.visit_children(DOCUMENT, "", top);
    let mut floor = 0;
    let mut out = Vec::with_capacity(walker.found.len());
    for (mut block, in_scope) in walker.found {
        // Nodes moved by error recovery may be out of source order: never let spans overlap.
        block.start = block.start.max(floor);
        if block.start >= block.end {
            continue;
        }
        floor = block.end;
        debug_assert!(text.is_char_boundary(block.start) && text.is_char_boundary(block.end));
        if !body_only || (in_scope && !block.chrome) {
            out.push(block);
        }
    }
    out
}
