"""Read composed lines back from a rendered PDF and count clreq violations.

The placed page says where each frame is and which lines it holds; every glyph
position comes from the PDF (PyMuPDF), and every advance from the embedded face.
"""

import statistics
from collections import defaultdict
from dataclasses import dataclass

import pymupdf
import pyphen

from paiban.boxes import ComposedBox
from paiban.chars import FULLWIDTH_PUNCT, NOT_AT_END, NOT_AT_START, is_han, is_latin
from paiban.fit import Quote
from paiban.tables import ComposedTable

EDGE = 0.25       # pt: a justified line reaches both column edges within this
HYPHENATION = pyphen.Pyphen(lang="en_US")  # where an English word may break
NOISE = 0.05      # pt: glyph positions in the PDF jitter by a few hundredths
GRID = 0.05       # pt: glyphs within this of one baseline are one line


@dataclass
class Glyph:
    char: str
    x: float
    y: float
    right: float   # of the glyph's box: a —— ligature is one 2 em glyph on its first char
    role: str


@dataclass
class SetLine:
    """A composed line and the glyphs the PDF draws for it."""
    line: object
    glyphs: list
    left: float       # column edges, pt
    right: float
    size: float
    justified: bool
    paragraph_end: bool


def glyphs_of(pdf):
    page = pymupdf.open(pdf)[0]
    out = []
    flags = pymupdf.TEXTFLAGS_RAWDICT | pymupdf.TEXT_INHIBIT_SPACES
    for block in page.get_text("rawdict", flags=flags)["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                role = span["font"].split("paiban-")[-1].split("-")[0]  # no "-Heavy"
                out += [Glyph(c["c"], c["origin"][0], c["origin"][1], c["bbox"][2], role)
                        for c in span["chars"]]
    return out


def composed(frame, geometry):
    """(line, size, justified, inset) in reading order for a text frame; ``inset`` is
    how far (pt) the line starts inside the frame (a box's text). A table's cells are
    not lines of the column: :func:`table_lines` reads them."""
    if frame.kind == "column":
        for item in frame.lines:
            if isinstance(item.payload, Quote):
                yield from ((line, item.payload.size, False, 0.0)
                            for line in item.payload.lines)
            elif isinstance(item.payload, ComposedBox):
                yield from ((line, geometry.body_size, True, item.payload.inset)
                            for line in item.payload.lines)
            elif not isinstance(item.payload, ComposedTable):
                yield item.payload, geometry.body_size, True, 0.0
    elif frame.kind in ("lead", "caption"):
        yield from ((line, frame.size, True, 0.0) for line in frame.lines)


def column_items(placed, kind):
    """(item, left, top) in page points of the column items whose payload is a
    ``kind``, in the page's columns."""
    geometry = placed.geometry
    for frame in placed.frames:
        if frame.kind != "column":
            continue
        top = geometry.margin_top + frame.y
        for item in frame.lines:
            if isinstance(item.payload, kind):
                yield item, geometry.margin_left + frame.x, top
            top += item.height * geometry.pitch


def placed_tables(placed):
    """(table, left, top) in page points of every table the page's columns hold."""
    for item, left, top in column_items(placed, ComposedTable):
        yield item.payload, left, top


def rows_of(glyphs):
    rows = defaultdict(list)
    for glyph in glyphs:
        rows[round(glyph.y / GRID)].append(glyph)
    return [rows[key] for key in sorted(rows)]  # each in the PDF's text order


def table_lines(pdf, placed):
    """Every composed line of the page's table cells with its PDF glyphs, its cell's
    edges as the line's, as :class:`SetLine`: the same checks as body text apply
    (the header row's lines are centred, not justified)."""
    geometry = placed.geometry
    glyphs = glyphs_of(pdf)
    out = []
    for table, left, top in placed_tables(placed):
        y = top + geometry.pitch  # the rows start a line down, on the grid
        for row, count in zip([table.header, *table.rows], table.row_lines):
            for cell, x, width in zip(row, table.lefts, table.widths):
                if not cell.lines:
                    continue
                inside = [g for g in glyphs if left + x - 3 <= g.x < left + x + width
                          and y < g.y <= y + count * geometry.pitch]
                for glyphs_row, line in zip(rows_of(inside), cell.lines):
                    out.append(SetLine(line, glyphs_row, left + x,
                                       left + x + line.measure * geometry.body_size,
                                       geometry.body_size, row is not table.header,
                                       line.last))  # the header is centred
            y += count * geometry.pitch
    return out


def in_tables(glyph, placed):
    """Whether a glyph is set in one of the page's tables."""
    pitch = placed.geometry.pitch
    return any(left - 1 <= glyph.x < left + table.width
               and top < glyph.y <= top + table.height * pitch
               for table, left, top in placed_tables(placed))


def set_lines(pdf, placed):
    """Every composed line of the page with its PDF glyphs, frame by frame."""
    geometry = placed.geometry
    glyphs = glyphs_of(pdf)
    out = []
    for frame in placed.frames:
        lines = list(composed(frame, geometry))
        if not lines:
            continue
        left = geometry.margin_left + frame.x
        top = geometry.margin_top + frame.y
        inside = [g for g in glyphs if left - 6 <= g.x < left + frame.width + 3
                  and top < g.y <= top + frame.height and not in_tables(g, placed)]
        rows = rows_of(inside)
        assert len(rows) == len(lines), f"{frame.kind} at line {frame.source_line}: " \
            f"{len(rows)} rows in the PDF for {len(lines)} composed lines"
        for row, (line, size, justified, inset) in zip(rows, lines):
            out.append(SetLine(line, row, left + inset, left + inset + line.measure * size
                               + line.indent * size, size, justified, line.last))
    return out


def word_split(text, following, hyphen_added):
    """How a line printing ``text`` breaks the Latin word that ``following`` (the next
    line's text) may go on with: None (not inside a word, or after the word's own
    hyphen), "hyphen" (an added hyphen at a hyphenation point of the word, or where
    a compound in camel case joins its parts: "Weasy-|Print") or "split" (without a
    hyphen, or not at a hyphenation point)."""
    if hyphen_added:
        head = text[:-1]
        start = len(head)
        while start and is_latin(head[start - 1]):
            start -= 1
        end = 0
        while end < len(following) and is_latin(following[end]):
            end += 1
        word = head[start:] + following[:end]
        cut = len(head) - start
        compound = word[cut - 1:cut].islower() and word[cut:cut + 1].isupper()
        return "hyphen" if text.endswith("-") and (
            cut in HYPHENATION.positions(word) or compound) else "split"
    if text[-1:] and is_latin(text[-1]) and following[:1] and is_latin(following[0]):
        return "split"
    return None


def violations(lines, fonts, strict_level="strict"):
    """Counts of violations of issue 3's rules 1, 3, 4, 5, 6 and 8 and issue 13's
    Latin words, with examples."""
    found = defaultdict(list)
    for number, set_line in enumerate(lines):
        line, glyphs, size = set_line.line, set_line.glyphs, set_line.size
        text = "".join(g.char for g in glyphs)
        label = f"{text!r}"
        # 8: the PDF text of the line is the composed text, which is the source's,
        # but for the hyphen of a word broken at the line end.
        if text != line.text.rstrip(" ") + ("-" if line.hyphen else ""):
            found["8 text"].append(f"{label} != {line.text!r}")
            continue
        advance = [fonts.advance(g.role, g.char) * size for g in glyphs]
        ink = [fonts.ink_side(g.role, g.char) for g in glyphs]
        em = size
        # 1: prohibition, unsplit runs.
        if text[0] in NOT_AT_START[strict_level] or text[-1] in NOT_AT_END[strict_level]:
            found["1 prohibition"].append(label)
        following = lines[number + 1] if number + 1 < len(lines) else None
        if following and not set_line.paragraph_end and following.glyphs:
            pair = text[-1] + following.glyphs[0].char
            if pair in ("——", "……"):
                found["1 split"].append(f"{label} | {following.glyphs[0].char}")
            # A Latin word goes on on the next line only after a hyphen, at one of its
            # hyphenation points. From the PDF alone a line end at a word space cannot
            # be told from one inside a word (the space is not set): the source can.
            if not line.text.endswith(" "):
                split = word_split(text, "".join(g.char for g in following.glyphs),
                                   bool(line.hyphen))
                if split == "split":
                    found["13 latin word split"].append(
                        f"{label} | {following.line.text[:12]!r}")
        # Even spacing of the line, from Han–Han pairs.
        han_extra = [b.x - a.x - w for a, b, w in zip(glyphs, glyphs[1:], advance)
                     if is_han(a.char) and is_han(b.char)]
        # Without two Han characters side by side, the line's own spacing.
        spacing = statistics.median(han_extra) if han_extra else line.spacing * size
        # 5: Han–Han spacing small.
        if han_extra and max(han_extra) > 0.25 * em + NOISE:
            found["5 han gap over 0.25 em"].append(label)
        if han_extra and max(han_extra) >= 0.1 * em + NOISE:
            found["5 han gap over 0.1 em (1% allowed)"].append(label)
        for index, (a, b) in enumerate(zip(glyphs, glyphs[1:])):
            gap = b.x - a.x - advance[index] - spacing
            # 3: two adjacent full-width marks take 1.5 em, never 2.
            if a.char in FULLWIDTH_PUNCT and b.char in FULLWIDTH_PUNCT and ink[index] \
                    and ink[index + 1] and index + 2 < len(glyphs):
                pair = glyphs[index + 2].x - a.x - 2 * spacing
                if ink[index] == "right" and index == 0 and pair > 1.5 * em + 0.05:
                    pair -= 0.5 * em  # a halved opening mark at line start
                if pair > 1.5 * em + 0.05:
                    found["3 adjacent marks"].append(f"{label} {a.char}{b.char} {pair / em:.2f} em")
            # 4: a Han–Latin gap of at least ⅛ em (more where it took the slack);
            # none next to a full-width mark.
            if is_han(a.char) and is_latin(b.char) or is_latin(a.char) and is_han(b.char):
                if gap < 0.105 * em:
                    found["4 han-latin gap"].append(f"{label} {a.char}{b.char} {gap / em:.2f} em")
            if is_latin(a.char) and b.char in FULLWIDTH_PUNCT and ink[index + 1] != "right" \
                    or a.char in FULLWIDTH_PUNCT and is_latin(b.char) and ink[index] == "left":
                if gap > 0.05 * em and not (a.char in FULLWIDTH_PUNCT and ink[index] == "left"
                                            and abs(gap + 0.5 * em) < 0.05):
                    found["4 gap by a mark"].append(f"{label} {a.char}{b.char} {gap / em:.2f} em")
        # 5: both edges, every line but a paragraph's last.
        start = glyphs[0].x
        left = set_line.left + line.indent * size
        if set_line.justified and abs(start - left) > EDGE and not (
                ink[0] == "right" and abs(start + 0.5 * em - left) <= EDGE):
            found["5 left edge"].append(f"{label} off by {start - set_line.left:.2f} pt")
        end = max(glyph.right for glyph in glyphs[-2:])
        if set_line.justified and not set_line.paragraph_end and abs(end - set_line.right) > EDGE \
                and not (ink[-1] == "left" and abs(end - 0.5 * em - set_line.right) <= EDGE):
            found["5 right edge"].append(f"{label} short by {set_line.right - end:.2f} pt")
        # 6: no paragraph ends in a line of one character.
        if set_line.paragraph_end and number and not lines[number - 1].paragraph_end \
                and sum(1 for c in text if c not in FULLWIDTH_PUNCT) <= 1:
            found["6 one-character last line"].append(label)
    return dict(found)
