"""Issue 4: print PDFs a plate-setter takes — read back with pikepdf and qpdf."""

import re
import subprocess

import pikepdf
import pytest
from PIL import Image

from paiban.build import build_edition
from paiban.cli import main
from paiban.printing import total_ink
from paiban.source import parse_edition

from conftest import landscape_photo

MM = 72 / 25.4
TRIM = (390 * MM, 545 * MM)
PHOTO_LINE = 104   # 大武口区政协开展书香政协读书活动。
GREY_LINE = 76     # 大武口区政协委员会客室授牌仪式。


def with_photos(folder, colour="photos/hills.jpg", grey="photos/grey.png", extra=""):
    """The sample edition with a generated RGB photo and a grey one placed."""
    (folder / "photos").mkdir(exist_ok=True)
    landscape_photo(folder / "photos" / "hills.jpg")
    Image.open(folder / "photos" / "hills.jpg").convert("L").save(folder / "photos" / "grey.png")
    page = folder / "p05-dawukou.md"
    text = page.read_text(encoding="utf-8")
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
    import shutil
    from conftest import SAMPLE_EDITION
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
    result = subprocess.run(["qpdf", "--check", page["pdf"]], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_print_pdf_is_the_same_bytes_on_a_second_build(x4, fonts, tmp_path):
    edition, page = x4
    again = print_pdf(edition, fonts, tmp_path)
    assert open(page["pdf"], "rb").read() == open(again["pdf"], "rb").read()


def test_crop_marks_sit_outside_the_bleed(edition_copy, fonts, tmp_path):
    edition = with_photos(edition_copy, extra="print: {marks: true}\n")
    page = print_pdf(edition, fonts, tmp_path)
    with pikepdf.open(page["pdf"]) as pdf:
        box = pdf.pages[0].obj
        media, trim, bleed = ([float(v) for v in box[name]]
                              for name in ("/MediaBox", "/TrimBox", "/BleedBox"))
    assert bleed[0] == pytest.approx(trim[0] - 3 * MM, abs=0.01)
    assert media[0] < bleed[0] - 5 * MM and media[2] > bleed[2] + 5 * MM
    # The marks are drawn: ink on the trim line's extension, outside the bleed.
    from paiban.changes import rasterise
    image = rasterise(page["pdf"], dpi=72).convert("L")
    trim_top = media[3] - trim[3]  # px from the image top, at 72 dpi
    mark = image.crop((0, round(trim_top) - 2, round(bleed[0] - media[0]), round(trim_top) + 2))
    assert mark.getextrema()[0] < 128
    again = print_pdf(edition, fonts, tmp_path / "again")
    assert open(page["pdf"], "rb").read() == open(again["pdf"], "rb").read()


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
    (edition_copy / "photos").mkdir()
    landscape_photo(edition_copy / "photos" / "small.jpg", size=(120, 80))
    page = edition_copy / "p05-dawukou.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "![大武口区政协开展书香政协读书活动。]()",
        "![大武口区政协开展书香政协读书活动。](photos/small.jpg)"), encoding="utf-8")
    report = build_edition(parse_edition(edition_copy), fonts, tmp_path, output="print")
    (error,) = [e for e in report["pages"][0]["errors"] if "ppi" in e["message"]]
    assert error["line"] == PHOTO_LINE and re.search(r"photo at \d+ ppi", error["message"])
    assert "at least 120" in error["message"] and not report["ok"]
    assert main(["check", "--print", str(edition_copy), "-o", str(tmp_path)]) == 1
    assert "ppi" in capsys.readouterr().out


def test_check_print_reports_the_written_pdf(x4, capsys):
    edition, page = x4
    out = page["pdf"].split(f"/{edition.slug}/print/")[0]
    assert main(["check", "--print", "--json", str(edition.path), "-o", out]) == 0
    import json
    (report,) = json.loads(capsys.readouterr().out)["print"]
    assert report["standard"] == "PDF/X-4" and report["output_intent"]["components"] == 4
    assert report["colour_spaces"] == ["/DeviceCMYK"] and not report["errors"]
    assert sorted(i["colour_space"] for i in report["images"].values()) == \
        ["/DeviceCMYK", "/DeviceGray"]
    assert {p["line"] for p in report["photos"]} == {PHOTO_LINE, GREY_LINE}
    assert report["boxes"]["trimbox"][2] == pytest.approx(TRIM[0], abs=0.01)
