"""Page geometry: trim, type area, base grid and line pitch, in one place.

The numbers come from the house style (paiban.house: a grid per paper size); both
the fitter (which places frames in points) and the CSS (through variables generated
by :func:`css_variables`) read them from here.
Widths are counted in body characters so that a column of pure Han text fills
exactly (整字栏宽), and heights in body lines so that every column shares one
baseline grid.
"""

from dataclasses import dataclass

MM = 72 / 25.4  # points per millimetre


@dataclass(frozen=True)
class Geometry:
    name: str
    trim_width_mm: float
    trim_height_mm: float
    columns: int        # base grid columns
    column_chars: int   # body characters per base column
    gutter_chars: int
    lines: int          # body lines in the type area
    body_size: float = 9.0   # 小五
    leading: float = 1.6

    @property
    def pitch(self):
        """Distance between baselines, in points."""
        return self.body_size * self.leading

    @property
    def char(self):
        return self.body_size

    @property
    def column_width(self):
        return self.column_chars * self.char

    @property
    def gutter(self):
        return self.gutter_chars * self.char

    @property
    def type_width(self):
        return self.columns * self.column_width + (self.columns - 1) * self.gutter

    @property
    def type_height(self):
        return self.lines * self.pitch

    @property
    def trim_width(self):
        return self.trim_width_mm * MM

    @property
    def trim_height(self):
        return self.trim_height_mm * MM

    @property
    def margin_left(self):
        return (self.trim_width - self.type_width) / 2

    @property
    def margin_top(self):
        return (self.trim_height - self.type_height) / 2

    def span(self, first, count):
        """Left edge and width of ``count`` base columns starting at ``first``."""
        left = first * (self.column_width + self.gutter)
        return left, count * self.column_width + (count - 1) * self.gutter

    def css_variables(self):
        return {
            "trim-width": f"{self.trim_width:.3f}pt",
            "trim-height": f"{self.trim_height:.3f}pt",
            "margin-top": f"{self.margin_top:.3f}pt",
            "margin-left": f"{self.margin_left:.3f}pt",
            "type-width": f"{self.type_width:.3f}pt",
            "type-height": f"{self.type_height:.3f}pt",
            "body-size": f"{self.body_size}pt",
            "pitch": f"{self.pitch:.3f}pt",
            "gutter": f"{self.gutter:.3f}pt",
        }

