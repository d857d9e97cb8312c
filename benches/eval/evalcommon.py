"""Shared helpers for the paradup evaluation harness (stdlib only).

`normalize` mirrors paradup's own normalization (src/normalize.rs): NFKC, full case
folding, curly quotes and backticks to straight quotes, zero-width characters dropped,
dash variants unified (a tight hyphen or en dash between two characters stays `-`, any
other dash - em dash, spaced hyphen, `--` - becomes the token ` - `), whitespace
collapsed. `words` splits normalized text into maximal alphanumeric runs, as paradup does.
"""

import unicodedata

_SINGLE_QUOTES = {"\u2018", "\u2019", "\u201a", "\u201b", "\u2032", "`", "\u00b4"}
_DOUBLE_QUOTES = {"\u201c", "\u201d", "\u201e", "\u201f", "\u2033", "\u00ab", "\u00bb"}
_INVISIBLE = {"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"}
_HYPHENS = {"-", "\u2010", "\u2011", "\u2013"}
_DASHES = {"\u2012", "\u2014", "\u2015", "\u2212", "\ufe58", "\ufe63", "\uff0d"}


def _dash_kind(c):
    if c in _HYPHENS:
        return 1
    if c in _DASHES:
        return 2
    return 0


def normalize(text):
    s = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    out = []
    space_before = False
    n = len(s)
    i = 0
    while i < n:
        c = s[i]
        i += 1
        if c.isspace():
            space_before = bool(out)
            continue
        if c in _SINGLE_QUOTES:
            c = "'"
        elif c in _DOUBLE_QUOTES:
            c = '"'
        elif c in _INVISIBLE:
            continue
        kind = _dash_kind(c)
        if kind:
            run = 1
            while i < n and _dash_kind(s[i]):
                i += 1
                run += 1
            space_after = i >= n or s[i].isspace()
            if kind == 1 and run == 1 and not space_before and not space_after and out:
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
    """Maximal runs of alphanumeric characters (paradup's word definition before CJK
    characters became tokens of their own; the same as `tokens` for text without them)."""
    return _runs(normalized, lambda c: False)


def word_similarity(a_words, b_words):
    """1 - word-level Levenshtein distance / max(len): paradup's verified similarity.

    Bit-parallel (Hyyro 2001) over Python ints, so long paragraphs stay cheap.
    """
    if not a_words and not b_words:
        return 1.0
    if not a_words or not b_words:
        return 0.0
    if len(a_words) < len(b_words):
        a_words, b_words = b_words, a_words
    # pattern = shorter sequence (b), text = longer (a)
    m = len(b_words)
    peq = {}
    for i, w in enumerate(b_words):
        peq[w] = peq.get(w, 0) | (1 << i)
    mask = (1 << m) - 1
    high = 1 << (m - 1)
    pv = mask
    mv = 0
    score = m
    for w in a_words:
        eq = peq.get(w, 0)
        xv = eq | mv
        xh = ((((eq & pv) + pv) & mask) ^ pv) | eq
        ph = mv | (~(xh | pv) & mask)
        mh = pv & xh
        if ph & high:
            score += 1
        elif mh & high:
            score -= 1
        ph = ((ph << 1) | 1) & mask
        mh = (mh << 1) & mask
        pv = mh | (~(xv | ph) & mask)
        mv = ph & xv
    return 1.0 - score / max(len(a_words), m)


# ---------------------------------------------------------------------------------------
# Multilingual tokens (make_cases.py): the tokenization paradup is meant to use for
# scripts written without spaces. Han, Hiragana, Katakana (and the prolonged sound mark),
# Thai, Lao, Khmer and Myanmar characters are one token each; every other script (Latin,
# Cyrillic, Hangul, ...) splits into maximal alphanumeric runs as `words` does.

_CJK_RANGES = (
    (0x3005, 0x3007), (0x3021, 0x3029), (0x3031, 0x3035), (0x3038, 0x303C),
    (0x3040, 0x30FF),            # Hiragana, Katakana (incl. the prolonged sound mark)
    (0x31F0, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
    (0xFF66, 0xFF9F), (0x20000, 0x3FFFF),
    (0x0E00, 0x0E7F), (0x0E80, 0x0EFF), (0x1780, 0x17FF), (0x1000, 0x109F),  # Thai, Lao, Khmer, Myanmar
)


def is_cjk_char(c):
    o = ord(c)
    for lo, hi in _CJK_RANGES:
        if lo <= o <= hi:
            return True
    return False


def tokens(normalized):
    """Words of normalized text, with each CJK/Thai character a token of its own."""
    return _runs(normalized, is_cjk_char)


def _runs(normalized, alone):
    """Maximal runs of alphanumeric characters, a character for which `alone` is true
    being a run of its own."""
    out = []
    cur = []
    for c in normalized:
        if alone(c):
            if cur:
                out.append("".join(cur))
                cur = []
            out.append(c)
        elif c.isalnum():
            cur.append(c)
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out


def token_similarity(a_text, b_text):
    """1 - Levenshtein / longer length over `tokens` of the normalized texts: word level
    for alphabetic scripts and Hangul, character level (whitespace and punctuation
    removed) for Han/Kana/Thai. Equal to word_similarity on words for text without CJK."""
    return word_similarity(tokens(normalize(a_text)), tokens(normalize(b_text)))
