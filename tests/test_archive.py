"""Issue 5, archiving: PDF/A-3b with sources, immutable revisions, verify, catalog."""

import json
import os
import stat

import pikepdf
import pytest
from playwright.sync_api import sync_playwright

from paiban.archive import archive_edition, verify
from paiban.source import parse_edition

from conftest import write_edition


@pytest.fixture(scope="module")
def archived(tmp_path_factory, fonts):
    """A two-page edition archived twice: (root, first revision, second revision)."""
    root = tmp_path_factory.mktemp("archive")
    edition = parse_edition(write_edition(tmp_path_factory.mktemp("src") / "ed", pages=2))
    first = archive_edition(edition, fonts, root)
    second = archive_edition(edition, fonts, root)
    return root, first, second


def test_pages_and_edition_are_pdfa3b_with_their_sources_attached(archived):
    _, revision, _ = archived
    manifest = json.loads((revision / "manifest.json").read_text(encoding="utf-8"))
    for pdf_name in [p["pdf"] for p in manifest["pages"]] + [manifest["edition_pdf"]]:
        with pikepdf.open(revision / pdf_name) as pdf:
            meta = pdf.open_metadata()
            assert meta["pdfaid:part"] == "3" and meta["pdfaid:conformance"] == "B"
            assert "paper:测试日报" in meta["pdf:Keywords"] and "issue:9" in meta["pdf:Keywords"]
            names = set(pdf.attachments)
            associated = [spec.objgen for spec in pdf.Root.AF]
            assert len(associated) == len(set(associated)) == len(names)
            assert {"source/edition.yaml", "source/p01.md", "source/p02.md",
                    "fonts/fonts.lock.toml", "layout/feature.html.j2",
                    "styles/typography.css"} <= names
            for name in names:
                assert pdf.attachments[name].obj["/AFRelationship"] == "/Source"
    with pikepdf.open(revision / "p02.pdf") as pdf:
        meta = pdf.open_metadata()
        assert "page:2" in meta["pdf:Keywords"] and meta["dc:title"].endswith("第2版 专版")
        source = pdf.attachments["source/p02.md"].get_file().read_bytes()
    assert source.startswith(b"---\npage: 2")


def test_manifest_has_checksums_and_versions(archived):
    _, revision, _ = archived
    manifest = json.loads((revision / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["versions"]) >= {"paiban", "weasyprint", "pango", "harfbuzz"}
    on_disk = {p.relative_to(revision).as_posix() for p in revision.rglob("*")
               if p.is_file()} - {"manifest.json"}
    assert set(manifest["files"]) == on_disk
    assert len(manifest["sources"]["source/p01.md"]) == 64


def test_archiving_again_makes_a_new_revision_and_keeps_the_old(archived):
    root, first, second = archived
    assert (first.name, second.name) == ("r1", "r2") and first.parent == second.parent
    assert first.parent == root / "测试日报" / "2024-03-01-9"
    for path in first.rglob("*"):
        if path.is_file():
            assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".")]


def test_verify_rebuilds_byte_identical_pages(archived, fonts):
    _, revision, _ = archived
    report = verify(revision, fonts)
    assert report["ok"] and not report["damaged"]
    assert [p["result"] for p in report["pages"]] == ["byte-identical"] * 2


def copy_revision(revision, tmp_path):
    import shutil
    target = tmp_path / "r1"
    shutil.copytree(revision, target)
    for path in target.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def test_verify_detects_a_flipped_byte(archived, fonts, tmp_path):
    revision = copy_revision(archived[1], tmp_path)
    pdf = revision / "p01.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    report = verify(revision, fonts)
    assert report["damaged"] == ["p01.pdf"] and not report["ok"]


def test_verify_detects_a_changed_source(archived, fonts, tmp_path):
    # A forgery with consistent checksums: the attached source no longer makes the page.
    revision = copy_revision(archived[1], tmp_path)
    path = revision / "p01.pdf"
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        spec = pdf.attachments["source/p01.md"]
        text = spec.get_file().read_bytes().decode("utf-8").replace("。", "！", 1)
        pdf.attachments["source/p01.md"] = pikepdf.AttachedFileSpec(
            pdf, text.encode("utf-8"), filename="source/p01.md")
        pdf.save(path)
    manifest_path = revision / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    import hashlib
    manifest["files"]["p01.pdf"] = hashlib.sha256(path.read_bytes()).hexdigest()
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    report = verify(revision, fonts)
    assert report["pages"][0]["result"] == "differs" and not report["ok"]
    assert report["pages"][1]["result"] == "byte-identical"


def test_catalog_works_from_disk_in_chromium(archived):
    root, first, second = archived
    index = root / "index.html"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            page.goto(index.as_uri())
            page.wait_for_load_state("load")
            editions = page.locator("section.edition")
            assert editions.count() == 2
            assert editions.first.get_attribute("data-revision") == "2"
            assert "测试日报" in page.inner_text("h2 >> nth=0")
            widths = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.naturalWidth)")
            assert len(widths) == 4 and all(w > 0 for w in widths)
            hrefs = page.eval_on_selector_all("a.page, a.edition-pdf",
                                              "links => links.map(a => a.href)")
        finally:
            browser.close()
    assert len(hrefs) == 6
    from urllib.parse import unquote, urlparse
    assert all(os.path.isfile(unquote(urlparse(h).path)) for h in hrefs)
