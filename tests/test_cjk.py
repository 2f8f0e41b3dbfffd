"""Composition rules on small constructed paragraphs, with Noto Serif CJK SC metrics."""

import pytest

from paiban.chars import NOT_AT_END, NOT_AT_START_STRICT
from paiban.cjk import compose

MEASURE = 13


@pytest.fixture(scope="module")
def setting(fonts):
    def run(text, measure=MEASURE, indent=2.0):
        return compose(text, measure, lambda c: fonts.advance("song", c), True, indent)
    return run


def test_no_line_starts_with_a_closing_mark_squeezing_first(setting):
    # A full line, then a full stop: halving two marks keeps the stop on the line.
    lines = setting("一二三四五六，七八九十一二。三四五六七八九十一二三四五六七。", indent=0)
    assert lines[0].text == "一二三四五六，七八九十一二。"
    assert any(unit.halved for unit in lines[0].units)
    assert all(line.text[0] not in NOT_AT_START_STRICT for line in lines)


def test_no_line_ends_with_an_opening_mark(setting):
    lines = setting("一二三四五六七八九十一二“三四五六”七八九十一二三四五六七。", indent=0)
    assert all(line.text[-1] not in NOT_AT_END for line in lines)


def test_numbers_with_decimals_and_percent_stay_whole(setting):
    lines = setting("捐资捐物捐资捐物捐资捐物19.4万元，办复率达到了百分之百即100%。", indent=0)
    texts = [line.text for line in lines]
    assert any("19.4" in t for t in texts) and any("100%" in t for t in texts)


def test_dash_and_ellipsis_never_split_or_start_a_line(setting):
    for text in ("一二三四五六七八九十一二——三四五六七八。", "一二三四五六七八九十一二……三四五六七八。"):
        lines = setting(text, indent=0)
        assert all(not line.text.startswith(("—", "…")) for line in lines)
        assert sum(line.text.count("——") + line.text.count("……") for line in lines) == 1


def test_adjacent_marks_take_one_and_a_half_em(setting):
    lines = setting("他说：“好。”", indent=0)
    assert lines[0].natural == pytest.approx(3 + 1.5 + 1.5)


def test_han_latin_gap_but_none_at_line_start(setting):
    lines = setting("全年共编发期刊46期", indent=0)
    gaps = [unit.gap for unit in lines[0].units]
    assert gaps.count(0.25) == 2 and lines[0].units[0].gap == 0


def test_no_paragraph_ends_in_a_one_character_line(setting):
    lines = setting("一二三四五六七八九十一二三四五六七八九十一二三四五六。", indent=0)
    assert len(lines[-1].text.rstrip("。，")) > 1


def test_justified_lines_fill_the_measure(setting):
    lines = setting("大武口区政协2022年深入学习贯彻党的二十大精神，召开协商座谈会10余次，形成6篇报告。")
    for line in lines[:-1]:
        gaps = len(line.units) - 1
        assert line.natural + line.spacing * gaps == pytest.approx(line.measure)
    assert lines[-1].spacing == 0


def test_the_text_is_unchanged(setting):
    text = "关于“对大武口区贺兰山东麓110国道（世纪大道段）进行生态环境综合整治”的提案。"
    assert "".join(line.text for line in setting(text)) == text
