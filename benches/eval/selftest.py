#!/usr/bin/env python3
"""Self-test of the evaluation harness (no paradup binary needed).

    python3 benches/eval/selftest.py [--keep DIR]

1. Generates a tiny corpus twice (different PYTHONHASHSEED) and checks the bytes match;
   the same for a corpus in all four formats (txt, md, html, jsonl).
2. Checks truth.json against the files: paragraph spans are exactly the blank-line
   separated blocks of each text file (front matter aside), and for HTML pages and JSON
   Lines feeds exactly the elements / record paragraphs an independent reader (stdlib
   html.parser, json) finds, with matching paragraph indices; exact groups share
   normalized text, near variants differ.
3. Scores a perfect hand-built report (expects 1.0 everywhere, page chrome included; feed
   occurrences located by record id + paragraph index), a report with known damage
   (expects exact partial numbers), and random reports whose pair counts are checked
   against brute-force enumeration.
"""

import argparse
import hashlib
import html.parser
import itertools
import json
import os
import random
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the repo
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from evalcommon import normalize  # noqa: E402
import score as scorer  # noqa: E402

FAILS = []


def check(cond, msg):
    if not cond:
        FAILS.append(msg)
        print(f"FAIL: {msg}")


def dir_hash(d):
    h = hashlib.sha256()
    for root, dirs, files in os.walk(d):
        dirs.sort()
        for f in sorted(files):
            p = os.path.join(root, f)
            h.update(os.path.relpath(p, d).encode())
            with open(p, "rb") as fh:
                data = fh.read()
            if f == "truth.json":
                t = json.loads(data)
                t["generator"].pop("argv", None)
                data = json.dumps(t, sort_keys=True).encode()
            h.update(data)
    return h.hexdigest()


def generate(out, seed, extra=(), hashseed="0", script="make_eval.py"):
    env = dict(os.environ, PYTHONHASHSEED=hashseed)
    cmd = [sys.executable, os.path.join(HERE, script), "--out", out, "--seed", str(seed),
           "--quiet", *extra]
    subprocess.run(cmd, check=True, env=env)


def read_lines(path):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    return text.replace("\r\n", "\n").split("\n")


BLOCK_TAGS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "div"}
SKIP_TAGS = {"head", "script", "style", "noscript", "template"}


class BlockReader(html.parser.HTMLParser):
    """Paragraph-level elements of a page, as paradup reads them: [(start_line, end_line,
    text, tag)], a `div` counting only when it holds text and no other block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.stack = []  # [tag, start_line, text parts, has_child_block]
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skip += 1
        elif tag == "br" and self.stack:
            self.stack[-1][2].append("\n")
        elif tag in BLOCK_TAGS and not self.skip:
            for e in self.stack:
                e[3] = True
            self.stack.append([tag, self.getpos()[0], [], False])

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip -= 1
        elif tag in BLOCK_TAGS and self.stack and self.stack[-1][0] == tag and not self.skip:
            t, start, parts, child = self.stack.pop()
            text = "".join(parts)
            if text.strip() and not (t == "div" and child):
                self.blocks.append((start, self.getpos()[0], text, t))

    def handle_data(self, data):
        if self.stack and not self.skip:
            self.stack[-1][2].append(data)


def html_blocks(text):
    r = BlockReader()
    r.feed(text)
    r.close()
    return r.blocks


def feed_paragraphs(body):
    """A feed record's paragraphs: <p> elements when it holds markup, else blank-line
    separated blocks."""
    if "<p>" in body:
        return [b[2] for b in html_blocks(body)]
    out, cur = [], []
    for ln in body.split("\n"):
        if ln.strip():
            cur.append(ln)
        elif cur:
            out.append("\n".join(cur))
            cur = []
    if cur:
        out.append("\n".join(cur))
    return out


def document_texts(d, truth):
    """{paragraph id: text} read back from the files, checking every paragraph's span
    (and, for HTML and feeds, its paragraph index) against an independent reader."""
    by_path = {}
    for p in truth["paragraphs"]:
        by_path.setdefault(p["path"], []).append(p)
    fmts = {f["path"]: f["format"] for f in truth["files"]}
    out = {}
    for path, paras in sorted(by_path.items()):
        fmt = fmts[path]
        full = os.path.join(d, path)
        if fmt in ("txt", "md"):
            lines = read_lines(full)
            for p in paras:
                out[p["id"]] = "\n".join(lines[p["start_line"] - 1:p["end_line"]])
            continue
        if fmt == "html":
            with open(full, encoding="utf-8", newline="") as f:
                blocks = html_blocks(f.read().replace("\r\n", "\n"))
            spans = [(b[0], b[1]) for b in blocks]
            want = [(p["start_line"], p["end_line"]) for p in paras]
            check(spans == want, f"{path}: truth spans {want[:4]}... != elements {spans[:4]}...")
            check([p["paragraph"] for p in paras] == list(range(len(paras))),
                  f"{path}: paragraph indices are not 0..n-1")
            # make_cases.py labels sidebar headlines in <h4> as page chrome with heading: true
            heads = [p["role"] == "heading" or bool(p.get("heading")) for p in paras]
            check(heads == [b[3].startswith("h") for b in blocks][:len(heads)],
                  f"{path}: headings are not the h1-h6 elements")
            for p, b in zip(paras, blocks):
                out[p["id"]] = b[2]
            continue
        # jsonl feed: paragraphs grouped by record
        recs = {}
        with open(full, encoding="utf-8") as f:
            for n, ln in enumerate(f, 1):
                r = json.loads(ln)
                recs[r["id"]] = (n, feed_paragraphs(r["body"]))
        by_rec = {}
        for p in paras:
            by_rec.setdefault(p["record"], []).append(p)
        check(sorted(by_rec) == sorted(recs), f"{path}: records in truth != records in file")
        for rid, ps in by_rec.items():
            n, texts = recs.get(rid, (None, []))
            check(len(ps) == len(texts), f"{path}#{rid}: {len(ps)} truth paragraphs, {len(texts)} in record")
            check([p["paragraph"] for p in ps] == list(range(len(ps))),
                  f"{path}#{rid}: paragraph indices are not 0..n-1")
            for p in ps:
                check(p["start_line"] == n == p["end_line"], f"{p['id']}: line is not the record's")
                if p["paragraph"] < len(texts):
                    out[p["id"]] = texts[p["paragraph"]]
    return out


def check_spans(d, truth):
    by_path = {}
    for p in truth["paragraphs"]:
        by_path.setdefault(p["path"], []).append(p)
    for f in truth["files"]:
        if f["format"] not in ("txt", "md"):
            continue  # checked by document_texts
        lines = read_lines(os.path.join(d, f["path"]))
        start = 0
        if f["format"] == "md" and lines and lines[0] == "---":
            start = lines.index("---", 1) + 1
        blocks = []
        cur = None
        for i, ln in enumerate(lines[start:], start + 1):
            if ln.strip():
                cur = [i, i] if cur is None else [cur[0], i]
            elif cur:
                blocks.append(tuple(cur))
                cur = None
        if cur:
            blocks.append(tuple(cur))
        spans = [(p["start_line"], p["end_line"]) for p in by_path.get(f["path"], [])]
        check(blocks == spans, f"{f['path']}: truth spans {spans[:4]}... != file blocks {blocks[:4]}...")


def check_labels(d, truth):
    texts = document_texts(d, truth)
    norm = {k: normalize(v) for k, v in texts.items()}
    byid = {p["id"]: p for p in truth["paragraphs"]}
    n_exact = n_near = 0
    seen_norm = {}
    for g in truth["groups"]:
        if g["kind"] == "exact":
            n_exact += 1
            vals = {norm[m] for m in g["members"]}
            check(len(vals) == 1, f"{g['id']}: exact group with {len(vals)} normalized texts")
            v = vals.pop()
            check(v not in seen_norm, f"{g['id']}: normalized text also in {seen_norm.get(v)}")
            seen_norm[v] = g["id"]
        elif g["kind"] == "near":
            n_near += 1
            vt = [{norm[m] for m in v} for v in g["variants"]]
            check(all(len(x) == 1 for x in vt), f"{g['id']}: a near variant is not uniform")
            flat = [next(iter(x)) for x in vt]
            check(len(set(flat)) == len(flat), f"{g['id']}: two near variants normalize alike")
        else:
            stories = {byid[m]["story"] for m in g["members"]}
            check(len(stories) >= 2, f"{g['id']}: boilerplate group within one story")
            check(all(byid[m]["role"] == "boilerplate" for m in g["members"]),
                  f"{g['id']}: non-boilerplate member")
            check(all(bool(byid[m].get("chrome")) == bool(g.get("chrome")) for m in g["members"]),
                  f"{g['id']}: page chrome and template boilerplate in one group")
    # editorial paragraphs outside any group have unique normalized text
    grouped = {m for g in truth["groups"] for m in g["members"]} | set(truth["ignore"])
    counts = {}
    for p in truth["paragraphs"]:
        if p["role"] in ("body", "title"):
            counts[norm[p["id"]]] = counts.get(norm[p["id"]], 0) + 1
    for p in truth["paragraphs"]:
        if p["role"] in ("body", "title") and p["id"] not in grouped:
            check(counts[norm[p["id"]]] == 1, f"{p['id']}: ungrouped but text repeats")
    # normalization-only edits: every member with such edits matches an unedited member
    for g in truth["groups"]:
        if g["kind"] == "exact" and g["edits"]:
            raw = {texts[m] for m in g["members"]}
            check(len(raw) >= 1, "")
    check(n_exact > 0 and n_near > 0, "corpus has no exact or no near groups")
    return texts


def scope(docs):
    s = set(docs)
    return "within" if len(s) == 1 else ("across" if len(s) == len(docs) else "both")


def doc_of(p):
    return p["path"] + ("#" + p["record"] if "record" in p else "")


def occ(p):
    o = {"path": p["path"], "start_line": p["start_line"], "end_line": p["end_line"],
         "start_byte": 0, "end_byte": 0, "paragraph": p.get("paragraph", 0), "text": ""}
    if "record" in p:
        o["record"] = {"id": p["record"], "number": p["start_line"], "line": p["start_line"],
                       "field": "body"}
    if p["path"].endswith(".html"):
        o["region"] = "chrome" if p.get("chrome") else "body"
    return o


def finding(truth, kind, ids, fid):
    byid = {p["id"]: p for p in truth["paragraphs"]}
    ps = [byid[i] for i in ids]
    return {"id": fid, "kind": kind, "similarity": 1.0, "scope": scope([doc_of(p) for p in ps]),
            "occurrences": [occ(p) for p in ps]}


def perfect_report(truth, min_words=0):
    fs = []
    for g in truth["groups"]:
        fs.append(finding(truth, g["kind"], g["members"], f"F{len(fs) + 1}"))
    blocks = []
    byid = {p["id"]: p for p in truth["paragraphs"]}
    for pl in truth["planted_within"]:
        if pl["kind"] == "exact" and len(pl["first"]) >= 2:
            a, b = byid[pl["first"][0]], byid[pl["repeat"][0]]
            blocks.append({"path": a["path"],
                           "first": {"start_line": a["start_line"], "paragraphs": [a["paragraph"]]},
                           "repeat": {"start_line": b["start_line"], "paragraphs": [b["paragraph"]]}})
    return {"version": 1, "settings": {"threshold": 0.7, "min_words": min_words},
            "findings": fs, "blocks": blocks, "suggestions": [], "errors": []}


def brute(truth, report):
    """Reference pair counts by enumeration."""
    T = scorer.Truth(truth)
    idx = {}
    for f in report["findings"]:
        s = set()
        for o in f["occurrences"]:
            i, _, _ = T.locate_occ(o)
            if i is not None and i not in T.ignore:
                s.add(i)
        idx.setdefault(f["kind"], []).append(s)
    pairs = {}
    for k, sets in idx.items():
        ps = set()
        for s in sets:
            ps.update(itertools.combinations(sorted(s), 2))
        pairs[k] = ps
    allp = set().union(*pairs.values()) if pairs else set()
    ch = T.is_chrome
    exact_t = {(a, b) for a, b in allp if T.exact_gid[a] is not None and T.exact_gid[a] == T.exact_gid[b]}
    out = {
        "exact": (len(pairs.get("exact", ())), len(pairs.get("exact", set()) & exact_t)),
        "near": (len(pairs.get("near", ())), sum(
            1 for a, b in pairs.get("near", ()) if T.near_gid[a] is not None
            and T.near_gid[a] == T.near_gid[b] and T.variant[a] != T.variant[b])),
        "boilerplate": (
            sum(1 for a, b in pairs.get("boilerplate", ()) if not (ch[a] and ch[b])),
            sum(1 for a, b in pairs.get("boilerplate", ()) if T.bp_gid[a] is not None
                and T.bp_gid[a] == T.bp_gid[b] and not ch[a])),
        "chrome": (
            sum(1 for a, b in pairs.get("boilerplate", ()) if ch[a] and ch[b]),
            sum(1 for a, b in pairs.get("boilerplate", ()) if T.bp_gid[a] is not None
                and T.bp_gid[a] == T.bp_gid[b] and ch[a])),
        "all": (len(allp), sum(1 for a, b in allp if T.agn[a] is not None and T.agn[a] == T.agn[b])),
    }
    bp = [p["role"] == "boilerplate" for p in truth["paragraphs"]]
    ed = {(a, b) for a, b in allp if not (bp[a] and bp[b])}
    out["editorial"] = (len(ed), sum(1 for a, b in ed if not bp[a] and T.agn[a] is not None
                                     and T.agn[a] == T.agn[b]))
    dc = {tuple(sorted(x)) for x in T.dont_care}
    if dc:
        dn = len(dc & pairs.get("near", set()))
        da = len(dc & allp)
        out["near"] = (out["near"][0] - dn, out["near"][1] - dn)
        out["editorial"] = (out["editorial"][0] - da, out["editorial"][1] - da)
        out["all"] = (out["all"][0] - da, out["all"][1] - da)
    return out


def random_report(truth, rng):
    """Groups split, merged, relabelled and mixed with random paragraphs."""
    paras = [p["id"] for p in truth["paragraphs"] if p["role"] != "heading"]
    fs = []
    groups = truth["groups"][:]
    rng.shuffle(groups)
    i = 0
    while i < len(groups):
        g = groups[i]
        mem = list(g["members"])
        r = rng.random()
        kind = g["kind"] if rng.random() < 0.8 else rng.choice(["exact", "near", "boilerplate"])
        if r < 0.2:
            i += 1
            continue  # missed
        if r < 0.35 and len(mem) > 2:
            rng.shuffle(mem)
            cut = rng.randint(1, len(mem) - 1)
            fs.append(finding(truth, kind, mem[:cut], f"F{len(fs) + 1}"))
            fs.append(finding(truth, kind, mem[cut:], f"F{len(fs) + 1}"))
        elif r < 0.45 and i + 1 < len(groups):
            mem += groups[i + 1]["members"][:3]
            fs.append(finding(truth, kind, sorted(set(mem)), f"F{len(fs) + 1}"))
            i += 1
        elif r < 0.55:
            mem += rng.sample(paras, 2)
            fs.append(finding(truth, kind, sorted(set(mem)), f"F{len(fs) + 1}"))
        else:
            fs.append(finding(truth, kind, mem, f"F{len(fs) + 1}"))
        if rng.random() < 0.1:  # overlapping duplicate finding
            fs.append(finding(truth, kind, mem[: max(2, len(mem) // 2)], f"F{len(fs) + 1}"))
        i += 1
    return {"version": 1, "settings": {"min_words": 6}, "findings": fs, "blocks": []}


def perfect_checks(name, truth):
    res = scorer.score(scorer.Truth(truth), perfect_report(truth))
    for k in scorer.ROWS:
        r = res["pairs"][k]
        if r["truth"] == 0 and r["reported"] == 0:
            continue  # no page chrome in a txt/md corpus
        check(r["precision"] == 1.0 and r["recall"] == 1.0,
              f"{name}: {k} P={r['precision']} R={r['recall']}")
    bpp = res["boilerplate_paragraphs"]
    check(bpp["precision"] == 1.0 and bpp["recall"] == 1.0, f"{name}: boilerplate paragraphs {bpp}")
    check(bpp["leaked_into_exact_or_near"] == 0 and bpp["editorial_called_boilerplate"] == 0,
          f"{name}: leaks")
    for k, v in res["within_planted"].items():
        check(v["pairs"] == 0 or v["recall"] == 1.0, f"{name}: within {k} {v}")
    check(res["within_blocks"]["recall"] in (None, 1.0), f"{name}: blocks {res['within_blocks']}")
    for k, v in res["near_by_edit"].items():
        check(v["recall"] == 1.0, f"{name}: near edit {k} {v}")
    o = res["occurrences"]
    check(o["unmatched"] == 0 and o["span_mismatch"] == 0 and o["index_mismatch"] == 0,
          f"{name}: occurrences {o}")
    print(f"{name}: {'ok' if not FAILS else 'FAILED'} "
          f"(near-on-exact pairs {res['pairs']['near']['near_on_exact']}, "
          f"chrome pairs {res['pairs']['chrome']['truth']})")


def cases_checks(base):
    """make_cases.py: determinism, spans, labels, the new fields, and the scorer's
    per-language/per-case rows, template siblings and dont-care pairs."""
    from evalcommon import token_similarity
    ca, cb = os.path.join(base, "cases-a"), os.path.join(base, "cases-b")
    for d in (ca, cb):
        if os.path.isdir(d):
            shutil.rmtree(d)
    extra = ["--per-case", "8", "--singles", "3", "--force"]
    generate(ca, 5, extra, "0", "make_cases.py")
    generate(cb, 5, extra, "12345", "make_cases.py")
    check(dir_hash(ca) == dir_hash(cb), "make_cases: different PYTHONHASHSEED, outputs differ")
    truth = scorer.load(os.path.join(ca, "truth.json"))
    check_spans(ca, truth)
    texts = check_labels(ca, truth)
    byid = {p["id"]: p for p in truth["paragraphs"]}
    check(all("lang" in p and "case" in p for p in truth["paragraphs"]), "make_cases: lang/case missing")
    check(all("lang" in g and "case" in g for g in truth["groups"]), "make_cases: group lang/case missing")
    fmts = {f["format"] for f in truth["files"]}
    check({"html", "jsonl"} <= fmts, f"make_cases: formats {fmts}")
    langs = {p["lang"] for p in truth["paragraphs"]}
    check({"en", "ja", "zh"} <= langs, f"make_cases: languages {langs}")
    in_group = {m for g in truth["groups"] for m in g["members"]}
    sib = truth["template_siblings"]
    check(len(sib) > 0, "make_cases: no template siblings")
    for a, b in sib:
        check(a not in in_group and b not in in_group, f"sibling {a}/{b} is in a group")
        check(byid[a]["case"] == byid[b]["case"] == "template_sibling", f"sibling {a}/{b} case")
        check(normalize(texts[a]) != normalize(texts[b]), f"sibling {a}/{b} identical")
    near_of = {}
    for g in truth["groups"]:
        if g["kind"] == "near":
            for vi, v in enumerate(g["variants"]):
                for m in v:
                    near_of[m] = (g["id"], vi)
    check(len(truth["dont_care_pairs"]) > 0, "make_cases: no dont-care pairs")
    for a, c in truth["dont_care_pairs"]:
        ga, gc = near_of.get(a), near_of.get(c)
        check(ga and gc and ga[0] == gc[0] and ga[1] != gc[1], f"dont-care {a}/{c} not across variants")
        check(token_similarity(texts[a], texts[c]) < 0.7, f"dont-care {a}/{c} similarity >= 0.7")
        bs = [p["id"] for p in truth["paragraphs"] if p.get("chain") == "B"
              and near_of.get(p["id"], ("",))[0] == ga[0]]
        for b in bs:
            check(token_similarity(texts[a], texts[b]) >= 0.75 and
                  token_similarity(texts[b], texts[c]) >= 0.75, f"chain {a}/{b}/{c} links < 0.75")
    for pl in truth["planted_within"]:
        for x, y in zip(pl["first"], pl["repeat"]):
            check(normalize(texts[x]) == normalize(texts[y]), f"planted {x}/{y} differ")
    T = scorer.Truth(truth)
    rep = perfect_report(truth)
    res = scorer.score(T, rep)
    for k in ("exact", "near", "editorial", "boilerplate", "chrome", "all"):
        r = res["pairs"][k]
        check(r["precision"] == 1.0 and r["recall"] == 1.0, f"cases perfect: {k} {r}")
    check(res["dont_care"]["found_as_near"] == len(truth["dont_care_pairs"]),
          "cases perfect: the chain findings should hold the dont-care pairs")
    check(res["template_siblings"]["reported_as_near"] == 0, "cases perfect: siblings")
    for field in ("lang", "case"):
        for v, row in res["by"][field].items():
            if v == "(mixed)":
                continue
            for k in ("exact", "near", "exact_near", "within", "boilerplate_paragraphs",
                      "boilerplate_pairs"):
                x = row[k]
                check(x["truth"] == 0 and x["reported"] == 0 or
                      (x["precision"] == 1.0 and x["recall"] == 1.0),
                      f"cases perfect by {field}={v}: {k} {x}")
    # siblings as near findings count; as an informational kind they count nowhere
    fs = list(rep["findings"])
    sib_near = [finding(truth, "near", [a, b], f"S{i}") for i, (a, b) in enumerate(sib)]
    sib_info = [dict(finding(truth, "near", [a, b], f"I{i}"), kind="sibling")
                for i, (a, b) in enumerate(sib)]
    r1 = scorer.score(T, dict(rep, findings=fs + sib_near))
    check(r1["template_siblings"]["reported_as_near"] == len(sib), "siblings as near not counted")
    check(r1["pairs"]["near"]["reported"] == res["pairs"]["near"]["reported"] + len(sib),
          "siblings as near: wrong near pairs")
    r2 = scorer.score(T, dict(rep, findings=fs + sib_info))
    check(r2["template_siblings"]["reported_as_near"] == 0, "sibling kind counted as near")
    check(r2["pairs"] == res["pairs"], "an informational finding kind changed the rows")
    # a report of near groups without the chains' C variants: recall unaffected by A-C
    chain_c = {p["id"] for p in truth["paragraphs"] if p.get("chain") == "C"}
    fs3 = []
    for f, g in zip(rep["findings"], truth["groups"]):
        if g["kind"] == "near" and g["case"] == "chain":
            f = finding(truth, "near", [m for m in g["members"] if m not in chain_c], f["id"])
        fs3.append(f)
    r3 = scorer.score(T, dict(rep, findings=fs3))
    exp = sum(1 for g in truth["groups"] if g["kind"] == "near" and g["case"] == "chain")
    check(r3["pairs"]["near"]["truth"] - r3["pairs"]["near"]["true_positive"] == exp,
          f"chains without C: {r3['pairs']['near']} (expected {exp} missed B-C pairs)")
    rng = random.Random(5)
    for trial in range(10):
        rr = random_report(truth, rng)
        got = scorer.score(T, rr)
        ref = brute(truth, rr)
        for k in scorer.ROWS:
            g = (got["pairs"][k]["reported"], got["pairs"][k]["true_positive"])
            check(g == ref[k], f"cases random report {trial}: {k} {g} != brute force {ref[k]}")
    print(f"make_cases: {truth['stats']['documents']} documents, langs {sorted(langs)}, "
          f"{len(sib)} sibling pairs, {len(truth['dont_care_pairs'])} dont-care pairs: "
          f"{'ok' if not FAILS else 'FAILED'}")


def main():
    ap = argparse.ArgumentParser(description="self-test of make_eval.py and score.py")
    ap.add_argument("--keep", help="generate into this directory and keep it")
    args = ap.parse_args()
    base = args.keep or tempfile.mkdtemp(prefix="paradup-eval-selftest-")
    a, b = os.path.join(base, "a"), os.path.join(base, "b")
    for d in (a, b):
        if os.path.isdir(d):
            shutil.rmtree(d)
    extra = ["--stories", "24", "--within-rate", "0.3", "--within-near-rate", "0.2"]
    generate(a, 7, extra, "0")
    generate(b, 7, extra, "12345")
    check(dir_hash(a) == dir_hash(b), "same seed, different PYTHONHASHSEED: outputs differ")
    c = os.path.join(base, "c")
    if os.path.isdir(c):
        shutil.rmtree(c)
    generate(c, 8, extra, "0")
    check(dir_hash(a) != dir_hash(c), "different seeds gave identical corpora")
    # all four formats (larger html/jsonl shares so that a tiny corpus has several of each)
    mx, my = os.path.join(base, "mixed-a"), os.path.join(base, "mixed-b")
    mextra = extra + ["--formats", "txt,md,html,jsonl", "--html-share", "0.4",
                      "--jsonl-share", "0.25"]
    for d in (mx, my):
        if os.path.isdir(d):
            shutil.rmtree(d)
    generate(mx, 7, mextra, "0")
    generate(my, 7, mextra, "12345")
    check(dir_hash(mx) == dir_hash(my), "mixed formats, different PYTHONHASHSEED: outputs differ")
    print("determinism: ok" if not FAILS else "determinism: FAILED")

    truth = scorer.load(os.path.join(a, "truth.json"))
    check_spans(a, truth)
    check_labels(a, truth)
    st = truth["stats"]
    print(f"labels: {st['files']} files, {st['paragraphs']} paragraphs, groups {st['groups']}, "
          f"truth pairs {st['truth_pairs']}, planted within {st['planted_within']}")
    mtruth = scorer.load(os.path.join(mx, "truth.json"))
    fmts = {}
    for f in mtruth["files"]:
        fmts[f["format"]] = fmts.get(f["format"], 0) + 1
    check(all(fmts.get(k) for k in ("txt", "md", "html", "jsonl")), f"mixed corpus formats {fmts}")
    check_spans(mx, mtruth)
    check_labels(mx, mtruth)
    check(mtruth["stats"]["truth_pairs"]["chrome"] > 0, "mixed corpus: no page chrome groups")
    # same seed: the same stories, edits and template boilerplate, whatever the formats
    same = [(p["origin"], p["story"], p.get("edits")) for p in truth["paragraphs"]
            if p["role"] == "body"]
    msame = [(p["origin"], p["story"], p.get("edits")) for p in mtruth["paragraphs"]
             if p["role"] == "body"]
    check(same == msame, "txt,md and mixed corpora of one seed differ in body paragraphs")
    print(f"mixed labels: {mtruth['stats']['documents']} documents in {mtruth['stats']['files']} "
          f"files {fmts}, truth pairs {mtruth['stats']['truth_pairs']}: "
          f"{'ok' if not FAILS else 'FAILED'}")

    T = scorer.Truth(truth)
    # 1. perfect report (text corpus, then all four formats)
    for name, tr in (("perfect report", truth), ("perfect report (html+jsonl)", mtruth)):
        perfect_checks(name, tr)

    # 2. known damage: drop every other near group, report exact groups as near,
    #    and add one bogus finding joining two unrelated body paragraphs.
    groups = truth["groups"]
    near = [g for g in groups if g["kind"] == "near"]
    exact = [g for g in groups if g["kind"] == "exact"]
    bp = [g for g in groups if g["kind"] == "boilerplate"]
    kept_near = near[::2]
    fs = []
    for g in kept_near:
        fs.append(finding(truth, "near", g["members"], f"F{len(fs) + 1}"))
    relabel = exact[:3]
    for g in exact[3:]:
        fs.append(finding(truth, "exact", g["members"], f"F{len(fs) + 1}"))
    for g in relabel:
        fs.append(finding(truth, "near", g["members"], f"F{len(fs) + 1}"))
    for g in bp:
        fs.append(finding(truth, "boilerplate", g["members"], f"F{len(fs) + 1}"))
    grouped = {m for g in groups for m in g["members"]} | set(truth["ignore"])
    lonely = [p for p in truth["paragraphs"] if p["role"] == "body" and p["id"] not in grouped]
    fs.append(finding(truth, "near", [lonely[0]["id"], lonely[1]["id"]], "Fbogus"))
    fs.append({"id": "Fghost", "kind": "exact", "similarity": 1.0, "scope": "across",
               "occurrences": [occ(lonely[2]), {"path": "no/such.txt", "start_line": 1,
                                                "end_line": 1}]})
    rep = {"version": 1, "settings": {"min_words": 0}, "findings": fs}
    res = scorer.score(T, rep)

    def c2(n):
        return n * (n - 1) // 2

    def near_pairs(g):
        return c2(len(g["members"])) - sum(c2(len(v)) for v in g["variants"])

    exp_near_tp = sum(near_pairs(g) for g in kept_near)
    exp_near_truth = sum(near_pairs(g) for g in near)
    # exact groups that belong to a kept near group are found through it only as
    # near-on-exact; relabelled exact groups likewise.
    kept_ids = {m for g in kept_near for m in g["members"]}
    on_exact = sum(c2(len(g["members"])) for g in exact if g["members"][0] in kept_ids)
    on_exact += sum(c2(len(g["members"])) for g in relabel if g["members"][0] not in kept_ids)
    exp_exact_truth = sum(c2(len(g["members"])) for g in exact)
    exp_exact_tp = exp_exact_truth - sum(c2(len(g["members"])) for g in relabel)
    r = res["pairs"]
    check(r["near"]["true_positive"] == exp_near_tp, f"damage: near tp {r['near']['true_positive']} != {exp_near_tp}")
    check(r["near"]["truth"] == exp_near_truth, "damage: near truth")
    check(r["near"]["near_on_exact"] == on_exact, f"damage: near-on-exact {r['near']['near_on_exact']} != {on_exact}")
    check(r["near"]["reported"] == exp_near_tp + on_exact + 1, "damage: near reported")
    check(abs(r["near"]["precision"] - exp_near_tp / (exp_near_tp + 1)) < 1e-12, "damage: near precision")
    check(r["exact"]["true_positive"] == exp_exact_tp, "damage: exact tp")
    check(r["exact"]["reported"] == exp_exact_tp + 1, "damage: exact reported (ghost pair)")
    check(abs(r["exact"]["recall"] - exp_exact_tp / exp_exact_truth) < 1e-12, "damage: exact recall")
    check(r["exact"]["agnostic_recall"] > r["exact"]["recall"] or not relabel,
          "damage: agnostic exact recall should credit exact pairs reported as near")
    check(r["boilerplate"]["precision"] == 1.0 and r["boilerplate"]["recall"] == 1.0, "damage: bp")
    check(res["occurrences"]["unmatched"] == 1, "damage: unmatched count")
    print(f"known-damage report: {'ok' if not FAILS else 'FAILED'} (near P {r['near']['precision']:.3f} "
          f"R {r['near']['recall']:.3f}; exact P {r['exact']['precision']:.3f} R {r['exact']['recall']:.3f} "
          f"agnR {r['exact']['agnostic_recall']:.3f})")

    # 3. random reports against brute force
    rng = random.Random(3)
    MT = scorer.Truth(mtruth)
    for trial in range(40):
        tr, TT = (truth, T) if trial < 25 else (mtruth, MT)
        rep = random_report(tr, rng)
        res = scorer.score(TT, rep)
        ref = brute(tr, rep)
        for k in scorer.ROWS:
            got = (res["pairs"][k]["reported"], res["pairs"][k]["true_positive"])
            check(got == ref[k], f"random report {trial}: {k} counts {got} != brute force {ref[k]}")
    # union_pairs on hand-made sets
    U = scorer.union_pairs
    check(U([{1, 2, 3}, {3, 4}]) == 4, "union_pairs chain")
    check(U([{1, 2, 3}, {1, 2}]) == 3, "union_pairs nested")
    check(U([{1, 2}, {2, 3}, {1, 3}]) == 3, "union_pairs triangle")
    check(U([{1, 2, 3, 4}, {3, 4, 5}, {5, 1}]) == 6 + 2 + 1, "union_pairs overlap")
    print(f"random reports vs brute force: {'ok' if not FAILS else 'FAILED'}")
    cases_checks(base)
    if not args.keep:
        shutil.rmtree(base)
    print("SELFTEST", "FAILED" if FAILS else "PASSED", f"({len(FAILS)} failures)")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
