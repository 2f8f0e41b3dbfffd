"""Issue 4: print PDFs a plate-setter takes — read back with pikepdf and qpdf."""

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pikepdf
import pymupdf
import pytest
from PIL import Image, ImageCms, ImageStat

from paiban.build import build_edition
from paiban.changes import rasterise
from paiban.cli import main
from paiban.printing import DEFAULT_PROFILE, total_ink
from paiban.source import parse_edition

from conftest import (BODY, SAMPLE_EDITION, keep_pages, landscape_photo, make_edition,
                      sample_line)

MM = 72 / 25.4
TRIM = (390 * MM, 545 * MM)
PHOTO_LINE = sample_line("![大武口区政协开展书香政协读书活动。]")
GREY_LINE = sample_line("![大武口区政协委员会客室授牌仪式。]")


def with_photos(folder, colour="photos/hills.jpg", grey="photos/grey.png", extra=""):
    """The sample edition's feature page with a generated RGB photo and a grey one
    placed, and no other photo (its news page, with photos of its own, left out)."""
    keep_pages(folder, "p05-dawukou.md")
    (folder / "photos").mkdir(exist_ok=True)
    landscape_photo(folder / "photos" / "hills.jpg")
    Image.open(folder / "photos" / "hills.jpg").convert("L").save(folder / "photos" / "grey.png")
    page = folder / "p05-dawukou.md"
    text = re.sub(r"(!\[[^]]*\])\([^)]*\)", r"\1()", page.read_text(encoding="utf-8"))
    text = text.replace("![大武口区政协开展书香政协读书活动。]()",
                        f"![大武口区政协开展书香政协读书活动。]({colour})")
    text = text.replace("![大武口区政协委员会客室授牌仪式。]()",
                        f"![大武口区政协委员会客室授牌仪式。]({grey})")
    page.write_text(text, encoding="utf-8")
    if extra:
        with open(folder / "edition.yaml", "a", encoding="utf-8") as edition:
            edition.write(extra)
    return parse_edition(folder)


def print_pdf(edition, fonts, out):
    report = build_edition(edition, fonts, out, output="print")
    (page,) = report["pages"]
    assert page["pdf"] and "/print/" in page["pdf"], page["errors"]
    return page


@pytest.fixture(scope="module")
def x4(tmp_path_factory, fonts):
    folder = tmp_path_factory.mktemp("x4") / "ed"
    shutil.copytree(SAMPLE_EDITION, folder)
    edition = with_photos(folder)
    return edition, print_pdf(edition, fonts, tmp_path_factory.mktemp("out"))


def content_streams(pdf):
    """Every content stream of every page, forms included, as parsed operations."""
    def walk(obj):
        yield pikepdf.parse_content_stream(obj)
        for xobject in (obj.get("/Resources") or {}).get("/XObject", {}).values():
            if xobject.Subtype == "/Form":
                yield from walk(xobject)
    for page in pdf.pages:
        yield from walk(page.obj)


def images(pdf):
    def walk(resources):
        for xobject in resources.get("/XObject", {}).values():
            if xobject.Subtype == "/Image":
                yield xobject
            elif xobject.Subtype == "/Form":
                yield from walk(xobject.get("/Resources") or {})
    for page in pdf.pages:
        yield from walk(page.Resources)


def test_print_pdf_is_pdfx4_with_an_embedded_cmyk_output_intent(x4):
    _, page = x4
    with pikepdf.open(page["pdf"]) as pdf:
        assert pdf.open_metadata()["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        profile = intent.DestOutputProfile
        assert profile.N == 4 and len(profile.read_bytes()) > 1000


def test_trim_and_bleed_boxes(x4):
    _, page = x4
    with pikepdf.open(page["pdf"]) as pdf:
        box = pdf.pages[0].obj
        trim = [float(v) for v in box.TrimBox]
        bleed = [float(v) for v in box.BleedBox]
    assert trim[2] - trim[0] == pytest.approx(TRIM[0], abs=0.01)
    assert trim[3] - trim[1] == pytest.approx(TRIM[1], abs=0.01)
    assert [b - t for b, t in zip(bleed, trim)] == pytest.approx(
        [-3 * MM, -3 * MM, 3 * MM, 3 * MM], abs=0.01)


def test_no_rgb_colour_anywhere(x4):
    _, page = x4
    with pikepdf.open(page["pdf"]) as pdf:
        for operations in content_streams(pdf):
            for operands, operator in operations:
                assert str(operator) not in ("rg", "RG", "g", "G"), operator
                if str(operator) in ("cs", "CS"):
                    assert str(operands[0]) == "/DeviceCMYK"
        spaces = [str(image.ColorSpace) for image in images(pdf)]
    assert sorted(spaces) == ["/DeviceCMYK", "/DeviceGray"]


def test_rgb_photo_comes_out_cmyk_with_its_ink_limited(x4):
    _, page = x4
    with pikepdf.open(page["pdf"]) as pdf:
        (cmyk,) = [i for i in images(pdf) if i.ColorSpace == "/DeviceCMYK"]
        image = pikepdf.PdfImage(cmyk).as_pil_image()
    assert image.mode == "CMYK" and total_ink(image) <= 240
    # The original has pure black and saturated red: the conversion really ran.
    assert total_ink(image) > 200


def test_fonts_are_embedded_and_none_is_type3(x4):
    _, page = x4
    with pikepdf.open(page["pdf"]) as pdf:
        fonts = list(pdf.pages[0].Resources.Font.values())
        assert len(fonts) == 4
        for font in fonts:
            assert font.Subtype != "/Type3"
            descriptor = font.DescendantFonts[0].FontDescriptor
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_print_pdf_passes_qpdf_check(x4):
    _, page = x4
    result = subprocess.run(["qpdf", "--check", page["pdf"]], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_print_pdf_is_the_same_bytes_on_a_second_build(x4, fonts, tmp_path):
    edition, page = x4
    again = print_pdf(edition, fonts, tmp_path)
    assert Path(page["pdf"]).read_bytes() == Path(again["pdf"]).read_bytes()


def test_crop_marks_are_cmyk_at_the_trim_corners_and_pass_the_prepress_check(
        edition_copy, fonts, tmp_path, capsys):
    with_photos(edition_copy)
    assert main(["build", "--print", "--marks", str(edition_copy), "-o", str(tmp_path)]) == 0
    pdf = tmp_path / edition_copy.name / "print" / "p05-dawukou.pdf"
    with pikepdf.open(pdf) as document:
        box = document.pages[0].obj
        media, trim, bleed = ([float(v) for v in box[name]]
                              for name in ("/MediaBox", "/TrimBox", "/BleedBox"))
        operators = {str(operator) for operations in content_streams(document)
                     for _, operator in operations}
    assert bleed[0] == pytest.approx(trim[0] - 3 * MM, abs=0.01)
    assert media[0] < bleed[0] - 5 * MM and media[2] > bleed[2] + 5 * MM
    assert not operators & {"rg", "RG"} and "K" in operators
    # Each trim corner has a horizontal and a vertical mark on the trim lines'
    # extensions, wholly outside the bleed (PyMuPDF: y down from the media box's top).
    page = pymupdf.open(pdf)[0]
    lines = [(item[1], item[2]) for drawing in page.get_drawings()
             for item in drawing["items"] if item[0] == "l" and drawing["color"] == (0, 0, 0)]
    left, right = trim[0] - media[0], trim[2] - media[0]
    top, bottom = media[3] - trim[3], media[3] - trim[1]
    outside = 3 * MM
    for x, y, out_x, out_y in ((left, top, -1, -1), (right, top, 1, -1),
                               (left, bottom, -1, 1), (right, bottom, 1, 1)):
        assert any(a.y == b.y == pytest.approx(y, abs=0.1)
                   and min(out_x * (a.x - x), out_x * (b.x - x)) > outside
                   for a, b in lines), ("horizontal", x, y)
        assert any(a.x == b.x == pytest.approx(x, abs=0.1)
                   and min(out_y * (a.y - y), out_y * (b.y - y)) > outside
                   for a, b in lines), ("vertical", x, y)
    capsys.readouterr()
    assert main(["check", "--print", str(edition_copy), "-o", str(tmp_path)]) == 0, \
        capsys.readouterr().out
    first = pdf.read_bytes()
    assert main(["build", "--print", "--marks", str(edition_copy), "-o",
                 str(tmp_path / "again")]) == 0
    assert (tmp_path / "again" / edition_copy.name / "print" / "p05-dawukou.pdf"
            ).read_bytes() == first


def test_x1a_has_no_transparency(edition_copy, fonts, tmp_path):
    edition = with_photos(edition_copy, extra="print: {standard: pdf/x-1a}\n")
    page = print_pdf(edition, fonts, tmp_path)
    with pikepdf.open(page["pdf"]) as pdf:
        assert str(pdf.trailer.Info.GTS_PDFXVersion) == "PDF/X-1a:2003"
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary):
                assert "/SMask" not in obj or obj.SMask == "/None"
                if obj.get("/Type") == "/ExtGState":
                    assert float(obj.get("/ca", 1)) == 1 and float(obj.get("/CA", 1)) == 1
                group = obj.get("/Group")
                assert group is None or group.get("/S") != "/Transparency"


def test_a_72_ppi_photo_fails_print_preflight(edition_copy, fonts, tmp_path, capsys):
    (edition_copy / "photos").mkdir(exist_ok=True)
    landscape_photo(edition_copy / "photos" / "small.jpg", size=(120, 80))
    edition = with_photos(edition_copy, colour="photos/small.jpg")
    report = build_edition(edition, fonts, tmp_path, output="print")
    (error,) = [e for e in report["pages"][0]["errors"] if "ppi" in e["message"]]
    assert error["line"] == PHOTO_LINE and re.search(r"photo at \d+ ppi", error["message"])
    assert "at least 120" in error["message"] and not report["ok"]
    assert main(["check", "--print", str(edition_copy), "-o", str(tmp_path)]) == 1
    assert "ppi" in capsys.readouterr().out


def test_check_print_reports_the_written_pdf(x4, capsys):
    edition, page = x4
    out = page["pdf"].split(f"/{edition.slug}/print/")[0]
    assert main(["check", "--print", "--json", str(edition.path), "-o", out]) == 0
    (report,) = json.loads(capsys.readouterr().out)["print"]
    assert report["standard"] == "PDF/X-4" and report["output_intent"]["components"] == 4
    assert report["colour_spaces"] == ["/DeviceCMYK"] and not report["errors"]
    assert sorted(i["colour_space"] for i in report["images"].values()) == \
        ["/DeviceCMYK", "/DeviceGray"]
    assert {p["line"] for p in report["photos"]} == {PHOTO_LINE, GREY_LINE}
    assert report["boxes"]["trimbox"][2] == pytest.approx(TRIM[0], abs=0.01)


# Every image mode Pillow opens: the proof and the print show the same picture.
LEFT, RIGHT = 60, 190  # grey levels of the test picture's left and right halves
PICTURE = (600, 400)
WHITE = 255            # where the picture is transparent, the paper shows
TOLERANCE = 14         # of 255: JPEG, ink limit and the renderer's CMYK to RGB
IMAGE_KINDS = ("1", "L", "P", "I;16 PNG", "I;16B TIFF", "I TIFF", "F TIFF", "RGB",
               "16-bit RGB PNG", "CMYK JPEG", "CMYK TIFF", "LAB TIFF", "YCbCr TIFF",
               "EXIF-turned JPEG", "LA", "RGBA", "P with a transparent colour")


def two_halves():
    grey = Image.new("L", PICTURE, LEFT)
    grey.paste(RIGHT, (PICTURE[0] // 2, 0, *PICTURE))
    return grey


def low_bytes(count):
    """Low bytes of 16-bit samples: not the high byte again, so a reader that takes
    16-bit data for 8-bit shows noise."""
    return bytes(i * 7919 % 251 for i in range(count))


def sixteen_bit(grey, big_endian=False):
    high = grey.tobytes()
    samples = bytearray(2 * len(high))
    samples[0 if big_endian else 1::2] = high
    samples[1 if big_endian else 0::2] = low_bytes(len(high))
    return bytes(samples)


def png_16_bit_rgb(grey, path):
    """Pillow writes no 16-bit RGB PNG; this is one, by the PNG specification."""
    width, height = grey.size
    high = grey.convert("RGB").tobytes()
    samples = bytearray(2 * len(high))
    samples[0::2], samples[1::2] = high, low_bytes(len(high))
    row = 6 * width
    raw = b"".join(b"\0" + bytes(samples[y * row:(y + 1) * row]) for y in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    path.write_bytes(b"\x89PNG\r\n\x1a\n"
                     + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def transparent_right(grey, mode):
    """The left half of the picture; the right half black but wholly transparent."""
    image = Image.new(mode, PICTURE, 0)
    image.paste(grey.crop((0, 0, PICTURE[0] // 2, PICTURE[1])).convert(mode))
    alpha = Image.new("L", PICTURE, 255)
    alpha.paste(0, (PICTURE[0] // 2, 0, *PICTURE))
    image.putalpha(alpha)
    return image


def write_image(kind, folder):
    """The two-halves picture stored as ``kind``: (file name, the right half's grey)."""
    grey, right = two_halves(), RIGHT
    rgb = grey.convert("RGB")
    cmyk = ImageCms.profileToProfile(rgb, ImageCms.createProfile("sRGB"), str(DEFAULT_PROFILE),
                                     outputMode="CMYK")
    name = {"CMYK JPEG": "x.jpg", "EXIF-turned JPEG": "x.jpg"}.get(
        kind, "x.tif" if "TIFF" in kind else "x.png")
    path = folder / name
    if kind in ("1", "L", "P", "RGB"):
        grey.convert(kind).save(path)
    elif kind == "I;16 PNG":
        Image.frombytes("I;16", PICTURE, sixteen_bit(grey)).save(path)
    elif kind == "I;16B TIFF":
        Image.frombytes("I;16B", PICTURE, sixteen_bit(grey, big_endian=True)).save(path)
    elif kind == "I TIFF":
        Image.frombytes("I;16", PICTURE, sixteen_bit(grey)).convert("I").save(path)
    elif kind == "F TIFF":
        grey.convert("F").point(lambda value: value / 255).save(path)
    elif kind == "16-bit RGB PNG":
        png_16_bit_rgb(grey, path)
    elif kind in ("CMYK JPEG", "CMYK TIFF"):
        cmyk.save(path)
    elif kind in ("LAB TIFF", "YCbCr TIFF"):
        rgb.convert(kind.split()[0]).save(path)
    elif kind == "EXIF-turned JPEG":  # stored on its side; the camera's tag turns it
        exif = Image.Exif()
        exif[0x0112] = 6
        rgb.transpose(Image.Transpose.ROTATE_90).save(path, exif=exif)
    elif kind in ("LA", "RGBA"):
        transparent_right(grey, kind[:-1]).save(path)
        right = WHITE
    else:
        palette = transparent_right(grey, "RGB").convert("RGB").quantize(4)
        palette.save(path, transparency=palette.getpixel((PICTURE[0] - 1, 0)))
        right = WHITE
    return name, right


def photo_halves(pdf):
    """Mean grey of the placed photo left and right of its centre, rasterised."""
    (image,) = pymupdf.open(pdf)[0].get_image_info()
    x0, y0, x1, y1 = image["bbox"]
    x, y = (x0 + x1) / 2, (y0 + y1) / 2
    page = rasterise(pdf, dpi=72).convert("L")
    return [ImageStat.Stat(page.crop((round(a), round(y - 20), round(b), round(y + 20))))
            .mean[0] for a, b in ((x - 40, x - 10), (x + 10, x + 40))]


@pytest.mark.parametrize("kind", IMAGE_KINDS)
def test_every_image_mode_gives_the_proof_and_the_print_the_same_picture(kind, fonts,
                                                                        tmp_path):
    folder = tmp_path / "ed"
    (folder / "photos").mkdir(parents=True)
    name, right = write_image(kind, folder / "photos")
    make_edition(folder, body=f"{BODY}\n\n![图片说明。](photos/{name})")
    for output in ("proof", "print"):
        (page,) = build_edition(parse_edition(folder), fonts, tmp_path / "out",
                                output=output)["pages"]
        assert page["pdf"], page["errors"]
        assert photo_halves(page["pdf"]) == pytest.approx([LEFT, right], abs=TOLERANCE), \
            output


# The printer's profile is checked when the edition is read.
PROFILE_LINE = 5  # make_edition: the edition file's extra lines start on line 5


def write_profile(kind, path):
    profiles = DEFAULT_PROFILE.parent
    if kind == "a text file":
        path.write_text("not a colour profile\n")
    elif kind == "an RGB profile":
        shutil.copy(profiles / "srgb.icc", path)
    elif kind == "a grey profile":
        shutil.copy(profiles / "sgray.icc", path)
    else:
        path.write_bytes(DEFAULT_PROFILE.read_bytes()[:20_000])


@pytest.mark.parametrize("kind, problem", [
    ("a text file", "is not an ICC profile"),
    ("an RGB profile", "describes RGB for a display, not CMYK for a printer"),
    ("a grey profile", "describes GRAY for a display, not CMYK for a printer"),
    ("a truncated CMYK profile", "is damaged or truncated")])
def test_a_profile_that_is_not_a_cmyk_output_profile_is_refused_at_its_line(
        kind, problem, tmp_path, capsys):
    folder = make_edition(tmp_path / "ed", edition_extra="print: {profile: printer.icc}\n")
    write_profile(kind, folder / "printer.icc")
    for command in (["check", str(folder)],
                    ["build", "--print", str(folder), "-o", str(tmp_path / "out")]):
        assert main(command) == 2
        error = capsys.readouterr().err
        assert f"edition.yaml:{PROFILE_LINE}: print profile 'printer.icc' {problem}" in error
        assert "fix: use the printer's CMYK output profile" in error
        assert "Traceback" not in error
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_the_printers_cmyk_profile_is_the_output_intent(fonts, tmp_path):
    folder = make_edition(tmp_path / "ed", edition_extra="print: {profile: printer.icc}\n")
    shutil.copy(DEFAULT_PROFILE, folder / "printer.icc")
    (page,) = build_edition(parse_edition(folder), fonts, tmp_path / "out",
                            output="print")["pages"]
    with pikepdf.open(page["pdf"]) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.DestOutputProfile.read_bytes() == DEFAULT_PROFILE.read_bytes()


# A print build reads no photo file preflight did not accept.
PAIBAN = os.path.join(os.path.dirname(sys.executable), "paiban")


@pytest.mark.parametrize("kind, problem", [
    ("missing", "not found; a print page cannot go without it"),
    ("a folder", "is not a regular file (a folder)"),
    ("a named pipe", "is not a regular file (a named pipe)")])
def test_a_print_build_without_its_photo_file_fails_at_the_photo_line(kind, problem,
                                                                      tmp_path):
    folder = make_edition(tmp_path / "ed", body=f"{BODY}\n\n![图片说明。](photos/x.jpg)")
    (folder / "photos").mkdir()
    if kind == "a folder":
        (folder / "photos" / "x.jpg").mkdir()
    elif kind == "a named pipe":  # opened for reading, it would wait for ever
        os.mkfifo(folder / "photos" / "x.jpg")
    out = str(tmp_path / "out")
    for command in ("build", "check"):
        result = subprocess.run([PAIBAN, command, "--print", str(folder), "-o", out],
                                capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 1, result.stdout + result.stderr
        assert f"p01.md:11: image 'photos/x.jpg' {problem}" in result.stdout
        assert "Traceback" not in result.stdout + result.stderr
    assert not list((tmp_path / "out").rglob("*.pdf"))
