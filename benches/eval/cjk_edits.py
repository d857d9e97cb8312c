"""CJK near recall by characters changed: for each planted cjk_near variant (one
`char_edit` of n characters against the group's original, variant 0), whether the
report puts the variant and the original in one near finding. The pairs of the Done
line of issue 17 ("CJK near, 1-3 character edits in 40-120 characters").

    python3 benches/eval/cjk_edits.py --truth DIR/truth.json --report r.json
"""

import argparse
import collections
import json
import re
import sys


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--truth", required=True)
    ap.add_argument("--report", required=True)
    a = ap.parse_args(argv)
    truth = json.load(open(a.truth, encoding="utf-8"))
    report = json.load(open(a.report, encoding="utf-8"))
    paras = {p["id"]: p for p in truth["paragraphs"]}
    # (path, record, paragraph) -> near finding ids
    near_of = collections.defaultdict(set)
    for f in report["findings"]:
        if f["kind"] != "near":
            continue
        for o in f["occurrences"]:
            rec = (o.get("record") or {}).get("id") if isinstance(o.get("record"), dict) else o.get("record")
            near_of[(o["path"], rec, o["paragraph"])].add(f["id"])

    def key(pid):
        p = paras[pid]
        return (p["path"], p.get("record"), p["paragraph"])

    found = collections.Counter()
    total = collections.Counter()
    for g in truth["groups"]:
        if g.get("case") != "cjk_near":
            continue
        original = g["variants"][0][0]
        for variant, details in zip(g["variants"][1:], g["variant_details"][1:]):
            m = re.search(r"char_edit (\d+) characters", " ".join(details))
            if not m:
                continue
            n = int(m.group(1))
            bucket = "1-3" if n <= 3 else "4-5"
            for pid in variant:
                total[(g["lang"], bucket)] += 1
                if near_of[key(pid)] & near_of[key(original)]:
                    found[(g["lang"], bucket)] += 1
    for bucket in ("1-3", "4-5"):
        t = sum(v for (l, b), v in total.items() if b == bucket)
        f = sum(v for (l, b), v in found.items() if b == bucket)
        per = ", ".join(f"{l} {found[(l, bucket)]}/{total[(l, bucket)]}"
                        for l in sorted({l for (l, b) in total if b == bucket}))
        print(f"CJK near, {bucket} characters changed: {f}/{t} ({f / max(t, 1):.3f}); {per}")


if __name__ == "__main__":
    sys.exit(main())
