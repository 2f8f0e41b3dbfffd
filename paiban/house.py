"""House style: a paper's look as data an art director edits, checked line by line.

A house style is one YAML file in ``styles/houses/`` (the schema is in the README and
in the dataclasses below: a field is a key, its annotation the value it takes, its
default what an omitted key means). It holds every number a page needs: the grids of
the paper sizes, every text style, the headline and lead rules, photo shapes, colours
and rules, and the running head's wording. An edition names its house style; the
fitter, the composer's settings and the CSS variables all read it, so nothing of a
paper's look is left in code.

Reading is strict: an unknown key is an error naming the nearest valid one, a value
of the wrong kind or out of range an error at its own line, so that a typo never
falls back silently to a default.
"""

import dataclasses
import difflib
import functools
import tomllib
import types
import typing
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import PaibanError, shown
from .geometry import Geometry

ROOT = Path(__file__).resolve().parent.parent
HOUSES = ROOT / "styles" / "houses"
DEFAULT_HOUSE = "sample-daily"


@functools.cache
def text_roles(lock=ROOT / "fonts" / "fonts.lock.toml"):
    """The font lock's roles text may be set in (not its fallback-only faces)."""
    with open(lock, "rb") as file:
        data = tomllib.load(file)
    return tuple(name for name in data.get("roles", {}) if name not in data.get("fallbacks", []))


class FieldError(ValueError):
    """A value a dataclass refuses, with the keys that lead to it from that
    dataclass's mapping, so that the error points at the line of the value."""

    def __init__(self, keys, message):
        super().__init__(message)
        self.keys = keys


def within(name, value, low, high, keys=None):
    if not low <= value <= high:
        raise FieldError(keys or (name,),
                         f"{name} {value:g} is out of range: use {low:g} to {high:g}")


@dataclass(frozen=True)
class Grid:
    """One paper size: trim, and the base grid its type area is divided into."""
    trim_mm: tuple[float, float]
    columns: int
    column_chars: int        # body characters per base column (整字栏宽)
    gutter_chars: int
    lines: int               # body lines in the type area
    body_size: float         # pt
    leading: float           # line pitch / body size

    def __post_init__(self):
        within("trim_mm", min(self.trim_mm), 100, 1000)
        within("columns", self.columns, 1, 12)
        within("column_chars", self.column_chars, 4, 40)
        within("gutter_chars", self.gutter_chars, 0, 4)
        within("body_size", self.body_size, 6, 14)
        within("leading", self.leading, 1.0, 2.5)
        within("lines", self.lines, 10, 200)
        geometry = self.geometry("check")
        if geometry.type_width > geometry.trim_width or \
                geometry.type_height > geometry.trim_height:
            raise ValueError(f"the type area ({geometry.type_width / 72 * 25.4:.0f} × "
                             f"{geometry.type_height / 72 * 25.4:.0f} mm) is larger than "
                             f"the trim ({self.trim_mm[0]:g} × {self.trim_mm[1]:g} mm)")

    def geometry(self, name):
        return Geometry(name, *self.trim_mm, columns=self.columns,
                        column_chars=self.column_chars, gutter_chars=self.gutter_chars,
                        lines=self.lines, body_size=self.body_size, leading=self.leading)


@dataclass(frozen=True)
class TextStyle:
    """How one kind of text is set. Size and leading omitted: the grid's body size and
    line pitch (body text), or fitted (headlines)."""
    face: str                        # a role of fonts/fonts.lock.toml
    size: float | None = None        # pt
    leading: float | None = None     # pt between baselines
    tracking: float = 0.0            # em added between characters
    colour: str = "black"            # a name under colours:

    def __post_init__(self):
        if self.face not in text_roles():
            nearest = difflib.get_close_matches(self.face, text_roles(), n=1)
            raise FieldError(("face",), f"face {self.face!r} is not a text role of "
                             "fonts/fonts.lock.toml: " + (f"did you mean '{nearest[0]}'? "
                                                          if nearest else "")
                             + f"use one of {', '.join(text_roles())}")
        if self.size is not None:
            within("size", self.size, 5, 200)
        if self.leading is not None:
            within("leading", self.leading, 5, 240)
        within("tracking", self.tracking, -0.1, 1)


ALIGNMENTS = ("staggered", "left", "centre")


@dataclass(frozen=True)
class Headline:
    max_size: float = 48.0      # pt
    min_size: float = 16.0      # pt: a longer headline breaks, then is overset
    width_share: float = 0.6    # of the type width its longest line may take
    page_share: float = 0.25    # of the type area's lines the headline block may take
    indent: float = 0.12        # of the type width: the stagger of headline lines
    align: str = "staggered"    # or left, centre: where the headline lines stand

    def __post_init__(self):
        if self.align not in ALIGNMENTS:
            raise FieldError(("align",), f"align {self.align!r}: use "
                             + ", ".join(ALIGNMENTS))
        within("min_size", self.min_size, 8, self.max_size)
        within("max_size", self.max_size, self.min_size, 200)
        within("width_share", self.width_share, 0.2, 1)
        within("page_share", self.page_share, 0.05, 0.5)
        within("indent", self.indent, 0, 0.4)


@dataclass(frozen=True)
class Lead:
    columns: tuple[int, ...] = (4, 3)   # across the page, preferred first
    min_lines: int = 3                  # in each column, or fewer columns
    page_share: float = 1 / 3           # of the type area's lines it may take

    def __post_init__(self):
        for count in self.columns:
            within("columns", count, 1, 8)
        within("min_lines", self.min_lines, 1, 10)
        within("page_share", self.page_share, 0.05, 0.6)


@dataclass(frozen=True)
class Photos:
    ratio: tuple[float, float] = (0.5, 0.8)       # frame height / width, preferred
    own_ratio: tuple[float, float] = (1 / 3, 1.5)  # the furthest a photo's own shape widens it
    portrait_focus: tuple[float, float] = (0.5, 1 / 3)  # where a portrait's crop centres

    def __post_init__(self):
        for name in ("ratio", "own_ratio"):
            low, high = getattr(self, name)
            within(name, low, 0.1, high)
        within("portrait_focus", min(self.portrait_focus), 0, 1)
        within("portrait_focus", max(self.portrait_focus), 0, 1)


@dataclass(frozen=True)
class Band:
    """A news story's headline at one rank (头条, 二条 …): the sizes the makeup may
    give it, the most lines it may break into, its colour."""
    sizes: tuple[float, ...]    # pt, largest first
    lines: int = 3
    colour: str | None = None   # a name under colours; none: the headline style's

    def __post_init__(self):
        if not self.sizes or list(self.sizes) != sorted(self.sizes, reverse=True):
            raise FieldError(("sizes",), "sizes: one or more sizes, largest first")
        for size in self.sizes:
            within("sizes", size, 8, 200)
        within("lines", self.lines, 1, 6)


def default_bands():
    return {"头条": Band((48, 42, 36), 2), "二条": Band((26, 24)), "三条": Band((22, 18)),
            "四条": Band((18, 16))}


@dataclass(frozen=True)
class News:
    """News pages' makeup (paiban.makeup): a headline band per rank, so that headline
    size falls with priority (the last rank's band serves every rank after it); a
    paper size may have bands of its own (a tabloid's are smaller)."""
    bands: dict[str, Band] = dataclasses.field(default_factory=default_bands)
    paper_bands: dict[str, dict[str, Band]] = dataclasses.field(default_factory=dict)
    briefs_head: float = 14.0       # pt: the briefs box's label (四号), not a headline
    headline_leading: float = 1.2   # headline line height / size
    headline_measure: float = 0.9   # share of the module's width a headline line may take
    photo_preferred: float = 0.65   # frame height / width of a photo without a shape
    min_column_lines: int = 3       # a text column is empty or at least this deep
    # Page blueprints: per paper size, named module patterns, each a role's box
    # [column, line, columns, lines] on the grid below the head; a plan names one.
    blueprints: dict[str, dict[str, dict[str, tuple[int, int, int, int]]]] = \
        dataclasses.field(default_factory=dict)

    def __post_init__(self):
        from .makeup.model import ROLES
        for keys, bands in [(("bands",), self.bands)] + [
                (("paper_bands", paper), bands) for paper, bands in self.paper_bands.items()]:
            if list(bands) != list(ROLES[:len(bands)]) or not bands:
                raise FieldError(keys, f"bands by rank, in order from 头条: "
                                 f"{', '.join(ROLES[:4])} … (not {', '.join(bands)})")
            tops = [band.sizes[0] for band in bands.values()]
            if tops != sorted(tops, reverse=True):
                raise FieldError(keys, "headline sizes fall with rank: each band's largest "
                                 "size is at most the rank before's")
        within("briefs_head", self.briefs_head, 6, 72)
        within("headline_leading", self.headline_leading, 1.0, 2.0)
        within("headline_measure", self.headline_measure, 0.5, 1.0)
        within("photo_preferred", self.photo_preferred, 0.2, 2.0)
        within("min_column_lines", self.min_column_lines, 1, 10)
        for paper, patterns in self.blueprints.items():
            for name, boxes in patterns.items():
                for role, box in boxes.items():
                    if role not in ROLES:
                        raise FieldError(("blueprints", paper, name),
                                         f"blueprint {name}: {role!r} is not a rank "
                                         f"({', '.join(ROLES[:4])} …)")
                    if box[2] < 1 or box[3] < 1 or min(box) < 0:
                        raise FieldError(("blueprints", paper, name),
                                         f"blueprint {name}: {role}'s box {list(box)} is not "
                                         "[column, line, columns, lines]")

    def bands_for(self, paper_size):
        return self.paper_bands.get(paper_size, self.bands)

    def band(self, paper_size, role):
        """The band of ``role`` (头条 …) on ``paper_size``: the last rank's after it."""
        from .makeup.model import ROLES
        bands = list(self.bands_for(paper_size).values())
        return bands[min(ROLES.index(role), len(bands) - 1)]


@dataclass(frozen=True)
class RunningHead:
    """The running head (报眉): wording with {paper}, {date}, {issue}, {page}, {title}."""
    issue: str = "{date}　第{issue}期"
    folio: str = "第{page}版"

    def __post_init__(self):
        for name in ("issue", "folio"):
            try:
                getattr(self, name).format(paper="", date="", issue=1, page=1, title="")
            except (KeyError, IndexError, ValueError) as error:
                raise FieldError((name,), f"{name}: unknown placeholder {error}; use "
                                 "{paper}, {date}, {issue}, {page} or {title}") from None


COLOPHON_PAGES = ("first", "last")


@dataclass(frozen=True)
class Front:
    """The front page (头版) and the paper's registered facts: the masthead band across
    the top (masthead, ear, date line) and the colophon (报尾) at a page's foot."""
    band_share: float = 0.17       # of the type area's lines: the masthead band
    masthead_share: float = 0.6    # of the base columns: the masthead; the ear the rest
    masthead: str = "masthead"     # the text style of the name (its size: fitted to the band)
    art: str | None = None         # or the masthead as supplied art: a PDF in styles/houses/
    cn: str = ""                   # 国内统一连续出版物号, e.g. CN 64-0001
    post_code: str = ""            # 邮发代号, e.g. 73-12
    colophon_page: str = "last"    # the page whose foot carries the colophon
    colophon: tuple[str, ...] = ()  # its items: 主管, 主办, 出版, address, printer, price …

    def __post_init__(self):
        within("band_share", self.band_share, 0.1, 0.4)
        within("masthead_share", self.masthead_share, 0.3, 1)
        if self.art is not None and ("/" in self.art or not self.art.endswith(".pdf")
                                     or not (HOUSES / self.art).is_file()):
            raise FieldError(("art",), f"art {self.art!r} is not a .pdf file in "
                             "styles/houses/")
        if self.colophon_page not in COLOPHON_PAGES:
            raise FieldError(("colophon_page",), f"colophon_page {self.colophon_page!r}: "
                             "use " + " or ".join(COLOPHON_PAGES))


@dataclass(frozen=True)
class HouseStyle:
    name: str
    paper_sizes: dict[str, Grid]
    text_styles: dict[str, TextStyle]
    colours: dict[str, tuple[float, float, float, float]]   # CMYK, % each
    rules: dict[str, float]                                   # line widths, pt
    headline: Headline = Headline()
    lead: Lead = Lead()
    photos: Photos = Photos()
    news: News = News()
    running_head: RunningHead = RunningHead()
    front: Front = Front()
    stylesheet: str | None = None   # a CSS file beside the style: the paper's own furniture
    path: Path | None = None

    def __post_init__(self):
        for name, colour in self.colours.items():
            if not all(0 <= value <= 100 for value in colour):
                raise FieldError(("colours", name),
                                 f"colour {name}: four percentages C M Y K, 0 to 100")
        for name, required in (("text_styles", REQUIRED_STYLES), ("colours", REQUIRED_COLOURS),
                               ("rules", REQUIRED_RULES)):
            missing = required - set(getattr(self, name))
            if missing:
                raise FieldError((name,), f"{name} lacks {', '.join(sorted(missing))}")
        body = self.text_styles["body"]
        if body.size is not None or body.leading is not None:
            raise FieldError(("text_styles", "body"), "the body's size and leading are the "
                             "grid's (paper_sizes: body_size, leading): remove them here")
        for name, style in self.text_styles.items():
            if style.colour not in self.colours:
                raise FieldError(("text_styles", name, "colour"),
                                 f"text style {name}: colour {style.colour!r} is not under "
                                 f"colours ({', '.join(self.colours)})")
        for paper, bands in [(None, self.news.bands)] + list(self.news.paper_bands.items()):
            for rank, band in bands.items():
                if band.colour is not None and band.colour not in self.colours:
                    keys = ("news", "bands") if paper is None else ("news", "paper_bands", paper)
                    raise FieldError(keys + (rank, "colour"), f"band {rank}: colour "
                                     f"{band.colour!r} is not under colours")
        if self.stylesheet is not None and (
                "/" in self.stylesheet or not self.stylesheet.endswith(".css")
                or not (HOUSES / self.stylesheet).is_file()):
            raise FieldError(("stylesheet",), f"stylesheet {self.stylesheet!r} is not a .css "
                             "file in styles/houses/")
        for name, width in self.rules.items():
            within(f"rule {name}", width, 0, 5, ("rules", name))
        if self.front.masthead not in self.text_styles:
            raise FieldError(("front", "masthead"), f"front: masthead {self.front.masthead!r}"
                             f" is not under text_styles ({', '.join(self.text_styles)})")

    def geometry(self, paper_size):
        return self.paper_sizes[paper_size].geometry(paper_size)

    def style(self, name):
        """(face role, size, leading) of a text style; None where the grid decides."""
        style = self.text_styles[name]
        return style.face, style.size, style.leading


REQUIRED_STYLES = {"body", "lead", "quote", "caption", "subtitle", "byline", "banner",
                   "subheading", "credit", "header", "masthead", "headline", "table",
                   "table_head"}
# The colours and rules the stylesheets name (styles/components.css).
REQUIRED_COLOURS = {"black", "accent", "knockout", "placeholder", "placeholder_ink",
                    "box_tint"}
REQUIRED_RULES = {"hairline", "head", "lead", "quote", "frame", "table", "box"}


@functools.cache
def load_house(name, folder=HOUSES):
    """The house style ``name`` (a file ``<name>.yaml`` in ``folder``)."""
    path = Path(folder) / f"{name}.yaml"
    if not path.is_file():
        known = sorted(p.stem for p in Path(folder).glob("*.yaml"))
        raise PaibanError(f"no house style {shown(name)}", path,
                          fix=f"use one of: {', '.join(known)}")
    return read_house(path)


def read_house(path):
    from .source import SourceLoader, check_characters, read_text
    text = read_text(path)
    check_characters(text, path)
    loader = SourceLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise PaibanError(f"malformed YAML: {getattr(error, 'problem', None) or error}",
                          path, mark.line + 1 if mark else 1,
                          fix="check indentation and quoting of this line") from None
    finally:
        loader.dispose()
    if node is None:
        raise PaibanError("the house style is empty", path, 1)
    return dataclasses.replace(build(HouseStyle, node, path, loader), path=path)


def build(kind, node, path, loader):
    """The value of type ``kind`` a YAML node holds, or a located PaibanError."""
    line = node.start_mark.line + 1
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        choices = [k for k in typing.get_args(kind) if k is not type(None)]
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return None
        return build(choices[0], node, path, loader)
    if dataclasses.is_dataclass(kind):
        fields = {f.name: f for f in dataclasses.fields(kind) if f.name != "path"}
        pairs = mapping(node, path, kind.__name__)
        values = {}
        for key_node, value_node in pairs:
            key = key_node.value
            if key not in fields:
                nearest = difflib.get_close_matches(key, fields, n=1)
                hint = f"did you mean '{nearest[0]}'? " if nearest else ""
                raise PaibanError(f"unknown key {shown(key)}", path, key_node.start_mark.line + 1,
                                  fix=f"{hint}here the keys are {', '.join(fields)}")
            hints = typing.get_type_hints(kind)
            values[key] = build(hints[key], value_node, path, loader)
        absent = [name for name, f in fields.items() if name not in values
                  and f.default is dataclasses.MISSING
                  and f.default_factory is dataclasses.MISSING]
        if absent:
            raise PaibanError(f"missing {', '.join(absent)}", path, line,
                              fix=f"add '{absent[0]}: …' here")
        try:
            return kind(**values)
        except ValueError as error:
            at = locate(node, getattr(error, "keys", ()))
            raise PaibanError(str(error), path, at.start_mark.line + 1) from None
    if origin is dict:
        _, value_kind = typing.get_args(kind)
        return {key.value: build(value_kind, value, path, loader)
                for key, value in mapping(node, path, "a table of names")}
    if origin is tuple:
        kinds = typing.get_args(kind)
        if not isinstance(node, yaml.SequenceNode):
            raise PaibanError(f"expected a list like [1, 2], not {shown(scalar(node))}",
                              path, line)
        if kinds[-1] is Ellipsis:
            kinds = (kinds[0],) * len(node.value)
        if len(kinds) != len(node.value):
            raise PaibanError(f"expected {len(kinds)} values, not {len(node.value)}", path, line)
        return tuple(build(k, item, path, loader) for k, item in zip(kinds, node.value))
    value = loader.construct_object(node, deep=True) if isinstance(node, yaml.ScalarNode) \
        else None
    wanted = {float: (int, float), int: (int,), str: (str,)}[kind]
    if not isinstance(value, wanted) or isinstance(value, bool):
        name = {float: "a number", int: "a whole number", str: "text"}[kind]
        raise PaibanError(f"expected {name}, not {shown(scalar(node))}", path, line)
    return kind(value)


def locate(node, keys):
    """The node the keys lead to from ``node``, as far as they lead."""
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        node = next((value for name, value in node.value if name.value == key), node)
    return node


def mapping(node, path, what):
    if not isinstance(node, yaml.MappingNode):
        raise PaibanError(f"expected key: value lines ({what}), not {shown(scalar(node))}",
                          path, node.start_mark.line + 1)
    return node.value


def scalar(node):
    return node.value if isinstance(node, yaml.ScalarNode) else f"a {node.id}"
