//! Walking the DOM into paragraphs: an element holding no block is one, and so is each run
//! of inline content between blocks. Each gets its text and a short CSS path, so that a
//! reviewer can find it in the browser's devtools.

use super::HtmlBlock;
use super::chrome::{is_chrome, is_heading, is_inline, is_landmark, is_skipped};
use super::dom::{DOCUMENT, Data, Dom, Node};
use crate::segment::BlockKind;

/// Builds a paragraph's content: ASCII whitespace runs become one space, `<br>` a newline,
/// and both ends are trimmed.
#[derive(Default)]
pub(super) struct Collector {
    pub(super) out: String,
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
pub(super) fn collect(dom: &Dom, root: usize, into: &mut Collector) {
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
pub(super) struct Context {
    /// `ListItem` inside `li`, `Quote` inside `blockquote` (the nearest wins).
    pub(super) kind: Option<BlockKind>,
    pub(super) chrome: bool,
    /// Inside `article` or `main` (a `header` there is not chrome).
    pub(super) in_article: bool,
    /// Inside the article body, for `body_only`.
    pub(super) in_scope: bool,
    pub(super) depth: usize,
}

pub(super) struct Walker<'d> {
    pub(super) dom: &'d Dom,
    pub(super) text: &'d str,
    pub(super) contains_block: Vec<bool>,
    pub(super) scope: Option<&'d [bool]>,
    pub(super) found: Vec<(HtmlBlock, bool)>,
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
    pub(super) fn visit_children(&mut self, parent: usize, path: &str, ctx: Context) {
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
pub(super) const MAX_PATH_BYTES: usize = 160;

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
