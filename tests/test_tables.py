"""Tables and boxes (issue 12), measured from the rendered PDF: a table's rules where
the house style puts them, figures of a column on their units digit and decimal
point, CJK cells justified in their cells, the header in the heavy face, body text
after a table still on the baseline grid; a box's double rule or tint drawn around
its text, the text inset by whole characters; bad tables and boxes located errors."""

import itertools
import math
import re
import subprocess
import sys

import pymupdf
import pytest

from paiban.boxes import ComposedBox
from paiban.build import build_edition, check_page
from paiban.errors import PaibanError
from paiban.source import parse_edition
from paiban.tables import ComposedTable

from conftest import SAMPLE_EDITION, make_edition
from typeset_lines import EDGE, column_items, glyphs_of, set_lines, table_lines, violations

SAMPLE_PAGE = "p05-dawukou.md"  # the feature page with the table and box
# Figures from the sample copy; the second column has decimals, the third does not.
TABLE = """| 项目 | 金额 | 人数 |
|---|--:|--:|
| 委员捐资捐物资助大、中、小学生和困难老年人 | 19.4万元 | 52 |
| 慰问疫情防控卡点值守人员和社区工作者 | 5.2万元 | 160 |
| 慰问优秀教师 | 0.85万元 | 60 |
| 调整递补委员 | 128万元 | 21 |"""
BOX_TEXT = ("委员会客室　在全市率先成立的5个委员会客室，围绕疫情防控、托育服务、教育医疗等"
            "群众关心的民生问题开展协商议事，把委员会客室嵌入基层社会治理。")
TINT_TEXT = "书香政协　开展读书活动20余次，40余名委员分享读书感悟感想，不断开阔履职视野。"


def sample_paragraphs():
    (page,) = [page for page in parse_edition(SAMPLE_EDITION).pages
               if page.path.name == SAMPLE_PAGE]
    article = page.article
    return [block.text for section in article.sections for block in section.blocks
            if hasattr(block, "text")]


def article_with_table_and_boxes():
    text = sample_paragraphs()
    return (f"## 突出主业主责\n### 在建言助力高质量发展上创造新业绩\n\n{text[4]}\n\n{TABLE}\n\n"
            f"{text[5]}\n\n{text[6]}\n\n::: box\n{BOX_TEXT}\n:::\n\n{text[7]}\n\n"
            f"## 强化自身建设\n### 在提升工作科学化水平上实现新突破\n\n{text[12]}\n\n"
            f"::: box tint\n{TINT_TEXT}\n:::\n\n{text[13]}\n\n{text[14]}\n")


HOUSES = {"sample-daily": "", "sample-evening": "house: sample-evening\npaper_size: tabloid\n"}


@pytest.fixture(scope="module", params=list(HOUSES))
def built(request, fonts, tmp_path_factory):
    """(edition, placed page, PDF path) of a page with a table and both boxes."""
    folder = tmp_path_factory.mktemp(request.param) / "tables"
    edition = parse_edition(make_edition(folder, body=article_with_table_and_boxes(),
                                         edition_extra=HOUSES[request.param]))
    report = build_edition(edition, fonts, tmp_path_factory.mktemp("out"))
    (entry,) = report["pages"]
    assert entry["pdf"] and not entry["errors"], entry["errors"]
    _, placed = check_page(edition, edition.pages[0], fonts)
    return edition, placed, entry["pdf"]


def filled_bands(pdf, rect):
    """Horizontal bands (top, bottom) of the filled rectangles inside ``rect`` that
    span its width: the rules, drawn as filled boxes."""
    bands = set()
    for drawing in pymupdf.open(pdf)[0].get_drawings():
        if drawing["type"] != "f" or not rect.contains(drawing["rect"]) \
                or drawing["rect"].width < rect.width - 3:
            continue
        for item in drawing["items"]:
            if item[0] == "re":
                bands.add((round(item[1].y0, 2), round(item[1].y1, 2)))
    return sorted(bands)


def test_table_is_a_three_line_table_with_the_house_rules(built):
    edition, placed, pdf = built
    geometry, rules = placed.geometry, edition.house.rules
    ((item, left, top),) = list(column_items(placed, ComposedTable))
    table = item.payload
    rect = pymupdf.Rect(left - 1, top, left + table.width + 1, top + item.height * geometry.pitch)
    first = top + geometry.pitch / 2   # the rows start a line down, on the grid
    header_rule = top + (1 + table.row_lines[0]) * geometry.pitch
    last = top + (table.lines + 1.5) * geometry.pitch
    expected = [(first, first + rules["table"]), (header_rule, header_rule + rules["hairline"]),
                (last - rules["table"], last)]
    bands = filled_bands(pdf, rect)
    assert len(bands) == 3, bands
    for (top_, bottom), (want_top, want_bottom) in zip(bands, expected):
        assert abs(top_ - want_top) < 0.05 and abs(bottom - want_bottom) < 0.05, bands


def test_figures_of_a_column_align_on_their_units_digit_and_decimal_point(built):
    _, placed, pdf = built
    ((item, left, top),) = list(column_items(placed, ComposedTable))
    table = item.payload
    glyphs = glyphs_of(pdf)
    pitch = placed.geometry.pitch
    assert table.figures == [False, True, True]
    for column in (1, 2):
        x0 = left + table.lefts[column]
        units, points = [], []
        y = top + (1 + table.row_lines[0]) * pitch
        for row, count in zip(table.rows, table.row_lines[1:]):
            cell = [g for g in glyphs if x0 - 1 <= g.x < x0 + table.widths[column]
                    and y < g.y <= y + count * pitch]
            assert "".join(g.char for g in cell) == row[column].figure
            digits = [g for g in cell if g.char.isdigit()]
            integer = re.match(r"\d+", row[column].figure).end()
            units.append(digits[integer - 1].right)
            points += [g.x for g in cell if g.char == "."]
            y += count * pitch
        assert max(units) - min(units) <= 0.25, units
        if column == 1:
            assert len(points) == 3 and max(points) - min(points) <= 0.25, points
        # The figures stand at the column's right: the widest reaches its edge.
        figures = [g for g in glyphs if x0 <= g.x < x0 + table.widths[column]
                   and top + (1 + table.row_lines[0]) * pitch < g.y
                   <= top + (1 + table.lines) * pitch]
        assert abs(max(g.right for g in figures) - (x0 + table.widths[column])) <= 0.25


def test_cjk_cells_are_justified_and_the_header_is_in_the_heavy_face(built, fonts):
    edition, placed, pdf = built
    lines = table_lines(pdf, placed)
    wrapped = [line for line in lines if not line.paragraph_end]
    assert len(wrapped) >= 2  # the long cells break
    for line in wrapped:
        assert abs(max(g.right for g in line.glyphs[-2:]) - line.right) <= EDGE, line.line.text
        assert abs(line.glyphs[0].x - line.left) <= EDGE
    found = violations(lines, fonts)
    found.pop("5 han gap over 0.1 em (1% allowed)", None)
    assert not found, found
    ((item, _, _),) = list(column_items(placed, ComposedTable))
    heavy, role = edition.house.style("table_head")[0], edition.house.style("table")[0]
    count = sum(len(cell.lines) for cell in item.payload.header)  # read first
    assert {g.role for line in lines[:count] for g in line.glyphs} == {heavy}
    assert {g.role for line in lines[count:] for g in line.glyphs} == {role}


def test_tables_boxes_and_the_body_text_after_them_stay_on_the_baseline_grid(built, fonts):
    _, placed, pdf = built
    pitch = placed.geometry.pitch
    lines = [line for line in set_lines(pdf, placed) if line.size == placed.geometry.body_size]
    cells = table_lines(pdf, placed)
    reference = lines[0].glyphs[0].y
    # The table's rows are on the grid too.
    assert not [line.line.text for line in cells
                if min((line.glyphs[0].y - reference) % pitch,
                       pitch - (line.glyphs[0].y - reference) % pitch) >= 0.05]
    off = [(line.line.text[:8], (line.glyphs[0].y - reference) % pitch) for line in lines]
    assert not [(text, o) for text, o in off if min(o, pitch - o) >= 0.05]
    # Body lines follow the table in its column.
    ((item, left, top),) = list(column_items(placed, ComposedTable))
    below = [line for line in lines if abs(line.left - left) < 1
             and line.glyphs[0].y > top + item.height * pitch]
    assert below
    found = violations(set_lines(pdf, placed), fonts)
    found.pop("5 han gap over 0.1 em (1% allowed)", None)
    assert not found, found


def test_boxes_draw_their_rule_or_tint_around_text_inset_by_whole_characters(built, fonts):
    edition, placed, pdf = built
    geometry = placed.geometry
    pitch, char = geometry.pitch, geometry.char
    drawings = pymupdf.open(pdf)[0].get_drawings()
    glyphs = glyphs_of(pdf)
    boxes = list(column_items(placed, ComposedBox))
    assert sorted(item.payload.kind for item, _, _ in boxes) == ["rule", "tint"]
    for item, left, top in boxes:
        box = item.payload
        border = pymupdf.Rect(left, top + pitch / 2, left + box.width,
                              top + (len(box.lines) + 1.5) * pitch)
        assert item.height == len(box.lines) + 2
        drawn = [d for d in drawings if abs(d["rect"].x0 - border.x0) < 0.05
                 and abs(d["rect"].y0 - border.y0) < 0.05
                 and abs(d["rect"].x1 - border.x1) < 0.05 and abs(d["rect"].y1 - border.y1) < 0.05]
        assert len(drawn) == 1, [d["rect"] for d in drawings if d["rect"].intersects(border)]
        (drawing,) = drawn
        if box.kind == "rule":  # two rules, each a third of the border's width
            rects = sorted((pymupdf.Rect(i[1]) for i in drawing["items"]),
                           key=lambda r: r.x0)
            assert len(rects) == 4
            steps = [b.x0 - a.x0 for a, b in itertools.pairwise(rects)]
            assert all(abs(s - edition.house.rules["box"] / 3) < 0.02 for s in steps), steps
        else:  # a light tint, not paper white
            assert drawing["type"] == "f" and 0.75 < min(drawing["fill"]) < 0.99
        inside = [g for g in glyphs if border.contains(pymupdf.Point(g.x + 0.1, g.y))]
        assert "".join(g.char for g in inside).replace(" ", "") == box.text
        # Its lines as the PDF sets them, measured against edges a character inside
        # the drawn border: flush at both (the last line at the left), within 0.25 pt.
        lines = [line for line in set_lines(pdf, placed) if line.line in box.lines]
        assert len(lines) == len(box.lines) >= 2
        for line in lines:
            assert abs(line.left - (border.x0 + char)) < 0.01
            assert abs(line.right - (border.x1 - char)) < 0.01
            assert all(border.x0 + char - 0.5 * char - EDGE <= g.x
                       and g.right <= border.x1 - char + 0.5 * char + EDGE for g in line.glyphs)
        found = violations(lines, fonts)
        found.pop("5 han gap over 0.1 em (1% allowed)", None)
        assert not found, found


def test_the_sample_page_sets_its_table_and_box_on_one_page(sample_build):
    _, report = sample_build
    (entry,) = [entry for entry in report["pages"]
                if entry["pdf"] and entry["pdf"].endswith(SAMPLE_PAGE.replace(".md", ".pdf"))]
    assert entry["page_count"] == 1 and not entry["overset"] and not entry["errors"]
    assert entry["blank_lines"] < 15
    text = pymupdf.open(entry["pdf"])[0].get_text()
    assert "提案办结率" in text and "98%" in text and "委员会客室　在全市" in text


BAD = [  # the body starts on line 9 with a paragraph and a blank line
    ("| 项目 | 数量 |\n|---|---|\n| 协商 | 6 | 7 |\n", 13,
     "table row of 3 cells under a header of 2"),
    ("| 项目 | 数量 |\n|---|---|\n| 协商 | 6 |\n| 提案 |\n", 14, "table row of 1 cells"),
    ("| 项目 | 数量 |\n|---|---|\n", 11, "table with a header row only"),
    ("| 项目 | 数量 |\n|---|---|\n| | |\n", 11, "table with no text"),
    ("::: box wavy\n文字。\n:::\n", 11, "unknown box kind 'wavy'"),
    ("::: box\n文字。\n\n::: box\n内框。\n:::\n:::\n", 14, "a box inside another block"),
    ("::: box\n:::\n", 11, "empty box"),
    ("::: box\n## 标题\n:::\n", 12, "not a heading"),
    ("::: box\n> 引语。\n:::\n", 12, "not a pull quote"),
    ("::: box\n| 项目 | 数量 |\n|---|---|\n| 协商 | 6 |\n:::\n", 12, "not a table"),
    ("::: box\n![说明。](photos/a.jpg)\n:::\n", 12, "not a photo"),
    ("::: lead\n导语。\n\n::: box\n文字。\n:::\n:::\n", 14, "a box inside another block"),
]


@pytest.mark.parametrize("body, line, message", BAD)
def test_bad_tables_and_boxes_are_located_errors(body, line, message, tmp_path):
    folder = make_edition(tmp_path / "bad", body="正文。\n\n" + body)
    with pytest.raises(PaibanError) as error:
        parse_edition(folder)
    assert error.value.line == line and message in error.value.message, \
        (error.value.line, error.value.message)
    assert error.value.fix


def test_a_bad_table_stops_the_command_with_its_line_and_no_traceback(tmp_path):
    folder = make_edition(tmp_path / "bad", body="| 项目 | 数量 |\n|---|---|\n| 协商 |\n")
    done = subprocess.run([sys.executable, "-m", "paiban", "check", str(folder)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "p01.md:11: table row of 1 cells under a header of 2" in done.stderr
    assert "fix:" in done.stderr and "Traceback" not in done.stderr


def test_a_table_wider_than_any_text_column_is_overset_at_its_line(tmp_path, fonts):
    header = "| 项目 | " + " | ".join(f"第{n}季度" for n in range(1, 7)) + " |"
    rule = "|---|" + "--:|" * 6
    row = "| 收入 | " + " | ".join("1234567.89" for _ in range(6)) + " |"
    body = f"正文。\n\n{header}\n{rule}\n{row}\n\n其后正文照常排入。\n"
    edition = parse_edition(make_edition(tmp_path / "wide", body=body))
    findings, placed = check_page(edition, edition.pages[0], fonts)
    errors = [f for f in findings if f.severity == "error"]
    assert len(errors) == 1 and errors[0].line == 11, errors
    assert "wider than the widest text column (27 characters)" in errors[0].message
    assert not list(column_items(placed, ComposedTable))
    placed_text = "".join(item.payload.text for frame in placed.frames if frame.kind == "column"
                          for item in frame.lines if item.frame_kind == "line")
    assert "其后正文照常排入。" in placed_text
    assert math.isclose(sum(o.characters for o in placed.overset),
                        sum(len(c) for c in ["项目", "收入"]) + 6 * len("第1季度")
                        + 6 * len("1234567.89"))
