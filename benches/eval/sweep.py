#!/usr/bin/env python3
"""Sweep paradup's --threshold and --min-words over generated evaluation corpora.

    cargo build --release
    python3 benches/eval/sweep.py                       # default grid, 3 corpora
    python3 benches/eval/sweep.py --thresholds 0.6,0.7,0.8 --min-words 4,6,8 --json sweep.json

Corpora are generated under --work (default /tmp/paradup-eval, never inside the repo) and
reused while their generator settings are unchanged. For every (corpus, T, M) it runs

    paradup scan DIR --format json -o REPORT --threshold T --min-words M --fail-on never

scores the report with score.py and prints one table per corpus plus the grid averaged
over corpora.
"""

import argparse
import json
import os
import subprocess
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the repo
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import score as scorer  # noqa: E402

DEFAULT_CORPORA = [
    "small-a:1:--stories 60",
    "small-b:2:--stories 60 --outlets 10 --agencies 4",
    "medium:3:--files 2000",
]


def f1(p, r):
    return 0.0 if not p or not r else 2 * p * r / (p + r)


def ensure_corpus(work, spec, regen, log):
    name, seed, extra = spec.split(":", 2)
    out = os.path.join(work, name)
    args = ["--out", out, "--seed", seed] + extra.split()
    stamp = os.path.join(work, f"{name}.args")
    want = " ".join(args)
    have = open(stamp).read() if os.path.isfile(stamp) else None
    if regen or have != want or not os.path.isfile(os.path.join(out, "truth.json")):
        log(f"generating {name}: make_eval.py {want}")
        t0 = time.time()
        subprocess.run([sys.executable, os.path.join(HERE, "make_eval.py"), *args, "--force",
                        "--quiet"], check=True)
        with open(stamp, "w") as f:
            f.write(want)
        log(f"  done in {time.time() - t0:.1f} s")
    return name, out


def row(res):
    p = res["pairs"]
    b = res["boilerplate_paragraphs"]
    w = res["within_planted"]
    return {
        "exact_p": p["exact"]["precision"], "exact_r": p["exact"]["recall"],
        "near_p": p["near"]["precision"], "near_r": p["near"]["recall"],
        "ed_p": p["editorial"]["precision"], "ed_r": p["editorial"]["recall"],
        "ed_f1": f1(p["editorial"]["precision"], p["editorial"]["recall"]),
        "bp_p": b["precision"], "bp_r": b["recall"], "bp_f1": f1(b["precision"], b["recall"]),
        "bp_leak": b["leaked_into_exact_or_near"], "ed_as_bp": b["editorial_called_boilerplate"],
        "win_ex": w["exact"]["recall"], "win_near": w["near"]["recall"],
        "near_on_exact": p["near"]["near_on_exact"],
    }


COLS = [("T", "{:>5.2f}"), ("M", "{:>3d}"), ("exP", "{:>5}"), ("exR", "{:>5}"), ("nrP", "{:>5}"),
        ("nrR", "{:>5}"), ("edP", "{:>5}"), ("edR", "{:>5}"), ("edF1", "{:>5}"), ("bpP", "{:>5}"),
        ("bpR", "{:>5}"), ("bpF1", "{:>5}"), ("leak", "{:>5}"), ("e>bp", "{:>5}"),
        ("wEx", "{:>5}"), ("wNr", "{:>5}"), ("sec", "{:>6}")]
KEYS = ["exact_p", "exact_r", "near_p", "near_r", "ed_p", "ed_r", "ed_f1", "bp_p", "bp_r",
        "bp_f1", "bp_leak", "ed_as_bp", "win_ex", "win_near", "seconds"]


def cell(v):
    if v is None:
        return "  -  "
    if isinstance(v, int):
        return str(v)
    return f"{v:.3f}" if v < 10 else f"{v:.1f}"


def print_table(title, rows):
    print(f"\n== {title}")
    print(" ".join(f"{c:>{5 if c not in ('M', 'sec') else (3 if c == 'M' else 6)}}" for c, _ in COLS))
    for r in rows:
        vals = [f"{r['T']:>5.2f}", f"{r['M']:>3d}"] + [
            f"{cell(r.get(k)):>{6 if k == 'seconds' else 5}}" for k in KEYS]
        print(" ".join(vals))
    best = max(rows, key=lambda r: (r["ed_f1"] or 0) + (r["bp_f1"] or 0))
    print(f"best editorial F1 + boilerplate F1: T={best['T']} M={best['M']} "
          f"(edF1 {cell(best['ed_f1'])}, bpF1 {cell(best['bp_f1'])})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(HERE, "..", "..", "target", "release", "paradup"))
    ap.add_argument("--work", default="/tmp/paradup-eval")
    ap.add_argument("--corpus", action="append", default=None,
                    help="NAME:SEED:MAKE_EVAL_ARGS (repeatable); default: "
                    + "; ".join(DEFAULT_CORPORA))
    ap.add_argument("--thresholds", default="0.5,0.6,0.65,0.7,0.75,0.8,0.85,0.9,0.95")
    ap.add_argument("--min-words", default="3,4,5,6,8,10")
    ap.add_argument("--regen", action="store_true", help="regenerate corpora")
    ap.add_argument("--keep-reports", action="store_true")
    ap.add_argument("--json", help="also write all results to this file")
    args = ap.parse_args()
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    binary = os.path.abspath(args.bin)
    if not os.access(binary, os.X_OK):
        sys.exit(f"error: {binary} not found; build it with `cargo build --release` or pass --bin")
    work = os.path.abspath(args.work)
    repo = os.path.abspath(os.path.join(HERE, "..", ".."))
    if work == repo or work.startswith(repo + os.sep):
        sys.exit("error: --work must be outside the repository")
    os.makedirs(work, exist_ok=True)
    thresholds = [float(x) for x in args.thresholds.split(",")]
    mins = [int(x) for x in args.min_words.split(",")]
    corpora = [ensure_corpus(work, s, args.regen, log) for s in (args.corpus or DEFAULT_CORPORA)]
    results = {}
    for name, d in corpora:
        truth = scorer.Truth(scorer.load(os.path.join(d, "truth.json")))
        st = truth.data["stats"]
        log(f"{name}: {st['files']} files, {st['paragraphs']} paragraphs, "
            f"{st['bytes'] / 1e6:.1f} MB")
        rows = []
        for t in thresholds:
            for m in mins:
                rep_path = os.path.join(work, f"report-{name}-T{t}-M{m}.json")
                cmd = [binary, "scan", d, "--format", "json", "-o", rep_path,
                       "--threshold", str(t), "--min-words", str(m), "--fail-on", "never"]
                t0 = time.time()
                proc = subprocess.run(cmd, capture_output=True, text=True)
                secs = time.time() - t0
                if proc.returncode not in (0, 1) or not os.path.isfile(rep_path):
                    log(f"  T={t} M={m}: paradup exited {proc.returncode}: {proc.stderr.strip()[:300]}")
                    continue
                res = scorer.score(truth, scorer.load(rep_path))
                if not args.keep_reports:
                    os.remove(rep_path)
                r = {"T": t, "M": m, "seconds": secs, **row(res)}
                if res["warnings"]:
                    r["warnings"] = res["warnings"]
                rows.append(r)
                log(f"  T={t} M={m}: edF1 {cell(r['ed_f1'])} bpF1 {cell(r['bp_f1'])} ({secs:.2f} s)")
        results[name] = {"stats": st, "rows": rows}
        if rows:
            print_table(f"{name} ({st['files']} files, {st['paragraphs']} paragraphs)", rows)
            for w in rows[0].get("warnings", []):
                print(f"warning: {w}")
    # grid averaged over corpora
    names = [n for n in results if results[n]["rows"]]
    if len(names) > 1:
        avg = []
        for t in thresholds:
            for m in mins:
                rs = [next((r for r in results[n]["rows"] if r["T"] == t and r["M"] == m), None)
                      for n in names]
                if any(r is None for r in rs):
                    continue
                a = {"T": t, "M": m}
                for k in KEYS:
                    vals = [r[k] for r in rs if r.get(k) is not None]
                    if not vals:
                        a[k] = None
                    elif k in ("bp_leak", "ed_as_bp"):
                        a[k] = sum(vals)
                    else:
                        a[k] = sum(vals) / len(vals)
                avg.append(a)
        if avg:
            print_table(f"mean over {', '.join(names)} (leak, e>bp: sums)", avg)
            results["_mean"] = {"rows": avg}
    print("\ncolumns: ex/nr/ed = exact/near/editorial (kind-agnostic exact+near) pair precision "
          "and recall; bp = boilerplate paragraph precision/recall; leak = boilerplate "
          "paragraphs in exact/near findings; e>bp = editorial paragraphs called boilerplate; "
          "wEx/wNr = recall of planted within-article exact/near repeats; sec = scan wall time")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
