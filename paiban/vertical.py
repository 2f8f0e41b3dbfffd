"""Vertical headlines (竖排标题): a headline line composed into cells down a column.

WeasyPrint has no vertical writing mode, so paiban places each cell itself, as it
places body lines: the template sets every cell as an absolutely positioned box one
em high. A cell is one of three forms (clreq, 直排):

- ``upright``: a Han character or mark in its vertical form. The page shapes it
  horizontally with the OpenType features ``vert``/``vrt2`` (and ``fwid``, so that a
  dash or an ellipsis takes its full-width form first, which is the one with a
  vertical form); a vertical form drawn in its em box sits where vertical setting puts
  it (the comma at the top right). Its advance down the column is the face's vertical
  advance, from HarfBuzz shaping top to bottom with the same features. —— is one
  cell: its vertical form is one glyph two em long.
- ``rotated``: a run of Latin, or of more than two digits, turned 90° clockwise and
  advancing by its horizontal width.
- ``tcy`` (纵中横, tate-chu-yoko): two digits side by side in one em cell, in their
  half-width forms (``hwid``), scaled to one em where they are wider.

A single digit is upright in its full-width form. Where the box's line puts the
baseline is moved to where the glyph's vertical origin says it belongs (:func:`em_top`).
"""

from dataclasses import dataclass
from functools import cache

import uharfbuzz

from .chars import is_latin
from .fonts import SHAPING

# Features the page sets for each form (components.css .vertical): the measures here
# shape with the same ones.
UPRIGHT = SHAPING | {"fwid": True, "vert": True, "vrt2": True}
TCY = SHAPING | {"hwid": True}
TCY_DIGITS = 2  # longer numbers are rotated


@dataclass
class Cell:
    """A cell of a vertical column: ``text`` set in ``form`` from ``top`` em below the
    column's top, taking ``advance`` em down the column; ``width`` is the horizontal
    width in em of a tate-chu-yoko pair before it is scaled to one em, ``shift`` (em)
    how far down the template moves the cell's box so that the glyph sits in the
    cell."""
    text: str
    form: str
    top: float
    advance: float
    width: float = 1.0
    shift: float = 0.0

    @property
    def scale(self):
        return min(1.0, 1.0 / self.width) if self.width else 1.0


def units(text):
    """The text split into what each cell sets: one Han character or mark, a
    two-em dash, or a run of Latin letters, digits and the ASCII marks and spaces
    between them; each with whether it is such a narrow run."""
    out = []
    for char in text:
        narrow = is_latin(char) or " " <= char <= "~"
        if narrow and out and out[-1][1] or char == "—" and out and out[-1][0] == "—":
            out[-1][0] += char
        else:
            out.append([char, narrow])
    return [(run, narrow) for run, narrow in out]


def form_of(run, narrow):
    if not narrow:
        return "upright"
    if run.isascii() and run.isdigit():
        return "upright" if len(run) == 1 else "tcy" if len(run) <= TCY_DIGITS else "rotated"
    return "rotated"


@cache
def shaped(face, text, direction, features):
    """Glyph IDs, and the advance in em along ``direction``, of ``text`` in ``face``."""
    buffer = uharfbuzz.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = direction
    buffer.language = "zh-Hans"
    uharfbuzz.shape(face.shaper, buffer, dict(features))
    positions = buffer.glyph_positions
    advance = sum(-p.y_advance if direction == "ttb" else p.x_advance for p in positions)
    return [info.codepoint for info in buffer.glyph_infos], advance / face.units_per_em


def compose(fonts, role, text):
    """The cells of ``text`` set down a column in ``role``'s face (a character its
    face lacks, in the face of the role's chain that has it)."""
    cells, top = [], 0.0
    box = fonts.faces[role]  # the face whose ascent and descent place the box's line
    for run, narrow in units(text):
        form = form_of(run, narrow)
        face = fonts.face_for(role, run[0]) or box
        if form == "upright":
            glyphs, advance = shaped(face, run, "ttb", tuple(UPRIGHT.items()))
            width, top_of_box = 1.0, em_top(face, glyphs[0])
        elif form == "tcy":
            advance, top_of_box = 1.0, em_top(box)
            width = shaped(face, run, "ltr", tuple(TCY.items()))[1]
        else:
            advance = width = fonts.advance(role, run)
            top_of_box = em_top(box)
        cells.append(Cell(run, form, top, advance, width, top_of_box - baseline(box)))
        top += advance
    return cells


def length(cells):
    """The column length of ``cells`` in em."""
    return cells[-1].top + cells[-1].advance if cells else 0.0


def fitting(cells, room):
    """The leading cells that end within ``room`` em."""
    return [cell for cell in cells if cell.top + cell.advance <= room + 1e-6]


def baseline(face):
    """Where a box one em high (line-height 1) in ``face`` puts the baseline, in em
    from its top: the line box centres the face's ascent and descent (hhea, as Pango
    reads them) in the em, so at (1 + ascent - descent) / 2."""
    extents = face.shaper.get_font_extents("ltr")
    return (1 + (extents.ascender + extents.descender) / face.units_per_em) / 2


def em_top(face, glyph=None):
    """How far above the baseline the top of ``glyph``'s cell lies, in em: its
    vertical origin (0.88 em for a Noto ideograph; a two-em dash's lies higher), by
    default an ideograph's. A cell's box moves down by this less :func:`baseline`."""
    glyph = glyph if glyph is not None else face.shaper.get_nominal_glyph(ord("中"))
    if glyph is None:
        return 0.88
    return face.shaper.get_glyph_v_origin(glyph)[1] / face.units_per_em
