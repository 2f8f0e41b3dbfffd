"""News pages (issue 10): a page plan of article files made up as modules, measured
from the PDF — every article placed once, no module over another, body lines on the
baseline grid, headline sizes falling with priority, the ad labelled 广告, build.json
boxes where the PDF sets each article, the typographic audit clean; bad plans are
located errors."""

import itertools
import json
import shutil
from pathlib import Path

import pymupdf
import pytest
from conftest import SAMPLE_EDITION, keep_pages
from typeset_lines import glyphs_of, set_lines, violations

from paiban import cache
from paiban.archive.revision import edition_inputs
from paiban.build import build_edition, check_page
from paiban.errors import PaibanError
from paiban.makeup import BRIEFS, ROLES
from paiban.source import parse_edition

NEWS = "p06-yaowen.md"


def news_only(folder):
    """The sample edition reduced to its news page."""
    return keep_pages(folder, "p06-yaowen.md")


@pytest.fixture(scope="module")
def news(tmp_path_factory, fonts):
    """The sample's news page built alone: (edition, build.json entry, placed page)."""
    folder = news_only(shutil.copytree(SAMPLE_EDITION,
                                       tmp_path_factory.mktemp("news") / SAMPLE_EDITION.name))
    edition = parse_edition(folder)
    report = build_edition(edition, fonts, tmp_path_factory.mktemp("out"))
    (entry,) = report["pages"]
    assert entry["pdf"], entry["errors"]
    _, placed = check_page(edition, edition.pages[0], fonts)
    return edition, entry, placed


def overlaps(a, b, slack=0.01):
    return a[0] < b[0] + b[2] - slack and b[0] < a[0] + a[2] - slack \
        and a[1] < b[1] + b[3] - slack and b[1] < a[1] + a[3] - slack


def test_every_article_of_the_plan_is_placed_once_and_no_module_overlaps_another(news):
    edition, entry, placed = news
    page = edition.pages[0]
    assert len(page.stories) >= 7 and page.ad   # six reports, the briefs, an ad
    assert [a["id"] for a in entry["articles"]] == [s.id for s in page.stories]
    geometry = placed.geometry
    ad = next(f for f in placed.frames if f.kind == "photo" and f.style == "ad")
    boxes = [a["box"] for a in entry["articles"]] + [
        [geometry.margin_left + ad.x, geometry.margin_top + ad.y, ad.width, ad.height]]
    for n, box in enumerate(boxes):
        assert geometry.margin_left - 0.01 <= box[0] and box[0] + box[2] <= \
            geometry.margin_left + geometry.type_width + 0.01
        assert box[1] + box[3] <= geometry.margin_top + geometry.type_height + 0.01
        for other in boxes[n + 1:]:
            assert not overlaps(box, other), (box, other)
    assert not entry["overset"] and all(a["overset_chars"] == 0 for a in entry["articles"])
    assert 0 <= entry["blank_fraction"] <= 0.05   # the sample: 4.2% (issue 10 asks 1%)


def test_build_json_boxes_hold_what_the_pdf_sets_for_each_article(news):
    """Each article's headline is drawn inside its build.json box, and every body
    line the PDF sets lies inside the box of the article it belongs to."""
    edition, entry, placed = news
    page = pymupdf.open(entry["pdf"])[0]
    boxes = {a["id"]: a["box"] for a in entry["articles"]}
    for article in entry["articles"]:
        x, y, w, h = article["box"]
        first = next(f for f in placed.frames if f.kind == "headline"
                     and article["headline"].startswith(f.text))
        hits = page.search_for(first.text)
        assert any(x - 0.5 <= r.x0 and r.x1 <= x + w + 0.5 and y - 0.5 <= r.y0
                   and r.y1 <= y + h + 0.5 for r in hits), (article["id"], first.text, hits)
    lines = set_lines(entry["pdf"], placed)
    owners = {id(item.payload): story.id for story in edition.pages[0].stories
              for frame in placed.frames if frame.kind == "column"
              and frame.source_line == story.line for item in frame.lines}
    checked = 0
    for line in lines:
        if id(line.line) not in owners:
            continue   # a caption
        x, y, w, h = boxes[owners[id(line.line)]]
        # origins: a halved mark's em box reaches past the column by its blank half
        assert all(x - 0.5 <= g.x < x + w and y < g.y <= y + h
                   for g in line.glyphs), line.line.text
        checked += 1
    assert checked > 200


def test_body_lines_of_every_module_sit_on_the_page_baseline_grid(news):
    _, entry, placed = news
    pitch = placed.geometry.pitch
    baselines = {round(line.glyphs[0].y, 2) for line in set_lines(entry["pdf"], placed)
                 if line.size == placed.geometry.body_size}
    first = min(baselines)
    assert len(baselines) > 50
    assert all(abs((y - first) / pitch - round((y - first) / pitch)) * pitch < 0.05
               for y in baselines), sorted(baselines)


def test_headline_sizes_fall_with_priority_and_the_lead_story_has_the_largest(news):
    _, entry, _ = news
    page = pymupdf.open(entry["pdf"])[0]
    sizes = {}
    for block in page.get_text("dict")["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                for article in entry["articles"]:
                    if span["text"] and article["headline"].startswith(span["text"]) \
                            and len(span["text"]) >= 2:
                        sizes[article["id"]] = max(sizes.get(article["id"], 0), span["size"])
    ranked = sorted((ROLES.index(a["role"]) if a["role"] != BRIEFS else len(ROLES),
                     sizes[a["id"]]) for a in entry["articles"])
    assert len(ranked) == len(entry["articles"])
    for (rank, size), (other, smaller) in itertools.pairwise(ranked):
        assert smaller <= size + 0.01 or other == rank, ranked
    lead = [size for rank, size in ranked if rank == 0]
    assert lead and lead[0] > max(size for rank, size in ranked if rank > 0)


def test_the_ad_is_placed_in_its_slot_and_labelled_as_an_advertisement(news):
    _edition, entry, placed = news
    geometry = placed.geometry
    page = pymupdf.open(entry["pdf"])[0]
    ad = next(f for f in placed.frames if f.kind == "photo" and f.style == "ad")
    x, y = geometry.margin_left + ad.x, geometry.margin_top + ad.y
    images = [info["bbox"] for info in page.get_image_info()]
    assert any(abs(box[0] - x) < 1 and abs(box[2] - (x + ad.width)) < 1 and y - 1 <= box[1]
               for box in images), images
    labels = page.search_for("广告")
    assert any(abs(r.y1 - y) < geometry.pitch + 1 and x <= r.x0 and r.x1 <= x + ad.width + 1
               for r in labels), labels


def test_the_news_page_passes_the_typographic_audit(news, fonts):
    _, entry, placed = news
    lines = set_lines(entry["pdf"], placed)
    found = violations(lines, fonts)
    loose = found.pop("5 han gap over 0.1 em (1% allowed)", [])
    assert not found, {rule: examples[:5] for rule, examples in found.items()}
    assert len(loose) <= 0.01 * len(lines), loose


def test_briefs_are_boxed_with_run_in_heads_in_the_heavy_face(news):
    _edition, entry, placed = news
    briefs = next(f for f in placed.frames if f.kind == "briefs")
    geometry = placed.geometry
    heads = [g for g in glyphs_of(entry["pdf"]) if "Heavy" in g.role or "heavy" in g.role
             or g.role.startswith("song_heavy")]
    text = "".join(g.char for g in heads)
    for head in ("委员会客室", "奉献爱心", "协商议事"):
        assert head in text, text
    box = (geometry.margin_left + briefs.x, geometry.margin_top + briefs.y)
    inside = [g for g in heads if box[0] <= g.x <= box[0] + briefs.width
              and box[1] <= g.y <= box[1] + briefs.height]
    assert len(inside) >= len("委员会客室奉献爱心协商议事")


def test_article_files_and_the_ad_join_the_cache_key_and_the_archive(edition_copy):
    edition = parse_edition(edition_copy)
    page = next(p for p in edition.pages if p.layout == "news")
    key = cache.page_key(edition, page, {})
    inputs = edition_inputs(edition)
    assert "source/articles/lvzhi.md" in inputs and "source/ads/sample-ad.png" in inputs
    article = edition_copy / "articles" / "tian.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n补充一句。\n", encoding="utf-8")
    edited = parse_edition(edition_copy)
    assert cache.page_key(edited, next(p for p in edited.pages if p.layout == "news"), {}) != key


PLAN = "p06-yaowen.md"


@pytest.mark.parametrize("old, new, where, message", [
    ("role: 三条}\n  - {file: articles/fuwu.md", "role: 三号}\n  - {file: articles/fuwu.md",
     PLAN, "unknown role '三号'"),
    ("articles/tian.md", "articles/missing.md", PLAN, "article file 'articles/missing.md' not found"),
    ("{file: articles/fuwu.md, role: 四条}", "{file: articles/fuwu.md, role: 四条, colums: 2}",
     PLAN, "unknown key 'colums'"),
    ("{file: articles/fuwu.md, role: 四条}", "{file: articles/tian.md, role: 四条}",
     PLAN, "article id 'tian' is also tian.md's"),
    ("{file: articles/fuwu.md, role: 四条}", "{file: articles/fuwu.md, role: 四条, pin: [0, 0]}",
     PLAN, "'pin' must be [column, line, columns, lines]"),
    ("corner: bottom-right", "corner: middle", PLAN, "unknown corner 'middle'"),
    ("ads/sample-ad.png", "ads/sample-ad.gif", PLAN, "is not .png or .jpg or .jpeg or .pdf"),
])
def test_bad_page_plans_are_errors_at_their_line(edition_copy, old, new, where, message):
    plan = edition_copy / PLAN
    text = plan.read_text(encoding="utf-8")
    assert old in text
    plan.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PaibanError) as error:
        parse_edition(edition_copy)
    assert message in error.value.message
    assert error.value.path.name == where
    line = plan.read_text(encoding="utf-8").split("\n")[error.value.line - 1]
    assert new.split(",")[0].strip("{") in line or "ad:" in line or "articles/" in line


def test_copy_in_a_news_page_and_a_kicker_on_a_feature_page_are_located(edition_copy):
    plan = edition_copy / PLAN
    plan.write_text(plan.read_text(encoding="utf-8") + "\n正文不该写在这里。\n", encoding="utf-8")
    with pytest.raises(PaibanError) as error:
        parse_edition(edition_copy)
    assert "no copy of its own" in error.value.message and error.value.path == plan
    assert plan.read_text(encoding="utf-8").split("\n")[error.value.line - 1] == "正文不该写在这里。"


def test_an_overset_article_is_an_error_saying_what_to_cut_at_its_file(edition_copy, fonts):
    """A story pinned to a box too small for it: cut N characters from 「…」, at the
    line of the article file where the copy that does not fit begins."""
    plan = edition_copy / PLAN
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("{file: articles/fuwu.md, role: 四条}",
                                 "{file: articles/fuwu.md, role: 四条, pin: [0, 76, 2, 10]}"),
                    encoding="utf-8")
    news_only(edition_copy)
    edition = parse_edition(edition_copy)
    findings, placed = check_page(edition, edition.pages[0], fonts)
    errors = [f for f in findings if f.severity == "error"]
    assert len(errors) == 1, [str(f) for f in findings]
    (error,) = errors
    article = edition_copy / "articles" / "fuwu.md"
    assert error.path == str(article)
    entry = next(a for a in placed.articles if a["id"] == "fuwu")
    assert f"cut {entry['overset_chars']} characters from 「{entry['cut_from']}" in error.message
    assert entry["overset_chars"] > 100
    source = article.read_text(encoding="utf-8").split("\n")[error.line - 1]
    assert entry["cut_from"][:6] in source.replace("\n", "")


def test_an_ad_of_the_wrong_shape_for_its_slot_is_refused_at_the_plan_line(edition_copy, fonts):
    from PIL import Image
    Image.new("L", (400, 800), 200).save(edition_copy / "ads" / "sample-ad.png")
    news_only(edition_copy)
    edition = parse_edition(edition_copy)
    findings, placed = check_page(edition, edition.pages[0], fonts)
    (error,) = [f for f in findings if f.severity == "error"]
    assert placed is None and "its slot of 3 columns × 36 lines" in error.message
    line = (edition_copy / PLAN).read_text(encoding="utf-8").split("\n")[error.line - 1]
    assert line.startswith("ad:")


def test_build_json_reports_articles_and_blank_fraction(news):
    _, entry, _ = news
    report = json.loads(json.dumps(entry))
    for article in report["articles"]:
        assert {"id", "role", "headline", "box", "columns", "lines", "overset_chars",
                "underset_lines"} <= set(article)
        assert len(article["box"]) == 4
    assert "blank_fraction" in report


def test_photo_warnings_of_a_news_page_name_the_article_file_and_its_line(news):
    _edition, entry, _ = news
    warnings = [w for w in entry["warnings"] if "ppi" in w["message"]]
    assert warnings
    for warning in warnings:
        assert "/articles/" in warning["path"], warning
        source = Path(warning["path"]).read_text(encoding="utf-8").split("\n")
        assert source[warning["line"] - 1].startswith("![")


def test_the_news_page_prints_as_pdf_x_with_its_photos_and_ad_in_cmyk(edition_copy, fonts,
                                                                        tmp_path, capsys):
    from paiban.cli import main
    edition = parse_edition(news_only(edition_copy))
    (entry,) = build_edition(edition, fonts, tmp_path / "out", output="print")["pages"]
    assert entry["pdf"] and "/print/" in entry["pdf"] and not entry["errors"], entry["errors"]
    capsys.readouterr()
    assert main(["check", "--print", "--json", str(edition_copy), "-o",
                 str(tmp_path / "out")]) == 0
    (report,) = json.loads(capsys.readouterr().out)["print"]
    assert report["standard"] == "PDF/X-4" and not report["errors"]
    spaces = [image["colour_space"] for image in report["images"].values()]
    assert len(spaces) == 6 and set(spaces) <= {"/DeviceCMYK", "/DeviceGray"}  # 5 photos, the ad


def test_an_archived_news_page_carries_its_articles_and_ad_and_rebuilds_the_same(
        edition_copy, tmp_path, capsys):
    import pikepdf

    from paiban.cli import main
    news_only(edition_copy)
    root = tmp_path / "archive"
    assert main(["archive", str(edition_copy), "--root", str(root)]) == 0
    (revision,) = root.glob("*/*/r1")
    with pikepdf.open(revision / "p06-yaowen.pdf") as pdf:
        names = set(pdf.attachments)
    assert {"source/p06-yaowen.md", "source/ads/sample-ad.png",
            "source/photos/astronaut.jpg"} <= names
    listed = {story.path.name for story in parse_edition(edition_copy).pages[0].stories}
    assert {f"source/articles/{name}" for name in listed} <= names
    capsys.readouterr()
    assert main(["verify", str(revision)]) == 0
    assert "page 3: byte-identical" in capsys.readouterr().out


def test_an_article_the_makeup_cannot_place_stops_the_build_at_its_plan_line(edition_copy,
                                                                              tmp_path, capsys):
    """The 头条 forced to five columns, where its photo (too few pixels for half the
    module) can go nowhere: the makeup's error names the plan's entry, no traceback.
    (The news page alone: its lead is set whole, as the 头条.)"""
    from paiban.cli import main
    plan = edition_copy / PLAN
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "lvzhi.md, role: 三条, continued: true}", "lvzhi.md, role: 头条, columns: 5}").replace(
        "jianyan.md, role: 头条}", "jianyan.md, role: 二条}"), encoding="utf-8")
    assert main(["build", str(news_only(edition_copy)), "-o", str(tmp_path / "out")]) == 2
    error = capsys.readouterr().err
    line = next(n for n, text in enumerate(plan.read_text(encoding="utf-8").split("\n"), 1)
                if "articles/lvzhi.md" in text)
    assert f"{plan}:{line}: article 'lvzhi' fits no module" in error and "Traceback" not in error


def test_the_sample_news_page_fills_its_grid_with_six_reports_briefs_and_an_ad(sample_build):
    """Issue 10's sample: at least six articles, the briefs and an ad, at most 1% of
    the grid blank, no tombstone, nothing overset (built with its edition)."""
    from conftest import entry_of
    _, report = sample_build
    page = entry_of(report, "p06-yaowen.md")
    roles = [article["role"] for article in page["articles"]]
    assert len([role for role in roles if role != "简讯"]) >= 6 and "简讯" in roles
    assert page["ads"] and page["blank_fraction"] <= 0.01 and page["tombstones"] == []
    assert not page["errors"] and all(a["overset_chars"] == 0 for a in page["articles"])


def test_a_blueprint_of_the_house_style_places_its_ranks_and_the_solver_fills_the_rest(
        edition_copy, fonts):
    plan = edition_copy / PLAN
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "layout: news\n", "layout: news\nblueprint: lead-left\n"), encoding="utf-8")
    edition = parse_edition(news_only(edition_copy))
    findings, placed = check_page(edition, edition.pages[0], fonts)
    lead = next(a for a in placed.articles if a["role"] == "头条")
    assert lead["grid"] == [0, 0, 4, 48]
    boxes = [a["grid"] for a in placed.articles]
    assert all(not (a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3]
                    and b[1] < a[1] + a[3]) for n, a in enumerate(boxes) for b in boxes[n + 1:])


def test_an_unknown_blueprint_is_an_error_at_its_line_naming_the_known_ones(edition_copy,
                                                                           fonts):
    plan = edition_copy / PLAN
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "layout: news\n", "layout: news\nblueprint: lead-middle\n"), encoding="utf-8")
    edition = parse_edition(news_only(edition_copy))
    with pytest.raises(PaibanError) as error:
        check_page(edition, edition.pages[0], fonts)
    line = plan.read_text(encoding="utf-8").split("\n")[error.value.line - 1]
    assert line.startswith("blueprint:") and "lead-left" in error.value.fix


def test_the_line_count_the_makeup_asks_is_the_number_of_lines_the_page_sets(fonts):
    """The makeup counts lines from break points alone; the page sets the lines of
    the width it chose. Counted first, then set, at every width a module may have."""
    from paiban.fit import Composer
    from paiban.news import Copy
    edition = parse_edition(SAMPLE_EDITION)
    composer = Composer(fonts, edition.house, edition.house.geometry(edition.paper_size),
                        edition.composition)
    stories = [story for page in edition.pages for story in page.stories
               if not story.jump and not story.continued_from]
    assert len(stories) >= 5
    for story in stories:
        copy = Copy(composer, story)
        counts = {chars: copy.count(chars) for chars in range(6, 30)}
        assert counts == {chars: len(copy.lines(chars)) for chars in counts}, story.id
