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


def rank(role):
    """0 for 头条, 1 for 二条 …; briefs after every story."""
    if role == BRIEFS:
        return len(ROLES)
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}: use one of {', '.join(ROLES)} or {BRIEFS}")
    return ROLES.index(role)


@dataclass(frozen=True)
class Style:
    """The house style's numbers the makeup chooses from, for one paper size (its
    ``news:`` and ``photos:`` sections, :class:`paiban.house.News`): headline sizes
    (pt, largest first) and most lines per rank, the last rank's for every rank
    after; photo frame shapes (height / width); the shallowest text column."""
    headline_sizes: tuple[tuple[float, ...], ...]
    headline_lines: tuple[int, ...]
    briefs_head: float
    headline_leading: float
    headline_measure: float
    photo_ratio: tuple[float, float]     # preferred, widened to a photo's own shape
    own_ratio: tuple[float, float]       # the furthest that widening goes
    photo_preferred: float               # a photo without a shape
    min_column_lines: int

    @classmethod
    def of(cls, house, paper_size):
        news, bands = house.news, house.news.bands_for(paper_size).values()
        return cls(tuple(band.sizes for band in bands), tuple(band.lines for band in bands),
                   news.briefs_head, news.headline_leading, news.headline_measure,
                   house.photos.ratio, house.photos.own_ratio, news.photo_preferred,
                   news.min_column_lines)

    def sizes(self, role):
        if role == BRIEFS:
            return (self.briefs_head,)
        return self.headline_sizes[min(rank(role), len(self.headline_sizes) - 1)]

    def lines(self, role):
        if role == BRIEFS:
            return 1
        return self.headline_lines[min(rank(role), len(self.headline_lines) - 1)]


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
    max_lines: int | None = None  # the deepest frame its pixels fill (print resolution)


@dataclass(frozen=True)
class Article:
    """One story. ``lines_at(chars)`` gives its body's total lines in columns ``chars``
    characters wide (one column's worth; the makeup balances them over columns).
    ``pin`` is a fixed box (column, line, columns, lines); ``columns`` forces a width;
    ``min_width`` (pt) is the narrowest module its deck (kicker, subtitle) fits;
    ``foot_lines`` the lines under its text columns (the briefs box's border)."""
    id: str
    role: str
    lines_at: Callable[[int], int]
    headline: tuple[str, ...] = ()
    photos: tuple[Photo, ...] = ()
    deck_lines: int = 0            # body lines under the headline: subhead, byline
    min_width: float = 0
    foot_lines: int = 0
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

    def setting(self):
        """How the module is set (build.json keys): what an accepted layout keeps for
        an article whose copy has not changed (:func:`paiban.makeup.make_up`)."""
        return {"grid": list(self.box), "columns": self.text_columns,
                "headline_size": self.headline_size, "headline_lines": self.headline_lines,
                "photo_on_top": self.photo_on_top,
                "photos": [list(photo) for photo in self.photos],
                "body_lines": self.body_lines}

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
