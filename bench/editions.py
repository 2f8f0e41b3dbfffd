"""Issue 5 figures: cold build against plain WeasyPrint, Typst side by side, a
16-page edition cold and after a one-page edit, and PDF sizes.

Run: .venv/bin/python bench/editions.py   (prints a table; not a test)
Typst figures need `pip install typst` in the venv (not a paiban dependency).
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import write_edition  # noqa: E402
from paiban import render  # noqa: E402
from paiban.build import check_page  # noqa: E402
from paiban.fonts import Fonts  # noqa: E402
from paiban.source import parse_edition  # noqa: E402

EDITION = ROOT / "source" / "sample-2023-01-16"
RUNS = 3


def timed(command, runs=RUNS, before=None):
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def standalone_html(work):
    """The sample page's HTML with every stylesheet inlined, for `weasyprint` alone."""
    fonts = Fonts()
    edition = parse_edition(EDITION)
    page = edition.pages[0]
    _, placed = check_page(edition, page, fonts)
    html = render.html_for(edition, page, placed, fonts)
    faces = fonts.subset(render.page_characters(html))
    css = render.font_face_css(faces) + render.page_css(edition.house, placed.geometry, fonts) \
        + "".join((render.STYLES_DIR / name).read_text(encoding="utf-8")
                  for name in render.STYLESHEETS)
    path = work / "page.html"
    path.write_text(html.replace("</head>", f"<style>{css}</style></head>"), encoding="utf-8")
    return path


def typst_page(work):
    """The sample's text in Typst: 8 justified columns, the same faces and sizes."""
    article = parse_edition(EDITION).pages[0].article
    body = "\n\n".join(text.text for kind, text in article.elements()
                       if kind in ("body", "lead", "caption", "quote"))
    source = work / "page.typ"
    source.write_text(
        '#set page(width: 390mm, height: 545mm, margin: (x: 19mm, y: 28.5mm), columns: 8)\n'
        '#set text(font: "Noto Serif CJK SC", size: 9pt, lang: "zh", region: "cn")\n'
        '#set par(justify: true, first-line-indent: 2em, leading: 5.4pt)\n'
        f'= {"".join(t.text for t in article.headline)}\n\n{body}\n', encoding="utf-8")
    return source


def main():
    work = Path(tempfile.mkdtemp())
    rows = []
    try:
        out = work / "out"
        rows.append(("cold `paiban build`, sample page", timed(
            [sys.executable, "-m", "paiban", "build", str(EDITION), "-o", str(out)],
            before=lambda: shutil.rmtree(out, ignore_errors=True)), "s"))
        html = standalone_html(work)
        rows.append(("cold plain `weasyprint` of the same HTML", timed(
            [sys.executable, "-m", "weasyprint", str(html), str(work / "plain.pdf")]), "s"))
        sample_pdf = out / EDITION.name / "p05-dawukou.pdf"
        rows.append(("sample page PDF", sample_pdf.stat().st_size / 1024, "KB"))
        try:
            import typst  # noqa: F401
            source = typst_page(work)
            rows.append(("cold Typst compile, same text and faces", timed(
                [sys.executable, "-c", f"import typst; typst.compile({str(source)!r}, "
                 f"output={str(work / 'typst.pdf')!r})"]), "s"))
            rows.append(("Typst PDF of the same text", (work / "typst.pdf").stat().st_size / 1024,
                         "KB"))
        except ImportError:
            rows.append(("Typst (pip install typst to compare)", float("nan"), ""))

        folder = write_edition(work / "sixteen", pages=16)
        out16 = work / "out16"
        command = [sys.executable, "-m", "paiban", "build", str(folder), "-o", str(out16),
                   "-j", str(os.cpu_count())]
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        rows.append((f"16-page edition, cold, -j {os.cpu_count()}",
                     time.perf_counter() - started, "s"))
        page = folder / "p07.md"
        page.write_text(page.read_text(encoding="utf-8").replace("。", "！", 1), encoding="utf-8")
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        rows.append(("16-page edition, after a one-page edit (new process)",
                     time.perf_counter() - started, "s"))
        edition_pdf = out16 / "sixteen" / "sixteen.pdf"
        rows.append(("16-page edition PDF", edition_pdf.stat().st_size / 1024, "KB"))
    finally:
        shutil.rmtree(work)
    for name, value, unit in rows:
        print(f"{name:<56}{value:>9.2f} {unit}")


if __name__ == "__main__":
    main()
