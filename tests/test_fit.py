"""Page fitting on copy the tests generate: short and long leads, overset sections,
and everything too long for its place (headline and quote lines, subtitles, paper
names, huge leads, many headline lines, many photos). Built through the CLI and
read back from the PDF: no text over other text, nothing outside the type area,
nothing below its floor size, and an overset error at the line where the cut begins."""

import json
import random
import re

import pymupdf as fitz
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paiban.cli import main
from paiban.fit import fit_page
from paiban.house import DEFAULT_HOUSE, HOUSES, load_house
from paiban.model import Article, Page, Photo, PullQuote, Section, Text

from conftest import make_edition

HOUSE = load_house(DEFAULT_HOUSE)  # the CLI tests' house style and paper size
GEOMETRY = HOUSE.geometry("broadsheet")
GRIDS = sorted((path.stem, size) for path in HOUSES.glob("*.yaml")
               for size in load_house(path.stem).paper_sizes)
HAN = ("政协委员围绕生态修复乡村振兴议题开展协商形成报告提出建议推动落实大武口区发展民生教育"
       "医疗养老就业住房交通环境保护城市更新产业转型科技创新人才引进文化旅游社区治理基层")
MARKS = "，，，。、；："


def copy(length, seed):
    """``length`` characters of Han text with marks, from ``seed``: any 12 of them in a
    row are as good as unique on a page, so a cut can be found in the PDF."""
    rng = random.Random(seed)
    text = [rng.choice(MARKS) if n % 11 == 10 else rng.choice(HAN) for n in range(length - 1)]
    return "".join(text) + "。"


def page_source(headline, subtitle=None, lead=(), sections=(), title="专版"):
    """A feature page source and the source line of each element, keyed
    ("headline", n), ("subtitle",), ("lead", n), ("section", s), ("block", s, n) and
    ("photo", s, n). Sections are (title, blocks, captions); a block is a paragraph,
    or a tuple of verses for a pull quote."""
    lines = ["---", "page: 1", f"title: {title}", "layout: feature", "---"]
    where = {}

    def add(key, *texts):
        """A blank line, then ``texts``, the first of them at the line ``key`` names."""
        lines.append("")
        where[key] = len(lines) + 1
        lines.extend(texts)

    for number, text in enumerate(headline):
        where["headline", number] = len(lines) + 1
        lines.append(f"# {text}")
    if subtitle:
        lines += ["", "::: subtitle"]
        where["subtitle",] = len(lines) + 1
        lines += [subtitle, ":::"]
    if lead:
        lines += ["", "::: lead"]
        for number, paragraph in enumerate(lead):
            add(("lead", number), paragraph)
        lines += ["", ":::"]
    for index, (heading, blocks, captions) in enumerate(sections):
        add(("section", index), f"## {heading}")
        for number, block in enumerate(blocks):
            verses = [f"> {verse}" for verse in block] if isinstance(block, tuple) else [block]
            add(("block", index, number), *verses)
        for number, caption in enumerate(captions):
            add(("photo", index, number), f"![{caption}]()")
    return "\n".join(lines) + "\n", where


def build(tmp_path, capsys, source, paper="测试日报"):
    """Build a one-page edition through the CLI: (exit code, build.json entry, the
    page source's lines)."""
    folder = tmp_path / "ed"
    folder.mkdir()
    (folder / "edition.yaml").write_text(
        f"paper: {paper}\ndate: 2024-03-01\nissue: 7\npages: [p01.md]\n", encoding="utf-8")
    (folder / "p01.md").write_text(source, encoding="utf-8")
    code = main(["build", str(folder), "-o", str(tmp_path / "out"), "-j", "1"])
    printed = capsys.readouterr()
    assert "Traceback" not in printed.out + printed.err
    report = json.loads((tmp_path / "out" / "ed" / "build.json").read_text(encoding="utf-8"))
    return code, report["pages"][0], source.splitlines()


def text_runs(pdf):
    """The page's text as runs: the em boxes of the spans on one baseline at one
    size that touch, merged (a halved mark's span overlaps its neighbour by design),
    with text and size."""
    spans = []
    for block in fitz.open(pdf)[0].get_text("rawdict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                text = "".join(char["c"] for char in span["chars"])
                if text.strip():
                    baseline, size = span["origin"][1], span["size"]
                    box = fitz.Rect(span["bbox"][0], baseline - 0.88 * size,
                                    span["bbox"][2], baseline + 0.12 * size)
                    spans.append([box, text, round(baseline, 1), round(size, 2)])
    spans.sort(key=lambda span: (span[2], span[3], span[0].x0))
    runs = []
    for span in spans:
        last = runs[-1] if runs else None
        if last and last[2:] == span[2:] and span[0].x0 <= last[0].x1 + 0.5:
            last[0] |= span[0]
            last[1] += span[1]
        else:
            runs.append(span)
    return runs


def assert_set_cleanly(pdf):
    """No text outside the type area (a halved mark's blank half may stand out) and
    no two runs of text over each other."""
    area = fitz.Rect(GEOMETRY.margin_left, GEOMETRY.margin_top,
                     GEOMETRY.margin_left + GEOMETRY.type_width,
                     GEOMETRY.margin_top + GEOMETRY.type_height)
    runs = text_runs(pdf)
    for box, text, _, size in runs:
        assert (area + (-size / 2 - 0.5, -0.5, size / 2 + 0.5, 0.5)).contains(box), \
            f"outside the type area: {text[:20]} at {box}"
    for number, (box, text, _, _) in enumerate(runs):
        for other, other_text, _, _ in runs[number + 1:]:
            common = box & other
            assert not (common.is_valid and common.width > 0.1 and common.height > 0.1), \
                f"{text[:12]} is set over {other_text[:12]}"
    return runs


def squash(text):
    return re.sub(r"\s+", "", text)


def overset_error(entry):
    (error,) = [e for e in entry["errors"] if e["message"].startswith("overset")]
    return error


def cut_words(error):
    """The first words of the overset copy, as the error quotes them."""
    return re.search(r"「(.*?)…?」", error["message"]).group(1)


# 1. Leads.

@pytest.mark.parametrize("length", [40, 92, 180, 260, 700])
def test_a_lead_column_holds_three_lines_or_the_lead_takes_fewer_columns(
        tmp_path, capsys, length):
    lead = copy(length, length)
    source, _ = page_source(["测试标题"], lead=[lead],
                            sections=[("一", [copy(600, 1)], [])])
    code, entry, _ = build(tmp_path, capsys, source)
    assert code == 0 and not entry["errors"]
    runs = assert_set_cleanly(entry["pdf"])
    lead_lines = [run for run in runs if run[3] == HOUSE.text_styles["lead"].size]
    columns = {}  # by left edge; a paragraph's first line is indented
    for box, text, _, size in sorted(lead_lines, key=lambda run: (run[0].x0, run[2])):
        left = next((x for x in columns if box.x0 - x < 3 * size), box.x0)
        columns.setdefault(left, []).append((box.y0, text))
    columns = {x: [text for _, text in sorted(lines)] for x, lines in columns.items()}
    heights = [len(lines) for lines in columns.values()]
    assert len(columns) == 1 or min(heights) >= HOUSE.lead.min_lines, heights
    assert max(heights) - min(heights) <= 1, f"columns not balanced: {heights}"
    in_order = "".join("".join(columns[x]) for x in sorted(columns))
    assert squash(in_order) == lead
    if length == 92:
        assert len(columns) < 4


# 2. Overset sections: furniture stays on the page, the report says what to cut.

def test_overset_sections_place_no_furniture_outside_the_type_area(tmp_path, capsys):
    sections = [(f"第{n}部分", [copy(1500, 10 * n + k) for k in range(2)], [])
                for n in range(5)]
    source, _ = page_source(["测试标题"], lead=[copy(200, 99)], sections=sections)
    code, entry, lines = build(tmp_path, capsys, source)
    assert code == 1 and entry["overset"] and entry["page_count"] == 1
    runs = assert_set_cleanly(entry["pdf"])
    pdf_text = squash(fitz.open(entry["pdf"])[0].get_text())
    banners = [title for title, _, _ in sections if title in pdf_text]
    assert 0 < len(banners) < 5
    # One error, at the paragraph where the text stops, quoting its first overset words.
    error = overset_error(entry)
    words = cut_words(error)
    paragraph = lines[error["line"] - 1]
    cut = paragraph.index(words)
    assert paragraph[max(0, cut - 12):cut] in pdf_text and words not in pdf_text
    # The page holds N characters, M are to be cut: together, the whole copy.
    holds, cut_count = map(int, re.search(r"holds about (\d+) characters; cut (\d+)",
                                          error["message"]).groups())
    copy_characters = sum(len(t) for t in ["测试标题", copy(200, 99)]) + sum(
        len(title) + sum(map(len, blocks)) for title, blocks, _ in sections)
    assert holds + cut_count == copy_characters
    assert entry["holds_characters"] == holds and entry["overset_characters"] == cut_count
    assert max(run[0].y1 for run in runs) <= GEOMETRY.margin_top + GEOMETRY.type_height


# 3. Too long for its place: overset at its line, never shrunk below a floor or
#    set over other text.

LONG = {
    "headline line": {"headline": [copy(150, 1)]},
    "24 headline lines": {"headline": [copy(8, n) for n in range(24)]},
    "subtitle": {"subtitle": "——" + copy(200, 2)},
    "5,000-character lead": {"lead": [copy(5000, 3)]},
    "1,000 photos": {"photos": [f"图片{n}说明。" for n in range(1000)]},
    "paper name": {"paper": "很长的报纸名称" * 12},
    "page title": {"title": copy(80, 4)},
    "section title": {"section": copy(120, 6)},
}


@pytest.mark.parametrize("kind", LONG)
def test_too_long_copy_is_overset_at_its_line_not_shrunk_or_overprinted(
        tmp_path, capsys, kind):
    case = LONG[kind]
    source, where = page_source(
        case.get("headline", ["测试标题"]), case.get("subtitle"), case.get("lead", ()),
        [(case.get("section", "一"), [copy(900, 7)], case.get("photos", []))],
        case.get("title", "专版"))
    code, entry, lines = build(tmp_path, capsys, source, case.get("paper", "测试日报"))
    assert code == 1 and entry["pdf"] and entry["page_count"] == 1
    runs = assert_set_cleanly(entry["pdf"])
    error = overset_error(entry)
    words = cut_words(error)
    if kind == "paper name":
        assert "'paper:'" in error["message"] and words in case["paper"]
    elif kind == "page title":
        assert "'title:'" in error["message"] and words in case["title"]
    else:
        assert words in lines[error["line"] - 1]
        assert words not in squash(fitz.open(entry["pdf"])[0].get_text())
    expected = {"headline line": ("headline", 0), "subtitle": ("subtitle",),
                "5,000-character lead": ("lead", 0), "section title": ("section", 0)}.get(kind)
    if expected:
        assert error["line"] == where[expected]
    headline_runs = [size for box, text, _, size in runs
                     if box.y0 < GEOMETRY.margin_top + GEOMETRY.type_height / 4
                     and size > HOUSE.text_styles["byline"].size
                     and any(text in h for h in case.get("headline", ["测试标题"]))]
    assert headline_runs and min(headline_runs) >= HOUSE.headline.min_size


def test_a_pull_quote_line_too_long_for_its_column_breaks_at_its_floor_size(
        tmp_path, capsys):
    verse = copy(70, 5)
    source, _ = page_source(["测试标题"], sections=[
        ("一", [copy(400, 6), (verse,), copy(400, 8)], [])])
    code, entry, _ = build(tmp_path, capsys, source)
    assert code == 0 and not entry["errors"]
    runs = assert_set_cleanly(entry["pdf"])
    quoted = [(text, size) for _, text, _, size in runs if squash(text) in verse]
    assert squash("".join(text for text, _ in quoted)) == verse
    assert len(quoted) > 1 and all(size >= HOUSE.text_styles["lead"].size for _, size in quoted)


# 4. Any article: the fitter never raises, keeps every frame inside the type area and
#    off the others, and accounts for every character of body text.

def text_of(length, seed):
    return copy(max(2, length), seed)


lengths = st.one_of(st.integers(1, 40), st.integers(40, 600), st.integers(600, 6000))
blocks = st.lists(st.one_of(
    st.tuples(st.just("p"), lengths, st.integers(0, 99)),
    st.tuples(st.just("q"), st.lists(st.integers(1, 80), min_size=1, max_size=4),
              st.integers(0, 99))), min_size=0, max_size=6)
sections = st.lists(st.tuples(st.booleans(), blocks, st.integers(0, 12)),
                    min_size=1, max_size=6)


def article_from(headline, subtitle, lead, drawn):
    line = iter(range(10, 10 ** 6))
    article = Article(headline=[Text(text_of(n, k), next(line)) for k, n in enumerate(headline)],
                      subtitle=Text(text_of(subtitle, 1), next(line)) if subtitle else None,
                      lead=[Text(text_of(n, 2 + k), next(line)) for k, n in enumerate(lead)])
    for number, (titled, items, photos) in enumerate(drawn):
        section = Section(Text(text_of(4, number), next(line)) if titled else None, None,
                          line=next(line))
        for kind, size, seed in items:
            if kind == "p":
                section.blocks.append(Text(text_of(size, seed), next(line)))
            else:
                section.blocks.append(PullQuote([Text(text_of(n, seed), next(line))
                                                 for n in size], next(line)))
        section.photos = [Photo(Text(text_of(12, n), next(line)), None, next(line))
                          for n in range(photos)]
        article.sections.append(section)
    if not any(isinstance(b, Text) for s in article.sections for b in s.blocks):
        article.sections[0].blocks.append(Text(text_of(30, 0), next(line)))
    return article


def composed_characters(item):
    """Characters a placed flow item sets, counted from its composed lines."""
    lines = item.payload.lines if item.frame_kind == "quote" else [item.payload]
    return sum(len(line.text) for line in lines)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(headline=st.lists(st.integers(1, 80), min_size=1, max_size=26),
       subtitle=st.integers(0, 120), lead=st.lists(lengths, max_size=3), drawn=sections,
       grid=st.sampled_from(GRIDS))
def test_any_article_fits_inside_the_type_area_and_loses_no_body_text(
        fonts, headline, subtitle, lead, drawn, grid):
    house, paper_size = load_house(grid[0]), grid[1]
    geometry = house.geometry(paper_size)
    article = article_from(headline, subtitle, lead, drawn)
    page = Page("p01.md", 1, "专版", "feature", {}, article)
    placed = fit_page(page, fonts, house, paper_size)
    boxes = []
    for frame in placed.frames:
        assert frame.x >= -0.01 and frame.y >= -0.01, frame.kind
        assert frame.x + frame.width <= geometry.type_width + 0.01, frame.kind
        assert frame.y + frame.height <= geometry.type_height + 0.01, frame.kind
        if frame.kind != "rule" and frame.width > 0 and frame.height > 0:
            boxes.append((frame.kind, frame.x, frame.y, frame.x + frame.width,
                          frame.y + frame.height))
    for number, (kind, x0, y0, x1, y1) in enumerate(boxes):
        for other, u0, v0, u1, v1 in boxes[number + 1:]:
            assert min(x1, u1) - max(x0, u0) <= 0.01 or min(y1, v1) - max(y0, v0) <= 0.01, \
                f"{kind} overlaps {other}"

    def overset(*blocks):
        return sum(o.characters for o in placed.overset if o.block in blocks)
    body = sum(len(block.text) for section in article.sections for block in section.blocks
               if isinstance(block, Text)) + sum(
        len(verse.text) for section in article.sections for block in section.blocks
        if isinstance(block, PullQuote) for verse in block.lines)
    placed_body = sum(composed_characters(item) for frame in placed.frames
                      if frame.kind == "column" for item in frame.lines)
    assert placed_body + overset("paragraph", "pull quote") == body
    placed_lead = sum(len(line.text) for frame in placed.frames if frame.kind == "lead"
                      for line in frame.lines)
    assert placed_lead + overset("lead") == sum(len(text.text) for text in article.lead)


def test_text_leaves_no_base_column_bare_on_a_grid_of_five(tmp_path, fonts):
    """Two-column text on a grid of five would leave the fifth column empty: a band
    pays for that, so plain text takes five single columns."""
    from paiban.source import parse_edition
    body = "\n\n".join(HAN[:90] + "。" for _ in range(8))
    folder = make_edition(tmp_path / "ed", body=f"## 第一部分\n### 小标题\n\n{body}",
                          edition_extra="house: sample-evening\npaper_size: tabloid\n")
    edition = parse_edition(folder)
    placed = fit_page(edition.pages[0], fonts, edition.house, "tabloid")
    geometry = edition.house.geometry("tabloid")
    lefts = {round(frame.x) for frame in placed.frames if frame.kind == "column"}
    assert lefts == {round(geometry.span(n, 1)[0]) for n in range(geometry.columns)}
