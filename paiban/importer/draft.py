"""The draft page source an import writes, whatever the copy came from.

Both importers (text extracted from a printed page, a Word document) recognise the
same parts of a story into an :class:`Imported`, which is written in paiban's page
source format, summarised for the editor, and checked to hold every character of the
input as often as the input does: an import never drops a character.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from ..errors import PaibanError

BYLINE = re.compile(r"^(本报(特约)?记者|本报通讯员|记者|通讯员|特约记者|文/|文：)")
CREDIT = re.compile(r"^[（(](本版)?(图片|图)[^）)]*[）)]$|^[（(][^）)]*摄[）)]$")


@dataclass
class Imported:
    headline: list = field(default_factory=list)
    subtitle: str = ""
    byline: str = ""
    lead: list = field(default_factory=list)
    # dicts: title (None before the first titled section), subheading, blocks, and
    # photos as (caption, file) pairs, file "" when the input has none
    sections: list = field(default_factory=list)
    credit: str = ""
    doubled: list = field(default_factory=list)  # headline lines printed twice in the input
    unrecognised: list = field(default_factory=list)  # input line numbers


def escape_line(text):
    """Keep copy from being read as markup when it starts like a block of the source
    format (lists are not part of it: "1. " stays text unescaped)."""
    text = text.replace("\\", "\\\\")
    if re.match(r"^(#|>|:::|!\[)", text):
        return "\\" + text
    return text


def to_source(imported, page=1, title="专版"):
    """Write the recognised structure in paiban's page source format."""
    out = ["---", f"page: {page}", f"title: {title}", "layout: feature",
           "editors:", "  editor: 示例编辑", "  art_editor: 示例美编",
           "  proofreader: 示例校对", "---", ""]
    out += [f"# {escape_line(line)}" for line in imported.headline] + [""]
    for name in ("subtitle", "byline"):
        if getattr(imported, name):
            out += [f"::: {name}", getattr(imported, name), ":::", ""]
    if imported.lead:
        out += ["::: lead"]
        for paragraph in imported.lead:
            out += [escape_line(paragraph), ""]
        out[-1] = ":::"
        out += [""]
    for section in imported.sections:
        if section["title"]:
            out += [f"## {escape_line(section['title'])}"]
        if section["subheading"]:
            out += [f"### {escape_line(section['subheading'])}"]
        out += [""]
        for kind, content in section["blocks"]:
            if kind == "quote":
                out += [f"> {escape_line(line)}" for line in content] + [""]
            else:
                out += [escape_line(content), ""]
        for caption, file in section["photos"]:
            out += [f"![{caption.replace(']', '］')}]({file})", ""]
    if imported.credit:
        out += ["::: credit", imported.credit, ":::", ""]
    return "\n".join(out)


def summary(imported):
    sections = imported.sections
    paragraphs = sum(kind == "paragraph" for s in sections for kind, _ in s["blocks"])
    quotes = sum(kind == "quote" for s in sections for kind, _ in s["blocks"])
    lines = [
        f"headline      {len(imported.headline)} line(s): {' / '.join(imported.headline)}",
        f"subtitle      {'yes' if imported.subtitle else 'no'}",
        f"byline        {imported.byline or 'no'}",
        f"lead          {len(imported.lead)} paragraph(s)",
        f"sections      {len(sections)}: " + "、".join(s["title"] or "—" for s in sections),
        f"pull quotes   {quotes}",
        f"paragraphs    {paragraphs}",
        f"captions      {sum(len(s['photos']) for s in sections)}",
        f"credit        {'yes' if imported.credit else 'no'}",
    ]
    if imported.unrecognised:
        lines.append("not recognised, kept as lead paragraphs: input line(s) "
                     + ", ".join(map(str, imported.unrecognised)))
    return "\n".join(lines)


def significant(text):
    return Counter(char for char in text if not char.isspace())


def check_nothing_lost(raw, imported, source):
    """Every non-space character of the input is in the source as often (markup aside)."""
    from ..source import markdown, parse_article
    expected = significant(raw)
    for line in imported.doubled:  # the extractor printed these headline lines twice
        expected.subtract(significant(line))
    article = parse_article(markdown().parse(source), "<import>")
    got = Counter()
    for text in article.texts():
        got.update(significant(text.text))
    missing = +(expected - got)
    extra = +(got - expected)
    if missing or extra:
        raise PaibanError(f"import would change the text: missing {dict(missing)}, "
                          f"extra {dict(extra)}", fix="report this input as an importer bug")
