"""Issue 15 figures: each speed goal, measured beside its baseline in the same run.

Every figure is a whole process, timed from outside, run in pairs with its baseline
(A B A B …, so that a drift of the machine's speed reaches both); it prints the
medians and the median of the pairs' ratios:

- a cold one-page `paiban build` of the sample feature page, against plain
  `weasyprint` of the very HTML paiban sets for it (bench/reference/feature.html):
  no output folder, paiban's machine cache (faces, compiled templates, text read
  back from PDFs it made before) as any earlier build left it; and again with a
  number in the text changed before each run, so that its PDF is one paiban has
  never made;
- the same build against Typst compiling the same article (bench/reference/feature.typ);
- a build of the sample edition where nothing changed;
- a generated 16-page edition of multi-article news pages, cold with -j 2: no output
  folder (its pages' modules kept in paiban's cache from the run before), and with the
  module cache and the text read back from page PDFs emptied before each run (nothing
  of these pages ever built),
  the latter against plain WeasyPrint setting the very HTML paiban sets for each page,
  whole, in two processes (bench/plain_pages.py): the renderer's own time;
- the same edition rebuilt by a new `paiban build` process after a one-character edit
  in one article of one page (reported: the goal for that edit is in a warm process,
  which bench/edit_latency.py --sixteen measures).

The goals in seconds (nothing changed, the 16 pages) are set beside Typst's cold
compile of the reference page (plain WeasyPrint of the reference HTML without Typst),
the yardstick the issue measures against, so that the ratio carries to another
machine; the 16 pages never built are set beside plain WeasyPrint on the same pages
instead, which says how much of their time is the renderer's own.

Run: .venv/bin/python bench/speed.py [--pairs 5]       (prints a table; not a test)
     .venv/bin/python bench/speed.py --write-references (after paiban's output changed)
Typst figures need `pip install typst` in the venv (not a paiban dependency).
"""

import argparse
import compileall
import datetime
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

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from copygen import paragraphs  # noqa: E402

SAMPLE = ROOT / "source" / "sample-2023-01-16"
FEATURE_PAGE = "p05-dawukou.md"
REFERENCE = ROOT / "bench" / "reference"
PAGE_HTML = REFERENCE / "feature.html"      # paiban's HTML of the page, CSS inlined
ARTICLE_TYP = REFERENCE / "feature.typ"     # the page's article in Typst
FACES = "faces"   # the HTML's face files, relative: subset faces, made by paiban.fonts
PAGES = 16
EDITED_PAGE = 7
GOALS = {"one page": 1.1, "no change": 0.25, "sixteen": 2.5, "edit": 0.5}


NOTES = []


def run(command, cwd=ROOT):
    """Seconds a command takes, as a whole process. A build that ends with errors
    in its pages or edition checks (exit 1) has done its work and is noted; any
    other failure stops the bench."""
    started = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if result.returncode == 1:
        errors = [line.strip() for line in result.stdout.splitlines() if "error:" in line]
        note = f"{Path(str(command[3])).name}: exit 1, {'; '.join(errors)[:300]}"
        if note not in NOTES:
            NOTES.append(note)
    elif result.returncode:
        sys.exit(f"bench: {' '.join(map(str, command))} failed ({result.returncode}):\n"
                 f"{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return seconds


def paired(first, second, pairs, before=None):
    """Median seconds of ``first`` and ``second`` run in turn, and the median of the
    pairs' ratios first/second; ``before()`` runs before each run of ``first``."""
    times, ratios = ([], []), []
    for _ in range(pairs):
        if before:
            before()
        pair = run(first), run(second)
        for kept, seconds in zip(times, pair):
            kept.append(seconds)
        ratios.append(pair[0] / pair[1])
    return statistics.median(times[0]), statistics.median(times[1]), statistics.median(ratios)


def paiban(*arguments):
    return [sys.executable, "-m", "paiban", *map(str, arguments)]


def feature_edition(work):
    """The sample edition with its feature page alone: the page the references set."""
    folder = work / "feature"
    shutil.copytree(SAMPLE, folder)
    settings = yaml.safe_load((folder / "edition.yaml").read_text(encoding="utf-8"))
    settings["pages"] = [entry for entry in settings["pages"] if file_of(entry) == FEATURE_PAGE]
    (folder / "edition.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True),
                                         encoding="utf-8")
    return folder


def file_of(entry):
    """The file of a page list entry: a name, or {page: N, file: name}."""
    return entry["file"] if isinstance(entry, dict) else entry


def page_html(edition_folder, number=0, fonts=None):
    """A page's HTML as paiban sets it, whole (a news page's modules not split out),
    every stylesheet inlined, faces as files under faces/ and photos under photos/
    (relative, so the file can be committed); and the faces it names (file name →
    subset face in paiban's cache). The feature edition's one page by default."""
    from paiban import render
    from paiban.build import check_page
    from paiban.fonts import Fonts, cache_root
    from paiban.source import parse_edition
    fonts = fonts or Fonts()
    edition = parse_edition(edition_folder)
    page = edition.pages[number]
    _, placed = check_page(edition, page, fonts)
    urls = {"photos/": edition.path / "photos", "cache/": cache_root()}
    placed = render.with_fixed_urls(render.proof_frames(edition, render.placeable(page, placed)),
                                    urls)
    html = render.html_for(edition, page, placed, fonts)
    subset = fonts.subset(render.page_characters(html))
    faces_css = render.font_face_css(subset)
    for name, path in subset.items():
        faces_css = faces_css.replace(path.as_uri(), f"{FACES}/{name}-{path.name}")
    css = faces_css + render.page_css(edition.house, placed.geometry, fonts, page.mono) \
        + "".join(path.read_text(encoding="utf-8") for path in render.stylesheet_files(edition))
    faces = {f"{name}-{path.name}": path for name, path in subset.items()}
    return html.replace("</head>", f"<style>{css}</style></head>"), faces


def edition_html(edition_folder, work):
    """Every page of an edition as :func:`page_html` sets it, written to ``work``
    beside its faces and the edition's photos: the files of the 16-page baseline."""
    from paiban.fonts import Fonts
    from paiban.source import parse_edition
    fonts, paths = Fonts(), []
    html_folder(work, edition_folder)
    for number in range(len(parse_edition(edition_folder).pages)):
        paths.append(work / f"page{number + 1:02d}.html")
        write_html(paths[-1], *page_html(edition_folder, number, fonts))
    return paths


def html_folder(work, edition_folder):
    """``work`` made ready for page HTML, which names its faces, photos and converted
    images relative: faces/, and links to the edition's photos and paiban's cache."""
    from paiban.fonts import cache_root
    (work / FACES).mkdir(parents=True)
    (work / "photos").symlink_to(edition_folder / "photos")
    (work / "cache").symlink_to(cache_root())


def write_html(path, html, faces):
    """A page's HTML, and the faces it names beside it in faces/."""
    for name, face in faces.items():
        shutil.copyfile(face, path.parent / FACES / name)
    path.write_text(html, encoding="utf-8")


def article_typst(edition_folder):
    """The feature page's article in Typst: 8 justified columns, the same face,
    size and leading as the body."""
    from paiban.source import parse_edition
    article = parse_edition(edition_folder).pages[0].article
    body = "\n\n".join(text.text for kind, text in article.elements()
                       if kind in ("body", "lead", "caption", "quote"))
    return ('#set page(width: 390mm, height: 545mm, margin: (x: 19mm, y: 28.5mm), columns: 8)\n'
            '#set text(font: "Noto Serif CJK SC", size: 9pt, lang: "zh", region: "cn")\n'
            '#set par(justify: true, first-line-indent: 2em, leading: 5.4pt)\n'
            f'= {"".join(t.text for t in article.headline)}\n\n{body}\n')


def write_references(work):
    edition = feature_edition(work)
    REFERENCE.mkdir(exist_ok=True)
    PAGE_HTML.write_text(page_html(edition)[0], encoding="utf-8")
    ARTICLE_TYP.write_text(article_typst(edition), encoding="utf-8")
    print(f"wrote {PAGE_HTML.relative_to(ROOT)} and {ARTICLE_TYP.relative_to(ROOT)}")


def reference_page(edition, work):
    """The committed reference HTML in ``work``, beside the face files it names (the
    same subset faces paiban embeds) and the edition's photos; a note when paiban
    sets the page differently today."""
    html, faces = page_html(edition)
    committed = PAGE_HTML.read_text(encoding="utf-8")
    note = None if committed == html else \
        f"{PAGE_HTML.relative_to(ROOT)} is not what paiban sets today: run --write-references"
    html_folder(work, edition)
    target = work / "feature.html"
    write_html(target, committed, faces)
    return target, note


def news_edition(folder, pages=PAGES):
    """A ``pages``-page edition: the sample's own pages, then news pages up to
    ``pages``, each the sample's news page with its articles' paragraphs replaced by
    generated copy of the same lengths (tests/copygen.py, a seed per page and
    article), so that no two are alike; a story continued from another page is left
    out of the copies."""
    shutil.copytree(SAMPLE, folder)
    settings = yaml.safe_load((folder / "edition.yaml").read_text(encoding="utf-8"))
    numbered = isinstance(settings["pages"][0], dict)  # the list numbers the pages
    names = [file_of(entry) for entry in settings["pages"]]
    sources = {name: (folder / name).read_text(encoding="utf-8") for name in names}
    news = next(name for name, text in sources.items()
                if yaml.safe_load(text.split("---")[1]).get("layout") == "news")
    template = re.sub(r"(?m)^ *- \{[^}]*continued: true[^}]*\}.*\n", "", sources[news])
    for number in range(1, pages + 1):
        if number > len(names):
            text = template
            for index, article in enumerate(re.findall(r"file: (articles/[^,}\s]+)", text)):
                copy = f"articles/p{number:02d}-{Path(article).name}"
                (folder / copy).write_text(new_copy((folder / article).read_text(encoding="utf-8"),
                                                    f"p{number:02d}-", number * 100 + index),
                                           encoding="utf-8")
                text = text.replace(f"file: {article}", f"file: {copy}")
            names.append(f"p{number:02d}.md")
        else:
            text = sources[names[number - 1]]
        (folder / names[-1 if number > len(sources) else number - 1]).write_text(
            re.sub(r"(?m)^page: \d+", f"page: {number}", text), encoding="utf-8")
    settings["pages"] = [{"page": number, "file": name} for number, name
                         in enumerate(names, 1)] if numbered else names
    (folder / "edition.yaml").write_text(yaml.safe_dump(settings, allow_unicode=True),
                                         encoding="utf-8")
    return folder


def new_copy(source, prefix, seed):
    """An article file with each body paragraph replaced by generated copy of its
    length and its id (if its front matter gives one) prefixed; front matter,
    headlines, containers, photos and blank lines kept."""
    lines, inside, front = [], False, source.startswith("---\n")
    for number, line in enumerate(source.split("\n")):
        if front:
            front = number == 0 or line != "---"
            line = re.sub(r"^id: *", f"id: {prefix}", line)
        elif line.startswith(":::"):
            inside = line.strip() != ":::"
        elif line and not inside and not line.startswith(("#", "!", "-", ">")):
            line = copy_of_length(len(line), seed * 1000 + number)
        lines.append(line)
    return "\n".join(lines)


def copy_of_length(length, seed):
    text = ""
    while len(text) < length:
        text += "".join(paragraphs(seed + len(text), 1, latin_share=0.05, marks=False))
    return text[:length - 1].rstrip(" ，。！？；") + "。"


def edit(path):
    """One character of ``path`` changed, and changed back the next time."""
    text = path.read_text(encoding="utf-8")
    old, new = ("。", "！") if "！" not in text else ("！", "。")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def machine():
    model = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    load = os.getloadavg()[0]
    return (f"{model}, {os.cpu_count()} cores, load {load:.1f}, Python "
            f"{platform.python_version()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--write-references", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp())
    try:
        if args.write_references:
            return write_references(work)
        measure(work, args.pairs)
    finally:
        shutil.rmtree(work)


def compile_paiban():
    """paiban's modules compiled to bytecode first, as setup.sh leaves them: where
    PYTHONDONTWRITEBYTECODE is set (as on our machines), every paiban process would
    compile each module changed since, some 50 ms of a cold build."""
    compileall.compile_dir(ROOT / "paiban", quiet=1)


def measure(work, pairs):
    started = datetime.datetime.now(datetime.timezone.utc)
    compile_paiban()
    edition = feature_edition(work)
    html, note = reference_page(edition, work)
    out = work / "out"
    cold = paiban("build", edition, "-o", out)
    plain = [sys.executable, "-m", "weasyprint", html, work / "plain.pdf"]
    try:
        import typst  # noqa: F401
        yardstick_name = "Typst, cold, same article"
        yardstick = [sys.executable, "-c", "import sys, typst; typst.compile(sys.argv[1], "
                     "output=sys.argv[2])", ARTICLE_TYP, work / "typst.pdf"]
    except ImportError:
        yardstick_name, yardstick = "plain WeasyPrint, same HTML", plain
    rows = []

    def fresh(folder):
        return lambda: shutil.rmtree(folder, ignore_errors=True)

    ours, theirs, ratio = paired(cold, plain, pairs, before=fresh(out))
    rows.append(("cold one-page build", ours, "plain WeasyPrint, same HTML", theirs, ratio,
                 f"≤ {GOALS['one page']}×", ratio <= GOALS["one page"]))

    def fresh_text():  # a number no run has set before: the clock's
        fresh(out)()
        page = edition / FEATURE_PAGE
        text = page.read_text(encoding="utf-8")
        page.write_text(re.sub(r"\d+年", f"{time.time_ns() % 10**8}年", text, count=1),
                        encoding="utf-8")
    ours, theirs, ratio = paired(cold, plain, pairs, before=fresh_text)
    rows.append(("cold one-page build, text never built before", ours,
                 "plain WeasyPrint, same HTML", theirs, ratio, f"≤ {GOALS['one page']}×",
                 ratio <= GOALS["one page"]))
    if yardstick is not plain:
        ours, theirs, ratio = paired(cold, yardstick, pairs, before=fresh(out))
        rows.append(("cold one-page build", ours, yardstick_name, theirs, ratio, "report", None))

    sample = work / SAMPLE.name
    shutil.copytree(SAMPLE, sample)
    run(paiban("build", sample, "-o", work / "sample-out"))
    ours, theirs, ratio = paired(paiban("build", sample, "-o", work / "sample-out"),
                                 yardstick, pairs)
    rows.append(("sample edition, nothing changed", ours, yardstick_name, theirs, ratio,
                 f"≤ {GOALS['no change']} s", ours <= GOALS["no change"]))

    sixteen = news_edition(work / "sixteen")
    out16 = work / "out16"
    build16 = paiban("build", sixteen, "-o", out16, "-j", "2")
    ours, theirs, ratio = paired(build16, yardstick, pairs, before=fresh(out16))
    rows.append((f"{PAGES} news pages, cold, -j 2", ours, yardstick_name, theirs, ratio,
                 f"≤ {GOALS['sixteen']} s", ours <= GOALS["sixteen"]))

    from paiban.fonts import cache_root
    kept = [cache_root() / "modules", cache_root() / "spans"]   # nothing of these pages
    pages = edition_html(sixteen, work / "plain16")
    plain16 = [sys.executable, ROOT / "bench" / "plain_pages.py", "-j", "2", *pages]
    ours, theirs, ratio = paired(build16, plain16, pairs, before=lambda: (
        fresh(out16)(), [shutil.rmtree(folder, ignore_errors=True) for folder in kept]))
    rows.append((f"{PAGES} news pages, cold, -j 2, nothing built before", ours,
                 "plain WeasyPrint, same HTML, 2 processes", theirs, ratio,
                 f"≤ {GOALS['sixteen']} s", ours <= GOALS["sixteen"]))

    article = sorted((sixteen / "articles").glob(f"p{EDITED_PAGE:02d}-*.md"))[0]
    ours, theirs, ratio = paired(build16, yardstick, pairs, before=lambda: edit(article))
    rows.append((f"one-character edit on page {EDITED_PAGE}, a new build process (-j 2)",
                 ours, yardstick_name, theirs, ratio,
                 f"report (≤ {GOALS['edit']} s is in watch: edit_latency.py --sixteen)", None))

    print(f"bench/speed.py, {started:%Y-%m-%d %H:%M} UTC, {machine()}; "
          f"{pairs} pairs each, medians")
    print("| goal | paiban | baseline | baseline s | ratio | goal | met |")
    print("|---|---|---|---|---|---|---|")
    for name, seconds, baseline, base_seconds, ratio, goal, met in rows:
        print(f"| {name} | {seconds:.2f} s | {baseline} | {base_seconds:.2f} s | {ratio:.2f}× "
              f"| {goal} | {'-' if met is None else 'yes' if met else 'no'} |")
    for note in ([note] if note else []) + NOTES:
        print(f"note: {note}")


if __name__ == "__main__":
    main()
