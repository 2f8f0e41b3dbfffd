"""Compose a boxed item: paragraphs inside a double-rule border (花边框) or on a tint.

The one box of the paper: an article's boxed item, and later a briefs block (简讯)
or any other boxed copy, asks :func:`compose_box` for a box a whole number of base
columns wide and gets back its lines and its height in whole body lines, so that it
sits in a text column like any other flow item and the text after it stays on the
baseline grid. The text is inset from the box's edges by whole characters and its
lines are body lines on the grid: half a line of paper above and below the border,
half a line inside it.
"""

from dataclasses import dataclass

INSET_CHARS = 1  # body characters between the box's edge and its text, each side


@dataclass
class ComposedBox:
    kind: str       # "rule" (double-rule border) or "tint"
    width: float    # pt: the text column's
    inset: float    # pt between the box's edge and its text
    lines: list     # composed body lines
    text: str       # the box's copy, for overset reports

    @property
    def height(self):
        """Whole body lines: the text's, and one for the half lines above and below
        the border and inside it, top and bottom."""
        return len(self.lines) + 2


def compose_box(composer, kind, paragraphs, columns):
    """A box ``columns`` base columns wide holding ``paragraphs`` (Text) as body
    paragraphs, inset INSET_CHARS characters each side."""
    geometry = composer.geometry
    width = geometry.span(0, columns)[1]
    inset = INSET_CHARS * geometry.char
    lines = [line for paragraph in paragraphs
             for line in composer.lines(paragraph.text, "body", width - 2 * inset)]
    return ComposedBox(kind, width, inset, lines, "".join(p.text for p in paragraphs))
