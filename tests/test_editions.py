"""Issue 5, regenerating: cache, parallel pages, determinism, change report, watch."""

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

import pypdf
import pytest

from paiban import cache
from paiban.build import build_edition
from paiban.source import parse_edition
from paiban.watch import watch

from conftest import ROOT, write_edition


@pytest.fixture
def edition(tmp_path):
    return write_edition(tmp_path / "ed")


def build(folder, fonts, out, jobs=2):
    return build_edition(parse_edition(folder), fonts, out, jobs=jobs)


def edit(path, old="。", new="！"):
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_editing_one_page_renders_only_that_page(edition, fonts, tmp_path):
    first = build(edition, fonts, tmp_path / "out")
    assert first["ok"] and [p["cached"] for p in first["pages"]] == [False] * 3
    edit(edition / "p02.md")
    second = build(edition, fonts, tmp_path / "out")
    assert [p["cached"] for p in second["pages"]] == [True, False, True]
    assert len(pypdf.PdfReader(second["edition_pdf"]).pages) == 3
    assert "！" in pypdf.PdfReader(second["edition_pdf"]).pages[1].extract_text()


def test_an_unchanged_edition_is_reassembled_from_the_cache(edition, fonts, tmp_path):
    first = build(edition, fonts, tmp_path / "out")
    before = open(first["edition_pdf"], "rb").read()
    again = build(edition, fonts, tmp_path / "out")
    assert all(p["cached"] for p in again["pages"])
    assert open(again["edition_pdf"], "rb").read() == before


def test_paiban_itself_is_part_of_every_page_key(edition, fonts, tmp_path, monkeypatch):
    build(edition, fonts, tmp_path / "out")
    monkeypatch.setattr(cache, "code_digest", lambda: "a changed template")
    assert not any(p["cached"] for p in build(edition, fonts, tmp_path / "out")["pages"])


def test_a_damaged_page_pdf_is_rendered_again(edition, fonts, tmp_path):
    first = build(edition, fonts, tmp_path / "out")
    with open(first["pages"][0]["pdf"], "r+b") as pdf:
        pdf.seek(100)
        pdf.write(b"X")
    assert [p["cached"] for p in build(edition, fonts, tmp_path / "out")["pages"]] \
        == [False, True, True]


def test_two_builds_give_the_same_bytes(edition, fonts, tmp_path):
    one = build(edition, fonts, tmp_path / "one", jobs=1)
    two = build(edition, fonts, tmp_path / "two", jobs=2)
    for a, b in zip(one["pages"] + [{"pdf": one["edition_pdf"]}],
                    two["pages"] + [{"pdf": two["edition_pdf"]}]):
        assert open(a["pdf"], "rb").read() == open(b["pdf"], "rb").read()


def test_a_rebuild_boxes_the_changed_region(edition, fonts, tmp_path):
    build(edition, fonts, tmp_path / "out")
    edit(edition / "p03.md", "。", "。新增一句话作为改动。")
    (page,) = [p for p in build(edition, fonts, tmp_path / "out")["pages"] if not p["cached"]]
    regions = page["changes"]["regions"]
    assert regions and open(page["changes"]["proof"], "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    # The change is a few lines of one band, not the whole page.
    width, height = pypdf.PdfReader(page["pdf"]).pages[0].mediabox[2:]
    assert sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in regions) < 0.5 * width * height


def test_watch_rebuilds_the_saved_page(edition, fonts, tmp_path):
    lines, done = [], threading.Event()
    worker = threading.Thread(target=watch, args=(edition, fonts, tmp_path / "out"),
                              kwargs={"report": lines.append, "stop": done.is_set})
    worker.start()
    try:
        deadline = time.time() + 60
        while not any(line.startswith("watching") for line in lines) and time.time() < deadline:
            time.sleep(0.05)
        edit(edition / "p01.md")
        while not any(line.startswith("page 1: ok") for line in lines) \
                and time.time() < deadline:
            time.sleep(0.05)
    finally:
        done.set()
        worker.join()
    assert any(line.startswith("changed: p01.md") for line in lines)
    assert any(line.startswith("page 1: ok") for line in lines)
    assert not any(line.startswith(("page 2", "page 3")) for line in lines[3:])


RENDERING = ("weasyprint", "fontTools", "uharfbuzz", "pypdf", "pypdfium2", "pyphen", "PIL")


def test_a_build_where_nothing_changed_loads_no_renderer_and_keeps_the_edition_pdf(
        edition, tmp_path):
    probe = ("import sys; from paiban.cli import main; "
             f"status = main(['build', {str(edition)!r}, '-o', {str(tmp_path / 'out')!r}]); "
             f"print(status, [m for m in {RENDERING!r} if m in sys.modules])")

    def build_in_a_new_process():
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True,
                                text=True, cwd=ROOT, timeout=120)
        report = json.loads((tmp_path / "out" / edition.name / "build.json").read_text())
        return result.stdout.splitlines()[-1], report, Path(report["edition_pdf"]).stat()

    loaded, report, made = build_in_a_new_process()
    assert "'weasyprint'" in loaded and not any(p["cached"] for p in report["pages"])
    loaded, report, kept = build_in_a_new_process()
    assert loaded == "0 []" and all(page["cached"] for page in report["pages"])
    assert (kept.st_ino, kept.st_mtime_ns) == (made.st_ino, made.st_mtime_ns)


def test_a_damaged_edition_pdf_is_assembled_again(edition, fonts, tmp_path):
    first = build(edition, fonts, tmp_path / "out")
    before = open(first["edition_pdf"], "rb").read()
    with open(first["edition_pdf"], "r+b") as pdf:
        pdf.seek(100)
        pdf.write(b"X")
    again = build(edition, fonts, tmp_path / "out")
    assert all(p["cached"] for p in again["pages"])
    assert open(again["edition_pdf"], "rb").read() == before

