#!/usr/bin/env python3
"""Browser test of the HTML report, in real headless Chromium (Debian's chromium, driven
with Playwright; `.ci/run` installs both and runs this after `cargo test`).

    python3 tests/browser/html_report.py target/debug/paradup

1. The bundled corpus's report loads with no console error, no request but the file
   itself, the findings in the DOM (a source's template as one card, its members drawn
   when it is opened), and a screenshot that is not blank.
2. An article full of markup and script (script tags, onerror handlers, javascript:
   links, a </script> and a </textarea> breakout) is shown as text: no script of the
   article runs, and its text is in the DOM.
3. A generated report of 10,000 findings loads and filters within the bounds below.

Exit status 0 when every check passes; each check prints one line.
"""

import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("PARADUP_CHROMIUM", "/usr/bin/chromium")
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# Bounds for the 10,000-finding report (2-core CI machine).
LOAD_SECONDS = 10.0
FILTER_SECONDS = 2.0

XSS = [
    'Police said the <script>window.__xss = 1</script> suspect fled on foot toward the harbor before dawn.',
    'The mayor posted <img src=x onerror="window.__xss = 2"> a statement about the flood barriers last night.',
    'Read the <a href="javascript:window.__xss = 3">full statement</a> from the council office on the website.',
    'Residents wrote </textarea><script>window.__xss = 4</script> to the editor about the closures downtown.',
    'A reader sent </script><script>window.__xss = 5</script><!-- to the newsroom a long letter about taxes.',
]


def report(paradup, folder, out):
    subprocess.run(
        [paradup, "scan", folder, "--format", "html", "-o", out, "--fail-on", "never", "-q"],
        check=True,
    )


def png_is_blank(png):
    """True if every pixel of the screenshot has the same colour (stdlib PNG decoding)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width, height, colour = 8, b"", 0, 0, 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        chunk = png[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, _, colour = struct.unpack(">IIBB", chunk[:10])
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    channels = {2: 3, 6: 4}[colour]
    stride = width * channels + 1
    # Filtered rows: compare raw scanline bytes; a blank page gives one distinct row body
    # under filter 0/2 and zero deltas otherwise. Count distinct unfiltered-looking rows.
    rows = {raw[i * stride + 1:(i + 1) * stride] for i in range(height)}
    return len(rows) <= 2


class Page:
    def __init__(self, browser, path):
        self.page = browser.new_page(viewport={"width": 1280, "height": 900})
        self.errors, self.requests = [], []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.url = "file://" + path
        started = time.perf_counter()
        self.page.goto(self.url)
        self.page.wait_for_selector("body[data-ready='1']", timeout=60_000)
        self.load_seconds = time.perf_counter() - started

    def clean(self):
        assert not self.errors, f"console errors: {self.errors}"
        others = [r for r in self.requests if r != self.url]
        assert not others, f"network requests: {others}"


def corpus_entries(paradup):
    """The corpus's findings as the page lists them: a template is one entry."""
    scan = subprocess.run(
        [paradup, "scan", os.path.join(REPO, "corpus"), "--format", "json", "--fail-on", "never", "-q"],
        check=True, capture_output=True,
    )
    report = json.loads(scan.stdout)
    unfolded = [f for f in report["findings"] if "template" not in f]
    return len(unfolded) + len(report["templates"]), report["templates"]


def check_corpus(browser, paradup, work):
    out = os.path.join(work, "corpus.html")
    report(paradup, os.path.join(REPO, "corpus"), out)
    entries, templates = corpus_entries(paradup)
    assert templates, "the corpus has a source template"
    page = Page(browser, out)
    page.clean()
    findings = page.page.locator("article.finding").count()
    assert findings == min(50, entries), f"first page shows {findings} findings of {entries} entries"
    text = page.page.locator("#findings").inner_text()
    assert "The defence ministry said it had deployed" in text
    card = page.page.locator(f"article#{templates[0]['id']}")
    assert "template of" in card.inner_text()
    card.locator("summary").click()
    members = card.locator("article.finding").count()
    assert members == templates[0]["blocks"], f"{templates[0]['id']} opens to {members} members"
    assert page.page.locator("#chart rect").count() >= 4
    png = page.page.screenshot(full_page=False)
    with open(os.path.join(work, "corpus.png"), "wb") as f:
        f.write(png)
    assert not png_is_blank(png), "the screenshot is blank"
    print(f"ok corpus report: {findings} findings on page 1, no console errors, no requests, screenshot not blank ({len(png)} bytes)")


def check_xss(browser, paradup, work):
    folder = os.path.join(work, "xss")
    os.makedirs(folder)
    body = "\n\n".join(XSS + XSS) + "\n"  # every paragraph pasted twice: five findings
    with open(os.path.join(folder, "story.txt"), "w") as f:
        f.write(body)
    with open(os.path.join(folder, "page.html"), "w") as f:
        f.write("<article>" + "".join(f"<p>{p}</p>" for p in XSS[:2]) + "</article>")
    out = os.path.join(work, "xss.html")
    report(paradup, folder, out)
    page = Page(browser, out)
    page.page.wait_for_timeout(500)
    for link in page.page.locator("a").all():
        link.click()
    assert page.page.evaluate("typeof window.__xss") == "undefined", "a script of the article ran"
    page.clean()
    text = page.page.locator("#findings").inner_text()
    for paragraph in XSS:
        assert paragraph in text, f"not shown as text: {paragraph}"
    print("ok XSS fixture: no article script ran, no console errors, no requests, every payload shown as text")


def salad(rng, words):
    return " ".join(rng.choice(words) for _ in range(14)).capitalize() + "."


def check_large(browser, paradup, work):
    rng = random.Random(7)
    words = [f"w{i}{chr(97 + i % 26)}" for i in range(5000)]
    folder = os.path.join(work, "large")
    os.makedirs(folder)
    for i in range(2000):
        paras = [salad(rng, words) for _ in range(5)]
        with open(os.path.join(folder, f"a{i:04}.txt"), "w") as f:
            f.write("\n\n".join(paras + paras) + "\n")
    out = os.path.join(work, "large.html")
    report(paradup, folder, out)
    page = Page(browser, out)
    page.clean()
    total = page.page.locator("#count").inner_text()
    assert total.startswith("10000 of 10000"), total
    started = time.perf_counter()
    page.page.select_option("#scope", "within")
    page.page.fill("#path", "a1999")
    page.page.wait_for_function("document.getElementById('count').textContent.startsWith('5 of')")
    filter_seconds = time.perf_counter() - started
    assert page.load_seconds < LOAD_SECONDS, f"load took {page.load_seconds:.2f} s"
    assert filter_seconds < FILTER_SECONDS, f"filter took {filter_seconds:.2f} s"
    size = os.path.getsize(out) / 1e6
    print(f"ok 10,000 findings ({size:.1f} MB): loaded in {page.load_seconds:.2f} s (bound {LOAD_SECONDS} s), filtered in {filter_seconds:.2f} s (bound {FILTER_SECONDS} s)")


def main():
    paradup = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "target/debug/paradup"))
    work = tempfile.mkdtemp(prefix="paradup-browser-")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            check_corpus(browser, paradup, work)
            check_xss(browser, paradup, work)
            check_large(browser, paradup, work)
            browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
