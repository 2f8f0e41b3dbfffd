"""House styles are data an art director edits: read strictly, every mistake located."""

import collections
import json

import pytest

from paiban.errors import PaibanError
from paiban.house import HOUSES, load_house, read_house

SAMPLE = HOUSES / "sample-daily.yaml"


def edited(tmp_path, old, new):
    """A copy of the sample house style with one text replaced; the line it is on."""
    text = SAMPLE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "house.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path, text[:text.index(old)].count("\n") + 1


def test_every_shipped_house_style_reads():
    for path in HOUSES.glob("*.yaml"):
        house = load_house(path.stem)
        assert house.paper_sizes and house.text_styles["body"].face


@pytest.mark.parametrize("old, new, words", [
    ("    column_chars: 13\n", "    column_chrs: 13\n", "did you mean 'column_chars'?"),
    ("  lead:       {face: kai,", "  lead:       {fase: kai,", "did you mean 'face'?"),
    ("    lines: 96\n", "    lines: many\n", "expected a whole number, not 'many'"),
    ("    lines: 96\n", "    lines: 960\n", "lines 960 is out of range"),
    ("  max_size: 48\n", "  max_size: 12\n", "out of range"),
    ("  accent: [0, 100, 100, 20] ", "  accent: [0, 100, 100] ", "expected 4 values"),
    ("  quote_ink: [0, 0, 0, 80]\n", "  quote_ink: [0, 0, 0, 180]\n", "0 to 100"),
    ("colour: quote_ink}", "colour: quoteink}", "colour 'quoteink' is not under colours"),
    ('  folio: "第{page}版"', '  folio: "第{pgae}版"', "unknown placeholder"),
    ("    trim_mm: [390, 545]\n", "    trim_mm: [290, 545]\n", "larger than the trim"),
    ("  body:       {face: song}", "  body:       {size: 9}", "missing face"),
    ("running_head:\n", "stylesheet: ../evil.css\nrunning_head:\n", "is not a .css file"),
])
def test_a_mistake_in_a_house_style_is_located(tmp_path, old, new, words):
    path, line = edited(tmp_path, old, new)
    with pytest.raises(PaibanError) as error:
        read_house(path)
    assert words in str(error.value)
    assert error.value.path == path and abs(error.value.line - line) <= 1


def test_a_house_style_without_a_required_text_style_names_it(tmp_path):
    path, _ = edited(tmp_path, "  credit:     {face: kai, size: 8.0, leading: 12.0}\n", "")
    with pytest.raises(PaibanError) as error:
        read_house(path)
    assert "text_styles lacks credit" in error.value.message


def test_an_unknown_house_style_names_the_known_ones():
    with pytest.raises(PaibanError) as error:
        load_house("no-such-paper")
    assert "sample-daily" in error.value.fix


# Wired in: an edition names its house style, and the pages show it.

import pikepdf  # noqa: E402
import pymupdf  # noqa: E402

from paiban import cache  # noqa: E402
from paiban.cli import main  # noqa: E402

from conftest import ROOT, make_edition  # noqa: E402

SAMPLES = {"sample-daily": ROOT / "source" / "sample-2023-01-16",
           "sample-evening": ROOT / "source" / "sample-evening-2023-01-16"}


def fill_colours(pdf):
    """Every CMYK fill colour set in the page's content stream (k, or scn after a
    DeviceCMYK cs)."""
    with pikepdf.open(pdf) as document:
        found = set()
        for operands, operator in pikepdf.parse_content_stream(document.pages[0]):
            if str(operator) in ("k", "scn") and len(operands) == 4:
                found.add(tuple(round(float(value), 2) for value in operands))
        return found


def headline_faces(pdf):
    page = pymupdf.open(pdf)[0]
    biggest = max((span["size"], span["font"]) for block in page.get_text("dict")["blocks"]
                  for line in block.get("lines", []) for span in line["spans"])
    return biggest


@pytest.fixture(scope="module")
def built_samples(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    assert main(["build", *map(str, SAMPLES.values()), "-o", str(out), "-j", "1"]) == 0
    return {house: json.loads((out / folder.name / "build.json").read_text())
            for house, folder in SAMPLES.items()}


def test_each_sample_edition_builds_in_its_own_house_style(built_samples):
    for house, report in built_samples.items():
        style = load_house(house)
        pdf = feature_entry(report)["pdf"]
        page = pymupdf.open(pdf)[0]
        paper_size = "broadsheet" if house == "sample-daily" else "tabloid"
        grid = style.geometry(paper_size)
        assert abs(page.rect.width - grid.trim_width) < 0.5
        accent = tuple(round(v / 100, 2) for v in style.colours["accent"])
        assert accent in fill_colours(pdf), house
        assert not feature_entry(report)["overset"] and feature_entry(report)["blank_lines"] < 20


def test_the_two_papers_look_different(built_samples):
    daily = headline_faces(feature_entry(built_samples["sample-daily"])["pdf"])
    evening = headline_faces(feature_entry(built_samples["sample-evening"])["pdf"])
    assert "song_heavy" in daily[1]  # the face roles of the lock: Song Black, Hei Bold
    assert "hei" in evening[1]
    body = [body_size(feature_entry(r)["pdf"]) for r in built_samples.values()]
    assert body == [9.0, 10.5]  # 小五 on the broadsheet, 五号 on the tabloid


def feature_entry(report):
    """The build.json entry of an edition's first feature page (no makeup articles)."""
    return next(entry for entry in report["pages"] if entry.get("articles") is None)


def body_size(pdf):
    """The size most characters of the page are set in."""
    sizes = collections.Counter()
    for block in pymupdf.open(pdf)[0].get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                sizes[round(span["size"], 1)] += len(span["text"])
    return sizes.most_common(1)[0][0]


def test_an_edition_names_an_unknown_house_style_at_its_line(tmp_path, capsys):
    folder = make_edition(tmp_path / "ed", edition_extra="house: sample-dialy\n")
    assert main(["check", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "edition.yaml:5:" in err and "no house style 'sample-dialy'" in err
    assert "sample-daily" in err


def test_a_paper_size_the_house_style_lacks_is_named(tmp_path, capsys):
    folder = make_edition(tmp_path / "ed",
                          edition_extra="house: sample-evening\npaper_size: berliner\n")
    assert main(["check", str(folder)]) == 2
    assert "the house style 示例晚报 has: tabloid, broadsheet" in capsys.readouterr().err


def test_house_styles_join_the_page_cache_key_and_the_archive():
    from paiban.archive.revision import PAIBAN_FILES
    for path in HOUSES.glob("*.yaml"):
        assert path in cache.code_files() and path in PAIBAN_FILES
