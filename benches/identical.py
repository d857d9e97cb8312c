#!/usr/bin/env python3
"""Checks that two paradup binaries write the same reports, byte for byte.

A refactoring must not change behaviour: run the binary built before it and the one built
after over the same folders, in every report format and through every subcommand that
writes output, and compare. Only the JSON report's `timing` object (wall-clock times) is
left out of the comparison.

    cargo build --release && cp target/release/paradup /tmp/paradup-before
    # ... change the code ...
    cargo build --release
    python3 benches/identical.py --before /tmp/paradup-before --after target/release/paradup \
        corpus /tmp/paradup-eval/cases

Exit status 0 when every output is identical, 1 otherwise (the first differing lines of
each difference are printed).
"""

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile

FORMATS = ["text", "json", "markdown", "html", "sarif", "github", "patch"]


def scrub(output, fmt):
    """Drops what legitimately differs run to run: the JSON report's timing."""
    if fmt != "json":
        return output
    try:
        report = json.loads(output)
    except ValueError:
        return output
    if isinstance(report, dict):
        report.get("stats", {}).pop("timing", None)
        report.pop("timing", None)
    return json.dumps(report, indent=1, ensure_ascii=False, sort_keys=True).encode()


def run(binary, args, cwd):
    done = subprocess.run(
        [binary] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    return done.returncode, done.stdout, done.stderr


def excludes(folder):
    return ["--exclude", "truth.json"] if os.path.exists(os.path.join(folder, "truth.json")) else []


def scans(folder):
    """(label, arguments, format) for each output of one folder."""
    common = ["--fail-on", "never"] + excludes(folder)
    out = []
    for fmt in FORMATS:
        out.append((f"scan --format {fmt}", ["scan", folder, "--format", fmt] + common, fmt))
    out.append(("scan --exact-only", ["scan", folder, "--exact-only", "--format", "json"] + common, "json"))
    out.append(("scan --body-only", ["scan", folder, "--body-only", "--format", "json"] + common, "json"))
    out.append(("scan --fail-on any (text)", ["scan", folder] + excludes(folder), "text"))
    # Settings out of range: the error names the flag.
    for bad in (["--threshold", "1.5"], ["--min-words", "0"], ["--include", "["], ["--exclude", "["]):
        out.append((f"scan {' '.join(bad)}", ["scan", folder] + bad, "text"))
    return out


def compare(label, before, after, fmt):
    (rc_b, out_b, err_b), (rc_a, out_a, err_a) = before, after
    same = True
    for what, b, a in (
        ("exit status", str(rc_b).encode(), str(rc_a).encode()),
        ("stdout", scrub(out_b, fmt), scrub(out_a, fmt)),
        ("stderr", err_b, err_a),
    ):
        if b == a:
            continue
        same = False
        print(f"DIFFERS {label}: {what}")
        diff = difflib.unified_diff(
            b.decode(errors="replace").splitlines(),
            a.decode(errors="replace").splitlines(),
            "before",
            "after",
            lineterm="",
            n=1,
        )
        for line in list(diff)[:12]:
            print("   ", line)
    return same


def fix_outputs(before, after, folder):
    """`fix` (patch on stdout) and `fix --write` into copies of the folder."""
    same = True
    common = excludes(folder)
    for flags in ([], ["--near"], ["--boilerplate"]):
        label = f"fix {' '.join(flags)} {folder}"
        same &= compare(
            label,
            run(before, ["fix", folder] + flags + common, None),
            run(after, ["fix", folder] + flags + common, None),
            "patch",
        )
    with tempfile.TemporaryDirectory() as tmp:
        trees = []
        for name, binary in (("before", before), ("after", after)):
            tree = os.path.join(tmp, name)
            shutil.copytree(folder, tree, symlinks=True)
            result = run(binary, ["fix", ".", "--write"] + common, tree)
            trees.append((tree, result))
        same &= compare(f"fix --write {folder} (output)", trees[0][1], trees[1][1], "text")
        for root, _, files in os.walk(trees[0][0]):
            for name in files:
                b = os.path.join(root, name)
                a = os.path.join(trees[1][0], os.path.relpath(b, trees[0][0]))
                with open(b, "rb") as fb, open(a, "rb") as fa:
                    if fb.read() != fa.read():
                        print(f"DIFFERS fix --write: {os.path.relpath(b, trees[0][0])}")
                        same = False
    return same


def check_outputs(before, after, folder):
    """`index add` over the folder, then `check` of its files against the index."""
    same = True
    files = sorted(
        os.path.join(root, name)
        for root, _, names in os.walk(folder)
        for name in names
        if name != "truth.json"
    )[:20]
    with tempfile.TemporaryDirectory() as tmp:
        results = {}
        for name, binary in (("before", before), ("after", after)):
            index = os.path.join(tmp, f"{name}.db")
            built = run(binary, ["index", "add", folder, "--index", index] + excludes(folder), None)
            checked = run(
                binary,
                ["check", "--index", index, "--format", "json"] + [os.path.abspath(f) for f in files],
                None,
            )
            results[name] = (built, checked)
        same &= compare(f"index add {folder}", results["before"][0], results["after"][0], "text")
        same &= compare(f"check {folder}", results["before"][1], results["after"][1], "json")
    return same


def show_outputs(before, after, folder):
    """`show` of the first findings of a saved report."""
    same = True
    with tempfile.TemporaryDirectory() as tmp:
        saved = os.path.join(tmp, "report.json")
        run(before, ["scan", folder, "--format", "json", "-o", saved, "--fail-on", "never"] + excludes(folder), None)
        if not os.path.exists(saved):
            return same
        with open(saved, encoding="utf-8") as f:
            ids = [finding["id"] for finding in json.load(f).get("findings", [])[:5]]
        for fid in ids:
            same &= compare(
                f"show {fid} {folder}",
                run(before, ["show", "--report", saved, fid], None),
                run(after, ["show", "--report", saved, fid], None),
                "text",
            )
    return same


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", required=True, help="the binary built before the change")
    parser.add_argument("--after", required=True, help="the binary built after the change")
    parser.add_argument("--quick", action="store_true", help="reports only (no fix, index, show)")
    parser.add_argument("folders", nargs="+")
    args = parser.parse_args()
    before, after = os.path.abspath(args.before), os.path.abspath(args.after)
    same = True
    compared = 0
    for folder in args.folders:
        for label, arguments, fmt in scans(folder):
            same &= compare(f"{label} {folder}", run(before, arguments, None), run(after, arguments, None), fmt)
            compared += 1
        if not args.quick:
            same &= fix_outputs(before, after, folder)
            same &= check_outputs(before, after, folder)
            same &= show_outputs(before, after, folder)
            compared += 8
    print(f"{'identical' if same else 'DIFFERENT'}: {compared} outputs over {len(args.folders)} folders")
    sys.exit(0 if same else 1)


if __name__ == "__main__":
    main()
