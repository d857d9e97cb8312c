"""Multilingual source pool: real non-English prose paragraphs found on this machine.

Sources (read in sorted order, every one of them; the pool is small):

* translated man pages Debian installs under /usr/share/man/LANG/man[1-8] (troff macros
  and font escapes stripped with pool.py's `_man_blocks`)
* Vim's translated tutors (/usr/share/vim/vim*/tutor/tutor.LANG.utf-8)
* GnuPG's translated help texts (/usr/share/gnupg/help.LANG.txt)
* systemd's translated message catalogs (/usr/lib/systemd/catalog/systemd.LANG.catalog)

Per-language prose filter (`clean_ml`): zh/ja paragraphs of 40-200 characters ending with
sentence punctuation, mostly CJK (ja must contain kana, zh none); ko/ru/uk and Latin-script
languages 12-120 words ending with sentence punctuation, in the right script, and for
Latin-script languages with >= 8% of the language's own stop words (translated man pages
keep untranslated English paragraphs). Each language is near-deduplicated on its own:
CJK by character-bigram Jaccard >= 0.3, others as pool.py does (word-3-shingle Jaccard
>= 0.3 or word-set Jaccard >= 0.5), with pool.py's exact prefix-filtered index.

    python3 benches/eval/mlpool.py            # prints per-language counts
"""

import glob
import hashlib
import json
import os
import re
import sys
import time
import unicodedata

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pool as poolmod  # noqa: E402
from evalcommon import normalize, tokens, is_cjk_char  # noqa: E402

ML_POOL_VERSION = 1

# man folder / file suffix -> language code used in truth.json
LANG_ALIASES = {"zh_CN": "zh", "zh_TW": "zh", "zh_cn": "zh", "zh_tw": "zh", "zh": "zh",
                "pt_BR": "pt", "pt": "pt", "nb": "no", "no": "no"}
CJK_LANGS = {"zh", "ja"}
LANGS = ["de", "fr", "es", "it", "nl", "pt", "sv", "pl", "ru", "uk", "ja", "zh", "ko"]

STOPS = {
    "de": "der die das und ist nicht mit von zu den dem ein eine einer eines wird werden "
          "auf für sich im in als auch es sie bei oder wenn kann nur dass diese wie",
    "fr": "le la les de des du et est un une pour dans que qui pas sur par au aux ce cette "
          "il elle sont ou être avec plus se ne",
    "es": "el la los las de del y es un una para en que no por con se al lo como más o",
    "it": "il la le lo gli i di del della e è un una per in che non con si da al come o",
    "nl": "de het een en van is in dat niet op te met voor zijn wordt als er door of aan",
    "pt": "o a os as de do da dos das e é um uma para em que não por com se no na ao como",
    "sv": "och är att det en ett som av på för med till den inte om kan eller har de",
    "pl": "i w na z że nie jest do się to jak o lub przez może być dla od",
}
STOPS = {k: set(v.split()) for k, v in STOPS.items()}

_BAD = set("*_`[]<>|#{}\\~^=@&$+")
_END_CJK = re.compile(r"[。！？．!?][」』）)\"'”’]?$")
_END_WORD = re.compile(r"[.!?。][\"'\u201d\u2019\u00bb)]?$")
_FILEISH = re.compile(r"[A-Za-z0-9]\.[A-Za-z]{2,}|/\S*/|\(\)|::|\.\.\.|\w\(|(?:^|\s)-{1,2}\w")
_FILEISH_CJK = re.compile(r"[A-Za-z0-9]\.[A-Za-z]{2,}|/\S*/|\(\)|::|\.\.\.|[A-Za-z0-9]\(|\\")


def _script(c):
    o = ord(c)
    if is_cjk_char(c):
        if 0x3040 <= o <= 0x30FF or 0x31F0 <= o <= 0x31FF or 0xFF66 <= o <= 0xFF9F:
            return "kana"
        return "han"
    if 0xAC00 <= o <= 0xD7AF or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "hangul"
    if 0x0400 <= o <= 0x04FF:
        return "cyrillic"
    if c.isalpha():
        return "latin" if o < 0x250 else "other"
    return None


def join_lines(lines):
    """Joins a block's lines: no space where both sides are CJK (a wrapped CJK line)."""
    out = ""
    for ln in (x.strip() for x in lines):
        if not ln:
            continue
        if out and not (is_cjk_char(out[-1]) or out[-1] in "、。，：；！？）」』") \
                or (out and not is_cjk_char(ln[0]) and ln[0] not in "「『（、。，"):
            out += " " + ln
        else:
            out += ln
    out = " ".join(out.split())
    return re.sub(r" ([,.;:!?])(?=\s|$)", r"\1", out)


def clean_ml(lines, lang):
    """The block as one line of prose in `lang`, or None."""
    stripped = [ln.strip() for ln in lines]
    if not stripped or any(not ln for ln in stripped):
        return None
    for ln in stripped[1:]:
        if re.match(r"^(?:[-*+•o]\s|\d+[.)]\s|\.\. |:\w+:)", ln):
            return None
    text = join_lines(lines)
    text = text.replace("\\/", "").replace("\\*(Aq", "'").replace("\\,", "")
    text = poolmod._ENUM.sub("", text)
    cjk_lang = lang in CJK_LANGS
    if cjk_lang:
        # old zh_TW pages space every character: join spaced CJK runs
        text = re.sub(r"(?<=[^\x00-\u2fff]) (?=[^\x00-\u2fff])", "", text)
    bad = _BAD - set("$_") if cjk_lang else _BAD
    if not text or any(c in bad for c in text) or "://" in text or "www." in text:
        return None
    if text.startswith(("-", "\u2022", ":", "(", "\u2013")):
        return None
    fileish = _FILEISH_CJK if cjk_lang else _FILEISH
    if fileish.search(text.replace("z.B.", "").replace("d.h.", "").replace("z. B.", "")):
        return None
    counts = {}
    for c in text:
        s = _script(c)
        if s:
            counts[s] = counts.get(s, 0) + 1
    letters = sum(counts.values())
    nonspace = sum(not c.isspace() for c in text)
    if not letters:
        return None
    if lang in CJK_LANGS:
        if not 40 <= len(text) <= 200 or not _END_CJK.search(text):
            return None
        cjk = counts.get("han", 0) + counts.get("kana", 0)
        if cjk / nonspace < 0.6 or counts.get("latin", 0) > 0.25 * nonspace:
            return None
        if lang == "ja" and counts.get("kana", 0) < 0.15 * cjk:
            return None
        if lang == "zh" and counts.get("kana", 0):
            return None
        if counts.get("hangul", 0) or counts.get("cyrillic", 0):
            return None
        return text
    toks = text.split()
    if not 12 <= len(toks) <= 120 or not _END_WORD.search(text):
        return None
    if letters / nonspace < 0.8:
        return None
    if not (text[0].isupper() or text[0] in "\"'\u201c\u201e\u00ab" or
            _script(text[0]) == "hangul"):
        return None
    want = {"ko": "hangul", "ru": "cyrillic", "uk": "cyrillic"}.get(lang, "latin")
    if counts.get(want, 0) < 0.85 * letters:
        return None
    if want == "latin":
        if counts.get("other", 0):
            return None
        lower = [t.strip("()\"',.;:!?\u00ab\u00bb\u201e\u201c").lower() for t in toks]
        st = STOPS.get(lang)
        if st and sum(1 for t in lower if t in st) / len(toks) < 0.08:
            return None
        eng = poolmod._STOP
        if sum(1 for t in lower if t in eng) / len(toks) > 0.2 and lang != "fr":
            return None  # untranslated English left in a translated page
    if max(len(s.split()) for s in re.split(r"(?<=[.!?])\s+", text)) < 6:
        return None
    return text


def sources():
    """[(lang, kind, path)] sorted."""
    out = []
    for d in sorted(glob.glob("/usr/share/man/*/")):
        code = os.path.basename(d.rstrip("/"))
        if code.startswith("man"):
            continue
        lang = LANG_ALIASES.get(code, code.split("_")[0])
        for f in sorted(glob.glob(os.path.join(d, "man[1-8]", "*"))):
            if os.path.isfile(f) and not os.path.islink(f):
                out.append((lang, "man", f))
    for f in sorted(glob.glob("/usr/share/vim/vim*/tutor/tutor.*.utf-8")):
        code = os.path.basename(f).split(".")[1]
        out.append((LANG_ALIASES.get(code, code), "plain", f))
    for f in sorted(glob.glob("/usr/share/gnupg/help.*.txt")):
        code = os.path.basename(f).split(".")[1]
        out.append((LANG_ALIASES.get(code, code.split("_")[0]), "plain", f))
    for f in sorted(glob.glob("/usr/lib/systemd/catalog/systemd.*.catalog")):
        code = os.path.basename(f).split(".")[1]
        if "@" in code:
            continue
        out.append((LANG_ALIASES.get(code, code.split("_")[0]), "plain", f))
    return [x for x in out if x[0] in LANGS]


def _signature(srcs):
    h = hashlib.sha256(f"ml{ML_POOL_VERSION}".encode())
    for lang, kind, f in srcs:
        try:
            st = os.stat(f)
            h.update(f"{lang}\0{f}\0{st.st_size}\0{int(st.st_mtime)}\n".encode())
        except OSError:
            pass
    return h.hexdigest()[:20]


def bigrams(norm):
    s = "".join(c for c in norm if c.isalnum())
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def build_ml_pool(cache_dir="/tmp/paradup-eval-cache", log=None):
    """Returns (pool, stats); pool: list of {id, lang, text, source}."""
    log = log or (lambda *a: None)
    t0 = time.time()
    srcs = sources()
    sig = _signature(srcs)
    cpath = os.path.join(cache_dir, f"mlpool-{sig}.json") if cache_dir else None
    if cpath and os.path.isfile(cpath):
        with open(cpath, encoding="utf-8") as f:
            cached = json.load(f)
        log(f"mlpool: loaded {len(cached['pool'])} paragraphs from {cpath}")
        cached["stats"]["cache"] = cpath
        return cached["pool"], cached["stats"]
    raw = {}
    seen = set()
    per = {}
    for lang, kind, path in srcs:
        st = per.setdefault(lang, {"files": 0, "blocks": 0, "prose": 0})
        st["files"] += 1
        if kind == "man":
            blocks = poolmod.extract_blocks("man", path)
        else:
            text = poolmod.read_text(path)
            blocks = poolmod._plain_blocks(text, path) if text else []
        for i, b in enumerate(blocks):
            st["blocks"] += 1
            p = clean_ml(b, lang)
            if p is None:
                continue
            p = unicodedata.normalize("NFC", p)
            key = normalize(p)
            if key in seen:
                continue
            seen.add(key)
            st["prose"] += 1
            raw.setdefault(lang, []).append((p, f"{path}#{i}", key))
    pool = []
    for lang in LANGS:
        items = raw.get(lang, [])
        feats = []
        df1, df2 = {}, {}
        for p, src, key in items:
            if lang in CJK_LANGS:
                a, b = bigrams(key), None
            else:
                ws = tokens(key)
                a, b = poolmod.shingles(ws), set(ws)
            feats.append((p, src, a, b))
            for x in a:
                df1[x] = df1.get(x, 0) + 1
            for x in b or ():
                df2[x] = df2.get(x, 0) + 1
        i1 = poolmod._PrefixIndex(0.3, df1)
        i2 = poolmod._PrefixIndex(poolmod.WORDSET_J, df2)
        kept = 0
        for p, src, a, b in feats:
            if i1.probe(a) or (b is not None and i2.probe(b)):
                continue
            i1.add(a)
            if b is not None:
                i2.add(b)
            pool.append({"id": len(pool), "lang": lang, "text": p, "source": src})
            kept += 1
        if lang in per:
            per[lang]["kept"] = kept
    h = hashlib.sha256()
    for e in pool:
        h.update(f"{e['lang']}\t{e['text']}\n".encode("utf-8"))
    stats = {"languages": per, "pool_paragraphs": len(pool),
             "pool_sha256": h.hexdigest()[:16], "build_s": round(time.time() - t0, 2)}
    log("mlpool: " + ", ".join(f"{k} {v.get('kept', 0)}" for k, v in sorted(per.items()))
        + f" ({stats['build_s']} s)")
    if cpath:
        try:
            os.makedirs(cache_dir, exist_ok=True)
            tmp = cpath + f".tmp{os.getpid()}"
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump({"pool": pool, "stats": stats}, f, ensure_ascii=False)
            os.replace(tmp, cpath)
        except OSError:
            pass
    return pool, stats


if __name__ == "__main__":
    import random
    pool, stats = build_ml_pool(cache_dir=None, log=lambda m: print(m, file=sys.stderr))
    print(json.dumps(stats, indent=1))
    if len(sys.argv) > 1:
        r = random.Random(1)
        for lang in sys.argv[1:]:
            ps = [e for e in pool if e["lang"] == lang]
            for e in r.sample(ps, min(6, len(ps))):
                print("---", lang, e["source"])
                print(e["text"])
