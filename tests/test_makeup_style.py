"""The makeup's numbers are the house style's (issue 10): headline bands per rank and
per paper size, read strictly; and the makeup bench's pages meet the issue's goals on
both papers (no tombstone, nothing overset, median blank within 1%)."""

import importlib.util
import random
import statistics
from collections import Counter
from pathlib import Path

import pymupdf
import pytest

from paiban.build import build_edition
from paiban.errors import PaibanError
from paiban.house import DEFAULT_HOUSE, HOUSES, load_house, read_house
from paiban.makeup import BRIEFS, ROLES, Style, make_up
from paiban.source import parse_edition
from test_makeup import page
from test_makeup_edits import news_edition

ROOT = Path(__file__).resolve().parent.parent
DAILY = (HOUSES / f"{DEFAULT_HOUSE}.yaml").read_text(encoding="utf-8")


def house_with(tmp_path, old, new):
    assert old in DAILY
    path = tmp_path / "house.yaml"
    path.write_text(DAILY.replace(old, new), encoding="utf-8")
    return read_house(path)


@pytest.mark.parametrize("name", ["sample-daily", "sample-evening"])
def test_headlines_take_the_sizes_of_their_papers_band(name):
    house = load_house(name)
    for paper in house.paper_sizes:
        style, geometry = Style.of(house, paper), house.geometry(paper)
        bands = house.news.bands_for(paper)
        layout = make_up(geometry, page(3, geometry, count=8), style=style)
        for placement in layout.placements:
            band = bands[ROLES[min(ROLES.index(placement.role), len(bands) - 1)]]
            assert placement.headline_size in band.sizes, (paper, placement.role)


def test_an_art_director_changes_the_bands_in_the_house_file(tmp_path):
    house = house_with(tmp_path, "    头条: {sizes: [48, 42, 36], lines: 2}",
                       "    头条: {sizes: [60, 54], lines: 2}")
    style = Style.of(house, "broadsheet")
    assert style.headline_sizes[0] == (60, 54)
    layout = make_up(house.geometry("broadsheet"), page(3, count=6), style=style)
    lead = next(p for p in layout.placements if p.role == ROLES[0])
    assert lead.headline_size in (60, 54)
    # The tabloid keeps its own bands.
    assert Style.of(house, "tabloid").headline_sizes[0] == (42, 36, 32, 28)


@pytest.mark.parametrize("new, at, message", [
    ("    三条: {sizes: [26, 24]}", "    头条:", "bands by rank, in order"),
    ("    二条: {sizes: [50, 24]}", "    头条:", "sizes fall with rank"),
    ("    二条: {sizes: [24, 26]}", "    二条:", "largest first"),
    ("    二条: {sizes: [26, 24], colour: red}", "    二条:", "colour 'red' is not under colours"),
])
def test_a_wrong_band_is_an_error_at_its_line(tmp_path, new, at, message):
    """The 二条 band written wrong: the error names the bands (their first line) or
    the entry itself."""
    with pytest.raises(PaibanError) as error:
        house_with(tmp_path, "    二条: {sizes: [26, 24], colour: black}", new)
    assert message in error.value.message
    lines = (tmp_path / "house.yaml").read_text(encoding="utf-8").splitlines()
    first = next(n for n, text in enumerate(lines) if text.startswith("  bands:"))
    assert error.value.line == next(n for n in range(first, len(lines))
                                    if lines[n].startswith(at)) + 1


@pytest.mark.parametrize("paper", ["broadsheet", "tabloid"])
def test_the_bench_pages_meet_the_goals(paper):
    """bench/makeup.py's 50 pages (its fixed seed): no tombstone, nothing overset,
    median blank at most 1% (before: 2–3 tombstones and 1–7 overset articles a
    paper, the tabloid's median 1.23%)."""
    path = ROOT / "bench" / "makeup.py"
    spec = importlib.util.spec_from_file_location("makeup_bench", path)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    house = load_house(DEFAULT_HOUSE)
    geometry, style = house.geometry(paper), Style.of(house, paper)
    rng = random.Random(bench.SEED)
    blanks = []
    for _ in range(50):
        articles, _ = bench.generate(rng, geometry, style)
        layout = make_up(geometry, articles, style=style)
        assert layout.tombstones == [] and layout.overset == []
        blanks.append(layout.blank_fraction)
    assert statistics.median(blanks) <= 0.01



def span_colours(pdf):
    """(text, colour) of every text span on the PDF's first page."""
    return [(span["text"], span["color"])
            for block in pymupdf.open(pdf)[0].get_text("dict")["blocks"]
            for line in block.get("lines", []) for span in line["spans"] if span["text"]]


def test_headlines_take_their_ranks_colour(tmp_path, fonts):
    """示例日报 sets its 头条 in the headline style's red and every other story's
    headline in black (news: bands … colour), the body text's colour."""
    folder = news_edition(tmp_path / "edition")
    (entry,) = build_edition(parse_edition(folder), fonts, tmp_path / "out")["pages"]
    spans = span_colours(entry["pdf"])
    heads = [(a["role"], a["headline"]) for a in entry["articles"] if a["role"] != BRIEFS]

    def colours(lead):
        return {colour for text, colour in spans
                if any((role == ROLES[0]) == lead and text in head for role, head in heads)}
    body = Counter(colour for text, colour in spans if len(text) >= 8
                   and not any(text in head for _, head in heads)).most_common(1)[0][0]
    assert len(colours(True)) == 1 and colours(False) == {body}
    assert colours(True) != {body}
