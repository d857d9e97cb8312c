//! The page as a small arena DOM whose nodes carry byte offsets. html5ever builds the tree
//! but reports no positions, so its [`TreeSink`] and the loop feeding it one chunk per `<`
//! track them here, with the tag scanning that needs (the parent module says how).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tree_builder::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, LocalName, Namespace, ParseOpts, QualName, parse_document};

use super::chrome::{is_inline, is_skipped};

/// The arena index of the document node.
pub(super) const DOCUMENT: usize = 0;

/// Attributes that decide chrome and element paths; the rest are dropped.
#[derive(Debug, Default)]
pub(super) struct Attrs {
    pub(super) id: Option<String>,
    pub(super) class: Option<String>,
    pub(super) role: Option<String>,
}

#[derive(Debug)]
pub(super) enum Data {
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
pub(super) struct Node {
    pub(super) parent: Option<usize>,
    pub(super) children: Vec<usize>,
    pub(super) data: Data,
    pub(super) start: usize,
    /// Set for text when appended, for elements after parsing ([`Dom::close_elements`]).
    pub(super) end: Option<usize>,
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
    pub(super) fn tag(&self) -> &str {
        match &self.data {
            Data::Element { name, .. } => &name.local,
            _ => "",
        }
    }

    pub(super) fn attrs(&self) -> Option<&Attrs> {
        match &self.data {
            Data::Element { attrs, .. } => Some(attrs),
            _ => None,
        }
    }
}

/// The parsed page.
#[derive(Debug)]
pub(super) struct Dom {
    pub(super) nodes: Vec<Node>,
}

impl Dom {
    pub(super) fn node(&self, id: usize) -> &Node {
        &self.nodes[id]
    }

    /// Node ids of the tree under `root` (template contents excluded), parents first.
    pub(super) fn preorder(&self, root: usize) -> Vec<usize> {
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
    pub(super) fn contains_block(&self) -> Vec<bool> {
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
pub(super) fn parse(text: &str) -> Dom {
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
