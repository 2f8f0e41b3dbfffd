"""Compose a data table for a text column: column widths, cell lines, figures on their digits.

A table is set as a three-line table (三线表) across the column it falls in: a rule
above, a hairline under the header row, a rule below; its rows are body lines on the
baseline grid, the outer rules half a line above and below them. Cell text is composed by the
CJK composer at its cell's measure (text columns are whole characters wide, so CJK
cells justify cleanly); the header row is in the house style's heavy face. A column
whose cells are all figures is aligned on the units digit (so on the decimal point
too): each figure is measured, split after its units digit, and placed so that the
splits of a column fall on one vertical. The faces of the lock have no tabular
figures that differ from their default ones (Song's ``tnum`` is a no-op, Hei's and
Kai's digits are tabular already), so the alignment is by measurement, not by hoping
that every digit is as wide as every other.
"""

import math
import re
from dataclasses import dataclass

GUTTER_CHARS = 1    # between two columns of the table
MIN_TEXT_CHARS = 6  # the narrowest a text column may wrap to: narrower, CJK sets badly
FIGURE = re.compile(r"[+\-−]?\d[\d,]*(?:\.\d+)?[^\d\s]{0,3}")  # 19.4万元, 100%, 6, -3.5


@dataclass
class Cell:
    """One cell: composed lines (text), or a figure with the offset (pt, from the
    cell's left) that puts its units digit on the column's digit line."""
    lines: list
    figure: str = ""
    offset: float = 0.0


@dataclass
class ComposedTable:
    width: float        # pt, the column's
    lefts: list         # pt from the table's left, per column
    widths: list        # pt, per column
    header: list        # Cells
    rows: list          # lists of Cells
    row_lines: list     # body lines per row, the header's first
    figures: list       # per column: aligned on the digit
    text: str           # the table's copy, for overset reports

    @property
    def lines(self):
        """Height of the ruled table in body lines (a line each row's line)."""
        return sum(self.row_lines)

    @property
    def height(self):
        """Whole body lines the table takes in its column: its rows, on the grid, and
        a line above and below them with the rules in their middle, so that the text
        after it stays on the grid."""
        return self.lines + 2


def is_figure(text):
    return bool(FIGURE.fullmatch(text))


def figure_parts(text):
    """A figure split after its units digit: ('19', '.4万元'), ('100', '%')."""
    integer = re.match(r"[+\-−]?\d[\d,]*", text).end()
    return text[:integer], text[integer:]


def compose_table(composer, table, width):
    """The table composed ``width`` points wide, or None when its columns cannot
    be set so narrow (figures never break, text columns wrap down to
    MIN_TEXT_CHARS characters)."""
    geometry = composer.geometry
    char = geometry.char
    count = len(table.header)
    columns = [[row[n] for row in table.rows] for n in range(count)]
    figures = [all(is_figure(c.text) for c in cells if c.text) and any(c.text for c in cells)
               for cells in columns]

    def natural(style, text):
        role, size, _ = composer.style(style)
        return composer.fonts.advance(role, text) * size

    digit_line, natural_widths = [], []
    for cells, header, figure in zip(columns, table.header, figures):
        head = natural("table_head", header.text)
        if figure:
            parts = [figure_parts(c.text) for c in cells if c.text]
            left = max(natural("table", a) for a, _ in parts)
            right = max(natural("table", b) for _, b in parts)
            digit_line.append((left, right))
            natural_widths.append(max(left + right, min(head, 4 * char)))
        else:
            digit_line.append(None)
            natural_widths.append(max([head] + [natural("table", c.text) for c in cells]))
    widths = column_widths(natural_widths, figures, width - (count - 1) * GUTTER_CHARS * char,
                           char)
    if widths is None:
        return None
    lefts = [sum(widths[:n]) + n * GUTTER_CHARS * char for n in range(count)]

    def cell(text, style, n):
        if style == "table" and figures[n] and text:
            integer, _ = figure_parts(text)
            _, right = digit_line[n]
            return Cell([], text, widths[n] - right - natural(style, integer))
        return Cell(composer.lines(text, style, widths[n]) if text else [])

    header = [cell(c.text, "table_head", n) for n, c in enumerate(table.header)]
    rows = [[cell(c.text, "table", n) for n, c in enumerate(row)] for row in table.rows]
    row_lines = [max(1, *(len(c.lines) for c in row)) for row in [header, *rows]]
    text = "".join(c.text for c in table.cells)
    return ComposedTable(width, lefts, widths, header, rows, row_lines, figures, text)


def column_widths(natural, figures, room, char):
    """Column widths (pt) that fill ``room``. Figure columns take their natural
    width, text columns theirs rounded up to whole characters; when that is too wide
    the widest text column gives up a character at a time (its cells wrap). The room
    left over is shared evenly: whole characters to the text columns, the rest to
    the figure columns (or to the last text column). None if the figures and text
    columns of MIN_TEXT_CHARS do not fit."""
    count = len(natural)
    text_columns = [n for n in range(count) if not figures[n]]
    figure_columns = [n for n in range(count) if figures[n]]
    widths = list(natural)
    chars = {n: math.ceil(natural[n] / char - 0.01) for n in text_columns}
    available = math.floor((room - sum(natural[n] for n in figure_columns)) / char + 0.01)
    if available < MIN_TEXT_CHARS * len(text_columns):
        return None
    while sum(chars.values()) > available:
        chars[max(chars, key=chars.get)] -= 1
    spare_chars = available - sum(chars.values())
    share = spare_chars // count if figure_columns else spare_chars // len(text_columns)
    for index, n in enumerate(text_columns):
        widths[n] = (chars[n] + share + (0 if figure_columns else
                                          index < spare_chars % len(text_columns))) * char
    spare = room - sum(widths)
    for n in figure_columns or text_columns[-1:]:
        widths[n] += spare / len(figure_columns or [n])
    return widths
