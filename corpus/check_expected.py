#!/usr/bin/env python3
"""Verify corpus/expected.json against the corpus files (Python 3 standard library only).

Run from anywhere:  python3 corpus/check_expected.py

What it checks:
  * every occurrence points at a real paragraph: its start_line begins with `starts_with`
    (after stripping a BOM, leading Markdown markers and whitespace) and its end_line is
    the paragraph's last non-blank line;
  * "exact" and "near" groups only hold paragraphs of at least `min_words` words;
  * all occurrences of an exact group normalize to the same text, and the group holds
    every occurrence of that text in the corpus;
  * near groups hold two or more different variants that are still similar (word-level
    similarity is printed), and every repeated variant also has its exact group;
  * the blocks are exactly the runs of two or more consecutive grouped paragraphs repeated
    later in the same document (the doubled pair), and the deletions are exactly the later
    copies of every within-document exact repeat (the doubled pair, and the paragraph
    pasted twice in one feed record, which is too short a run to be a block);
  * brute force over all pairs of paragraphs with at least `min_words` words: any pair
    that is identical after normalization or has a word-set Jaccard >= 0.5 must sit in a
    common group. This is what guarantees that the independently written local stories
    are not accidentally similar to the wire stories or to each other;
  * HTML pages: every recurring page-chrome paragraph (navigation, header, footer, aside,
    share and newsletter widgets...) is in a boilerplate group, and chrome is never in an
    exact or near group.

Formats: `.txt` (paragraphs separated by blank lines), `.md` (enough CommonMark for this
corpus), `.html`/`.htm` (the text of block elements p, li, blockquote, dd, figcaption and
h1-h6, headings never candidates, plus the direct inline text of div and td; head, script
and style are never read; an occurrence spans the element's start tag line to its end tag
line, or to its last text when the end tag is omitted), and feeds: `.jsonl` (one record
per line) and `.json` (an array of records). Each record is a document whose text field
(`body`, else `text`, else `content`) is split at blank lines, or read as HTML when it
holds HTML tags; all its paragraphs sit on the line of the text field's string. Since a
record's paragraphs share one line, an occurrence in a feed names its paragraph with
`text_starts_with` (the start of the paragraph's own text).

Normalization follows paradup's: NFKC, case folding, curly -> straight quotes, dash
variants unified (an em dash and a spaced hyphen both become " - "), whitespace collapsed,
Markdown emphasis and link syntax removed (HTML entities are decoded by the parser, so
`&#8217;`, `&ldquo;` and `&nbsp;` normalize like the characters they stand for). Words
are runs of letters and digits.
"""

import itertools
import json
import os
import re
import sys
import unicodedata
from html.parser import HTMLParser

HERE = os.path.dirname(os.path.abspath(__file__))
JACCARD_LIMIT = 0.5
NEAR_MIN_SIMILARITY = 0.8  # planted edits keep >= ~80% of the words, in order

# ---------------------------------------------------------------------------- normalize

QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
}
INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff\u00ad")
HYPHENS = set("-\u2010\u2011\u2013")
DASHES = set("\u2012\u2014\u2015\u2212\ufe58\ufe63\uff0d")


def normalize(text):
    text = unicodedata.normalize("NFKC", text)
    text = unicodedata.normalize("NFKC", text.casefold())
    out = []
    space_before = False
    chars = list(text)
    i = 0
    while i < len(chars):
        c = chars[i]
        i += 1
        if c.isspace():
            space_before = bool(out)
            continue
        c = QUOTES.get(c, c)
        if c in INVISIBLE:
            continue
        if c in HYPHENS or c in DASHES:
            run = 1
            while i < len(chars) and (chars[i] in HYPHENS or chars[i] in DASHES):
                i += 1
                run += 1
            space_after = i >= len(chars) or chars[i].isspace()
            hyphen = c in HYPHENS and run == 1 and not space_before and not space_after and out
            if hyphen:
                out.append("-")
            else:
                if out:
                    out.append(" ")
                out.append("-")
                space_before = True
                continue
        else:
            if space_before:
                out.append(" ")
            out.append(c)
        space_before = False
    return "".join(out)


def words(normalized):
    return re.findall(r"[^\W_]+", normalized)


def strip_inline_markdown(text):
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links and images
    text = re.sub(r"`([^`]*)`", r"\1", text)  # code spans
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"__(.+?)__", r"\1", text)
    text = re.sub(r"\*(.+?)\*", r"\1", text)
    text = re.sub(r"(?<!\w)_(.+?)_(?!\w)", r"\1", text)
    return text


def similarity(a, b):
    """Word-level normalized Levenshtein similarity: 1 - distance / longer length."""
    if not a and not b:
        return 1.0
    prev = list(range(len(b) + 1))
    for i, wa in enumerate(a, 1):
        cur = [i]
        for j, wb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (wa != wb)))
        prev = cur
    return 1.0 - prev[-1] / max(len(a), len(b))


def jaccard(a, b):
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa | sb else 1.0


# ------------------------------------------------------------------------------ segment


class Para:
    def __init__(self, path, kind, start, end, raw, chrome=False):
        self.path, self.kind, self.start, self.end = path, kind, start, end
        self.raw = raw
        self.chrome = chrome
        self.record = 0  # feed record number (1-based), 0 for a whole-file document
        self.index = 0  # position among its document's paragraphs
        text = strip_inline_markdown(raw) if path.endswith(".md") else raw
        self.norm = normalize(text)
        self.words = words(self.norm)

    @property
    def key(self):
        """What expected.json names: path and lines (shared by a record's paragraphs)."""
        return (self.path, self.start, self.end)

    @property
    def doc(self):
        return (self.path, self.record)

    @property
    def uid(self):
        return (self.path, self.record, self.index)

    @property
    def candidate(self):
        return self.kind != "heading"

    def __repr__(self):
        if self.record:
            return "%s:%d-%d[record %d, paragraph %d]" % (self.key + (self.record, self.index + 1))
        return "%s:%d-%d" % self.key


def read_lines(full):
    data = open(full, "rb").read()
    text = data.decode("utf-8")
    if text.startswith("\ufeff"):
        text = text[1:]
    # Split on "\n" only (as Rust's str::lines does) and drop a trailing "\r".
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [l[:-1] if l.endswith("\r") else l for l in lines]


def segment_text(path, lines):
    paras, start, buf = [], None, []
    for n, line in enumerate(lines + [""], 1):
        if line.strip():
            if start is None:
                start = n
            buf.append(line)
            last = n
        elif start is not None:
            paras.append(Para(path, "prose", start, last, "\n".join(buf)))
            start, buf = None, []
    return paras


def segment_markdown(path, lines):
    """Enough CommonMark for this corpus: front matter, fences, headings, list items,
    block quotes and paragraphs separated by blank lines."""
    paras = []
    n = 0
    if lines and lines[0].strip() == "---":
        n = 1
        while lines[n].strip() != "---":
            n += 1
        n += 1
    cur = None  # [kind, start, last, [content lines]]
    in_code = False

    def close():
        nonlocal cur
        if cur:
            paras.append(Para(path, cur[0], cur[1], cur[2], " ".join(cur[3])))
        cur = None

    while n < len(lines):
        line, lineno = lines[n], n + 1
        n += 1
        if in_code:
            if line.startswith("```"):
                in_code = False
            continue
        if line.startswith("```"):
            close()
            in_code = True
            continue
        if not line.strip():
            close()
            continue
        if line.startswith("#"):
            close()
            paras.append(Para(path, "heading", lineno, lineno, line.lstrip("#").strip()))
            continue
        item = re.match(r"^[-*+] (.*)$", line)
        if item:
            close()
            cur = ["item", lineno, lineno, [item.group(1)]]
            continue
        if line.startswith(">"):
            content = re.sub(r"^> ?", "", line)
            if cur and cur[0] == "quote":
                cur[2] = lineno
                cur[3].append(content)
            else:
                close()
                cur = ["quote", lineno, lineno, [content]]
            continue
        if cur is None:
            cur = ["prose", lineno, lineno, [line.strip()]]
        else:
            cur[2] = lineno
            cur[3].append(line.strip())
    close()
    return paras


# --------------------------------------------------------------------------------- HTML

HTML_BLOCKS = {"p", "li", "blockquote", "dd", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6"}
HTML_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
HTML_CONTAINERS = {"div", "td"}  # their direct inline text is a paragraph
# Block-level elements: text inside them does not belong to an enclosing div/td.
HTML_STRUCTURE = HTML_BLOCKS | HTML_CONTAINERS | {
    "html", "body", "header", "footer", "nav", "main", "article", "aside", "section",
    "figure", "ul", "ol", "dl", "dt", "table", "thead", "tbody", "tfoot", "tr", "th",
    "form", "pre", "address", "hr", "fieldset", "details", "summary", "caption"}
HTML_SKIP = {"head", "script", "style", "title", "template", "noscript"}
HTML_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
             "source", "track", "wbr"}
# Start tags that close an open <p> (HTML's implied end tags, the subset used here).
HTML_CLOSES_P = {"p", "div", "ul", "ol", "dl", "table", "figure", "blockquote", "header",
                 "footer", "nav", "main", "article", "aside", "section", "form", "pre",
                 "address", "hr", "details", "fieldset"} | HTML_HEADINGS
CHROME_TAGS = {"nav", "header", "footer", "aside"}
CHROME_WORDS = ("nav", "menu", "footer", "sidebar", "share", "social", "related",
                "newsletter", "topbar", "breadcrumb", "cookie", "masthead", "promo")


class HtmlSegmenter(HTMLParser):
    """Paragraphs of an HTML page: (kind, start_line, end_line, text, chrome)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []  # open elements: dicts
        self.skip = 0
        self.blocks = []
        self.problems = []

    def _chrome(self, tag, attrs):
        if tag in CHROME_TAGS:
            return True
        names = " ".join(v or "" for k, v in attrs if k in ("id", "class")).lower()
        return any(w in names for w in CHROME_WORDS)

    def _close(self, entry, end_line):
        text = "".join(entry["chunks"])
        if entry["tag"] in HTML_BLOCKS | HTML_CONTAINERS and text.strip():
            if end_line is None:  # end tag omitted: the paragraph ends at its last text
                end_line = entry["last_text"]
            kind = "heading" if entry["tag"] in HTML_HEADINGS else (
                "item" if entry["tag"] == "li" else "prose")
            self.blocks.append((entry["start"], kind, entry["line"], end_line, text,
                                any(e["chrome"] for e in self.stack) or entry["chrome"]))

    def _pop_to(self, index, end_line):
        """Closes stack[index:] (innermost first); only stack[index] gets `end_line`."""
        while len(self.stack) > index:
            entry = self.stack.pop()
            self._close(entry, end_line if len(self.stack) == index else None)

    def _target(self):
        for entry in reversed(self.stack):
            if entry["tag"] in HTML_STRUCTURE:
                return entry
        return None

    def handle_starttag(self, tag, attrs):
        if self.skip or tag in HTML_SKIP:
            if tag in HTML_SKIP and tag not in HTML_VOID:
                self.skip += 1
            return
        line, col = self.getpos()
        if tag == "br":
            self.handle_data("\n")
            return
        if tag in HTML_CLOSES_P or tag == "li":
            closing = "p" if tag != "li" else "li"
            for i in range(len(self.stack) - 1, -1, -1):
                t = self.stack[i]["tag"]
                if t == closing:
                    self._pop_to(i, None)
                    break
                if t in ("td", "th", "table", "ul", "ol", "div") and closing == "li":
                    break
                if t in ("td", "th", "table", "button") and closing == "p":
                    break
        if tag in HTML_VOID:
            return
        self.stack.append({"tag": tag, "line": line, "start": (line, col), "chunks": [],
                           "last_text": line, "chrome": self._chrome(tag, attrs)})

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in HTML_SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        line = self.getpos()[0]
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i]["tag"] == tag:
                self._pop_to(i, line)
                return
        self.problems.append("stray </%s> at line %d" % (tag, line))

    def handle_data(self, data):
        if self.skip:
            return
        target = self._target()
        if target is None or target["tag"] not in HTML_BLOCKS | HTML_CONTAINERS:
            if data.strip():
                self.problems.append("text outside any paragraph element at line %d: %r" % (
                    self.getpos()[0], data.strip()[:40]))
            return
        target["chunks"].append(data)
        stripped = data.rstrip()
        if stripped.strip():
            target["last_text"] = self.getpos()[0] + stripped.count("\n")

    def close(self):
        super().close()
        self._pop_to(0, None)


def segment_html(path, text):
    """Paragraphs of an HTML document or HTML text field. Returns (paras, problems)."""
    seg = HtmlSegmenter()
    seg.feed(text)
    seg.close()
    blocks = sorted(seg.blocks)  # document order: by start tag position
    paras = [Para(path, kind, start, end, raw, chrome)
             for _, kind, start, end, raw, chrome in blocks]
    return paras, seg.problems


# -------------------------------------------------------------------------------- feeds

TEXT_FIELDS = ("body", "text", "content")
HTML_FIELD = re.compile(
    r"</?(p|br|div|h1|h2|h3|h4|ul|ol|li|blockquote|a|em|strong|span|figure)[\s>/]", re.I)


def segment_record(path, record, number, line):
    """A feed record's paragraphs, all on `line` (the line of its text field)."""
    field = next((f for f in TEXT_FIELDS if f in record), None)
    if field is None:
        raise ValueError("%s record %d has no text field" % (path, number))
    text = record[field]
    if HTML_FIELD.search(text):
        paras, problems = segment_html(path, text)
        if problems:
            raise ValueError("%s record %d: %s" % (path, number, problems))
    else:
        paras = segment_text(path, text.split("\n"))
    for i, p in enumerate(paras):
        p.start = p.end = line
        p.record, p.index = number, i
    return paras, field


def segment_feed(path, text):
    """`.jsonl`: one record per non-blank line. `.json`: an array of records, each
    record's paragraphs on the line where its text field's string starts."""
    paras = []
    if path.endswith(".jsonl"):
        number = 0
        for n, line in enumerate(text.split("\n"), 1):
            if line.strip():
                number += 1
                paras.extend(segment_record(path, json.loads(line), number, n)[0])
        return paras
    records = json.loads(text)
    if not isinstance(records, list):
        raise ValueError("%s: expected a JSON array of records" % path)
    at = 0
    for number, record in enumerate(records, 1):
        field = next((f for f in TEXT_FIELDS if f in record), None)
        m = re.compile(r'(?<!\\)"%s"\s*:\s*"' % field).search(text, at)
        if m is None:
            raise ValueError("%s record %d: text field not found" % (path, number))
        at = m.end()
        line = text.count("\n", 0, m.end()) + 1
        paras.extend(segment_record(path, record, number, line)[0])
    return paras


READ_EXTENSIONS = (".txt", ".md", ".html", ".htm", ".jsonl", ".json")


def load_corpus():
    paras, raw_lines, problems = [], {}, []
    skip = {"README.md", "expected.json"}  # both listed in corpus/.ignore
    for root, dirs, files in os.walk(HERE):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            rel = os.path.relpath(os.path.join(root, name), HERE).replace(os.sep, "/")
            if rel in skip or not name.endswith(READ_EXTENSIONS):
                continue
            lines = read_lines(os.path.join(root, name))
            raw_lines[rel] = lines
            if name.endswith(".md"):
                found = segment_markdown(rel, lines)
            elif name.endswith((".html", ".htm")):
                found, why = segment_html(rel, "\n".join(lines) + "\n")
                problems.extend("%s: %s" % (rel, w) for w in why)
            elif name.endswith((".jsonl", ".json")):
                found = segment_feed(rel, "\n".join(lines) + "\n")
            else:
                found = segment_text(rel, lines)
            for i, p in enumerate(found):
                if not p.record:
                    p.index = i
            paras.extend(found)
    return paras, raw_lines, problems


# -------------------------------------------------------------------------------- check


def main():
    expected = json.load(open(os.path.join(HERE, "expected.json"), encoding="utf-8"))
    min_words = expected["min_words"]
    paras, raw_lines, problems = load_corpus()
    by_key = {}
    for p in paras:
        by_key.setdefault(p.key, []).append(p)
    by_uid = {p.uid: p for p in paras}
    errors = []

    def fail(msg):
        errors.append(msg)
        print("FAIL: " + msg)

    for msg in problems:
        fail("HTML: " + msg)
    docs_count = len(set(p.doc for p in paras))
    print("corpus: %d files, %d documents, %d paragraphs (%d headings, %d page chrome)" % (
        len(raw_lines), docs_count, len(paras), sum(not p.candidate for p in paras),
        sum(p.chrome for p in paras)))

    # Files: byte-level features planted on purpose.
    crlf, bom, curly = [], [], []
    for rel in raw_lines:
        data = open(os.path.join(HERE, rel), "rb").read()
        if b"\r\n" in data:
            crlf.append(rel)
        if data.startswith(b"\xef\xbb\xbf"):
            bom.append(rel)
        if "\u201c".encode() in data:
            curly.append(rel)
    print("CRLF files: %s; BOM files: %s; curly-quote files: %s" % (crlf, bom, curly))
    if (len(crlf) != 2 or len([f for f in crlf if f.endswith(".txt")]) != 1
            or len([f for f in crlf if f.endswith(".htm")]) != 1):
        fail("expected exactly one CRLF .txt file and one CRLF .htm file, got %s" % crlf)
    if len(bom) != 1 or not bom[0].endswith(".txt"):
        fail("expected exactly one BOM .txt file, got %s" % bom)
    for rel in raw_lines:
        if rel.endswith(".jsonl") and b"\r" in open(os.path.join(HERE, rel), "rb").read():
            fail("%s should have LF line endings" % rel)

    # Occurrences resolve to paragraphs. In a feed all paragraphs of a record share the
    # record's line, so `text_starts_with` picks the paragraph; a paragraph repeated inside
    # one record is named once per copy.
    group_paras = []
    membership = {}  # para uid -> list of group indices
    for gi, g in enumerate(expected["groups"]):
        members = []
        for o in g["occurrences"]:
            key = (o["path"], o["start_line"], o["end_line"])
            lines = raw_lines.get(o["path"])
            if lines is None:
                fail("group %d (%s): no such file %s" % (gi, g["note"], o["path"]))
                continue
            line = lines[o["start_line"] - 1].lstrip("\ufeff").lstrip("-*> \t")
            if not line.startswith(o["starts_with"]):
                fail("%s:%d does not start with %r (line is %r)" % (
                    o["path"], o["start_line"], o["starts_with"], line[:60]))
            found = by_key.get(key, [])
            if "text_starts_with" in o:
                prefix = normalize(o["text_starts_with"])
                found = [p for p in found if p.norm.startswith(prefix)]
            elif len(found) > 1:
                fail("%s:%d-%d holds %d paragraphs: name one with text_starts_with" % (
                    key + (len(found),)))
            used = set(m.uid for m in members)
            found = [p for p in found if p.uid not in used]
            if not found:
                fail("%s:%d-%d is not a paragraph%s" % (key + (
                    " starting with %r" % o["text_starts_with"] if "text_starts_with" in o
                    else "",)))
                continue
            p = found[0]
            if not p.candidate:
                fail("%r is a heading, never a candidate" % p)
            if g["kind"] in ("exact", "near") and len(p.words) < min_words:
                fail("%r has %d words (< %d) but is in a %s group" % (
                    p, len(p.words), min_words, g["kind"]))
            if g["kind"] in ("exact", "near") and p.chrome:
                fail("%r is page chrome but is in a %s group" % (p, g["kind"]))
            members.append(p)
            membership.setdefault(p.uid, []).append(gi)
        if len(members) < 2:
            fail("group %d (%s) has fewer than 2 occurrences" % (gi, g["note"]))
        group_paras.append(members)

    norm_index = {}
    for p in paras:
        if p.candidate:
            norm_index.setdefault(p.norm, []).append(p)

    print("\n== groups ==")
    exact_texts = {}
    for gi, (g, members) in enumerate(zip(expected["groups"], group_paras)):
        kind, note = g["kind"], g["note"]
        texts = sorted(set(m.norm for m in members))
        docs = len(set(m.doc for m in members))
        if kind == "exact":
            if len(texts) != 1:
                fail("exact group %d (%s) has %d different texts" % (gi, note, len(texts)))
            else:
                everywhere = set(p.uid for p in norm_index[texts[0]])
                if everywhere != set(m.uid for m in members):
                    fail("exact group %d (%s) misses occurrences %s" % (
                        gi, note, [by_uid[u] for u in sorted(everywhere - set(m.uid for m in members))]))
                if texts[0] in exact_texts:
                    fail("exact groups %d and %d have the same text" % (exact_texts[texts[0]], gi))
                exact_texts[texts[0]] = gi
            print("exact  %-58s %d copies in %d docs" % (note[:58], len(members), docs))
        elif kind == "near":
            if len(texts) < 2:
                fail("near group %d (%s) has only one variant" % (gi, note))
            sims = []
            for a, b in itertools.combinations(texts, 2):
                sims.append(similarity(words(a), words(b)))
            low = min(sims) if sims else 1.0
            if low < NEAR_MIN_SIMILARITY:
                fail("near group %d (%s): similarity %.3f below %.2f" % (
                    gi, note, low, NEAR_MIN_SIMILARITY))
            counts = [sum(m.norm == t for m in members) for t in texts]
            print("near   %-58s %d copies, %d variants %s, word similarity %s" % (
                note[:58], len(members), len(texts), counts,
                ", ".join("%.3f" % s for s in sims)))
            for t in texts:
                everywhere = set(p.uid for p in norm_index[t])
                if not everywhere <= set(m.uid for m in members):
                    fail("near group %d (%s) misses %s" % (
                        gi, note, [by_uid[u] for u in sorted(everywhere)]))
        elif kind == "boilerplate":
            sims = [similarity(words(a), words(b)) for a, b in itertools.combinations(texts, 2)]
            chrome = sum(m.chrome for m in members)
            print("boiler %-58s %d copies in %d docs, %d variant(s)%s%s" % (
                note[:58], len(members), docs, len(texts),
                ", min word similarity %.3f" % min(sims) if sims else "",
                ", page chrome" if chrome == len(members) else
                ", %d page chrome" % chrome if chrome else ""))
            for t in texts:
                everywhere = set(p.uid for p in norm_index[t])
                if not everywhere <= set(m.uid for m in members):
                    fail("boilerplate group %d (%s) misses %s" % (
                        gi, note, [by_uid[u] for u in sorted(everywhere - set(m.uid for m in members))]))
        else:
            fail("group %d has unknown kind %r" % (gi, kind))

    # Near groups: each repeated variant has its exact group.
    for gi, (g, members) in enumerate(zip(expected["groups"], group_paras)):
        if g["kind"] != "near":
            continue
        for t in set(m.norm for m in members):
            if len(norm_index[t]) >= 2 and t not in exact_texts:
                fail("near group %d (%s): a variant with %d copies has no exact group" % (
                    gi, g["note"], len(norm_index[t])))

    # An occurrence is boilerplate or editorial, never both; at most one exact and one near.
    for uid, gis in membership.items():
        kinds = [expected["groups"][gi]["kind"] for gi in gis]
        if "boilerplate" in kinds and len(kinds) > 1:
            fail("%r is boilerplate and also in %s" % (by_uid[uid], kinds))
        if kinds.count("exact") > 1 or kinds.count("near") > 1:
            fail("%r is in groups %s" % (by_uid[uid], kinds))

    # Page chrome: every recurring chrome paragraph is boilerplate (short ones included).
    for t, ps in norm_index.items():
        chrome = [p for p in ps if p.chrome]
        if len(ps) < 2 or not chrome:
            continue
        for p in chrome:
            kinds = [expected["groups"][gi]["kind"] for gi in membership.get(p.uid, [])]
            if kinds != ["boilerplate"]:
                fail("%r is recurring page chrome but is in %s" % (p, kinds or "no group"))

    # Brute force: every similar pair must share a group.
    print("\n== all-pairs check (paragraphs with >= %d words) ==" % min_words)
    long_paras = [p for p in paras if p.candidate and len(p.words) >= min_words]
    listed_pairs = 0
    worst = (0.0, None, None)
    worst_lev = (0.0, None, None)
    for a, b in itertools.combinations(long_paras, 2):
        j = jaccard(a.words, b.words)
        shared = set(membership.get(a.uid, [])) & set(membership.get(b.uid, []))
        if a.norm == b.norm or j >= JACCARD_LIMIT:
            if not shared:
                fail("%r and %r are %s (Jaccard %.2f) but share no group" % (
                    a, b, "identical" if a.norm == b.norm else "similar", j))
            else:
                listed_pairs += 1
        elif not shared:
            if j > worst[0]:
                worst = (j, a, b)
            if j >= 0.2:
                s = similarity(a.words, b.words)
                if s > worst_lev[0]:
                    worst_lev = (s, a, b)
    print("%d paragraphs, %d similar pairs, all inside listed groups" % (
        len(long_paras), listed_pairs))
    print("highest Jaccard between paragraphs sharing no group: %.3f (%r, %r)" % worst)
    if worst_lev[1]:
        print("highest word similarity between such pairs: %.3f (%r, %r)" % worst_lev)

    # Short paragraphs in editorial groups are already rejected above; list recurring
    # short texts for information.
    shorts = {}
    for p in paras:
        if p.candidate and len(p.words) < min_words:
            shorts.setdefault(p.norm, []).append(p)
    print("recurring short paragraphs: %s" % {
        t: len(ps) for t, ps in shorts.items() if len(ps) > 1})

    # Blocks and deletions.
    print("\n== blocks and deletions ==")
    doc_paras = {}
    for p in paras:
        doc_paras.setdefault(p.doc, []).append(p)
    for ps in doc_paras.values():
        ps.sort(key=lambda p: p.index)
    # Runs of two or more consecutive long editorial paragraphs repeated later in the
    # same document (paradup's repeated blocks), computed from the groups.
    unit_of = {}
    for gi, (g, members) in enumerate(zip(expected["groups"], group_paras)):
        if g["kind"] == "boilerplate":
            continue
        for m in members:
            if len(m.words) >= min_words and (g["kind"] == "near" or m.uid not in unit_of):
                unit_of[m.uid] = ("near" if g["kind"] == "near" else "exact", gi)
    found_blocks = set()
    for doc, ps in doc_paras.items():
        unit = [unit_of.get(p.uid) for p in ps]
        for i, j in itertools.combinations(range(len(ps)), 2):
            if unit[i] is None or unit[i] != unit[j]:
                continue
            if i > 0 and unit[i - 1] is not None and unit[i - 1] == unit[j - 1]:
                continue  # continues a longer run
            n = 0
            while i + n < j and j + n < len(ps) and unit[i + n] is not None \
                    and unit[i + n] == unit[j + n]:
                n += 1
            if n >= 2:
                found_blocks.add((doc[0], (ps[i].start, ps[i + n - 1].end),
                                  (ps[j].start, ps[j + n - 1].end)))
    want_blocks = set()
    for b in expected["blocks"]:
        want_blocks.add((b["path"], (b["first"]["start_line"], b["first"]["end_line"]),
                         (b["repeat"]["start_line"], b["repeat"]["end_line"])))
    if found_blocks != want_blocks:
        fail("blocks %s differ from the repeated runs in the corpus %s" % (
            sorted(want_blocks), sorted(found_blocks)))
    for path, first, rep in sorted(found_blocks):
        print("block %s: lines %d-%d repeat lines %d-%d" % (path, rep[0], rep[1],
                                                            first[0], first[1]))
    # A within-document exact repeat: every copy after the first is deleted.
    expected_deletions = set()
    for g, members in zip(expected["groups"], group_paras):
        if g["kind"] != "exact":
            continue
        seen = set()
        for m in sorted(members, key=lambda m: (m.doc, m.index)):
            if m.doc in seen:
                expected_deletions.add(m.key)
            seen.add(m.doc)
    got_deletions = set((d["path"], d["start_line"], d["end_line"]) for d in expected["deletions"])
    if got_deletions != expected_deletions:
        fail("deletions %s differ from the repeated copies %s" % (
            sorted(got_deletions), sorted(expected_deletions)))
    else:
        print("deletions: %s" % ", ".join("%s:%d-%d" % k for k in sorted(got_deletions)))

    counts = {}
    for g in expected["groups"]:
        counts[g["kind"]] = counts.get(g["kind"], 0) + 1
    print("\ngroups: %s" % counts)
    if errors:
        print("\n%d problem(s)" % len(errors))
        return 1
    print("OK: expected.json matches the corpus")
    return 0


if __name__ == "__main__":
    sys.exit(main())
