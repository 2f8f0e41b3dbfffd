"""Turn a Word or WPS document (.docx) into a page source file.

Editors write copy in Word: the document's styles say what each paragraph is, so
nothing is guessed from line lengths as for an extraction. Title is the headline
(a line per line break), Heading 1 a section and Heading 2 its subheading; in a
document without Title the headings move up one: Heading 1 the headline, Heading 2
a section, Heading 3 its subheading. Subtitle is the subtitle, Quote a pull quote,
list items are body paragraphs with their number or bullet written out, pictures are
photos (the files written beside the page source) with the paragraph after each as
its caption (or a Caption paragraph just before it).
What a page has no place for — tables, text boxes, footnotes, comments, tracked
changes, equations, embedded objects — and text it cannot read (fields, content
controls) is an error naming the paragraph, so that nothing vanishes on the way.
"""

import re
from pathlib import Path
from zipfile import BadZipFile

from ..chars import is_latin_text, join_wrapped
from ..errors import PaibanError
from .draft import (
    BYLINE,
    CREDIT,
    Imported,
    check_nothing_lost,
    significant,
    summary,
    to_source,
)

# Paragraph roles by style name, as Word and WPS name the built-in styles (English
# names in the file whatever the interface language, Chinese in some WPS files);
# headings ("Heading 2", "标题 2") by level, see style_role.
ROLES = {"title": "title", "标题": "title", "subtitle": "subtitle", "副标题": "subtitle",
         "quote": "quote", "intense quote": "quote", "引用": "quote", "明显引用": "quote",
         "caption": "caption", "题注": "caption"}
HEADING = re.compile(r"(?:heading|标题) ?(\d)")

# XPath queries use python-docx's prefixes (w, a, r, m, c …); VML (v:), which it
# does not know, by local name.
VML = "*[local-name()='{}']"
# What the source format cannot hold, found in a paragraph: (XPath, what, what to do).
UNMAPPABLE = [
    (".//w:txbxContent | .//" + VML.format("textbox"), "a text box",
     "move its text into the body as paragraphs"),
    (".//w:footnoteReference", "a footnote", "write the note into the text or delete it"),
    (".//w:endnoteReference", "an endnote", "write the note into the text or delete it"),
    (".//w:commentReference | .//w:commentRangeStart", "a comment",
     "resolve and delete the comments (Review → Delete all comments)"),
    (".//w:ins | .//w:del | .//w:moveFrom | .//w:moveTo", "a tracked change",
     "accept or reject all changes (Review → Accept all changes)"),
    (".//m:oMath", "an equation", "write it as text or delete it"),
    (".//c:chart | .//w:object", "a chart or embedded object",
     "export it as a picture and insert the picture"),
]
SPACES = " \u00a0\u3000\t"
# Body children that carry no text: the last section's page setup, bookmarks.
IGNORED = {"{http://schemas.openxmlformats.org/wordprocessingml/2006/main}" + name
           for name in ("sectPr", "bookmarkStart", "bookmarkEnd")}
CHINESE_NUMBERS = "零一二三四五六七八九"


def import_docx(path, page=1, title="专版"):
    """A .docx file -> (source text, summary, photos); photos are (relative file name,
    bytes) pairs for the caller to write beside the page source."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    path = Path(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, BadZipFile, KeyError, ValueError, SyntaxError) as error:
        # not a zip, a zip without a document part, or XML that does not parse
        raise PaibanError(f"not a Word document that can be read ({error})", path,
                          fix="save it from Word or WPS as .docx (Word document)") from None
    reader = Reader(document, path, re.sub(r"[^\w.-]+", "-", path.stem))
    imported, texts = reader.read()
    source = to_source(imported, page, title)
    check_nothing_lost("\n".join(texts), imported, source)
    return source, summary(imported), reader.photos


class Reader:
    """Walks the document body once, in order, keeping where it is (the paragraph
    number and the heading it follows, for errors) and what it has built."""

    def __init__(self, document, path, stem):
        self.document = document
        self.path = path
        self.stem = stem
        self.imported = Imported()
        self.texts = []      # every piece of text placed, for the nothing-lost check
        self.photos = []     # (file name, bytes)
        self.number = 0      # paragraph number in the document, counting tables
        self.heading = None  # the last heading passed
        self.section = None
        self.pending = []    # photo files waiting for their caption
        self.caption_before = None  # a Caption paragraph, until a picture follows it
        self.list_counts = {}
        # The top level the document uses is the headline: Title, else Heading 1.
        self.levels = ("headline", "section", "subheading")[
            any(style_role(p) == "title" for p in document.paragraphs):]

    def read(self):
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph
        body = self.document.element.body
        for element in body.iterchildren():
            if element.tag in IGNORED:
                continue
            self.number += 1
            if element.tag == qn("w:tbl"):
                self.fail("a table", "pages have no tables: write its content as "
                          "paragraphs, or make it a picture")
            if element.tag != qn("w:p"):
                self.fail("a content control or other block the importer cannot read",
                          "make its content plain paragraphs (e.g. remove the content control)")
            self.paragraph(Paragraph(element, self.document._body))
        self.caption_is_text()
        if self.pending:
            self.fail("a picture without a caption",
                      "write the caption in the paragraph after the picture")
        self.lead_of_a_story_without_sections()
        if not self.imported.headline:
            raise PaibanError("the document has no headline", self.path,
                              fix="give the headline the style Title or Heading 1")
        return self.imported, self.texts

    def fail(self, what, fix):
        after = f" after the heading “{self.heading}”" if self.heading else ""
        raise PaibanError(f"paragraph {self.number}{after}: {what}", self.path, self.number,
                          fix=fix)

    def paragraph(self, paragraph):
        element = paragraph._p
        for query, what, fix in UNMAPPABLE:
            if element.xpath(query):
                self.fail(what, fix)
        if significant("".join(element.xpath(".//w:t/text()"))) != \
                significant(paragraph.text):  # text in a field, content control …
            self.fail("text the importer cannot read (in a field or content control)",
                      "make it plain text: select it and press Ctrl+Shift+F9, or remove "
                      "the content control")
        pictures = self.pictures(element)
        role = self.role(paragraph)
        lines = [clean_spaces(line) for line in paragraph.text.split("\n")]
        lines = [line for line in lines if line]
        if pictures:
            if lines and len(pictures) == 1:  # a picture and, below it, its caption
                self.add_photo(join_lines(lines), pictures[0])
                return
            if lines:
                self.fail("text beside pictures", "put each picture in a paragraph of its "
                          "own, its caption after it")
            if self.caption_before is not None:
                self.add_photo(self.caption_before[0], pictures[0])
                pictures = pictures[1:]
            self.pending += pictures
            self.caption_before = None
            return
        if not lines:
            return
        text = join_lines(lines)
        if self.pending:
            if role in ("headline", "section", "subheading"):
                self.fail("a picture without a caption",
                          "write the caption in the paragraph after the picture")
            self.add_photo(text, self.pending.pop(0))
            return
        self.caption_is_text()
        if role == "caption":
            self.caption_before = text, lines, paragraph
        else:
            self.place(role, text, lines, paragraph)

    def lead_of_a_story_without_sections(self):
        """Without section headings the lead is the first paragraph; the others are
        the body, not one long lead."""
        imported = self.imported
        if any(section["title"] for section in imported.sections) or len(imported.lead) < 2:
            return
        if not imported.sections:
            imported.sections.append({"title": None, "subheading": "", "blocks": [],
                                      "photos": []})
        imported.sections[0]["blocks"][:0] = [("paragraph", text) for text in imported.lead[1:]]
        del imported.lead[1:]

    def caption_is_text(self):
        """A Caption paragraph no picture followed is body text."""
        if self.caption_before is not None:
            self.place(None, *self.caption_before)
            self.caption_before = None

    def place(self, role, text, lines, paragraph):
        imported = self.imported
        self.texts.append(text)
        if role == "headline":
            if imported.sections:
                self.fail("a headline after the first section",
                          "move it to the top, or make it a section heading or body text")
            imported.headline += lines
            self.heading = text
        elif role == "subtitle" or (role is None and imported.headline and not imported.lead
                                    and not imported.sections and text.startswith("——")):
            imported.subtitle = text
        elif role == "section":
            self.section = {"title": text, "subheading": "", "blocks": [], "photos": []}
            imported.sections.append(self.section)
            self.heading = text
        elif role == "subheading":
            if self.section is None or self.section["subheading"] or self.section["blocks"]:
                self.fail("a subheading that does not follow its section heading",
                          "make it a section heading, or body text")
            self.section["subheading"] = text
            self.heading = text
        elif role == "quote" and self.section is not None:
            self.section["blocks"].append(("quote", lines))
        elif not imported.byline and not imported.lead and not imported.sections \
                and BYLINE.match(text) and len(text) <= 40:
            # Spaces of a byline are deliberate ("本报记者 罗 鸣").
            imported.byline = paragraph.text.strip()
            self.texts[-1] = imported.byline
        elif CREDIT.match(text):
            imported.credit = text
        else:  # body text, and a quote in the lead, which has no pull quotes
            text = self.list_marker(paragraph) + text
            self.texts[-1] = text
            if self.section is None:
                imported.lead.append(text)
            else:
                self.section["blocks"].append(("paragraph", text))

    def add_photo(self, caption, file):
        if self.section is None:
            self.section = {"title": None, "subheading": "", "blocks": [], "photos": []}
            self.imported.sections.append(self.section)
        self.section["photos"].append((caption, file))
        self.texts.append(caption)

    def role(self, paragraph):
        """headline, subtitle, section, subheading, quote, caption or None (body)."""
        role = style_role(paragraph)
        if role == "title":
            return "headline"
        if isinstance(role, int):
            if role > len(self.levels):
                self.fail(f"a Heading {role} paragraph", "restyle it: the page has "
                          f"headings down to Heading {len(self.levels)}")
            return self.levels[role - 1]
        return role

    def pictures(self, element):
        """The pictures of a paragraph, their bytes kept as photo files."""
        ids = element.xpath(".//a:blip/@r:embed | .//" + VML.format("imagedata") + "/@r:id")
        files = []
        for rid in ids:
            part = self.document.part.related_parts[rid]
            extension = Path(part.partname).suffix.lower().replace(".jpeg", ".jpg")
            name = f"photos/{self.stem}-{len(self.photos) + 1:02d}{extension}"
            self.photos.append((name, part.blob))
            files.append(name)
        return files

    def list_marker(self, paragraph):
        """'1.', '（一）', '●' … as the list numbering shows it; '' outside lists."""
        found = numbering_of(paragraph)
        if found is None:
            return ""
        num_id, level = found
        key = (num_id, level)
        self.list_counts[key] = self.list_counts.get(key, 0) + 1
        for other in list(self.list_counts):  # a higher level restarts the lower ones
            if other[0] == num_id and other[1] > level:
                del self.list_counts[other]
        number_format, text = level_format(self.document, num_id, level)
        count = self.list_counts[key]
        if number_format == "bullet":
            return "●"
        if number_format.startswith(("chinese", "ideograph", "taiwanese")):
            shown = chinese_number(count)
        else:
            shown = str(count)
        return re.sub(r"%\d", shown, text or "%1.")


def style_role(paragraph):
    """The role the paragraph's style (or its base styles) names: a ROLES value, a
    heading level (1, 2 …) or None; an outline level set on the paragraph counts as
    a heading."""
    style = paragraph.style
    while style is not None:
        name = (style.name or "").strip().lower()
        if name in ROLES:
            return ROLES[name]
        match = HEADING.fullmatch(name)
        if match:
            return int(match.group(1))
        style = style.base_style
    level = paragraph._p.xpath("./w:pPr/w:outlineLvl/@w:val")
    return int(level[0]) + 1 if level and int(level[0]) < 9 else None


def numbering_of(paragraph):
    """(numId, level) of a list paragraph, from the paragraph or its style."""
    sources = [paragraph._p]
    style = paragraph.style
    while style is not None:
        sources.append(style.element)
        style = style.base_style
    for element in sources:
        num_id = element.xpath("./w:pPr/w:numPr/w:numId/@w:val")
        if num_id:
            if num_id[0] == "0":  # numbering switched off
                return None
            level = element.xpath("./w:pPr/w:numPr/w:ilvl/@w:val")
            return num_id[0], int(level[0]) if level else 0
    return None


def level_format(document, num_id, level):
    """The number format and level text ('decimal', '%1.') of a list level."""
    from docx.oxml.ns import qn
    found = "decimal", "%1."
    try:
        numbering = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return found
    abstract = [num.find(qn("w:abstractNumId")).get(qn("w:val"))
                for num in numbering.findall(qn("w:num")) if num.get(qn("w:numId")) == num_id]
    for definition in numbering.findall(qn("w:abstractNum")):
        if abstract and definition.get(qn("w:abstractNumId")) == abstract[0]:
            for lvl in definition.findall(qn("w:lvl")):
                if lvl.get(qn("w:ilvl")) == str(level):
                    number_format, text = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText"))
                    found = (found[0] if number_format is None else number_format.get(qn("w:val")),
                             found[1] if text is None else text.get(qn("w:val")))
    return found


def chinese_number(count):
    """1 → 一, 12 → 十二, 20 → 二十 (list numbers in Chinese)."""
    if count < 10:
        return CHINESE_NUMBERS[count]
    tens, ones = divmod(count, 10)
    return (CHINESE_NUMBERS[tens] if tens > 1 else "") + "十" + (
        CHINESE_NUMBERS[ones] if ones else "")


def join_lines(lines):
    """The lines of a paragraph (Word's line breaks) joined as wrapped lines are."""
    text = ""
    for line in lines:
        text = join_wrapped(text, line)
    return text


def clean_spaces(line):
    """Typed spaces as the source format keeps them: one between two Latin
    characters, none beside a Han character or full-width mark (the composer sets
    the Han–Latin gap; a typed one would be set twice)."""
    out = ""
    pending = False
    for char in line.strip(SPACES):
        if char in SPACES:
            pending = True
            continue
        if pending and is_latin_text(out[-1]) and is_latin_text(char):
            out += " "
        pending = False
        out += char
    return out

