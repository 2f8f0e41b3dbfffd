"""Parse an edition folder into the model.

An edition folder holds ``edition.yaml`` (paper, date, issue, page list) and one
Markdown file per page. A page file is front matter (page metadata) and a light
Markdown markup for the article; see the README for the format. Parsing uses
markdown-it-py with only the rules the format needs, so that any other Markdown
syntax stays literal text and no character of the copy is lost or turned into HTML.
"""

import datetime
import difflib
import unicodedata
from pathlib import Path
from urllib.parse import unquote

import yaml
from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from . import jumps, plan
from .chars import join_wrapped
from .cjk import Settings
from .errors import PaibanError, shown
from .house import DEFAULT_HOUSE, HOUSES, load_house
from .model import (
    Article,
    Box,
    Edition,
    Page,
    Photo,
    PullQuote,
    Section,
    Stories,
    Table,
    Text,
)
from .printing import PrintSettings, profile_problem

EDITION_FILE = "edition.yaml"
CONTAINERS = ("subtitle", "byline", "lead", "credit", "kicker")
LAYOUTS = ("feature", "news", "front")   # front: a news page under the masthead (头版)
NEWS_LAYOUTS = ("news", "front")
EDITOR_ROLES = ("editor", "art_editor", "proofreader")
PAGE_KEYS = ("page", "title", "layout", "editors", "headline", "articles", "ad", "colour",
             "ear", "index", "lock", "blueprint")
COLOURS = ("colour", "mono")   # 彩色版, 黑白版 (K ink only)
HEADLINE_FORMS = ("horizontal", "vertical")  # 横排, 竖排


def markdown():
    md = MarkdownIt("zero", {"html": False}).enable(
        ["heading", "blockquote", "image", "escape", "newline", "table"])
    md.use(front_matter_plugin)
    for name in CONTAINERS + ("box",):
        md.use(container_plugin, name=name)
    return md


def read_text(path):
    """Read a source file as UTF-8 (BOM and CRLF allowed), refusing anything else."""
    data = Path(path).read_bytes()
    if b"\0" in data:
        raise PaibanError("binary file (contains NUL bytes), not a text source", path,
                          fix="give a UTF-8 text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        try:
            data.decode("gb18030")
            encoding = "GB18030/GBK"
        except UnicodeDecodeError:
            encoding = "not UTF-8"
        raise PaibanError(f"file is {encoding}, not UTF-8", path, line,
                          fix=f"convert it: iconv -f GB18030 -t UTF-8 {path} -o {path}.utf8"
                          ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


MAX_YAML_DEPTH = 8  # the deepest real setting is two levels down


class SourceLoader(yaml.SafeLoader):
    """YAML as an editor writes it: no anchors or aliases (an alias bomb of ten lines
    would expand to hundreds of megabytes), no nesting deeper than the settings go,
    text keys only, and values that fail to construct (2023-02-30) reported at their
    line like any other YAML error."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent) or getattr(self.peek_event(), "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (& and *) are not used in paiban files",
                self.peek_event().start_mark)
        self.depth = getattr(self, "depth", 0) + 1
        if self.depth > MAX_YAML_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_YAML_DEPTH} levels deep",
                self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node, deep=False):
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.tag != "tag:yaml.org,2002:str":
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {shown(key.value)} is not a name", key.start_mark)
        return super().construct_mapping(node, deep)

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"{shown(node.value)} is not a valid value ({error})",
                node.start_mark) from None


def load_yaml(text, path, first_line=1):
    try:
        data = yaml.load(text, Loader=SourceLoader) if text.strip() else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = first_line + mark.line if mark else first_line
        problem = getattr(error, "problem", None) or str(error)
        raise PaibanError(f"malformed YAML: {problem[:200]}", path, line,
                          fix="check indentation and quoting of this line") from None
    if not isinstance(data, dict):
        raise PaibanError("expected key: value lines", path, first_line)
    return data


def unknown_key(key, known, path, line, where):
    """The error for a key nobody reads: misspelt settings must not pass silently."""
    nearest = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean '{nearest[0]}'? " if nearest else ""
    return PaibanError(f"unknown key {shown(key)} in {where}", path, line,
                       fix=f"{hint}{where} takes {', '.join(known)}")


UNSETTABLE = {"Cc", "Cs", "Zl", "Zp"}  # control characters, surrogates, line separators


def check_characters(text, path):
    """Refuse characters that set as nothing or as line breaks the source does not
    show (vertical tab, form feed, U+2028…): they would slip past the font coverage
    check as 'space' and print as empty boxes or overprinted lines."""
    bad = [(index, char) for index, char in enumerate(text)
           if unicodedata.category(char) in UNSETTABLE and char != "\n"]
    if bad:
        index, char = bad[0]
        line = text.count("\n", 0, index) + 1
        column = index - text.rfind("\n", 0, index)
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise PaibanError(
            f"invisible character U+{ord(char):04X} "
            f"{unicodedata.name(char, 'control character')} at column {column}{more}",
            path, line, fix="delete it, or type a space or a line break instead")


def find_key_line(text, key, first_line=1):
    for number, line in enumerate(text.split("\n"), first_line):
        if line.lstrip().startswith(f"{key}:"):
            return number
    return first_line


EDITION_KEYS = ("paper", "date", "issue", "total_issue", "pages", "house", "paper_size",
                "sample", "composition", "output", "print")


def parse_edition(folder):
    """Read ``folder/edition.yaml`` and every page it lists."""
    folder = Path(folder)
    path = folder / EDITION_FILE
    if not path.is_file():
        raise PaibanError(f"no {EDITION_FILE} in edition folder", folder,
                          fix=f"create {path} with paper, date, issue and pages")
    text = read_text(path)
    check_characters(text, path)
    data = load_yaml(text, path)
    for key in data:
        if key not in EDITION_KEYS:
            raise unknown_key(key, EDITION_KEYS, path, find_key_line(text, key), EDITION_FILE)

    def need(key, kind):
        if key not in data:
            raise PaibanError(f"missing '{key}'", path, fix=f"add a line '{key}: …'")
        value = data[key]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise PaibanError(f"'{key}' must be {kind.__name__}, not {shown(value)}", path,
                              find_key_line(text, key))
        return value

    paper = need("paper", str).strip()
    if not paper:
        raise PaibanError("'paper' is blank", path, find_key_line(text, "paper"),
                          fix="write the paper's name, e.g. 'paper: 示例日报'")
    date = need("date", datetime.date)
    issue = need("issue", int)
    total_issue = data.get("total_issue")
    if total_issue is not None and (not isinstance(total_issue, int)
                                    or isinstance(total_issue, bool) or total_issue < issue):
        raise PaibanError(f"'total_issue' must be a whole number from 'issue' up, not "
                          f"{shown(total_issue)}", path, find_key_line(text, "total_issue"),
                          fix="the paper's running issue count since its first (总第N期)")
    pages = need("pages", list)
    house = house_style(data.get("house", DEFAULT_HOUSE), path, find_key_line(text, "house"))
    paper_size = data.get("paper_size", "broadsheet")
    if paper_size not in house.paper_sizes:
        raise PaibanError(f"unknown paper_size {shown(paper_size)}", path,
                          find_key_line(text, "paper_size"),
                          fix=f"the house style {house.name} has: "
                              f"{', '.join(house.paper_sizes)}")
    if not pages:
        raise PaibanError("the page list is empty", path, find_key_line(text, "pages"))
    composition = composition_settings(data.get("composition") or {}, path,
                                       find_key_line(text, "composition"))
    printing = print_settings(data.get("print") or {}, folder, path,
                              find_key_line(text, "print"))
    output = data.get("output", "proof")
    if output not in OUTPUTS:
        raise PaibanError(f"unknown output {shown(output)}", path,
                          find_key_line(text, "output"),
                          fix=f"use one of: {', '.join(OUTPUTS)}")
    pages_line = find_key_line(text, "pages")
    parsed = [parse_page(page_file(folder, name, path, pages_line), number)
              for name, number in page_entries(pages, path, text)]
    check_page_list(parsed, path, pages_line)
    parsed.sort(key=lambda page: page.number)   # the edition PDF's order, whatever the list's
    missing = sorted(set(range(1, parsed[-1].number + 1)) - {page.number for page in parsed})
    if missing and any(page.layout == "front" for page in parsed):
        raise PaibanError(f"page {missing[0]} is missing: the front page prints "
                          f"今日{len(parsed)}版 for pages numbered up to {parsed[-1].number}",
                          path, pages_line, fix="list every page of the edition, numbered "
                                                "from 1 without gaps")
    check_photo_columns(parsed, house.geometry(paper_size))
    edition = Edition(folder, paper, date, issue, paper_size, parsed,
                      sample=bool(data.get("sample", False)), composition=composition,
                      printing=printing, output=output, house=house, total_issue=total_issue)
    jumps.resolve(edition)
    return edition


def house_style(name, path, line):
    """The house style an edition names (a file of styles/houses/)."""
    if not isinstance(name, str) or not name.strip() or "/" in name or name.startswith("."):
        raise PaibanError(f"'house' must name a house style, not {shown(name)}", path, line,
                          fix=f"e.g. 'house: {DEFAULT_HOUSE}' (a file in styles/houses/)")
    if not (HOUSES / f"{name}.yaml").is_file():
        known = ", ".join(sorted(p.stem for p in HOUSES.glob("*.yaml")))
        raise PaibanError(f"no house style {shown(name)}", path, line,
                          fix=f"use one of: {known} (files in styles/houses/)")
    return load_house(name)


def page_entries(pages, path, text):
    """(file name, page number or None) of each entry of the page list: a file name
    (its front matter says 'page:'), or ``{page: N, file: F}``, where the edition
    states the number: the one place to renumber a page, which jump lines, the index
    and the running heads then follow."""
    line = find_key_line(text, "pages")
    entries = []
    for entry in pages:
        if isinstance(entry, dict):
            if set(entry) != {"page", "file"} or not isinstance(entry["page"], int) \
                    or isinstance(entry["page"], bool) or entry["page"] < 1:
                raise PaibanError(f"page list entry {shown(entry)} is not "
                                  "'{page: N, file: F}'", path, line,
                                  fix="write e.g. '- {page: 1, file: p01-front.md}'")
            entries.append((entry["file"], entry["page"]))
        else:
            entries.append((entry, None))
    return entries


def page_file(folder, name, path, line):
    """The page file an entry of the page list names: a text file inside the folder."""
    if not isinstance(name, str):
        raise PaibanError(f"page list entry {shown(name)} is not a file name", path, line,
                          fix="list the page files, e.g. 'pages: [p01.md, p02.md]'")
    page_path = folder / name
    if not page_path.resolve().is_relative_to(folder.resolve()):
        raise PaibanError(f"page file {shown(name)} is outside the edition folder", path, line,
                          fix="keep the page files in the edition folder")
    if not page_path.is_file():
        raise PaibanError(f"page file {shown(name)} not found", path, line,
                          fix=f"create {page_path} or remove it from the page list")
    return page_path


def check_page_list(pages, path, line):
    """Each page once, each page number once, and each page's outputs (named after
    the file, wherever it sits in the folder) its own."""
    numbers, names = {}, {}
    for page in pages:
        if page.number in numbers:
            raise PaibanError(f"page number {page.number} is given by both "
                              f"{numbers[page.number].name} and {page.path.name}",
                              page.path, find_key_line(read_text(page.path), "page"),
                              fix=f"give every page its own number ({EDITION_FILE}'s page "
                                  "list or the page's front matter)")
        numbers[page.number] = page.path
        stem = page.path.stem
        if stem in names:
            same = names[stem] == page.path
            raise PaibanError(
                f"page file {page.path.name} is listed twice" if same else
                f"page files {names[stem]} and {page.path} would both write {stem}.pdf",
                path, line, fix="list each page once" if same else
                "give the page files different names")
        names[stem] = page.path


COMPOSITION_KEYS = {"level": str, "punctuation": str, "han_latin_gap": (int, float)}
PRINT_KEYS = {"standard": str, "profile": str, "bleed_mm": (int, float), "marks": bool,
              "max_ink": int, "warn_ppi": int, "min_ppi": int}
OUTPUTS = ("proof", "print")


def settings_block(name, values, types, make, path, line, example):
    """A block of settings in the edition file: known keys, each value of its type,
    made into a settings object (which checks the values themselves). Anything else
    is an error at the block's line."""
    if not isinstance(values, dict):
        raise PaibanError(f"'{name}' takes " + ", ".join(types), path, line,
                          fix=f"e.g. '{name}: {example}'")
    for key in values:
        if key not in types:
            raise unknown_key(key, tuple(types), path, line, f"'{name}'")
    for key, value in values.items():
        kind = types[key]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            wanted = "a number" if isinstance(kind, tuple) else kind.__name__
            raise PaibanError(f"{name} {key} must be {wanted}, not {shown(value)}", path, line)
    try:
        return make(**values)
    except ValueError as error:
        raise PaibanError(str(error), path, line) from None


def composition_settings(values, path, line):
    """The ``composition:`` block: line breaking level, punctuation style, Han–Latin gap."""
    return settings_block("composition", values, COMPOSITION_KEYS, Settings, path, line,
                          "{level: strict, punctuation: quanjiao, han_latin_gap: 0.25}")


def print_settings(values, folder, path, line):
    """The ``print:`` block; its profile is a file in the edition folder."""
    def make(profile=None, **rest):
        if profile is not None:
            rest["profile"] = (folder / profile).resolve()
            if not rest["profile"].is_relative_to(folder.resolve()) \
                    or not rest["profile"].is_file():
                raise PaibanError(f"print profile {shown(profile)} is not a file in the edition "
                                  "folder", path, line,
                                  fix="copy the printer's .icc profile into the edition folder")
            problem = profile_problem(rest["profile"])
            if problem:
                raise PaibanError(f"print profile {shown(profile)} {problem}", path, line,
                                  fix="use the printer's CMYK output profile (.icc), e.g. "
                                  "ISOnewspaper26v4.icc for newsprint, or leave 'profile' "
                                  "out for the default")
        return PrintSettings(**rest)
    return settings_block("print", values, PRINT_KEYS, make, path, line,
                          "{standard: pdf/x-4, profile: newsprint.icc, bleed_mm: 3}")


def read_source(path):
    """A source file's text, its front matter (None without one) and the tokens of
    what follows it."""
    text = read_text(path)
    check_characters(text, path)
    tokens = markdown().parse(text)
    if tokens and tokens[0].type == "front_matter":
        return text, load_yaml(tokens[0].content, path, first_line=2), tokens[1:]
    return text, None, tokens


def parse_page(path, number=None):
    """Parse one page source file into a :class:`Page`; ``number``: the page number
    the edition's page list gives it."""
    path = Path(path)
    text, meta, tokens = read_source(path)
    if meta is None:
        raise PaibanError("page has no front matter", path, 1,
                          fix="start the file with a '---' block giving page, title, layout")
    page = page_metadata(meta, path, text, number)
    if page.layout in NEWS_LAYOUTS:
        return news_page(page, meta, tokens, path, text)
    for key in ("articles", "ad", "ear", "index", "lock"):
        if key in meta:
            raise PaibanError(f"'{key}' is for news pages", path, find_key_line(text, key),
                              fix="add 'layout: news' (or 'layout: front' for the front "
                                  "page) to list the page's article files")
    page.article = parse_article(tokens, path, text)
    if page.article.kicker:
        raise PaibanError("a kicker (引题) is set on news pages only", path,
                          page.article.kicker.line, fix="make it the subtitle, or delete it")
    return page


def news_page(page, meta, tokens, path, text):
    """A news page: its plan lists article files (paiban.plan); it has no copy of
    its own."""
    copy = next((token for token in tokens if token.map), None)
    if copy is not None:
        raise PaibanError("a news page has no copy of its own", path, copy.map[0] + 1,
                          fix="move the text into an article file and list it under 'articles:'")
    page.stories = plan.stories(meta, path, text, MAX_PHOTO_COLUMNS + 1)
    page.ad = plan.ad_slot(meta, path, text)
    page.lock = plan.lock(meta, path, text)
    page.blueprint = plan.blueprint(meta, path, text)
    if page.layout == "front":
        page.front = plan.front_settings(meta, path, text)
    else:
        for key in ("ear", "index"):
            if key in meta:
                raise PaibanError(f"'{key}' is for the front page", path,
                                  find_key_line(text, key),
                                  fix="write 'layout: front' on the front page")
    page.article = Stories(page.stories + ([page.front.ear] if page.front and page.front.ear
                                           else []))
    return page


def page_metadata(meta, path, text, number=None):
    def line_of(key):
        return find_key_line(text, key, 1)

    if number is not None and "page" in meta:
        raise PaibanError(f"the page number is stated in {EDITION_FILE} (page {number})",
                          path, line_of("page"),
                          fix=f"delete this 'page:' line: {EDITION_FILE} numbers the page")
    number = meta.get("page") if number is None else number
    if not isinstance(number, int) or isinstance(number, bool) or number < 1:
        raise PaibanError(f"'page' must be a page number, not {shown(number)}", path,
                          line_of("page"), fix="write e.g. 'page: 5', or number the page in "
                                              f"{EDITION_FILE}: '- {{page: 5, file: …}}'")
    title = meta.get("title", "")
    if not isinstance(title, str):
        raise PaibanError("'title' must be text", path, line_of("title"))
    layout = meta.get("layout", "feature")
    if layout not in LAYOUTS:
        raise PaibanError(f"unknown layout {shown(layout)}", path, line_of("layout"),
                          fix=f"use one of: {', '.join(LAYOUTS)}")
    editors = meta.get("editors") or {}
    if not isinstance(editors, dict) or any(
            role not in EDITOR_ROLES or not isinstance(name, str)
            for role, name in editors.items()):
        raise PaibanError("'editors' takes names for " + ", ".join(EDITOR_ROLES), path,
                          line_of("editors"))
    headline = meta.get("headline", "horizontal")
    if headline not in HEADLINE_FORMS:
        raise PaibanError(f"unknown headline {shown(headline)}", path, line_of("headline"),
                          fix="write 'headline: vertical' for a headline set down columns "
                              "(竖排), or 'headline: horizontal' (the default)")
    for key in meta:
        if key not in PAGE_KEYS:
            raise unknown_key(key, PAGE_KEYS, path, line_of(key), "page front matter")
    colour = meta.get("colour", "colour")
    if colour not in COLOURS:
        raise PaibanError(f"unknown colour {shown(colour)}", path, line_of("colour"),
                          fix="write 'colour: mono' for a black-and-white page (黑白版, K "
                              "ink only), or 'colour: colour' (the default)")
    editors = {role: editors.get(role, "") for role in EDITOR_ROLES}
    return Page(path, number, title, layout, editors, None, headline, mono=colour == "mono")


def inline_text(token):
    """The characters of an inline token; soft breaks join as wrapped Chinese does."""
    parts = []
    for child in token.children or []:
        if child.type == "softbreak":
            parts.append("\n")
        elif child.type in ("text", "hardbreak"):
            parts.append(child.content)
    lines = "".join(parts).split("\n")
    joined = lines[0].strip()
    for line in lines[1:]:
        joined = join_wrapped(joined, line.strip())
    return joined


def parse_article(tokens, path, source=""):
    article = Article()
    section = None
    container = None
    box = None
    in_quote = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        line = token.map[0] + 1 if token.map else 0
        kind = token.type
        if box and kind not in BOX_TOKENS:
            raise PaibanError(f"a box holds paragraphs only, not {BOX_REFUSED.get(kind, kind)}",
                              path, line or box.line,
                              fix="close the box with a ':::' line before it")
        if kind == "container_box_open":
            if container or box:
                raise PaibanError("a box inside another block", path, line,
                                  fix="close the block around it with ':::' first; "
                                      "boxes do not nest")
            box = Box(box_kind(token.info, path, line), [], line)
        elif kind == "container_box_close":
            if not box.paragraphs:
                raise PaibanError("empty box", path, box.line,
                                  fix="write the box's paragraphs between '::: box' and ':::'")
            target(article, section, path, box.line).blocks.append(box)
            box = None
        elif kind == "table_open":
            table, index = parse_table(tokens, index, path, source)
            target(article, section, path, table.line).blocks.append(table)
        elif kind.startswith("container_") and kind.endswith("_open"):
            container = token.info.strip()
        elif kind.startswith("container_") and kind.endswith("_close"):
            container = None
        elif kind == "blockquote_open":
            block = PullQuote([], line)
            in_quote = True
        elif kind == "blockquote_close":
            in_quote = False
            if not block.lines:
                raise PaibanError("empty pull quote", path, block.line)
            target(article, section, path, block.line).blocks.append(block)
        elif kind == "heading_open":
            text = heading_text(tokens[index + 1], path, line)
            level = token.tag
            if level == "h1":
                if article.sections:
                    raise PaibanError("headline line after the first section", path, line,
                                      fix="move the '# …' headline lines to the top")
                article.headline.append(text)
            elif level == "h2":
                section = Section(text, None, line=line)
                article.sections.append(section)
            elif level == "h3":
                if section is None or section.subheading or section.blocks:
                    raise PaibanError("a '### subheading' must follow its '## heading'",
                                      path, line)
                section.subheading = text
            else:
                raise PaibanError(f"heading level {level} is not used", path, line,
                                  fix="use '#' headline, '##' section, '###' subheading")
            index += 2
        elif kind == "inline":
            images = [c for c in token.children or [] if c.type == "image"]
            if images and box:
                raise PaibanError("a box holds paragraphs only, not a photo", path, line,
                                  fix="move the photo out of the box")
            if images:
                add_photos(article, section, images, token, path, line)
            else:
                text = inline_text(token)
                if text.startswith("!["):
                    raise PaibanError("photo reference refused", path, line,
                                      fix="give an image file inside the edition folder: "
                                          "![caption](photos/name.jpg)")
                if text.startswith(":::"):
                    name = " ".join(text.split()[:2])
                    raise PaibanError(f"unknown block {shown(name)}", path, line,
                                      fix="blocks are ::: " + ", ::: ".join(
                                          CONTAINERS + ("box", "box tint")))
                if in_quote:
                    block.lines.extend(Text(part.strip(), line + n) for n, part in
                                       enumerate(token.content.split("\n")) if part.strip())
                elif container in ("subtitle", "byline", "credit", "kicker"):
                    if getattr(article, container):
                        raise PaibanError(f"second {container}", path, line)
                    # Spaces in these lines are deliberate (a byline pads names).
                    setattr(article, container, Text(token.content.strip(), line))
                elif container == "lead":
                    article.lead.append(Text(text, line))
                elif box:
                    box.paragraphs.append(Text(text, line))
                else:
                    target(article, section, path, line).blocks.append(Text(text, line))
        index += 1
    if not article.headline:
        raise PaibanError("page has no headline", path, 1,
                          fix="add the headline as '# …' lines after the front matter")
    if not article.lead and not any(isinstance(block, Text) for s in article.sections
                                    for block in s.blocks):
        raise PaibanError("the article has no text", path, article.headline[-1].line,
                          fix="add the body paragraphs after the headline (and sections)")
    return article


BOX_TOKENS = {"paragraph_open", "paragraph_close", "inline", "container_box_close",
              "container_box_open"}
BOX_REFUSED = {"heading_open": "a heading", "blockquote_open": "a pull quote",
               "table_open": "a table"}
BOX_KEYWORDS = {"": "rule", "rule": "rule", "tint": "tint"}


def box_kind(info, path, line):
    """``::: box`` (a double-rule border, 花边框) or ``::: box tint`` (a tint)."""
    words = info.split()[1:]
    if len(words) > 1 or (words[0] if words else "") not in BOX_KEYWORDS:
        raise PaibanError(f"unknown box kind {shown(' '.join(words))}", path, line,
                          fix="write '::: box' (a ruled border) or '::: box tint' "
                              "(a tint background)")
    return BOX_KEYWORDS[words[0] if words else ""]


def row_cells(source_line):
    """How many cells a pipe-table row of the source writes (markdown-it pads a short
    row and drops a long row's extra cells without a word)."""
    row = source_line.strip()
    row = row.removeprefix("|")
    row = row[:-1] if row.endswith("|") and not row.endswith("\\|") else row
    count, escaped = 1, False
    for char in row:
        if char == "|" and not escaped:
            count += 1
        escaped = char == "\\" and not escaped
    return count


def parse_table(tokens, index, path, source):
    """The pipe table starting at ``tokens[index]``: its header and body rows, each
    row checked against the source for as many cells as the header has. Returns the
    table and the index of its ``table_close``."""
    line = tokens[index].map[0] + 1
    source_lines = source.split("\n")
    rows, row = [], None
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            row = (token.map[0] + 1, [])
            rows.append(row)
        elif token.type == "inline":
            row[1].append(Text(inline_text(token), row[0]))
        index += 1
    (_, header), body = rows[0], rows[1:]
    if not body:
        raise PaibanError("table with a header row only", path, line,
                          fix="add rows under the '|---|' line, or delete the table")
    for row_line, cells in rows:
        written = row_cells(source_lines[row_line - 1])
        if written != len(header):
            raise PaibanError(f"table row of {written} cells under a header of "
                              f"{len(header)}", path, row_line,
                              fix="give every row as many '|' cells as the header")
    if not any(cell.text for _, cells in body for cell in cells):
        raise PaibanError("table with no text in its rows", path, line,
                          fix="fill in the rows, or delete the table")
    return Table(header, [cells for _, cells in body], line), index


def heading_text(inline, path, line):
    text = inline_text(inline)
    if not text:
        raise PaibanError("heading with no text", path, line,
                          fix="write the heading text after the # marks, or delete the line")
    return Text(text, line)


def target(article, section, path, line):
    """Where body blocks and photos go: the current section, or an untitled one
    opened for them before the first titled one."""
    if section is None:
        if not article.sections or article.sections[0].title is not None:
            article.sections.insert(0, Section(None, None, line=line))
        section = article.sections[0]
    return section


def add_photos(article, section, images, token, path, line):
    rest = "".join(c.content for c in token.children if c.type == "text").strip()
    if rest:
        raise PaibanError("text next to a photo", path, line,
                          fix="put each '![caption](file)' on a line of its own")
    for image in images:
        caption = image.content.strip()
        if not caption:
            raise PaibanError("photo without caption", path, line,
                              fix="write the caption between the brackets: ![caption](file)")
        # markdown-it percent-encodes the URL (photos/会场.jpg → photos/%E4…): the
        # file is named by the decoded path, everywhere after the parser.
        photo = Photo(Text(caption, line), unquote(image.attrs.get("src") or "") or None, line,
                      **photo_attributes(image.attrs.get("title") or "", path, line))
        target(article, section, path, line).photos.append(photo)


PHOTO_KEYS = ("columns", "aspect", "focus")
MAX_PHOTO_COLUMNS = 7  # the widest grid, 8 columns, keeps one for text
PHOTO_EXAMPLE = '![caption](photos/01.jpg "columns=3 aspect=3:2 focus=50%,30%")'


def photo_attributes(title, path, line):
    """What the editor asks of a photo's frame, from the image title: ``columns=N``
    (base columns wide), ``aspect=W:H`` (frame shape), ``focus=X%,Y%`` (the point the
    crop keeps in view). Each key once, each value checked, all optional."""
    values = {}
    for word in title.split():
        key, equals, value = word.partition("=")
        if key not in PHOTO_KEYS:
            raise unknown_key(key, PHOTO_KEYS, path, line, "a photo's title")
        if not equals or not value:
            raise PaibanError(f"photo {key} has no value", path, line,
                              fix=f"write {key}=…, e.g. {PHOTO_EXAMPLE}")
        if key in values:
            raise PaibanError(f"photo {key} given twice", path, line,
                              fix=f"keep one {key}=…")
        values[key] = PHOTO_VALUES[key](value, path, line)
    return values


def photo_columns(value, path, line):
    if not value.isdigit() or not 1 <= int(value) <= MAX_PHOTO_COLUMNS:
        raise PaibanError(f"photo columns={shown(value)} is not a number of columns",
                          path, line, fix=f"use a whole number from 1 to {MAX_PHOTO_COLUMNS}, "
                          "e.g. columns=3")
    return int(value)


def photo_aspect(value, path, line):
    """``W:H`` as the frame's height over its width, from 1:3 to 3:1."""
    width, colon, height = value.partition(":")
    try:
        ratio = float(height) / float(width) if colon else None
    except (ValueError, ZeroDivisionError):
        ratio = None
    if ratio is None or not 1 / 3 <= ratio <= 3:
        raise PaibanError(f"photo aspect={shown(value)} is not a frame shape", path, line,
                          fix="write width:height between 3:1 and 1:3, e.g. aspect=3:2 "
                              "(landscape) or aspect=2:3 (portrait)")
    return ratio


def photo_focus(value, path, line):
    """``X%,Y%`` from the image's top-left corner, as fractions."""
    parts = value.split(",")
    try:
        point = tuple(float(part.removesuffix("%")) / 100 for part in parts
                      if part.endswith("%"))
    except ValueError:
        point = ()
    if len(parts) != 2 or len(point) != 2 or not all(0 <= p <= 1 for p in point):
        raise PaibanError(f"photo focus={shown(value)} is not a point of the photo", path,
                          line, fix="give across and down from the top-left corner, "
                                    "0% to 100% each, e.g. focus=50%,30%")
    return point


PHOTO_VALUES = {"columns": photo_columns, "aspect": photo_aspect, "focus": photo_focus}


def check_photo_columns(pages, geometry):
    """A photo can be as wide as the paper's grid less one column, kept for text."""
    widest = geometry.columns - 1
    for page in pages:
        for photo in page.article.photos:
            if photo.columns and photo.columns > widest:
                raise PaibanError(f"photo columns={photo.columns} is wider than a "
                                  f"{geometry.name} page's photos can be ({widest} of its "
                                  f"{geometry.columns} columns)", page.path, photo.line,
                                  fix=f"use columns=1 to columns={widest}")
