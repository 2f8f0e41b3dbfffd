"""Issues 5 and 14, archiving: PDF/A-3b with sources, immutable revisions made from a
snapshot, verify that trusts no claim without evidence, a catalog no name can script."""

import dataclasses
import fcntl
import hashlib
import json
import os
import shutil
import stat
from urllib.parse import unquote, urlparse

import pikepdf
import pytest
from PIL import Image
from playwright.sync_api import sync_playwright

from paiban.archive import revision as archive
from paiban.archive.revision import archive_edition
from paiban.archive.verify import verify
from paiban.cli import main
from paiban.errors import PaibanError
from paiban.source import parse_edition

from conftest import landscape_photo, write_edition

PHOTO = "photos/hills.jpg"


def edition_with_photo(folder, paper=None):
    """A two-page edition whose first page places a photo."""
    write_edition(folder, pages=2)
    (folder / "photos").mkdir()
    landscape_photo(folder / PHOTO, (600, 400))
    page = folder / "p01.md"
    page.write_text(page.read_text(encoding="utf-8") + f"\n![大武口区风光。]({PHOTO})\n",
                    encoding="utf-8")
    if paper is not None:
        text = (folder / "edition.yaml").read_text(encoding="utf-8")
        (folder / "edition.yaml").write_text(text.replace("paper: 测试日报", f"paper: '{paper}'"),
                                             encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def archived(tmp_path_factory, fonts):
    """The edition archived twice: (root, first revision, second revision)."""
    root = tmp_path_factory.mktemp("archive")
    edition = parse_edition(edition_with_photo(tmp_path_factory.mktemp("src") / "ed"))
    first = archive_edition(edition, fonts, root)
    second = archive_edition(edition, fonts, root)
    return root, first, second


def manifest_of(revision):
    return json.loads((revision / "manifest.json").read_text(encoding="utf-8"))


def test_pages_and_edition_are_pdfa3b_with_their_sources_attached(archived):
    _, revision, _ = archived
    manifest = manifest_of(revision)
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
            assert (f"source/{PHOTO}" in names) == (pdf_name != "p02.pdf")
            for name in names:
                assert pdf.attachments[name].obj["/AFRelationship"] == "/Source"
    with pikepdf.open(revision / "p02.pdf") as pdf:
        meta = pdf.open_metadata()
        assert "page:2" in meta["pdf:Keywords"] and meta["dc:title"].endswith("第2版 专版")
        source = pdf.attachments["source/p02.md"].get_file().read_bytes()
    assert source.startswith(b"---\npage: 2")


def test_manifest_has_checksums_and_versions(archived):
    _, revision, _ = archived
    manifest = manifest_of(revision)
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


def test_revisions_are_readable_by_everyone_and_writable_by_none(archived):
    _, revision, _ = archived
    for path in [revision, *revision.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o555 if path.is_dir() else 0o444), (path, oct(mode))


def test_verify_rebuilds_pages_with_photos_byte_identical(archived, fonts):
    _, revision, _ = archived
    with pikepdf.open(revision / "p01.pdf") as pdf:
        assert len(pdf.pages[0].get_images()) == 1  # the photo is placed
    report = verify(revision, fonts)  # rebuilds in a temporary folder, not the source's
    assert report["ok"] and not report["damaged"] and not report["problems"]
    assert [p["result"] for p in report["pages"]] == ["byte-identical"] * 2


def test_an_edit_during_archiving_does_not_split_the_revision(tmp_path, fonts, monkeypatch):
    folder = edition_with_photo(tmp_path / "ed")
    edition = parse_edition(folder)
    make_page = archive.archival_pdf

    def edit_between_pages(edition, page, *args, **kwargs):
        if page.number == 1:  # an editor saves page 2 and a new photo meanwhile
            text = (folder / "p02.md").read_text(encoding="utf-8")
            (folder / "p02.md").write_text(text.replace("。", "！"), encoding="utf-8")
            Image.new("RGB", (600, 400), (200, 30, 30)).save(folder / PHOTO)
        return make_page(edition, page, *args, **kwargs)
    monkeypatch.setattr(archive, "archival_pdf", edit_between_pages)
    revision = archive_edition(edition, fonts, tmp_path / "archive")
    monkeypatch.undo()
    report = verify(revision, fonts)
    assert report["ok"], report
    assert [p["result"] for p in report["pages"]] == ["byte-identical"] * 2
    with pikepdf.open(revision / "p02.pdf") as pdf:  # the version read before the edit
        assert "！" not in pdf.attachments["source/p02.md"].get_file().read_bytes().decode()


def test_an_error_in_the_snapshot_names_the_edited_file(tmp_path, fonts):
    folder = edition_with_photo(tmp_path / "ed")
    page = folder / "p01.md"
    (folder / PHOTO).write_bytes(b"\xff\xd8\xff not really a JPEG")
    with pytest.raises(PaibanError, match="has errors and is not archived") as error:
        archive_edition(parse_edition(folder), fonts, tmp_path / "archive")
    assert error.value.path == page and str(folder) in error.value.fix
    assert ".staging-" not in str(error.value)
    assert not list((tmp_path / "archive").glob("**/r*"))


def test_a_page_file_named_like_the_edition_is_refused(tmp_path, fonts):
    folder = edition_with_photo(tmp_path / "p01")  # p01.md would overwrite p01.pdf
    with pytest.raises(PaibanError, match="p01.pdf would be archived twice"):
        archive_edition(parse_edition(folder), fonts, tmp_path / "archive")


def copy_revision(revision, tmp_path):
    target = tmp_path / "r1"
    shutil.copytree(revision, target)
    for path in [target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def rehash(revision, sources=False):
    """Make the manifest's file checksums (and with ``sources`` its source checksums)
    agree with the files again: a forger's consistent forgery."""
    manifest = manifest_of(revision)
    manifest["files"] = {p.relative_to(revision).as_posix(): hashlib.sha256(
        p.read_bytes()).hexdigest() for p in sorted(revision.rglob("*"))
        if p.is_file() and p.name != "manifest.json"}
    if sources:
        with pikepdf.open(revision / manifest["edition_pdf"]) as pdf:
            manifest["sources"] = {name: hashlib.sha256(
                spec.get_file().read_bytes()).hexdigest() for name, spec in pdf.attachments.items()}
    (revision / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def replace_attachment(revision, name, data, only_where_attached=True):
    """Put ``data`` as attachment ``name`` in every PDF of the revision that has it
    (or in every PDF)."""
    for path in revision.glob("*.pdf"):
        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            if name in pdf.attachments or not only_where_attached:
                pdf.attachments[name] = pikepdf.AttachedFileSpec(pdf, data, filename=name)
                pdf.save(path)


def test_verify_detects_a_flipped_byte(archived, fonts, tmp_path):
    revision = copy_revision(archived[1], tmp_path)
    pdf = revision / "p01.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    report = verify(revision, fonts)
    assert report["damaged"] == ["p01.pdf"] and not report["ok"]


def test_verify_detects_a_changed_source(archived, fonts, tmp_path):
    # A consistent forgery: every checksum agrees, but the source no longer makes the page.
    revision = copy_revision(archived[1], tmp_path)
    with pikepdf.open(revision / "p01.pdf") as pdf:
        text = pdf.attachments["source/p01.md"].get_file().read_bytes().decode("utf-8")
    replace_attachment(revision, "source/p01.md", text.replace("。", "！", 1).encode())
    rehash(revision, sources=True)
    report = verify(revision, fonts)
    assert not report["problems"] and not report["damaged"]
    assert report["pages"][0]["result"] == "differs" and not report["ok"]
    assert report["pages"][1]["result"] == "pixel-identical"  # it carries p01.md too


def test_verify_detects_a_swapped_photo(archived, fonts, tmp_path):
    revision = copy_revision(archived[1], tmp_path)
    other = tmp_path / "other.jpg"
    landscape_photo(other, (600, 400))
    Image.open(other).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(other, quality=90)
    replace_attachment(revision, f"source/{PHOTO}", other.read_bytes())
    rehash(revision, sources=True)
    report = verify(revision, fonts)
    assert not report["problems"] and not report["damaged"]
    assert [p["result"] for p in report["pages"]] == ["differs", "byte-identical"]
    assert main(["verify", str(revision)]) == 1


def test_verify_detects_a_recoloured_page(archived, fonts, tmp_path):
    revision = copy_revision(archived[1], tmp_path)
    path = revision / "p02.pdf"
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        contents = pdf.pages[0].Contents
        data = contents.read_bytes()
        assert b"0 0 0 1 scn" in data
        contents.write(data.replace(b"0 0 0 1 scn", b"1 0 0 0 scn"))  # black text → cyan
        pdf.save(path)
    rehash(revision)
    report = verify(revision, fonts)
    assert not report["problems"] and not report["damaged"]
    assert [p["result"] for p in report["pages"]] == ["byte-identical", "differs"]
    assert not report["ok"]


def edit_manifest(change):
    def tamper(revision):
        manifest = manifest_of(revision)
        change(manifest)
        (revision / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return tamper


def remove_page(revision):
    manifest = manifest_of(revision)
    entry = manifest["pages"].pop()
    for name in (entry["pdf"], entry["thumbnail"]):
        (revision / name).unlink()
        del manifest["files"][name]
    (revision / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def swap_thumbnails(revision):
    first, second = revision / "thumbs/p01.png", revision / "thumbs/p02.png"
    data = first.read_bytes()
    first.write_bytes(second.read_bytes())
    second.write_bytes(data)
    rehash(revision)


TAMPERING = {
    "a page title edited": (edit_manifest(lambda m: m["pages"][0].update(title="号外")),
                            "the PDF's XMP says"),
    "a page number edited": (edit_manifest(lambda m: m["pages"][1].update(number=7)),
                             "page=7"),
    "a page entry removed": (edit_manifest(lambda m: m["pages"].pop()),
                             "p02.pdf: in the file list but no page entry names it"),
    "a page removed with its files and checksums": (remove_page, "2 pages, but the manifest"),
    "a file added": (lambda r: (r / "notes.txt").write_text("x"),
                     "notes.txt: in the revision folder but not in the manifest"),
    "a folder added": (lambda r: (r / "extra").mkdir(),
                       "extra: in the revision folder but not in the manifest"),
    "a PDF replaced, its checksum too": (
        lambda r: ((r / "p02.pdf").write_bytes(b"%PDF-1.7\n%%EOF\n"), rehash(r)),
        "p02.pdf: not a readable PDF"),
    "a source checksum zeroed": (
        edit_manifest(lambda m: m["sources"].update({"source/p01.md": "0" * 64})),
        "source/p01.md: the manifest's checksum is not the attached file's"),
    "a source removed from the manifest": (
        edit_manifest(lambda m: m["sources"].pop(f"source/{PHOTO}")),
        f"source/{PHOTO}: attached but not in the manifest"),
    "an attachment named out of the folder": (
        lambda r: (replace_attachment(r, "source/../../escape.md", b"x", False), rehash(r)),
        "source/../../escape.md: attached but not in the manifest"),
    "a file checksum edited": (
        edit_manifest(lambda m: m["files"].update({"p02.pdf": "1" * 64})), "p02.pdf"),
    "the recorded WeasyPrint version edited": (
        edit_manifest(lambda m: m["versions"].update(weasyprint="71.0")), "'WeasyPrint 71.0'"),
    "the revision number edited": (edit_manifest(lambda m: m.update(revision=5)),
                                   "says revision 5"),
    "thumbnails swapped": (swap_thumbnails, "thumbs/p01.png: does not show p01.pdf"),
    "the manifest truncated": (lambda r: (r / "manifest.json").write_text("{\"paper\": "),
                               "unreadable manifest"),
    "a file name pointing out of the revision": (
        edit_manifest(lambda m: m["pages"][0].update(pdf="../../p01.pdf")),
        "is not a file in the revision"),
}


@pytest.mark.parametrize("kind", TAMPERING)
def test_verify_reports_every_false_claim_of_the_manifest(archived, fonts, tmp_path, capsys,
                                                         kind):
    revision = copy_revision(archived[1], tmp_path)
    tamper, said = TAMPERING[kind]
    tamper(revision)
    report = verify(revision, fonts)
    assert not report["ok"]
    assert any(said in line for line in report["damaged"] + report["problems"]), report
    assert main(["verify", str(revision)]) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_a_damaged_manifest_elsewhere_does_not_stop_the_catalog(tmp_path, fonts):
    root = tmp_path / "archive"
    edition = parse_edition(edition_with_photo(tmp_path / "ed"))
    first = archive_edition(edition, fonts, root)
    first.chmod(0o755)
    (first / "manifest.json").chmod(0o644)
    (first / "manifest.json").write_text("{ not json", encoding="utf-8")
    second = archive_edition(edition, fonts, root)
    index = (root / "index.html").read_text(encoding="utf-8")
    assert second.name == "r2" and 'data-revision="2"' in index
    assert 'data-revision="1"' not in index
    assert "测试日报/2024-03-01-9/r1" in index.split("Unreadable revisions")[1]


def test_a_killed_archive_leaves_nothing_the_next_one_keeps(tmp_path, fonts):
    root = tmp_path / "archive"
    edition = parse_edition(edition_with_photo(tmp_path / "ed"))
    stale = [root / "测试日报" / "2024-03-01-9" / ".staging-k1ll3d", root / ".staging-snap"]
    for folder in stale:  # as a killed archive leaves them: half written, read-only
        (folder / "thumbs").mkdir(parents=True)
        (folder / "p01.pdf").write_bytes(b"%PDF-1.7 half")
        for path in (folder / "p01.pdf", folder / "thumbs", folder):
            path.chmod(0o444 if path.is_file() else 0o555)
    archive_edition(edition, fonts, root)
    assert not [p for p in stale if p.exists()]
    assert not list(root.glob("**/.staging-*"))


def test_a_live_archive_is_never_cleaned_away(tmp_path, fonts):
    root = tmp_path / "archive"
    live = root / "测试日报" / "2024-03-01-9" / ".staging-live"
    live.mkdir(parents=True)
    edition = parse_edition(edition_with_photo(tmp_path / "ed"))
    with open(root / ".archive.lock", "a+") as lock:  # another archive holds the root
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(PaibanError, match="busy"):
            archive_edition(edition, fonts, root)
    assert live.is_dir()


@pytest.mark.parametrize("paper", ["", "   ", "\t", "日报\n号外", "/etc", ".hidden", "报" * 70])
def test_a_paper_name_that_cannot_name_a_catalog_folder_is_refused(tmp_path, paper):
    edition = parse_edition(edition_with_photo(tmp_path / "ed"))
    with pytest.raises(PaibanError, match="cannot name an archive folder") as error:
        archive.edition_folder(tmp_path / "archive", dataclasses.replace(edition, paper=paper))
    assert error.value.path == tmp_path / "ed" / "edition.yaml"


def test_a_bad_paper_name_is_refused_before_anything_is_archived(tmp_path, fonts):
    folder = edition_with_photo(tmp_path / "ed", paper="/etc")
    assert main(["archive", str(folder), "--root", str(tmp_path / "archive")]) == 2
    assert not list((tmp_path / "archive").glob("**/r*"))


def launch(p):
    return p.chromium.launch(executable_path="/usr/bin/chromium", args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"])


def test_catalog_works_from_disk_in_chromium(archived):
    root, first, second = archived
    index = root / "index.html"
    with sync_playwright() as p:
        browser = launch(p)
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
    assert all(os.path.isfile(unquote(urlparse(h).path)) for h in hrefs)


def test_a_paper_named_like_a_script_url_is_only_a_link(tmp_path, fonts):
    root = tmp_path / "archive"
    edition = parse_edition(edition_with_photo(tmp_path / "ed", paper="javascript:alert(1)"))
    assert edition.paper == "javascript:alert(1)"
    archive_edition(edition, fonts, root)
    dialogs = []
    with sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto((root / "index.html").as_uri())
            attributes = page.eval_on_selector_all(
                "a, img", "nodes => nodes.map(n => n.getAttribute('href') || n.getAttribute('src'))")
            resolved = page.eval_on_selector_all("a", "links => links.map(a => a.href)")
            page.click("a.page >> nth=0")
            page.wait_for_timeout(300)
        finally:
            browser.close()
    assert not dialogs
    assert attributes and all(a.startswith("./javascript%3Aalert%281%29/") for a in attributes)
    assert all(os.path.isfile(unquote(urlparse(h).path)) for h in resolved)


def test_sources_are_never_written_outside_the_edition_folder(tmp_path):
    with pytest.raises(PaibanError, match="is not a file in the edition"):
        archive.write_sources({"source/../../escape.md": b"x"}, tmp_path / "a" / "b" / "ed")
    assert not list(tmp_path.rglob("escape.md"))
