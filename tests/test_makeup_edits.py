"""An accepted news page stays put (issue 10): the next build starts from the layout
the last one set (its cache record), so an edit that still fits re-fits only its own
module, and ``lock: true`` keeps every box whatever the copy does (what no longer
fits is overset). Measured on the built PDFs and build.json boxes."""

import re
import shutil

import pymupdf
import pytest
from conftest import SAMPLE_EDITION

from paiban.build import build_edition
from paiban.errors import PaibanError
from paiban.source import parse_edition, parse_page

PLAN = """---
page: 6
title: 要闻
layout: news
{lock}articles:
  - {{file: articles/lvzhi.md, role: 头条}}
  - {{file: articles/jianyan.md, role: 二条}}
  - {{file: articles/tian.md, role: 三条}}
  - {{file: articles/gongshi.md, role: 三条}}
  - {{file: articles/fuwu.md, role: 四条}}
  - {{file: articles/jianshe.md, role: 四条}}
  - {{file: articles/jianxun.md, role: 简讯}}
ad: {{file: ads/sample-ad.png, columns: 3, lines: 36, corner: bottom-right}}
---
"""
# A sentence of tian.md (提案办复率达100%): cut, the story makes fewer lines, and a
# page made up afresh would move four modules.
CUT = "组织委员对重点提案办理情况开展视察，现场评价办理实效和满意度，促进部门办理提案积极性和主动性。"
MORE = "坚持把提案办理作为政协履职的重要抓手，不断完善提案工作机制。" * 20


def news_edition(folder, lock=""):
    """The sample's news articles, ad and photos on a page of their own."""
    shutil.copytree(SAMPLE_EDITION / "articles", folder / "articles")
    shutil.copytree(SAMPLE_EDITION / "ads", folder / "ads")
    shutil.copytree(SAMPLE_EDITION / "photos", folder / "photos")
    text = (SAMPLE_EDITION / "edition.yaml").read_text(encoding="utf-8")
    text = re.sub(r"\npages:\n(  - .*\n)+", "\npages:\n  - news.md\n", text)
    (folder / "edition.yaml").write_text(text, encoding="utf-8")
    (folder / "news.md").write_text(PLAN.format(lock=lock), encoding="utf-8")
    return folder


def build(folder, fonts, out):
    (entry,) = build_edition(parse_edition(folder), fonts, out)["pages"]
    return entry


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def words_in(pdf, box):
    """The PDF's words (position and text) inside a build.json box."""
    x, y, width, height = box
    return sorted((round(w[0], 2), round(w[1], 2), w[4]) for w in pymupdf.open(pdf)[0].get_text(
        "words") if x - 1 <= w[0] <= x + width and y - 1 <= w[1] <= y + height)


def test_an_edit_that_still_fits_re_sets_only_its_own_module(tmp_path, fonts):
    folder, out = news_edition(tmp_path / "edition"), tmp_path / "out"
    before = build(folder, fonts, out)
    assert not before["errors"]
    boxes = {a["id"]: a["box"] for a in before["articles"]}
    words = {ident: words_in(before["pdf"], box) for ident, box in boxes.items()}
    edit(folder / "articles" / "tian.md", CUT, "")
    after = build(folder, fonts, out)
    assert not after["errors"]
    assert {a["id"]: a["box"] for a in after["articles"]} == boxes
    for ident, box in boxes.items():
        assert (words_in(after["pdf"], box) == words[ident]) == (ident != "tian"), ident
    tian = next(a for a in after["articles"] if a["id"] == "tian")
    assert tian["underset_lines"] > next(a for a in before["articles"]
                                         if a["id"] == "tian")["underset_lines"]


def test_a_locked_page_keeps_every_box_and_reports_the_overset(tmp_path, fonts):
    folder, out = news_edition(tmp_path / "edition", lock="lock: true\n"), tmp_path / "out"
    before = build(folder, fonts, out)
    assert not before["errors"]
    boxes = {a["id"]: a["box"] for a in before["articles"]}
    edit(folder / "articles" / "tian.md", "办结率98%。", "办结率98%。" + MORE)
    after = build(folder, fonts, out)
    assert {a["id"]: a["box"] for a in after["articles"]} == boxes
    (error,) = after["errors"]
    assert error["path"].endswith("tian.md") and "overset" in error["message"] \
        and re.search(r"cut \d+ characters from 「", error["message"])
    assert next(a for a in after["articles"] if a["id"] == "tian")["overset_chars"] > 0
    # Locked again after the overset build: the boxes hold on.
    assert {a["id"]: a["box"] for a in build(folder, fonts, out)["articles"]} == boxes
    # Unlocked, the page is made up again around the longer story.
    (folder / "news.md").write_text(PLAN.format(lock=""), encoding="utf-8")
    remade = build(folder, fonts, out)
    assert not remade["errors"]
    assert {a["id"]: a["box"] for a in remade["articles"]} != boxes


def test_lock_is_true_or_false(tmp_path):
    folder = news_edition(tmp_path / "edition", lock="lock: yes please\n")
    with pytest.raises(PaibanError) as error:
        parse_page(folder / "news.md")
    assert error.value.line == 5 and "'lock' must be true or false" in error.value.message


def test_a_moved_pin_makes_the_page_up_again(tmp_path, fonts):
    """The kept layout holds while the plan holds: a new pin is the editor's word."""
    folder = shutil.copytree(SAMPLE_EDITION, tmp_path / "ed")
    out = tmp_path / "out"
    build_edition(parse_edition(folder), fonts, out)
    front = folder / "p01-front.md"
    front.write_text(front.read_text(encoding="utf-8").replace("pin: [0, 0, 4, 30]",
                                                               "pin: [0, 0, 5, 30]"),
                     encoding="utf-8")
    report = build_edition(parse_edition(folder), fonts, out)
    lead = next(a for a in report["pages"][0]["articles"] if a["id"] == "lvzhi")
    assert lead["grid"] == [0, 0, 5, 30]
