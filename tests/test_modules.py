"""A news page is composed of its articles rendered alone and kept by content
(paiban.modules): an edit renders one module, and the bytes do not depend on what
the cache holds."""

import subprocess

import pikepdf
import pymupdf
import pytest

from conftest import keep_pages
from paiban.build import build_edition
from paiban.source import parse_edition

NEWS = "p06-yaowen.pdf"
EDIT = ("坚持", "坚守")   # one character of articles/tian.md


def module_files(cache):
    return set((cache / "paiban" / "modules").glob("*.pdf"))


def build(folder, fonts, out, monkeypatch, cache, **options):
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    report = build_edition(parse_edition(folder), fonts, out, **options)
    assert report["ok"], report
    return report


def edit_one_character(folder):
    article = folder / "articles" / "tian.md"
    text = article.read_text(encoding="utf-8")
    assert EDIT[0] in text
    article.write_text(text.replace(EDIT[0], EDIT[1], 1), encoding="utf-8")


@pytest.fixture
def news_only(edition_copy):
    return keep_pages(edition_copy, "p06-yaowen.md")


def module_forms(pdf):
    page = pdf.pages[0]
    return {name: form for name, form in page.Resources.XObject.items()
            if name.startswith("/PaibanModule")}


def test_an_edit_renders_one_module_and_the_page_is_the_bytes_of_a_cold_build(
        news_only, fonts, tmp_path, monkeypatch):
    warm_cache, cold_cache = tmp_path / "warm", tmp_path / "cold"
    build(news_only, fonts, tmp_path / "out", monkeypatch, warm_cache)
    before = module_files(warm_cache)
    articles = len(parse_edition(news_only).pages[0].stories)
    assert len(before) == articles + 2   # and the page's furniture, and the page itself
    edit_one_character(news_only)
    build(news_only, fonts, tmp_path / "out", monkeypatch, warm_cache)
    assert len(module_files(warm_cache) - before) == 1
    build(news_only, fonts, tmp_path / "fresh", monkeypatch, cold_cache)
    warm = (tmp_path / "out" / news_only.name / NEWS).read_bytes()
    assert warm == (tmp_path / "fresh" / news_only.name / NEWS).read_bytes()


def test_each_module_is_real_text_with_its_own_embedded_subsets(
        news_only, fonts, tmp_path, monkeypatch):
    report = build(news_only, fonts, tmp_path / "out", monkeypatch, tmp_path / "cache")
    path = tmp_path / "out" / news_only.name / NEWS
    entry = report["pages"][0]
    with pikepdf.open(path) as pdf:
        forms = module_forms(pdf)
        assert len(forms) == len(entry["articles"]) + 1   # and the page's furniture
        names = set()
        for form in forms.values():
            for font in form.Resources.Font.values():
                descriptor = font.DescendantFonts[0].FontDescriptor
                assert "/FontFile2" in descriptor or "/FontFile3" in descriptor
                names.add(str(font.BaseFont))
    # build.json's fonts (and so the check for faces outside the lock) see the
    # fonts inside the modules: the headline face is set in modules alone
    assert names <= set(entry["fonts"]) and all("+paiban-" in name for name in names)
    with pymupdf.open(path) as document:
        text = document[0].get_text().replace("\n", "")
    for article in entry["articles"]:
        assert article["headline"] in text


def test_a_module_kept_from_before_stays_when_another_gains_a_character(
        news_only, fonts, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    build(news_only, fonts, tmp_path / "out", monkeypatch, cache)
    path = tmp_path / "out" / news_only.name / NEWS
    with pikepdf.open(path) as pdf:
        before = {name: form.read_bytes() for name, form in module_forms(pdf).items()}
    article = news_only / "articles" / "tian.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(EDIT[0], "鑫持", 1), encoding="utf-8")  # new to the page
    build(news_only, fonts, tmp_path / "out", monkeypatch, cache)
    with pikepdf.open(path) as pdf:
        after = {name: form.read_bytes() for name, form in module_forms(pdf).items()}
    changed = [name for name in before if before[name] != after[name]]
    assert len(changed) == 1
    with pymupdf.open(path) as document:
        assert "鑫持" in document[0].get_text()


def test_print_and_archive_pages_of_modules_hold_their_text_and_pass_qpdf_check(
        news_only, fonts, tmp_path, monkeypatch):
    from paiban.archive.revision import archive_edition
    build(news_only, fonts, tmp_path / "out", monkeypatch, tmp_path / "cache",
          output="print")
    edition = parse_edition(news_only)
    revision = archive_edition(edition, fonts, tmp_path / "archive")
    headlines = ["".join(text.text for text in story.article.headline)
                 for story in edition.pages[0].stories]
    for path in (tmp_path / "out" / news_only.name / "print" / NEWS,
                 revision / NEWS, revision / f"{edition.slug}.pdf"):
        with pikepdf.open(path) as pdf:
            assert module_forms(pdf)
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout
        with pymupdf.open(path) as document:
            text = document[0].get_text().replace("\n", "")
        assert all(headline in text for headline in headlines)


def test_the_change_proof_is_made_once_the_new_pdf_is_in_place(news_only, fonts, tmp_path,
                                                              monkeypatch):
    import paiban.changes
    out = tmp_path / "out"
    build(news_only, fonts, out, monkeypatch, tmp_path / "cache")
    pdf = out / news_only.name / NEWS
    proved, prove = [], paiban.changes.change_proof

    def change_proof(old, new, target):
        proved.append(pdf.read_bytes() == new != old)
        return prove(old, new, target)
    monkeypatch.setattr(paiban.changes, "change_proof", change_proof)
    edit_one_character(news_only)
    report = build(news_only, fonts, out, monkeypatch, tmp_path / "cache")
    assert proved == [True]
    entry = report["pages"][0]
    assert entry["changes"]["regions"]
    assert (out / news_only.name / "changes" / "p06-yaowen.png").read_bytes()[:4] == b"\x89PNG"
    written = (out / news_only.name / "build.json").read_text(encoding="utf-8")
    assert '"regions"' in written


def test_the_module_cache_keeps_the_modules_used_last(tmp_path):
    import os
    from paiban.modules import prune
    for n in range(6):
        path = tmp_path / f"{n}.pdf"
        path.write_bytes(b"%PDF")
        os.utime(path, ns=(n * 10**9, (10 - n if n % 2 else n) * 10**9))
    prune(tmp_path, keep=3)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["1.pdf", "3.pdf", "5.pdf"]


def test_a_module_spans_every_frame_it_sets():
    from paiban.fit import Frame
    from paiban.modules import spanned
    frames = [Frame("headline", 10, 20, 100, 30), Frame("caption", 5, 60, 100, 50)]
    assert spanned((10, 20, 100, 80), frames) == (5, 20, 105, 90)
    assert spanned((0, 0, 200, 200), frames) == (0, 0, 200, 200)
