#!/usr/bin/env python3
"""Generate a labelled evaluation corpus for paradup from real prose on this machine.

    python3 benches/eval/make_eval.py --out /tmp/paradup-eval/small --seed 1
    python3 benches/eval/make_eval.py --out /tmp/paradup-eval/medium --seed 2 --files 2000

Writes outlet folders of .txt/.md articles (with --formats also saved .html pages and
OUTLET/feed.jsonl feeds) plus DIR/truth.json (see README.md in this
folder for the label format). Stdlib only; deterministic for a given seed, arguments and
set of source files on the machine (the pool's hash is recorded in truth.json).
"""

import argparse
import html
import json
import os
import random
import re
import shutil
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the repo
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from evalcommon import normalize, word_similarity, words  # noqa: E402
import pool as poolmod  # noqa: E402

TRUTH_VERSION = 1
COPY_WEIGHTS = [35, 25, 18, 12, 10]  # copies of a syndicated story: 2, 3, 4, 5, 6
MEAN_COPIES = sum((i + 2) * w for i, w in enumerate(COPY_WEIGHTS)) / sum(COPY_WEIGHTS)

NEAR_EDITS = ["figure", "word_sub", "typo", "clause_drop", "clause_add",
              "sentence_add", "sentence_drop"]
EXACT_EDITS = ["punct", "case", "whitespace"]

# ---------------------------------------------------------------------------------------
# Names

CITIES = ["Millbrook", "Riverton", "Cedar Falls", "Harbor City", "Lakeview", "Granite Ridge",
          "Fairhaven", "Oak Hollow", "Westfield", "Pine Bluff", "Ashford", "Brightwater",
          "Stonebridge", "Maple Grove", "Redfield", "Silver Lake", "Northgate", "Elm Springs",
          "Bayport", "Clearwater Flats", "Hollis", "Kingsbury", "Larkspur", "Marston"]
PAPERS = ["Courier", "Ledger", "Gazette", "Tribune", "Herald", "Observer", "Sentinel",
          "Chronicle", "Dispatch", "Journal"]
DIGITAL = ["Report", "Today", "Now", "Daily", "Post", "Beacon"]
AGENCIES = [("Associated Wire", "AW"), ("Continental Press", "CP"),
            ("Global News Service", "GNS"), ("United Dispatch", "UD"),
            ("Metro Newswire", "MN"), ("Pacific Press Association", "PPA")]
FIRST = ["Maria", "James", "Priya", "Daniel", "Aisha", "Tom", "Elena", "Marcus", "Grace",
         "Omar", "Hannah", "Luis", "Nina", "Samuel", "Keiko", "Victor", "Rosa", "Ethan",
         "Fatima", "Paul", "Ingrid", "Kwame", "Leah", "Diego"]
LAST = ["Lopez", "Okafor", "Schmidt", "Nguyen", "Patel", "Brennan", "Kowalski", "Haddad",
        "Moreau", "Silva", "Tanaka", "Reyes", "Fischer", "Osei", "Larsen", "Duarte",
        "Whitaker", "Novak", "Ibrahim", "Castillo", "Lindqvist", "Mensah", "Romero", "Quinn"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

SHARE_SETS = {
    "share-a": ["Facebook", "X", "LinkedIn", "Email", "Print"],
    "share-b": ["Share", "Facebook", "Twitter", "Email"],
    "share-c": ["Facebook", "X", "WhatsApp", "Reddit", "Email"],
    "share-d": ["Share this story", "Facebook", "X", "Email", "Copy link"],
}

RADIO_FOOTER = ("Download the {CALL} Radio app to listen live, get breaking news alerts and "
                "hear the latest stories from our newsroom wherever you are.")
PAPER_FOOTER = ("Subscribe to {NAME} for unlimited access to local news, sports, opinion and "
                "obituaries, and support the reporters who cover {CITY} every day.")
OWN_FOOTERS = [
    "{NAME} is an independent, nonprofit newsroom. Our journalism is free to read because "
    "readers like you chip in, so please consider making a donation today.",
    "Thanks for reading {NAME}. Our reporting on {CITY} is supported by members, local "
    "foundations and small businesses who believe in independent news.",
    "Copyright {YEAR} {NAME}. All rights reserved. This article may not be reproduced, "
    "distributed or broadcast without written permission from the publisher.",
    "Have a news tip for {NAME}? Our editors read every message sent to the newsroom and "
    "reply as quickly as they can, and they never reveal a confidential source.",
    "{NAME} welcomes letters to the editor about this story and others. Letters should be "
    "under 250 words and include your full name and the town where you live.",
]
ROTATING_FOOTERS = [
    "Follow {NAME} on social media for live updates from {CITY} throughout the day.",
    "Listen to {NAME} weekday mornings for the top stories from around the region.",
    "Get the {NAME} morning briefing in your inbox before breakfast every weekday.",
    "Watch {NAME} tonight at six for more on this and other stories from {CITY}.",
]
DATED_FOOTER = ("This story was last updated on {DATE}. {NAME} corrects errors promptly; to "
                "report one, contact the standards editor.")
NEWSLETTER = ("Sign up for the {NAME} newsletter to get the day's top stories delivered to "
              "your inbox every morning.")
WIRE_COPYRIGHT = [
    "Copyright {YEAR} {AGENCY}. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed.",
    "\u00a9 {YEAR} {AGENCY}. All rights reserved. This material may not be published, "
    "broadcast, rewritten or redistributed without permission.",
]

# HTML page templates (formats html, jsonl; see assign_formats)
FORMATS = ("txt", "md", "html", "jsonl")
NAV_ITEMS = ["Home", "Local News", "Weather", "Sports", "Business", "Opinion", "Traffic",
             "Obituaries", "Events", "Contact Us", "Podcasts", "Politics", "Education",
             "Arts & Culture", "Food & Drink", "Real Estate"]
CHROME_SHARE = [["Share on Facebook", "Share on X", "Email this story"],
                ["Tweet", "Share", "Mail", "Save"],
                ["Share this article", "Copy link"]]
RELATED_LABELS = ["Related", "More from the newsroom", "Most read", "You may also like"]
RELATED_TEMPLATES = ["{CITY} council delays vote on {THING}",
                     "What the new {THING} plan means for {CITY}",
                     "{CITY} schools weigh changes to {THING}",
                     "Five things to know about the {CITY} {THING} debate",
                     "Crews begin work on {CITY} {THING} project",
                     "{CITY} residents split over {THING} proposal",
                     "Inside the fight over {THING} in {CITY}",
                     "Opinion: {CITY} deserves a better {THING} policy"]
RELATED_THINGS = ["parking", "bridge", "library", "water rate", "bus route", "park",
                  "housing", "budget", "recycling", "broadband", "stadium", "zoning"]
HTML_ENTITY_STYLES = {"numeric": ("&#8217;", "&#8220;", "&#8221;"),
                      "named": ("&rsquo;", "&ldquo;", "&rdquo;"),
                      "mixed": ("&#8217;", "&ldquo;", "&rdquo;")}

CLAUSES = [
    "according to people familiar with the matter",
    "officials said in a statement on Tuesday",
    "though details remained unclear late Thursday",
    "as the review continued into the evening",
    "a spokesperson confirmed in an email",
    "which drew criticism from several local groups",
    "at least according to the latest estimates",
    "as first reported earlier this week",
    "despite objections raised at a public meeting",
    "the committee chair told reporters afterward",
    "a point the authors stress repeatedly",
    "even after months of careful planning",
    "in a decision that surprised many observers",
    "according to a summary released on Monday",
    "as several experts have pointed out",
    "pending approval from the full board",
]
FIGURE_PHRASES = [" in 2019", " by 12 percent", " within 30 days", " for about 40 minutes",
                  " in at least three cases", " since 2016", " by roughly 8 percent",
                  " for 15 years", " in about 70 percent of cases", " on 4 occasions"]
SYNONYMS = [
    ("use", "employ"), ("large", "big"), ("small", "little"), ("may", "might"),
    ("must", "should"), ("however", "but"), ("provide", "offer"), ("provides", "offers"),
    ("allow", "permit"), ("allows", "permits"), ("following", "next"), ("change", "modify"),
    ("changes", "modifications"), ("create", "make"), ("creates", "makes"),
    ("show", "display"), ("shows", "displays"), ("begin", "start"), ("begins", "starts"),
    ("help", "assist"), ("need", "require"), ("needs", "requires"), ("get", "obtain"),
    ("important", "significant"), ("whole", "entire"), ("often", "frequently"),
    ("usually", "typically"), ("enough", "sufficient"), ("quickly", "rapidly"),
    ("simple", "basic"), ("different", "distinct"), ("example", "instance"),
    ("problem", "issue"), ("problems", "issues"), ("choose", "select"), ("find", "locate"),
    ("keep", "retain"), ("buy", "purchase"), ("said", "stated"), ("main", "primary"),
    ("part", "portion"), ("method", "approach"), ("way", "manner"), ("give", "grant"),
    ("include", "contain"), ("includes", "contains"), ("work", "function"),
    ("run", "execute"), ("send", "transmit"), ("returns", "yields"), ("check", "verify"),
    ("fix", "repair"), ("try", "attempt"), ("build", "construct"), ("called", "named"),
    ("want", "wish"), ("enable", "activate"), ("also", "additionally"), ("about", "roughly"),
    ("whether", "if"), ("specified", "given"), ("several", "various"), ("each", "every"),
    ("common", "frequent"), ("instead", "rather"), ("similar", "comparable"),
]
SYN = {}
for _a, _b in SYNONYMS:
    SYN.setdefault(_a, _b)
    SYN.setdefault(_b, _a)
STOP = {"the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "as", "be", "by",
        "this", "with", "or", "are", "on", "not", "an", "any", "if", "will", "can", "from",
        "which", "at", "have", "was", "all", "its", "has", "these", "those", "there", "their"}
ABBREV = {"e.g.", "i.e.", "etc.", "mr.", "mrs.", "ms.", "dr.", "st.", "vs.", "no.", "inc.",
          "ltd.", "co.", "jr.", "sr.", "u.s.", "fig.", "approx.", "cf."}


# ---------------------------------------------------------------------------------------
# Text edits

def split_sentences(text):
    """Split at . ! ? followed by space and an upper-case letter or quote."""
    out = []
    start = 0
    for m in re.finditer(r"[.!?][\"')\u201d\u2019]?\s+(?=[A-Z\"\u201c(])", text):
        end = m.start() + len(m.group(0).rstrip())
        prev = text[start:end].split()
        if prev and (prev[-1].lower() in ABBREV or len(prev[-1].rstrip(".")) <= 1):
            continue
        out.append(text[start:end])
        start = m.end()
    out.append(text[start:])
    return [s for s in out if s.strip()]


def _word_tokens(text):
    """(start, end, word) of alphabetic word cores."""
    return [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"[A-Za-z]+", text)]


def _match_case(src, repl):
    if src.isupper() and len(src) > 1:
        return repl.upper()
    if src[0].isupper():
        return repl[0].upper() + repl[1:]
    return repl


class Editor:
    def __init__(self, rng, vocab, donor_sentences):
        self.rng = rng
        self.vocab = vocab
        self.donors = donor_sentences

    # each returns (new_text, detail) or None when not applicable
    def figure(self, t):
        r = self.rng
        nums = [m for m in re.finditer(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\w,])|(?<![\w.,])\d+(?:\.\d+)?(?![\w])", t)]
        if nums:
            m = r.choice(nums)
            s = m.group(0)
            if "." in s:
                v = float(s)
                dec = len(s.split(".")[1])
                nv = v
                while f"{nv:.{dec}f}" == s:
                    nv = v * r.uniform(0.6, 1.5) + r.choice([-1, 1]) * 10 ** -dec
                    nv = abs(nv)
                ns = f"{nv:.{dec}f}"
            else:
                v = int(s.replace(",", ""))
                if 1900 <= v <= 2099 and "," not in s:
                    nv = v + r.choice([-3, -2, -1, 1, 2, 3])
                else:
                    step = max(1, int(round(v * r.uniform(0.05, 0.4))))
                    nv = v + step if (v < 2 or r.random() < 0.6) else v - step
                ns = f"{nv:,}" if ("," in s or nv >= 10000) else str(nv)
            return t[:m.start()] + ns + t[m.end():], f"figure {s} -> {ns}"
        # no number: insert one before a sentence end
        ends = [m.start() for m in re.finditer(r"[A-Za-z][.!?](?=\s|$)", t)]
        if not ends:
            return None
        pos = r.choice(ends) + 1
        phrase = r.choice(FIGURE_PHRASES)
        return t[:pos] + phrase + t[pos:], f"figure inserted '{phrase.strip()}'"

    def word_sub(self, t):
        r = self.rng
        toks = _word_tokens(t)
        k = 1 if r.random() < 0.6 else 2
        syn = [x for x in toks if x[2].lower() in SYN]
        chosen = []
        if syn:
            chosen = r.sample(syn, min(k, len(syn)))
        if len(chosen) < k:
            cands = [x for x in toks if len(x[2]) >= 5 and x[2].islower()
                     and x[2] not in STOP and x not in chosen]
            if cands:
                chosen += r.sample(cands, min(k - len(chosen), len(cands)))
        if not chosen:
            return None
        chosen.sort()
        out = []
        last = 0
        details = []
        for s, e, w in chosen:
            repl = SYN.get(w.lower())
            if repl is None:
                repl = w.lower()
                while repl == w.lower():
                    repl = r.choice(self.vocab)
            repl = _match_case(w, repl)
            out.append(t[last:s])
            out.append(repl)
            last = e
            details.append(f"{w} -> {repl}")
        out.append(t[last:])
        return "".join(out), "word_sub " + ", ".join(details)

    def typo(self, t):
        r = self.rng
        cands = [x for x in _word_tokens(t) if len(x[2]) >= 5 and x[2].islower()]
        r.shuffle(cands)
        for s, e, w in cands:
            idx = [i for i in range(1, len(w) - 2) if w[i] != w[i + 1]]
            if not idx:
                continue
            i = r.choice(idx)
            nw = w[:i] + w[i + 1] + w[i] + w[i + 2:]
            return t[:s] + nw + t[e:], f"typo {w} -> {nw}"
        return None

    def clause_drop(self, t):
        r = self.rng
        cands = []
        limit = min(10, len(t.split()) // 4)  # a light edit: at most a quarter of it
        for m in re.finditer(r",\s+([^,.;:!?()\"]+?)(?=[,.;:!?])", t):
            n = len(m.group(1).split())
            if 4 <= n <= limit:
                cands.append((m.start(), m.end(), m.group(1)))
        for m in re.finditer(r"\s\(([^()]+)\)", t):
            n = len(m.group(1).split())
            if 4 <= n <= limit:
                cands.append((m.start(), m.end(), m.group(1)))
        if not cands:
            return None
        s, e, c = r.choice(cands)
        new = t[:s] + t[e:]
        if len(new.split()) < 8:
            return None
        return new, f"clause dropped '{c}'"

    def clause_add(self, t):
        r = self.rng
        ends = [m.start() for m in re.finditer(r"[A-Za-z0-9][.!?](?=[\"'\u201d\u2019)]?(\s|$))", t)]
        if not ends:
            return None
        pos = r.choice(ends) + 1
        limit = min(10, len(t.split()) // 4)  # a light edit: at most a quarter of it
        fits = [c for c in CLAUSES if len(c.split()) <= limit]
        if not fits:
            return None
        clause = r.choice(fits)
        return t[:pos] + ", " + clause + t[pos:], f"clause added '{clause}'"

    def sentence_drop(self, t):
        sents = split_sentences(t)
        if len(sents) < 3:
            return None
        i = self.rng.randrange(len(sents))
        new = " ".join(sents[:i] + sents[i + 1:])
        return new, f"sentence removed ({len(sents[i].split())} words)"

    def sentence_add(self, t):
        sents = split_sentences(t)
        if len(sents) < 3 or not self.donors:
            return None
        s = self.rng.choice(self.donors)
        return t.rstrip() + " " + s, f"sentence appended ({len(s.split())} words)"

    def near(self, t, types=None):
        """Applies 1 (or sometimes 2) near edits. Returns (text, [types], [details])."""
        r = self.rng
        n_edits = 1 if r.random() < 0.8 else 2
        order = list(types) if types else []
        pool = NEAR_EDITS[:]
        weights = {"figure": 20, "word_sub": 20, "typo": 14, "clause_drop": 12,
                   "clause_add": 12, "sentence_add": 11, "sentence_drop": 11}
        applied, details = [], []
        cur = t
        tries = 0
        while len(applied) < n_edits and tries < 12:
            tries += 1
            if order:
                kind = order.pop(0)
            else:
                kind = r.choices(pool, [weights[k] for k in pool])[0]
            if kind in applied:
                continue
            res = getattr(self, kind)(cur)
            if res is None:
                continue
            new, det = res
            if normalize(new) == normalize(cur):
                continue
            cur = new
            applied.append(kind)
            details.append(det)
        if not applied:
            return None
        return cur, applied, details

    # exact-preserving edits
    def punct(self, t):
        r = self.rng
        opts = []
        if '"' in t and t.count('"') % 2 == 0:
            opts.append("curly-double")
        if "\u201c" in t or "\u201d" in t:
            opts.append("straight-double")
        if re.search(r"[A-Za-z]'[A-Za-z]", t):
            opts.append("curly-apostrophe")
        if "\u2019" in t or "\u2018" in t:
            opts.append("straight-single")
        if re.search(r"\s--?\s|\S--\S|\u2014|\s\u2013\s", t):
            opts.append("dash")
        if not opts:
            return None
        o = r.choice(opts)
        if o == "curly-double":
            parts = t.split('"')
            new = parts[0]
            for i, p in enumerate(parts[1:]):
                new += ("\u201c" if i % 2 == 0 else "\u201d") + p
        elif o == "straight-double":
            new = t.replace("\u201c", '"').replace("\u201d", '"')
        elif o == "curly-apostrophe":
            new = re.sub(r"(?<=[A-Za-z])'(?=[A-Za-z])", "\u2019", t)
        elif o == "straight-single":
            new = t.replace("\u2019", "'").replace("\u2018", "'")
        else:
            style = r.choice(["\u2014", " \u2014 ", " -- ", " - ", " \u2013 "])
            new = re.sub(r"\s--?\s|(?<=\S)--(?=\S)|\s?\u2014\s?|\s\u2013\s", style, t)
        if new == t or normalize(new) != normalize(t):
            return None
        return new, f"punct {o}"

    def case(self, t):
        r = self.rng
        cands = [x for x in _word_tokens(t) if len(x[2]) >= 3]
        if not cands:
            return None
        s, e, w = r.choice(cands)
        if w.islower():
            nw = w.capitalize() if r.random() < 0.6 else w.upper()
        elif w.isupper():
            nw = w.capitalize()
        else:
            nw = w.lower()
        if nw == w:
            return None
        new = t[:s] + nw + t[e:]
        if normalize(new) != normalize(t):
            return None
        return new, f"case {w} -> {nw}"


# ---------------------------------------------------------------------------------------
# Layout

_LINE_START_BAD = re.compile(r"^(?:[-+*=]+|\d+[.)]|#+|>)$")


def layout(text, wrap, double_space=False):
    """Lines of one paragraph: one line, or wrapped at `wrap` columns. A line never starts
    with something Markdown would read as a list marker or heading."""
    if double_space:
        text = re.sub(r"([.!?][\"'\u201d\u2019)]?) (?=[A-Z\"\u201c])", r"\1  ", text)
    if not wrap:
        return [text]
    toks = text.split(" ")  # empty tokens stand for extra spaces
    lines = []
    cur = ""
    for tok in toks:
        if cur and tok and len(cur) + 1 + len(tok) > wrap and not _LINE_START_BAD.match(tok):
            lines.append(cur.rstrip())
            cur = tok
        elif not cur:
            cur = tok
        else:
            cur = cur + " " + tok
    if cur.strip():
        lines.append(cur.rstrip())
    return lines


def slugify(s, n=6):
    ws = re.findall(r"[a-z0-9]+", s.lower())[:n]
    return "-".join(ws) or "story"


# ---------------------------------------------------------------------------------------
# Corpus model

class Outlet:
    pass


def make_outlets(rng, n, n_agencies):
    outlets = []
    cities = CITIES[:]
    rng.shuffle(cities)
    used_calls = set()
    kinds = ["radio", "paper", "digital"]
    for i in range(n):
        o = Outlet()
        o.index = i
        o.city = cities[i % len(cities)] + ("" if i < len(cities) else f" {i // len(cities) + 1}")
        o.kind = kinds[i % 3] if i < 3 else rng.choice(kinds)
        if o.kind == "radio":
            while True:
                call = rng.choice("KW") + "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ")
                                                  for _ in range(3))
                if call not in used_calls:
                    used_calls.add(call)
                    break
            o.call = call
            o.name = f"{call} Radio"
            o.slug = call.lower()
        elif o.kind == "paper":
            o.call = None
            o.name = f"The {o.city} {rng.choice(PAPERS)}"
            o.slug = slugify(o.name[4:], 4)
        else:
            o.call = None
            o.name = f"{o.city} {rng.choice(DIGITAL)}"
            o.slug = slugify(o.name, 4)
        if o.slug in {x.slug for x in outlets}:
            o.slug += f"-{i}"
        o.fmt = rng.choices(["txt", "md", "mixed"], [50, 35, 15])[0]
        o.wrap = rng.choice([None, None, None, 64, 72, 72, 78])
        o.crlf = rng.random() < 0.12
        o.nested = rng.random() < 0.4
        o.front_matter = rng.random() < 0.5
        o.txt_title = rng.random() < 0.7
        o.byline = rng.random() < 0.6
        o.italic_byline = rng.random() < 0.5
        o.reporters = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(2, 5))]
        o.reporters = sorted(set(o.reporters))
        o.dateline = rng.random() < 0.3
        o.share = rng.choice(sorted(SHARE_SETS)) if rng.random() < 0.6 else None
        o.share_pos = rng.choice(["start", "end", "end"])
        if o.kind == "radio":
            mode = rng.choices(["radio-template", "rotating", "dated", "none"], [70, 12, 12, 6])[0]
        elif o.kind == "paper":
            mode = rng.choices(["paper-template", "own", "dated", "rotating", "none"],
                               [45, 25, 12, 12, 6])[0]
        else:
            mode = rng.choices(["own", "rotating", "dated", "none"], [55, 20, 15, 10])[0]
        o.footer_mode = mode
        o.own_footer = rng.randrange(len(OWN_FOOTERS))
        o.rotating = rng.sample(range(len(ROTATING_FOOTERS)), rng.randint(2, 3))
        o.newsletter = rng.random() < 0.3
        o.wire_copyright_style = rng.randrange(len(WIRE_COPYRIGHT))
        o.keeps_wire_copyright = rng.random() < 0.8
        o.counter = 0
        outlets.append(o)
    return outlets



def assign_formats(outlets, formats, seed, html_share, jsonl_share):
    """Gives a share of outlets the html or jsonl format, with their own rng so the main
    stream (stories, edits, boilerplate) is the same whatever --formats says: with
    txt,md only the corpus is byte-identical to one made before formats existed."""
    fr = random.Random(f"paradup-eval-formats:{seed}")
    n = len(outlets)
    plain = [f for f in ("txt", "md") if f in formats]
    k_html = max(1, round(html_share * n)) if "html" in formats else 0
    k_jsonl = max(1, round(jsonl_share * n)) if "jsonl" in formats else 0
    if not plain:
        if "html" in formats:
            k_html = n - k_jsonl
        else:
            k_jsonl = n
    k_html = min(k_html, n)
    k_jsonl = min(k_jsonl, n - k_html)
    order = list(range(n))
    fr.shuffle(order)
    special = {}
    for j in order[:k_html]:
        special[j] = "html"
    for j in order[k_html:k_html + k_jsonl]:
        special[j] = "jsonl"
    for i, o in enumerate(outlets):
        o.base_fmt = o.fmt
        if i in special:
            o.fmt = special[i]
        elif o.fmt == "mixed":
            o.fmt = "mixed" if len(plain) == 2 else plain[0]
        elif o.fmt not in formats:
            o.fmt = plain[0]
        # page template (drawn for every outlet, used by html pages and html feeds)
        o.indent = fr.choice(["", "", "  ", "    "])
        o.entities = fr.choice([None, None, "numeric", "named", "mixed"])
        o.nav = fr.sample(NAV_ITEMS, fr.randint(4, 7))
        o.chrome_share = fr.randrange(len(CHROME_SHARE))
        o.related = fr.random() < 0.6
        o.related_label = fr.choice(RELATED_LABELS)
        heads = [(k, t.format(CITY=o.city, THING=th)) for k, t in enumerate(RELATED_TEMPLATES)
                 for th in RELATED_THINGS]
        o.related_pool = fr.sample(heads, 8)
        o.feed_html = fr.random() < 0.4
        o.feed_ascii = fr.random() < 0.5
    return fr


def fmt_date(d):
    y, m, day = d
    return f"{MONTHS[m - 1]} {day}, {y}"


class Builder:
    def __init__(self, args, pool, log):
        self.args = args
        self.rng = random.Random(args.seed)
        self.log = log
        rng = self.rng
        ids = list(range(len(pool)))
        rng.shuffle(ids)
        self.pool = pool
        # donors: paragraphs whose sentences feed "sentence appended" edits; never used
        # as paragraphs themselves.
        n_donor = min(300, max(20, len(ids) // 20))
        donor_ids, self.order = ids[:n_donor], ids[n_donor:]
        sents = []
        for i in donor_ids:
            for s in split_sentences(pool[i]["text"]):
                if 6 <= len(s.split()) <= 30 and re.search(r"[.!?]$", s):
                    sents.append(s)
        vocab = set()
        for i in self.order[:3000]:
            for w in re.findall(r"[a-z]{5,12}", pool[i]["text"]):
                if w not in STOP:
                    vocab.add(w)
        self.editor = Editor(rng, sorted(vocab), sents)
        self.next_pool = 0
        self.reused = 0
        self.outlets = make_outlets(rng, args.outlets, args.agencies)
        self.formats = args.formats
        self.frng = assign_formats(self.outlets, args.formats, args.seed,
                                   args.html_share, args.jsonl_share)
        self.outlet_by_slug = {o.slug: o for o in self.outlets}
        self.feeds = {}  # path -> records
        self.agencies = AGENCIES[:max(1, min(args.agencies, len(AGENCIES)))]
        self.agency_reporters = {
            ag[1]: sorted({f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(5)})
            for ag in self.agencies}
        self.files = []       # {path, outlet, story, format}
        self.paras = []       # truth paragraphs
        self.planted = []
        self.used_datelines = set()
        self.used_titles = set()
        self.used_paths = set()

    def take(self, n):
        out = []
        for _ in range(n):
            if self.next_pool >= len(self.order):
                self.next_pool = 0
                self.reused += 1
                if self.reused == 1:
                    self.log("warning: source pool exhausted; paragraphs are reused "
                             "(still labelled correctly, but unrelated articles then share "
                             "paragraphs)")
            out.append(self.order[self.next_pool])
            self.next_pool += 1
        return out

    def rand_date(self):
        r = self.rng
        return (r.choice([2023, 2024]), r.randint(1, 12), r.randint(1, 28))

    def title_for(self, text):
        """A headline from the opening words; distinct from earlier headlines if it can."""
        ws = re.sub(r"[\"\u201c\u201d()]", "", text).split()
        k0 = min(len(ws), self.rng.randint(5, 9))
        t = None
        for k in range(k0, min(len(ws), 14) + 1):
            j = k
            while j > 3 and ws[j - 1].lower().strip(",.;:!?") in STOP:
                j -= 1  # a headline does not end on "the"
            t = " ".join(ws[:j]).rstrip(",.;:!?'")
            t = t[0].upper() + t[1:]
            if normalize(t) not in self.used_titles:
                break
        self.used_titles.add(normalize(t))
        return t

    # -- stories ---------------------------------------------------------------------
    def n_body(self, n_chrome):
        a = self.args
        total = int(round(self.rng.triangular(a.min_paras, a.max_paras, a.min_paras + 4)))
        return max(4, total - n_chrome)

    def run(self):
        a = self.args
        r = self.rng
        stories = []
        for s in range(a.stories):
            k = r.choices(range(2, 7), COPY_WEIGHTS)[0]
            k = max(a.copies_min, min(a.copies_max, k, len(self.outlets)))
            outs = r.sample(self.outlets, k)
            wire = r.random() < 0.6
            st = {"id": f"s{s + 1}", "outlets": outs, "date": self.rand_date(),
                  "agency": r.choice(self.agencies) if wire else None}
            st["copyright"] = wire and r.random() < 0.7
            n = self.n_body(3)
            st["paras"] = self.take(n)
            st["title"] = self.title_for(self.pool[st["paras"][0]]["text"])
            if wire:
                st["wire_reporter"] = r.choice(self.agency_reporters[st["agency"][1]])
            stories.append(st)
        for s in range(a.singles):
            o = r.choice(self.outlets)
            st = {"id": f"u{s + 1}", "outlets": [o], "date": self.rand_date(), "agency": None,
                  "copyright": False}
            st["paras"] = self.take(self.n_body(3))
            st["title"] = self.title_for(self.pool[st["paras"][0]]["text"])
            stories.append(st)
        for st in stories:
            for ci, o in enumerate(st["outlets"]):
                self.article(st, o, ci)
        self.finish()

    def article(self, st, o, copy_index):
        r = self.rng
        ed = self.editor
        # body: list of dicts {text, origin, edits, details, layout}
        body = []
        for pid in st["paras"]:
            body.append({"text": self.pool[pid]["text"], "origin": f"body:{pid}", "edits": [],
                         "details": [], "wrap": o.wrap, "ds": False, "role": "body"})
        if copy_index > 0:
            # outlets trim wire copy now and then
            if len(body) >= 8 and r.random() < 0.15:
                del body[len(body) - r.randint(1, 2):]
            n_near = r.choices([0, 1, 2, 3], [35, 35, 20, 10])[0]
            n_near = min(n_near, self.args.edit_max)
            for i in r.sample(range(len(body)), min(n_near, len(body))):
                res = ed.near(body[i]["text"])
                if res:
                    body[i]["text"], body[i]["edits"], body[i]["details"] = res[0], res[1], res[2]
        # exact-preserving edits (any copy, including the first and singles)
        n_exact = r.choices([0, 1, 2], [55, 30, 15])[0]
        for i in r.sample(range(len(body)), min(n_exact, len(body))):
            self.exact_edit(body[i], o)
        # within-article accidental repeats
        if r.random() < self.args.within_rate and len(body) >= 2:
            L = r.choices([1, 2, 3], [50, 30, 20])[0]
            L = min(L, len(body) - 1)
            i = r.randrange(0, len(body) - L + 1)
            gap = 0 if r.random() < 0.6 else r.randint(1, 3)
            p = min(i + L + gap, len(body))
            block = []
            for b in body[i:i + L]:
                c = dict(b)
                c["edits"] = list(b["edits"])
                c["details"] = list(b["details"])
                if r.random() < 0.2:
                    c["wrap"] = r.choice([None, 60, 70, 80])
                    if c["wrap"] != b["wrap"]:
                        c["edits"].append("whitespace")
                        c["details"].append("whitespace pasted with other wrapping")
                block.append(c)
            body[p:p] = block
            self._plant = ("exact", body[i:i + L], block)
        else:
            self._plant = None
        plant_near = None
        if r.random() < self.args.within_near_rate and len(body) >= 3:
            i = r.randrange(0, len(body) - 1)
            src = body[i]
            res = ed.near(src["text"])
            if res:
                c = dict(src)
                c["text"], c["edits"], c["details"] = res[0], src["edits"] + res[1], src["details"] + res[2]
                p = r.randint(min(i + 2, len(body)), len(body))
                body.insert(p, c)
                plant_near = (src, c, res[1])
        self.emit(st, o, copy_index, body, plant_near)

    def exact_edit(self, b, o):
        r = self.rng
        kinds = ["punct", "case", "whitespace"]
        r.shuffle(kinds)
        for k in kinds:
            if k == "whitespace":
                if r.random() < 0.5:
                    b["ds"] = True
                    b["edits"].append("whitespace")
                    b["details"].append("whitespace double spaces after sentences")
                    return
                w = r.choice([None, 60, 66, 70, 80])
                if w != b["wrap"]:
                    b["wrap"] = w
                    b["edits"].append("whitespace")
                    b["details"].append(f"whitespace rewrapped at {w}")
                    return
                continue
            res = getattr(self.editor, k)(b["text"])
            if res:
                b["text"] = res[0]
                b["edits"].append(k)
                b["details"].append(res[1])
                return

    # -- chrome ----------------------------------------------------------------------
    def chrome(self, st, o):
        """(start, end) lists of chrome paragraphs: dicts {lines, origin, role, family}."""
        r = self.rng
        start, end = [], []
        fmt_vals = {"NAME": o.name, "CALL": o.call or "", "CITY": o.city,
                    "YEAR": str(st["date"][0]), "DATE": fmt_date(st["date"])}

        # A boilerplate family is one template: texts that differ only in a slot the
        # reader skims over (outlet name, agency, year, date) share it, so footers of
        # different outlets built from one template are one family. Bylines ("By {reporter},
        # {outlet or agency}") are one family per outlet or agency; datelines ("Published
        # {date} at {time}", unique per article) are one family.
        def bp(text_or_lines, family):
            lines = text_or_lines if isinstance(text_or_lines, list) else None
            return {"lines": lines, "text": None if lines else text_or_lines,
                    "origin": f"bp:{family}", "role": "boilerplate", "family": family}

        if o.byline:
            if st["agency"]:
                rep = st["wire_reporter"]
                line = f"By {rep}, {st['agency'][0]}"
                entry = bp(line, f"byline:{st['agency'][1].lower()}")
            else:
                rep = r.choice(o.reporters)
                line = f"By {rep}, {o.name}"
                entry = bp(line, f"byline:{o.slug}")
            if o.italic_byline and self._is_md:
                entry["text"] = f"*{entry['text']}*"
            start.append(entry)
        if o.dateline:
            while True:
                d = self.rand_date()
                line = (f"Published {fmt_date(d)} at {r.randint(1, 12)}:{r.randint(0, 59):02d} "
                        f"{r.choice(['a.m.', 'p.m.'])}")
                if line not in self.used_datelines:
                    self.used_datelines.add(line)
                    break
            start.append(bp(line, "dateline"))
        if o.share and o.share_pos == "start":
            start.append(bp(list(SHARE_SETS[o.share]), o.share))
        if st["copyright"] and o.keeps_wire_copyright:
            ag = st["agency"]
            text = WIRE_COPYRIGHT[o.wire_copyright_style].format(YEAR=st["date"][0], AGENCY=ag[0])
            end.append(bp(text, "wire-copyright"))
        m = o.footer_mode
        if m == "radio-template":
            end.append(bp(RADIO_FOOTER.format(**fmt_vals), "footer:radio-template"))
        elif m == "paper-template":
            end.append(bp(PAPER_FOOTER.format(**fmt_vals), "footer:paper-template"))
        elif m == "own":
            end.append(bp(OWN_FOOTERS[o.own_footer].format(**fmt_vals), f"footer:own{o.own_footer}"))
        elif m == "rotating":
            k = r.choice(o.rotating)
            end.append(bp(ROTATING_FOOTERS[k].format(**fmt_vals), f"footer:rotating{k}"))
        elif m == "dated":
            end.append(bp(DATED_FOOTER.format(**fmt_vals), "footer:dated"))
        if o.newsletter:
            end.append(bp(NEWSLETTER.format(**fmt_vals), "newsletter"))
        if o.share and o.share_pos == "end":
            end.append(bp(list(SHARE_SETS[o.share]), o.share))
        return start, end

    # -- emission --------------------------------------------------------------------
    def emit(self, st, o, copy_index, body, plant_near):
        r = self.rng
        if o.base_fmt == "mixed":
            fmt = r.choice(["txt", "md"])  # drawn whatever the output format: same stream
        else:
            fmt = o.base_fmt
        if o.fmt in ("html", "jsonl"):
            fmt = o.fmt
        elif fmt not in self.formats:
            fmt = "txt" if "txt" in self.formats else "md"
        self._is_md = fmt == "md"
        if fmt == "jsonl":
            start, end = self.chrome(st, o)
            path, doc, recs = self.emit_feed(st, o, copy_index, body, start, end)
        else:
            y, m, d = st["date"]
            base = f"{y}-{m:02d}-{d:02d}-{slugify(st['title'])}"
            folder = o.slug + (f"/{y}/{m:02d}" if o.nested else "")
            path = f"{folder}/{base}.{fmt}"
            n = 2
            while path in self.used_paths:
                path = f"{folder}/{base}-{n}.{fmt}"
                n += 1
            self.used_paths.add(path)
            doc = path
            start, end = self.chrome(st, o)
            if fmt == "html":
                lines, recs = self.html_page(st, o, body, start, end)
            else:
                lines, recs = self.text_article(st, o, fmt, body, start, end)
            eol = "\r\n" if o.crlf else "\n"
            full = os.path.join(self.args.out, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8", newline="") as f:
                f.write(eol.join(lines) + eol)
            self.files.append({"path": path, "outlet": o.slug, "story": st["id"], "format": fmt,
                               "lines": len(lines), "copy": copy_index})
        idmap = {}
        for k, (rec, s, e) in enumerate(recs):
            pid = f"p{len(self.paras) + 1}"
            idmap[id(rec)] = pid
            text = rec.get("text")
            if rec.get("lines"):
                text = "\n".join(rec["lines"])
            para = {
                "id": pid, "path": path, "start_line": s, "end_line": e,
                "role": rec["role"], "origin": rec["origin"], "story": st["id"],
                "edits": list(rec.get("edits", [])), "details": list(rec.get("details", [])),
                "family": rec.get("family"),
                "_text": text if text is not None else
                (st["title"] if rec["role"] in ("title", "heading") else ""),
                "paragraph": k, "doc": doc,
            }
            if fmt == "jsonl":
                para["record"] = doc.split("#", 1)[1]
            if rec.get("chrome"):
                para["chrome"] = True
            self.paras.append(para)
        if self._plant:
            _, first, repeat = self._plant
            self.planted.append({"path": path, "kind": "exact",
                                 "first": [idmap[id(b)] for b in first],
                                 "repeat": [idmap[id(b)] for b in repeat]})
        if plant_near:
            src, c, types = plant_near
            self.planted.append({"path": path, "kind": "near", "first": [idmap[id(src)]],
                                 "repeat": [idmap[id(c)]], "edits": types})


    def text_article(self, st, o, fmt, body, start, end):
        """Lines of a .txt/.md article and its paragraphs [(block dict, start, end)]."""
        y, m, d = st["date"]
        lines = []
        recs = []

        def add_block(blines, rec):
            if lines:
                lines.append("")
            s = len(lines) + 1
            lines.extend(blines)
            if rec is not None:
                recs.append((rec, s, len(lines)))

        if fmt == "md" and o.front_matter:
            lines.extend(["---", f"title: \"{st['title'].replace(chr(34), chr(39))}\"", f"date: {y}-{m:02d}-{d:02d}",
                          f"outlet: {o.slug}", "---"])
        if fmt == "md":
            add_block([f"# {st['title']}"], {"role": "heading", "origin": f"heading:{st['id']}",
                                               "edits": [], "details": []})
        elif o.txt_title:
            add_block([st["title"]], {"role": "title", "origin": f"title:{st['id']}",
                                      "edits": [], "details": []})
        for c in start:
            add_block(c["lines"] or [c["text"]], c)
        for b in body:
            add_block(layout(b["text"], b["wrap"], b["ds"]), b)
        for c in end:
            add_block(c["lines"] or layout(c["text"], o.wrap), c)
        return lines, recs

    # -- HTML pages ------------------------------------------------------------------
    def html_text(self, text, o):
        """Escapes & < > and, per the outlet's habit, writes quotes as entities."""
        t = html.escape(text, quote=False)
        if not o.entities:
            return t
        apos, ldq, rdq = HTML_ENTITY_STYLES[o.entities]
        t = re.sub(r"(?<=[A-Za-z])['\u2019](?=[A-Za-z])", apos, t)
        if t.count('"') % 2 == 0:
            parts = t.split('"')
            t = parts[0] + "".join((ldq if k % 2 == 0 else rdq) + x for k, x in enumerate(parts[1:]))
        return t.replace("\u201c", ldq).replace("\u201d", rdq).replace("\u00a9", "&copy;")

    def html_page(self, st, o, body, start, end):
        """A saved web page in the outlet's template. Every paragraph paradup reads is
        recorded, page chrome included, so `paragraph` indices match the report's."""
        fr = self.frng
        y, m, d = st["date"]
        lines = []
        recs = []
        ind = o.indent

        def put(*ls):
            lines.extend(ls)

        def element(rec, tag, inner_lines, attrs="", depth=1):
            s = len(lines) + 1
            first = f"{ind * depth}<{tag}{attrs}>"
            ls = list(inner_lines)
            ls[0] = first + ls[0]
            ls[-1] = ls[-1] + f"</{tag}>"
            lines.extend(ls)
            recs.append((rec, s, len(lines)))

        def chrome_rec(kind, key, text):
            # one family (and group) per text, except related headlines: one per
            # headline template ("{CITY} council delays vote on {THING}"), whatever the
            # outlet, as a footer template is one family across outlets
            fam = f"chrome-{kind}:{key}"
            return {"text": text, "role": "boilerplate", "origin": f"chrome:{fam}",
                    "family": fam, "chrome": True, "edits": [], "details": []}

        def share_bar(items, rec):
            links = " ".join(f'<a href="#share-{slugify(x, 3)}">{self.html_text(x, o)}</a>'
                             for x in items)
            element(rec, "div", [links], ' class="share"')

        def text_lines(text, wrap, ds=False):
            return layout(self.html_text(text, o), wrap, ds)

        title = self.html_text(st["title"], o)
        put("<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            f"<title>{title} | {html.escape(o.name)}</title>",
            f'<link rel="stylesheet" href="/static/{o.slug}.css">',
            "<style>.share a{margin:0 4px} .related li{list-style:none}</style>",
            '<script>window.dataLayer = window.dataLayer || []; '
            f'dataLayer.push({{"section": "news", "outlet": "{o.slug}"}});</script>',
            "</head>", "<body>", '<header class="site-header">')
        element(chrome_rec("brand", o.slug, o.name), "div", [html.escape(o.name)], ' class="brand"')
        put(f'{ind}<nav class="menu">', f"{ind}<ul>")
        for item in o.nav:
            element(chrome_rec("nav", slugify(item, 8), item), "li",
                    [f'<a href="/{slugify(item, 8)}">{html.escape(item)}</a>'], depth=2)
        put(f"{ind}</ul>", f"{ind}</nav>", "</header>", "<main>", "<article>")
        element({"role": "heading", "origin": f"heading:{st['id']}", "edits": [], "details": []},
                "h1", [title])
        for c in start:
            if c["lines"]:  # a share block: the share bar
                share_bar(c["lines"], c)
                continue
            text = c["text"]
            inner = self.html_text(text, o)
            if o.italic_byline and c["family"].startswith("byline:"):
                inner = f"<em>{inner}</em>"
            cls = "byline" if c["family"].startswith("byline:") else "dateline"
            element(c, "p", [inner], f' class="{cls}"')
        for b in body:
            element(b, "p", text_lines(b["text"], b["wrap"], b["ds"]))
        put("</article>")
        foot = []
        has_bar = False
        for c in end:
            if c["lines"]:
                share_bar(c["lines"], c)
                has_bar = True
            else:
                foot.append(c)
        if not has_bar and not o.share:
            items = CHROME_SHARE[o.chrome_share]
            share_bar(items, chrome_rec("share", f"s{o.chrome_share}", "\n".join(items)))
        if o.related and fr.random() < 0.8:
            put('<aside class="related">')
            # the rail's label is the site's template too, on every page with a rail
            element(chrome_rec("related-label", slugify(o.related_label, 3), o.related_label),
                    "h2", [html.escape(o.related_label)])
            put(f"{ind}<ul>")
            for t, h in fr.sample(o.related_pool, fr.randint(3, 4)):
                element(chrome_rec("related", f"t{t}", h), "li",
                        [f'<a href="/{y}/{slugify(h, 8)}">{self.html_text(h, o)}</a>'], depth=2)
            put(f"{ind}</ul>", "</aside>")
        put("</main>", "<footer>")
        for c in foot:
            element(c, "p", text_lines(c["text"], o.wrap))
        put("</footer>", "</body>", "</html>")
        return lines, recs

    # -- JSON Lines feeds ------------------------------------------------------------
    def emit_feed(self, st, o, copy_index, body, start, end):
        """Appends one record to the outlet's feed.jsonl (written by finish()). Returns
        (path, document key, paragraphs): a record's paragraphs all sit on its line."""
        y, m, d = st["date"]
        path = f"{o.slug}/feed.jsonl"
        recs_out = self.feeds.setdefault(path, [])
        line = len(recs_out) + 1
        rid = f"{o.slug}-{line:04d}"
        paras = list(start) + list(body) + list(end)
        if o.feed_html:
            parts = []
            for c in paras:
                if c.get("lines"):
                    inner = "<br>".join(html.escape(x, quote=False) for x in c["lines"])
                else:
                    inner = self.html_text(c["text"], o)
                parts.append(f"<p>{inner}</p>")
            text = "\n".join(parts)
        else:
            blocks = []
            for c in paras:
                if c.get("lines"):
                    blocks.append("\n".join(c["lines"]))
                else:
                    blocks.append("\n".join(layout(c["text"], c.get("wrap", o.wrap), c.get("ds", False))))
            text = "\n\n".join(blocks)
        recs_out.append({"id": rid,
                         "url": f"https://{o.slug}.example.com/{y}/{m:02d}/{slugify(st['title'], 8)}",
                         "headline": st["title"], "published": f"{y}-{m:02d}-{d:02d}",
                         "body": text})
        self.files.append({"path": path, "outlet": o.slug, "story": st["id"], "format": "jsonl",
                           "record": rid, "line": line, "copy": copy_index})
        return path, f"{path}#{rid}", [(c, line, line) for c in paras]

    def finish(self):
        for path in sorted(self.feeds):
            o = self.outlet_by_slug[path.split("/")[0]]
            full = os.path.join(self.args.out, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8", newline="") as f:
                for rec in self.feeds[path]:
                    f.write(json.dumps(rec, ensure_ascii=o.feed_ascii) + "\n")


# ---------------------------------------------------------------------------------------
# Labels

def scope_of(member_paths):
    docs = set(member_paths)
    if len(docs) == 1:
        return "within"
    if len(docs) == len(member_paths):
        return "across"
    return "both"


def label(b):
    paras = b.paras
    for p in paras:
        p["norm"] = normalize(p["_text"])
        p["words"] = len(words(p["norm"]))
    by_origin = {}
    for p in paras:
        by_origin.setdefault(p["origin"], []).append(p)
    # cross-origin collisions of normalized text (should not happen): ignore them
    owner = {}
    ignore = set()
    for p in paras:
        if p["role"] == "heading":
            continue
        o = owner.setdefault(p["norm"], p["origin"])
        if o != p["origin"]:
            ignore.add(p["norm"])
    if ignore:
        b.log(f"warning: {len(ignore)} normalized texts shared by different origins; ignored")
    groups = []
    ignored_ids = []
    story_of = {p["id"]: p["story"] for p in paras}
    for origin in sorted(by_origin, key=lambda k: by_origin[k][0]["id"][1:].zfill(9)):
        members = by_origin[origin]
        role = members[0]["role"]
        if role == "heading":
            continue
        if any(m["norm"] in ignore for m in members):
            ignored_ids.extend(m["id"] for m in members)
            continue
        variants = {}
        for m in members:
            variants.setdefault(m["norm"], []).append(m)
        vlist = list(variants.values())
        for vi, v in enumerate(vlist):
            for m in v:
                m["variant"] = vi
        if role == "boilerplate":
            # A text repeated only inside copies of one story (a wire reporter's byline
            # on a single story, say) is as much an editorial exact duplicate as page
            # chrome: ambiguous, so ignored.
            keep = []
            for v in vlist:
                if len(v) >= 2 and len({story_of[m["id"]] for m in v}) == 1:
                    ignored_ids.extend(m["id"] for m in v)
                else:
                    keep.append(v)
            vlist = keep
            members = [m for v in vlist for m in v]
            stories = {story_of[m["id"]] for m in members}
            if len(stories) < 2:
                ignored_ids.extend(m["id"] for m in members)
                continue
            g = {"kind": "boilerplate", "family": members[0]["family"],
                 "scope": scope_of([m["doc"] for m in members]),
                 "edits": [], "members": [m["id"] for m in members],
                 "variants": [[m["id"] for m in v] for v in vlist],
                 "stories": len(stories)}
            if members[0].get("chrome"):
                g["chrome"] = True  # page chrome of HTML pages (menus, share bars, ...)
            groups.append(g)
            continue
        # editorial (body, title)
        for v in vlist:
            if len(v) >= 2:
                ed = sorted({e for m in v for e in m["edits"] if e in EXACT_EDITS})
                groups.append({"kind": "exact", "origin": origin,
                               "scope": scope_of([m["doc"] for m in v]),
                               "edits": ed, "members": [m["id"] for m in v]})
        if len(vlist) >= 2:
            vedits = [sorted({e for e in v[0]["edits"] if e in NEAR_EDITS}) for v in vlist]
            sims = []
            wl = [words(v[0]["norm"]) for v in vlist]
            for i in range(len(vlist)):
                for j in range(i + 1, len(vlist)):
                    sims.append([i, j, round(word_similarity(wl[i], wl[j]), 4)])
            groups.append({"kind": "near", "origin": origin,
                           "scope": scope_of([m["doc"] for m in members]),
                           "edits": sorted({e for ve in vedits for e in ve}),
                           "members": [m["id"] for m in members],
                           "variants": [[m["id"] for m in v] for v in vlist],
                           "variant_edits": vedits,
                           "variant_details": [v[0]["details"] for v in vlist],
                           "pair_similarity": sims})
    for i, g in enumerate(groups):
        g["id"] = f"G{i + 1}"
    return groups, sorted(set(ignored_ids), key=lambda x: int(x[1:]))


def pairs_in(n):
    return n * (n - 1) // 2


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output directory (created)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--stories", type=int, default=60, help="syndicated stories (2-6 copies each)")
    ap.add_argument("--singles", type=int, default=None,
                    help="unrelated single-outlet articles (default: stories / 2)")
    ap.add_argument("--files", type=int, default=None,
                    help="approximate number of files; sets --stories and --singles")
    ap.add_argument("--outlets", type=int, default=8)
    ap.add_argument("--agencies", type=int, default=3, help="wire agencies (max 6)")
    ap.add_argument("--min-paras", type=int, default=6, help="paragraphs per article, min")
    ap.add_argument("--max-paras", type=int, default=20, help="paragraphs per article, max")
    ap.add_argument("--copies-min", type=int, default=2)
    ap.add_argument("--copies-max", type=int, default=6)
    ap.add_argument("--edit-max", type=int, default=3, help="near-edited paragraphs per copy, max")
    ap.add_argument("--within-rate", type=float, default=0.10,
                    help="share of articles with an exact within-article repeat")
    ap.add_argument("--within-near-rate", type=float, default=0.05,
                    help="share of articles with an edited repeat later in the article")
    ap.add_argument("--formats", default="txt,md",
                    help="comma-separated output formats: txt, md, html, jsonl (default txt,md)")
    ap.add_argument("--html-share", type=float, default=0.30,
                    help="share of outlets publishing saved HTML pages (with html in --formats)")
    ap.add_argument("--jsonl-share", type=float, default=0.15,
                    help="share of outlets publishing one feed.jsonl (with jsonl in --formats)")
    ap.add_argument("--cache-dir", default="/tmp/paradup-eval-cache",
                    help="pool cache directory ('' to disable)")
    ap.add_argument("--pool-file", default=None,
                    help="read the paragraph pool from this file (a pool cache file, "
                         "pool-*.json) instead of the machine: freezes the source prose "
                         "while packages are being installed")
    ap.add_argument("--force", action="store_true",
                    help="replace --out if it holds a previous corpus (has truth.json)")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    log = (lambda m: None) if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    t0 = time.time()
    if args.files:
        args.stories = max(1, round(args.files / (MEAN_COPIES + 0.5)))
        args.singles = max(0, round(args.stories * 0.5))
    if args.singles is None:
        args.singles = args.stories // 2
    fmts = [f.strip() for f in args.formats.split(",") if f.strip()]
    bad = [f for f in fmts if f not in FORMATS]
    if bad or not fmts:
        ap.error(f"--formats: unknown format(s) {bad} (choose from {', '.join(FORMATS)})")
    args.formats = [f for f in FORMATS if f in fmts]
    if args.min_paras > args.max_paras:
        ap.error("--min-paras must not exceed --max-paras")
    out = args.out
    if os.path.exists(out) and os.listdir(out):
        if args.force and os.path.isfile(os.path.join(out, "truth.json")):
            shutil.rmtree(out)
        else:
            ap.error(f"{out} exists and is not empty (use --force to replace a previous corpus)")
    os.makedirs(out, exist_ok=True)
    avg_body = max(4, (args.min_paras + args.max_paras + args.min_paras + 4) / 3 - 3)
    need = int((args.stories + args.singles) * avg_body * 1.05) + 350
    if args.pool_file:
        with open(args.pool_file, encoding="utf-8") as f:
            cached = json.load(f)
        pool, pool_stats = cached["pool"], cached["stats"]
        log(f"pool: {len(pool)} paragraphs from {args.pool_file}")
    else:
        pool, pool_stats = poolmod.build_pool(need, cache_dir=args.cache_dir or None, log=log)
    if len(pool) < 100:
        sys.exit("error: fewer than 100 prose paragraphs found on this machine")
    if args.files and len(pool) < need:
        # Not enough distinct prose for half as many singles as stories: publish fewer
        # singles (down to a tenth of the stories) before paragraphs have to be reused.
        q = (len(pool) - 350) / 1.05 / (args.files * avg_body)
        r = max(0.1, min(0.5, (MEAN_COPIES * q - 1) / max(1e-9, 1 - q)))
        args.stories = max(1, round(args.files / (MEAN_COPIES + r)))
        args.singles = max(0, round(args.stories * r))
        log(f"pool has {len(pool)} paragraphs: {args.stories} stories and {args.singles} singles")
    t1 = time.time()
    b = Builder(args, pool, log)
    b.run()
    groups, ignored = label(b)
    for p in b.paras:
        p["variant"] = p.get("variant", 0)
    stats = {
        "files": len({f["path"] for f in b.files}),
        "documents": len(b.files),
        "outlets": len(b.outlets),
        "stories": args.stories,
        "singles": args.singles,
        "paragraphs": len(b.paras),
        "by_role": {},
        "groups": {},
        "truth_pairs": {"exact": 0, "near": 0, "boilerplate": 0, "chrome": 0},
        "planted_within": {"exact": sum(1 for x in b.planted if x["kind"] == "exact"),
                           "near": sum(1 for x in b.planted if x["kind"] == "near")},
        "near_edit_types": {},
        "pool_paragraphs_used": b.next_pool + b.reused * len(b.order),
        "pool_reuse_rounds": b.reused,
        "ignored_paragraphs": len(ignored),
        "bytes": 0,
    }
    for p in b.paras:
        stats["by_role"][p["role"]] = stats["by_role"].get(p["role"], 0) + 1
    byid = {p["id"]: p for p in b.paras}
    for g in groups:
        stats["groups"][g["kind"]] = stats["groups"].get(g["kind"], 0) + 1
        if g["kind"] == "near":
            sizes = [len(v) for v in g["variants"]]
            stats["truth_pairs"]["near"] += pairs_in(sum(sizes)) - sum(pairs_in(s) for s in sizes)
            for e in g["edits"]:
                stats["near_edit_types"][e] = stats["near_edit_types"].get(e, 0) + 1
        else:
            k = "chrome" if g.get("chrome") else g["kind"]
            stats["truth_pairs"][k] += pairs_in(len(g["members"]))
    for path in sorted({f["path"] for f in b.files}):
        stats["bytes"] += os.path.getsize(os.path.join(out, path))
    paragraphs = []
    for p in b.paras:
        e = {"id": p["id"], "path": p["path"], "start_line": p["start_line"],
             "end_line": p["end_line"], "role": p["role"], "origin": p["origin"],
             "story": p["story"], "variant": p["variant"], "words": p["words"]}
        if p["edits"]:
            e["edits"] = p["edits"]
            e["details"] = p["details"]
        if p.get("family"):
            e["family"] = p["family"]
        e["paragraph"] = p["paragraph"]
        if "record" in p:
            e["record"] = p["record"]
        if p.get("chrome"):
            e["chrome"] = True
        paragraphs.append(e)
    truth = {
        "version": TRUTH_VERSION,
        "generator": {
            "seed": args.seed, "argv": sys.argv[1:] if argv is None else argv,
            "settings": {k: v for k, v in vars(args).items()
                         if k not in ("out", "force", "quiet", "cache_dir", "pool_file")},
            "pool": {k: v for k, v in pool_stats.items() if k not in ("cache", "build_s")},
        },
        "normalization": "NFKC, casefold, curly quotes and backticks to straight, "
                         "dash variants unified (paradup's rule), whitespace collapsed",
        "stats": stats,
        "files": b.files,
        "outlets": [dict({"slug": o.slug, "name": o.name, "kind": o.kind, "format": o.fmt,
                          "wrap": o.wrap, "crlf": o.crlf, "footer": o.footer_mode,
                          "share": o.share, "byline": o.byline},
                         **({"entities": o.entities, "related": o.related}
                            if o.fmt == "html" else {}),
                         **({"feed_html": o.feed_html, "feed_ascii": o.feed_ascii}
                            if o.fmt == "jsonl" else {}))
                    for o in b.outlets],
        "paragraphs": paragraphs,
        "groups": groups,
        "planted_within": b.planted,
        "ignore": ignored,
    }
    del byid
    with open(os.path.join(out, "truth.json"), "w", encoding="utf-8") as f:
        json.dump(truth, f, indent=None, separators=(",", ":"))
        f.write("\n")
    stats["seconds"] = {"pool": round(t1 - t0, 2), "generate": round(time.time() - t1, 2)}
    log(json.dumps({k: stats[k] for k in ("files", "documents", "paragraphs", "by_role", "groups",
                                          "truth_pairs", "planted_within", "near_edit_types",
                                          "pool_reuse_rounds", "ignored_paragraphs", "bytes",
                                          "seconds")}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
