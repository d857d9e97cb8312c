#!/usr/bin/env python3
"""Equivalence test of the scaled-out path (run by .ci/run).

`paradup fingerprint` (4 shards) -> `scale/spark_join.py` (Spark, local mode) ->
`paradup verify` must report exactly what one `paradup scan` of the same root reports:
the same findings, blocks, suggestions, errors, warnings and counts. Only `timing`
differs. Run on the bundled corpus and on a generated 100 MB corpus.

    python3 tests/scale/equivalence.py BINARY [ROOT...]

Without ROOT: `corpus` and `target/bench-corpus-100mb` (generated here with the
benchmark's generator when missing). Needs PySpark (`.ci/run` installs it) and Java.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARDS = 4


def run(cmd, **kw):
    started = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, **kw)
    if proc.returncode not in (0, 1):
        sys.exit(f"FAILED ({proc.returncode}): {' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}")
    return time.perf_counter() - started


def without_timing(report):
    report = dict(report)
    report.pop("timing", None)
    return report


def differences(a, b, where="", out=None, limit=20):
    """Paths at which two JSON values differ (at most `limit`)."""
    out = [] if out is None else out
    if len(out) >= limit:
        return out
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                out.append(f"{where}.{key}: only in {'scan' if key in a else 'verify'}")
            else:
                differences(a[key], b[key], f"{where}.{key}", out, limit)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{where}: {len(a)} items in scan, {len(b)} in verify")
        for i, (x, y) in enumerate(zip(a, b)):
            differences(x, y, f"{where}[{i}]", out, limit)
    elif a != b:
        out.append(f"{where}: scan {a!r}, verify {b!r}")
    return out


def check(binary, root, work):
    scan_json = os.path.join(work, "scan.json")
    shards = os.path.join(work, "shards")
    candidates = os.path.join(work, "candidates")
    verify_json = os.path.join(work, "verify.json")
    t_scan = run([binary, "scan", root, "--format", "json", "-o", scan_json, "--fail-on", "never", "-q"])
    t_fp = sum(run([binary, "fingerprint", root, "--out", shards, "--shard", f"{i}/{SHARDS}", "-q"])
               for i in range(SHARDS))
    env = dict(os.environ)
    env.setdefault("PARADUP_SPARK_MASTER", "local[2]")
    t_join = run([sys.executable, "scale/spark_join.py", shards, candidates], env=env)
    t_verify = run([binary, "verify", "--candidates", candidates, "--format", "json", "-o", verify_json,
                    "--fail-on", "never"])
    with open(scan_json) as f:
        scanned = without_timing(json.load(f))
    with open(verify_json) as f:
        verified = without_timing(json.load(f))
    diff = differences(scanned, verified)
    stats = scanned["stats"]
    print(f"{root}: {stats['documents']} documents, {stats['paragraphs']} paragraphs, "
          f"{stats['findings']} findings; scan {t_scan:.1f} s, fingerprint {SHARDS} shards "
          f"{t_fp:.1f} s, join {t_join:.1f} s, verify {t_verify:.1f} s")
    if diff:
        print("  verify differs from scan:\n    " + "\n    ".join(diff))
        return False
    if stats["findings"] == 0:
        print("  no findings: nothing was compared")
        return False
    print("  identical reports (timing aside)")
    return True


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    roots = sys.argv[2:] or ["corpus", "target/bench-corpus-100mb"]
    for root in roots:
        if root.startswith("target/bench-corpus-") and not os.path.isdir(os.path.join(REPO, root)):
            mb = root.rsplit("-", 1)[1].removesuffix("mb")
            env = dict(os.environ, PARADUP_BENCH_MB=mb)
            subprocess.run(["cargo", "bench", "--bench", "scan", "--quiet", "--", "--generate-only"],
                           cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
    ok = True
    for root in roots:
        work = tempfile.mkdtemp(prefix="paradup-scale-")
        try:
            ok = check(binary, root, work) and ok
        finally:
            shutil.rmtree(work, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
