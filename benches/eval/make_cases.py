#!/usr/bin/env python3
"""Generate a labelled corpus of seven hard detection cases, in several languages.

    python3 benches/eval/make_cases.py --out /tmp/paradup-eval/cases --seed 7

Writes outlet folders (.txt/.md articles, JSON Lines feeds of briefs, HTML sites) and
DIR/truth.json in make_eval.py's schema, plus `lang`/`case` on every paragraph and group,
`template_siblings` and `dont_care_pairs` (see README.md in this folder). Prose is real:
English from pool.py, other languages from mlpool.py (translated man pages and the like);
only short chrome and footer lines are templated. Cases:

  a syndicated_lede / syndicated_kicker   one paragraph first/last in 4-6 unrelated
                                          articles of 4-6 outlets (exact, some near)
  b brief                                 2-3 paragraph briefs (mostly feeds) sharing one
  c site_chrome / site_syndicated         HTML sites with a large template; bodies shared
  d cjk_within / cjk_near / cjk_exact     zh/ja/ko pastes (ABAB), 1-5 character edits
  e sentence_swap                         near copies with sentences reordered
  f template_sibling                      one-slot sentence pairs: in NO group
  g chain                                 A~B~C, A-C below 0.7: a dont-care pair
"""

import argparse
import html
import itertools
import json
import os
import random
import re
import shutil
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from evalcommon import normalize, tokens, token_similarity, is_cjk_char  # noqa: E402
import make_eval as me  # noqa: E402
import mlpool  # noqa: E402
import pool as poolmod  # noqa: E402

TRUTH_VERSION = 1
LANGS = ["en", "de", "fr", "ru", "ja", "zh", "ko"]
CJK = {"ja", "zh"}
SITE_NAMES = [("Example Media", "example-media"), ("Northwind Daily", "northwind-daily"),
              ("Harbor Wire Online", "harbor-wire")]

# ---------------------------------------------------------------------------------------
# Text helpers


def split_sents(text, lang):
    if lang == "en":
        return me.split_sentences(text)
    if lang in CJK:
        parts = re.findall(r"[^。！？!?]+[。！？!?]+[」』）)\"”]?", text)
        rest = text[sum(len(p) for p in parts):]
        if rest.strip():
            parts.append(rest)
        return [p.strip() for p in parts if p.strip()]
    parts = re.split(r"(?<=[.!?])\s+(?=[\"\u00ab\u201e(]?[^\W\d_])", text)
    out = []
    for p in parts:
        if out and (len(out[-1].split()[-1].rstrip(".")) <= 2):  # "z. B.", "d. h."
            out[-1] += " " + p
        else:
            out.append(p)
    return out


def join_sents(sents, lang):
    return ("" if lang in CJK else " ").join(sents)


def headline(text, lang):
    if lang in CJK:
        return re.split(r"[、。，！？]", text)[0][:20]
    ws = re.sub(r"[\"\u201c\u201d\u201e\u00ab\u00bb()]", "", text).split()
    return " ".join(ws[:7]).rstrip(",.;:!?")


def sim(a, b):
    return round(token_similarity(a, b), 4)


class MLEditor:
    """Near edits for any language (make_eval's Editor is used for English)."""

    def __init__(self, rng, lang, texts, en_editor=None):
        self.r = rng
        self.lang = lang
        self.en = en_editor
        if lang in CJK:
            chars = sorted({c for t in texts for c in t if is_cjk_char(c)})
            self.kana = [c for c in chars if 0x3040 <= ord(c) <= 0x30FF]
            self.han = [c for c in chars if ord(c) >= 0x3400]
        vocab = set()
        for t in texts:
            for w in re.findall(r"[^\W\d_]{4,14}", t):
                if not any(is_cjk_char(c) for c in w):
                    vocab.add(w.lower() if lang != "de" else w)
        self.vocab = sorted(vocab)
        self.donors = []
        for t in texts[:60]:
            for s in split_sents(t, lang):
                if 6 <= len(tokens(normalize(s))) <= 30:
                    self.donors.append(s)

    def char_edit(self, t, k):
        """k CJK characters substituted (or, 1 in 5, deleted). Returns (text, detail)."""
        r = self.r
        pos = [i for i, c in enumerate(t) if is_cjk_char(c)]
        if len(pos) < k + 5:
            return None
        chosen = sorted(r.sample(pos, k))
        s = list(t)
        det = []
        for i in reversed(chosen):
            c = s[i]
            if r.random() < 0.2:
                det.append(f"{c}->(deleted)")
                del s[i]
                continue
            src = self.kana if 0x3040 <= ord(c) <= 0x30FF and self.kana else self.han
            n = c
            while n == c:
                n = r.choice(src)
            s[i] = n
            det.append(f"{c}->{n}")
        return "".join(s), f"char_edit {k} characters: " + ", ".join(reversed(det))

    def word_positions(self, t):
        return [m for m in re.finditer(r"[^\W\d_]{3,}", t)
                if not any(is_cjk_char(c) for c in m.group(0))]

    def word_sub(self, t, k=None):
        r = self.r
        ms = self.word_positions(t)
        k = k or (1 if r.random() < 0.6 else 2)
        if len(ms) < k + 3 or not self.vocab:
            return None
        chosen = sorted(r.sample(ms, k), key=lambda m: m.start())
        out, last, det = [], 0, []
        for m in chosen:
            w = m.group(0)
            n = w
            while n.lower() == w.lower():
                n = r.choice(self.vocab)
            if w[0].isupper():
                n = n[0].upper() + n[1:]
            out.append(t[last:m.start()])
            out.append(n)
            last = m.end()
            det.append(f"{w} -> {n}")
        out.append(t[last:])
        return "".join(out), "word_sub " + ", ".join(det)

    def clause_drop(self, t):
        cands = []
        n_all = len(tokens(normalize(t)))
        for m in re.finditer(r"[,，、]\s*([^,，、.。;；!?！？()（）]+?)(?=[,，.。;；!?！？])", t):
            n = len(tokens(normalize(m.group(1))))
            if 3 <= n <= max(3, n_all // 4):
                cands.append((m.start(), m.end(), m.group(1)))
        if not cands:
            return None
        s, e, c = self.r.choice(cands)
        return t[:s] + t[e:], f"clause dropped '{c}'"

    def near(self, t):
        """One light near edit: returns (text, [types], [details]) or None."""
        if self.lang == "en":
            return self.en.near(t)
        r = self.r
        if self.lang in CJK:
            k = r.randint(1, 5)
            res = self.char_edit(t, k)
            return (res[0], ["char_edit"], [res[1]]) if res else None
        for kind in r.sample(["word_sub", "word_sub", "clause_drop"], 3):
            res = getattr(self, kind)(t)
            if res and normalize(res[0]) != normalize(t):
                return res[0], [kind], [res[1]]
        return None


# ---------------------------------------------------------------------------------------
# Template siblings: real one-slot sentence pairs from documentation


_PRONOUNS = {"us", "you", "we", "they", "he", "she", "it", "i", "me", "them", "your", "our",
             "their", "his", "her", "its", "my"}


def _in_lang(s, lang):
    if lang == "en":
        return True
    counts = {}
    for c in s:
        k = mlpool._script(c)
        if k:
            counts[k] = counts.get(k, 0) + 1
    letters = sum(counts.values()) or 1
    want = {"ko": "hangul", "ru": "cyrillic", "uk": "cyrillic"}.get(lang, "latin")
    if lang in CJK or counts.get(want, 0) < 0.85 * letters:
        return False
    if want == "latin":
        low = [t.strip("()\"',.;:!?").lower() for t in s.split()]
        if sum(t in poolmod._STOP for t in low) > 0.15 * len(low):
            return False
        st = mlpool.STOPS.get(lang)
        if st and not any(t in st for t in low):
            return False
    return True


def sibling_pairs(lang, rng, want, avoid=frozenset()):
    """Pairs of real short sentences (5-15 tokens) that differ in one slot of 1-2 words on
    each side (prefix + suffix >= 4 tokens), both with their words non-trivially changed.
    English: the Rust books' <p> text; other languages: translated man pages."""
    sents = set()
    if lang == "en":
        roots = [r for r in poolmod._rust_doc_roots()
                 if os.path.basename(r) in ("reference", "rustc", "cargo", "book")]
        files = [f for r in roots for f in poolmod._walk(r, 4, lambda n: n.endswith(".html"))]
        blocks = []
        for f in files:
            blocks.extend(b[0] for b in poolmod._html_blocks(poolmod.read_text(f) or ""))
    else:
        blocks = []
        for lg, kind, f in mlpool.sources():
            if lg != lang or kind != "man":
                continue
            blocks.extend(mlpool.join_lines(b) for b in poolmod.extract_blocks("man", f))
    for t in blocks:
        t = " ".join(t.split())
        for s in re.split(r"(?<=[.:!?])\s+(?=[^\W\d_])", t):
            if re.search(r"[`{}<>\\|*_#=\[\]$@]", s) or not re.search(r"[.:]$", s):
                continue
            if not s[0].isupper() or not _in_lang(s, lang):
                continue
            n = len(tokens(normalize(s)))
            if 5 <= n <= 15:
                sents.add(s)
    sents = sorted(sents)
    by = {}
    for s in sents:
        tk = s.split()
        by.setdefault((tk[0], tk[-1]), []).append(s)
    out = []
    used = set()
    keys = sorted(by)
    rng.shuffle(keys)
    for key in keys:
        v = by[key]
        for a, b in itertools.combinations(v, 2):
            if a in used or b in used:
                continue
            ta, tb = a.split(), b.split()
            i = 0
            while i < min(len(ta), len(tb)) and ta[i] == tb[i]:
                i += 1
            j = 0
            while j < min(len(ta), len(tb)) - i and ta[-1 - j] == tb[-1 - j]:
                j += 1
            ma, mb = ta[i:len(ta) - j], tb[i:len(tb) - j]
            if not (1 <= len(ma) <= 2 and 1 <= len(mb) <= 2 and i + j >= 4):
                continue
            wa = tokens(normalize(" ".join(ma)))
            wb = tokens(normalize(" ".join(mb)))
            if not wa or not wb or set(wa) == set(wb):
                continue
            if all(w in me.STOP for w in wa + wb):
                continue
            if normalize(a) == normalize(b) or normalize(a) in avoid or normalize(b) in avoid:
                continue
            if any(x[:4].lower() == y[:4].lower() for x in wa for y in wb):
                continue  # an inflection or a synonym of one stem, not another slot value
            if set(wa + wb) & _PRONOUNS:
                continue
            out.append((a, b, " ".join(ma), " ".join(mb)))
            used.add(a)
            used.add(b)
            break
        if len(out) >= want:
            break
    return out


# ---------------------------------------------------------------------------------------
# Corpus model

class Para(dict):
    """A paragraph to write: text, role, origin, case, lang, edits, details, family..."""


def P(text, origin, case, lang, role="body", **kw):
    p = Para(text=text, origin=origin, case=case, lang=lang, role=role, edits=[], details=[])
    p.update(kw)
    return p


class Builder:
    def __init__(self, args, en_pool, ml_pool, log):
        self.args = args
        self.log = log
        self.r = random.Random(args.seed)
        r = self.r
        self.pools = {}
        en = [e["text"] for e in en_pool]
        r.shuffle(en)
        self.pools["en"] = en
        for lang in args.langs:
            if lang == "en":
                continue
            ps = [e["text"] for e in ml_pool if e["lang"] == lang]
            r.shuffle(ps)
            self.pools[lang] = ps
        # English editor: make_eval's, with donors reserved from the English pool
        donors = self.pools["en"][:150]
        self.pools["en"] = self.pools["en"][150:]
        dsents = [s for t in donors for s in me.split_sentences(t)
                  if 6 <= len(s.split()) <= 30 and re.search(r"[.!?]$", s)]
        vocab = sorted({w for t in self.pools["en"][:3000] for w in re.findall(r"[a-z]{5,12}", t)
                        if w not in me.STOP})
        self.en_editor = me.Editor(r, vocab, dsents)
        self.editors = {lang: MLEditor(r, lang, self.pools[lang], self.en_editor)
                        for lang in args.langs}
        self.next = {lang: 0 for lang in args.langs}
        self.n_origin = 0
        self.docs = []          # {path, outlet, fmt, lang, paras:[Para], record?}
        self.planted = []
        self.siblings = []      # (Para, Para)
        self.chains = []        # (origin, [A paras], [C paras])
        self.case_counts = {}
        self.short = {}

    def take(self, lang):
        ps = self.pools[lang]
        i = self.next[lang]
        if i >= len(ps):
            self.short[lang] = self.short.get(lang, 0) + 1
            return None
        self.next[lang] = i + 1
        return ps[i]

    def left(self, lang):
        return len(self.pools[lang]) - self.next[lang]

    def origin(self, lang):
        self.n_origin += 1
        return f"{lang}:{self.n_origin}"

    def count(self, case, lang, n=1):
        k = f"{case}/{lang}"
        self.case_counts[k] = self.case_counts.get(k, 0) + n

    # -- outlets -------------------------------------------------------------------------
    def make_outlets(self):
        r = self.r
        cities = me.CITIES[:]
        r.shuffle(cities)
        self.text_outlets = []
        self.feed_outlets = []
        for i in range(self.args.outlets):
            kind = ["radio", "paper", "digital"][i % 3]
            city = cities[i]
            if kind == "radio":
                call = "K" + "".join(r.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(3))
                name, slug = f"{call} Radio", call.lower() + f"-{i}"
            elif kind == "paper":
                name = f"The {city} {r.choice(me.PAPERS)}"
                slug = me.slugify(name[4:], 4)
            else:
                name = f"{city} {r.choice(me.DIGITAL)}"
                slug = me.slugify(name, 4)
                call = None
            o = {"slug": slug, "name": name, "kind": kind, "city": city,
                 "call": call if kind == "radio" else None,
                 "fmt": r.choice(["txt", "md", "txt"]), "wrap": r.choice([None, None, 72, 78]),
                 "footer": r.choice(["template", "own", "own", "none"]),
                 "own": r.randrange(len(me.OWN_FOOTERS)), "newsletter": r.random() < 0.3,
                 "wire": r.randrange(len(me.WIRE_COPYRIGHT)), "n": 0}
            self.text_outlets.append(o)
        for i in range(self.args.feeds):
            city = cities[self.args.outlets + i]
            name = f"{city} Briefing"
            o = {"slug": me.slugify(name, 4) + "-feed", "name": name, "kind": "feed", "city": city,
                 "call": None, "fmt": "jsonl", "wrap": None, "footer": r.choice(["own", "none"]),
                 "own": r.randrange(len(me.OWN_FOOTERS)), "newsletter": r.random() < 0.5,
                 "wire": r.randrange(len(me.WIRE_COPYRIGHT)), "n": 0,
                 "feed_html": i % 2 == 1, "records": []}
            self.feed_outlets.append(o)

    def end_boilerplate(self, o, date):
        r = self.r
        vals = {"NAME": o["name"], "CALL": o["call"] or "", "CITY": o["city"],
                "YEAR": str(date[0]), "DATE": me.fmt_date(date)}
        out = []

        def bp(text, fam):
            return P(text, f"bp:{fam}", "boilerplate", "en", role="boilerplate", family=fam)

        if r.random() < 0.35:
            ag = r.choice(me.AGENCIES[:3])
            out.append(bp(me.WIRE_COPYRIGHT[o["wire"]].format(YEAR=date[0], AGENCY=ag[0]),
                          "wire-copyright"))
        if o["footer"] == "template":
            tpl, fam = ((me.RADIO_FOOTER, "footer:radio-template") if o["kind"] == "radio"
                        else (me.PAPER_FOOTER, "footer:paper-template"))
            out.append(bp(tpl.format(**vals), fam))
        elif o["footer"] == "own":
            out.append(bp(me.OWN_FOOTERS[o["own"]].format(**vals), f"footer:own{o['own']}"))
        if o["newsletter"]:
            out.append(bp(me.NEWSLETTER.format(**vals), "newsletter"))
        return out

    # -- planted groups ------------------------------------------------------------------
    def variants_for(self, lang, text, k, near_share):
        """k copies of one paragraph: list of (text, edits, details)."""
        ed = self.editors[lang]
        out = [(text, [], [])]
        for _ in range(k - 1):
            if self.r.random() < near_share:
                res = ed.near(text)
                if res and normalize(res[0]) != normalize(text):
                    out.append((res[0], res[1], res[2]))
                    continue
            out.append((text, [], []))
        return out

    def plant(self):
        """Returns (edge groups, middle groups, brief groups) of Para copies, per language."""
        a = self.args
        r = self.r
        self.edge = {lang: [] for lang in a.langs}     # [(pos, [Para copies])]
        self.middle = {lang: [] for lang in a.langs}   # [[Para copies]] (different docs)
        self.briefs = {lang: [] for lang in a.langs}   # [[Para copies]]
        self.within = {lang: [] for lang in a.langs}   # [[Para, Para]] pasted ABAB
        self.sib_items = {lang: [] for lang in a.langs}
        for lang in a.langs:
            n_pool = len(self.pools[lang])
            # pool paragraphs used per instance of every case: a 1, b 1, e ~1.3, g ~1.3,
            # and for zh/ja/ko d 2 + 1 + 0.5; a fifth of the pool is kept for fillers
            cost = 8.0 if (lang in CJK or lang == "ko") else 5.0
            if lang == "en":
                cost += 14  # HTML site bodies
            scale = min(1.0, 0.8 * n_pool / cost / a.per_case)

            def n(full):
                return max(2, int(full * scale))
            # a: syndicated ledes and kickers
            for gi in range(n(a.per_case)):
                t = self.take(lang)
                if t is None:
                    break
                k = r.randint(4, 6)
                vs = self.variants_for(lang, t, k, 0.25 if gi % 3 == 0 else 0.0)
                case = "syndicated_lede" if gi % 2 == 0 else "syndicated_kicker"
                org = self.origin(lang)
                copies = [P(x, org, case, lang, edits=e, details=d) for x, e, d in vs]
                self.edge[lang].append(("first" if case == "syndicated_lede" else "last", copies))
                self.count(case, lang)
            # b: briefs
            for gi in range(n(a.per_case)):
                t = self.take(lang)
                if t is None:
                    break
                vs = self.variants_for(lang, t, r.randint(2, 4), 0.25)
                org = self.origin(lang)
                self.briefs[lang].append([P(x, org, "brief", lang, edits=e, details=d)
                                          for x, e, d in vs])
                self.count("brief", lang)
            # d: CJK pastes and edits (zh, ja, ko)
            if lang in CJK or lang == "ko":
                for gi in range(n(a.per_case)):
                    t1, t2 = self.take(lang), self.take(lang)
                    if t2 is None:
                        break
                    o1, o2 = self.origin(lang), self.origin(lang)
                    self.within[lang].append([P(t1, o1, "cjk_within", lang),
                                              P(t2, o2, "cjk_within", lang)])
                    self.count("cjk_within", lang)
                ed = self.editors[lang]
                for gi in range(n(a.per_case)):
                    t = self.take(lang)
                    if t is None:
                        break
                    org = self.origin(lang)
                    copies = [P(t, org, "cjk_near", lang)]
                    for _ in range(r.randint(1, 2)):
                        k = r.randint(1, 5)
                        if lang in CJK:
                            res = ed.char_edit(t, k)
                            if not res:
                                continue
                            copies.append(P(res[0], org, "cjk_near", lang, edits=["char_edit"],
                                            details=[res[1]], char_edits=k))
                        else:  # Korean is written with spaces: 1-2 words
                            res = ed.word_sub(t, min(k, 2))
                            if res:
                                copies.append(P(res[0], org, "cjk_near", lang,
                                                edits=["word_sub"], details=[res[1]]))
                    if len(copies) >= 2:
                        self.middle[lang].append(copies)
                        self.count("cjk_near", lang)
                for gi in range(n(a.per_case // 2)):
                    t = self.take(lang)
                    if t is None:
                        break
                    org = self.origin(lang)
                    self.middle[lang].append([P(t, org, "cjk_exact", lang)
                                              for _ in range(r.randint(2, 3))])
                    self.count("cjk_exact", lang)
            # e: sentence swaps
            got, tries = 0, 0
            while got < n(a.per_case) and tries < n(a.per_case) * 4:
                tries += 1
                t = self.take(lang)
                if t is None:
                    break
                ss = split_sents(t, lang)
                if len(ss) < 2:
                    self.pools[lang].append(t)  # give it back for other uses (at the end)
                    continue
                org = self.origin(lang)
                copies = [P(t, org, "sentence_swap", lang)]
                for _ in range(r.randint(1, 2)):
                    v = self.swap_variant(lang, t, ss)
                    if v:
                        copies.append(P(v[0], org, "sentence_swap", lang, edits=v[1], details=v[2]))
                if len(copies) >= 2:
                    self.middle[lang].append(copies)
                    self.count("sentence_swap", lang)
                    got += 1
            # g: chains A~B~C
            got, tries = 0, 0
            while got < n(a.per_case) and tries < n(a.per_case) * 4:
                tries += 1
                t = self.take(lang)
                if t is None:
                    break
                c = self.chain(lang, t)
                if not c:
                    self.pools[lang].append(t)
                    continue
                org = self.origin(lang)
                (b, eb, db), (cc, ec, dc) = c
                pa = P(t, org, "chain", lang, chain="A")
                pb = P(b, org, "chain", lang, edits=eb, details=db, chain="B")
                pc = P(cc, org, "chain", lang, edits=ec, details=dc, chain="C")
                self.middle[lang].append([pa, pb, pc])
                self.chains.append((pa, pc))
                self.count("chain", lang)
                got += 1
            # f: template siblings
            want = n(a.per_case)
            avoid = {normalize(t) for t in self.pools[lang]}
            for x, y, sx, sy in sibling_pairs(lang, r, want, avoid):
                px = P(x, self.origin(lang), "template_sibling", lang, slot=sx)
                py = P(y, self.origin(lang), "template_sibling", lang, slot=sy)
                self.siblings.append((px, py))
                self.sib_items[lang].append((px, py))
                self.count("template_sibling", lang)

    def swap_variant(self, lang, t, ss):
        r = self.r
        ed = self.editors[lang]
        i = r.randrange(len(ss) - 1)
        new = ss[:i] + [ss[i + 1], ss[i]] + ss[i + 2:]
        edits, det = ["sentence_swap"], [f"sentences {i + 1} and {i + 2} swapped"]
        text = join_sents(new, lang)
        extra = r.random()
        if extra < 0.3:
            res = ed.clause_drop(text) if lang != "en" else ed.en.clause_drop(text)
            if res:
                text = res[0]
                edits.append("clause_drop")
                det.append(res[1])
        elif extra < 0.45 and len(new) >= 3:
            j = r.randrange(len(new))
            text = join_sents(new[:j] + new[j + 1:], lang)
            edits.append("sentence_drop")
            det.append(f"sentence removed ({len(tokens(normalize(new[j])))} tokens)")
        elif extra < 0.6 and ed.donors:
            s = r.choice(ed.donors if lang != "en" else ed.en.donors)
            text = join_sents(new + [s], lang)
            edits.append("sentence_add")
            det.append(f"sentence appended ({len(tokens(normalize(s)))} tokens)")
        if normalize(text) == normalize(t):
            return None
        return text, edits, det

    def chain(self, lang, t):
        """B from A and C from B by replacing disjoint token sets, so that A-B and B-C
        have similarity >= 0.75 and A-C < 0.7 (token-level Levenshtein)."""
        ed = self.editors[lang]
        r = self.r
        if lang in CJK:
            pos = [i for i, c in enumerate(t) if is_cjk_char(c)]
            n = len(tokens(normalize(t)))
            if len(pos) < 30:
                return None
            for _ in range(8):
                k = max(3, int(round(n * r.uniform(0.17, 0.22))))
                xs = r.sample(pos, 2 * k)
                b = list(t)
                for i in xs[:k]:
                    b[i] = self._other_char(ed, b[i])
                c = list(b)
                for i in xs[k:]:
                    c[i] = self._other_char(ed, c[i])
                b, c = "".join(b), "".join(c)
                if sim(t, b) >= 0.75 and sim(b, c) >= 0.75 and sim(t, c) < 0.7:
                    return ((b, ["char_edit"], [f"chain step 1: {k} characters replaced"]),
                            (c, ["char_edit"], [f"chain step 2: {k} more characters replaced"]))
            return None
        ms = ed.word_positions(t) if lang != "en" else [
            m for m in re.finditer(r"[A-Za-z]{3,}", t)]
        n = len(tokens(normalize(t)))
        vocab = ed.vocab if lang != "en" else ed.en.vocab
        if n < 15 or len(ms) < n * 0.45:
            return None
        for _ in range(8):
            k = max(3, int(round(n * r.uniform(0.17, 0.22))))
            if 2 * k > len(ms):
                return None
            xs = r.sample(range(len(ms)), 2 * k)
            rep = {}
            for j in xs:
                w = ms[j].group(0)
                nw = w
                while nw.lower() == w.lower():
                    nw = r.choice(vocab)
                rep[j] = nw[0].upper() + nw[1:] if w[0].isupper() else nw

            def apply(which):
                out, last = [], 0
                for j, m in enumerate(ms):
                    if j in which:
                        out.append(t[last:m.start()])
                        out.append(rep[j])
                        last = m.end()
                out.append(t[last:])
                return "".join(out)

            b = apply(set(xs[:k]))
            c = apply(set(xs))
            if sim(t, b) >= 0.75 and sim(b, c) >= 0.75 and sim(t, c) < 0.7:
                return ((b, ["word_sub"], [f"chain step 1: {k} words replaced"]),
                        (c, ["word_sub"], [f"chain step 2: {k} more words replaced"]))
        return None

    def _other_char(self, ed, c):
        src = ed.kana if 0x3040 <= ord(c) <= 0x30FF and ed.kana else ed.han
        n = c
        while n == c:
            n = self.r.choice(src)
        return n

    # -- documents -----------------------------------------------------------------------
    def new_doc(self, lang, outlet, kind):
        d = {"lang": lang, "outlet": outlet, "paras": [], "kind": kind, "groups": set(),
             "first": None, "last": None, "date": (self.r.choice([2023, 2024]),
                                                    self.r.randint(1, 12), self.r.randint(1, 28))}
        self.docs.append(d)
        return d

    def assemble(self):
        a = self.args
        r = self.r
        for lang in a.langs:
            edge = self.edge[lang]
            middle = self.middle[lang]
            n_edge = sum(len(c) for _, c in edge)
            n_mid = sum(len(c) for c in middle) + 2 * sum(len(s) for s in self.sib_items[lang])
            n_docs = max(10, int(n_edge / 1.0), (n_edge + n_mid) // 4)
            docs = [self.new_doc(lang, r.choice(self.text_outlets), "article")
                    for _ in range(n_docs)]
            gid = [0]
            n_brief = sum(len(c) for c in self.briefs[lang])
            bdocs = [self.new_doc(lang, r.choice(self.feed_outlets + self.text_outlets[:3]),
                                  "brief") for _ in range(max(4, int(n_brief / 2.2)))]
            neighbors = {id(d): set() for d in docs + bdocs}

            def place(copies, need_pos=None, distinct_outlets=False, docs=docs, cap=7):
                """Puts each copy in another document; documents that share this group share
                no other group (so they stay unrelated articles)."""
                gid[0] += 1
                chosen = []
                order = docs[:]
                r.shuffle(order)
                for cp in copies:
                    for d in order:
                        if d in chosen or id(d) in {id(x) for x in chosen}:
                            continue
                        if need_pos and d[need_pos] is not None:
                            continue
                        if distinct_outlets and d["outlet"]["slug"] in {x["outlet"]["slug"] for x in chosen}:
                            continue
                        if any(id(d) in neighbors[id(x)] for x in chosen):
                            continue
                        if any(neighbors[id(d)] & neighbors[id(x)] for x in chosen) and False:
                            continue
                        if len(d["paras"]) >= cap:
                            continue
                        chosen.append(d)
                        break
                    else:
                        return False
                # a document sharing a group with a chosen one must not get a second group
                # shared with another chosen one: record neighbors
                for d in chosen:
                    for x in chosen:
                        if x is not d:
                            neighbors[id(d)].add(id(x))
                for d, cp in zip(chosen, copies):
                    if need_pos:
                        d[need_pos] = cp
                    else:
                        d["paras"].append(cp)
                return True

            def retarget(copies):
                # outlets differ per copy: give chosen documents distinct outlets
                return copies

            # rebalance outlets so that edge groups can use 4-6 distinct outlets
            for pos, copies in edge:
                if not place(copies, pos, distinct_outlets=True):
                    self.log(f"warning: {lang}: could not place an edge group of {len(copies)}")
                    for cp in copies:
                        cp["_unplaced"] = True
            for copies in middle:
                if not place(copies):
                    self.log(f"warning: {lang}: could not place a group of {len(copies)}")
            for k, (x, y) in enumerate(self.sib_items[lang]):
                if k % 4 == 0:  # both in one article
                    d = r.choice(docs)
                    d["paras"].append(x)
                    d["paras"].append(P("", "", "", lang, role="_spacer"))
                    d["paras"].append(y)
                else:
                    place([x, y])
            # within pastes: ABAB in a document's middle
            for pair in self.within[lang]:
                d = r.choice(docs)
                cps = [Para(dict(p)) for p in pair]
                d["paras"].extend(pair + cps)
                d.setdefault("pastes", []).append((pair, cps))
            # fill: every article gets at least two body paragraphs besides edges
            for d in docs:
                d["paras"] = [p for p in d["paras"] if p["role"] != "_spacer" or True]
                body = d["paras"]
                self._shuffle_keep_pastes(d)
                have = len([p for p in body if p["role"] != "_spacer"]) + \
                    (d["first"] is not None) + (d["last"] is not None)
                want = r.randint(3, 7)
                while have < want and self.left(lang) > a.reserve.get(lang, 0):
                    t = self.take(lang)
                    if t is None:
                        break
                    d["paras"].insert(r.randint(0, len(d["paras"])),
                                      P(t, self.origin(lang), "background", lang))
                    have += 1
                d["paras"] = [p for p in d["paras"] if p["role"] != "_spacer"]
                full = ([d["first"]] if d["first"] else []) + d["paras"] + \
                    ([d["last"]] if d["last"] else [])
                d["paras"] = full
            # singles: whole unrelated articles
            for _ in range(a.singles):
                if self.left(lang) < 3 + a.reserve.get(lang, 0):
                    break
                d = self.new_doc(lang, r.choice(self.text_outlets), "article")
                for _ in range(r.randint(3, 6)):
                    t = self.take(lang)
                    if t is None:
                        break
                    d["paras"].append(P(t, self.origin(lang), "background", lang))
            # briefs: 2-3 paragraphs, each a copy of a syndicated brief paragraph (briefs
            # sharing one share no other), filled with a single when alone
            for copies in self.briefs[lang]:
                if not place(copies, distinct_outlets=True, docs=bdocs, cap=3):
                    self.log(f"warning: {lang}: could not place a brief group of {len(copies)}")
            for d in bdocs:
                r.shuffle(d["paras"])
                if len(d["paras"]) == 1:
                    t = self.take(lang)
                    if t is not None:
                        d["paras"].insert(r.randint(0, 1), P(t, self.origin(lang), "background", lang))
        self.docs = [d for d in self.docs if d["paras"]]

    def _shuffle_keep_pastes(self, d):
        """Middle paragraphs in random order, each ABAB paste kept together and in order."""
        r = self.r
        units = []
        pasted = set()
        for pair, cps in d.get("pastes", []):
            units.append(list(pair) + list(cps))
            pasted.update(id(x) for x in pair + cps)
        i = 0
        ps = d["paras"]
        while i < len(ps):
            p = ps[i]
            if id(p) in pasted:
                i += 1
                continue
            if i + 2 < len(ps) and ps[i + 1]["role"] == "_spacer":
                units.append([p, ps[i + 1], ps[i + 2]])  # siblings in one article
                i += 3
                continue
            units.append([p])
            i += 1
        r.shuffle(units)
        d["paras"] = [p for u in units for p in u]

    # -- HTML sites ------------------------------------------------------------------
    def sites(self):
        a = self.args
        r = self.r
        self.site_docs = []
        site_langs = [["en"], ["en"], [x for x in a.langs if x in ("en", "de", "ja", "ru")]]
        sites = []
        for si, (name, slug) in enumerate(SITE_NAMES[:a.sites]):
            n_pages = r.randint(20, 60)
            city = me.CITIES[si]
            heads = [(k, tpl.format(CITY=city, THING=th)) for k, tpl in enumerate(me.RELATED_TEMPLATES)
                     for th in me.RELATED_THINGS]
            site = {"name": name, "slug": slug, "n": n_pages, "nav": r.sample(me.NAV_ITEMS, 6),
                    "heads": r.sample(heads, 10), "langs": site_langs[si % 3],
                    "rail_tag": ["section", "aside", "div"][si % 3], "pages": []}
            sites.append(site)
        # body paragraphs syndicated between sites (editorial)
        synd = []
        for _ in range(a.per_case):
            t = self.take("en")
            if t is None:
                break
            vs = self.variants_for("en", t, r.randint(2, 3), 0.3)
            org = self.origin("en")
            synd.append([P(x, org, "site_syndicated", "en", edits=e, details=d) for x, e, d in vs])
            self.count("site_syndicated", "en")
        for site in sites:
            for k in range(site["n"]):
                lang = r.choice(site["langs"])
                body = []
                for _ in range(r.randint(3, 6)):
                    t = self.take(lang)
                    if t is None:
                        break
                    body.append(P(t, self.origin(lang), "background", lang))
                site["pages"].append({"lang": lang, "body": body})
        for copies in synd:
            pages = []
            ss = r.sample(sites, min(len(copies), len(sites)))
            for cp, s in zip(copies, ss):
                pg = r.choice(s["pages"])
                pg["body"].insert(r.randint(0, len(pg["body"])), cp)
        self.site_list = sites

    def chrome_p(self, site, key, text, element="p", **kw):
        fam = f"chrome-{key}"
        p = P(text, f"chrome:{fam}", "site_chrome", "en", role="boilerplate", family=fam,
              chrome=True, element=element)
        p.update(kw)
        return p

    def html_page(self, site, pg, k):
        """Lines and [(Para, start, end)] of one page of a site."""
        r = self.r
        lines, recs = [], []
        slug = site["slug"]
        # a page without a body (small pools) gets a title of its own: one word on
        # every such page would be the site's template
        title = (headline(pg["body"][0]["text"], pg["lang"]) if pg["body"]
                 else f"{site['name']} {k + 1}")

        def element(p, tag, inner, attrs="", indent=""):
            s = len(lines) + 1
            lines.append(f"{indent}<{tag}{attrs}>{inner}</{tag}>")
            recs.append((p, s, s))

        esc = lambda t: html.escape(t, quote=False)
        lines.extend(["<!DOCTYPE html>", f'<html lang="{pg["lang"]}">', "<head>",
                      '<meta charset="utf-8">', f"<title>{esc(title)} | {esc(site['name'])}</title>",
                      f'<link rel="stylesheet" href="/assets/{slug}.css">', "</head>", "<body>",
                      '<header class="site-header">'])
        element(self.chrome_p(site, f"brand:{slug}", site["name"]), "div", esc(site["name"]),
                ' class="brand"', "  ")
        lines.append('  <nav class="main-nav"><ul>')
        for item in site["nav"]:
            element(self.chrome_p(site, f"nav:{me.slugify(item, 8)}", item, "li"), "li",
                    f'<a href="/{me.slugify(item, 8)}">{esc(item)}</a>', "", "    ")
        lines.extend(["  </ul></nav>", "</header>"])
        # plain div chrome, not detectable by element
        element(self.chrome_p(site, "ad:advertisement", "Advertisement", "div"), "div",
                "Advertisement", ' class="ad-slot"')
        lines.extend(["<main>", '<div class="story">'])
        element(P(title, f"heading:{slug}:{k}", "heading", pg["lang"], role="heading"),
                "h1", esc(title))
        body = pg["body"]
        cut = min(2, len(body))
        for p in body[:cut]:
            element(p, "p", esc(p["text"]))
        if len(body) > cut:
            element(self.chrome_p(site, "continue:continue-reading",
                                  "Continue reading the main story", "div"), "div",
                    "Continue reading the main story", ' class="story-continues"')
        for p in body[cut:]:
            element(p, "p", esc(p["text"]))
        lines.append("</div>")
        lines.append('<div class="email-tools">')
        element(self.chrome_p(site, "email-error",
                              "An error has occurred and your email has not been sent"), "p",
                "An error has occurred and your email has not been sent")
        element(self.chrome_p(site, "email-sent", "Your email has been sent"), "p",
                "Your email has been sent")
        lines.append("</div>")
        # sidebar: h2 label (a heading, on every page: chrome) and rotating h4 headlines (headings, chrome) or links
        tag = site["rail_tag"]
        lines.append(f'<{tag} class="rail">')
        element(self.chrome_p(site, f"rail:{slug}", "Most Popular", "h2", heading=True),
                "h2", "Most Popular")
        lines.append("  <ul>")
        for t, h in r.sample(site["heads"], r.randint(4, 5)):
            if tag == "div":
                element(self.chrome_p(site, f"headline:{slug}:{t}:{me.slugify(h, 8)}", h, "li"),
                        "li", f'<a href="/{me.slugify(h, 8)}">{esc(h)}</a>', "", "    ")
            else:
                s = len(lines) + 1
                lines.append(f'    <li><h4><a href="/{me.slugify(h, 8)}">{esc(h)}</a></h4></li>')
                recs.append((self.chrome_p(site, f"headline:{slug}:{t}:{me.slugify(h, 8)}", h, "h4",
                                           heading=True), s, s))
        lines.extend(["  </ul>", f"</{tag}>", "</main>"])
        year = 2013 + SITE_NAMES.index((site["name"], slug))
        legal = f"Copyright \u00a9{year} {site['name']}. All Rights Reserved."
        element(self.chrome_p(site, f"copyright:{slug}", legal, "div"), "div",
                html.escape(legal, quote=False).replace("\u00a9", "&copy;"), ' class="legal"')
        lines.append("<footer>")
        for item in ("Terms of Service", "Privacy Policy", "Accessibility"):
            element(self.chrome_p(site, f"footer-link:{me.slugify(item)}", item), "p", esc(item))
        lines.extend(["</footer>", "</body>", "</html>"])
        return lines, recs

    # -- writing -------------------------------------------------------------------------
    def write(self):
        a = self.args
        r = self.r
        self.files = []
        self.paras = []
        used_paths = set()

        def record(path, doc_key, story, recs, fmt, record_id=None):
            idmap = {}
            for k, (p, s, e) in enumerate(recs):
                pid = f"p{len(self.paras) + 1}"
                idmap[id(p)] = pid
                p["_id"] = pid
                q = {"id": pid, "path": path, "start_line": s, "end_line": e, "paragraph": k,
                     "doc": doc_key, "story": story, "p": p}
                if record_id:
                    q["record"] = record_id
                self.paras.append(q)
            return idmap

        for d in self.docs:
            o = d["outlet"]
            o["n"] += 1
            y, m, dd = d["date"]
            lang = d["lang"]
            story = f"d{len(self.files) + 1}"
            end = self.end_boilerplate(o, d["date"])
            head_src = d["paras"][1] if len(d["paras"]) > 1 else d["paras"][0]
            head = headline(head_src["text"], lang)
            if o["fmt"] == "jsonl":
                rid = f"{o['slug']}-{len(o['records']) + 1:04d}"
                line = len(o["records"]) + 1
                paras = d["paras"] + end
                if o.get("feed_html"):
                    body = "\n".join(f"<p>{html.escape(p['text'], quote=False)}</p>" for p in paras)
                else:
                    body = "\n\n".join(p["text"] for p in paras)
                o["records"].append({"id": rid, "headline": head, "lang": lang,
                                     "published": f"{y}-{m:02d}-{dd:02d}", "body": body})
                path = f"{o['slug']}/feed.jsonl"
                self.files.append({"path": path, "outlet": o["slug"], "story": story,
                                   "format": "jsonl", "record": rid, "line": line, "lang": lang,
                                   "kind": d["kind"]})
                idmap = record(path, f"{path}#{rid}", story, [(p, line, line) for p in paras],
                               "jsonl", rid)
            else:
                fmt = o["fmt"]
                base = f"{y}-{m:02d}-{dd:02d}-{lang}-{o['n']:04d}"
                path = f"{o['slug']}/{base}.{fmt}"
                used_paths.add(path)
                lines, recs = [], []

                def add(blines, p):
                    if lines:
                        lines.append("")
                    s = len(lines) + 1
                    lines.extend(blines)
                    if p is not None:
                        recs.append((p, s, len(lines)))

                if fmt == "md":
                    add([f"# {head}"], P(head, f"heading:{story}", "heading", lang,
                                         role="heading"))
                for p in d["paras"] + end:
                    wrap = None if lang in CJK else o["wrap"]
                    add(me.layout(p["text"], wrap), p)
                full = os.path.join(a.out, path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w", encoding="utf-8", newline="") as f:
                    f.write("\n".join(lines) + "\n")
                self.files.append({"path": path, "outlet": o["slug"], "story": story,
                                   "format": fmt, "lines": len(lines), "lang": lang,
                                   "kind": d["kind"]})
                idmap = record(path, path, story, recs, fmt)
            for pair, cps in d.get("pastes", []):
                self.planted.append({"path": path if o["fmt"] != "jsonl" else path,
                                     "kind": "exact", "case": "cjk_within", "lang": lang,
                                     "first": [idmap[id(x)] for x in pair],
                                     "repeat": [idmap[id(x)] for x in cps]})
        for o in self.feed_outlets:
            if not o["records"]:
                continue
            full = os.path.join(a.out, o["slug"], "feed.jsonl")
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8", newline="") as f:
                for rec in o["records"]:
                    f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        for site in self.site_list:
            for k, pg in enumerate(site["pages"]):
                lines, recs = self.html_page(site, pg, k)
                path = f"{site['slug']}/{2024}/{k + 1:03d}-{pg['lang']}.html"
                full = os.path.join(a.out, path)
                os.makedirs(os.path.dirname(full), exist_ok=True)
                with open(full, "w", encoding="utf-8", newline="") as f:
                    f.write("\n".join(lines) + "\n")
                story = f"d{len(self.files) + 1}"
                self.files.append({"path": path, "outlet": site["slug"], "story": story,
                                   "format": "html", "lines": len(lines), "lang": pg["lang"],
                                   "kind": "page"})
                record(path, path, story, recs, "html")


# ---------------------------------------------------------------------------------------
# Labels

def label(b):
    rows = b.paras
    for q in rows:
        p = q["p"]
        q["norm"] = normalize(p["text"])
        q["tokens"] = len(tokens(q["norm"]))
    by_origin = {}
    for q in rows:
        if q["p"]["role"] == "heading":
            continue
        by_origin.setdefault(q["p"]["origin"], []).append(q)
    owner, clash = {}, set()
    for q in rows:
        if q["p"]["role"] == "heading":
            continue
        o = owner.setdefault(q["norm"], q["p"]["origin"])
        if o != q["p"]["origin"]:
            clash.add(q["norm"])
    if clash:
        b.log(f"warning: {len(clash)} normalized texts shared by different origins; ignored")
    groups, ignored = [], []
    for origin in sorted(by_origin, key=lambda k: int(by_origin[k][0]["id"][1:])):
        members = by_origin[origin]
        p0 = members[0]["p"]
        if any(m["norm"] in clash for m in members):
            ignored.extend(m["id"] for m in members)
            continue
        variants = {}
        for m in members:
            variants.setdefault(m["norm"], []).append(m)
        vlist = list(variants.values())
        for vi, v in enumerate(vlist):
            for m in v:
                m["variant"] = vi
        common = {"case": p0["case"], "lang": p0["lang"]}
        if p0["role"] == "boilerplate":
            stories = {m["story"] for m in members}
            if len(stories) < 2:
                ignored.extend(m["id"] for m in members)
                continue
            g = {"kind": "boilerplate", "family": p0["family"],
                 "scope": me.scope_of([m["doc"] for m in members]), "edits": [],
                 "members": [m["id"] for m in members],
                 "variants": [[m["id"] for m in v] for v in vlist], "stories": len(stories)}
            if p0.get("chrome"):
                g["chrome"] = True
            g.update(common)
            groups.append(g)
            continue
        for v in vlist:
            if len(v) >= 2:
                g = {"kind": "exact", "origin": origin,
                     "scope": me.scope_of([m["doc"] for m in v]), "edits": [],
                     "members": [m["id"] for m in v]}
                g.update(common)
                groups.append(g)
        if len(vlist) >= 2:
            vedits = [sorted(set(v[0]["p"]["edits"])) for v in vlist]
            sims = []
            for i in range(len(vlist)):
                for j in range(i + 1, len(vlist)):
                    sims.append([i, j, sim(vlist[i][0]["p"]["text"], vlist[j][0]["p"]["text"])])
            g = {"kind": "near", "origin": origin,
                 "scope": me.scope_of([m["doc"] for m in members]),
                 "edits": sorted({e for ve in vedits for e in ve}),
                 "members": [m["id"] for m in members],
                 "variants": [[m["id"] for m in v] for v in vlist],
                 "variant_edits": vedits,
                 "variant_details": [v[0]["p"]["details"] for v in vlist],
                 "pair_similarity": sims}
            g.update(common)
            groups.append(g)
    for i, g in enumerate(groups):
        g["id"] = f"G{i + 1}"
    return groups, ignored


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--langs", default=",".join(LANGS),
                    help="comma-separated languages (en plus those of mlpool.py)")
    ap.add_argument("--per-case", type=int, default=50,
                    help="instances per case and language (scaled down for small pools)")
    ap.add_argument("--full-pool", type=int, default=900,
                    help="a language pool of this many paragraphs gets --per-case instances; "
                         "smaller pools get proportionally fewer (at least 4)")
    ap.add_argument("--singles", type=int, default=20, help="unrelated articles per language")
    ap.add_argument("--outlets", type=int, default=8, help="text outlets (txt/md)")
    ap.add_argument("--feeds", type=int, default=3, help="feed outlets (JSON Lines briefs)")
    ap.add_argument("--sites", type=int, default=3, help="HTML sites (max 3)")
    ap.add_argument("--cache-dir", default="/tmp/paradup-eval-cache")
    ap.add_argument("--pool-file", default=None, help="English pool file (pool-*.json)")
    ap.add_argument("--ml-pool-file", default=None, help="multilingual pool file (mlpool-*.json)")
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    log = (lambda m: None) if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    t0 = time.time()
    args.langs = [x.strip() for x in args.langs.split(",") if x.strip()]
    if "en" not in args.langs:
        args.langs.insert(0, "en")  # sites, footers and chrome are English
    out = args.out
    if os.path.abspath(out).startswith(os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))):
        ap.error("--out must be outside the repository (e.g. /tmp/paradup-eval/cases)")
    if os.path.exists(out) and os.listdir(out):
        if args.force and os.path.isfile(os.path.join(out, "truth.json")):
            shutil.rmtree(out)
        else:
            ap.error(f"{out} exists and is not empty (use --force to replace a previous corpus)")
    os.makedirs(out, exist_ok=True)
    if args.pool_file:
        with open(args.pool_file, encoding="utf-8") as f:
            c = json.load(f)
        en_pool, en_stats = c["pool"], c["stats"]
    else:
        en_pool, en_stats = poolmod.build_pool(3000, cache_dir=args.cache_dir or None, log=log)
    if args.ml_pool_file:
        with open(args.ml_pool_file, encoding="utf-8") as f:
            c = json.load(f)
        ml_pool, ml_stats = c["pool"], c["stats"]
    else:
        ml_pool, ml_stats = mlpool.build_ml_pool(cache_dir=args.cache_dir or None, log=log)
    have = {e["lang"] for e in ml_pool}
    args.langs = [x for x in args.langs if x == "en" or x in have]
    args.reserve = {}
    b = Builder(args, en_pool, ml_pool, log)
    b.make_outlets()
    b.plant()
    b.sites()
    b.assemble()
    b.r.shuffle(b.docs)
    b.write()
    groups, ignored = label(b)
    byid = {q["id"]: q for q in b.paras}
    paragraphs = []
    for q in b.paras:
        p = q["p"]
        e = {"id": q["id"], "path": q["path"], "start_line": q["start_line"],
             "end_line": q["end_line"], "role": p["role"], "origin": p["origin"] or q["id"],
             "story": q["story"], "variant": q.get("variant", 0), "words": q["tokens"],
             "paragraph": q["paragraph"], "lang": p["lang"], "case": p["case"]}
        if p["edits"]:
            e["edits"] = p["edits"]
            e["details"] = p["details"]
        for k in ("family", "chain", "slot", "char_edits", "element"):
            if p.get(k) is not None:
                e[k] = p[k]
        if "record" in q:
            e["record"] = q["record"]
        if p.get("chrome"):
            e["chrome"] = True
        if p.get("heading"):
            e["heading"] = True
        paragraphs.append(e)
    pid = lambda p: p["_id"]
    siblings = [[pid(x), pid(y)] for x, y in b.siblings if "_id" in x and "_id" in y]
    dont_care = []
    for pa, pc in b.chains:
        if "_id" in pa and "_id" in pc:
            dont_care.append([pid(pa), pid(pc)])
    stats = {"files": len({f["path"] for f in b.files}), "documents": len(b.files),
             "paragraphs": len(paragraphs), "by_role": {}, "by_lang": {}, "by_case": {},
             "groups": {}, "truth_pairs": {"exact": 0, "near": 0, "boilerplate": 0, "chrome": 0},
             "instances": dict(sorted(b.case_counts.items())),
             "template_sibling_pairs": len(siblings), "dont_care_pairs": len(dont_care),
             "pool_short": b.short, "pool_left": {l: b.left(l) for l in args.langs},
             "ignored_paragraphs": len(ignored)}
    for e in paragraphs:
        for k, v in (("by_role", e["role"]), ("by_lang", e["lang"]), ("by_case", e["case"])):
            stats[k][v] = stats[k].get(v, 0) + 1
    for g in groups:
        stats["groups"][g["kind"]] = stats["groups"].get(g["kind"], 0) + 1
        if g["kind"] == "near":
            sz = [len(v) for v in g["variants"]]
            stats["truth_pairs"]["near"] += me.pairs_in(sum(sz)) - sum(me.pairs_in(s) for s in sz)
        else:
            stats["truth_pairs"]["chrome" if g.get("chrome") else g["kind"]] += me.pairs_in(len(g["members"]))
    truth = {
        "version": TRUTH_VERSION,
        "generator": {"name": "make_cases.py", "seed": args.seed,
                      "argv": sys.argv[1:] if argv is None else argv,
                      "settings": {k: v for k, v in vars(args).items()
                                   if k not in ("out", "force", "quiet", "cache_dir", "reserve")},
                      "pool": {k: v for k, v in en_stats.items() if k not in ("cache", "build_s")},
                      "ml_pool": {k: v for k, v in ml_stats.items() if k not in ("cache", "build_s")}},
        "normalization": "NFKC, casefold, curly quotes and backticks to straight, dash variants "
                         "unified (paradup's rule), whitespace collapsed",
        "similarity": "1 - Levenshtein / longer length over tokens of the normalized text: "
                      "words (alphanumeric runs) for alphabetic scripts and Hangul, one token "
                      "per character for Han, Hiragana, Katakana and Thai (so CJK is "
                      "character-level with whitespace and punctuation removed); `words` "
                      "counts the same tokens",
        "stats": stats,
        "files": b.files,
        "outlets": [{"slug": o["slug"], "name": o["name"], "kind": o["kind"], "format": o["fmt"]}
                    for o in b.text_outlets + b.feed_outlets] +
                   [{"slug": s["slug"], "name": s["name"], "kind": "site", "format": "html",
                     "pages": s["n"]} for s in b.site_list],
        "paragraphs": paragraphs,
        "groups": groups,
        "planted_within": b.planted,
        "template_siblings": siblings,
        "dont_care_pairs": dont_care,
        "ignore": ignored,
    }
    del byid
    with open(os.path.join(out, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    stats["seconds"] = round(time.time() - t0, 2)
    log(json.dumps({k: stats[k] for k in ("files", "documents", "paragraphs", "by_lang",
                                          "groups", "truth_pairs", "template_sibling_pairs",
                                          "dont_care_pairs", "pool_short", "pool_left",
                                          "seconds")}))
    log("instances: " + ", ".join(f"{k} {v}" for k, v in stats["instances"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
