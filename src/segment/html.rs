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

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, LocalName, Namespace, ParseOpts, QualName, parse_document};

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

// ---------------------------------------------------------------------------------------
// Parsing into a small arena DOM with positions.

/// The arena index of the document node.
const DOCUMENT: usize = 0;

/// Attributes that decide chrome and element paths; the rest are dropped.
#[derive(Debug, Default)]
struct Attrs {
    id: Option<String>,
    class: Option<String>,
    role: Option<String>,
}

#[derive(Debug)]
enum Data {
    Document,
    Element {
        name: QualName,
        attrs: Attrs,
        /// The fragment holding a `template`'s contents.
        template: Option<usize>,
    },
    Text(String),
    /// Comments, processing instructions, template fragments.
    Other,
}

#[derive(Debug)]
struct Node {
    parent: Option<usize>,
    children: Vec<usize>,
    data: Data,
    start: usize,
    /// Set for text when appended, for elements after parsing ([`Dom::close_elements`]).
    end: Option<usize>,
    /// The last chunk in which this node was created or got a child; after parsing, the
    /// last such chunk in its subtree.
    last_chunk: usize,
}

impl Node {
    fn new(data: Data, start: usize) -> Node {
        Node {
            parent: None,
            children: Vec::new(),
            data,
            start,
            end: None,
            last_chunk: 0,
        }
    }

    /// The local name of an HTML, `svg` or `math` element (`""` for other nodes).
    fn tag(&self) -> &str {
        match &self.data {
            Data::Element { name, .. } => &name.local,
            _ => "",
        }
    }

    fn attrs(&self) -> Option<&Attrs> {
        match &self.data {
            Data::Element { attrs, .. } => Some(attrs),
            _ => None,
        }
    }
}

/// The parsed page.
#[derive(Debug)]
struct Dom {
    nodes: Vec<Node>,
}

impl Dom {
    fn node(&self, id: usize) -> &Node {
        &self.nodes[id]
    }

    /// Node ids of the tree under `root` (template contents excluded), parents first.
    fn preorder(&self, root: usize) -> Vec<usize> {
        let mut order = Vec::with_capacity(self.nodes.len());
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            order.push(id);
            stack.extend(self.nodes[id].children.iter().rev());
        }
        order
    }

    /// Gives every element its end.
    ///
    /// html5ever's `TreeSink::pop` is no help here: most pops (`pop_until`, `truncate`) do
    /// not call it. So we look at the chunks after the last one that added anything to the
    /// element's subtree: the first one that starts with its end tag `</name` (not already
    /// taken by a nested element of the same name, hence children first) closes it
    /// explicitly; a chunk in which anything was added elsewhere, or that starts with an
    /// ancestor's end tag, closed it implicitly, and it ends before that chunk's whitespace.
    fn close_elements(&mut self, text: &str, chunks: &[usize], active: &[bool]) {
        let mut claimed = vec![false; chunks.len()];
        for id in self.preorder(DOCUMENT).into_iter().rev() {
            let last = self.nodes[id]
                .children
                .iter()
                .map(|&c| self.nodes[c].last_chunk)
                .fold(self.nodes[id].last_chunk, usize::max);
            self.nodes[id].last_chunk = last;
            if !matches!(self.nodes[id].data, Data::Element { .. }) {
                continue;
            }
            let end = self.element_end(id, text, chunks, active, &mut claimed);
            let children_end = self.nodes[id]
                .children
                .iter()
                .filter_map(|&c| self.nodes[c].end.map(|end| trim_end(text, end)));
            let node = &self.nodes[id];
            let end = children_end
                .fold(end.max(node.start), usize::max)
                .min(text.len());
            self.nodes[id].end = Some(end);
        }
    }

    fn element_end(
        &self,
        id: usize,
        text: &str,
        chunks: &[usize],
        active: &[bool],
        claimed: &mut [bool],
    ) -> usize {
        let node = &self.nodes[id];
        let tag = node.tag();
        let bytes = text.as_bytes();
        if is_void(tag) {
            return node.start + markup_len(&bytes[node.start..]);
        }
        for k in node.last_chunk + 1..chunks.len() {
            let at = chunks[k];
            if claimed[k] {
                continue;
            }
            if closes(text, at, tag) {
                claimed[k] = true;
                let end = chunks.get(k + 1).copied().unwrap_or(text.len());
                return memchr::memchr(b'>', &bytes[at..end]).map_or(end, |i| at + i + 1);
            }
            if active[k] || (bytes[at..].starts_with(b"</") && self.closes_ancestor(id, text, at)) {
                return trim_end(text, at);
            }
        }
        trim_end(text, text.len())
    }

    fn closes_ancestor(&self, id: usize, text: &str, at: usize) -> bool {
        let mut parent = self.nodes[id].parent;
        while let Some(p) = parent {
            let tag = self.nodes[p].tag();
            if !tag.is_empty() && closes(text, at, tag) {
                return true;
            }
            parent = self.nodes[p].parent;
        }
        false
    }

    /// For each node: whether it is, or holds, a block (an element that is neither inline
    /// nor skipped), i.e. whether it breaks a run of inline content.
    fn contains_block(&self) -> Vec<bool> {
        let mut flags = vec![false; self.nodes.len()];
        for id in self.preorder(DOCUMENT).into_iter().rev() {
            let node = &self.nodes[id];
            let tag = node.tag();
            flags[id] = match node.data {
                Data::Element { .. } if is_skipped(tag) => false,
                Data::Element { .. } if !is_inline(tag) => true,
                _ => node.children.iter().any(|&c| flags[c]),
            };
        }
        flags
    }
}

/// Where the parser is in the text, shared between the feeding loop and the sink.
#[derive(Debug, Default)]
struct Cursor {
    /// Index of the chunk being processed.
    chunk: Cell<usize>,
    /// The first chunk of the current run of chunks in which nothing was emitted before
    /// the current one: a tag cut by a `<` in an attribute value starts there.
    quiet_from: Cell<usize>,
    /// Whether the sink was called during the current chunk.
    active: Cell<bool>,
    /// The previous chunk ended in the middle of a character reference (or was a lone `<`),
    /// so text emitted first in this chunk belongs to the previous one.
    spill: Cell<bool>,
    /// Input is over: `finish` is closing what is still open.
    eof: Cell<bool>,
}

impl Cursor {
    fn begin(&self, chunk: usize, spill: bool) {
        if chunk == 0 || self.active.get() {
            self.quiet_from.set(chunk);
        }
        self.chunk.set(chunk);
        self.active.set(false);
        self.spill.set(spill);
    }
}

/// The html5ever tree sink building a [`Dom`] whose nodes carry byte offsets.
struct Sink<'t> {
    text: &'t str,
    /// Start offset of each chunk; chunk 0 starts at 0.
    chunks: &'t [usize],
    cursor: Rc<Cursor>,
    nodes: RefCell<Vec<Node>>,
    /// For each chunk (and one for the end of input): whether anything was added to the
    /// tree while it was processed.
    active: RefCell<Vec<bool>>,
}

/// An element's name as html5ever asks for it (owned: atoms are cheap to clone, and no
/// borrow of the arena outlives the call).
#[derive(Debug)]
struct Name(QualName);

impl ElemName for Name {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }
    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

impl Sink<'_> {
    fn chunk_start(&self, chunk: usize) -> usize {
        self.chunks.get(chunk).copied().unwrap_or(self.text.len())
    }

    fn chunk_end(&self, chunk: usize) -> usize {
        self.chunk_start(chunk + 1)
    }

    /// Start of the element `name` being created now: the chunk that opens its tag.
    fn element_start(&self, name: &str) -> usize {
        if self.cursor.eof.get() {
            return self.text.len();
        }
        let current = self.cursor.chunk.get();
        (self.cursor.quiet_from.get()..=current)
            .rev()
            .map(|c| self.chunk_start(c))
            .find(|&at| opens(self.text, at, name))
            .unwrap_or_else(|| self.chunk_start(current))
    }

    /// Notes that `node` was created or got a child in `chunk`.
    fn touch(&self, nodes: &mut [Node], node: usize, chunk: usize) {
        nodes[node].last_chunk = nodes[node].last_chunk.max(chunk);
        self.mark(chunk);
    }

    /// Notes that the tree got something other than text in `chunk`: text emitted after
    /// that is no longer a leftover from the previous chunk.
    fn mark_markup(&self, chunk: usize) {
        self.cursor.spill.set(false);
        self.mark(chunk);
    }

    /// Notes that something happened to the tree in `chunk`.
    fn mark(&self, chunk: usize) {
        self.cursor.active.set(true);
        if let Some(flag) = self.active.borrow_mut().get_mut(chunk) {
            *flag = true;
        }
    }

    /// The chunk that text emitted now lies in.
    fn text_chunk(&self) -> usize {
        if self.cursor.eof.get() {
            return self.chunks.len();
        }
        let current = self.cursor.chunk.get();
        if self.cursor.spill.get() && current > 0 {
            current - 1
        } else {
            current
        }
    }

    fn text_span(&self, chunk: usize) -> (usize, usize) {
        if self.cursor.eof.get() {
            return (self.text.len(), self.text.len());
        }
        let (start, end) = (self.chunk_start(chunk), self.chunk_end(chunk));
        (start + markup_len(&self.text.as_bytes()[start..end]), end)
    }

    fn push(&self, node: Node) -> usize {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(node);
        nodes.len() - 1
    }

    fn detach(nodes: &mut [Node], child: usize) {
        if let Some(parent) = nodes[child].parent.take() {
            nodes[parent].children.retain(|&c| c != child);
        }
    }

    /// Appends text to `parent` at `index` among its children, merging with a text node
    /// just before it.
    fn insert_text(&self, parent: usize, index: usize, text: &str) {
        let chunk = self.text_chunk();
        let (start, end) = self.text_span(chunk);
        let mut nodes = self.nodes.borrow_mut();
        self.touch(&mut nodes, parent, chunk);
        if index > 0 {
            let before = nodes[parent].children[index - 1];
            if let Data::Text(existing) = &mut nodes[before].data {
                existing.push_str(text);
                let node = &mut nodes[before];
                node.end = Some(node.end.unwrap_or(end).max(end));
                return;
            }
        }
        let id = nodes.len();
        let mut node = Node::new(Data::Text(text.to_string()), start);
        node.end = Some(end);
        node.last_chunk = chunk;
        node.parent = Some(parent);
        nodes.push(node);
        nodes[parent].children.insert(index, id);
    }

    fn insert(&self, parent: usize, index: usize, child: NodeOrText<usize>) {
        match child {
            NodeOrText::AppendText(text) => self.insert_text(parent, index, &text),
            NodeOrText::AppendNode(node) => {
                let mut nodes = self.nodes.borrow_mut();
                self.touch(&mut nodes, parent, self.cursor.chunk.get());
                self.cursor.spill.set(false);
                Self::detach(&mut nodes, node);
                let index = index.min(nodes[parent].children.len());
                nodes[node].parent = Some(parent);
                nodes[parent].children.insert(index, node);
            }
        }
    }
}

impl TreeSink for Sink<'_> {
    type Handle = usize;
    type Output = (Dom, Vec<bool>);
    type ElemName<'a>
        = Name
    where
        Self: 'a;

    fn finish(self) -> (Dom, Vec<bool>) {
        let dom = Dom {
            nodes: self.nodes.into_inner(),
        };
        (dom, self.active.into_inner())
    }

    fn parse_error(&self, _msg: std::borrow::Cow<'static, str>) {}

    fn get_document(&self) -> usize {
        DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Name {
        match &self.nodes.borrow()[*target].data {
            Data::Element { name, .. } => Name(name.clone()),
            _ => Name(QualName::new(
                None,
                Namespace::default(),
                LocalName::default(),
            )),
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> usize {
        let start = self.element_start(&name.local);
        let chunk = self.cursor.chunk.get();
        self.mark_markup(chunk);
        let mut kept = Attrs::default();
        for attr in attrs {
            let slot = match &*attr.name.local {
                "id" => &mut kept.id,
                "class" => &mut kept.class,
                "role" => &mut kept.role,
                _ => continue,
            };
            *slot = Some(attr.value.to_string());
        }
        let template = flags
            .template
            .then(|| self.push(Node::new(Data::Other, start)));
        let mut node = Node::new(
            Data::Element {
                name,
                attrs: kept,
                template,
            },
            start,
        );
        node.last_chunk = chunk;
        self.push(node)
    }

    fn create_comment(&self, _text: StrTendril) -> usize {
        self.mark_markup(self.cursor.chunk.get());
        self.push(Node::new(
            Data::Other,
            self.chunk_start(self.cursor.chunk.get()),
        ))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.mark_markup(self.cursor.chunk.get());
        self.push(Node::new(
            Data::Other,
            self.chunk_start(self.cursor.chunk.get()),
        ))
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        let index = self.nodes.borrow()[*parent].children.len();
        self.insert(*parent, index, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &usize,
        prev_element: &usize,
        child: NodeOrText<usize>,
    ) {
        if self.nodes.borrow()[*element].parent.is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {
        self.mark_markup(self.cursor.chunk.get());
    }

    fn get_template_contents(&self, target: &usize) -> usize {
        match self.nodes.borrow()[*target].data {
            Data::Element {
                template: Some(contents),
                ..
            } => contents,
            // html5ever only asks for templates; a stray call gets a harmless detached node.
            _ => *target,
        }
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &usize, new_node: NodeOrText<usize>) {
        let place = {
            let nodes = self.nodes.borrow();
            nodes[*sibling].parent.and_then(|parent| {
                let index = nodes[parent].children.iter().position(|c| c == sibling)?;
                Some((parent, index))
            })
        };
        if let Some((parent, index)) = place {
            // Moving a node that sits before the sibling in the same parent shifts the index.
            if let NodeOrText::AppendNode(node) = &new_node {
                let nodes = self.nodes.borrow();
                let shift = nodes[*node].parent == Some(parent)
                    && nodes[parent].children.iter().position(|c| c == node) < Some(index);
                drop(nodes);
                self.insert(parent, index - usize::from(shift), new_node);
            } else {
                self.insert(parent, index, new_node);
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &usize, attrs: Vec<Attribute>) {
        let mut nodes = self.nodes.borrow_mut();
        if let Data::Element { attrs: kept, .. } = &mut nodes[*target].data {
            for attr in attrs {
                let slot = match &*attr.name.local {
                    "id" => &mut kept.id,
                    "class" => &mut kept.class,
                    "role" => &mut kept.role,
                    _ => continue,
                };
                slot.get_or_insert_with(|| attr.value.to_string());
            }
        }
    }

    fn remove_from_parent(&self, target: &usize) {
        Self::detach(&mut self.nodes.borrow_mut(), *target);
        self.mark_markup(self.cursor.chunk.get());
    }

    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let mut nodes = self.nodes.borrow_mut();
        let children = std::mem::take(&mut nodes[*node].children);
        for &child in &children {
            nodes[child].parent = Some(*new_parent);
        }
        nodes[*new_parent].children.extend(children);
        self.touch(&mut nodes, *new_parent, self.cursor.chunk.get());
        self.cursor.spill.set(false);
    }
}

/// Parses `text`, feeding html5ever one chunk per `<` so the sink knows where it is.
fn parse(text: &str) -> Dom {
    let mut chunks = vec![0];
    chunks.extend(memchr::memchr_iter(b'<', text.as_bytes()).filter(|&i| i > 0));
    let cursor = Rc::new(Cursor::default());
    let sink = Sink {
        text,
        chunks: &chunks,
        cursor: Rc::clone(&cursor),
        nodes: RefCell::new(vec![Node::new(Data::Document, 0)]),
        active: RefCell::new(vec![false; chunks.len() + 1]),
    };
    let mut parser = parse_document(sink, ParseOpts::default());
    let bytes = text.as_bytes();
    let mut previous: &[u8] = &[];
    let mut nesting = NestingGuard::default();
    for (i, &start) in chunks.iter().enumerate() {
        let end = chunks.get(i + 1).copied().unwrap_or(text.len());
        if start == end {
            continue;
        }
        cursor.begin(i, needs_lookahead(previous));
        let fed = start + nesting.skip(&bytes[start..end]);
        parser.process(StrTendril::from_slice(&text[fed..end]));
        previous = &bytes[start..end];
    }
    cursor.eof.set(true);
    cursor.chunk.set(chunks.len());
    let (mut dom, active) = parser.finish();
    dom.close_elements(text, &chunks, &active);
    dom
}

/// Elements nested deeper than this are not given to the parser as elements (their text
/// still is). html5ever's scope checks walk the stack of open elements, so a page of
/// 100,000 nested `div`s would take quadratic time; browsers cap nesting similarly.
const MAX_NESTING: usize = 512;

/// Tracks how deep elements with required end tags are nested, from the tags alone, and
/// drops start tags beyond [`MAX_NESTING`] together with their end tags.
#[derive(Default)]
struct NestingGuard {
    depth: usize,
    /// Names of the start tags dropped and not yet closed.
    dropped: Vec<Vec<u8>>,
}

impl NestingGuard {
    /// How many leading bytes of `chunk` to leave out: its tag, when it is dropped.
    fn skip(&mut self, chunk: &[u8]) -> usize {
        let Some((closing, name)) = tag_name(chunk) else {
            return 0;
        };
        let name = name.to_ascii_lowercase();
        let counted =
            std::str::from_utf8(&name).is_ok_and(|tag| !is_void(tag) && !has_optional_end_tag(tag));
        if !counted {
            return 0;
        }
        if closing {
            if let Some(at) = self.dropped.iter().rposition(|d| *d == name) {
                self.dropped.remove(at);
                return markup_len(chunk);
            }
            self.depth = self.depth.saturating_sub(1);
            return 0;
        }
        if self.depth < MAX_NESTING {
            self.depth += 1;
            return 0;
        }
        self.dropped.push(name);
        markup_len(chunk)
    }
}

/// The name of the tag a chunk starts with, and whether it is an end tag.
fn tag_name(chunk: &[u8]) -> Option<(bool, &[u8])> {
    let rest = chunk.strip_prefix(b"<")?;
    let (closing, rest) = match rest.strip_prefix(b"/") {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    let len = rest
        .iter()
        .position(|b| !b.is_ascii_alphanumeric() && *b != b'-')
        .unwrap_or(rest.len());
    (len > 0 && rest[0].is_ascii_alphabetic()).then(|| (closing, &rest[..len]))
}

/// Elements whose end tag may be left out (they close implicitly, so counting them
/// would overstate nesting).
fn has_optional_end_tag(tag: &str) -> bool {
    matches!(
        tag,
        "html"
            | "head"
            | "body"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "option"
            | "optgroup"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "caption"
            | "rb"
            | "rt"
            | "rp"
    )
}

/// Whether the tokenizer stops inside this chunk's last characters waiting for the next
/// chunk: an unterminated character reference (`AT&T`) or a lone `<`.
fn needs_lookahead(chunk: &[u8]) -> bool {
    if chunk == b"<" {
        return true;
    }
    memchr::memrchr(b'&', chunk).is_some_and(|amp| {
        chunk[amp + 1..]
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || b == b'#')
    })
}

/// Whether `text[at..]` starts with the start tag `<name` (ASCII case-insensitive).
fn opens(text: &str, at: usize, name: &str) -> bool {
    tag_named(&text.as_bytes()[at..], b"<", name)
}

/// Whether `text[at..]` starts with the end tag `</name`.
fn closes(text: &str, at: usize, name: &str) -> bool {
    tag_named(&text.as_bytes()[at..], b"</", name)
}

fn tag_named(bytes: &[u8], open: &[u8], name: &str) -> bool {
    let name = name.as_bytes();
    let after = open.len() + name.len();
    bytes.starts_with(open)
        && bytes.len() >= after
        && bytes[open.len()..after].eq_ignore_ascii_case(name)
        && bytes
            .get(after)
            .is_none_or(|&b| b.is_ascii_whitespace() || b == b'/' || b == b'>')
}

/// Length of the markup (tag, comment, doctype) a chunk starts with; the text follows it.
/// Quoted attribute values may hold `>`.
fn markup_len(chunk: &[u8]) -> usize {
    let is_markup = chunk.first() == Some(&b'<')
        && chunk
            .get(1)
            .is_some_and(|&b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'));
    if !is_markup {
        return 0;
    }
    if chunk.starts_with(b"<!--") {
        return memchr::memmem::find(&chunk[4..], b"-->").map_or(chunk.len(), |i| i + 7);
    }
    let mut i = 1;
    while i < chunk.len() {
        match chunk[i] {
            b'>' => return i + 1,
            b'=' => {
                i += 1;
                while i < chunk.len() && chunk[i].is_ascii_whitespace() {
                    i += 1;
                }
                if let Some(&quote @ (b'"' | b'\'')) = chunk.get(i) {
                    match memchr::memchr(quote, &chunk[i + 1..]) {
                        Some(len) => i += len + 2,
                        None => return chunk.len(),
                    }
                }
            }
            _ => i += 1,
        }
    }
    chunk.len()
}

/// `end` moved back over ASCII whitespace.
fn trim_end(text: &str, end: usize) -> usize {
    text.as_bytes()[..end].trim_ascii_end().len()
}

// ---------------------------------------------------------------------------------------
// Element classes.

/// Elements whose content is never prose (and which never break an inline run).
fn is_skipped(tag: &str) -> bool {
    matches!(
        tag,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "pre"
            | "textarea"
            | "select"
            | "svg"
            | "math"
            | "head"
            | "iframe"
            | "object"
    )
}

/// Phrasing elements: they continue the paragraph around them.
fn is_inline(tag: &str) -> bool {
    matches!(
        tag,
        "a" | "abbr"
            | "acronym"
            | "b"
            | "bdi"
            | "bdo"
            | "big"
            | "br"
            | "button"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "font"
            | "i"
            | "img"
            | "input"
            | "ins"
            | "kbd"
            | "label"
            | "mark"
            | "meter"
            | "nobr"
            | "output"
            | "picture"
            | "progress"
            | "q"
            | "rp"
            | "rt"
            | "ruby"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strike"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "tt"
            | "u"
            | "var"
            | "wbr"
    )
}

/// Elements that have no end tag and no content.
fn is_void(tag: &str) -> bool {
    matches!(
        tag,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Where an element path starts: landmarks a reviewer can find at a glance.
fn is_landmark(tag: &str) -> bool {
    matches!(
        tag,
        "article" | "main" | "nav" | "header" | "footer" | "aside" | "body"
    )
}

const CHROME_ROLES: [&str; 5] = [
    "navigation",
    "banner",
    "contentinfo",
    "complementary",
    "search",
];

const CHROME_WORDS: [&str; 17] = [
    "nav",
    "navbar",
    "menu",
    "footer",
    "sidebar",
    "share",
    "sharing",
    "social",
    "related",
    "breadcrumb",
    "breadcrumbs",
    "cookie",
    "newsletter",
    "promo",
    "subscribe",
    "masthead",
    "topbar",
];

/// Whether an element is page chrome. A `header` inside an article or `main` holds the
/// headline, so only page-level headers count. Class words on `html`, `body`, `main` and
/// `article` are ignored: themes put layout words there (`body class="has-sidebar"`), and
/// they would mark the whole page as chrome.
fn is_chrome(node: &Node, in_article: bool) -> bool {
    let tag = node.tag();
    match tag {
        "nav" | "aside" | "footer" => return true,
        "header" if !in_article => return true,
        _ => {}
    }
    let Some(attrs) = node.attrs() else {
        return false;
    };
    let role = attrs.role.as_deref().unwrap_or("");
    if role
        .split_ascii_whitespace()
        .any(|r| CHROME_ROLES.iter().any(|c| r.eq_ignore_ascii_case(c)))
    {
        return true;
    }
    if matches!(tag, "html" | "body" | "main" | "article") {
        return false;
    }
    [&attrs.id, &attrs.class]
        .into_iter()
        .flatten()
        .any(|value| {
            value
                .split(|c: char| c.is_ascii_whitespace() || c == '-' || c == '_')
                .any(|word| CHROME_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w)))
        })
}

// ---------------------------------------------------------------------------------------
// Article body (body_only).

/// Marks the elements whose paragraphs are the article body (the document node when
/// there is no telling: then everything that is not chrome is kept).
fn body_scope(dom: &Dom) -> Vec<bool> {
    let order = dom.preorder(DOCUMENT);
    let mut roots = vec![false; dom.nodes.len()];
    for wanted in ["article", "main"] {
        let mut any = false;
        for &id in &order {
            if dom.node(id).tag() == wanted {
                roots[id] = true;
                any = true;
            }
        }
        if any {
            return roots;
        }
    }
    match densest(dom, &order) {
        Some(id) => roots[id] = true,
        None => roots[DOCUMENT] = true,
    }
    roots
}

/// The element whose direct `p` children hold the most words (the first on ties), among
/// those with at least two.
fn densest(dom: &Dom, order: &[usize]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for &id in order {
        let mut paragraphs = 0;
        let mut words = 0;
        for &child in &dom.node(id).children {
            if dom.node(child).tag() == "p" {
                paragraphs += 1;
                let mut text = Collector::default();
                collect(dom, child, &mut text);
                words += text.out.split_whitespace().count();
            }
        }
        if paragraphs >= 2 && best.is_none_or(|(_, most)| words > most) {
            best = Some((id, words));
        }
    }
    best.map(|(id, _)| id)
}

// ---------------------------------------------------------------------------------------
// Text collection.

/// Builds a paragraph's content: ASCII whitespace runs become one space, `<br>` a newline,
/// and both ends are trimmed.
#[derive(Default)]
struct Collector {
    out: String,
    pending_space: bool,
    pending_breaks: usize,
    /// Non-whitespace characters pushed so far: tells whether a node added anything.
    visible: usize,
    /// Scratch stack for [`collect`], kept to spare an allocation per node.
    stack: Vec<usize>,
}

impl Collector {
    fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_ascii_whitespace() {
                self.pending_space = true;
                continue;
            }
            if !self.out.is_empty() {
                if self.pending_breaks > 0 {
                    self.out
                        .extend(std::iter::repeat_n('\n', self.pending_breaks));
                } else if self.pending_space {
                    self.out.push(' ');
                }
            }
            self.pending_space = false;
            self.pending_breaks = 0;
            self.out.push(c);
            self.visible += 1;
        }
    }

    fn line_break(&mut self) {
        self.pending_breaks += 1;
    }
}

/// Appends the text under `root` (inclusive): skipped elements give nothing, `br` a line
/// break, blocks (only met past the depth limit) a space.
fn collect(dom: &Dom, root: usize, into: &mut Collector) {
    let mut stack = std::mem::take(&mut into.stack);
    stack.push(root);
    while let Some(id) = stack.pop() {
        let node = dom.node(id);
        match &node.data {
            Data::Text(text) => into.push_text(text),
            Data::Element { .. } => {
                let tag = node.tag();
                if tag == "br" {
                    into.line_break();
                } else if !is_skipped(tag) {
                    if !is_inline(tag) {
                        into.push_text(" ");
                    }
                    stack.extend(node.children.iter().rev());
                }
            }
            Data::Document | Data::Other => {}
        }
    }
    into.stack = stack;
}

// ---------------------------------------------------------------------------------------
// Walking the tree into paragraphs.

/// Beyond this nesting, an element is read as one paragraph (keeps the recursion shallow
/// on pathological pages).
const MAX_DEPTH: usize = 1024;

/// What the ancestors of the element being visited say about its paragraphs.
#[derive(Clone, Copy, Default)]
struct Context {
    /// `ListItem` inside `li`, `Quote` inside `blockquote` (the nearest wins).
    kind: Option<BlockKind>,
    chrome: bool,
    /// Inside `article` or `main` (a `header` there is not chrome).
    in_article: bool,
    /// Inside the article body, for `body_only`.
    in_scope: bool,
    depth: usize,
}

struct Walker<'d> {
    dom: &'d Dom,
    text: &'d str,
    contains_block: Vec<bool>,
    scope: Option<&'d [bool]>,
    found: Vec<(HtmlBlock, bool)>,
}

impl Walker<'_> {
    /// The context inside element `id`.
    fn enter(&self, id: usize, outer: Context) -> Context {
        let node = self.dom.node(id);
        let tag = node.tag();
        Context {
            kind: match tag {
                "li" => Some(BlockKind::ListItem),
                "blockquote" => Some(BlockKind::Quote),
                _ => outer.kind,
            },
            chrome: outer.chrome || is_chrome(node, outer.in_article),
            in_article: outer.in_article || matches!(tag, "article" | "main"),
            in_scope: outer.in_scope || self.scope.is_some_and(|roots| roots[id]),
            depth: outer.depth + 1,
        }
    }

    /// Emits the paragraphs of the children of `parent` (whose path is `path`, in context
    /// `ctx`): runs of inline content between block children, and the blocks' own.
    fn visit_children(&mut self, parent: usize, path: &str, ctx: Context) {
        let dom = self.dom;
        let children = &dom.node(parent).children;
        let tag = dom.node(parent).tag();
        let kind = if is_heading(tag) {
            BlockKind::Heading
        } else {
            ctx.kind.unwrap_or(BlockKind::Prose)
        };
        let whole = parent != DOCUMENT
            && !matches!(tag, "html" | "body")
            && !children.iter().any(|&c| self.contains_block[c]);
        if whole || ctx.depth > MAX_DEPTH {
            let node = dom.node(parent);
            let mut content = Collector::default();
            for &child in children {
                collect(dom, child, &mut content);
            }
            let end = node.end.unwrap_or(node.start);
            self.emit(node.start, end, kind, ctx, path, content.out);
            return;
        }
        let mut run = Run::default();
        let mut types = SiblingTypes::new(dom, children);
        for &child in children {
            let node = dom.node(child);
            let step = types.step(node.tag());
            match &node.data {
                Data::Text(_) => run.add(self.text, dom, child),
                Data::Element { .. } if is_skipped(node.tag()) => {}
                Data::Element { .. } if !self.contains_block[child] => {
                    run.add(self.text, dom, child);
                }
                Data::Element { .. } => {
                    self.flush(&mut run, kind, ctx, path);
                    let child_path = child_path(path, node, &step);
                    self.visit_children(child, &child_path, self.enter(child, ctx));
                }
                Data::Document | Data::Other => {}
            }
        }
        self.flush(&mut run, kind, ctx, path);
    }

    fn flush(&mut self, run: &mut Run, kind: BlockKind, ctx: Context, path: &str) {
        let run = std::mem::take(run);
        if let Some((start, end)) = run.span {
            self.emit(start, end, kind, ctx, path, run.content.out);
        }
    }

    fn emit(
        &mut self,
        start: usize,
        end: usize,
        kind: BlockKind,
        ctx: Context,
        path: &str,
        content: String,
    ) {
        if content.is_empty() || start >= end {
            return;
        }
        let end = end.min(self.text.len());
        let block = HtmlBlock {
            start,
            end,
            kind,
            chrome: ctx.chrome,
            element: path.to_string(),
            content,
        };
        self.found.push((block, ctx.in_scope));
    }
}

/// A run of inline content being gathered.
#[derive(Default)]
struct Run {
    content: Collector,
    /// From the first node that added visible text to the last one.
    span: Option<(usize, usize)>,
}

impl Run {
    fn add(&mut self, text: &str, dom: &Dom, id: usize) {
        let before = self.content.visible;
        collect(dom, id, &mut self.content);
        if self.content.visible == before {
            return;
        }
        let node = dom.node(id);
        let (mut start, mut end) = (node.start, node.end.unwrap_or(node.start));
        if matches!(node.data, Data::Text(_)) && start < end {
            let raw = &text.as_bytes()[start..end];
            let trimmed = raw.trim_ascii();
            if !trimmed.is_empty() {
                start += raw.len() - raw.trim_ascii_start().len();
                end = start + trimmed.len();
            }
        }
        self.span = Some(match self.span {
            Some((first, _)) => (first, end.max(first)),
            None => (start, end),
        });
    }
}

/// Counts of each element name among siblings, for `:nth-of-type`.
struct SiblingTypes<'d> {
    totals: Vec<(&'d str, usize)>,
    seen: Vec<(&'d str, usize)>,
}

impl<'d> SiblingTypes<'d> {
    fn new(dom: &'d Dom, children: &[usize]) -> Self {
        let mut totals: Vec<(&str, usize)> = Vec::new();
        for &child in children {
            let tag = dom.node(child).tag();
            if tag.is_empty() {
                continue;
            }
            match totals.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, n)) => *n += 1,
                None => totals.push((tag, 1)),
            }
        }
        SiblingTypes {
            totals,
            seen: Vec::new(),
        }
    }

    /// The path step of the next sibling, named `tag` (`p` or `p:nth-of-type(3)`).
    fn step(&mut self, tag: &'d str) -> String {
        if tag.is_empty() {
            return String::new();
        }
        let total = self
            .totals
            .iter()
            .find(|(t, _)| *t == tag)
            .map_or(1, |(_, n)| *n);
        let k = if let Some((_, n)) = self.seen.iter_mut().find(|(t, _)| *t == tag) {
            *n += 1;
            *n
        } else {
            self.seen.push((tag, 1));
            1
        };
        if total > 1 {
            format!("{tag}:nth-of-type({k})")
        } else {
            tag.to_string()
        }
    }
}

/// The path of a child element: restarts at an `id` or a landmark, else extends `path`.
fn child_path(path: &str, node: &Node, step: &str) -> String {
    if let Some(id) = node.attrs().and_then(|a| a.id.as_deref()) {
        if is_plain_ident(id) {
            return format!("#{id}");
        }
        return format!("[id=\"{}\"]", id.replace('\\', "\\\\").replace('"', "\\\""));
    }
    let tag = node.tag();
    if is_landmark(tag) {
        return tag.to_string();
    }
    if path.is_empty() {
        step.to_string()
    } else {
        shorten_path(format!("{path} > {step}"))
    }
}

/// Longest element path kept whole; a deeper one keeps its innermost steps after "… > ",
/// which is what a reviewer reads (a page nested 500 deep would otherwise give every
/// paragraph a path of kilobytes).
const MAX_PATH_BYTES: usize = 160;

fn shorten_path(path: String) -> String {
    if path.len() <= MAX_PATH_BYTES {
        return path;
    }
    let cut = (path.len() - MAX_PATH_BYTES..path.len())
        .find(|&at| path.is_char_boundary(at))
        .unwrap_or(path.len());
    match path[cut..].find(" > ") {
        Some(at) => format!("… > {}", &path[cut + at + 3..]),
        None => path,
    }
}

/// Whether `#id` is valid CSS as is (no escaping needed).
fn is_plain_ident(id: &str) -> bool {
    let mut chars = id.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || !c.is_ascii())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || !c.is_ascii())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Flood talks &amp; more</title>
  <script>if (a < b && c > d) { document.write("</p>"); }</script>
  <style>p > a { color: red }</style>
</head>
<body class="single has-sidebar">
<header class="site-header">
  <a href="/" class="logo">The Daily</a>
  <nav class="menu"><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
</header>
<article id="story">
  <header>
    <h1>Flood talks end</h1>
    <p class="byline">By <a href="/jo">Jo Smith</a> · <time datetime="2024-05-01">May 1</time></p>
  </header>
  <p>The council met on Monday &amp; agreed a plan.</p>
  <p>It&#8217;s the first&nbsp;deal in years,
     said the mayor.</p>
  <p>Line one<br>line two</p>
  <blockquote><p>We will rebuild.</p></blockquote>
  <ul>
    <li>Dredging</li>
    <li>New <em>walls</em></li>
  </ul>
  <aside class="related"><h2>Related</h2><p><a href="/x">Earlier floods</a></p></aside>
  <div class="share"><a>Facebook</a> <a>X</a> <a>Email</a></div>
</article>
<footer><p>&copy; 2024 The Daily</p></footer>
</body>
</html>
"#;

    fn show(text: &str, body_only: bool) -> Vec<(BlockKind, bool, String, String, &str)> {
        blocks(text, body_only)
            .into_iter()
            .map(|b| {
                (
                    b.kind,
                    b.chrome,
                    b.element,
                    b.content,
                    &text[b.start..b.end],
                )
            })
            .collect()
    }

    use BlockKind::{Heading, ListItem, Prose, Quote};
    use proptest::prelude::*;

    /// (content, source slice) pairs, for the smaller cases.
    fn texts(text: &str, body_only: bool) -> Vec<(String, &str)> {
        blocks(text, body_only)
            .into_iter()
            .map(|b| (b.content, &text[b.start..b.end]))
            .collect()
    }

    fn pairs<'a>(expected: &[(&str, &'a str)]) -> Vec<(String, &'a str)> {
        expected.iter().map(|&(c, s)| (c.to_string(), s)).collect()
    }

    #[test]
    fn realistic_page() {
        let row = |kind, chrome, element: &str, content: &str, source| {
            (
                kind,
                chrome,
                element.to_string(),
                content.to_string(),
                source,
            )
        };
        assert_eq!(
            show(PAGE, false),
            vec![
                row(
                    Prose,
                    true,
                    "header",
                    "The Daily",
                    r#"<a href="/" class="logo">The Daily</a>"#
                ),
                row(
                    ListItem,
                    true,
                    "nav > ul > li:nth-of-type(1)",
                    "News",
                    r#"<li><a href="/news">News</a></li>"#
                ),
                row(
                    ListItem,
                    true,
                    "nav > ul > li:nth-of-type(2)",
                    "Sport",
                    r#"<li><a href="/sport">Sport</a></li>"#
                ),
                row(
                    Heading,
                    false,
                    "header > h1",
                    "Flood talks end",
                    "<h1>Flood talks end</h1>"
                ),
                row(
                    Prose,
                    false,
                    "header > p",
                    "By Jo Smith · May 1",
                    r#"<p class="byline">By <a href="/jo">Jo Smith</a> · <time datetime="2024-05-01">May 1</time></p>"#
                ),
                row(
                    Prose,
                    false,
                    "#story > p:nth-of-type(1)",
                    "The council met on Monday & agreed a plan.",
                    "<p>The council met on Monday &amp; agreed a plan.</p>"
                ),
                row(
                    Prose,
                    false,
                    "#story > p:nth-of-type(2)",
                    "It\u{2019}s the first\u{a0}deal in years, said the mayor.",
                    "<p>It&#8217;s the first&nbsp;deal in years,\n     said the mayor.</p>"
                ),
                row(
                    Prose,
                    false,
                    "#story > p:nth-of-type(3)",
                    "Line one\nline two",
                    "<p>Line one<br>line two</p>"
                ),
                row(
                    Quote,
                    false,
                    "#story > blockquote > p",
                    "We will rebuild.",
                    "<p>We will rebuild.</p>"
                ),
                row(
                    ListItem,
                    false,
                    "#story > ul > li:nth-of-type(1)",
                    "Dredging",
                    "<li>Dredging</li>"
                ),
                row(
                    ListItem,
                    false,
                    "#story > ul > li:nth-of-type(2)",
                    "New walls",
                    "<li>New <em>walls</em></li>"
                ),
                row(Heading, true, "aside > h2", "Related", "<h2>Related</h2>"),
                row(
                    Prose,
                    true,
                    "aside > p",
                    "Earlier floods",
                    r#"<p><a href="/x">Earlier floods</a></p>"#
                ),
                row(
                    Prose,
                    true,
                    "#story > div",
                    "Facebook X Email",
                    r#"<div class="share"><a>Facebook</a> <a>X</a> <a>Email</a></div>"#
                ),
                row(
                    Prose,
                    true,
                    "footer > p",
                    "\u{a9} 2024 The Daily",
                    "<p>&copy; 2024 The Daily</p>"
                ),
            ]
        );
    }

    #[test]
    fn body_only_keeps_the_article_without_chrome() {
        let got: Vec<_> = show(PAGE, true).into_iter().map(|r| r.3).collect();
        assert_eq!(
            got,
            [
                "Flood talks end",
                "By Jo Smith · May 1",
                "The council met on Monday & agreed a plan.",
                "It\u{2019}s the first\u{a0}deal in years, said the mayor.",
                "Line one\nline two",
                "We will rebuild.",
                "Dredging",
                "New walls",
            ]
        );
    }

    /// Pathologically deep nesting is cut at `MAX_NESTING` elements: linear time, and
    /// the text is still read, inside the span of the page.
    #[test]
    fn deep_nesting_is_bounded() {
        let depth = 50_000;
        let page = format!(
            "{}deep text here{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let started = std::time::Instant::now();
        let deep = blocks(&page, false);
        assert!(
            started.elapsed().as_secs() < 10,
            "took {:?}",
            started.elapsed()
        );
        assert_eq!(deep.len(), 1);
        assert_eq!(deep[0].content, "deep text here");
        assert!(deep[0].end <= page.len());
        // Paragraphs at the cut-off depth stay apart, with a path a reviewer can read.
        let page = format!(
            "{}<p>first</p><p>second</p>{}",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        let deep = blocks(&page, false);
        let contents: Vec<&str> = deep.iter().map(|b| b.content.as_str()).collect();
        assert_eq!(contents, ["first", "second"]);
        assert!(
            deep[1].element.starts_with("… > div > "),
            "{}",
            deep[1].element
        );
        assert!(deep[1].element.ends_with(" > p:nth-of-type(2)"));
        assert!(deep[1].element.len() <= MAX_PATH_BYTES + 8);
        let shallow = format!(
            "<div><section><p>kept</p></section></div>{}",
            "<p>x".repeat(600)
        );
        assert_eq!(
            blocks(&shallow, false)[0].element,
            "body > div > section > p"
        );
        assert_eq!(
            blocks(&shallow, false).len(),
            601,
            "unclosed p's are not nesting"
        );
    }

    /// Every text node of a well-formed page lies inside its parent element's span.
    #[test]
    fn text_nodes_lie_inside_their_elements() {
        let dom = parse(PAGE);
        let mut checked = 0;
        for node in &dom.nodes {
            let (Data::Text(content), Some(parent)) = (&node.data, node.parent) else {
                continue;
            };
            let parent = dom.node(parent);
            let (start, end) = (node.start, node.end.unwrap());
            if !content.trim().is_empty() && parent.tag() != "script" && parent.tag() != "style" {
                assert!(
                    parent.start <= start && end <= parent.end.unwrap(),
                    "{content:?}"
                );
                let last_word = content.split_whitespace().last().unwrap();
                assert!(PAGE[start..end].contains(last_word), "{content:?}");
                checked += 1;
            }
        }
        assert!(checked > 20);
    }

    #[test]
    fn implicitly_closed_paragraphs_and_items() {
        assert_eq!(
            texts("<p>a\n<p>b", false),
            pairs(&[("a", "<p>a"), ("b", "<p>b")])
        );
        assert_eq!(
            show("<ul>\n<li>one\n<li>two <b>2</b>\n</ul><p>after", false),
            vec![
                (
                    ListItem,
                    false,
                    "body > ul > li:nth-of-type(1)".into(),
                    "one".into(),
                    "<li>one"
                ),
                (
                    ListItem,
                    false,
                    "body > ul > li:nth-of-type(2)".into(),
                    "two 2".into(),
                    "<li>two <b>2</b>"
                ),
                (Prose, false, "body > p".into(), "after".into(), "<p>after"),
            ]
        );
    }

    #[test]
    fn uppercase_tags_and_tricky_attributes() {
        let text = r#"<P CLASS="x">Upper</P><p title="a > b">Gt</p><p title='x<y'>Lt</p><DIV id=main-2 data-x="1>0">Run <A>link</A></DIV>"#;
        assert_eq!(
            show(text, false),
            vec![
                (
                    Prose,
                    false,
                    "body > p:nth-of-type(1)".into(),
                    "Upper".into(),
                    r#"<P CLASS="x">Upper</P>"#
                ),
                (
                    Prose,
                    false,
                    "body > p:nth-of-type(2)".into(),
                    "Gt".into(),
                    r#"<p title="a > b">Gt</p>"#
                ),
                (
                    Prose,
                    false,
                    "body > p:nth-of-type(3)".into(),
                    "Lt".into(),
                    "<p title='x<y'>Lt</p>"
                ),
                (
                    Prose,
                    false,
                    "#main-2".into(),
                    "Run link".into(),
                    r#"<DIV id=main-2 data-x="1>0">Run <A>link</A></DIV>"#
                ),
            ]
        );
    }

    #[test]
    fn crlf_input() {
        let text = "<html>\r\n<body>\r\n<p>One\r\ntwo</p>\r\n<div>Loose\r\n text\r\n<p>Three</div>\r\n</body>\r\n";
        assert_eq!(
            texts(text, false),
            pairs(&[
                ("One two", "<p>One\r\ntwo</p>"),
                ("Loose text", "Loose\r\n text"),
                ("Three", "<p>Three"),
            ])
        );
    }

    #[test]
    fn scripts_and_other_opaque_elements_are_skipped() {
        let text = "<body><p>Before</p><script>if (a<b) { x = '</p><p>not prose'; }</script>\
                    <pre>code <b>x</b></pre><noscript><p>Enable JS</p></noscript>\
                    <svg><text>label</text></svg><template><p>tpl</p></template>\
                    <!-- <p>comment</p> --><p>After</p></body>";
        assert_eq!(
            texts(text, false),
            pairs(&[("Before", "<p>Before</p>"), ("After", "<p>After</p>")])
        );
    }

    #[test]
    fn inline_runs_between_blocks() {
        let text = "<div class=\"intro\">\n  Lead <b>in</b>,\n  <p>Para</p>\n  tail &amp; end<br>\n  <ul><li>x</li></ul>\n</div>";
        assert_eq!(
            texts(text, false),
            pairs(&[
                ("Lead in,", "Lead <b>in</b>,"),
                ("Para", "<p>Para</p>"),
                ("tail & end", "tail &amp; end"),
                ("x", "<li>x</li>"),
            ])
        );
        // A list item holding paragraphs: the paragraphs, and the item's own text.
        let text = "<ol><li>Own text<p>First</p><p>Second</p></li></ol>";
        assert_eq!(
            show(text, false),
            vec![
                (
                    ListItem,
                    false,
                    "body > ol > li".into(),
                    "Own text".into(),
                    "Own text"
                ),
                (
                    ListItem,
                    false,
                    "body > ol > li > p:nth-of-type(1)".into(),
                    "First".into(),
                    "<p>First</p>"
                ),
                (
                    ListItem,
                    false,
                    "body > ol > li > p:nth-of-type(2)".into(),
                    "Second".into(),
                    "<p>Second</p>"
                ),
            ]
        );
        // A block quote with direct text is itself one paragraph.
        assert_eq!(
            show("<blockquote>Said <i>so</i></blockquote>", false)[0].0,
            Quote
        );
    }

    #[test]
    fn reference_cut_by_a_tag_stays_in_its_text() {
        let text = "<div>AT&T<p>x</p>Q&amp<b>y</b></div>";
        assert_eq!(
            texts(text, false),
            pairs(&[
                ("AT&T", "AT&T"),
                ("x", "<p>x</p>"),
                ("Q&y", "Q&amp<b>y</b>")
            ])
        );
    }

    #[test]
    fn body_only_with_main() {
        let text = "<body><nav><p>Home</p></nav><div class=top><p>Teaser</p></div>\
                    <main><h1>Title</h1><p>Body one.</p><div class=\"social-links\"><p>Share</p></div></main>\
                    <footer><p>Legal</p></footer></body>";
        assert_eq!(
            texts(text, true),
            pairs(&[
                ("Title", "<h1>Title</h1>"),
                ("Body one.", "<p>Body one.</p>")
            ])
        );
    }

    #[test]
    fn body_only_with_densest_block() {
        let text = "<body><div id=promo><p>Buy now</p><p>Cheap</p></div>\
                    <div id=content><h2>Sub</h2><p>One two three four.</p><p>Five six seven.</p></div>\
                    <div><p>Short</p></div></body>";
        assert_eq!(
            show(text, true),
            vec![
                (
                    Heading,
                    false,
                    "#content > h2".into(),
                    "Sub".into(),
                    "<h2>Sub</h2>"
                ),
                (
                    Prose,
                    false,
                    "#content > p:nth-of-type(1)".into(),
                    "One two three four.".into(),
                    "<p>One two three four.</p>"
                ),
                (
                    Prose,
                    false,
                    "#content > p:nth-of-type(2)".into(),
                    "Five six seven.".into(),
                    "<p>Five six seven.</p>"
                ),
            ]
        );
        // No element with two paragraphs: everything that is not chrome.
        let text = "<div><p>Alone</p></div><nav><p>Menu</p></nav><p>Loose</p>";
        assert_eq!(
            texts(text, true),
            pairs(&[("Alone", "<p>Alone</p>"), ("Loose", "<p>Loose</p>")])
        );
    }

    #[test]
    fn empty_and_plain_text() {
        assert!(blocks("", false).is_empty());
        assert!(blocks(" \n\t", true).is_empty());
        assert_eq!(
            show("  Just some words.\nMore.  \n", false),
            vec![(
                Prose,
                false,
                "body".into(),
                "Just some words. More.".into(),
                "Just some words.\nMore."
            )]
        );
    }

    #[test]
    fn page_header_is_chrome_but_article_header_is_not() {
        let text = "<header><p>Site</p></header><article><header><p>Kicker</p></header></article>\
                    <div role=navigation><p>Nav</p></div><div class=\"site_footer\"><p>Foot</p></div>";
        let chrome: Vec<_> = blocks(text, false)
            .into_iter()
            .map(|b| (b.content, b.chrome))
            .collect();
        assert_eq!(
            chrome,
            [
                ("Site".to_string(), true),
                ("Kicker".to_string(), false),
                ("Nav".to_string(), true),
                ("Foot".to_string(), true),
            ]
        );
    }

    proptest! {
        /// Tag soup never panics, and spans are ordered, disjoint, on char boundaries and
        /// inside the text.
        #[test]
        fn tag_soup_spans_are_sane(pieces in proptest::collection::vec(
            prop_oneof![
                Just("<p>"), Just("</p>"), Just("<div class=share>"), Just("<div>"), Just("</div>"),
                Just("<br>"), Just("<li>"), Just("</li>"), Just("<ul>"), Just("<blockquote>"),
                Just("</blockquote>"), Just("<script>x<y</script>"), Just("&amp;"), Just("&amp"),
                Just("<b>"), Just("</b>"), Just("<table>"), Just("<td>"), Just("<a title='<x>'>"),
                Just("<"), Just("\n"), Just("\r\n"), Just(" "), Just("word"), Just("héllo"), Just("<!--"),
                Just("-->"), Just("<h2>"), Just("</h2>"), Just("<nav>"),
            ],
            0..60),
            body_only in any::<bool>())
        {
            let text: String = pieces.concat();
            let mut last_end = 0;
            for b in blocks(&text, body_only) {
                prop_assert!(b.start >= last_end && b.start < b.end && b.end <= text.len(), "{:?} in {:?}", b, text);
                prop_assert!(text.is_char_boundary(b.start) && text.is_char_boundary(b.end));
                prop_assert!(!b.content.trim().is_empty());
                last_end = b.end;
            }
        }
    }
}
