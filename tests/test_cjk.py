"""Composition rules on small constructed paragraphs, with the locked faces' metrics.

One test (or a few) per rule of issue 3, named after the rule; issue 13 (Latin-heavy
text in narrow columns) on constructed and on generated copy.
"""

from itertools import pairwise

import pytest
from hypothesis import given, settings, strategies as st

from paiban.chars import FULLWIDTH_PUNCT, NOT_AT_END, NOT_AT_START
from paiban.cjk import (MARK_STRETCH_MAX, SPACING_LOOSE, SPACING_MAX, STRETCH_MAX,
                        WORD_SPACE_MAX, Paragraph, Settings, compose, set_units)

from copygen import paragraphs
from typeset_lines import word_split

MEASURE = 13


@pytest.fixture(scope="module")
def setting(fonts):
    def run(text, measure=MEASURE, role="song", **rules):
        rules.setdefault("indent", 0.0)
        return compose(text, measure, lambda c: fonts.advance(role, c),
                       lambda c: fonts.ink_side(role, c), Settings(**rules))
    return run


def widths(line):
    """What the line occupies once justified: natural width, stretch and spacing
    (between units, not inside the pieces of a hyphenated word)."""
    units = set_units(line.units)
    joints = len(units) - 1 - sum(u.joined for u in units[1:])
    return line.natural + sum(u.stretch for u in units) + line.spacing * joints


def han_spacing(lines):
    return max(line.spacing for line in lines)


# 1. Line-start and line-end prohibition; units that never split.

def test_no_line_starts_with_a_closing_mark(setting):
    lines = setting("一二三四五六七八九十一二三。四五六七八九十一二三四五六七。")
    assert lines[1].text[0] != "。"
    assert all(line.text[0] not in NOT_AT_START["strict"] for line in lines)


def test_no_line_ends_with_an_opening_mark(setting):
    lines = setting("一二三四五六七八九十一二“三四五六”七八九十一二三四五六七。")
    assert all(line.text[-1] not in NOT_AT_END["strict"] for line in lines)


def test_strict_level_keeps_dash_and_ellipsis_off_the_line_start(setting):
    for text in ("一二三四五六七八九十一二三——四五六七八九十一二三四五六七八九十。",
                 "一二三四五六七八九十一二三……四五六七八九十一二三四五六七八九十。"):
        lines = setting(text)
        assert all(not line.text.startswith(("—", "…")) for line in lines)
        assert sum(line.text.count("——") + line.text.count("……") for line in lines) == 1


def test_level_none_allows_a_comma_at_line_start(setting):
    text = "一二三四五六七八九十一二三，四五六七八九十一二三四五六七八九。"
    assert setting(text, level="none")[1].text.startswith("，")
    assert not setting(text, level="strict")[1].text.startswith("，")


def test_gb_level_keeps_the_solidus_off_the_line_end(setting):
    text = "一二三四五六七八九十一二／三四五六七八九十一二三四五六七八九。"
    assert setting(text, level="basic")[0].text.endswith("／")
    assert not setting(text, level="gb")[0].text.endswith("／")


def test_numbers_with_decimals_percent_and_units_stay_whole(setting):
    lines = setting("捐资捐物捐资捐物捐资捐物19.4万元，办复率达到了百分之百即100%，人均9.9本。")
    texts = [line.text for line in lines]
    for number in ("19.4", "100%", "9.9"):
        assert any(number in t for t in texts), number


def test_latin_words_stay_whole(setting):
    lines = setting("一二三四五六七八九十一Wi-Fi覆盖与PDF/A-3b归档并行不悖一二三四五六。")
    assert any("Wi-Fi" in line.text for line in lines)
    assert any("PDF/A-3b" in line.text for line in lines)


# 2. Squeeze before push.

def test_a_line_squeezes_its_marks_before_pushing_a_character_down(setting):
    lines = setting("一二三四五六，七八九十一二。三四五六七八九十一二三四五六七。")
    assert lines[0].text == "一二三四五六，七八九十一二。"
    assert any(unit.halved for unit in lines[0].units)


# 3. Punctuation styles; adjacent marks take 1.5 em.

def test_adjacent_marks_take_one_and_a_half_em(setting):
    for pair in ("。”", "，“", "》、", "）。", "：“"):
        (line,) = setting(f"他说{pair}好")
        assert line.natural == pytest.approx(3 + 1.5), pair


@pytest.mark.parametrize("style, width", [
    ("quanjiao", 1 + 1 + 1 + 1.5 + 1 + 1.5),   # 他，说：“好。”
    ("kaiming", 1 + 0.5 + 1 + 0.5 + 0.5 + 1 + 1 + 0.5),
    ("banjiao", 1 + 0.5 + 1 + 0.5 + 0.5 + 1 + 0.5 + 0.5),
])
def test_punctuation_style_sets_mark_widths(setting, style, width):
    (line,) = setting("他，说：“好。”", punctuation=style)
    assert line.natural == pytest.approx(width)


def test_hangmobanjiao_halves_the_line_end_mark_only(setting):
    lines = setting("一二三四五六七八九十一二，三四五六七八九十一二三四五六七八九。",
                    punctuation="hangmobanjiao")
    assert lines[0].units[-1].text == "，" and lines[0].units[-1].halved
    assert not setting("一二，三", punctuation="hangmobanjiao")[0].units[2].halved


def test_opening_mark_at_line_start_loses_its_blank_half_except_in_quanjiao(setting):
    text = "一二三四五六七八九十一二三“四五六七”八九十一二三四五六七八九。"
    assert setting(text, punctuation="hangmobanjiao")[1].units[0].halved
    assert not setting(text, punctuation="quanjiao")[1].units[0].halved


def test_a_face_without_full_width_quotes_keeps_its_own_widths(setting, fonts):
    # LXGW WenKai sets “” proportional: they are not halved, the pair is narrower.
    (line,) = setting("他说：“好。”", role="kai")
    quote = next(u for u in line.units if u.text == "“")
    assert quote.advance < 0.5 and not quote.halved


# 4. Han–Latin gap.

def test_han_latin_gap_but_none_at_line_start(setting):
    (line,) = setting("全年共编发期刊46期")
    assert [unit.gap for unit in line.units].count(0.25) == 2 and line.units[0].gap == 0
    (line,) = setting("46期期刊")
    assert line.units[0].gap == 0


def test_han_latin_gap_is_configurable(setting):
    (line,) = setting("全年共编发期刊46期", han_latin_gap=0.125)
    assert [unit.gap for unit in line.units].count(0.125) == 2
    with pytest.raises(ValueError):
        Settings(han_latin_gap=0.5)


def test_no_gap_between_a_number_and_a_full_width_mark(setting):
    (line,) = setting("共46，计“5”项")
    assert all(unit.gap == 0 for unit in line.units if unit.text in FULLWIDTH_PUNCT)
    assert next(u for u in line.units if u.text == "5").gap == 0


# 5. Justification.

def test_justified_lines_fill_the_measure(setting):
    lines = setting("大武口区政协2022年深入学习贯彻党的二十大精神，召开协商座谈会10余次，"
                    "形成6篇报告，其中PM2.5治理一篇。", indent=2.0)
    for line in lines[:-1]:
        assert widths(line) == pytest.approx(line.measure)
    assert lines[-1].spacing == 0


def test_slack_goes_to_han_latin_gaps_before_even_spacing(setting):
    lines = setting("一二三四五六七八九十一2022年二三四五六七八九十一二三四五六七八九十。")
    loose = [line for line in lines[:-1] if any(u.stretch for u in line.units)]
    assert loose
    for line in loose:
        assert line.spacing < max(u.stretch for u in line.units)


def test_even_spacing_never_enters_dash_or_ellipsis(setting):
    # Dashes and ellipses are single units: spacing goes between units only.
    lines = setting("一二三四五六七八九十一——二三四五六七八九十一二三……四五六七八九。")
    assert all(u.text in ("——", "……") for line in lines for u in line.units
               if u.text[0] in "—…")


def test_a_push_shares_its_slack_with_the_lines_before(setting):
    # Greedy breaking would leave one line with 2 em of slack (0.17 em between
    # characters); total fit spreads it so no line loosens beyond 0.1 em.
    text = "攻坚成果同乡村振兴有效衔接一二三四五六七八九十一二三四五六七八九十一二三四五六攻坚成果同乡村振兴有效衔接。"
    assert han_spacing(setting(text)) < 0.1


# 6. No one-character last line.

def test_no_paragraph_ends_in_a_one_character_line(setting):
    for text in ("一二三四五六七八九十一二三四五六七八九十一二三四五六。",
                 "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十。"):
        lines = setting(text)
        assert len(lines[-1].text.rstrip("。，")) > 1


# 8. The text stays the text.

def test_the_text_is_unchanged(setting):
    text = "关于“对大武口区贺兰山东麓110国道（世纪大道段）进行生态环境综合整治”的提案。"
    assert "".join(line.text for line in setting(text, indent=2.0)) == text


HAN = st.sampled_from("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工")
MARKS = st.sampled_from("，。、：；！？“”‘’（）《》【】——……")
LATIN = st.sampled_from(["2022", "19.4%", "PDF", "Wi-Fi", "5G", "100", "New York", " ",
                         "Supercalifragilistic"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(HAN, HAN, HAN, MARKS, LATIN), min_size=1, max_size=120),
       st.sampled_from(["quanjiao", "kaiming", "hangmobanjiao", "banjiao"]),
       st.sampled_from([1, 3, 9, 13, 27]))
def test_any_text_keeps_its_characters_and_fills_its_lines(setting, pieces, style, measure):
    text = "".join(pieces)
    lines = setting(text, measure=measure, punctuation=style, indent=2.0)
    assert "".join(line.text for line in lines) == text
    for line in lines:
        if not line.overfull and not line.last and not line.short:
            assert widths(line) == pytest.approx(line.measure)
        if not line.overfull:
            assert line.natural <= line.measure + 1e-6
        assert line.spacing <= SPACING_MAX + 1e-9


# Issue 13: Latin-heavy text in narrow columns.

def test_accented_latin_words_never_split(setting):
    # "lièvre" was cut after "li": an accented letter is a Latin letter.
    text = "一二三四五六七八九十一li" + "èvre与Zürich和naïve一二三四五六七八九十一二三四五。"
    for measure in (9, 11, 13):
        lines = setting(text, measure=measure)
        assert "".join(line.text for line in lines) == text
        assert any("lièvre" in line.text for line in lines)
        assert any("Zürich" in line.text for line in lines)


def test_a_long_word_breaks_at_a_hyphenation_point_with_a_hyphen(setting):
    # Without a hyphen the first line would be eight characters spread over 13 em.
    text = "一二三四五六七八internationalization一二三四五六七八九十一二三四五六七八九十。"
    lines = setting(text)
    broken = [(line, following) for line, following in pairwise(lines) if line.hyphen]
    assert broken
    for line, following in broken:
        assert line.printed.endswith("-") and not line.text.endswith("-")
        assert word_split(line.printed, following.text, True) == "hyphen"


def test_a_hyphen_is_counted_in_the_line_width(setting):
    for line in setting("一二三四五六七八九十一typesetting一二三四五六七八九十。", measure=13):
        if line.hyphen:
            assert line.natural == pytest.approx(
                sum(u.width for u in set_units(line.units)) + sum(u.gap for u in line.units[1:])
                + line.hyphen)


def test_acronyms_codes_and_short_words_are_never_hyphenated(setting):
    text = "一二三四五六七八九十一PDF/A-3b、UNESCO、U+4E00和Noto一二三四五六七八九十一。"
    for measure in (9, 11, 13):
        assert not any(line.hyphen for line in setting(text, measure=measure))


def test_word_spaces_and_gaps_take_slack_before_han_characters_spread(setting):
    exercised = 0
    for text in paragraphs(5, 30, latin_share=0.2):
        for line in setting(text, indent=2.0):
            stretchable = [u for u in set_units(line.units)[1:] if u.space or u.gap]
            if line.spacing > 0 and stretchable:
                exercised += 1
                assert all(u.stretch >= STRETCH_MAX - 1e-9 for u in stretchable)
            if line.spacing > SPACING_LOOSE + 1e-9:
                assert all(u.stretch >= WORD_SPACE_MAX - 1e-9
                           for u in stretchable if u.space)
    assert exercised > 10


def test_stretch_stays_within_its_bounds(setting):
    for text in paragraphs(7, 40, latin_share=0.3):
        for line in setting(text, indent=2.0):
            units = set_units(line.units)
            assert line.spacing <= SPACING_MAX + 1e-9
            for before, unit in pairwise(units):
                if unit.space:
                    assert unit.stretch <= WORD_SPACE_MAX + 1e-9
                elif unit.gap:
                    assert unit.stretch <= STRETCH_MAX + 1e-9
                elif unit.stretch:  # by a mark's blank half, never between two marks
                    assert unit.stretch <= MARK_STRETCH_MAX + 1e-9
                    assert (before.text in FULLWIDTH_PUNCT) != (unit.text in FULLWIDTH_PUNCT)


def test_a_line_that_cannot_be_justified_is_set_short_not_spread(setting):
    # Seven Han characters, then a code that cannot be broken and does not fit: the
    # first line cannot take 4 em of slack within the bounds; it is set short.
    (first, *_) = setting("文字按记录新闻PDF/A-3b一二三四五六七八九十。", indent=2.0)
    assert first.short and first.spacing == 0 and not any(u.stretch for u in first.units)


def test_generated_latin_heavy_copy_keeps_its_text_and_bounds(setting):
    """Copy from the generator with a third of its characters Latin, at 13 and 11
    characters: every character kept, no word broken but at a hyphenation point,
    every line but a short one flush, and short lines rare."""
    lines_seen = short = 0
    for measure in (13, 11):
        for text in paragraphs(11, 30, latin_share=0.2):
            lines = setting(text, measure=measure, indent=2.0)
            assert "".join(line.text for line in lines) == text
            lines_seen += len(lines)
            for line, following in pairwise(lines):
                short += line.short
                if not line.short:
                    assert widths(line) == pytest.approx(line.measure)
                if line.text.endswith(" "):  # broken at a word space
                    continue
                split = word_split(line.printed, following.text, bool(line.hyphen))
                assert split == ("hyphen" if line.hyphen else None), \
                    f"{line.printed!r} | {following.text!r}"
    assert short <= 0.03 * lines_seen


def test_first_line_indent_takes_the_line_spacing(setting):
    # Ten characters on an 11 em first line: spread over the indent's two blank
    # characters too, Han spacing stays at 1/11 em rather than 1/9.
    (first, *_) = setting("坚持设计是落实排版创新。一二三四五六七八九十一二三四五六七八九十。",
                          indent=2.0)
    assert first.text == "坚持设计是落实排版创"
    assert first.spacing == pytest.approx(1 / 11)
    assert first.indent == pytest.approx(2 + 2 / 11)
    assert widths(first) + first.indent == pytest.approx(13)


def test_a_camel_case_compound_breaks_between_its_parts_with_a_hyphen(setting):
    # Seven characters, then a compound no dictionary hyphenates: breaking it where its
    # parts join fills the first line, which would otherwise be set short.
    first, following, *_ = setting("文字按记录新闻WeasyPrint排版一二三四五六七八九十。",
                                   indent=2.0)
    assert not first.short and first.printed.endswith("新闻Weasy-")
    assert word_split(first.printed, following.text, True) == "hyphen"
    assert widths(first) + first.indent == pytest.approx(MEASURE)


def test_a_lone_marks_blank_half_takes_slack_before_han_characters_loosen(setting):
    # The first line's slack, past what even spacing takes up to the loose bound,
    # goes to the blank halves of （ and ）, so that the Han characters stay within it.
    first, *_ = setting("clreq多环境（以）报纸计划新，字体向字体活动汉字都新栏目。"
                        "Typesetting Archive！", indent=2.0)
    assert first.text == "clreq多环境（以）报"
    stretched = [u.text for u in first.units if u.stretch and not u.gap]
    assert stretched == ["（", "报"]
    assert all(0 < u.stretch <= MARK_STRETCH_MAX for u in first.units if u.text in stretched)
    assert first.spacing == pytest.approx(SPACING_LOOSE)  # 0.113 em without them
    assert widths(first) + first.indent == pytest.approx(MEASURE)



def test_the_indent_takes_slack_before_han_characters_loosen(setting):
    # The first line's slack, past what even spacing takes up to the loose bound,
    # widens the indent (two blank characters) a little: 0.111 em spacing without it.
    first, *_ = setting("加强有的图片84.6年Python；又了也落实和由把图片排版共，数据标准工作标点"
                        "建设还工作改革取得，经济项目的文化完善教育建设：", indent=2.0)
    assert first.text == "加强有的图片84.6年"
    assert first.spacing == pytest.approx(SPACING_LOOSE)
    assert 2 + 2 * SPACING_LOOSE < first.indent <= 2 + 2 * (SPACING_LOOSE + MARK_STRETCH_MAX)
    assert widths(first) + first.indent == pytest.approx(MEASURE)


def test_a_paragraph_set_at_one_measure_then_another_sets_as_if_fresh(fonts):
    """The makeup sets one cut of a paragraph at several measures: setting lines
    (squeezing, halving, spacing) must not change the units the next measure starts
    from."""
    advance, ink = (lambda c: fonts.advance("song", c)), (lambda c: fonts.ink_side("song", c))
    text = "".join(paragraphs(7, 1, latin_share=0.2))
    paragraph = Paragraph(text, advance, ink)
    shape = lambda lines: [(line.printed, line.spacing, line.short,  # noqa: E731
                            [(u.halved, u.gap, u.stretch, u.shrink) for u in line.units])
                           for line in lines]
    for measure in (9, 13, 17.5, 13, 9):
        assert shape(paragraph.lines(measure)) == shape(compose(text, measure, advance, ink))
        assert len(paragraph.breaks(measure)) == len(paragraph.lines(measure))
