"""House styles are data an art director edits: read strictly, every mistake located."""

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
