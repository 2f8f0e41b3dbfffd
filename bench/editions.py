"""Issue 5 figures: cold build against plain WeasyPrint, Typst side by side, a
16-page edition cold and after a one-page edit, and PDF sizes. The plain WeasyPrint
and Typst runs read the committed references in bench/reference/ (see speed.py).

Run: .venv/bin/python bench/editions.py   (prints a table; not a test)
Typst figures need `pip install typst` in the venv (not a paiban dependency).
"""

import datetime
import os
import platform
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
from speed import ARTICLE_TYP, compile_paiban, feature_edition, reference_page  # noqa: E402

FEATURE_PAGE = "p05-dawukou.md"
RUNS = 3


def paired(first, second, runs=RUNS, before=None):
    """Median seconds of two commands run in turn (A B A B …, so that a drift of the
    machine's speed reaches both), and the median of their per-pair ratio A/B;
    ``before`` runs before each run of A."""
    times, ratios = ([], []), []
    for _ in range(runs):
        pair = []
        for command in (first, second):
            if before and command is first:
                before()
            started = time.perf_counter()
            subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
            pair.append(time.perf_counter() - started)
        for kept, seconds in zip(times, pair):
            kept.append(seconds)
        ratios.append(pair[0] / pair[1])
    return statistics.median(times[0]), statistics.median(times[1]), statistics.median(ratios)


def timed(command, runs=RUNS, before=None):
    times = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def text_only_pdf(edition, work):
    """KB of the feature page built without its photo files (grey frames), the text and
    faces that Typst's page holds."""
    folder = work / "text-only" / edition.name
    shutil.copytree(edition, folder)
    shutil.rmtree(folder / "photos")
    out = work / "text-only-out"
    subprocess.run([sys.executable, "-m", "paiban", "build", str(folder), "-o", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    return (out / folder.name / FEATURE_PAGE.replace(".md", ".pdf")).stat().st_size / 1024


def main():
    compile_paiban()
    work = Path(tempfile.mkdtemp())
    rows = []
    try:
        out = work / "out"
        edition = feature_edition(work)
        html, _ = reference_page(edition, work)
        build = [sys.executable, "-m", "paiban", "build", str(edition), "-o", str(out)]
        ours, plain, ratio = paired(
            build, [sys.executable, "-m", "weasyprint", str(html), str(work / "plain.pdf")],
            runs=5, before=lambda: shutil.rmtree(out, ignore_errors=True))
        rows += [("cold `paiban build`, sample feature page", ours, "s"),
                 ("cold plain `weasyprint` of the same HTML", plain, "s"),
                 ("  ratio paiban / plain WeasyPrint (median of pairs)", ratio, "×")]
        sample_pdf = out / edition.name / FEATURE_PAGE.replace(".md", ".pdf")
        rows.append(("sample page PDF", sample_pdf.stat().st_size / 1024, "KB"))
        try:
            import typst  # noqa: F401
            source = ARTICLE_TYP
            _, compiled, ratio = paired(build, [
                sys.executable, "-c", f"import typst; typst.compile({str(source)!r}, "
                f"output={str(work / 'typst.pdf')!r})"], runs=5,
                before=lambda: shutil.rmtree(out, ignore_errors=True))
            rows += [("cold Typst compile, same text and faces", compiled, "s"),
                     ("  ratio paiban / Typst (median of pairs)", ratio, "×")]
            typst_size = (work / "typst.pdf").stat().st_size / 1024
            text_only = text_only_pdf(edition, work)
            rows += [("Typst PDF of the same text", typst_size, "KB"),
                     ("sample page PDF without its photos (text, as Typst's)", text_only, "KB"),
                     ("  ratio of the two", text_only / typst_size, "×")]
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
    print(f"bench/editions.py, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} "
          f"UTC, {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}")
    for name, value, unit in rows:
        print(f"{name:<56}{value:>9.2f} {unit}")


if __name__ == "__main__":
    main()
