"""Edit to PDF on a news page, in `paiban watch`, against Typst's cold compile of it.

`paiban watch` runs on a copy of the sample edition, with a cache of its own that
starts empty; each round changes one character of one article of its news page
(articles/tian.md, on p06-yaowen.md) to one no round has set before (so no module
is found ready in the cache, no paragraph composed in the process) and times from
the save until the page PDF is replaced, then lets the rebuild finish and times a cold
Typst compile (a new process) of the same page's articles (bench/reference/news.typ:
each article in its module's box and columns, headline and body in the body face; no
photos). The pairs' ratios, their median, and both medians in seconds are printed,
with the date and the machine. Goal (issue 15): ratio ≤ 1.0.

With --sixteen the edition is bench/speed.py's generated 16-page one (news pages of
generated copy after the sample's three), and the edit is one character added to an
article of its page 7, each round another: issue 15's goal there is 0.5 s.

Run:  .venv/bin/python bench/edit_latency.py [--rounds N] [--sixteen]
      .venv/bin/python bench/edit_latency.py --write-reference  (after the page changed)
Typst needs `pip install typst` in the venv (not a paiban dependency).
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITION = ROOT / "source" / "sample-2023-01-16"
PAGE, ARTICLE = "p06-yaowen", "articles/tian.md"
EDITED = re.compile("坚.")     # the character after 坚 in the article …
EDITS = "守握护保执秉承续恪笃循践行定固信强韧毅"   # … becomes each of these in turn
REFERENCE = ROOT / "bench" / "reference" / "news.typ"
GOAL = 1.0
SIXTEEN_GOAL = 0.5       # s, an edit on one page of a built 16-page edition


def wait_for(condition, timeout=60):
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise TimeoutError
        time.sleep(0.002)


def news_typst(report, edition_folder):
    """The news page's articles in Typst, each in its module's box (build.json) and
    text columns, its headline at the module's headline size."""
    from paiban.source import parse_edition
    edition = parse_edition(edition_folder)
    page = next(page for page in edition.pages if Path(page.path).stem == PAGE)
    geometry = edition.house.geometry(edition.paper_size)
    entry = next(entry for entry in report["pages"] if entry["source"].endswith(PAGE + ".md"))
    stories = {story.id: story for story in page.stories}
    parts = [f"#set page(width: {geometry.trim_width:.2f}pt, "
             f"height: {geometry.trim_height:.2f}pt, margin: 0pt)\n"
             f'#set text(font: "Noto Serif CJK SC", size: {geometry.body_size}pt, '
             'lang: "zh", region: "cn")\n'
             f"#set par(justify: true, first-line-indent: 2em, "
             f"leading: {geometry.pitch - geometry.body_size:.2f}pt)\n"]
    for article in entry["articles"]:
        story = stories[article["id"]]
        x, y, width, height = article["box"]
        body = "\n\n".join(escaped(text.text.replace("**", ""))
                           for kind, text in story.article.elements() if kind != "headline")
        parts.append(f"#place(top + left, dx: {x}pt, dy: {y}pt, block(width: {width}pt, "
                     f"height: {height}pt)[\n#text(size: {article['headline_size']}pt, "
                     f'weight: "bold")[{article["headline"]}]\n\n'
                     f"#columns({article['columns']}, gutter: {geometry.gutter:.2f}pt)[\n"
                     f"{body}\n]])\n")
    return "".join(parts)


def escaped(text):
    """Text as Typst markup sets it literally."""
    return "".join("\\" + char if char in "\\#*_$@<>[]`=-+/~" else char for char in text)


def machine():
    model = next((line.split(":", 1)[1].strip() for line in
                  Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return f"{platform.system()} {platform.machine()}, {model}, {os.cpu_count()} cores"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=10, choices=range(1, len(EDITS)))
    parser.add_argument("--write-reference", action="store_true")
    parser.add_argument("--sixteen", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    try:
        run(work, args)
    finally:
        shutil.rmtree(work)


def sample_edit(edition, round_):
    """The sample's news page: one character of tian.md, another each round."""
    source = edition / ARTICLE
    text = source.read_text(encoding="utf-8")
    assert EDITED.search(text), f"{ARTICLE} no longer holds 坚"
    return source, EDITED.sub("坚" + EDITS[round_ % len(EDITS)], text, count=1)


def sixteen_edit(edition, round_, page):
    """An article of ``page`` of the 16-page edition: a character added before its
    first full stop, another each round."""
    source = sorted((edition / "articles").glob(f"{page}-*.md"))[0]
    text = source.read_text(encoding="utf-8")
    return source, text.replace("。", EDITS[round_ % len(EDITS)] + "。", 1)


def run(work, args):
    if args.sixteen:
        sys.path.insert(0, str(ROOT / "bench"))
        from speed import EDITED_PAGE, news_edition
        edition = news_edition(work / "sixteen")
        page = f"p{EDITED_PAGE:02d}"
        change = lambda folder, round_: sixteen_edit(folder, round_, page)  # noqa: E731
    else:
        edition = work / EDITION.name
        shutil.copytree(EDITION, edition)
        page, change = PAGE, sample_edit
    out = work / "out"
    pdf = out / edition.name / f"{page}.pdf"
    watcher = subprocess.Popen([sys.executable, "-m", "paiban", "watch", str(edition),
                                "-o", str(out)], cwd=ROOT, stdout=subprocess.PIPE, text=True,
                               env=dict(os.environ, XDG_CACHE_HOME=str(work / "cache")))
    try:
        wait_for(lambda: "watching" in watcher.stdout.readline())
        if args.write_reference:
            report = json.loads((out / edition.name / "build.json").read_text(encoding="utf-8"))
            REFERENCE.write_text(news_typst(report, edition), encoding="utf-8")
            print(f"wrote {REFERENCE.relative_to(ROOT)}")
            return
        typst = [sys.executable, "-c", "import sys, typst; typst.compile(sys.argv[1], "
                 "output=sys.argv[2])", str(REFERENCE), str(work / "typst.pdf")]
        ours, theirs = [], []
        for round_ in range(args.rounds + 1):   # the first pair warms the disk cache
            before = pdf.stat().st_mtime_ns
            source, text = change(edition, round_)
            started = time.perf_counter()
            source.write_text(text, encoding="utf-8")
            wait_for(lambda before=before: pdf.stat().st_mtime_ns != before)
            edit = time.perf_counter() - started
            wait_for(lambda: "edition rebuilt" in watcher.stdout.readline())
            time.sleep(0.3)   # the change proof and the edition checks are done
            started = time.perf_counter()
            subprocess.run(typst, check=True)
            cold = time.perf_counter() - started
            if round_:
                ours.append(edit)
                theirs.append(cold)
    finally:
        watcher.terminate()
        watcher.wait()
    ratios = [a / b for a, b in zip(ours, theirs)]
    ratio = statistics.median(ratios)
    print(f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {machine()}")
    print(f"edit to PDF, one character of {source.relative_to(edition)} on {page} of a "
          f"{len(list(edition.glob('p*.md')))}-page edition in paiban watch, {len(ours)} pairs:")
    print(f"  paiban watch: median {statistics.median(ours):.3f} s "
          f"(min {min(ours):.3f}, max {max(ours):.3f})")
    print(f"  Typst, cold, same page: median {statistics.median(theirs):.3f} s "
          f"(min {min(theirs):.3f}, max {max(theirs):.3f})")
    if args.sixteen:
        seconds = statistics.median(ours)
        print(f"  ratio (median of pairs): {ratio:.2f}×; goal ≤ {SIXTEEN_GOAL} s: "
              f"{'met' if seconds <= SIXTEEN_GOAL else 'NOT met'}")
    else:
        print(f"  ratio (median of pairs): {ratio:.2f}×, goal ≤ {GOAL}×: "
              f"{'met' if ratio <= GOAL else 'NOT met'}")


if __name__ == "__main__":
    main()
