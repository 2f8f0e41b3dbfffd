"""The front page, jumps between pages and the edition checks, read from the PDFs."""

import dataclasses
import json
import re

import pymupdf
import pytest

from paiban import render
from paiban.build import build_edition, check_page
from paiban.checks import edition_checks, non_k_colours
from paiban.errors import PaibanError
from paiban.source import parse_edition

from conftest import SAMPLE_EDITION


def squash(text):
    return re.sub(r"\s", "", text)


def page_text(path):
    with pymupdf.open(path) as document:
        return document[0].get_text()


def spans(path):
    with pymupdf.open(path) as document:
        return [(span["text"], span["size"]) for block in document[0].get_text("dict")["blocks"]
                for line in block.get("lines", ()) for span in line["spans"]
                if span["text"].strip()]


def pdf_of(report, number):
    return next(entry["pdf"] for entry in report["pages"] if entry["page"] == number)


def build(folder, out, fonts):
    return build_edition(parse_edition(folder), fonts, out)


def replaced(path, old, new):
    """``path`` with ``old`` replaced by ``new`` in its text (which must hold it)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def refused(folder):
    """The error that reading the edition in ``folder`` raises."""
    with pytest.raises(PaibanError) as error:
        parse_edition(folder)
    return error.value


def test_front_page_has_masthead_date_line_and_index_with_page_numbers(sample_build):
    _, report = sample_build
    front = pdf_of(report, 1)
    text = page_text(front)
    assert "示例日报" in text
    assert "农历壬寅年腊月廿五" in text          # 2023-01-16, from the lunar calendar
    assert "星期一" in text and "今日3版" in text and "总第12001期" in text
    assert "CN 00-0000" in text and "邮发代号" in text
    largest = max(spans(front), key=lambda span: span[1])
    assert largest[0] == "示例日报"
    # the index: each entry's headline and the page the edition's page list gives it
    assert re.search(r"提案办复率达100%\s*第3版", text)
    assert "导读" in text


def test_jump_line_and_continuation_name_each_others_pages(sample_build):
    _, report = sample_build
    assert "（下转第3版）" in page_text(pdf_of(report, 1))
    continued = page_text(pdf_of(report, 3))
    assert "（上接第1版）" in continued
    lead = next(a for a in report["pages"][0]["articles"] if a["id"] == "lvzhi")
    assert lead["jump_to"] == 3 and lead["carried_chars"] > 100
    rest = next(a for a in report["pages"][2]["articles"] if a["id"] == "lvzhi")
    assert rest["continued_from"] == 1 and rest["overset_chars"] == 0
    # the text goes on where the front page stops: its last words are on page 3 only
    paragraphs = (SAMPLE_EDITION / "articles" / "lvzhi.md").read_text(encoding="utf-8")
    last = [p for p in paragraphs.split("\n\n") if p and p[0] not in "!:#-\n"][-1]
    assert last[-12:] in squash(continued)
    assert last[-12:] not in squash(page_text(pdf_of(report, 1)))


def test_renumbering_a_page_in_the_page_list_moves_jump_lines_and_index(edition_copy,
                                                                        tmp_path, fonts):
    plan = edition_copy / "edition.yaml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("{page: 2, file: p05-dawukou.md}", "{page: 3, file: p05-dawukou.md}")
    text = text.replace("{page: 3, file: p06-yaowen.md}", "{page: 2, file: p06-yaowen.md}")
    plan.write_text(text, encoding="utf-8")
    report = build(edition_copy, tmp_path / "out", fonts)
    front = page_text(pdf_of(report, 1))
    assert "（下转第2版）" in front and "（下转第3版）" not in front
    assert re.search(r"提案办复率达100%\s*第2版", front)
    assert "（上接第1版）" in page_text(pdf_of(report, 2))
    assert "第2版" in page_text(pdf_of(report, 2))


def test_edition_checks_pass_on_the_sample(sample_build):
    _, report = sample_build
    assert report["checks"] == dict.fromkeys(
        ("masthead", "folios", "ads", "references", "colophon", "mono"), "ok")
    assert report["check_errors"] == [] and report["ok"]
    assert json.loads((sample_build[0] / "build.json").read_text())["checks"]["masthead"] == "ok"


def test_a_masthead_smaller_than_a_headline_fails_its_check(edition_copy, tmp_path, fonts):
    plan = edition_copy / "edition.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "paper: 示例日报", "paper: 示例日报示例日报示例日报示例日报示例日报"), encoding="utf-8")
    report = build(edition_copy, tmp_path / "out", fonts)
    assert report["checks"]["masthead"].startswith("the masthead is not the largest text")
    assert not report["ok"]


@pytest.mark.parametrize("css, check", [
    (".running-head .folio { right: auto; left: 0 }", "folios"),
    (".ad-label { visibility: hidden }", "ads"),
    (".jump-line { visibility: hidden }", "references"),
])
def test_an_edition_made_to_break_a_check_fails_it(edition_copy, tmp_path, monkeypatch,
                                                   fonts, css, check):
    broken = tmp_path / "broken.css"
    broken.write_text(css, encoding="utf-8")
    files = render.stylesheet_files
    monkeypatch.setattr(render, "stylesheet_files", lambda edition: files(edition) + [broken])
    report = build(edition_copy, tmp_path / "out", fonts)
    assert report["checks"][check] != "ok"
    assert all(said == "ok" for name, said in report["checks"].items() if name != check)
    assert not report["ok"]


def test_a_colophon_without_its_price_fails_its_check(sample_build):
    _, report = sample_build
    edition = parse_edition(SAMPLE_EDITION)
    front = dataclasses.replace(edition.house.front, colophon=tuple(
        item for item in edition.house.front.colophon if "定价" not in item))
    edition.house = dataclasses.replace(edition.house, front=front)
    pdfs = {entry["page"]: entry["pdf"] for entry in report["pages"]}
    findings, summary = edition_checks(edition, pdfs)
    assert "lacks the price (定价)" in summary["colophon"]


def test_a_black_and_white_page_carries_k_ink_only(edition_copy, tmp_path, sample_build,
                                                   fonts):
    page = edition_copy / "p06-yaowen.md"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "layout: news\n", "layout: news\ncolour: mono\n"), encoding="utf-8")
    report = build(edition_copy, tmp_path / "out", fonts)
    mono_pdf = pdf_of(report, 3)
    assert non_k_colours(mono_pdf) == [] and report["checks"]["mono"] == "ok"
    colour_pdf = pdf_of(sample_build[1], 3)
    assert non_k_colours(colour_pdf)           # the red headlines and colour photos
    findings, summary = edition_checks(parse_edition(edition_copy), {3: colour_pdf})
    assert "black-and-white (黑白版) but uses" in summary["mono"]


def test_a_jump_to_no_page_is_a_located_error(edition_copy):
    page = edition_copy / "p06-yaowen.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r"\n  - \{file: articles/lvzhi.md[^\n]*", "", text),
                    encoding="utf-8")
    error = refused(edition_copy)
    assert "jumps to a page that does not carry it" in error.message
    assert error.path.name == "p01-front.md" and error.line


def test_a_jump_backwards_is_a_located_error(edition_copy):
    replaced(edition_copy / "p01-front.md", "role: 头条, jump: true", "role: 头条, continued: true")
    replaced(edition_copy / "p06-yaowen.md", "continued: true", "jump: true")
    error = refused(edition_copy)
    assert "a jump goes to a later page" in error.message
    assert error.path.name == "p01-front.md" and error.line > 1


def test_the_page_number_is_stated_in_one_place(edition_copy):
    replaced(edition_copy / "p05-dawukou.md", "title: 专版", "page: 2\ntitle: 专版")
    assert "stated in edition.yaml" in refused(edition_copy).message


def test_an_index_entry_naming_no_article_is_a_located_error(edition_copy):
    replaced(edition_copy / "p01-front.md", "index: [", "index: [nosuch, ")
    error = refused(edition_copy)
    assert "'nosuch'" in error.message and error.path.name == "p01-front.md"


def test_an_edit_carried_to_the_continuation_rebuilds_both_pages_and_no_other(
        edition_copy, tmp_path, fonts):
    out = tmp_path / "out"
    build(edition_copy, out, fonts)
    lead = edition_copy / "articles" / "lvzhi.md"
    lead.write_text(lead.read_text(encoding="utf-8").replace("保落实重要作用", "保落实关键作用"),
                    encoding="utf-8")
    report = build(edition_copy, out, fonts)
    cached = {entry["page"]: entry["cached"] for entry in report["pages"]}
    assert cached == {1: False, 2: True, 3: False}
    assert "保落实关键作用" in squash(page_text(pdf_of(report, 3)))


@pytest.mark.parametrize("height, masthead_ok", [(160, True), (24, False)])
def test_masthead_art_is_drawn_in_the_band_and_checked_against_the_largest_em(
        edition_copy, tmp_path, monkeypatch, fonts, height, masthead_ok):
    from weasyprint import HTML

    from paiban import front, house
    monkeypatch.setattr(house, "HOUSES", tmp_path)
    monkeypatch.setattr(front, "HOUSES", tmp_path)
    HTML(string=f"<style>@page {{ size: 600pt {height}pt; margin: 0 }} body {{ margin: 0; "
                f"font: {height // 2}pt 'Noto Sans CJK SC' }}</style>报头艺术字").write_pdf(
        tmp_path / "masthead.pdf")
    edition = parse_edition(edition_copy)
    edition.house = dataclasses.replace(edition.house, front=dataclasses.replace(
        edition.house.front, art="masthead.pdf"))
    report = build_edition(edition, fonts, tmp_path / "out")
    front_pdf = pdf_of(report, 1)
    art = report["pages"][0]["masthead_art"]
    assert art[2] / art[3] == pytest.approx(600 / height, rel=0.01)
    with pymupdf.open(front_pdf) as document:
        found = document[0].search_for("报头艺术字")
    assert found and found[0].y1 <= art[1] + art[3] + 1    # drawn in the band, at the top
    assert "示例日报" not in [span[0] for span in spans(front_pdf)]
    assert (report["checks"]["masthead"] == "ok") is masthead_ok


def test_edition_checks_read_print_pdfs_from_their_trim(edition_copy, tmp_path, fonts):
    """Print PDFs carry bleed and marks around the trim: the checks measure the ad
    slots and the folios from the trim all the same."""
    report = build_edition(parse_edition(edition_copy), fonts, tmp_path / "out",
                           output="print")
    assert report["ok"], report["check_errors"]
    assert set(report["checks"].values()) == {"ok"}
    with pymupdf.open(pdf_of(report, 3)) as document:
        assert document[0].rect.width > 1105.6       # the bleed is there


def test_an_archived_continuation_carries_its_front_pages_photos_and_verifies(
        edition_copy, tmp_path, capsys):
    """Page 3's copy comes from page 1's makeup, which its photos shape: page 3's
    PDF/A carries them, so that it rebuilds from its own attachments."""
    import pikepdf

    from paiban.cli import main
    root = tmp_path / "archive"
    assert main(["archive", str(edition_copy), "--root", str(root)]) == 0
    (revision,) = root.glob("*/*/r1")
    with pikepdf.open(revision / "p06-yaowen.pdf") as pdf:
        names = set(pdf.attachments)
    assert {"source/p01-front.md", "source/photos/astronaut.jpg"} <= names   # page 1's
    capsys.readouterr()
    assert main(["verify", str(revision)]) == 0
    said = capsys.readouterr().out
    assert "page 1: byte-identical" in said and "page 3: byte-identical" in said


def test_a_continuation_with_nothing_left_to_continue_is_a_located_error(edition_copy, fonts):
    lead = edition_copy / "articles" / "lvzhi.md"   # cut to its first paragraph
    head, body = lead.read_text(encoding="utf-8").split("坚守初心使命", 1)
    lead.write_text(head + "坚守初心使命" + body.split("\n")[0] + "\n", encoding="utf-8")
    edition = parse_edition(edition_copy)
    findings, _ = check_page(edition, edition.pages[2], fonts)
    (error,) = [f for f in findings if "nothing is left to continue" in f.message]
    assert error.path.endswith("p06-yaowen.md") and error.line > 1 and "jump: true" in error.fix


def test_the_lead_loses_and_repeats_nothing_across_its_jump(sample_build):
    """Every paragraph of the lead is on page 1, on page 3, or begun on page 1 and
    ended on page 3: nothing lost, nothing set twice."""
    _, report = sample_build
    first, rest = (squash(page_text(pdf_of(report, n))) for n in (1, 3))
    text = (SAMPLE_EDITION / "articles" / "lvzhi.md").read_text(encoding="utf-8")
    paragraphs = [squash(p) for p in text.split("\n\n") if p and p[0] not in "!:#-\n"]
    for paragraph in paragraphs:
        assert any(paragraph[:k] in first and paragraph[k:] in rest
                   for k in range(len(paragraph) + 1)), paragraph[:12]
    assert paragraphs[-1] not in first and paragraphs[0] not in rest


def test_paiban_check_reports_the_edition_checks_of_the_built_pdfs(sample_build, capsys):
    from paiban.cli import main
    folder, _ = sample_build
    assert main(["check", str(SAMPLE_EDITION), "-o", str(folder.parent), "--json"]) == 0
    said = json.loads(capsys.readouterr().out)
    assert said["checks"][SAMPLE_EDITION.name] == dict.fromkeys(
        ("masthead", "folios", "ads", "references", "colophon", "mono"), "ok")


WEATHER = """---
id: tianqi
---
# 今日天气

**石嘴山市** 晴转多云，西北风3级，气温零下12℃至零下1℃。
"""


def with_weather_in_the_ear(folder, weather=WEATHER):
    """The sample with a weather box in its ear (and no ad, to leave the index room)."""
    (folder / "articles" / "tianqi.md").write_text(weather, encoding="utf-8")
    front = folder / "p01-front.md"
    text = front.read_text(encoding="utf-8").replace(
        "index: [", "ear: {file: articles/tianqi.md}\nindex: [")
    front.write_text(re.sub(r"\nad: [^\n]*", "", text), encoding="utf-8")
    return folder


def test_a_short_article_in_the_ear_moves_the_index_to_a_box_of_the_grid(
        edition_copy, tmp_path, fonts):
    report = build(with_weather_in_the_ear(edition_copy), tmp_path / "out", fonts)
    assert report["ok"], report["pages"][0]["errors"]
    with pymupdf.open(pdf_of(report, 1)) as document:
        page = document[0]
        weather, index = page.search_for("今日天气")[0], page.search_for("导读")[0]
        runin = page.search_for("石嘴山市")[0]
        # the weather in the band, above the date line; the index below it, in the grid
        date_line = page.search_for("今日3版")[0]
        assert weather.y1 < runin.y0 < date_line.y0 < index.y0
    assert "石嘴山市" in page_text(pdf_of(report, 1)) and "**" not in page_text(pdf_of(report, 1))
    assert report["checks"]["references"] == "ok"     # the index's page numbers printed


def test_an_ear_article_too_long_for_the_ear_is_overset_at_its_line(edition_copy, fonts):
    long = WEATHER + "\n" + "\n\n".join(["**大武口区** 晴，西北风2级，气温零下13℃至零下2℃。"] * 30)
    edition = parse_edition(with_weather_in_the_ear(edition_copy, long))
    findings, _ = check_page(edition, edition.pages[0], fonts)
    (error,) = [f for f in findings if f.severity == "error"]
    assert error.path.endswith("tianqi.md") and "does not fit the ear" in error.message


def test_an_edit_of_an_indexed_story_body_leaves_the_front_page_cached(
        edition_copy, tmp_path, fonts):
    """The index prints headlines and pages: the body of a story it names is not in
    the front page's key, its headline is."""
    out = tmp_path / "out"
    build(edition_copy, out, fonts)
    story = edition_copy / "articles" / "tian.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("办复率100%", "办复率100％"), encoding="utf-8")
    cached = {e["page"]: e["cached"] for e in build(edition_copy, out, fonts)["pages"]}
    assert cached == {1: True, 2: True, 3: False}
    story.write_text(text.replace("# 提案办复率达100%", "# 提案办复率达百分之百"), encoding="utf-8")
    report = build(edition_copy, out, fonts)
    assert {e["page"]: e["cached"] for e in report["pages"]}[1] is False
    assert "提案办复率达百分之百" in squash(page_text(pdf_of(report, 1)))


def test_an_edition_with_a_front_page_and_a_missing_page_is_refused(edition_copy):
    replaced(edition_copy / "edition.yaml", "{page: 3, file: p06-yaowen.md}",
             "{page: 4, file: p06-yaowen.md}")
    error = refused(edition_copy)
    assert "page 3 is missing" in error.message and error.path.name == "edition.yaml"


def test_a_failed_page_leaves_the_edition_checks_unfinished_not_passed(edition_copy, tmp_path,
                                                                       fonts):
    story = edition_copy / "articles" / "tian.md"   # a character no face has: page 3 fails
    story.write_text(story.read_text(encoding="utf-8").replace("办复率", "办\U0002EBF0复率"),
                     encoding="utf-8")
    report = build(edition_copy, tmp_path / "out", fonts)
    assert not report["ok"] and pdf_of(report, 3) is None
    assert all(said.endswith("(page 3 not built)") for said in report["checks"].values())


def test_a_news_page_short_of_copy_is_warned_about(edition_copy, fonts):
    news = edition_copy / "p06-yaowen.md"
    news.write_text(re.sub(r"\n  - \{file: articles/(gongshi|fuwu|jianshe)\.md[^\n]*", "",
                           news.read_text(encoding="utf-8")), encoding="utf-8")
    front = edition_copy / "p01-front.md"
    front.write_text(front.read_text(encoding="utf-8").replace(
        "index: [jianyan, tian, gongshi, fuwu, jianshe]", "index: [jianyan, tian]"),
        encoding="utf-8")
    edition = parse_edition(edition_copy)
    findings, placed = check_page(edition, edition.pages[2], fonts)
    (warning,) = [f for f in findings if "blank" in f.message]
    assert warning.severity == "warning" and f"{placed.blank_fraction:.0%}" in warning.message


def test_paiban_check_reads_no_pdf_of_a_page_since_renumbered(edition_copy, tmp_path, fonts,
                                                               capsys):
    from paiban.cli import main
    build(edition_copy, tmp_path / "out", fonts)
    plan = edition_copy / "edition.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "{page: 2, file: p05-dawukou.md}", "{page: 3, file: p05-dawukou.md}").replace(
        "{page: 3, file: p06-yaowen.md}", "{page: 2, file: p06-yaowen.md}"), encoding="utf-8")
    main(["check", str(edition_copy), "-o", str(tmp_path / "out"), "--json"])
    summary = json.loads(capsys.readouterr().out)["checks"][edition_copy.name]
    assert all(said.endswith("(page 2, 3 not built)") for said in summary.values())
