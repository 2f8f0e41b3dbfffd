"""Supplied PDF art (issue 10's PDF ad; the masthead of issue 11 uses the same
placing): a PDF ad is drawn in its slot under the 广告 label, as vectors and text,
in proof, print and archive; the ad that does not fit its slot, uses a font it does
not embed, carries RGB into print or more ink than the edition allows is a located
error; the same input gives the same bytes."""

import io
import json
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pymupdf
import pytest
from conftest import SAMPLE_EDITION, keep_pages
from PIL import Image
from weasyprint import HTML

from paiban import artcheck, cache, overlay
from paiban.build import build_edition, check_page
from paiban.cli import main
from paiban.news import ad_area
from paiban.printing import PrintSettings
from paiban.source import parse_edition

PLAN = "p06-yaowen.md"
AD_TEXT = "SAMPLE PDF AD"
CMYK_AD = "background: device-cmyk(0 0.2 0.9 0); color: device-cmyk(0 0 0 1)"


def news_edition(folder):
    """The sample edition reduced to its news page, its ad a PDF (ads/ad.pdf); its
    photos' resolution, which these tests are not about, never stops a print."""
    shutil.copytree(SAMPLE_EDITION, folder)
    keep_pages(folder, "p06-yaowen.md")
    text = (folder / "edition.yaml").read_text(encoding="utf-8")
    (folder / "edition.yaml").write_text(text.replace("min_ppi: 120", "min_ppi: 50"),
                                         encoding="utf-8")
    plan = folder / PLAN
    plan.write_text(plan.read_text(encoding="utf-8").replace("ads/sample-ad.png", "ads/ad.pdf"),
                    encoding="utf-8")
    return folder


def slot_size(folder):
    """Width and height (pt) of the ad's slot below its label (the plan is read
    without opening the ad)."""
    (folder / "ads" / "ad.pdf").touch()
    edition = parse_edition(folder)
    return ad_area(edition.house.geometry(edition.paper_size), edition.pages[0].ad)


def weasyprint_ad(path, size, style=CMYK_AD, body=AD_TEXT):
    """A one-page PDF of ``size`` (pt) as an agency would send it: fonts embedded,
    a coloured ground and a line of text."""
    HTML(string=f"<style>@page {{ size: {size[0]}pt {size[1]}pt; margin: 0 }} "
                f"body {{ margin: 0; font: 24pt 'DejaVu Sans'; {style} }} "
                f"p {{ margin: 0; padding: 20pt }}</style><p>{body}</p>").write_pdf(path)


def unembedded_font_ad(path, size):
    """A PDF that sets text in Helvetica without embedding it."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=size)
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)))
    page.Contents = pdf.make_stream(b"0 0 0 1 k BT /F1 24 Tf 20 20 Td (SALE) Tj ET")
    pdf.save(path)


def type3_font_ad(path, size):
    """A PDF that sets a square glyph of a Type 3 font (its glyphs are drawings)."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=size)
    glyph = pdf.make_stream(b"1000 0 0 0 1000 1000 d1 0 0 1000 1000 re f")
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3, Name=pikepdf.Name.Box,
        FontBBox=[0, 0, 1000, 1000], FontMatrix=[0.001, 0, 0, 0.001, 0, 0],
        CharProcs=pikepdf.Dictionary(box=glyph), FirstChar=65, LastChar=65, Widths=[1000],
        Encoding=pikepdf.Dictionary(Differences=[65, pikepdf.Name.box]))))
    page.Contents = pdf.make_stream(b"0 0 0 1 k BT /F1 24 Tf 20 20 Td (A) Tj ET")
    pdf.save(path)


def transparent_ad(path, size):
    """A PDF that lays a half-transparent cyan square over a black one."""
    pdf = pikepdf.new()
    page = pdf.add_blank_page(page_size=size)
    page.Resources = pikepdf.Dictionary(ExtGState=pikepdf.Dictionary(
        Half=pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, ca=0.5)))
    page.Contents = pdf.make_stream(b"0 0 0 1 k 10 10 50 50 re f /Half gs 1 0 0 0 k "
                                    b"30 30 50 50 re f")
    pdf.save(path)


def ad_edition(tmp_path, make=weasyprint_ad, scale=(1, 1), **options):
    folder = news_edition(tmp_path / SAMPLE_EDITION.name)
    width, height = slot_size(folder)
    make(folder / "ads" / "ad.pdf", (width * scale[0], height * scale[1]), **options)
    return folder


def slot_box(placed, pdf):
    """The ad's art frame in PyMuPDF's coordinates of the page (from the media box's
    top-left; a print page's trim lies inside it by the bleed)."""
    (frame,) = [f for f in placed.frames if f.kind == "art"]
    with pikepdf.open(pdf) as document:
        page = document.pages[0]
        left = float(page.trimbox[0] - page.mediabox[0])
        top = float(page.mediabox[3] - page.trimbox[3])
    x, y = left + placed.geometry.margin_left + frame.x, top + placed.geometry.margin_top + frame.y
    return pymupdf.Rect(x, y, x + frame.width, y + frame.height)


@pytest.fixture(scope="module")
def built(tmp_path_factory, fonts):
    """The news page with a CMYK PDF ad built for proof and for print."""
    folder = ad_edition(tmp_path_factory.mktemp("ed"))
    edition = parse_edition(folder)
    out = tmp_path_factory.mktemp("out")
    proof = build_edition(edition, fonts, out)
    printed = build_edition(edition, fonts, out, output="print")
    _, placed = check_page(edition, edition.pages[0], fonts)
    return folder, out, proof["pages"][0], printed["pages"][0], placed


@pytest.mark.parametrize("output", ["proof", "print"])
def test_a_pdf_ad_is_drawn_in_its_slot_under_the_advertisement_label(built, output):
    _, _, proof, printed, placed = built
    entry = proof if output == "proof" else printed
    assert entry["pdf"] and not entry["errors"], entry["errors"]
    page = pymupdf.open(entry["pdf"])[0]
    slot = slot_box(placed, entry["pdf"])
    (text,) = page.search_for(AD_TEXT)
    assert slot.contains(text), (text, slot)
    grounds = [d["rect"] for d in page.get_drawings() if d.get("fill")
               and abs(d["rect"].width - slot.width) < 0.5
               and abs(d["rect"].height - slot.height) < 0.5]
    assert any(abs(r.x0 - slot.x0) < 0.5 and abs(r.y0 - slot.y0) < 0.5 for r in grounds), \
        (grounds, slot)   # the ad's ground fills the slot: drawn as vectors, not as a picture
    assert not [i for i in page.get_image_info() if slot.intersects(pymupdf.Rect(i["bbox"]))]
    labels = page.search_for("广告")
    assert any(slot.y0 - placed.geometry.pitch - 1 <= r.y0 and r.y1 <= slot.y0 + 1
               and slot.x0 <= r.x0 and r.x1 <= slot.x1 + 1 for r in labels), (labels, slot)


def test_the_print_page_with_a_cmyk_pdf_ad_passes_the_prepress_check(built, capsys):
    folder, out, _, printed, _ = built
    capsys.readouterr()
    assert main(["check", "--print", "--json", str(folder), "-o", str(out)]) == 0
    (report,) = json.loads(capsys.readouterr().out)["print"]
    assert report["standard"] == "PDF/X-4" and not report["errors"], report["errors"]
    assert any("DejaVu" in name for name in report["fonts"])   # it read into the ad
    check = subprocess.run(["qpdf", "--check", printed["pdf"]], capture_output=True, text=True,
                           check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_page_with_a_pdf_ad_rebuilds_to_the_same_bytes(built, fonts, tmp_path):
    folder, _, proof, printed, _ = built
    again = news_edition(tmp_path / "elsewhere" / SAMPLE_EDITION.name)
    shutil.copy(folder / "ads" / "ad.pdf", again / "ads" / "ad.pdf")
    edition = parse_edition(again)
    for output, entry in (("proof", proof), ("print", printed)):
        (rebuilt,) = build_edition(edition, fonts, tmp_path / "out", jobs=2,
                                   output=output)["pages"]
        assert Path(rebuilt["pdf"]).read_bytes() == Path(entry["pdf"]).read_bytes(), output


def test_the_pdf_ad_joins_the_cache_key_the_archive_and_its_manifest(tmp_path, capsys):
    folder = ad_edition(tmp_path)
    edition = parse_edition(folder)
    key = cache.page_key(edition, edition.pages[0], {})
    root = tmp_path / "archive"
    assert main(["archive", str(folder), "--root", str(root)]) == 0
    (revision,) = root.glob("*/*/r1")
    ad = (folder / "ads" / "ad.pdf").read_bytes()
    for name in ("p06-yaowen.pdf", f"{SAMPLE_EDITION.name}.pdf"):
        with pikepdf.open(revision / name) as pdf:
            assert pdf.attachments["source/ads/ad.pdf"].get_file().read_bytes() == ad
        assert pymupdf.open(revision / name)[0].search_for(AD_TEXT)   # PDF/A with the ad
    manifest = json.loads((revision / "manifest.json").read_text(encoding="utf-8"))
    assert "source/ads/ad.pdf" in manifest["sources"]
    capsys.readouterr()
    assert main(["verify", str(revision)]) == 0
    said = capsys.readouterr().out   # one page, whatever number the edition gives it
    assert said.count(": byte-identical") == 1 and said.endswith("ok\n"), said
    weasyprint_ad(folder / "ads" / "ad.pdf", slot_size(folder), body="OTHER AD")
    edited = parse_edition(folder)
    assert cache.page_key(edited, edited.pages[0], {}) != key


def rgb_picture_ad(path, size):
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (200, 30, 30)).save(buffer, "PNG")
    import base64
    picture = base64.b64encode(buffer.getvalue()).decode()
    weasyprint_ad(path, size, body=f'{AD_TEXT}<img src="data:image/png;base64,{picture}">')


@pytest.mark.parametrize("make, options, scale, output, message", [
    (weasyprint_ad, {}, (1, 0.6), "proof", "mm; its slot takes"),
    (unembedded_font_ad, {}, (1, 1), "proof", "uses the font Helvetica, which is not embedded"),
    (weasyprint_ad, {"style": "color: rgb(200, 0, 0)"}, (1, 1), "print",
     "has RGB colour ('rg' colour operators in the page)"),
    (rgb_picture_ad, {}, (1, 1), "print", "has RGB colour (the image"),
    (weasyprint_ad, {"style": "background: device-cmyk(1 1 1 1); color: device-cmyk(0 0 0 1)"},
     (1, 1), "print",
     ("reaches 400% total ink (C+M+Y+K), first 0 mm from its left and 0 mm from its top; "
      "the print limit is 240%")),
    (type3_font_ad, {}, (1, 1), "print", "uses the Type 3 font Box, which the prepress check"),
    (lambda path, size: path.write_bytes(b"%PDF-1.7 not really"), {}, (1, 1), "proof",
     "is not a readable PDF"),
])
def test_a_pdf_ad_that_cannot_go_on_the_page_is_an_error_at_the_ad_line(
        tmp_path, capsys, make, options, scale, output, message):
    folder = ad_edition(tmp_path, make, scale, **options)
    line = next(n for n, text in enumerate(
        (folder / PLAN).read_text(encoding="utf-8").split("\n"), 1) if text.startswith("ad:"))
    capsys.readouterr()
    print_option = ["--print"] if output == "print" else []
    assert main(["check", *print_option, str(folder), "-o", str(tmp_path / "out")]) == 1
    said = capsys.readouterr().out
    assert f"{folder / PLAN}:{line}: " in said and "the ad ads/ad.pdf" in said, said
    assert message in said and "fix:" in said and "Traceback" not in said, said
    assert main(["build", *print_option, str(folder), "-o", str(tmp_path / "out")]) == 1
    if output == "print":   # RGB and ink are the plate's concern: the proof takes them
        assert main(["check", str(folder)]) == 0


def test_a_transparent_pdf_ad_is_refused_for_pdf_x_1a_and_taken_for_pdf_x_4(tmp_path, fonts):
    folder = ad_edition(tmp_path, transparent_ad)
    edition = parse_edition(folder)
    findings, _ = check_page(edition, edition.pages[0], fonts, printing=edition.printing)
    assert not [f for f in findings if f.severity == "error"]   # PDF/X-4 takes it
    settings = edition.printing.__class__(standard="pdf/x-1a", min_ppi=50)
    findings, placed = check_page(edition, edition.pages[0], fonts, printing=settings)
    (error,) = [f for f in findings if f.severity == "error"]
    assert placed is None and "has transparency (the graphics state Half of the page)" \
        in error.message
    assert "which PDF/X-1a forbids" in error.message and "PDF/X-4" in error.fix


def test_a_pdf_ad_of_the_wrong_size_says_both_sizes_in_mm(tmp_path, fonts):
    folder = ad_edition(tmp_path, scale=(0.5, 1))
    width, height = slot_size(folder)
    edition = parse_edition(folder)
    findings, placed = check_page(edition, edition.pages[0], fonts)
    (error,) = [f for f in findings if f.severity == "error"]
    mm = 72 / 25.4
    assert placed is None
    assert f"is {width / 2 / mm:.1f} × {height / mm:.1f} mm; its slot takes " \
           f"{width / mm:.1f} × {height / mm:.1f} mm" in error.message
    assert f"supply it at {width / mm:.1f} × {height / mm:.1f} mm" in error.fix


def test_art_pages_are_placed_in_boxes_on_chosen_pages_fitted_and_centred(tmp_path):
    """The generic placing the masthead uses: page 2 of a supplied PDF into a box on
    page 2 of a rendered one, scaled to fit with its shape kept."""
    art = tmp_path / "art.pdf"
    HTML(string="<style>@page { size: 200pt 100pt; margin: 0 } body { margin: 0; "
                "font: 20pt 'DejaVu Sans' } p { margin: 0; height: 100pt; "
                "break-after: page; background: device-cmyk(0 0 0 0.3) }</style>"
                "<p>FIRST</p><p>MASTHEAD</p>").write_pdf(art)
    page = HTML(string="<style>@page { size: 600pt 800pt; margin: 0 } p { break-after: page } "
                       "</style><p>one</p><p>two</p>").write_pdf()
    box = (100, 50, 400, 100)   # from the top-left, twice the art's width: fitted by height
    data = overlay.place(page, [(art, 1, box, 1)])
    assert overlay.place(page, [(art, 1, box, 1)]) == data and overlay.place(page, []) == page
    document = pymupdf.open(stream=data)
    assert not document[0].search_for("MASTHEAD") and not document[1].search_for("FIRST")
    first = pymupdf.open(stream=overlay.place(page, [(art, 0, box)]))   # page 0 by default
    assert first[0].search_for("FIRST") and not first[1].search_for("FIRST")
    (text,) = document[1].search_for("MASTHEAD")
    ground = next(d["rect"] for d in document[1].get_drawings() if d.get("fill"))
    assert tuple(ground) == pytest.approx((200, 50, 400, 150), abs=0.01)
    assert ground.contains(text)


def test_any_page_of_supplied_art_is_checked_for_print_at_any_size(tmp_path):
    art = tmp_path / "art.pdf"
    HTML(string="<style>@page { size: 200pt 100pt; margin: 0 } p { break-after: page; "
                "color: device-cmyk(0 0 0 1) } .rgb { color: rgb(0, 0, 200) }</style>"
                "<p>CMYK</p><p class=rgb>RGB</p>").write_pdf(art)
    printing = PrintSettings()
    assert artcheck.problems(art, None, printing, page=0) == []
    ((message, fix),) = artcheck.problems(art, None, printing, page=1)
    assert message.startswith("has RGB colour") and "CMYK" in fix
    assert artcheck.problems(art, (200, 100), page=1) == []   # a proof takes RGB
    assert artcheck.problems(art, None, printing, page=2)[0][0] == \
        "has 2 page(s); there is no page 3"


def test_a_cmyk_image_in_the_art_is_held_to_the_ink_limit_in_its_own_pixels(tmp_path):
    """Two pixels of 400% in a grey picture set 100 pt wide: the art rendered at 72
    dpi averages them away, the prepress check reads the image's own pixels."""
    picture = Image.new("CMYK", (300, 200), (0, 0, 0, 100))
    picture.paste((255, 255, 255, 255), (0, 0, 2, 2))
    picture.save(tmp_path / "ink.jpg", quality=95)
    art = tmp_path / "art.pdf"
    HTML(string="<style>@page { size: 200pt 100pt; margin: 0 } body { margin: 0 } "
                "img { width: 100pt; display: block }</style><img src='ink.jpg'>",
         base_url=str(tmp_path)).write_pdf(art)
    assert artcheck.ink_problems(art, 0, 240) == []
    ((message, fix),) = artcheck.problems(art, None, PrintSettings())
    assert message.startswith("has the image ") and message.endswith(
        "of the page reaching 400% total ink (C+M+Y+K) in its pixels; the print limit is 240%")
    assert "total ink at most 240%" in fix
    assert artcheck.problems(art, None, PrintSettings(max_ink=400)) == []
