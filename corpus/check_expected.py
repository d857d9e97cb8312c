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
  * the blocks and deletions describe the doubled pair;
  * brute force over all pairs of paragraphs with at least `min_words` words: any pair
    that is identical after normalization or has a word-set Jaccard >= 0.5 must sit in a
    common group. This is what guarantees that the independently written local stories
    are not accidentally similar to the wire stories or to each other.

Normalization follows paradup's: NFKC, case folding, curly -> straight quotes, dash
variants unified (an em dash and a spaced hyphen both become " - "), whitespace collapsed,
Markdown emphasis and link syntax removed. Words are runs of letters and digits.
"""

import itertools
import json
import os
import re
import sys
import unicodedata

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
    def __init__(self, path, kind, start, end, raw):
        self.path, self.kind, self.start, self.end = path, kind, start, end
        self.raw = raw
        text = strip_inline_markdown(raw) if path.endswith(".md") else raw
        self.norm = normalize(text)
        self.words = words(self.norm)

    @property
    def key(self):
        return (self.path, self.start, self.end)

    @property
    def candidate(self):
        return self.kind != "heading"

    def __repr__(self):
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


def load_corpus():
    paras, raw_lines = [], {}
    skip = {"README.md"}
    for root, dirs, files in os.walk(HERE):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            rel = os.path.relpath(os.path.join(root, name), HERE).replace(os.sep, "/")
            if rel in skip or not name.endswith((".txt", ".md")):
                continue
            lines = read_lines(os.path.join(root, name))
            raw_lines[rel] = lines
            if name.endswith(".md"):
                paras.extend(segment_markdown(rel, lines))
            else:
                paras.extend(segment_text(rel, lines))
    return paras, raw_lines


# -------------------------------------------------------------------------------- check


def main():
    expected = json.load(open(os.path.join(HERE, "expected.json"), encoding="utf-8"))
    min_words = expected["min_words"]
    paras, raw_lines = load_corpus()
    by_key = {p.key: p for p in paras}
    errors = []

    def fail(msg):
        errors.append(msg)
        print("FAIL: " + msg)

    print("corpus: %d files, %d paragraphs (%d headings)" % (
        len(raw_lines), len(paras), sum(not p.candidate for p in paras)))

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
    if len([f for f in crlf if f.endswith(".txt")]) != 1 or len(crlf) != 1:
        fail("expected exactly one CRLF .txt file, got %s" % crlf)
    if len(bom) != 1 or not bom[0].endswith(".txt"):
        fail("expected exactly one BOM .txt file, got %s" % bom)

    # Occurrences resolve to paragraphs.
    group_paras = []
    membership = {}  # para key -> list of group indices
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
            p = by_key.get(key)
            if p is None:
                fail("%s:%d-%d is not a paragraph" % key)
                continue
            if not p.candidate:
                fail("%r is a heading, never a candidate" % p)
            if g["kind"] in ("exact", "near") and len(p.words) < min_words:
                fail("%r has %d words (< %d) but is in a %s group" % (
                    p, len(p.words), min_words, g["kind"]))
            members.append(p)
            membership.setdefault(key, []).append(gi)
        if len(set(m.key for m in members)) != len(members):
            fail("group %d (%s) lists an occurrence twice" % (gi, g["note"]))
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
        docs = len(set(m.path for m in members))
        if kind == "exact":
            if len(texts) != 1:
                fail("exact group %d (%s) has %d different texts" % (gi, note, len(texts)))
            else:
                everywhere = set(p.key for p in norm_index[texts[0]])
                if everywhere != set(m.key for m in members):
                    fail("exact group %d (%s) misses occurrences %s" % (
                        gi, note, sorted(everywhere - set(m.key for m in members))))
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
                everywhere = set(p.key for p in norm_index[t])
                if not everywhere <= set(m.key for m in members):
                    fail("near group %d (%s) misses %s" % (gi, note, sorted(everywhere)))
        elif kind == "boilerplate":
            sims = [similarity(words(a), words(b)) for a, b in itertools.combinations(texts, 2)]
            print("boiler %-58s %d copies in %d docs, %d variant(s)%s" % (
                note[:58], len(members), docs, len(texts),
                ", min word similarity %.3f" % min(sims) if sims else ""))
            for t in texts:
                everywhere = set(p.key for p in norm_index[t])
                if not everywhere <= set(m.key for m in members):
                    fail("boilerplate group %d (%s) misses %s" % (
                        gi, note, sorted(everywhere - set(m.key for m in members))))
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
    for key, gis in membership.items():
        kinds = [expected["groups"][gi]["kind"] for gi in gis]
        if "boilerplate" in kinds and len(kinds) > 1:
            fail("%s:%d-%d is boilerplate and also in %s" % (key + (kinds,)))
        if kinds.count("exact") > 1 or kinds.count("near") > 1:
            fail("%s:%d-%d is in groups %s" % (key + (kinds,)))

    # Brute force: every similar pair must share a group.
    print("\n== all-pairs check (paragraphs with >= %d words) ==" % min_words)
    long_paras = [p for p in paras if p.candidate and len(p.words) >= min_words]
    listed_pairs = 0
    worst = (0.0, None, None)
    worst_lev = (0.0, None, None)
    for a, b in itertools.combinations(long_paras, 2):
        j = jaccard(a.words, b.words)
        shared = set(membership.get(a.key, [])) & set(membership.get(b.key, []))
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
        doc_paras.setdefault(p.path, []).append(p)
    expected_deletions = set()
    for b in expected["blocks"]:
        ps = doc_paras.get(b["path"], [])
        first = [p for p in ps if p.start >= b["first"]["start_line"] and p.end <= b["first"]["end_line"]]
        rep = [p for p in ps if p.start >= b["repeat"]["start_line"] and p.end <= b["repeat"]["end_line"]]
        ok = (len(first) >= 2 and len(first) == len(rep)
              and first[0].start == b["first"]["start_line"] and first[-1].end == b["first"]["end_line"]
              and rep[0].start == b["repeat"]["start_line"] and rep[-1].end == b["repeat"]["end_line"]
              and all(x.norm == y.norm for x, y in zip(first, rep)))
        if not ok:
            fail("block %s is not a repeated run of paragraphs" % b)
        else:
            print("block %s: lines %d-%d repeat lines %d-%d (%d paragraphs)" % (
                b["path"], rep[0].start, rep[-1].end, first[0].start, first[-1].end, len(rep)))
        for p in rep:
            expected_deletions.add(p.key)
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
