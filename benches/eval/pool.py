"""Source pool for the evaluation corpus: real English prose paragraphs found on this
machine, filtered to look like running text and deduplicated so that no two kept
paragraphs are exact or near duplicates of each other (word-3-shingle Jaccard >= 0.3 or
word-set Jaccard >= 0.5 against any paragraph kept before).

Sources are read in tiers, in a fixed priority order, and only as many tiers as the
requested corpus needs (so a small corpus never pays for parsing all of them). Inside a
tier, files are read in sorted order and paragraphs are kept first-come: the pool is a
pure function of the files on the machine and the number of paragraphs asked for. Built
pools are cached (keyed by the tiers' file list, sizes and mtimes, and POOL_VERSION).
"""

import ast
import glob
import gzip
import hashlib
import html
import json
import math
import os
import re
import sys
import sysconfig
import time

from evalcommon import normalize, words

POOL_VERSION = 5

_DOC_NAME = re.compile(
    r"^(readme[^/]*|copyright|[^/]*\.txt|[^/]*\.md|[^/]*\.markdown|[^/]*\.rst)(\.gz)?$",
    re.IGNORECASE,
)
_SKIP_NAME = re.compile(
    r"(changelog|changes|news|history|authors|thanks|todo|release|\.json|cmakelists"
    r"|requirements|robots|entry_points|top_level|dependency_links|sources\.txt"
    r"|installed-files|record)",
    re.IGNORECASE,
)
_SKIP_DIRS = {"examples", "tests", "test", "__pycache__", "changelogs", "legal", "idlelib",
              "lib2to3", "site-packages", "dist-packages", "turtledemo", "ensurepip"}


def _walk(root, depth, pred):
    """Sorted files under root, at most `depth` levels deep, whose name satisfies pred."""
    out = []
    if not os.path.isdir(root):
        return out
    base = root.rstrip("/").count("/")
    for dirpath, dirnames, filenames in os.walk(root):
        d = dirpath.rstrip("/").count("/") - base
        dirnames[:] = sorted(x for x in dirnames
                             if x not in _SKIP_DIRS and d < depth - 1 and not x.startswith("."))
        for fn in sorted(filenames):
            if not pred(fn):
                continue
            p = os.path.join(dirpath, fn)
            try:
                if os.path.islink(p) or not os.path.isfile(p) or os.path.getsize(p) > 3_000_000:
                    continue
            except OSError:
                continue
            out.append(p)
    out.sort()
    return out


def _site_packages():
    roots = []
    for key in ("purelib", "platlib"):
        p = sysconfig.get_paths().get(key)
        if p and p not in roots and os.path.isdir(p):
            roots.append(p)
    if os.path.isdir("/usr/lib/python3/dist-packages"):
        roots.append("/usr/lib/python3/dist-packages")
    return roots


def _doc_pred(n):
    return bool(_DOC_NAME.match(n)) and not _SKIP_NAME.search(n)


def _rust_doc_roots():
    books = ["book", "reference", "nomicon", "edition-guide", "cargo", "rustc",
             "rust-by-example", "embedded-book", "rustdoc", "style-guide", "unstable-book",
             "error_codes", "clippy"]
    homes = sorted(set([os.path.expanduser("~/.rustup")] +
                       ([os.environ["RUSTUP_HOME"]] if os.environ.get("RUSTUP_HOME") else [])))
    roots = []
    for home in homes:
        for tc in sorted(glob.glob(os.path.join(home, "toolchains", "*"))):
            for b in books:
                p = os.path.join(tc, "share", "doc", "rust", "html", b)
                if os.path.isdir(p):
                    roots.append(p)
    return roots


def tiers():
    """[(name, extractor, [files])] in priority order. Computed lazily per tier."""
    stdlib = sysconfig.get_paths().get("stdlib", "")
    return [
        ("licenses", "plain", lambda: _walk("/usr/share/common-licenses", 1, lambda n: True)),
        ("doc-text", "plain", lambda: _walk("/usr/share/doc", 3, _doc_pred)),
        ("node-docs", "plain", lambda: _walk("/usr/lib/node_modules", 6, lambda n: (
            n.lower().endswith((".md", ".markdown")) and not _SKIP_NAME.search(n)))),
        ("python-packages", "plain", lambda: sorted(
            f for sp in _site_packages()
            for f in _walk(sp, 3, lambda n: n in ("METADATA", "PKG-INFO") or _doc_pred(n)))),
        ("python-reference", "pytopics", lambda: [
            p for p in [os.path.join(stdlib, "pydoc_data", "topics.py")] if os.path.isfile(p)]),
        ("python-docstrings", "pydoc", lambda: _walk(stdlib, 2, lambda n: n.endswith(".py"))
         if stdlib else []),
        ("rust-books", "html", lambda: sorted(
            f for r in _rust_doc_roots() for f in _walk(r, 4, lambda n: n.endswith(".html")))),
        ("doc-html", "html", lambda: _walk("/usr/share/doc", 4, lambda n: n.endswith(".html"))),
        ("man-pages", "man", lambda: sorted(
            f for f in glob.glob("/usr/share/man/man[1-8]/*")
            if not os.path.basename(f).startswith("gcloud") and os.path.isfile(f)
            and not os.path.islink(f))),
        ("botocore", "botocore", lambda: sorted(
            f for sp in _site_packages()
            for f in glob.glob(os.path.join(sp, "botocore", "data", "*", "*", "service-2.json*")))),
        ("gcloud-man-pages", "man", lambda: sorted(
            f for f in glob.glob("/usr/share/man/man1/gcloud*")
            if os.path.isfile(f) and not os.path.islink(f))),
    ]


def read_text(path):
    try:
        if path.endswith(".gz"):
            with gzip.open(path, "rb") as f:
                data = f.read(8_000_000)
        else:
            with open(path, "rb") as f:
                data = f.read(8_000_000)
    except (OSError, EOFError, gzip.BadGzipFile):
        return None
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")


# ---------------------------------------------------------------------------------------
# Prose filter

# Characters that are Markdown/reST syntax or mark code, paths, tables, e-mail, URLs.
# Paragraphs containing any are dropped, so the same text means the same thing in .txt
# and .md output files.
_BAD_CHARS = set("*_`[]<>|#{}\\~^=@&$+")
_ENUM = re.compile(r"^(?:\(?(?:[0-9]{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)]|§\s*\d+[.:]?)\s+")
_SECTION_PREFIX = re.compile(r"^(?:Section|SECTION|Article|ARTICLE)\s+\d+(?:\.\d+)*[.:]?\s+")
_WORDLIKE = re.compile(r"^[(\"'\u201c\u2018]?[A-Za-z][a-z]*(?:['\u2019-][A-Za-z]+)*[.,;:!?)\"'\u201d\u2019]*$")
_NUMBERLIKE = re.compile(r"^[(]?\d[\d,]*(?:\.\d+)?%?[.,;:)]*$")
_FILEISH = re.compile(r"[A-Za-z0-9]\.[A-Za-z]{2,}|/\S*/|\(\)|::|\.\.\.|\w\(")
_END = re.compile(r"[.!?][\"'\u201d\u2019)]?$")
_STOP = {"the", "of", "and", "to", "a", "in", "is", "that", "for", "it", "as", "be", "by",
         "this", "with", "or", "are", "on", "not", "you", "an", "any", "if", "will", "can",
         "from", "which", "at", "have", "was", "may", "all", "its", "we", "your", "has"}


def clean_block(lines):
    """Joins a block's lines into one line, or returns None if it does not look like prose."""
    stripped = [ln.strip() for ln in lines]
    if any(not ln for ln in stripped):
        return None
    # Lists, headings, quotes, tables, reST directives, code: reject the block.
    for ln in stripped[1:]:
        if re.match(r"^(?:[-*+•o]\s|\d+[.)]\s|\(?[a-z][.)]\s|\.\. |:\w+:)", ln):
            return None
    indents = [len(ln) - len(ln.lstrip()) for ln in lines]
    if len(lines) > 2 and max(indents[1:]) - min(indents[1:]) > 2:
        return None
    text = " ".join(" ".join(stripped).split())
    text = re.sub(r" ([,.;:!?])(?=\s|$)", r"\1", text)  # "binary ," from joined markup
    text = _SECTION_PREFIX.sub("", text)
    text = _ENUM.sub("", text)
    if text.startswith(("-", "\u2022", ".. ", ":")):
        return None
    if any(c in _BAD_CHARS for c in text) or "://" in text or "www." in text:
        return None
    if _FILEISH.search(text.replace("e.g.", "").replace("i.e.", "").replace("etc.", "")):
        return None
    if not _END.search(text):
        return None
    toks = text.split()
    if not 15 <= len(toks) <= 120:
        return None
    if len(toks[0]) >= 4 and toks[0].isupper():
        return None  # a heading run into its text ("DESCRIPTION This function...")
    if not text[0].isupper() and not text[0] in "\"'\u201c(":
        return None
    letters = sum(c.isalpha() for c in text)
    nonspace = sum(not c.isspace() for c in text)
    if letters / nonspace < 0.82:
        return None
    if any(ord(c) > 0x2FF and c not in "\u2018\u2019\u201c\u201d\u2013\u2014" for c in text):
        return None  # non-Latin scripts, symbols
    upper = sum(c.isupper() for c in text)
    if upper / max(letters, 1) > 0.2:
        return None
    good = sum(1 for t in toks if _WORDLIKE.match(t) or _NUMBERLIKE.match(t))
    if good / len(toks) < 0.9:
        return None
    lower = [t.strip("()\"',.;:!?").lower() for t in toks]
    if sum(1 for t in lower if t in _STOP) / len(toks) < 0.12:
        return None  # not English, or a title-like list
    # Must contain a sentence-like verb-ish structure: at least one sentence of 8+ words.
    if max(len(s.split()) for s in re.split(r"(?<=[.!?])\s+", text)) < 8:
        return None
    return text


# ---------------------------------------------------------------------------------------
# Extractors: file -> candidate blocks (each a list of lines)

def _blocks(text):
    block = []
    for ln in text.splitlines():
        if ln.strip():
            block.append(ln.rstrip())
        elif block:
            yield block
            block = []
    if block:
        yield block


def _plain_blocks(text, path=""):
    if os.path.basename(path) in ("METADATA", "PKG-INFO"):
        i = text.find("\n\n")
        text = text[i + 2:] if i >= 0 else ""
    in_fence = False
    cleaned = []
    for ln in text.splitlines():
        if ln.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            cleaned.append("")
            continue
        cleaned.append("" if in_fence else ln)
    return list(_blocks("\n".join(cleaned)))


_TAG = re.compile(r"<[^>]*>")
_P = re.compile(r"<p>(.*?)</p>", re.S | re.I)


def _html_text(fragment):
    if re.search(r"<(?:code|pre|kbd|var|samp)\b", fragment, re.I):
        # Inline code: keep the words, the filter rejects identifiers and symbols.
        pass
    return html.unescape(_TAG.sub("", fragment))


def _html_blocks(text):
    return [[_html_text(p)] for p in _P.findall(text)]


def _botocore_blocks(text):
    try:
        data = json.loads(text)
    except ValueError:
        return []
    out = []
    stack = [data]
    while stack:
        o = stack.pop()
        if isinstance(o, dict):
            for k in sorted(o, reverse=True):
                v = o[k]
                if k == "documentation" and isinstance(v, str):
                    ps = _P.findall(v) or [v]
                    out.extend([_html_text(p)] for p in ps)
                else:
                    stack.append(v)
        elif isinstance(o, list):
            stack.extend(reversed(o))
    return out


def _pytopics_blocks(text):
    try:
        tree = ast.parse(text)
        topics = None
        for node in tree.body:
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Dict):
                topics = ast.literal_eval(node.value)
    except (SyntaxError, ValueError):
        return []
    out = []
    for k in sorted(topics or {}):
        out.extend(_plain_blocks(topics[k]))
    return out


def _pydoc_blocks(text):
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    out = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                out.extend(_plain_blocks(doc))
    return out


_MAN_ESC = [(re.compile(a), b) for a, b in [
    (r"\\f(?:\[[^\]]*\]|\(..|.)", ""), (r"\\s[-+]?\d", ""), (r"\\\(em|\\\[em\]", "\u2014"),
    (r"\\\(en|\\\[en\]", "\u2013"), (r"\\\(aq|\\\[aq\]", "'"), (r"\\\(lq|\\\(rq|\\\(dq", '"'),
    (r"\\\(oq|\\\(cq", "'"), (r"\\-", "-"), (r"\\&", ""), (r"\\ ", " "), (r"\\\(bu", ""),
    (r"\\e", "\\\\"), (r"\\\|", ""), (r"\\\^", ""), (r"\\c", "")]]
_MAN_BREAK = re.compile(r"^[.'](?:PP|P|LP|TP|IP|SH|SS|HP|sp|br|RS|RE|TQ|nf|fi|EX|EE|Sh|Pp|Bl|El"
                        r"|It|Ss|Bd|Ed)\b")


def _man_blocks(text):
    """troff man pages: text lines between paragraph macros, font escapes removed."""
    out, cur, nofill = [], [], False
    for ln in text.splitlines():
        if ln.startswith((".nf", ".EX", ".Bd")):
            nofill = True
        if ln.startswith((".fi", ".EE", ".Ed")):
            nofill = False
        if _MAN_BREAK.match(ln) or not ln.strip():
            if cur:
                out.append(cur)
                cur = []
            continue
        if ln.startswith((".", "'")):
            m = re.match(r"^\.(?:B|I|BI|IB|BR|RB|IR|RI|SM)\s+(.*)$", ln)
            if m and not nofill:
                cur.append(m.group(1).replace('"', ""))
            continue
        if nofill:
            continue
        for a, b in _MAN_ESC:
            ln = a.sub(b, ln)
        cur.append(ln)
    if cur:
        out.append(cur)
    return out


def extract_blocks(kind, path):
    text = read_text(path)
    if not text:
        return []
    if kind == "plain":
        return _plain_blocks(text, path)
    if kind == "html":
        return _html_blocks(text)
    if kind == "botocore":
        return _botocore_blocks(text)
    if kind == "pytopics":
        return _pytopics_blocks(text)
    if kind == "pydoc":
        return _pydoc_blocks(text)
    if kind == "man":
        return _man_blocks(text)
    raise ValueError(kind)


# ---------------------------------------------------------------------------------------
# Near-duplicate removal with prefix-filtered inverted indexes.

SHINGLE_J = 0.3
WORDSET_J = 0.5


def shingles(ws):
    return {" ".join(ws[i:i + 3]) for i in range(len(ws) - 2)} if len(ws) >= 3 else {" ".join(ws)}


def _prefix_len(n, t):
    # With one global token order, J(A,B) >= t implies that the first n - ceil(t*n) + 1
    # tokens of A and of B share a token (prefix filtering).
    return n - math.ceil(t * n - 1e-9) + 1


class _PrefixIndex:
    """Exact Jaccard >= t search over the sets indexed so far (PPJoin: prefix, size and
    positional filtering over one global rarest-first token order)."""

    def __init__(self, threshold, df):
        self.t = threshold
        self.df = df
        self.index = {}
        self.sets = []
        self.sizes = []

    def _ordered(self, s):
        return sorted(s, key=lambda tok: (self.df.get(tok, 0), tok))

    def probe(self, s):
        """True if some indexed set has Jaccard >= t with s."""
        toks = self._ordered(s)
        n = len(toks)
        t = self.t
        lo = t * n
        hi = n / t
        acc = {}
        sizes = self.sizes
        for i, tok in enumerate(toks[:_prefix_len(n, t)]):
            post = self.index.get(tok)
            if not post:
                continue
            rest_i = n - i - 1
            for c, j in post:
                m = sizes[c]
                if m < lo or m > hi:
                    continue
                a = acc.get(c, 0)
                if a < 0:
                    continue
                need = math.ceil(t / (1 + t) * (n + m) - 1e-9)
                if a + 1 + min(rest_i, m - j - 1) >= need:
                    acc[c] = a + 1
                else:
                    acc[c] = -1
        sets = self.sets
        for c, a in acc.items():
            if a <= 0:
                continue
            other = sets[c]
            m = len(other)
            inter = len(s & other)
            if inter >= t * (n + m - inter) - 1e-9:
                return True
        return False

    def add(self, s):
        toks = self._ordered(s)
        i = len(self.sets)
        self.sets.append(s)
        self.sizes.append(len(toks))
        for j, tok in enumerate(toks[:_prefix_len(len(toks), self.t)]):
            self.index.setdefault(tok, []).append((i, j))


def _signature(tier_files):
    h = hashlib.sha256(f"v{POOL_VERSION}".encode())
    for name, files in tier_files:
        h.update(name.encode())
        for f in files:
            try:
                st = os.stat(f)
                h.update(f"{f}\0{st.st_size}\0{int(st.st_mtime)}\n".encode())
            except OSError:
                pass
    return h.hexdigest()[:20]


def build_pool(need, cache_dir=None, log=None):
    """Returns (pool, stats). pool: list of {id, text, source, tier}.

    Reads tiers in order until enough distinct prose paragraphs were found (need / 0.8,
    since near-dedup drops some), then near-deduplicates everything read. A pool cached
    for the same tiers (same files, sizes, mtimes) is loaded instead.
    """
    log = log or (lambda *a: None)
    t0 = time.time()
    listed = [(name, kind, lister()) for name, kind, lister in tiers()]
    if cache_dir:
        # A cached pool is the right one if reading would have stopped after its last
        # tier: the per-tier counts it stores tell where that is.
        for k in range(1, len(listed) + 1):
            sig = _signature([(n, f) for n, _, f in listed[:k]])
            cpath = os.path.join(cache_dir, f"pool-{sig}.json")
            if not os.path.isfile(cpath):
                continue
            with open(cpath, encoding="utf-8") as f:
                cached = json.load(f)
            total, stop = 0, None
            for j, (name, _, _) in enumerate(listed[:k], 1):
                total += cached["stats"]["tiers"][name]["paragraphs"]
                if total * 0.8 >= need:
                    stop = j
                    break
            if stop == k or (stop is None and k == len(listed)):
                log(f"pool: loaded {len(cached['pool'])} paragraphs from cache {cpath}")
                cached["stats"]["cache"] = cpath
                return cached["pool"], cached["stats"]
    raw = []
    seen = set()
    used = []
    per_tier = {}
    for name, kind, files in listed:
        used.append((name, files))
        n0 = len(raw)
        for path in files:
            for i, block in enumerate(extract_blocks(kind, path)):
                p = clean_block(block)
                if p is None:
                    continue
                key = normalize(p)
                if key in seen:
                    continue
                seen.add(key)
                raw.append((p, f"{path}#{i}", name, key))
        per_tier[name] = {"files": len(files), "paragraphs": len(raw) - n0}
        log(f"pool: tier {name}: {len(files)} files, {len(raw) - n0} prose paragraphs")
        # Near-dedup removes roughly 10-15% of the early tiers: stop with some margin.
        if len(raw) * 0.8 >= need:
            break
    sig = _signature(used)
    cpath = os.path.join(cache_dir, f"pool-{sig}.json") if cache_dir else None
    items = []
    df_w, df_s = {}, {}
    for p, src, tier, key in raw:
        ws = words(key)
        a, b = set(ws), shingles(ws)
        items.append((p, src, tier, a, b))
        for w in a:
            df_w[w] = df_w.get(w, 0) + 1
        for s in b:
            df_s[s] = df_s.get(s, 0) + 1
    wi = _PrefixIndex(WORDSET_J, df_w)
    si = _PrefixIndex(SHINGLE_J, df_s)
    pool = []
    dropped = 0
    for p, src, tier, a, b in items:
        if si.probe(b) or wi.probe(a):
            dropped += 1
            continue
        si.add(b)
        wi.add(a)
        pool.append({"id": len(pool), "text": p, "source": src, "tier": tier})
        per_tier[tier]["kept"] = per_tier[tier].get("kept", 0) + 1
    h = hashlib.sha256()
    for e in pool:
        h.update(e["text"].encode("utf-8"))
        h.update(b"\n")
    stats = {
        "tiers": per_tier,
        "prose_paragraphs": len(raw),
        "near_duplicates_dropped": dropped,
        "pool_paragraphs": len(pool),
        "pool_sha256": h.hexdigest()[:16],
        "build_s": round(time.time() - t0, 2),
    }
    log(f"pool: {len(pool)} paragraphs after near-dedup ({dropped} dropped) in {stats['build_s']} s")
    if cache_dir:
        try:
            os.makedirs(cache_dir, exist_ok=True)
            tmp = cpath + f".tmp{os.getpid()}"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump({"pool": pool, "stats": stats}, f)
            os.replace(tmp, cpath)
        except OSError:
            pass
    return pool, stats


if __name__ == "__main__":
    import random
    need = int(sys.argv[1]) if len(sys.argv) > 1 else 10**9
    pool, stats = build_pool(need, log=lambda m: print(m, file=sys.stderr))
    print(json.dumps(stats, indent=1))
    if len(sys.argv) > 2:
        r = random.Random(int(sys.argv[2]))
        for e in r.sample(pool, 20):
            print("---", e["source"])
            print(e["text"])
