"""What the makeup stage takes and gives: articles as measurements, modules as boxes.

The makeup never sees text or fonts. An article brings what the page needs to know
about it: how many body lines its copy makes at a column width (``lines_at``, the
composer's answer, or :class:`CopyModel`'s estimate), its headline's characters per
line, its photos' shapes and the editor's constraints. The layout it returns names a
box per article on the base grid (columns, body lines) and in points.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field

BRIEFS = "简讯"
CORNERS = ("bottom-right", "bottom-left", "top-right", "top-left")
ROLES = ("头条", "二条", "三条", "四条", "五条", "六条", "七条", "八条", "九条", "十条")

# Headline sizes (pt) each rank may take, largest first: 号 sizes inside its band, so
# that headline size falls with priority and the lead's is the largest on the page.
# Data-ready constants: the house style will carry them.
HEADLINE_SIZES = ((48, 42, 36),   # 头条: 初号 … 小初
                  (26, 24),       # 二条: 一号, 小一
                  (22, 18),       # 三条: 二号, 小二
                  (18, 16))       # 四条 and after: 小二, 三号
BRIEFS_HEAD = 14.0                # the label of the briefs box (四号), not a headline
HEADLINE_LEADING = 1.2            # headline line height / size
HEADLINE_MEASURE = 0.9            # share of the module width a headline line may take
HEADLINE_LINES = (2, 3, 3, 3)     # most lines a headline may break into, per rank
PHOTO_RATIO = (0.5, 0.8)          # frame height / width, widened to a photo's own shape
OWN_RATIO = (1 / 3, 1.5)          # the furthest that widening goes
PHOTO_PREFERRED = 0.65            # frame height / width of a photo without a shape
MIN_COLUMN_LINES = 3              # a text column is empty or at least this deep


def rank(role):
    """0 for 头条, 1 for 二条 …; briefs after every story."""
    if role == BRIEFS:
        return len(ROLES)
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: use one of {', '.join(ROLES)} or {BRIEFS}")
    return ROLES.index(role)


def headline_sizes(role):
    if role == BRIEFS:
        return (BRIEFS_HEAD,)
    return HEADLINE_SIZES[min(rank(role), len(HEADLINE_SIZES) - 1)]


def headline_lines(role):
    return 1 if role == BRIEFS else HEADLINE_LINES[min(rank(role), len(HEADLINE_LINES) - 1)]


@dataclass(frozen=True)
class CopyModel:
    """Lines of body copy at a column width, counted by characters: each paragraph
    takes ceil((indent + characters) / width) lines. A stand-in for the composer,
    which squeezes punctuation and so sets a line or two fewer on long copy."""
    paragraphs: tuple[int, ...]   # characters per paragraph
    indent: int = 2               # 两字缩进

    def __call__(self, chars):
        return sum(math.ceil((self.indent + length) / chars) for length in self.paragraphs)

    @property
    def characters(self):
        return sum(self.paragraphs)


@dataclass(frozen=True)
class Photo:
    """A picture in the module. Without ``columns`` and ``lines`` the makeup chooses
    its span and frame depth (copyfit); with them it is the editor's size."""
    aspect: float | None = None   # height / width of the picture itself
    min_columns: int = 1
    max_columns: int = 12
    columns: int | None = None
    lines: int | None = None      # frame depth in body lines, with ``columns``
    caption_lines: int = 2


@dataclass(frozen=True)
class Article:
    """One story. ``lines_at(chars)`` gives its body's total lines in columns ``chars``
    characters wide (one column's worth; the makeup balances them over columns).
    ``pin`` is a fixed box (column, line, columns, lines); ``columns`` forces a width."""
    id: str
    role: str
    lines_at: Callable[[int], int]
    headline: tuple[str, ...] = ()
    photos: tuple[Photo, ...] = ()
    deck_lines: int = 0            # body lines under the headline: subhead, byline
    columns: int | None = None
    pin: tuple[int, int, int, int] | None = None

    def __post_init__(self):
        rank(self.role)


@dataclass(frozen=True)
class Reserved:
    """A slot the makeup leaves alone: an ad stack ``columns`` × ``lines`` at a corner
    (``bottom-right``, ``bottom-left``, ``top-right``, ``top-left``) or at ``box``."""
    columns: int = 0
    lines: int = 0
    corner: str = "bottom-right"
    label: str = "广告"
    box: tuple[int, int, int, int] | None = None

    def rectangle(self, grid_columns, grid_lines):
        if self.box:
            return self.box
        column = 0 if self.corner.endswith("left") else grid_columns - self.columns
        line = 0 if self.corner.startswith("top") else grid_lines - self.lines
        return column, line, self.columns, self.lines


@dataclass
class Placement:
    """Where an article went and how it is set there. Lines count body lines from
    the type area's top; ``photos`` are (column, line, columns, lines) boxes, the
    caption included; ``column_lines`` the depth of each text column."""
    id: str
    role: str
    box: tuple[int, int, int, int]             # column, line, columns, lines
    points: tuple[float, float, float, float]  # x, y, w, h on the page (pt)
    headline_size: float
    headline_lines: int
    headline_depth: int                        # body lines, deck included
    photo_on_top: bool
    photos: list
    text_columns: int
    column_chars: int
    column_lines: list
    body_lines: int                            # of copy, as measured
    overset_lines: int
    overset_chars: int
    underset_lines: int                        # text-column lines left empty

    @property
    def blank_slots(self):
        """Empty text lines in base-column slots (a wider 破栏 line counts for more)."""
        return self.underset_lines * self.box[2] / self.text_columns

    @property
    def headline_top(self):
        """Line of the headline's top, or None for the briefs box (a boxed label)."""
        if self.role == BRIEFS:
            return None
        return self.box[1] + (self.photos[0][3] if self.photo_on_top else 0)

    def as_dict(self):
        return {"id": self.id, "role": self.role, "box": list(self.box),
                "points": [round(value, 2) for value in self.points],
                "columns": self.text_columns, "lines": self.box[3],
                "column_chars": self.column_chars, "column_lines": self.column_lines,
                "headline": {"size": self.headline_size, "lines": self.headline_lines,
                             "depth": self.headline_depth, "below_photo": self.photo_on_top},
                "photos": [list(photo) for photo in self.photos],
                "overset_lines": self.overset_lines, "overset_chars": self.overset_chars,
                "underset_lines": self.underset_lines}


@dataclass
class Layout:
    columns: int
    lines: int
    placements: list
    reserved: list = field(default_factory=list)   # (label, box)
    tombstones: list = field(default_factory=list)  # (id, id) side by side
    blank_slots: float = 0   # base-column line slots without text, headline or photo

    @property
    def blank_fraction(self):
        return self.blank_slots / (self.columns * self.lines)

    @property
    def overset(self):
        return [p for p in self.placements if p.overset_lines]

    def placement(self, article_id):
        return next(p for p in self.placements if p.id == article_id)

    def as_dict(self):
        return {"columns": self.columns, "lines": self.lines,
                "articles": [p.as_dict() for p in self.placements],
                "reserved": [{"label": label, "box": list(box)} for label, box in self.reserved],
                "blank_fraction": round(self.blank_fraction, 5),
                "tombstones": [list(pair) for pair in self.tombstones]}
