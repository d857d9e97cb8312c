//! Pages read element by element: the common cases, and those the module docs call
//! approximate, pinned so that a change in html5ever or in the chunking shows; and tag
//! soup, which must never break the span guarantees of `blocks`.

use super::dom::{Data, parse};
use super::walk::MAX_PATH_BYTES;
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
