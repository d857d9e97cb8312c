#!/usr/bin/env python3
"""Side-by-side comparison (run by benches/compare.sh; Python 3 + datasketch).

Subcommands:

  datasketch DIR      time the MinHash LSH pipeline a Python user would write with
                      datasketch: split every file into paragraphs, normalize, word-bigram
                      shingles, MinHash with 128 permutations, MinHashLSH at the Jaccard
                      threshold paradup's banding targets, candidate pairs verified at the
                      same word-level similarity (0.7). Prints seconds and pair counts.
  recall DIR REPORT...  precision and recall of paradup's report(s) and of the datasketch
                      pipeline on the paragraphs of DIR (a ~20,000-paragraph sample),
                      against the exact answer: every pair of paragraphs with >= 6 words
                      sharing a word bigram (one held by at most 2,000 texts) is compared
                      by word-level similarity; a pair is a duplicate when the similarity
                      is >= 0.7.
"""

import json
import os
import sys
import time
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "eval"))
from evalcommon import normalize, word_similarity, words  # noqa: E402

MIN_WORDS = 6
THRESHOLD = 0.7
# paradup bands 24 x 3 rows: the S-curve's midpoint (1/24)^(1/3) ~ 0.35 Jaccard. datasketch
# is given the same operating point.
LSH_JACCARD = 0.35
PERMUTATIONS = 128
# Shingles in more texts than this are not used to pair texts up in the brute force.
COMMON_SHINGLE = 2000


def paragraphs(root, extensions=(".txt", ".md")):
    """(path, index, normalized words) of every paragraph of >= MIN_WORDS words. For the
    recall check only `.txt` files are read: there a blank-line block is exactly a paradup
    paragraph, so indices line up with the report's."""
    out = []
    for dirpath, _, files in sorted(os.walk(root)):
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(extensions):
                continue
            path = os.path.join(dirpath, name)
            text = open(path, encoding="utf-8", errors="replace").read().replace("\r\n", "\n")
            blocks = [b for b in text.split("\n\n") if b.strip()]
            for i, block in enumerate(blocks):
                w = words(normalize(block))
                if len(w) >= MIN_WORDS:
                    out.append((os.path.relpath(path, root), i, w))
    return out


def shingles(w):
    return {w[i] + " " + w[i + 1] for i in range(len(w) - 1)} or set(w)


def datasketch_pairs(paras, expand=True):
    """The pipeline a careful Python user writes: identical texts grouped first (a dict),
    MinHash + LSH over the distinct texts, candidates verified at THRESHOLD. Returns the
    candidate and verified pairs of distinct texts, and (with `expand`) the verified
    pairs of paragraphs."""
    from datasketch import MinHash, MinHashLSH

    groups = defaultdict(list)
    for i, (_, _, w) in enumerate(paras):
        groups[tuple(w)].append(i)
    distinct = list(groups)
    lsh = MinHashLSH(threshold=LSH_JACCARD, num_perm=PERMUTATIONS)
    hashes = []
    for i, w in enumerate(distinct):
        m = MinHash(num_perm=PERMUTATIONS)
        m.update_batch([s.encode() for s in shingles(list(w))])
        lsh.insert(i, m)
        hashes.append(m)
    candidates = set()
    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            if j != i:
                candidates.add((min(i, j), max(i, j)))
    verified = {p for p in candidates if word_similarity(list(distinct[p[0]]), list(distinct[p[1]])) >= THRESHOLD}
    pairs = set()
    if expand:
        for ids in groups.values():
            pairs.update((ids[a], ids[b]) for a in range(len(ids)) for b in range(a + 1, len(ids)))
        for a, b in verified:
            pairs.update((min(x, y), max(x, y)) for x in groups[distinct[a]] for y in groups[distinct[b]])
    return candidates, verified, pairs


def cmd_datasketch(root):
    started = time.perf_counter()
    paras = paragraphs(root)
    candidates, verified, _ = datasketch_pairs(paras, expand=False)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": round(seconds, 2), "paragraphs": len(paras),
                      "candidate_text_pairs": len(candidates), "verified_text_pairs": len(verified)}))


def truth_pairs(paras):
    """Every pair of paragraphs at or above THRESHOLD: identical texts pair up directly;
    distinct texts sharing a shingle are compared one by one (no sampling, no hashing)."""
    groups = defaultdict(list)
    for i, (_, _, w) in enumerate(paras):
        groups[tuple(w)].append(i)
    distinct = list(groups)
    index = defaultdict(list)
    for t, w in enumerate(distinct):
        for s in shingles(list(w)):
            index[s].append(t)
    similar = set()
    seen = set()
    for ids in index.values():
        # A bigram held by thousands of texts ("of the") would make this quadratic; two
        # texts at similarity >= 0.7 share most of their bigrams, so they also share a
        # rarer one and are still compared through it.
        if len(ids) > COMMON_SHINGLE:
            continue
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                pair = (ids[a], ids[b])
                if pair in seen:
                    continue
                seen.add(pair)
                if word_similarity(list(distinct[pair[0]]), list(distinct[pair[1]])) >= THRESHOLD:
                    similar.add(pair)
    truth = set()
    for ids in groups.values():
        truth.update((ids[a], ids[b]) for a in range(len(ids)) for b in range(a + 1, len(ids)))
    for a, b in similar:
        truth.update((min(x, y), max(x, y)) for x in groups[distinct[a]] for y in groups[distinct[b]])
    return truth


def report_pairs(paras, report):
    where = {(p, i): n for n, (p, i, _) in enumerate(paras)}
    pairs = set()
    for f in report["findings"]:
        if f["kind"] == "boilerplate" and f["similarity"] < THRESHOLD:
            continue
        ids = sorted({where[(o["path"], o["paragraph"])] for o in f["occurrences"] if (o["path"], o["paragraph"]) in where})
        for a in range(len(ids)):
            for b in range(a + 1, len(ids)):
                pairs.add((ids[a], ids[b]))
    return pairs


def score(found, truth):
    hit = len(found & truth)
    precision = hit / len(found) if found else 1.0
    recall = hit / len(truth) if truth else 1.0
    return {"precision": round(precision, 5), "recall": round(recall, 5), "found": len(found),
            "correct": hit, "missed": len(truth) - hit}


def cmd_recall(root, report_paths):
    """Scores one report (`paradup`), or several against one brute force (`paradup 1`,
    `paradup 2`, ...: a before/after comparison costs one exact answer)."""
    paras = paragraphs(root, (".txt",))
    reports = [json.load(open(p)) for p in report_paths]
    started = time.perf_counter()
    truth = truth_pairs(paras)
    brute = time.perf_counter() - started
    result = {"paragraphs": len(paras), "truth_pairs": len(truth), "brute_force_seconds": round(brute, 1)}
    for n, report in enumerate(reports, 1):
        name = "paradup" if len(reports) == 1 else f"paradup {n} ({report_paths[n - 1]})"
        result[name] = score(report_pairs(paras, report), truth)
    _, _, theirs = datasketch_pairs(paras)
    result["datasketch"] = score(theirs, truth)
    print(json.dumps(result))


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "datasketch":
        cmd_datasketch(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "recall":
        cmd_recall(sys.argv[2], sys.argv[3:])
    else:
        print(__doc__)
        sys.exit(2)
