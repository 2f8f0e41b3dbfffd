"""Turn text extracted from a printed page into a page source file.

Extracted text keeps the old page's columns: hard line breaks at the column width,
blank lines where a column ended (sometimes mid-sentence), spaces that justification
put between characters, a headline doubled by the extractor, and captions and credit
gathered after the text. The importer reflows and recognises the structure, and it
checks that every non-space character of the input reaches the output exactly as
often (a doubled headline once): it never drops a character.

Spaces are text too, where they stand between two Latin words ("GB/T 15834",
"10.5 pt"); the extraction adds others. Which is which follows from how a justified
line is spread (``line_text``): nothing is looked up in a word list.
"""

import re
from dataclasses import dataclass
from itertools import groupby

from ..chars import CLOSING, is_han, is_latin_text, join_wrapped
from ..errors import PaibanError
from .draft import BYLINE, CREDIT, Imported, check_nothing_lost, summary, to_source

PHOTO_POSITION = re.compile(r"（[左右中前后]\s*\d+\s*）")
CLAUSE_MARKS = set("，。；！？：…")
PARAGRAPH_END = set("。！？…：")
SPACES = " \u3000\u00a0"


@dataclass
class Block:
    lines: list  # raw lines, spaces kept
    line: int    # first line number in the input

    @property
    def text(self):
        joined = ""
        for part in self.lines:
            joined = join_wrapped(joined, line_text(part))
        return joined


def line_text(line):
    """One extracted line with only its real spaces, one each.

    The rule, from how a justified line is spread:
    - a space next to a Han character or a full-width mark is never text: the
      composer sets Han–Latin gaps, and the extraction's spacing is not copy;
    - a line spread letter by letter shows it: a space between two Han characters or
      before a full-width mark (nothing else puts one there; after a mark its blank
      half takes the spacing, and a space there may part two captions), a run of three
      or more single Latin characters one space apart ("U n i c o d e"), or spaces
      between Latin characters of two widths (a word space is wider than the letter
      spacing, so it shows as two or more spaces). There a single space between Latin
      characters is letter spacing ("Unicod e", "head ings") and a wider one a word
      space;
    - in any other line a space between Latin characters is a word space.
    A word space at a line break comes back when the lines are joined (join_wrapped).
    """
    runs = ["".join(run) for _, run in groupby(line.strip(), key=character_kind)]
    gaps = {i for i, run in enumerate(runs) if run[0] in SPACES}
    latin = {i for i in gaps if is_latin_text(runs[i - 1][-1]) and is_latin_text(runs[i + 1][0])}
    letters = spaced_letters(runs, latin)
    widths = {len(runs[i]) for i in latin}
    spread = letters or len(widths) > 1 and 1 in widths or any(
        is_han(runs[i - 1][-1]) and is_han(runs[i + 1][0])
        or not is_han(runs[i + 1][0]) and not is_latin_text(runs[i + 1][0]) for i in gaps)
    return "".join(
        " " if i in latin and not (spread and len(run) == 1) else "" if i in gaps else run
        for i, run in enumerate(runs))


def character_kind(char):
    return 0 if char in SPACES else 1 if is_latin_text(char) else 2


def spaced_letters(runs, latin):
    """The gaps inside runs of three or more single Latin characters one space apart:
    a word the extraction spread letter by letter."""
    between_singles = [i for i in sorted(latin)
                       if runs[i] == " " and len(runs[i - 1]) == len(runs[i + 1]) == 1]
    inside, chain = set(), []
    for i in [*between_singles, None]:
        if chain and i == chain[-1] + 2:
            chain.append(i)
            continue
        if len(chain) >= 2:
            inside.update(chain)
        chain = [i]
    return inside


def split_blocks(text):
    blocks, current = [], None
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if current is None:
                current = Block([], number)
                blocks.append(current)
            current.lines.append(line.rstrip())
        else:
            current = None
    return blocks


def undouble(part):
    """'团结奋斗启新程团结奋斗启新程' -> '团结奋斗启新程' (an extractor artefact)."""
    half = len(part) // 2
    if len(part) % 2 == 0 and half and part[:half] == part[half:]:
        return part[:half]
    return part


def is_heading(block):
    """Two short lines without sentence marks, the second longer: a section title and
    its subheading (two lines of a column are as long as each other)."""
    if len(block.lines) != 2:
        return False
    title, sub = (line_text(line) for line in block.lines)
    return len(title) <= 10 and len(title) < len(sub) <= 30 and not (
        CLAUSE_MARKS & set(title + sub))


def is_pull_quote(block):
    """A couplet: short lines of equal length, each ending a clause."""
    lines = [line.strip() for line in block.lines]
    return 2 <= len(lines) <= 4 and len({len(line) for line in lines}) == 1 \
        and len(lines[0]) <= 16 and all(line[-1] in "，。；！？" for line in lines)


def split_captions(lines):
    """Lines holding several captions ('…情况。 大武口区…工作。') into one per sentence:
    the extraction set them one after another on a line, with a space between."""
    parts = re.split(r"(?<=[。！？])[ \u3000\u00a0]+", "\n".join(line.strip() for line in lines))
    captions = []
    for part in parts:
        caption = ""
        for line in part.split("\n"):
            caption = join_wrapped(caption, line_text(line))
        captions += [caption] if caption else []
    return captions


def is_caption_block(block):
    """Several short sentences set one after another on a line, or a short block
    naming a position in a photo ('（右4）'); sentences one per line are not enough,
    as a paragraph's tail after a column break can look like that."""
    captions = split_captions(block.lines)
    return len(captions) > 1 and all(len(c) <= 60 and c[-1] in "。！？" for c in captions) \
        or bool(PHOTO_POSITION.search(" ".join(block.lines))) and len(block.text) <= 60


def ends_paragraph(text):
    """A block that ends a sentence or a colon ends its paragraph; one that stops
    anywhere else was cut by a column break and the next block continues it. (A
    column break just after a sentence or a colon reads as a paragraph end: the
    extraction keeps nothing that tells the two apart.)"""
    return text.rstrip("".join(CLOSING))[-1:] in PARAGRAPH_END


def recognise(text):
    """Structure of an extracted page, from its blocks of lines."""
    result = Imported()
    blocks = split_blocks(text)
    if not blocks:
        raise PaibanError("the input has no text", fix="give the extracted text of a page")
    head = blocks.pop(0)
    for line in head.lines:
        stripped = line.strip()
        if stripped.startswith("——"):
            result.subtitle = line_text(stripped)
        elif not result.subtitle:
            for part in stripped.split():
                result.headline.append(undouble(part))
                if undouble(part) != part:
                    result.doubled.append(undouble(part))
        else:
            result.unrecognised.append(head.line)
            result.lead.append(line_text(stripped))
    if blocks and BYLINE.match(blocks[0].lines[0].strip()) and len(blocks[0].lines) == 1:
        result.byline = blocks.pop(0).lines[0].strip()

    section = None
    after_credit = False
    paragraph = None  # the open paragraph, which a mid-sentence block continues
    for block in blocks:
        joined = block.text
        if CREDIT.match(joined):
            result.credit = joined
            after_credit = True
            paragraph = None
        elif after_credit or is_caption_block(block):
            photos = result.sections[-1]["photos"] if result.sections else None
            if photos is None:
                result.unrecognised.append(block.line)
                result.lead.append(joined)
                continue
            photos.extend((caption, "") for caption in (
                split_captions(block.lines) if not after_credit else [joined]))
        elif paragraph is not None and not ends_paragraph(paragraph[1]):
            # Continued after a column break (and any captions set between the
            # columns), whatever the rest looks like.
            paragraph[1] = join_wrapped(paragraph[1], joined)
        elif is_heading(block):
            title, sub = (line_text(line) for line in block.lines)
            section = {"title": title, "subheading": sub, "blocks": [], "photos": []}
            result.sections.append(section)
            paragraph = None
        elif section is not None and not section["blocks"] and is_pull_quote(block):
            section["blocks"].append(("quote", [line_text(line) for line in block.lines]))
        else:
            paragraph = ["paragraph", joined]
            (section["blocks"] if section else result.lead).append(paragraph)
    result.lead = [item[1] if isinstance(item, list) else item for item in result.lead]
    return result


def import_text(raw, page=1, title="专版"):
    """Raw extracted text -> (source text, summary)."""
    raw = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    imported = recognise(raw)
    source = to_source(imported, page, title)
    check_nothing_lost(raw, imported, source)
    return source, summary(imported)
