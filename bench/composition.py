"""What paiban's line composition costs, and what it replaces.

Times the sample page composed by paiban (fit + clreq composition + render + PDF)
against the same page, same frames and same text, where WeasyPrint breaks and
justifies each paragraph itself (text-align: justify, 2 em indent): the "before".
Both PDFs are written to output/bench/ for side-by-side crops.

Run: .venv/bin/python bench/composition.py   (prints a table; not a test)
"""

import dataclasses
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from weasyprint import CSS, HTML  # noqa: E402

from paiban import cjk, render  # noqa: E402
from paiban.build import pdf_bytes  # noqa: E402
from paiban.fit import Item, composed, fit_page, paragraph  # noqa: E402
from paiban.fonts import Fonts  # noqa: E402
from paiban.source import parse_edition  # noqa: E402

EDITION = ROOT / "source" / "sample-2023-01-16"
OUT = ROOT / "output" / "bench"
NAIVE_CSS = ".ln { white-space: normal; text-align: justify; height: auto; letter-spacing: 0 }"


def paragraph_line(lines):
    """One uncomposed line holding a paragraph's text, for WeasyPrint to break."""
    text = "".join(line.text for line in lines)
    return cjk.Line([cjk.Unit(text, 0.0)], lines[0].measure, lines[0].indent, last=True)


def uncomposed(placed):
    """The placed page with every composed paragraph handed back as plain text."""
    frames = []
    for frame in placed.frames:
        if frame.kind == "column":
            items, run = [], []
            for item in frame.lines + [None]:
                if item is not None and item.frame_kind == "line":
                    run.append(item)
                    if not item.payload.last:
                        continue
                if run:
                    items.append(Item(len(run), "line", paragraph_line([i.payload for i in run]),
                                      run[0].block, run[0].line, 0))
                    run = []
                if item is not None and item.frame_kind != "line":
                    items.append(item)
            frame = dataclasses.replace(frame, lines=items)
        elif frame.kind in ("lead", "caption") and frame.lines:
            frame = dataclasses.replace(frame, lines=[paragraph_line(frame.lines)])
        frames.append(frame)
    return dataclasses.replace(placed, frames=frames)


def composed_run(edition, page, fonts):
    placed = fit_page(page, fonts, edition.house, edition.paper_size, edition.composition)
    return pdf_bytes(render.render(edition, page, placed, fonts), edition, page)


def naive_run(edition, page, fonts, placed):
    html = render.html_for(edition, page, uncomposed(placed), fonts)
    fetcher = render.SandboxFetcher([edition.path, render.STYLES_DIR])
    sheets = [CSS(filename=path, url_fetcher=fetcher)
              for path in render.stylesheet_files(edition)]
    sheets += [CSS(string=render.page_css(edition.house, placed.geometry, fonts)),
               CSS(string=NAIVE_CSS)]
    document = HTML(string=html, base_url=str(edition.path) + "/",
                    url_fetcher=render.SandboxFetcher([edition.path, render.STYLES_DIR,
                                                       render.cache_root()])).render(
        stylesheets=sheets)
    return pdf_bytes(document, edition, page)


def timed(function, runs=5):
    """Median seconds of ``runs`` calls, each composing every paragraph again: the
    process keeps what it composed (for `paiban watch`), which would time nothing."""
    times, result = [], None
    for _ in range(runs):
        composed.cache_clear()
        paragraph.cache_clear()
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


if __name__ == "__main__":
    fonts = Fonts()
    edition = parse_edition(EDITION)
    page = next(page for page in edition.pages if page.layout == "feature")
    placed = fit_page(page, fonts, edition.house, edition.paper_size, edition.composition)
    fit, _ = timed(lambda: fit_page(page, fonts, edition.house, edition.paper_size,
                                    edition.composition))
    with_composition, composed_pdf = timed(lambda: composed_run(edition, page, fonts))
    without, naive = timed(lambda: naive_run(edition, page, fonts, placed))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "composed.pdf").write_bytes(composed_pdf)
    (OUT / "weasyprint-only.pdf").write_bytes(naive)
    print(f"{'sample page, warm process, composed afresh':<44}{'median s':>10}")
    print(f"{'fit + composition alone':<44}{fit:>10.2f}")
    print(f"{'composed by paiban, rendered to PDF':<44}{with_composition:>10.2f}")
    print(f"{'broken and justified by WeasyPrint':<44}{without:>10.2f}")
    print(f"overhead of the composition: {with_composition - without:+.2f} s "
          f"({(with_composition / without - 1) * 100:+.0f}%)")
