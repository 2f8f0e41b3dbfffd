"""Issue 6: untrusted source, bad input and failures — one test (or a few) per item."""

import base64
import io
import os
import struct
import zlib

import pymupdf
import pytest
from hypothesis import given, settings, strategies as st
from PIL import Image

from paiban import build, environment, files
from paiban.build import build_edition, edition_lock
from paiban.cli import main
from paiban.errors import PaibanError
from paiban.fonts import Fonts
from paiban.render import SandboxFetcher
from paiban.source import parse_edition, parse_page

from conftest import BODY, edited_lock, make_edition

def photo_page(folder, src):
    """An edition whose page has one photo, on line 11 of p01.md."""
    return make_edition(folder, body=f"{BODY}\n\n![图片说明。]({src})")


def findings_of(folder, fonts, tmp_path, strict=False):
    report = build_edition(parse_edition(folder), fonts, tmp_path / "out", strict=strict)
    return report["pages"][0]


def png_bytes(size=(64, 48), mode="RGB"):
    buffer = io.BytesIO()
    Image.new(mode, size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def bomb_png(width=100_000, height=100_000):
    """A PNG whose header claims 10 gigapixels (nothing else is needed to refuse it)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) \
        + chunk(b"IEND", b"")


# 1. The renderer reads nothing outside the edition and paiban's own files.

@pytest.mark.parametrize("src", [
    "file:///etc/passwd", "../../../../etc/passwd", "/etc/passwd", "http://example.com/a.jpg",
    "https://example.com/a.jpg", "data:text/html;base64,PHNjcmlwdD4=",
    "data:image/png;base64," + base64.b64encode(b"\0" * 300_000).decode()])
def test_photo_references_outside_the_edition_are_refused_with_the_line(
        tmp_path, fonts, src):
    folder = photo_page(tmp_path / "ed", src)
    try:
        entry = findings_of(folder, fonts, tmp_path)
    except PaibanError as error:  # markdown-it's link check refuses some at parse time
        assert error.line == 11 and "refused" in error.message
        return
    (error,) = entry["errors"]
    assert error["line"] == 11 and error["path"].endswith("p01.md")
    assert "not a file inside the edition folder" in error["message"] or \
        "data: image refused" in error["message"]
    assert entry["pdf"] is None


def test_a_symlink_out_of_the_edition_is_refused(tmp_path, fonts):
    outside = tmp_path / "secret.png"
    outside.write_bytes(png_bytes())
    folder = photo_page(tmp_path / "ed", "photo.png")
    (folder / "photo.png").symlink_to(outside)
    (error,) = findings_of(folder, fonts, tmp_path)["errors"]
    assert "not a file inside the edition folder" in error["message"] and error["line"] == 11


@pytest.mark.parametrize("page", ["../secret.md", "/etc/passwd", "link.md"])
def test_page_files_outside_the_edition_are_refused(tmp_path, page):
    (tmp_path / "secret.md").write_text("---\npage: 1\n---\n# 秘密\n\n秘密。\n", encoding="utf-8")
    folder = make_edition(tmp_path / "ed")
    (folder / "link.md").symlink_to(tmp_path / "secret.md")
    (folder / "edition.yaml").write_text((folder / "edition.yaml").read_text(
        encoding="utf-8").replace("[p01.md]", f"[{page!r}]"), encoding="utf-8")
    with pytest.raises(PaibanError) as error:
        parse_edition(folder)
    assert "outside the edition folder" in error.value.message and error.value.line == 4


def test_the_fetcher_serves_only_allowed_folders(tmp_path):
    allowed = tmp_path / "edition"
    allowed.mkdir()
    (allowed / "a.css").write_text("p{}", encoding="utf-8")
    fetcher = SandboxFetcher([allowed])
    assert fetcher.fetch((allowed / "a.css").as_uri())
    for url in ("file:///etc/passwd", (allowed / ".." / "x").as_uri(),
                "http://example.com/", "ftp://example.com/x"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_small_inline_and_local_images_are_placed(tmp_path, fonts):
    folder = photo_page(tmp_path / "ed", "photo.png")
    (folder / "photo.png").write_bytes(png_bytes())
    entry = findings_of(folder, fonts, tmp_path)
    assert entry["pdf"] and not entry["errors"]
    assert pymupdf.open(entry["pdf"])[0].get_images()
    inline = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    entry = findings_of(photo_page(tmp_path / "ed2", inline), fonts, tmp_path)
    assert entry["pdf"] and pymupdf.open(entry["pdf"])[0].get_images()


# 2. Text is text.

def test_markup_and_template_syntax_print_literally(tmp_path, fonts):
    hostile = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "{{ 7*7 }}",
               "{% if true %}X{% endif %}", "&amp;"]
    body = "\n\n".join(f"正文{text}正文。" for text in hostile)
    folder = make_edition(tmp_path / "ed", body=body,
                          front='page: 1\ntitle: "\\"><b>专版</b>"\nlayout: feature\n')
    entry = findings_of(folder, fonts, tmp_path)
    text = pymupdf.open(entry["pdf"])[0].get_text()
    text = text.replace("-\n", "").replace("\n", "").replace(" ", "")  # hyphenation undone
    for literal in hostile + ['"><b>专版</b>']:
        assert literal.replace(" ", "") in text, literal
    assert "49" not in text


# 3. Front matter and edition values are typed, never injected.

@pytest.mark.parametrize("front, line, words", [
    ("page: 1\nlayout: 'feature; color: red'\n", 3, "unknown layout"),
    ("page: 1\ntitle: {a: 1}\n", 3, "'title' must be text"),
    ("page: '1; x'\n", 2, "'page' must be a page number"),
    ("page: 1\neditors: {editor: [1]}\n", 3, "'editors' takes names"),
    ("page: 1\nstyle: 'color: red'\n", 3, "unknown key 'style' in page front matter"),
])
def test_page_front_matter_is_validated(tmp_path, front, line, words):
    folder = make_edition(tmp_path / "ed", front=front)
    with pytest.raises(PaibanError) as error:
        parse_page(folder / "p01.md")
    assert words in error.value.message and error.value.line == line


@pytest.mark.parametrize("extra, words", [
    ("paper_size: '390mm; x'\n", "unknown paper_size"),
    ("composition: {han_latin_gap: '0.25em'}\n", "han_latin_gap must be a number"),
    ("composition: {punctuation: 'quanjiao; x'}\n", "punctuation style"),
])
def test_edition_values_are_validated(tmp_path, extra, words):
    folder = make_edition(tmp_path / "ed", edition_extra=extra)
    with pytest.raises(PaibanError) as error:
        parse_edition(folder)
    assert words in error.value.message and error.value.line == 5


# 4. Encodings.

def test_utf8_with_bom_and_crlf_builds(tmp_path, fonts):
    folder = make_edition(tmp_path / "ed")
    page = folder / "p01.md"
    page.write_bytes(b"\xef\xbb\xbf" + page.read_bytes().replace(b"\n", b"\r\n"))
    assert parse_edition(folder).pages[0].article.sections[0].blocks[0].text == BODY


def test_gb18030_is_refused_naming_the_encoding_and_the_command(tmp_path):
    folder = make_edition(tmp_path / "ed")
    page = folder / "p01.md"
    page.write_bytes(page.read_text(encoding="utf-8").encode("gb18030"))
    with pytest.raises(PaibanError) as error:
        parse_edition(folder)
    assert "GB18030" in error.value.message and "iconv -f GB18030 -t UTF-8" in error.value.fix


@pytest.mark.parametrize("data", [b"# \xe6\xa0\x87\xe9\xa2\x98\0\n", png_bytes()])
def test_nul_bytes_and_binary_files_are_refused(tmp_path, data):
    folder = make_edition(tmp_path / "ed")
    (folder / "p01.md").write_bytes(data)
    with pytest.raises(PaibanError) as error:
        parse_edition(folder)
    assert "binary file" in error.value.message and error.value.path == folder / "p01.md"


# 5. Bad images, bad fonts.

def test_missing_image_is_a_warning_and_an_error_when_strict(tmp_path, fonts):
    folder = photo_page(tmp_path / "ed", "nowhere.jpg")
    entry = findings_of(folder, fonts, tmp_path)
    assert entry["pdf"] and "not found" in entry["warnings"][0]["message"]
    entry = findings_of(folder, fonts, tmp_path, strict=True)
    assert entry["pdf"] is None and entry["errors"][0]["line"] == 11


@pytest.mark.parametrize("content, words", [
    (png_bytes()[:60], "not a readable image"),
    (b"GIF89a not really", "not a readable image"),
    (bomb_png(), "decompression bomb"),
])
def test_corrupt_and_oversized_images_are_errors(tmp_path, fonts, content, words):
    folder = photo_page(tmp_path / "ed", "photo.png")
    (folder / "photo.png").write_bytes(content)
    (error,) = findings_of(folder, fonts, tmp_path)["errors"]
    assert words in error["message"] and error["line"] == 11 and error["fix"]


def test_unknown_font_role_in_the_lock_is_an_error(tmp_path):
    lock = edited_lock(tmp_path, 'fallback = "song"', 'fallback = "fangsong"')
    with pytest.raises(PaibanError) as error:
        Fonts(lock)
    assert "unknown role 'fangsong'" in error.value.message and error.value.fix
    line = lock.read_text(encoding="utf-8").splitlines()[error.value.line - 1]
    assert line.startswith("fallback") and "fangsong" in line


def test_a_missing_font_file_names_the_package_to_install(tmp_path):
    from paiban.fonts import LOCK
    lock = tmp_path / "fonts.lock.toml"
    lock.write_text(LOCK.read_text(encoding="utf-8").replace(
        "/usr/share/fonts/truetype/lxgw", str(tmp_path / "absent")), encoding="utf-8")
    with pytest.raises(PaibanError) as error:
        Fonts(lock)
    assert "is not installed" in error.value.message
    assert error.value.fix.startswith("apt-get install fonts-lxgw-wenkai=")


# 6. Empty and very large input.

def test_an_empty_article_is_an_error(tmp_path):
    folder = make_edition(tmp_path / "ed", body="")
    with pytest.raises(PaibanError) as error:
        parse_edition(folder)
    assert "no text" in error.value.message and error.value.line == 7


def test_a_one_megabyte_article_is_overset_not_a_crash(tmp_path, fonts):
    paragraph = "大武口区政协围绕生态修复、乡村振兴等议题开展协商，形成报告。" * 20
    body = "\n\n".join([paragraph] * (1_000_000 // len(paragraph.encode()) + 1))
    folder = make_edition(tmp_path / "ed", body=body)
    assert (folder / "p01.md").stat().st_size > 1_000_000
    entry = findings_of(folder, fonts, tmp_path)
    assert entry["overset"] and entry["overset_characters"] > 300_000
    assert entry["page_count"] == 1
    assert any("overset" in e["message"] and e["line"] for e in entry["errors"])


# 7. Nothing half-written.

def test_an_interrupted_build_leaves_the_previous_pdf_untouched(tmp_path, fonts, monkeypatch):
    folder = make_edition(tmp_path / "ed")
    entry = findings_of(folder, fonts, tmp_path)
    before = open(entry["pdf"], "rb").read()
    (folder / "p01.md").write_text((folder / "p01.md").read_text(encoding="utf-8")
                                   .replace("建言献策", "建言资政"), encoding="utf-8")

    def interrupted(document, edition, page=None):
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "pdf_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        findings_of(folder, fonts, tmp_path)
    assert open(entry["pdf"], "rb").read() == before
    assert not [name for name in os.listdir(os.path.dirname(entry["pdf"]))
                if name.startswith(".") and name not in (build.LOCK_FILE, ".cache")]


def test_a_killed_builds_temporary_files_are_cleared(tmp_path, fonts):
    folder = make_edition(tmp_path / "ed")
    out = tmp_path / "out" / "ed"
    out.mkdir(parents=True)
    (out / ".p01.pdf.k3x_9q2z").write_bytes(b"%PDF-1.7 half")
    findings_of(folder, fonts, tmp_path)
    assert not (out / ".p01.pdf.k3x_9q2z").exists() and (out / ".build.lock").exists()


def test_a_failed_write_removes_its_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "page.pdf"
    target.write_bytes(b"good")

    def broken(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        files.write_atomically(target, b"new")
    assert target.read_bytes() == b"good" and os.listdir(tmp_path) == ["page.pdf"]


# 8. One build of an edition at a time.

def test_a_second_concurrent_build_is_told_busy(tmp_path, fonts, capsys):
    folder = make_edition(tmp_path / "ed")
    with edition_lock(tmp_path / "out" / "ed"):
        with pytest.raises(PaibanError) as error:
            findings_of(folder, fonts, tmp_path)
        assert "busy" in error.value.message
        assert main(["build", str(folder), "-o", str(tmp_path / "out")]) == 2
    assert "busy" in capsys.readouterr().err
    assert findings_of(folder, fonts, tmp_path)["pdf"]  # free again afterwards


# 9. The machine: libraries and the pinned WeasyPrint, reported with the command.

def test_a_missing_harfbuzz_subset_names_the_package():
    def load(name):
        if "subset" in name:
            raise OSError(name)
    with pytest.raises(PaibanError) as error:
        environment.check(load=load)
    assert "apt-get install libharfbuzz-subset0" in error.value.fix


def test_another_weasyprint_version_names_the_pinned_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(environment, "installed_version", lambda package: "61.0")
    with pytest.raises(PaibanError) as error:
        environment.check()
    assert "WeasyPrint 61.0 is installed" in error.value.message
    assert f"pip install weasyprint=={environment.pinned('weasyprint')}" in error.value.fix
    assert main(["check", str(make_edition(tmp_path / "ed"))]) == 2
    assert "pip install weasyprint" in capsys.readouterr().err


def test_the_installed_environment_passes():
    environment.check()


# Fuzz: the parser raises nothing but paiban's own error.

PIECES = st.sampled_from(["# ", "## ", "### ", "> ", "::: lead", "::: ", ":::", "![", "](",
                          ")", "---", "\n", "\n\n", "正文", "，", "。", "{{", "}}", "<b>",
                          "page: 1", "title: x", ": ", "- ", "\t", "\r\n", "\ufeff", "*"])


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=40), st.booleans())
def test_the_source_parser_raises_only_paiban_errors(tmp_path_factory, pieces, front):
    path = tmp_path_factory.mktemp("fuzz") / "p.md"
    text = ("---\npage: 1\n---\n" if front else "") + "".join(pieces)
    path.write_text(text, encoding="utf-8")
    try:
        page = parse_page(path)
    except PaibanError as error:
        assert error.path == path and error.message
        return
    assert page.article.headline
