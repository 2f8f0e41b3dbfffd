import pytest

from paiban.errors import PaibanError
from paiban.source import parse_edition, parse_page

FRONT = "---\npage: 3\ntitle: 要闻\nlayout: feature\n---\n\n# 标题\n\n"


def write(tmp_path, text, name="p.md", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def error_of(path):
    with pytest.raises(PaibanError) as caught:
        parse_page(path)
    return caught.value


def test_sample_edition_parses():
    from conftest import SAMPLE_EDITION
    edition = parse_edition(SAMPLE_EDITION)
    assert [(p.number, p.layout) for p in edition.pages] == [(1, "front"), (2, "feature"),
                                                               (3, "news")]
    page = edition.pages[1]
    assert (page.number, page.title, page.layout) == (2, "专版", "feature")
    assert len(page.article.sections) == 5
    assert sum(len(s.photos) for s in page.article.sections) == 10


def test_heading_without_text_names_its_line(tmp_path):
    error = error_of(write(tmp_path, FRONT + "正文。\n\n## \n"))
    assert error.line == 11 and "heading with no text" in error.message


def test_unknown_layout_names_the_front_matter_line(tmp_path):
    error = error_of(write(tmp_path, FRONT.replace("feature", "poster")))
    assert error.line == 4 and "poster" in error.message and "feature" in error.fix


def test_malformed_front_matter_is_located(tmp_path):
    error = error_of(write(tmp_path, "---\npage: 3\ntitle: [unclosed\n---\n\n# 标题\n"))
    assert "malformed YAML" in error.message and error.line >= 3


def test_unknown_block_is_an_error(tmp_path):
    error = error_of(write(tmp_path, FRONT + "::: sidebar\n文字\n:::\n"))
    assert error.line == 9 and "unknown block" in error.message


def test_gb18030_file_is_refused_with_the_command_that_converts_it(tmp_path):
    error = error_of(write(tmp_path, FRONT + "正文。\n", encoding="gb18030"))
    assert "GB18030" in error.message and "iconv -f GB18030 -t UTF-8" in error.fix


def test_bom_and_crlf_are_accepted(tmp_path):
    page = parse_page(write(tmp_path, "\ufeff" + (FRONT + "正文一行，\n接着一行。\n").replace("\n", "\r\n")))
    assert page.article.sections[0].blocks[0].text == "正文一行，接着一行。"


def test_html_and_template_syntax_stay_literal_text(tmp_path):
    page = parse_page(write(tmp_path, FRONT + "<script>alert(1)</script>{{ 1+1 }}{% if x %}\n"))
    assert page.article.sections[0].blocks[0].text == "<script>alert(1)</script>{{ 1+1 }}{% if x %}"


def test_edition_composition_settings_are_read_and_validated(edition_copy):
    config = edition_copy / "edition.yaml"
    lines = [line for line in config.read_text(encoding="utf-8").splitlines()
             if not line.startswith("composition:")]
    text = "\n".join(lines) + "\n"
    config.write_text(text + "composition: {punctuation: kaiming, han_latin_gap: 0.125}\n",
                      encoding="utf-8")
    rules = parse_edition(edition_copy).composition
    assert rules.punctuation == "kaiming" and rules.han_latin_gap == 0.125
    config.write_text(text + "composition: {punctuation: western}\n", encoding="utf-8")
    with pytest.raises(PaibanError) as error:
        parse_edition(edition_copy)
    assert "punctuation style 'western'" in error.value.message
    assert error.value.line == len(text.splitlines()) + 1
