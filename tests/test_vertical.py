"""Vertical headlines (竖排标题, issue 12), measured from the rendered PDF: cells down
the columns at one em, columns from the right edge, marks in their vertical forms
(the embedded glyphs' own outlines), two digits in one em cell, Latin turned, the PDF
text in source order, and a headline too long for its band overset at its smallest
size."""

import itertools
import shutil
from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest
import uharfbuzz
from typeset_lines import set_lines, violations

from paiban.build import build_edition, check_page
from paiban.errors import PaibanError
from paiban.house import load_house
from paiban.source import parse_edition, parse_page

ROOT = Path(__file__).resolve().parent.parent
EVENING = ROOT / "source" / "sample-evening-2023-01-16"
PAGE = "p03-lvzhi.md"
HEADLINE = ["履职「20」年，PDF……", "《新程》——3月"]
GRID = load_house("sample-evening").geometry("tabloid")
NOISE = 0.05  # pt


def evening_copy(folder, headline, vertical=True):
    """The evening sample with another headline, set vertically or not."""
    shutil.copytree(EVENING, folder)
    page = folder / PAGE
    text = page.read_text(encoding="utf-8")
    text = text.replace("# 履职尽责结硕果\n# 团结奋斗启新程\n",
                        "".join(f"# {line}\n" for line in headline))
    if not vertical:
        text = text.replace("headline: vertical\n", "")
    page.write_text(text, encoding="utf-8")
    return parse_edition(folder)


def built(edition, fonts, out):
    report = build_edition(edition, fonts, out)
    (entry,) = report["pages"]
    assert entry["pdf"], entry["errors"]
    return entry, check_page(edition, edition.pages[0], fonts)[1]


@pytest.fixture(scope="module")
def page(tmp_path_factory, fonts):
    """(build.json entry, placed page, PDF page) of the evening sample with a vertical
    headline full of marks, digits and Latin."""
    tmp = tmp_path_factory.mktemp("vertical")
    edition = evening_copy(tmp / "ed", HEADLINE)
    entry, placed = built(edition, fonts, tmp / "out")
    return entry, placed, pymupdf.open(entry["pdf"])


def headline_chars(pdf, size):
    """(char, glyph id, origin, line direction) of the text set at ``size``, in the
    PDF's order."""
    out = []
    for trace in pdf[0].get_texttrace():
        if abs(trace["size"] - size) < NOISE:
            out += [(chr(code), glyph, origin, trace["dir"])
                    for code, glyph, origin, _ in trace["chars"]]
    return out


def columns_of(placed):
    return [frame for frame in placed.frames if frame.kind == "vertical"]


def test_headline_cells_stack_one_em_apart_in_columns_from_the_right(page):
    entry, placed, pdf = page
    (first, second) = columns_of(placed)
    size = first.size
    chars = headline_chars(pdf, size)
    right = GRID.margin_left + GRID.type_width
    han = [(char, origin) for char, _, origin, _ in chars if "\u4e00" <= char <= "\u9fff"]
    xs = sorted({round(origin[0], 1) for _, origin in han}, reverse=True)
    assert len(xs) == 2                                    # two columns …
    assert abs(xs[0] + size - right) < NOISE                # … the first at the right edge
    assert 1.1 * size < xs[0] - xs[1] < 1.5 * size         # … the second to its left
    for column_x in xs:
        tops = [origin[1] for _, origin in han if abs(origin[0] - column_x) < NOISE]
        steps = [(b - a) / size for a, b in itertools.pairwise(tops)]
        # the Han characters of a column one em apart, or whole ems where marks,
        # digits or a dash stand between them (a turned run takes its own length)
        assert steps[0] == pytest.approx(1, abs=0.005)
        assert all(abs(step - round(step)) < 0.005 and step >= 1 for step in steps), steps
        # the column starts on the grid: its first cell's em box top on a body line
        topmost = min(origin[1] for _, _, origin, _ in chars
                      if abs(origin[0] - column_x) < NOISE)
        lines = (topmost - 0.88 * size - GRID.margin_top) / GRID.pitch
        assert abs(lines - round(lines)) < 0.01
    # the longest column spans whole body lines: its size was fitted to the band
    longest = max(frame.height for frame in (first, second))
    assert abs(longest / GRID.pitch - round(longest / GRID.pitch)) < 1e-6
    assert not entry["overset"]


def test_marks_take_their_vertical_forms(page):
    _, placed, pdf = page
    size = columns_of(placed)[0].size
    chars = headline_chars(pdf, size)
    font = pdf.get_page_fonts(0)
    (hei,) = [f[0] for f in font if "paiban-hei" in f[3]]
    face = uharfbuzz.Font(uharfbuzz.Face(pdf.extract_font(hei)[3]))

    def ink(char, source):
        glyphs = {glyph for c, glyph, *_ in source if c == char and glyph >= 0}
        assert len(glyphs) == 1, (char, glyphs)
        extents = face.get_glyph_extents(glyphs.pop())
        return (extents.x_bearing, extents.y_bearing + extents.height,     # left, bottom
                extents.x_bearing + extents.width, extents.y_bearing), glyphs
    left, bottom, right, top = ink("，", chars)[0]
    assert left > 500 and bottom > 380           # vertical comma: top right of the cell
    lead = [(chr(c), g) for t in pdf[0].get_texttrace() if abs(t["size"] - 11.0) < NOISE
            for c, g, *_ in t["chars"]]
    assert ink("，", lead)[0][0] < 500           # the lead's comma: bottom left
    for mark in "—…":                            # dash and ellipsis run down the column
        left, bottom, right, top = ink(mark, chars)[0]
        assert top - bottom > 4 * (right - left), mark
    for mark in "「」《》":                        # brackets turned a quarter
        left, bottom, right, top = ink(mark, chars)[0]
        assert right - left > top - bottom, mark


def test_two_digits_share_one_em_cell_and_latin_is_turned(page):
    _, placed, pdf = page
    (first, _) = columns_of(placed)
    size = first.size
    chars = headline_chars(pdf, size)
    column = GRID.margin_left + first.x
    two, zero = [origin for char, _, origin, _ in chars if char in "20"][:2]
    assert abs(two[1] - zero[1]) < NOISE                       # side by side …
    assert abs(two[0] - column) < NOISE and abs(zero[0] - (column + size / 2)) < 0.02 * size
    before = next(origin for char, _, origin, _ in chars if char == "「")
    after = next(origin for char, _, origin, _ in chars if char == "」")
    assert abs(two[1] - before[1] - size) < NOISE and abs(after[1] - two[1] - size) < NOISE
    latin = [(char, origin, direction) for char, _, origin, direction in chars
             if char in "PDF"]
    assert [char for char, *_ in latin] == list("PDF")
    assert all(direction == (0.0, 1.0) for *_, direction in latin)   # turned clockwise
    ys = [origin[1] for _, origin, _ in latin]
    assert ys == sorted(ys) and len({round(origin[0], 2) for _, origin, _ in latin}) == 1
    assert column <= latin[0][1][0] <= column + size                  # inside the column


def test_the_pdf_text_gives_the_headline_back_in_order(page):
    _, placed, pdf = page
    columns = columns_of(placed)
    assert len(columns) == len(HEADLINE)
    chars = headline_chars(pdf, columns[0].size)
    for frame, line in zip(columns, HEADLINE):
        left = GRID.margin_left + frame.x
        assert "".join(char for char, _, origin, _ in chars
                       if left - NOISE <= origin[0] <= left + frame.width + NOISE) == line
    # as a reader copies it: the page's text has the headline lines in order
    assert "".join(HEADLINE) in "".join(pdf[0].get_text().split())


def test_body_text_beside_a_vertical_headline_keeps_the_composition_rules(page, fonts):
    entry, placed, _ = page
    body = replace(placed, frames=[frame for frame in placed.frames if frame.kind == "column"])
    # the body's lines (the pull quotes' Hei Bold is named "hei-Bold" in the PDF,
    # which typeset_lines does not read as a role)
    lines = [line for line in set_lines(entry["pdf"], body)
             if all(glyph.role in fonts.faces for glyph in line.glyphs)]
    assert len(lines) > 80
    found = violations(lines, fonts)
    loose = found.pop("5 han gap over 0.1 em (1% allowed)", [])
    assert not found, {rule: examples[:5] for rule, examples in found.items()}
    assert len(loose) <= 0.01 * len(lines)
    # the lead and subtitle stand left of the headline, not under it
    left_of = min(frame.x for frame in columns_of(placed))
    for frame in placed.frames:
        if frame.kind in ("lead", "subtitle", "byline"):
            assert frame.x + frame.width < left_of


def test_the_evening_sample_sets_its_headline_vertically_on_a_full_page(fonts, tmp_path):
    entry, placed = built(parse_edition(EVENING), fonts, tmp_path)
    columns = columns_of(placed)
    assert [frame.text for frame in columns] == ["履职尽责结硕果", "团结奋斗启新程"]
    size = columns[0].size
    house = load_house("sample-evening").headline
    assert house.min_size <= size <= house.max_size
    chars = headline_chars(pymupdf.open(entry["pdf"]), size)
    assert "".join(char for char, *_ in chars) == "履职尽责结硕果团结奋斗启新程"
    assert not entry["overset"] and entry["blank_lines"] < 0.05 * GRID.columns * GRID.lines


def test_a_headline_too_long_for_its_band_is_overset_not_shrunk(fonts, tmp_path):
    long = "履职尽责结硕果" * 8
    edition = evening_copy(tmp_path / "ed", [long])
    entry, placed = built(edition, fonts, tmp_path / "out")
    (column,) = columns_of(placed)
    smallest = load_house("sample-evening").headline.min_size
    chars = [c for c in headline_chars(pymupdf.open(entry["pdf"]), smallest)
             if c[2][0] >= GRID.margin_left + column.x - NOISE]
    # set at its floor size, as far as the band holds
    assert column.size == smallest and len(chars) == len(column.text) < len(long)
    assert column.y + column.height <= GRID.type_height
    (error,) = [e for e in entry["errors"] if "headline" in e["message"]]
    assert error["line"] == edition.pages[0].article.headline[0].line
    assert f"holds {len(column.text)} characters" in error["message"]
    assert entry["overset_characters"] == len(long) - len(column.text)


def test_the_headline_form_is_checked_at_its_line(tmp_path):
    source = tmp_path / "p01.md"
    source.write_text("---\npage: 1\ntitle: 专版\nheadline: sideways\n---\n\n"
                      "# 标题\n\n正文。\n", encoding="utf-8")
    with pytest.raises(PaibanError) as caught:
        parse_page(source)
    assert caught.value.line == 4 and "sideways" in str(caught.value)
    assert "headline: vertical" in caught.value.fix
