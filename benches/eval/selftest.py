#!/usr/bin/env python3
"""Self-test of the evaluation harness (no paradup binary needed).

    python3 benches/eval/selftest.py [--keep DIR]

1. Generates a tiny corpus twice (different PYTHONHASHSEED) and checks the bytes match.
2. Checks truth.json against the files: paragraph spans are exactly the blank-line
   separated blocks of each file (front matter aside), exact groups share normalized
   text, near variants differ, normalization-only edits really normalize alike.
3. Scores a perfect hand-built report (expects 1.0 everywhere), a report with known
   damage (expects exact partial numbers), and random reports whose pair counts are
   checked against brute-force enumeration.
"""

import argparse
import hashlib
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


def generate(out, seed, extra=(), hashseed="0"):
    env = dict(os.environ, PYTHONHASHSEED=hashseed)
    cmd = [sys.executable, os.path.join(HERE, "make_eval.py"), "--out", out, "--seed", str(seed),
           "--quiet", *extra]
    subprocess.run(cmd, check=True, env=env)


def read_lines(path):
    with open(path, encoding="utf-8", newline="") as f:
        text = f.read()
    return text.replace("\r\n", "\n").split("\n")


def check_spans(d, truth):
    by_path = {}
    for p in truth["paragraphs"]:
        by_path.setdefault(p["path"], []).append(p)
    for f in truth["files"]:
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


def paragraph_texts(d, truth):
    cache = {}
    out = {}
    for p in truth["paragraphs"]:
        if p["path"] not in cache:
            cache[p["path"]] = read_lines(os.path.join(d, p["path"]))
        lines = cache[p["path"]][p["start_line"] - 1:p["end_line"]]
        out[p["id"]] = "\n".join(lines)
    return out


def check_labels(d, truth):
    texts = paragraph_texts(d, truth)
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


def scope(paths):
    s = set(paths)
    return "within" if len(s) == 1 else ("across" if len(s) == len(paths) else "both")


def occ(p):
    return {"path": p["path"], "start_line": p["start_line"], "end_line": p["end_line"],
            "start_byte": 0, "end_byte": 0, "paragraph": 0, "text": ""}


def finding(truth, kind, ids, fid):
    byid = {p["id"]: p for p in truth["paragraphs"]}
    ps = [byid[i] for i in ids]
    return {"id": fid, "kind": kind, "similarity": 1.0, "scope": scope([p["path"] for p in ps]),
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
            blocks.append({"path": a["path"], "first": {"start_line": a["start_line"]},
                           "repeat": {"start_line": b["start_line"]}})
    return {"version": 1, "settings": {"threshold": 0.7, "min_words": min_words},
            "findings": fs, "blocks": blocks, "suggestions": [], "errors": []}


def brute(truth, report):
    """Reference pair counts by enumeration."""
    T = scorer.Truth(truth)
    idx = {}
    for f in report["findings"]:
        s = set()
        for o in f["occurrences"]:
            i, _ = T.locate(o["path"], o["start_line"], o["end_line"])
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
    exact_t = {(a, b) for a, b in allp if T.exact_gid[a] is not None and T.exact_gid[a] == T.exact_gid[b]}
    out = {
        "exact": (len(pairs.get("exact", ())), len(pairs.get("exact", set()) & exact_t)),
        "near": (len(pairs.get("near", ())), sum(
            1 for a, b in pairs.get("near", ()) if T.near_gid[a] is not None
            and T.near_gid[a] == T.near_gid[b] and T.variant[a] != T.variant[b])),
        "boilerplate": (len(pairs.get("boilerplate", ())), sum(
            1 for a, b in pairs.get("boilerplate", ()) if T.bp_gid[a] is not None
            and T.bp_gid[a] == T.bp_gid[b])),
        "all": (len(allp), sum(1 for a, b in allp if T.agn[a] is not None and T.agn[a] == T.agn[b])),
    }
    bp = [p["role"] == "boilerplate" for p in truth["paragraphs"]]
    ed = {(a, b) for a, b in allp if not (bp[a] and bp[b])}
    out["editorial"] = (len(ed), sum(1 for a, b in ed if not bp[a] and T.agn[a] is not None
                                     and T.agn[a] == T.agn[b]))
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
    print("determinism: ok" if not FAILS else "determinism: FAILED")

    truth = scorer.load(os.path.join(a, "truth.json"))
    check_spans(a, truth)
    check_labels(a, truth)
    st = truth["stats"]
    print(f"labels: {st['files']} files, {st['paragraphs']} paragraphs, groups {st['groups']}, "
          f"truth pairs {st['truth_pairs']}, planted within {st['planted_within']}")

    T = scorer.Truth(truth)
    # 1. perfect report
    res = scorer.score(T, perfect_report(truth))
    for k in scorer.ROWS:
        r = res["pairs"][k]
        check(r["precision"] == 1.0 and r["recall"] == 1.0,
              f"perfect report: {k} P={r['precision']} R={r['recall']}")
    bpp = res["boilerplate_paragraphs"]
    check(bpp["precision"] == 1.0 and bpp["recall"] == 1.0, f"perfect report: boilerplate paragraphs {bpp}")
    check(bpp["leaked_into_exact_or_near"] == 0 and bpp["editorial_called_boilerplate"] == 0,
          "perfect report: leaks")
    for k, v in res["within_planted"].items():
        check(v["pairs"] == 0 or v["recall"] == 1.0, f"perfect report: within {k} {v}")
    check(res["within_blocks"]["recall"] in (None, 1.0), "perfect report: blocks")
    for k, v in res["near_by_edit"].items():
        check(v["recall"] == 1.0, f"perfect report: near edit {k} {v}")
    check(res["occurrences"]["unmatched"] == 0, "perfect report: unmatched occurrences")
    print(f"perfect report: {'ok' if not FAILS else 'FAILED'} "
          f"(near-on-exact pairs {res['pairs']['near']['near_on_exact']})")

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
    for trial in range(25):
        rep = random_report(truth, rng)
        res = scorer.score(T, rep)
        ref = brute(truth, rep)
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
    if not args.keep:
        shutil.rmtree(base)
    print("SELFTEST", "FAILED" if FAILS else "PASSED", f"({len(FAILS)} failures)")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
