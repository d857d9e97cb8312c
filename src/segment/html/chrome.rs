//! Which elements are what: never prose, inline, heading, landmark, page chrome, article
//! body. These are rules about how sites write pages, kept apart from the parser and the
//! walk that apply them, so they can be read (and tuned) as lists.

use super::dom::{DOCUMENT, Dom, Node};
use super::walk::{Collector, collect};

/// Elements whose content is never prose (and which never break an inline run).
pub(super) fn is_skipped(tag: &str) -> bool {
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
pub(super) fn is_inline(tag: &str) -> bool {
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
pub(super) fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

/// Where an element path starts: landmarks a reviewer can find at a glance.
pub(super) fn is_landmark(tag: &str) -> bool {
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
pub(super) fn is_chrome(node: &Node, in_article: bool) -> bool {
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
pub(super) fn body_scope(dom: &Dom) -> Vec<bool> {
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
