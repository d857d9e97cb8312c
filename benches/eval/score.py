#!/usr/bin/env python3
"""Score a paradup JSON report (version 1 or 2) against an evaluation corpus's truth.json.

    python3 benches/eval/score.py --truth DIR/truth.json --report report.json [--json]

A finding with k occurrences asserts that every pair among them is a duplicate of the
finding's kind. Pairs are counted, never enumerated, so reports with huge boilerplate
findings score quickly. See README.md in this folder for every metric.
"""

import argparse
import json
import sys

sys.dont_write_bytecode = True  # keep __pycache__ out of the repo
from collections import defaultdict

KINDS = ("exact", "near", "boilerplate")
ROWS = ("exact", "near", "editorial", "boilerplate", "chrome", "all")


def c2(n):
    return n * (n - 1) // 2


def union_pairs(sets):
    """Number of distinct unordered pairs {a, b} such that a and b are together in at
    least one of `sets`. Elements with the same membership signature are counted as one
    class, so this is exact and near-linear for findings-shaped input."""
    sig = defaultdict(list)
    for i, s in enumerate(sets):
        if len(s) < 2:
            continue
        for e in s:
            sig[e].append(i)
    weight = defaultdict(int)
    for lst in sig.values():
        weight[tuple(lst)] += 1
    total = 0
    set_classes = defaultdict(list)
    for k, w in weight.items():
        total += c2(w)
        for i in k:
            set_classes[i].append(k)
    seen = set()
    for cls in set_classes.values():
        n = len(cls)
        for x in range(n):
            a = cls[x]
            for y in range(x + 1, n):
                b = cls[y]
                key = (a, b) if a < b else (b, a)
                if key in seen:
                    continue
                seen.add(key)
                total += weight[a] * weight[b]
    return total


def split(findings, key):
    """Each finding's members partitioned by key(p) (members with key None dropped)."""
    parts = []
    for f in findings:
        d = defaultdict(set)
        for p in f:
            k = key(p)
            if k is not None:
                d[k].add(p)
        parts.extend(d.values())
    return parts


def ratio(a, b):
    return None if b == 0 else a / b


def fmt(x):
    return "  -  " if x is None else f"{x:.3f}"


class Truth:
    def __init__(self, data):
        self.data = data
        self.paras = data["paragraphs"]
        self.by_pos = {}
        self.by_rec = {}
        self.by_path = defaultdict(list)
        for i, p in enumerate(self.paras):
            if "record" in p:  # a feed record's paragraph: path + record id + index
                self.by_rec[(p["path"], p["record"], p["paragraph"])] = i
                continue
            self.by_pos[(p["path"], p["start_line"])] = i
            self.by_path[p["path"]].append(i)
        self.is_chrome = [bool(p.get("chrome")) for p in self.paras]
        self.id_index = {p["id"]: i for i, p in enumerate(self.paras)}
        self.ignore = {self.id_index[x] for x in data.get("ignore", [])}
        self.doc = [p["path"] + ("#" + str(p["record"]) if "record" in p else "")
                    for p in self.paras]
        self.dont_care = [(self.id_index[a], self.id_index[b])
                          for a, b in data.get("dont_care_pairs", [])]
        n = len(self.paras)
        self.exact_gid = [None] * n
        self.near_gid = [None] * n
        self.variant = [None] * n
        self.bp_gid = [None] * n
        self.agn = [None] * n
        self.groups = data["groups"]
        self.truth_pairs = {"exact": 0, "near": 0, "boilerplate": 0, "chrome": 0, "all": 0}
        self.near_groups = []
        for gi, g in enumerate(self.groups):
            mem = [self.id_index[x] for x in g["members"]]
            if g["kind"] == "exact":
                for m in mem:
                    self.exact_gid[m] = gi
                self.truth_pairs["exact"] += c2(len(mem))
            elif g["kind"] == "near":
                self.near_groups.append(gi)
                vs = [[self.id_index[x] for x in v] for v in g["variants"]]
                for vi, v in enumerate(vs):
                    for m in v:
                        self.near_gid[m] = gi
                        self.variant[m] = (gi, vi)
                self.truth_pairs["near"] += c2(len(mem)) - sum(c2(len(v)) for v in vs)
            else:
                for m in mem:
                    self.bp_gid[m] = gi
                self.truth_pairs["chrome" if g.get("chrome") else "boilerplate"] += c2(len(mem))
        for i in range(n):
            if self.near_gid[i] is not None:
                self.agn[i] = ("g", self.near_gid[i])
            elif self.exact_gid[i] is not None:
                self.agn[i] = ("g", self.exact_gid[i])
            elif self.bp_gid[i] is not None:
                self.agn[i] = ("g", self.bp_gid[i])
        sizes = defaultdict(int)
        for a in self.agn:
            if a is not None:
                sizes[a] += 1
        self.truth_pairs["all"] = sum(c2(v) for v in sizes.values())

    def locate_occ(self, o):
        """(index, span_ok, paragraph_ok) for a report occurrence, or (None, False, False).
        Feed records are matched by path, record id and paragraph index; other files by
        path and line span, then checked against the paragraph index when both have one."""
        rec = o.get("record")
        if rec is not None:
            i = self.by_rec.get((o["path"], str(rec.get("id")), o.get("paragraph")))
            return (i, i is not None, i is not None)
        i, ok = self.locate(o["path"], o["start_line"], o.get("end_line", o["start_line"]))
        if i is None:
            return None, False, False
        want = self.paras[i].get("paragraph")
        return i, ok, want is None or o.get("paragraph") is None or want == o["paragraph"]

    def locate(self, path, start_line, end_line):
        """(index, exact_match) for an occurrence, or (None, False)."""
        i = self.by_pos.get((path, start_line))
        if i is not None:
            return i, self.paras[i]["end_line"] == end_line
        for j in self.by_path.get(path, ()):
            p = self.paras[j]
            if p["start_line"] <= start_line <= p["end_line"]:
                return j, False
        return None, False


def _prf(tp, reported, truth):
    p, r = ratio(tp, reported), ratio(tp, truth)
    return {"reported": reported, "truth": truth, "true_positive": tp, "precision": p,
            "recall": r, "f1": None if not p or not r else 2 * p * r / (p + r)}


def breakdown(T, findings, all_findings, field, member_of, near_of):
    """P/R/F1 per value of a truth paragraph field (`lang`, `case`, ...): pair rows count
    the pairs whose two paragraphs both have that value (reported pairs across values are
    counted under `(mixed)`); paragraph rows count paragraphs with that value."""
    n = len(T.paras)
    cls = [T.paras[i].get(field, "(none)") for i in range(n)]
    values = sorted(set(cls))
    doc = T.doc
    ok = [i not in T.ignore for i in range(n)]

    def keyed(f):
        return lambda p: f(p) if p >= 0 else None

    ex, nr, bpf = findings["exact"], findings["near"], findings["boilerplate"]
    dup = ex + nr
    out = {}
    # truth pair counts per class
    t_ex = defaultdict(int)
    t_nr = defaultdict(int)
    t_bp = defaultdict(int)
    t_wi = defaultdict(int)
    for gi, g in enumerate(T.groups):
        mem = [T.id_index[x] for x in g["members"]]
        mem = [m for m in mem if ok[m]]
        cnt = defaultdict(int)
        for m in mem:
            cnt[cls[m]] += 1
        if g["kind"] == "exact":
            for c, k in cnt.items():
                t_ex[c] += c2(k)
        elif g["kind"] == "near":
            for c, k in cnt.items():
                t_nr[c] += c2(k)
            for v in g["variants"]:
                vc = defaultdict(int)
                for x in v:
                    i = T.id_index[x]
                    if ok[i]:
                        vc[cls[i]] += 1
                for c, k in vc.items():
                    t_nr[c] -= c2(k)
        else:
            for c, k in cnt.items():
                t_bp[c] += c2(k)
        if g["kind"] in ("exact", "near"):
            dc = defaultdict(int)
            for m in mem:
                dc[(cls[m], doc[m])] += 1
            for (c, _), k in dc.items():
                t_wi[c] += c2(k)
    dont = [(a, b) for a, b in T.dont_care if ok[a] and ok[b]]
    for a, b in dont:
        if cls[a] == cls[b]:
            t_nr[cls[a]] -= 1
    # reported pairs, both members in one class (one pass per row over all classes)
    def per_class(fs, extra=None):
        key = (lambda p: (cls[p], extra(p))) if extra else (lambda p: cls[p])
        parts = split(fs, keyed(key))
        cnt = defaultdict(int)
        for part in parts:
            e = next(iter(part))
            cnt[cls[e]] += 0
        # union_pairs per class: group parts by class
        byc = defaultdict(list)
        for part in parts:
            byc[cls[next(iter(part))]].append(part)
        return {c: union_pairs(ps) for c, ps in byc.items()}

    agn = T.agn
    r_ex = per_class(ex)
    tp_ex = per_class(ex, lambda p: T.exact_gid[p] if T.exact_gid[p] is not None else ("x", p))
    r_nr = per_class(nr)
    tp_nr_all = per_class(nr, lambda p: T.near_gid[p] if T.near_gid[p] is not None else ("x", p))
    tp_nr_var = per_class(nr, lambda p: T.variant[p] if T.variant[p] is not None else ("x", p))
    noe = per_class(nr, lambda p: T.exact_gid[p] if T.exact_gid[p] is not None else ("x", p))
    r_bp = per_class(bpf)
    tp_bp = per_class(bpf, lambda p: T.bp_gid[p] if T.bp_gid[p] is not None else ("x", p))
    r_wi = per_class(dup, lambda p: doc[p])
    edit_agn = lambda p: (doc[p], agn[p]) if agn[p] is not None and T.paras[p]["role"] != "boilerplate" else ("x", p)
    tp_wi = per_class(dup, edit_agn)
    dc_near = defaultdict(int)
    for a, b in dont:
        if cls[a] == cls[b] and near_of[a] & near_of[b]:
            dc_near[cls[a]] += 1
    # boilerplate paragraphs
    B = {i for i in range(n) if T.bp_gid[i] is not None and ok[i]}
    R = {p for m in bpf for p in m if p >= 0}
    editorial = {i for i, p in enumerate(T.paras) if p["role"] in ("body", "title")}
    planted = defaultdict(lambda: [0, 0])
    wsets = [m for (kind, scope, m, _) in all_findings
             if kind in ("exact", "near") and (scope in ("within", "both") or scope is None)]
    wmember = defaultdict(set)
    for fi, m in enumerate(wsets):
        for p in m:
            wmember[p].add(fi)
    for pl in T.data.get("planted_within", []):
        for a, b in zip(pl["first"], pl["repeat"]):
            ia, ib = T.id_index[a], T.id_index[b]
            if not ok[ia] or not ok[ib]:
                continue
            planted[cls[ia]][0] += 1
            planted[cls[ia]][1] += bool(wmember[ia] & wmember[ib])
    sib = T.data.get("template_siblings", [])
    sibc = defaultdict(lambda: [0, 0])
    for a, b in sib:
        ia, ib = T.id_index[a], T.id_index[b]
        sibc[cls[ia]][0] += 1
        sibc[cls[ia]][1] += bool(near_of[ia] & near_of[ib])
    all_rep = union_pairs([m for (_, _, m, _) in all_findings])
    same = sum(per_class([m for (_, _, m, _) in all_findings]).values())
    for c in values:
        e_tp, e_rep = tp_ex.get(c, 0), r_ex.get(c, 0)
        n_tp = tp_nr_all.get(c, 0) - tp_nr_var.get(c, 0) - dc_near[c]
        n_rep = r_nr.get(c, 0) - noe.get(c, 0) - dc_near[c]
        bc = {i for i in B if cls[i] == c}
        rc = {i for i in R if cls[i] == c}
        row = {
            "exact": _prf(e_tp, e_rep, t_ex[c]),
            "near": _prf(n_tp, n_rep, t_nr[c]),
            "exact_near": _prf(e_tp + n_tp, e_rep + n_rep, t_ex[c] + t_nr[c]),
            "within": _prf(tp_wi.get(c, 0), r_wi.get(c, 0), t_wi[c]),
            "boilerplate_pairs": _prf(tp_bp.get(c, 0), r_bp.get(c, 0), t_bp[c]),
            "boilerplate_paragraphs": _prf(len(bc & rc), len(rc), len(bc)),
            "paragraphs": sum(1 for i in range(n) if cls[i] == c),
            "editorial_called_boilerplate": len({i for i in rc if i in editorial}),
            "planted_within": {"pairs": planted[c][0], "recall": ratio(planted[c][1], planted[c][0])},
        }
        if sibc[c][0]:
            row["template_siblings"] = {"pairs": sibc[c][0], "reported_as_near": sibc[c][1]}
        out[c] = row
    out["(mixed)"] = {"reported_pairs": all_rep - same}
    return out


def score(truth, report, examples=0, by=None):
    T = truth
    warnings = []
    settings = report.get("settings", {})
    min_words = settings.get("min_words")
    findings = {k: [] for k in KINDS}
    scopes = []
    unmatched = []
    mismatched = []
    index_mismatch = []
    ignored_occ = 0
    pseudo = 0
    all_findings = []
    other_kinds = defaultdict(int)
    for f in report.get("findings", []):
        kind = f.get("kind")
        if kind not in findings:
            # informational kinds a tool may add (`sibling`, `template`, ...): not
            # duplicates, so they count in no row
            other_kinds[str(kind)] += 1
            continue
        members = set()
        for o in f.get("occurrences", []):
            i, exact, index_ok = T.locate_occ(o)
            if i is None:
                pseudo += 1
                where = (f"#{o['record'].get('id')}/{o.get('paragraph')}" if o.get("record")
                         else "")
                unmatched.append(f"{o['path']}:{o['start_line']}{where}")
                members.add(-pseudo)  # in no truth class: every pair with it is wrong
                continue
            if not exact:
                mismatched.append(f"{o['path']}:{o['start_line']}-{o.get('end_line')}")
            if not index_ok:
                index_mismatch.append(f"{o['path']}:{o['start_line']} paragraph "
                                      f"{o.get('paragraph')} != {T.paras[i].get('paragraph')}")
            if i in T.ignore:
                ignored_occ += 1
                continue
            members.add(i)
        findings[kind].append(members)
        all_findings.append((kind, f.get("scope"), members, f.get("id")))
    if other_kinds:
        warnings.append("ignored findings of other kinds: " + ", ".join(
            f"{k} {v}" for k, v in sorted(other_kinds.items())))
    if unmatched:
        warnings.append(f"{len(unmatched)} occurrence(s) match no truth paragraph, e.g. "
                        + ", ".join(unmatched[:5]))
    if mismatched:
        warnings.append(f"{len(mismatched)} occurrence(s) match a truth paragraph by start "
                        f"line but not end line (or only inside it), e.g. "
                        + ", ".join(mismatched[:5]))
    if index_mismatch:
        warnings.append(f"{len(index_mismatch)} occurrence(s) match a truth paragraph by lines "
                        f"but carry another paragraph index, e.g. " + ", ".join(index_mismatch[:5]))

    def key_of(arr):
        return lambda p: arr[p] if p >= 0 else None

    exact_k = key_of(T.exact_gid)
    near_k = key_of(T.near_gid)
    var_k = key_of(T.variant)
    bp_k = key_of(T.bp_gid)
    agn_k = key_of(T.agn)
    every = [m for (_, _, m, _) in all_findings]

    def near_pairs(fs):
        return union_pairs(split(fs, near_k)) - union_pairs(split(fs, var_k))

    # Page chrome (HTML menus, share bars, related boxes; `chrome` in truth.json) has its
    # own row: pairs of two chrome paragraphs in boilerplate findings. The boilerplate row
    # keeps every other pair of boilerplate findings, so it measures the same template
    # boilerplate whatever the formats; a chrome paragraph paired with anything else is
    # a wrong pair of the boilerplate row (or of exact/near/editorial).
    chrome = T.is_chrome

    def only(key, want_chrome):
        return lambda p: key(p) if p >= 0 and chrome[p] == want_chrome else None

    bpf = findings["boilerplate"]
    res = {"pairs": {}, "warnings": warnings}
    rep = {k: union_pairs(findings[k]) for k in KINDS}
    rep["chrome"] = union_pairs(split(bpf, only(lambda p: 0, True)))
    rep["boilerplate"] -= rep["chrome"]
    rep["all"] = union_pairs(every)
    tp = {
        "exact": union_pairs(split(findings["exact"], exact_k)),
        "near": near_pairs(findings["near"]),
        "boilerplate": union_pairs(split(bpf, only(bp_k, False))),
        "chrome": union_pairs(split(bpf, only(bp_k, True))),
        "all": union_pairs(split(every, agn_k)),
    }
    near_on_exact = union_pairs(split(findings["near"], exact_k))
    agn_prec_tp = {k: union_pairs(split(findings[k], agn_k)) for k in KINDS}
    agn_prec_tp["chrome"] = union_pairs(split(bpf, only(agn_k, True)))
    agn_prec_tp["boilerplate"] -= agn_prec_tp["chrome"]
    agn_prec_tp["all"] = tp["all"]
    agn_rec_tp = {
        "exact": union_pairs(split(every, exact_k)),
        "near": near_pairs(every),
        "boilerplate": union_pairs(split(every, only(bp_k, False))),
        "chrome": union_pairs(split(every, only(bp_k, True))),
        "all": tp["all"],
    }
    # Editorial: kind-agnostic over exact + near truth; reported pairs between two
    # boilerplate paragraphs are left to the boilerplate rows.
    is_bp = [p["role"] == "boilerplate" for p in T.paras]
    rep["editorial"] = rep["all"] - union_pairs(
        split(every, lambda p: 0 if p >= 0 and is_bp[p] else None))
    tp["editorial"] = union_pairs(split(every, lambda p: T.agn[p] if p >= 0 and not is_bp[p] else None))
    agn_prec_tp["editorial"] = agn_rec_tp["editorial"] = tp["editorial"]
    T.truth_pairs["editorial"] = T.truth_pairs["exact"] + T.truth_pairs["near"]
    # Dont-care pairs (chains A~B~C: A-C below the threshold): neither required nor
    # penalised in the near, editorial and all rows.
    member_of = defaultdict(set)
    near_of = defaultdict(set)
    for fi, (kind, scope, mem, _) in enumerate(all_findings):
        for p in mem:
            member_of[p].add(fi)
            if kind == "near":
                near_of[p].add(fi)
    dc_near = sum(1 for a, b in T.dont_care if near_of[a] & near_of[b])
    dc_any = sum(1 for a, b in T.dont_care if member_of[a] & member_of[b])
    ndc = len(T.dont_care)
    truth_pairs = dict(T.truth_pairs)
    if ndc:
        truth_pairs["near"] -= ndc
        truth_pairs["editorial"] -= ndc
        truth_pairs["all"] -= ndc
        tp["near"] -= dc_near
        agn_rec_tp["near"] -= dc_any
        agn_prec_tp["near"] -= dc_near
        rep["near"] -= dc_near
        for k in ("editorial", "all"):
            tp[k] -= dc_any
            rep[k] -= dc_any
        agn_prec_tp["editorial"] = agn_rec_tp["editorial"] = tp["editorial"]
        agn_prec_tp["all"] = agn_rec_tp["all"] = tp["all"]
    res["dont_care"] = {"pairs": ndc, "found_as_near": dc_near, "found_any": dc_any}
    for k in ROWS:
        denom = rep[k] - (near_on_exact if k == "near" else 0)
        res["pairs"][k] = {
            "reported": rep[k],
            "truth": truth_pairs[k],
            "true_positive": tp[k],
            "precision": ratio(tp[k], denom),
            "recall": ratio(tp[k], truth_pairs[k]),
            "agnostic_precision": ratio(agn_prec_tp[k], rep[k]),
            "agnostic_recall": ratio(agn_rec_tp[k], truth_pairs[k]),
        }
    res["pairs"]["near"]["near_on_exact"] = near_on_exact
    for k in ROWS:
        r = res["pairs"][k]
        p, rc = r["precision"], r["recall"]
        r["f1"] = None if not p or not rc else 2 * p * rc / (p + rc)
    # exact + near (strict kinds) combined
    ctp = tp["exact"] + tp["near"]
    cden = rep["exact"] + rep["near"] - near_on_exact
    ctr = truth_pairs["exact"] + truth_pairs["near"]
    res["exact_near_combined"] = _prf(ctp, cden, ctr)

    # Recall over pairs the tool can report by design (both paragraphs >= min_words).
    if min_words is not None:
        elig = [i for i, p in enumerate(T.paras) if p["words"] >= min_words]
        eset = set(elig)

        def ek(arr):
            return lambda p: arr[p] if p >= 0 and p in eset else None

        ex_t = sum(c2(v) for v in _counts(T.exact_gid, elig).values())
        nr_all = _counts(T.near_gid, elig)
        nr_var = _counts(T.variant, elig)
        nr_t = sum(c2(v) for v in nr_all.values()) - sum(c2(v) for v in nr_var.values())
        ex_f = union_pairs(split(findings["exact"], ek(T.exact_gid)))
        nr_f = (union_pairs(split(findings["near"], ek(T.near_gid)))
                - union_pairs(split(findings["near"], ek(T.variant))))
        res["pairs"]["exact"]["eligible_truth"] = ex_t
        res["pairs"]["exact"]["eligible_recall"] = ratio(ex_f, ex_t)
        res["pairs"]["near"]["eligible_truth"] = nr_t
        res["pairs"]["near"]["eligible_recall"] = ratio(nr_f, nr_t)

    # Template siblings (one-slot sentence pairs that are in no group): how many the
    # report lists together in a `near` finding (other kinds do not count as near).
    sib = T.data.get("template_siblings", [])
    sib_idx = [(T.id_index[a], T.id_index[b]) for a, b in sib]
    res["template_siblings"] = {
        "pairs": len(sib_idx),
        "reported_as_near": sum(1 for a, b in sib_idx if near_of[a] & near_of[b]),
        "reported_any": sum(1 for a, b in sib_idx if member_of[a] & member_of[b]),
    }
    by_fields = by if by is not None else [f for f in ("lang", "case")
                                            if any(f in p for p in T.paras)]
    res["by"] = {f: breakdown(T, findings, all_findings, f, member_of, near_of)
                 for f in by_fields}

    # Near pairs by edit type and by similarity of the two variants.
    by_edit = defaultdict(lambda: [0, 0, 0])       # truth, found (near), found (any)
    by_only = defaultdict(lambda: [0, 0, 0])
    dcset = set(T.dont_care)
    bins = [(0.9, 1.01), (0.8, 0.9), (0.7, 0.8), (0.6, 0.7), (0.5, 0.6), (0.0, 0.5)]
    by_sim = defaultdict(lambda: [0, 0, 0])
    for gi in T.near_groups:
        g = T.groups[gi]
        vs = [[T.id_index[x] for x in v if T.id_index[x] not in T.ignore] for v in g["variants"]]
        sims = {(a, b): s for a, b, s in g.get("pair_similarity", [])}
        for a in range(len(vs)):
            for b in range(a + 1, len(vs)):
                types = sorted(set(g["variant_edits"][a]) | set(g["variant_edits"][b]))
                n = fnd = fany = 0
                for x in vs[a]:
                    for y in vs[b]:
                        if (x, y) in dcset or (y, x) in dcset:
                            continue
                        n += 1
                        fnd += bool(near_of[x] & near_of[y])
                        fany += bool(member_of[x] & member_of[y])
                for t in types or ["(none)"]:
                    by_edit[t][0] += n
                    by_edit[t][1] += fnd
                    by_edit[t][2] += fany
                if len(types) == 1:
                    by_only[types[0]][0] += n
                    by_only[types[0]][1] += fnd
                    by_only[types[0]][2] += fany
                s = sims.get((a, b))
                if s is not None:
                    for lo, hi in bins:
                        if lo <= s < hi:
                            k = f"{lo:.1f}-{min(hi, 1.0):.1f}"
                            by_sim[k][0] += n
                            by_sim[k][1] += fnd
                            by_sim[k][2] += fany
    res["near_by_edit"] = {k: {"pairs": v[0], "recall": ratio(v[1], v[0]),
                               "agnostic_recall": ratio(v[2], v[0])}
                           for k, v in sorted(by_edit.items())}
    res["near_by_single_edit"] = {k: {"pairs": v[0], "recall": ratio(v[1], v[0]),
                                      "agnostic_recall": ratio(v[2], v[0])}
                                  for k, v in sorted(by_only.items())}
    res["near_by_similarity"] = {k: {"pairs": v[0], "recall": ratio(v[1], v[0]),
                                     "agnostic_recall": ratio(v[2], v[0])}
                                 for k, v in sorted(by_sim.items(), reverse=True)}

    # Exact pairs by normalization-only edit (punct, case, whitespace) on either side.
    ex_edit = defaultdict(lambda: [0, 0])
    exact_f = {i for i, f in enumerate(all_findings) if f[0] == "exact"}
    for g in T.groups:
        if g["kind"] != "exact":
            continue
        mem = [T.id_index[x] for x in g["members"] if T.id_index[x] not in T.ignore]
        for i in range(len(mem)):
            for j in range(i + 1, len(mem)):
                ea = set(T.paras[mem[i]].get("edits", [])) | set(T.paras[mem[j]].get("edits", []))
                ea = sorted(e for e in ea if e in ("punct", "case", "whitespace")) or ["(none)"]
                hit = bool(member_of[mem[i]] & member_of[mem[j]] & exact_f)
                for e in ea:
                    ex_edit[e][0] += 1
                    ex_edit[e][1] += hit
    res["exact_by_edit"] = {k: {"pairs": v[0], "recall": ratio(v[1], v[0])}
                            for k, v in sorted(ex_edit.items())}

    # Boilerplate, paragraph level.
    B = {i for i, g in enumerate(T.bp_gid) if g is not None and i not in T.ignore}
    R = {p for m in findings["boilerplate"] for p in m}
    RT = {p for p in R if p >= 0}
    editorial = {i for i, p in enumerate(T.paras) if p["role"] in ("body", "title")}
    in_dup = {p for k in ("exact", "near") for m in findings[k] for p in m}
    fam_tot = defaultdict(int)
    fam_hit = defaultdict(int)
    for i in B:
        fam = (T.paras[i].get("family") or "?").split(":")[0]
        fam_tot[fam] += 1
        fam_hit[fam] += i in R
    C = {i for i in B if chrome[i]}
    BT = B - C
    RNC = {p for p in R if p < 0 or not chrome[p]}
    res["boilerplate_paragraphs"] = {
        "template": {"truth": len(BT), "reported": len(RNC), "true_positive": len(BT & R),
                     "precision": ratio(len(BT & RNC), len(RNC)),
                     "recall": ratio(len(BT & R), len(BT)),
                     "leaked_into_exact_or_near": len(BT & in_dup)},
        "chrome": {"truth": len(C), "reported": len(R - RNC), "true_positive": len(C & R),
                   "recall": ratio(len(C & R), len(C)),
                   "leaked_into_exact_or_near": len(C & in_dup)},
        "truth": len(B),
        "reported": len(R),
        "true_positive": len(B & R),
        "precision": ratio(len(B & RT), len(R)),
        "recall": ratio(len(B & R), len(B)),
        "leaked_into_exact_or_near": len(B & in_dup),
        "editorial_called_boilerplate": len(editorial & RT),
        "recall_by_family": {k: {"paragraphs": fam_tot[k], "recall": ratio(fam_hit[k], fam_tot[k])}
                             for k in sorted(fam_tot)},
    }

    # Planted within-article repeats.
    within_sets = [(kind, m) for (kind, scope, m, _) in all_findings
                   if scope in ("within", "both") or scope is None]
    wmember = defaultdict(set)
    for fi, (kind, m) in enumerate(within_sets):
        for p in m:
            wmember[p].add(fi)
    planted = {"exact": [0, 0, 0], "near": [0, 0, 0]}
    for pl in T.data.get("planted_within", []):
        for a, b in zip(pl["first"], pl["repeat"]):
            ia, ib = T.id_index[a], T.id_index[b]
            if ia in T.ignore or ib in T.ignore:
                continue
            c = planted[pl["kind"]]
            c[0] += 1
            common = wmember[ia] & wmember[ib]
            c[1] += bool(common)
            c[2] += any(within_sets[fi][0] == pl["kind"] for fi in common)
    res["within_planted"] = {k: {"pairs": v[0], "agnostic_recall": ratio(v[1], v[0]),
                                 "recall": ratio(v[2], v[0])} for k, v in planted.items()}
    # Planted multi-paragraph blocks found in the report's `blocks`.
    # Keyed by path and start lines, plus paragraph indices for feeds, where every
    # paragraph of a record starts on the record's line.
    blocks = set()
    for b in report.get("blocks", []):
        f0, r0 = b.get("first", {}), b.get("repeat", {})
        blocks.add((b.get("path"), f0.get("start_line"), r0.get("start_line")))
        blocks.add((b.get("path"), f0.get("start_line"), r0.get("start_line"),
                    (f0.get("paragraphs") or [None])[0], (r0.get("paragraphs") or [None])[0]))
    nb = hit = 0
    for pl in T.data.get("planted_within", []):
        if pl["kind"] != "exact" or len(pl["first"]) < 2:
            continue
        nb += 1
        f0 = T.paras[T.id_index[pl["first"][0]]]
        r0 = T.paras[T.id_index[pl["repeat"][0]]]
        key = (f0["path"], f0["start_line"], r0["start_line"])
        if "record" in f0:
            key += (f0["paragraph"], r0["paragraph"])
        hit += key in blocks
    res["within_blocks"] = {"planted": nb, "found": hit, "recall": ratio(hit, nb)}
    res["occurrences"] = {"unmatched": len(unmatched), "span_mismatch": len(mismatched),
                          "index_mismatch": len(index_mismatch), "ignored": ignored_occ}
    res["report_settings"] = settings
    res["report_stats"] = report.get("stats", {})

    if examples:
        res["examples"] = _examples(T, all_findings, examples)
    return res


def _counts(arr, idxs):
    d = defaultdict(int)
    for i in idxs:
        if arr[i] is not None:
            d[arr[i]] += 1
    return d


def _desc(T, p):
    if p < 0:
        return "(unmatched)"
    x = T.paras[p]
    where = f"#{x['record']}/{x['paragraph']}" if "record" in x else ""
    return f"{x['path']}:{x['start_line']}{where} [{x['role']} {x['origin']} v{x['variant']}]"


def _examples(T, all_findings, n):
    """A few wrong reported pairs and missed truth pairs, for eyeballing."""
    fp = []
    for kind, scope, mem, fid in all_findings:
        m = sorted(mem)
        for i in range(len(m)):
            for j in range(i + 1, len(m)):
                a, b = m[i], m[j]
                if a >= 0 and b >= 0 and T.agn[a] is not None and T.agn[a] == T.agn[b]:
                    if kind != "boilerplate" or T.bp_gid[a] is not None:
                        continue
                fp.append(f"{fid} {kind}: {_desc(T, a)} ~ {_desc(T, b)}")
                break
            if len(fp) >= n:
                break
        if len(fp) >= n:
            break
    fn = []
    member = defaultdict(set)
    for fi, (_, _, mem, _) in enumerate(all_findings):
        for p in mem:
            member[p].add(fi)
    for g in T.groups:
        if g["kind"] == "boilerplate":
            continue
        mem = [T.id_index[x] for x in g["members"] if T.id_index[x] not in T.ignore]
        for i in range(len(mem)):
            for j in range(i + 1, len(mem)):
                a, b = mem[i], mem[j]
                if g["kind"] == "near" and T.variant[a] == T.variant[b]:
                    continue
                if not member[a] & member[b]:
                    extra = ""
                    if g["kind"] == "near":
                        va, vb = T.variant[a][1], T.variant[b][1]
                        sims = {(x, y): s for x, y, s in g["pair_similarity"]}
                        s = sims.get((min(va, vb), max(va, vb)))
                        extra = f" sim={s} edits={sorted(set(g['variant_edits'][va]) | set(g['variant_edits'][vb]))}"
                    fn.append(f"{g['id']} {g['kind']}: {_desc(T, a)} ~ {_desc(T, b)}{extra}")
                    break
            if len(fn) >= n:
                break
        if len(fn) >= n:
            break
    ebp = []
    for kind, scope, mem, fid in all_findings:
        if kind != "boilerplate":
            continue
        for p in sorted(mem):
            if p >= 0 and T.paras[p]["role"] in ("body", "title") and len(ebp) < n:
                ebp.append(f"{fid}: {_desc(T, p)}")
    return {"false_positive_pairs": fp, "missed_pairs": fn, "editorial_called_boilerplate": ebp}


def table(res):
    out = []
    out.append(f"{'kind':<12} {'reported':>9} {'truth':>8} {'tp':>8} {'P':>6} {'R':>6} "
               f"{'F1':>6} {'agnP':>6} {'agnR':>6}")
    for k in ROWS:
        r = res["pairs"][k]
        out.append(f"{k:<12} {r['reported']:>9} {r['truth']:>8} {r['true_positive']:>8} "
                   f"{fmt(r['precision']):>6} {fmt(r['recall']):>6} {fmt(r['f1']):>6} "
                   f"{fmt(r['agnostic_precision']):>6} {fmt(r['agnostic_recall']):>6}")
    n = res["pairs"]["near"]
    out.append(f"  near-on-exact pairs (same variant, excluded from near P): {n['near_on_exact']}")
    if "eligible_recall" in res["pairs"]["exact"]:
        out.append(f"  recall over pairs with both >= min_words: exact "
                   f"{fmt(res['pairs']['exact']['eligible_recall'])} "
                   f"({res['pairs']['exact']['eligible_truth']}), near "
                   f"{fmt(res['pairs']['near']['eligible_recall'])} "
                   f"({res['pairs']['near']['eligible_truth']})")
    b = res["boilerplate_paragraphs"]
    out.append(f"boilerplate paragraphs: P {fmt(b['precision'])} R {fmt(b['recall'])} "
               f"({b['true_positive']}/{b['truth']}, reported {b['reported']}); leaked into "
               f"exact/near {b['leaked_into_exact_or_near']}; editorial called boilerplate "
               f"{b['editorial_called_boilerplate']}")
    if b["chrome"]["truth"]:
        bt, bc = b["template"], b["chrome"]
        out.append(f"  template (no page chrome): P {fmt(bt['precision'])} R {fmt(bt['recall'])} "
                   f"({bt['true_positive']}/{bt['truth']}); page chrome: R {fmt(bc['recall'])} "
                   f"({bc['true_positive']}/{bc['truth']}), leaked into exact/near "
                   f"{bc['leaked_into_exact_or_near']}")
    out.append("  by family: " + ", ".join(
        f"{k} {fmt(v['recall'])} ({v['paragraphs']})" for k, v in b["recall_by_family"].items()))
    w = res["within_planted"]
    out.append(f"within planted: exact R {fmt(w['exact']['recall'])} (agn "
               f"{fmt(w['exact']['agnostic_recall'])}, {w['exact']['pairs']} pairs), near R "
               f"{fmt(w['near']['recall'])} (agn {fmt(w['near']['agnostic_recall'])}, "
               f"{w['near']['pairs']} pairs); blocks {res['within_blocks']['found']}/"
               f"{res['within_blocks']['planted']}")
    out.append("near recall by edit (pairs with it / only it): " + ", ".join(
        f"{k} {fmt(v['recall'])}/{fmt(res['near_by_single_edit'].get(k, {}).get('recall'))} "
        f"({v['pairs']})" for k, v in res["near_by_edit"].items()))
    out.append("near recall by variant similarity: " + ", ".join(
        f"{k} {fmt(v['recall'])} ({v['pairs']})" for k, v in res["near_by_similarity"].items()))
    out.append("exact recall by normalization edit: " + ", ".join(
        f"{k} {fmt(v['recall'])} ({v['pairs']})" for k, v in res["exact_by_edit"].items()))
    c = res["exact_near_combined"]
    out.append(f"exact+near combined: P {fmt(c['precision'])} R {fmt(c['recall'])} "
               f"F1 {fmt(c['f1'])} ({c['true_positive']}/{c['truth']})")
    if res["dont_care"]["pairs"]:
        d = res["dont_care"]
        out.append(f"dont-care pairs (left out of near/editorial/all): {d['pairs']}, reported "
                   f"as near {d['found_as_near']}, in any finding {d['found_any']}")
    ts = res["template_siblings"]
    if ts["pairs"]:
        out.append(f"template siblings reported as near: {ts['reported_as_near']} of "
                   f"{ts['pairs']} pairs (in any finding: {ts['reported_any']})")
    for field, rows in res.get("by", {}).items():
        out.append("")
        out.append(by_table(field, rows))
    o = res["occurrences"]
    if o["unmatched"] or o["span_mismatch"] or o["index_mismatch"]:
        out.append(f"occurrences: {o['unmatched']} unmatched, {o['span_mismatch']} span "
                   f"mismatch, {o['index_mismatch']} paragraph index mismatch, "
                   f"{o['ignored']} on ignored paragraphs")
    for w in res["warnings"]:
        out.append(f"warning: {w}")
    ex = res.get("examples")
    if ex:
        out.append("false positive pairs (one per finding):")
        out.extend("  " + x for x in ex["false_positive_pairs"])
        out.append("missed pairs (one per group):")
        out.extend("  " + x for x in ex["missed_pairs"])
        if ex["editorial_called_boilerplate"]:
            out.append("editorial paragraphs called boilerplate:")
            out.extend("  " + x for x in ex["editorial_called_boilerplate"])
    return "\n".join(out)


def by_table(field, rows):
    """One line per value: P/R/F1 of exact, near, exact+near, within, boilerplate."""
    cols = [("exact", "exact"), ("near", "near"), ("exact_near", "ex+nr"),
            ("within", "within"), ("boilerplate_paragraphs", "bp-para"),
            ("boilerplate_pairs", "bp-pair")]
    out = [f"by {field}: P/R/F1 per row (pairs both of that {field}; bp-para = paragraphs), "
           f"truth count in brackets"]
    head = f"{field:<18} {'paras':>6}"
    for _, name in cols:
        head += f" | {name:^25}"
    head += " | ed->bp  plantedW  siblings~near"
    out.append(head)
    for v, r in rows.items():
        if v == "(mixed)":
            continue
        line = f"{str(v):<18} {r['paragraphs']:>6}"
        for k, _ in cols:
            x = r[k]
            line += (f" | {fmt(x['precision'])} {fmt(x['recall'])} {fmt(x['f1'])} "
                     f"{'[' + str(x['truth']) + ']':>7}")
        pw = r["planted_within"]
        sb = r.get("template_siblings")
        line += (f" | {r['editorial_called_boilerplate']:>6}  "
                 f"{fmt(pw['recall']) if pw['pairs'] else '  -  '}"
                 f"{'(' + str(pw['pairs']) + ')' if pw['pairs'] else '':<5} "
                 f"{str(sb['reported_as_near']) + '/' + str(sb['pairs']) if sb else '-'}")
        out.append(line)
    out.append(f"  reported pairs across two {field} values: {rows['(mixed)']['reported_pairs']}")
    return "\n".join(out)


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--truth", required=True, help="truth.json written by make_eval.py")
    ap.add_argument("--report", required=True, help="paradup --format json report")
    ap.add_argument("--json", action="store_true", help="print machine-readable results")
    ap.add_argument("--examples", type=int, default=0,
                    help="also list N wrong reported pairs and N missed pairs")
    ap.add_argument("--by", default=None,
                    help="comma-separated truth paragraph fields to break scores down by "
                         "(default: lang,case when the truth has them; '' for none)")
    args = ap.parse_args(argv)
    truth = Truth(load(args.truth))
    report = load(args.report)
    if report.get("version") not in (1, 2):
        print(f"warning: report version {report.get('version')!r}, expected 1 or 2", file=sys.stderr)
    by = None if args.by is None else [x for x in args.by.split(",") if x]
    res = score(truth, report, args.examples, by)
    if args.json:
        json.dump(res, sys.stdout, indent=1)
        print()
    else:
        print(table(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
