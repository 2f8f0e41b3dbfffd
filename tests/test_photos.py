"""Issue 13, photos: the editor's size and focal point, frames no larger than a photo's
pixels fill, and the crop as it lands in the PDF (proof and print), measured from
the placed image and its clipping path. The photographs are real ones (public domain
and CC0, shipped with scikit-image; see source/sample-2023-01-16/photos/README.md)."""

import pymupdf
import pytest

from paiban.build import build_edition
from paiban.errors import PaibanError
from paiban.house import DEFAULT_HOUSE, load_house
from paiban.source import parse_edition

from conftest import BODY, keep_pages, make_edition, real_photo

PHOTO_LINE = 11  # make_edition: the body starts on line 9, the photo follows it
BROADSHEET = load_house(DEFAULT_HOUSE).geometry("broadsheet")
BORDER = 0.4     # the frame's rule, inside its box (styles/components.css)
# Where Eileen Collins's face is in astronaut.jpg, in fractions of the picture's height.
EYES, CHIN = 0.19, 0.32


def photo_edition(folder, reference, title="", extra=""):
    """A one-page edition: a paragraph, then the photo on line 11."""
    title = f' "{title}"' if title else ""
    return make_edition(folder, body=f"{BODY}\n\n![图片说明。]({reference}{title})",
                        edition_extra=extra)


def build(folder, fonts, out, output=None):
    report = build_edition(parse_edition(folder), fonts, out, output=output)
    return report["pages"][0]


def placed_images(pdf):
    """For each image on the page: its pixel size, the rectangle it is drawn in and
    the part of it its clipping path shows, as fractions (left, top, right, bottom)
    of the picture."""
    page = pymupdf.open(pdf)[0]
    clips = [d["scissor"] for d in page.get_drawings(extended=True)
             if d["type"] == "clip" and d.get("scissor")]
    placed = []
    for info in page.get_image_info():
        box = pymupdf.Rect(info["bbox"])
        inside = [c for c in clips if c.width > 10 and c.height > 10
                  and c.x0 > box.x0 - 0.5 and c.y0 > box.y0 - 0.5
                  and c.x1 < box.x1 + 0.5 and c.y1 < box.y1 + 0.5]
        clip = min(inside, key=lambda c: c.width * c.height)
        seen = ((clip.x0 - box.x0) / box.width, (clip.y0 - box.y0) / box.height,
                (clip.x1 - box.x0) / box.width, (clip.y1 - box.y0) / box.height)
        placed.append({"pixels": (info["width"], info["height"]), "drawn": box,
                       "clip": clip, "seen": seen})
    return placed


def expected_window(focus, shown):
    """The part of one axis a window ``shown`` long (a fraction) centred on ``focus``
    sees, kept within the picture."""
    start = min(max(focus - shown / 2, 0), 1 - shown)
    return start, start + shown


# The source: a photo's size, shape and focus, each checked.

@pytest.mark.parametrize("title, words", [
    ("size=3", ["unknown key 'size'", "columns, aspect, focus"]),
    ("colums=2", ["unknown key 'colums'", "did you mean 'columns'"]),
    ("columns=0", ["columns='0'", "1 to 7"]),
    ("columns=two", ["columns='two'"]),
    ("aspect=3", ["aspect='3'", "width:height"]),
    ("aspect=1:9", ["aspect='1:9'"]),
    ("aspect=3:0", ["aspect='3:0'"]),
    ("focus=50%", ["focus='50%'", "0% to 100%"]),
    ("focus=50,30", ["focus='50,30'"]),
    ("focus=50%,130%", ["focus='50%,130%'"]),
    ("columns", ["columns has no value"]),
    ("columns=2 columns=3", ["columns given twice"]),
    ("A photo by the agency", ["unknown key 'A'"]),
])
def test_bad_photo_attributes_are_errors_at_the_photo_line(tmp_path, title, words):
    folder = photo_edition(tmp_path / "ed", "photos/none.jpg", title)
    with pytest.raises(PaibanError) as error:
        parse_edition(folder)
    assert error.value.line == PHOTO_LINE and str(error.value.path).endswith("p01.md")
    text = str(error.value)
    assert all(word in text for word in words), text
    assert error.value.fix


def test_photo_attributes_reach_the_model(tmp_path):
    folder = photo_edition(tmp_path / "ed", "photos/none.jpg",
                           "columns=3 aspect=3:2 focus=25%,40%")
    (photo,) = parse_edition(folder).pages[0].article.photos
    assert (photo.columns, photo.aspect, photo.focus) == (3, pytest.approx(2 / 3),
                                                          pytest.approx((0.25, 0.4)))


def test_a_photo_wider_than_the_paper_allows_is_an_error_at_its_line(tmp_path):
    folder = photo_edition(tmp_path / "ed", "photos/none.jpg", "columns=6",
                           extra="paper_size: tabloid\n")
    with pytest.raises(PaibanError) as error:
        parse_edition(folder)
    assert error.value.line == PHOTO_LINE
    assert "tabloid" in error.value.message and "columns=5" in error.value.fix


# The crop: around the focus, on the proof and in print.

@pytest.mark.parametrize("across", [0.05, 0.45, 0.95])
def test_the_focal_point_is_centred_in_the_visible_part(tmp_path, fonts, across):
    """coffee.jpg is 3:2; in a square frame about two thirds of its width show: the
    window is centred on the focus, or as near as the picture's edges allow."""
    folder = tmp_path / "ed"
    photo_edition(folder, real_photo("coffee.jpg", folder), f"aspect=1:1 focus={across:.0%},50%")
    entry = build(folder, fonts, tmp_path / "out")
    assert not entry["errors"]
    (image,) = placed_images(entry["pdf"])
    left, top, right, bottom = image["seen"]
    assert (top, bottom) == (pytest.approx(0, abs=0.01), pytest.approx(1, abs=0.01))
    assert right - left == pytest.approx(2 / 3, abs=0.05)  # square to a whole line
    assert (left, right) == pytest.approx(expected_window(across, right - left), abs=0.01)
    assert left <= across <= right


def test_a_portrait_without_a_focus_keeps_its_upper_third(tmp_path, fonts):
    """A portrait cut from astronaut.jpg in a landscape frame: the default crop keeps
    the face from the eyes to the chin (a crop from the centre shows from the mouth
    down)."""
    folder = tmp_path / "ed"
    photo_edition(folder, real_photo("astronaut.jpg", folder, crop=(0.1, 0, 0.8, 1)),
                  "aspect=3:2")
    entry = build(folder, fonts, tmp_path / "out")
    (image,) = placed_images(entry["pdf"])
    left, top, right, bottom = image["seen"]
    assert (left, right) == (pytest.approx(0, abs=0.01), pytest.approx(1, abs=0.01))
    assert top < EYES and bottom > CHIN
    assert (top, bottom) == pytest.approx(expected_window(1 / 3, bottom - top), abs=0.01)


def test_the_print_pdf_shows_the_same_part_of_the_photo_as_the_proof(tmp_path, fonts):
    folder = tmp_path / "ed"
    photo_edition(folder, real_photo("coffee.jpg", folder), "aspect=1:1 focus=90%,50%")
    proof = build(folder, fonts, tmp_path / "out")
    printed = build(folder, fonts, tmp_path / "out", output="print")
    assert not printed["errors"]
    (on_proof,), (in_print,) = placed_images(proof["pdf"]), placed_images(printed["pdf"])
    assert in_print["pixels"] == on_proof["pixels"]
    assert in_print["seen"] == pytest.approx(on_proof["seen"], abs=0.002)
    assert in_print["seen"][0] > 0.25  # the right part, around the focus


# The size: the editor's, and never larger than the pixels fill.

def test_an_editor_set_size_is_honoured(tmp_path, fonts):
    folder = tmp_path / "ed"
    photo_edition(folder, real_photo("rocket.jpg", folder), "columns=2 aspect=4:3")
    entry = build(folder, fonts, tmp_path / "out")
    (image,) = placed_images(entry["pdf"])
    width = image["clip"].width + 2 * BORDER
    height = image["clip"].height + 2 * BORDER
    assert width == pytest.approx(BROADSHEET.span(0, 2)[1], abs=0.1)
    # A frame takes whole lines: the shape is 4:3 to within one line's height.
    assert abs(height - width * 3 / 4) <= BROADSHEET.pitch / 2


def test_a_low_resolution_photo_gets_a_frame_it_fills_at_warn_ppi(tmp_path, fonts):
    """chelsea.jpg is 451 × 300 pixels, the size of the photo that once got the
    widest frame at 37 ppi: at 200 ppi it fills at most 162 × 108 pt."""
    folder = tmp_path / "ed"
    photo_edition(folder, real_photo("chelsea.jpg", folder))
    entry = build(folder, fonts, tmp_path / "out")
    (image,) = placed_images(entry["pdf"])
    pixels_width, pixels_height = image["pixels"]
    ppi = min(pixels_width / (image["drawn"].width / 72),
              pixels_height / (image["drawn"].height / 72))
    assert ppi >= 200
    assert not [w for w in entry["warnings"] if "ppi" in w["message"]]


def test_a_photo_set_larger_than_its_pixels_fill_is_warned_on_the_proof(tmp_path, fonts):
    """The editor's size wins, but the proof says what print will do with it."""
    folder = tmp_path / "ed"
    photo_edition(folder, real_photo("chelsea.jpg", folder), "columns=4")
    entry = build(folder, fonts, tmp_path / "out")
    assert entry["pdf"] and not entry["errors"]
    (image,) = placed_images(entry["pdf"])
    assert image["clip"].width + 2 * BORDER == pytest.approx(BROADSHEET.span(0, 4)[1],
                                                             abs=0.1)
    (warning,) = [w for w in entry["warnings"] if "ppi" in w["message"]]
    assert warning["line"] == PHOTO_LINE and "print build refuses it" in warning["message"]
    printed = build(folder, fonts, tmp_path / "out", output="print")
    (error,) = printed["errors"]
    assert error["line"] == PHOTO_LINE and "ppi" in error["message"]


def test_a_photo_turned_by_its_exif_orientation_is_cropped_as_it_is_seen(tmp_path, fonts):
    """A camera stores a picture sideways with an EXIF orientation. Frame and crop are
    worked out on the picture as seen, on the proof and in print: the same part of
    coffee.jpg shows whether it is stored upright or turned."""
    from PIL import Image
    upright = tmp_path / "upright"
    photo_edition(upright, real_photo("coffee.jpg", upright), "aspect=1:1 focus=90%,50%")
    turned = tmp_path / "turned"
    photo_edition(turned, real_photo("coffee.jpg", turned), "aspect=1:1 focus=90%,50%")
    path = turned / "photos" / "coffee.jpg"
    with Image.open(path) as image:
        sideways = image.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6  # turn 90° clockwise to show
    sideways.save(path, quality=92, exif=exif)
    (expected,) = placed_images(build(upright, fonts, tmp_path / "out")["pdf"])
    for output in (None, "print"):
        entry = build(turned, fonts, tmp_path / "out", output=output)
        (image,) = placed_images(entry["pdf"])
        assert image["pixels"] == (600, 400)
        assert image["seen"] == pytest.approx(expected["seen"], abs=0.005)


def test_real_photographs_keep_to_the_ink_limit_in_print(edition_copy, fonts, tmp_path):
    """JPEG's rounding lifts saturated, sharp-edged real pictures (the astronaut's
    suit, the coffee's saucer, the night sky) past a fixed headroom: each is measured
    as encoded. The sample's print page passes its prepress check."""
    import pikepdf
    from paiban.cli import main
    from paiban.printing import total_ink
    entry = build(keep_pages(edition_copy, "p05-dawukou.md"), fonts, tmp_path / "out",
                  output="print")
    with pikepdf.open(entry["pdf"]) as pdf:
        pictures = [pikepdf.PdfImage(image).as_pil_image()
                    for image in pdf.pages[0].get_images().values()]
    inks = [total_ink(picture) for picture in pictures if picture.mode == "CMYK"]
    assert len(inks) == 4 and max(inks) <= 240
    assert main(["check", "--print", str(edition_copy), "-o", str(tmp_path / "out")]) == 0
