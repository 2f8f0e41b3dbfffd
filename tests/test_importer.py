import re
from collections import Counter

import copygen
import pytest
from conftest import SAMPLE_RAW
from hypothesis import example, given, settings
from hypothesis import strategies as st

from paiban.chars import is_han
from paiban.cli import main
from paiban.errors import PaibanError
from paiban.importer.extracted import import_text, line_text
from paiban.source import markdown, parse_article, parse_page


def article_of(source):
    return parse_article(markdown().parse(source), "<test>")


def han(text):
    return Counter(char for char in text if is_han(char))


@pytest.fixture(scope="module")
def sample():
    raw = SAMPLE_RAW.read_text(encoding="utf-8")
    source, summary = import_text(raw)
    return raw, source, summary, article_of(source)


def test_sample_structure_is_recognised(sample):
    _, _, summary, article = sample
    assert [t.text for t in article.headline] == ["履职尽责结硕果", "团结奋斗启新程"]
    assert article.subtitle.text == "——大武口区政协2022年工作纪实"
    assert len(article.lead) == 2
    assert [s.title.text for s in article.sections] == [
        "加强政治引领", "突出主业主责", "广泛凝聚共识", "全力服务大局", "强化自身建设"]
    assert all(s.subheading.text.startswith("在") for s in article.sections)
    quote = article.sections[0].blocks[0]
    assert [t.text for t in quote.lines] == ["思想之旗引领新的征程，", "理论之光照亮前进道路。"]
    assert sum(len(s.photos) for s in article.sections) == 10
    assert article.credit.text == "（本版图片由大武口区政协提供）"
    assert "captions      10" in summary


def test_byline_keeps_its_deliberate_spaces(sample):
    assert sample[3].byline.text == "本报记者 罗 鸣"


def test_justification_spaces_are_removed(sample):
    text = "".join(t.text for t in sample[3].texts())
    assert "立案的50件提案，办复率100%" in text
    assert "共举办各类专题学习40余次" in text
    assert "（右3）" in text


def test_block_split_mid_sentence_is_merged(sample):
    paragraphs = [b.text for s in sample[3].sections for b in s.blocks if hasattr(b, "text")]
    assert any("做到“两个维护”。共举办" in p for p in paragraphs)
    assert any("工作情况通报，做到建言资政" in p for p in paragraphs)


def test_every_han_character_survives_once(sample):
    raw, _, _, article = sample
    expected = han(raw)
    for line in ("履职尽责结硕果", "团结奋斗启新程"):
        expected.subtract(han(line))  # the doubled headline counts once
    assert han("".join(t.text for t in article.texts())) == +expected


def rewrap(paragraph, width, spaced):
    """Wrap a paragraph as an extractor would, with justification spaces in some lines."""
    lines = [paragraph[i:i + width] for i in range(0, len(paragraph), width)]
    return [" ".join(line) if n in spaced else line for n, line in enumerate(lines)]


@pytest.mark.parametrize("width", [9, 17, 24])
def test_other_texts_at_other_widths(width):
    paragraphs = [
        "今年以来，示范区坚持项目为王，新签约项目12个，总投资达到38.5亿元，同比增长17%。",
        "在“放管服”改革中，区里推出《企业开办一件事》清单，办理时间压缩到1个工作日。",
        "下一步，示范区将继续优化营商环境，推动高质量发展迈出新步伐。",
    ]
    raw = ["优化营商环境优化营商环境 激发市场活力激发市场活力", "——示范区上半年经济运行综述", "",
           "本报记者 王 芳", ""]
    raw += rewrap(paragraphs[0], width, {1}) + [""]
    raw += ["招商引资", "在扩大有效投资上实现新突破", ""]
    raw += rewrap(paragraphs[1], width, {0, 2}) + [""]
    raw += rewrap(paragraphs[2], width, set()) + [""]
    raw += ["（本版图片由示范区管委会提供）", "", "示范区召开项目推进会。", ""]
    source, _ = import_text("\n".join(raw))
    article = article_of(source)
    assert [t.text for t in article.headline] == ["优化营商环境", "激发市场活力"]
    assert article.byline.text == "本报记者 王 芳"
    assert [t.text for t in article.lead] == [paragraphs[0]]
    assert article.sections[0].title.text == "招商引资"
    assert [b.text for b in article.sections[0].blocks] == paragraphs[1:]
    assert article.sections[0].photos[0].caption.text == "示范区召开项目推进会。"


def test_markup_characters_in_copy_stay_text():
    raw = "标题\n\n# 不是标题，而是正文里的井号。\n\n> 也不是引文，只是正文。\n"
    source, _ = import_text(raw)
    text = "".join(t.text for t in article_of(source).texts())
    assert "#不是标题" in text and ">也不是引文" in text


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    list("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动")
    + list("，。、；：？！“”《》（）——…… \n\n1234567890abcXYZ#>:![]()*-\\")), max_size=300))
def test_importer_never_loses_a_character_or_crashes(raw):
    try:
        source, _ = import_text(raw)
    except PaibanError:
        return
    expected = han(raw)
    article = article_of(source)
    got = han("".join(t.text for t in article.texts()))
    headline = "".join(t.text for t in article.headline)
    # Only an undoubled headline may hold fewer characters than the input.
    missing = expected - got
    assert not missing or all(missing[c] <= headline.count(c) for c in missing)


# -- copy from the generator: paragraphs, spaces, column breaks --------------------


def imported_paragraphs(paragraphs, **extraction):
    """The paragraphs as an extraction shows them, imported and parsed back."""
    raw = "测试标题\n\n" + copygen.extraction(paragraphs, **extraction)
    source, _ = import_text(raw)
    article = article_of(source)
    assert [t.text for t in article.headline] == ["测试标题"]
    return [t.text for t in article.lead] + [
        b.text for s in article.sections for b in s.blocks if hasattr(b, "text")] + [
        p.caption.text for s in article.sections for p in s.photos]


@settings(max_examples=200, deadline=None)
@example(seed=5, count=3, latin_share=0.5, width=8, column_breaks=0, shortest_word=5)  # "p t ；"
@given(seed=st.integers(0, 2 ** 32), count=st.integers(1, 6),
       latin_share=st.floats(0, 0.7), width=st.integers(8, 30),
       column_breaks=st.floats(0, 1), shortest_word=st.integers(2, 5))
def test_generated_copy_survives_extraction_with_every_character_and_real_space(
        seed, count, latin_share, width, column_breaks, shortest_word):
    """Clean copy → wrapped, justified and column-broken as an extraction shows it →
    imported: the same paragraphs, every character and every real space."""
    paragraphs = copygen.paragraphs(seed, count, latin_share=latin_share,
                                    word_lengths=(shortest_word, 12))
    assert imported_paragraphs(paragraphs, width=width, seed=seed,
                               column_breaks=column_breaks) == paragraphs


def test_paragraph_ending_in_a_colon_is_not_merged_with_the_next():
    paragraphs = copygen.paragraphs(7, 12)
    paragraphs[3] = paragraphs[3][:-1] + "："
    paragraphs[8] = paragraphs[8][:-1] + "："
    assert imported_paragraphs(paragraphs, width=13, seed=1, column_breaks=0) == paragraphs


@pytest.mark.parametrize("width", [12, 13, 20])
def test_paragraph_cut_by_a_column_break_is_rejoined_whatever_its_tail_looks_like(width):
    """Paragraphs of short sentences: the part after a column break looks like a block
    of captions (short sentences one per line) and must still be rejoined."""
    sentences = re.findall(r"[^。！？：；]+。", "".join(copygen.paragraphs(11, 200, latin_share=0)))
    short = [s for s in sentences if 6 <= len(s) <= 16 and "“" not in s and "”" not in s]
    paragraphs = ["".join(short[i:i + 4]) for i in range(0, len(short) - 3, 4)]
    raw = copygen.extraction(paragraphs, width=width, seed=3, column_breaks=1)
    assert raw.count("\n\n") > len(paragraphs) + 10  # many paragraphs were cut
    assert imported_paragraphs(paragraphs, width=width, seed=3, column_breaks=1) == paragraphs


def test_word_spaces_between_latin_words_survive_justification():
    paragraphs = copygen.paragraphs(5, 20, latin_share=0.4)
    assert sum(p.count(" ") for p in paragraphs) > 40
    for styles in (("plain",), ("gaps",)):
        assert imported_paragraphs(paragraphs, width=15, seed=2, column_breaks=0,
                                   styles=styles) == paragraphs


def test_letter_spaced_latin_words_are_closed_up():
    paragraphs = copygen.paragraphs(9, 20, latin_share=0.4)
    for styles in (("letters",), ("partial",)):
        raw = copygen.extraction(paragraphs, width=15, seed=4, column_breaks=0, styles=styles)
        assert "a r" in raw or "r e" in raw  # the extraction did spread words
        assert imported_paragraphs(paragraphs, width=15, seed=4, column_breaks=0,
                                   styles=styles) == paragraphs


@pytest.mark.parametrize("line, text", [
    ("标准 GB/T 15834 规定", "标准GB/T 15834规定"),          # word space, Han–Latin gaps
    ("正文 10.5 pt，行距", "正文10.5 pt，行距"),
    ("采 用 U n i c o d e 编 码", "采用Unicode编码"),          # spread letter by letter
    ("U n i c o d e ，", "Unicode，"),                       # shown by the letters alone
    ("统 一 Unicod e  head ings 标 题", "统一Unicode headings标题"),  # partly seen
    ("Noto  Serif  CJK，字体", "Noto Serif CJK，字体"),      # wide word spaces, all alike
    ("H a r f B u z z  shaping", "HarfBuzz shaping"),        # two widths: word space wider
    ("学习 40 余次，交流", "学习40余次，交流"),
    ("把 ’‘A 4 ’……。", "把’‘A4’……。"),                      # a space by a mark shows it
])
def test_the_space_rule_on_extracted_lines(line, text):
    assert line_text(line) == text


def test_word_space_at_a_line_break_comes_back():
    source, _ = import_text("测试标题\n\n文件采用GB/T\n15834规定的标点，正文\n10.5\npt。\n")
    assert [t.text for t in article_of(source).lead] == [
        "文件采用GB/T 15834规定的标点，正文10.5 pt。"]


# -- Word documents -------------------------------------------------------------------


def picture(path, colour):
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (600, 400), (230, 230, 220))
    ImageDraw.Draw(image).ellipse([100, 50, 500, 350], fill=colour)
    image.save(path)
    return path


def story(folder, seed=3):
    """A Word story: every part the page source has, copy from the generator."""
    import docx
    copy = copygen.paragraphs(seed, 10, latin_share=0.3)
    document = docx.Document()
    document.add_heading("履职尽责结硕果\n团结奋斗启新程", level=0)  # Title, two lines
    document.add_paragraph("——大武口区政协2022年工作纪实", style="Subtitle")
    document.add_paragraph("本报记者 罗 鸣")
    document.add_paragraph(copy[0])
    document.add_paragraph(copy[1])
    document.add_heading("加强政治引领", level=1)
    document.add_heading("在夯实共同思想政治基础上实现新提升", level=2)
    document.add_paragraph("思想之旗引领新的征程，\n理论之光照亮前进道路。", style="Quote")
    document.add_paragraph(copy[2])
    document.add_picture(str(picture(folder / "a.png", (200, 30, 30))))
    document.add_paragraph("委员们在会上发言。")
    for text in copy[3:6]:
        document.add_paragraph(text, style="List Number")
    document.add_heading("突出主业主责", level=1)
    document.add_paragraph(copy[6])
    document.add_paragraph("协商会现场。", style="Caption")
    document.add_picture(str(picture(folder / "b.png", (30, 30, 200))))
    for text in copy[7:9]:
        document.add_paragraph(text, style="List Bullet")
    document.add_paragraph(copy[9])
    document.add_paragraph("（本版图片由大武口区政协提供）")
    path = folder / "story.docx"
    document.save(path)
    return path, copy


def import_page(tmp_path, path, capsys=None):
    page = tmp_path / "edition" / "p01.md"
    assert main(["import", str(path), "-o", str(page)]) == 0
    return page, parse_page(page).article


def test_docx_story_imports_every_part_the_source_format_has(tmp_path):
    path, copy = story(tmp_path)
    _, article = import_page(tmp_path, path)
    assert [t.text for t in article.headline] == ["履职尽责结硕果", "团结奋斗启新程"]
    assert article.subtitle.text == "——大武口区政协2022年工作纪实"
    assert article.byline.text == "本报记者 罗 鸣"
    assert [t.text for t in article.lead] == copy[:2]
    first, second = article.sections
    assert (first.title.text, first.subheading.text) == ("加强政治引领",
                                                        "在夯实共同思想政治基础上实现新提升")
    assert [t.text for t in first.blocks[0].lines] == [
        "思想之旗引领新的征程，", "理论之光照亮前进道路。"]
    assert [b.text for b in first.blocks[1:]] == [copy[2]] + [
        f"{n}.{text}" for n, text in enumerate(copy[3:6], 1)]
    assert second.title.text == "突出主业主责" and second.subheading is None
    assert [b.text for b in second.blocks] == [copy[6], *("●" + t for t in copy[7:9]), copy[9]]
    assert [p.caption.text for p in first.photos + second.photos] == [
        "委员们在会上发言。", "协商会现场。"]
    assert article.credit.text == "（本版图片由大武口区政协提供）"


def test_docx_photos_are_written_into_the_edition_folder_unchanged(tmp_path):
    path, _ = story(tmp_path)
    page, article = import_page(tmp_path, path)
    photos = [p for s in article.sections for p in s.photos]
    assert [p.src for p in photos] == ["photos/story-01.png", "photos/story-02.png"]
    for photo, original in zip(photos, ("a.png", "b.png")):
        assert (page.parent / photo.src).read_bytes() == (tmp_path / original).read_bytes()


def test_docx_keeps_every_character_and_latin_word_space(tmp_path):
    import docx
    path, copy = story(tmp_path, seed=8)
    written = "".join(p.text for p in docx.Document(str(path)).paragraphs)
    _, article = import_page(tmp_path, path)
    got = "".join(t.text for t in article.texts())
    expected = Counter(c for c in written if not c.isspace())
    expected.update("1.2.3.●●")  # the list numbers, written out
    assert Counter(c for c in got if not c.isspace()) == expected
    assert sum(p.count(" ") for p in copy) > 5
    assert all(text in got for text in copy)  # with their spaces


def test_docx_typed_spaces_beside_han_are_dropped_and_word_spaces_kept(tmp_path):
    import docx
    document = docx.Document()
    document.add_heading("标题", level=0)
    document.add_paragraph("文件采用 GB/T  15834 标准，正文 10.5\u00a0pt 。")
    document.save(tmp_path / "s.docx")
    _, article = import_page(tmp_path, tmp_path / "s.docx")
    assert [t.text for t in article.lead] == ["文件采用GB/T 15834标准，正文10.5 pt。"]


def test_docx_without_title_takes_heading_1_as_the_headline(tmp_path):
    import docx
    document = docx.Document()
    document.add_heading("团结奋斗启新程", level=1)
    document.add_paragraph("导语。")
    document.add_heading("加强政治引领", level=2)
    document.add_heading("在夯实基础上实现新提升", level=3)
    document.add_paragraph("正文。")
    document.save(tmp_path / "h.docx")
    _, article = import_page(tmp_path, tmp_path / "h.docx")
    assert [t.text for t in article.headline] == ["团结奋斗启新程"]
    assert article.sections[0].subheading.text == "在夯实基础上实现新提升"


def docx_with(tmp_path, alter):
    """A small story whose paragraph 5 (after the heading 加强政治引领) is altered."""
    import docx
    document = docx.Document()
    document.add_heading("标题", level=0)
    document.add_paragraph("导语。")
    document.add_heading("加强政治引领", level=1)
    document.add_paragraph("第一段。")
    alter(document, document.add_paragraph("第二段。"))
    document.add_paragraph("第三段。")
    document.save(tmp_path / "bad.docx")
    return tmp_path / "bad.docx"


def wrap_run(tag):
    """Wrap the paragraph's run in a w:ins, w:del … element, as Word records changes."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    def alter(document, paragraph):
        run = paragraph.runs[0]._r
        wrapper = parse_xml(f'<w:{tag} {nsdecls("w")} w:id="1" w:author="A"/>')
        run.addprevious(wrapper)
        wrapper.append(run)
    return alter


def add_xml(xml):
    def alter(document, paragraph):
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls
        namespaces = nsdecls("w") + ' xmlns:v="urn:schemas-microsoft-com:vml"'
        paragraph.runs[0]._r.append(parse_xml(xml.replace("NS", namespaces)))
    return alter


def add_field(document, paragraph):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    paragraph._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="DATE">'
                                  '<w:r><w:t>2024年3月1日</w:t></w:r></w:fldSimple>'))


def add_content_control(document, paragraph):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    control = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtContent/></w:sdt>')
    paragraph._p.addprevious(control)
    control[0].append(paragraph._p)


def add_table(document, paragraph):
    table = document.add_table(rows=2, cols=2)
    paragraph._p.addnext(table._tbl)
    paragraph._p.getparent().remove(paragraph._p)


def add_comment(document, paragraph):
    document.add_comment(paragraph.runs, text="请核实", author="编辑")


@pytest.mark.parametrize("alter, what", [
    (add_table, "a table"),
    (wrap_run("ins"), "a tracked change"),
    (wrap_run("del"), "a tracked change"),
    (add_comment, "a comment"),
    (add_field, "text the importer cannot read (in a field or content control)"),
    (add_content_control, "a content control or other block the importer cannot read"),
    (add_xml('<w:footnoteReference NS w:id="1"/>'), "a footnote"),
    (add_xml('<w:pict NS><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r>'
             '</w:p></w:txbxContent></v:textbox></v:shape></w:pict>'), "a text box"),
])
def test_docx_content_a_page_cannot_hold_is_a_located_error(tmp_path, capsys, alter, what):
    path = docx_with(tmp_path, alter)
    assert main(["import", str(path), "-o", str(tmp_path / "p.md")]) == 2
    error = capsys.readouterr().err
    assert f"bad.docx:5: paragraph 5 after the heading “加强政治引领”: {what}" in error
    assert "fix: " in error and "Traceback" not in error
    assert not (tmp_path / "p.md").exists()


def test_docx_picture_without_caption_is_a_located_error(tmp_path, capsys):
    import docx
    document = docx.Document()
    document.add_heading("标题", level=0)
    document.add_paragraph("导语。")
    document.add_picture(str(picture(tmp_path / "a.png", (0, 0, 0))))
    document.save(tmp_path / "p.docx")
    assert main(["import", str(tmp_path / "p.docx"), "-o", str(tmp_path / "p.md")]) == 2
    assert "p.docx:3: paragraph 3 after the heading “标题”: a picture without a caption" \
        in capsys.readouterr().err


@pytest.mark.parametrize("name, message", [
    ("missing.txt", "no such file"), ("folder", "not a file"),
    ("old.doc", "an old binary Word or WPS document"), ("fake.docx", "not a Word document")])
def test_import_of_a_file_it_cannot_read_is_a_located_error(tmp_path, capsys, name, message):
    (tmp_path / "folder").mkdir()
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0 binary")
    (tmp_path / "fake.docx").write_text("not a zip", encoding="utf-8")
    assert main(["import", str(tmp_path / name)]) == 2
    error = capsys.readouterr().err
    assert f"{tmp_path / name}: {message}" in error and "fix: " in error
    assert "Traceback" not in error


def test_docx_with_pictures_needs_a_page_file_to_write_them_beside(tmp_path, capsys):
    path, _ = story(tmp_path)
    assert main(["import", str(path)]) == 2
    error = capsys.readouterr().err
    assert "story.docx: the document has 2 picture(s)" in error and "-o source/" in error


def test_docx_list_numbers_are_written_as_the_list_shows_them(tmp_path):
    """Chinese counting ('（一）') from the list's own level text; bullets as ●."""
    import docx
    from docx.oxml.ns import qn
    document = docx.Document()
    document.add_heading("标题", level=0)
    items = copygen.paragraphs(4, 12, latin_share=0.2)
    for text in items:
        document.add_paragraph(text, style="List Number")
    number = document.styles["List Number"].element.find(qn("w:pPr")).find(
        qn("w:numPr")).find(qn("w:numId")).get(qn("w:val"))
    numbering = document.part.numbering_part.element
    abstract = next(n.find(qn("w:abstractNumId")).get(qn("w:val"))
                    for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == number)
    level = next(lvl for a in numbering.findall(qn("w:abstractNum"))
                 if a.get(qn("w:abstractNumId")) == abstract for lvl in a.findall(qn("w:lvl"))
                 if lvl.get(qn("w:ilvl")) == "0")
    level.find(qn("w:numFmt")).set(qn("w:val"), "chineseCounting")
    level.find(qn("w:lvlText")).set(qn("w:val"), "（%1）")
    document.save(tmp_path / "l.docx")
    _, article = import_page(tmp_path, tmp_path / "l.docx")
    numbers = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
    assert [t.text for t in article.lead + article.sections[0].blocks] == [
        f"（{n}）{text}" for n, text in zip(numbers, items, strict=True)]


def test_a_feature_article_of_4500_characters_dense_in_latin_imports_whole():
    """Headline, subtitle, byline, lead and five sections of generated copy, as an
    extraction of a printed page shows them (13-character columns, column breaks):
    every paragraph comes back in its place, every character, every real space."""
    copy = copygen.paragraphs(2026, 40, latin_share=0.35)
    assert 4200 < sum(map(len, copy)) < 5200
    headings = [("加强政治引领", "在夯实共同思想政治基础上实现新提升"),
                ("突出主业主责", "在建言助力高质量发展上创造新业绩"),
                ("广泛凝聚共识", "在汇聚社会各界力量上取得新成效"),
                ("全力服务大局", "在促进民生实事落实上作出新贡献"),
                ("强化自身建设", "在提升工作科学化水平上实现新突破")]
    raw = "标准排版新标准 字体字体\n——GB/T 15834与Unicode 15.1在版面中的应用\n\n本报记者 王 芳\n\n"
    raw += copygen.extraction(copy[:2], width=22, seed=1)
    for number, (title, sub) in enumerate(headings):
        raw += f"\n{title}\n{sub}\n\n"
        raw += copygen.extraction(copy[2 + 7 * number:9 + 7 * number], width=13, seed=number)
    article = article_of(import_text(raw)[0])
    assert [t.text for t in article.headline] == ["标准排版新标准", "字体"]
    assert article.subtitle.text == "——GB/T 15834与Unicode 15.1在版面中的应用"
    assert article.byline.text == "本报记者 王 芳"
    assert [t.text for t in article.lead] == copy[:2]
    assert [(s.title.text, s.subheading.text) for s in article.sections] == headings
    assert [[b.text for b in s.blocks] for s in article.sections] == [
        copy[2 + 7 * n:9 + 7 * n] for n in range(5)]


def test_docx_story_without_sections_has_a_one_paragraph_lead_and_captions_below_pictures(
        tmp_path):
    import docx
    copy = copygen.paragraphs(12, 5, latin_share=0.2)
    document = docx.Document()
    document.add_heading("团结奋斗启新程", level=0)
    for text in copy[:3]:
        document.add_paragraph(text)
    run = document.add_paragraph().add_run()
    run.add_picture(str(picture(tmp_path / "a.png", (10, 120, 40))))
    run.add_break()
    run.add_text("委员们在会上发言。")  # the caption in the picture's own paragraph
    for text in copy[3:]:
        document.add_paragraph(text)
    document.save(tmp_path / "n.docx")
    _, article = import_page(tmp_path, tmp_path / "n.docx")
    assert [t.text for t in article.lead] == copy[:1]
    [section] = article.sections
    assert section.title is None
    assert [b.text for b in section.blocks] == copy[1:]
    assert [p.caption.text for p in section.photos] == ["委员们在会上发言。"]


def test_captions_between_the_parts_of_a_cut_paragraph_go_to_the_photos():
    copy = copygen.paragraphs(21, 3, latin_share=0.2)
    first, rest = copygen.extraction(copy[:1], width=13, seed=0, column_breaks=0), \
        copygen.extraction(copy[1:], width=13, seed=0, column_breaks=0)
    lines = first.strip().split("\n")
    assert len(lines) > 3
    captions = "委员们在会上发言（右2）。 协商会现场。"
    raw = ("测试标题\n\n加强政治引领\n在夯实基础上实现新提升\n\n" + "\n".join(lines[:2])
           + f"\n\n{captions}\n\n" + "\n".join(lines[2:]) + "\n\n" + rest)
    article = article_of(import_text(raw)[0])
    [section] = article.sections
    assert [b.text for b in section.blocks] == copy
    assert [p.caption.text for p in section.photos] == ["委员们在会上发言（右2）。", "协商会现场。"]
