"""Fit an article onto one page: compose every block, choose the bands, place frames.

The page is a stack of bands on the base grid: the running head (报眉), the
headline block, the lead, then one band per section (heading row, then body text in
columns beside its photos). For each section the fitter tries the text widths and
column counts the grid allows (column widths a whole number of characters, 变栏) and
picks the combination that fills the type area with the least blank space. Every
height is a whole number of body lines, so all body lines sit on one baseline grid.
What does not fit is overset, never pushed onto a second page, set smaller than its
floor, placed outside the type area or over another frame: the sections after a cut
are left out whole, furniture and all, and each cut is reported at its source line
with the characters it leaves out.
"""

import functools
import math
from dataclasses import dataclass, field, replace

from . import cjk, vertical
from .boxes import compose_box
from .model import Box, PullQuote, Table, Text
from .printing import PrintSettings
from .tables import compose_table

# Where a style composes differently from the edition's settings (cjk.Settings).
STYLE_SETTINGS = {
    "caption": {"indent": 0.0},
    "quote": {"indent": 0.0, "justified": False},  # centred, one verse a line
    "table": {"indent": 0.0},
    "table_head": {"indent": 0.0},
}
SHOWN = 12  # characters of overset copy quoted in the report


@dataclass
class Frame:
    """A box on the page in points from the type area's top-left corner."""
    kind: str
    x: float
    y: float
    width: float
    height: float
    lines: list = field(default_factory=list)   # composed lines, for text frames
    text: str = ""
    style: str = ""
    size: float = 0.0
    line_height: float = 0.0
    src: str | None = None
    source_line: int = 0
    crop: tuple = (50.0, 50.0)  # a photo's object-position, in % of what overflows


@dataclass
class Overset:
    """Copy that is not on the page: ``characters`` of a ``block`` from source
    ``line``, beginning with ``start``. The records of one cut (a section's text from
    where it stops, and the sections after it) share a ``cut`` number; a one-line
    element cut at the end of its line says how many characters the line holds
    (``room``)."""
    block: str
    line: int
    characters: int
    start: str = ""
    cut: int = 0
    room: int | None = None


@dataclass
class PlacedPage:
    geometry: object
    frames: list
    overset: list
    warnings: list
    blank_lines: int  # body-line slots of a base column left blank by the bands
    holds: int = 0    # characters of copy set on the page
    articles: list | None = None        # a news page's modules, for build.json
    blank_fraction: float | None = None  # a news page's blank share of its grid
    tombstones: list | None = None       # a news page's headlines side by side
    carried: dict | None = None          # a news page's jumping stories' lines carried over


@functools.lru_cache(maxsize=2048)
def composed(fonts, role, text, measure, rules):
    """A paragraph composed in the face of ``role`` at ``measure`` em, kept for the
    process: a rebuild in a warm process (``paiban watch``) composes only the
    paragraphs an edit changed (composition is most of a news page's fit). The
    lines are only read once composed, so every page may share them. A paragraph's
    lines take some 30 KB: the 2048 composed last are kept (the sample edition's
    fits compose 245)."""
    return paragraph(fonts, role, text, rules).lines(measure)


@functools.lru_cache(maxsize=512)
def paragraph(fonts, role, text, rules):
    """A paragraph cut into units in the face of ``role``, once for all the measures
    the makeup tries it at (some five)."""
    return cjk.Paragraph(text, lambda unit: fonts.advance(role, unit),
                         lambda char: fonts.ink_side(role, char), rules=rules)


class Composer:
    """Composes text in a style of the house style at a measure, with the style's
    face metrics and the edition's composition settings."""

    def __init__(self, fonts, house, geometry, rules=cjk.Settings()):
        self.fonts = fonts
        self.house = house
        self.geometry = geometry
        self.rules = rules
        self.cache = {}

    def style(self, name):
        """Face role, size and leading (pt) of a text style: the grid's body size and
        pitch where the house style leaves them open."""
        role, size, line_height = self.house.style(name)
        return role, size or self.geometry.body_size, line_height or self.geometry.pitch

    def tracking(self, name):
        """The style's letter-spacing in points."""
        return self.house.text_styles[name].tracking * self.style(name)[1]

    @property
    def quote_min(self):
        """A pull quote stays larger than the lead around it: below, a verse breaks."""
        return self.style("lead")[1]

    def lines(self, text, style, width_pt, size=None, indent=True):
        """``text`` composed in lines ``width_pt`` wide; ``indent`` False: a paragraph
        continued from another page or column starts flush."""
        role, style_size, _ = self.style(style)
        size = size or style_size
        key = (text, style, round(width_pt, 3), size, indent)
        if key not in self.cache:
            self.cache[key] = composed(self.fonts, role, text, width_pt / size,
                                       self.settings(style, indent))
        return self.cache[key]

    def count(self, text, style, width_pt, size=None, indent=True):
        """How many lines :meth:`lines` would make, without setting them: the makeup
        asks this at every width it tries, and sets the lines of one."""
        role, style_size, _ = self.style(style)
        return len(paragraph(self.fonts, role, text, self.settings(style, indent)).breaks(
            width_pt / (size or style_size)))

    def settings(self, style, indent=True):
        """The composition settings of a text style; without ``indent``, flush."""
        return replace(self.rules, **dict(STYLE_SETTINGS.get(style, {}),
                                          **({} if indent else {"indent": 0.0})))

    def fitting_size(self, texts, style, width_pt, floor=0.0):
        """The style's size, or smaller so that the longest text sets on one line
        (its closing mark squeezed to half width), but not below ``floor``: there
        the text breaks into more lines instead."""
        role, size, _ = self.style(style)
        longest = max(sum(self.fonts.advance(role, char) for char in text)
                      - (0.5 if self.fonts.ink_side(role, text[-1]) else 0)
                      for text in texts)
        return max(floor, min(size, math.floor(2 * width_pt / longest) / 2))

    def fitting_characters(self, text, style, measure, size=None, tracking=0.0):
        """How many leading characters of ``text`` set on one line ``measure``
        points wide, at ``size`` with ``tracking`` points of letter-spacing."""
        role, style_size, _ = self.style(style)
        size = size or style_size
        used = 0.0
        for count, char in enumerate(text):
            used += self.fonts.advance(role, char) * size + tracking
            if used > measure + 0.01:
                return count
        return len(text)


@dataclass
class Item:
    """Something that flows down a text column: a body line, or a pull quote."""
    height: int        # in body lines
    frame_kind: str
    payload: object
    block: str
    line: int
    characters: int


@dataclass
class Quote:
    lines: list
    size: float
    leading: float


def flow(items, heights):
    """Fill columns of the given heights (lines) in order; return (columns, left over)."""
    filled = [[] for _ in heights]
    column, used = 0, 0
    for index, item in enumerate(items):
        while column < len(heights) and used + item.height > heights[column]:
            column, used = column + 1, 0
        if column == len(heights):
            return filled, items[index:]
        filled[column].append(item)
        used += item.height
    return filled, []


def section_items(composer, section, width, capacity):
    """The section's body lines and pull quotes, composed at ``width``; text beyond
    ``capacity`` lines (more than the band could ever hold) is not composed but
    counted, as one item too tall for any column, so that it is reported as overset
    however large the copy is. A pull quote is sized so that each verse sets on one
    line, but not below the lead's size: a longer verse breaks."""
    geometry = composer.geometry
    _, _, quote_height = composer.style("quote")
    per_line = 2 * round(width / geometry.char)  # at most: Latin sets about two an em
    items, used, rest = [], 0, None

    def not_composed(kind, line, text, characters):
        nonlocal rest
        rest = rest or Item(capacity + 1, "rest", text[:SHOWN], kind, line, 0)
        rest.characters += characters

    for block in section.blocks:
        if isinstance(block, (Table, Box)):
            item = table_or_box(composer, block, width, capacity)
            if used > capacity:
                not_composed(item.block, block.line, item_start(item), item.characters)
                continue
            items.append(item)
            used += item.height
            continue
        if isinstance(block, PullQuote):
            if used > capacity:
                not_composed("pull quote", block.line, block.lines[0].text,
                             sum(len(t.text) for t in block.lines))
                continue
            quote_width = width
            size = composer.fitting_size([t.text for t in block.lines], "quote", quote_width,
                                         composer.quote_min)
            lines = [line for text in block.lines
                     for line in composer.lines(text.text, "quote", quote_width, size)]
            leading = quote_height * size / composer.style("quote")[1]
            height = math.ceil((len(lines) * leading + geometry.pitch) / geometry.pitch)
            items.append(Item(height, "quote", Quote(lines, size, leading), "pull quote",
                              block.line, sum(len(t.text) for t in block.lines)))
            used += height
            continue
        room = max(0, capacity - used + 1) * per_line
        if len(block.text) > room:
            not_composed("paragraph", block.line, block.text[room:], len(block.text) - room)
        for line in composer.lines(block.text[:room], "body", width) if room else []:
            items.append(Item(1, "line", line, "paragraph", block.line, len(line.text)))
            used += 1
    return items + ([rest] if rest else [])


def table_or_box(composer, block, width, capacity):
    """A table or box set across a text column ``width`` points wide, as a flow item
    of whole body lines. A table too wide for this column is an item too tall for
    any (the fitter then prefers wider columns; :func:`wide_tables` has taken out
    those too wide for every column)."""
    geometry = composer.geometry
    if isinstance(block, Box):
        columns = round((width / geometry.char + geometry.gutter_chars)
                        / (geometry.column_chars + geometry.gutter_chars))
        box = compose_box(composer, block.kind, block.paragraphs, columns)
        return Item(box.height, "box", box, "box", block.line, len(box.text))
    table = compose_table(composer, block, width)
    characters = sum(len(cell.text) for cell in block.cells)
    if table is None:
        start = "".join(cell.text for cell in block.cells)
        return Item(capacity + 1, "rest", start[:SHOWN], "table", block.line, characters)
    return Item(table.height, "table", table, "table", block.line, characters)


def wide_tables(composer, section, overset):
    """The section without the tables too wide for its widest text column (two
    base columns), each reported as overset at its line."""
    geometry = composer.geometry
    widest = geometry.span(0, 2)[1]
    blocks = []
    for block in section.blocks:
        if isinstance(block, Table) and compose_table(composer, block, widest) is None:
            text = "".join(cell.text for cell in block.cells)
            overset.append(Overset("wide table", block.line, len(text), text[:SHOWN],
                                   room=round(widest / geometry.char)))
        else:
            blocks.append(block)
    return replace(section, blocks=blocks)


@dataclass
class PhotoRows:
    """Photos in rows across a photo area, each photo its own span (the editor's
    ``columns``, else the area's share), captions below."""
    spans: list          # per photo, base columns
    rows: list           # per row, the indices of its photos
    caption_sizes: list  # per photo, pt, so that its caption measure is whole characters
    captions: list       # composed caption lines, per photo
    caption_lines: list  # per row, in body lines
    frames: list         # per row, the (fewest, most) body lines its frames may take

    @property
    def low(self):
        return sum(self.caption_lines) + sum(low for low, _ in self.frames)

    @property
    def high(self):
        return sum(self.caption_lines) + sum(high for _, high in self.frames)

    def shares(self, lines):
        """Frame lines per row out of ``lines``: each row its fewest, the rest handed
        out a line at a time to the rows that can grow. None for the rows there is
        no room for (a band cut at the foot of the page)."""
        shares = []
        for low, _ in self.frames:
            room = lines - sum(share or 0 for share in shares)
            shares.append(low if low <= room and None not in shares else None)
        left = lines - sum(share or 0 for share in shares)
        while left > 0:
            growing = [n for n, (share, (_, high)) in enumerate(zip(shares, self.frames))
                       if share is not None and share < high]
            if not growing:
                break
            for n in growing[:left]:
                shares[n] += 1
                left -= 1
        return shares


def frame_lines(composer, photo, width, warn_ppi=None):
    """The fewest and most body lines a photo's frame ``width`` points wide may
    take: the editor's aspect, else the house style's frame ratio widened to the
    photo's own shape (so it can be set uncropped). With ``warn_ppi``, no larger than
    the photo's pixels fill at that resolution, and None if it cannot be this wide."""
    pitch, shapes = composer.geometry.pitch, composer.house.photos
    if photo.aspect:
        low = high = max(1, round((width * photo.aspect + pitch / 3) / pitch))
    else:
        own = photo.pixels[1] / photo.pixels[0] if photo.pixels else shapes.ratio[0]
        low = math.ceil(width * min(shapes.ratio[0], max(own, shapes.own_ratio[0])) / pitch)
        high = math.floor(width * max(shapes.ratio[1], min(own, shapes.own_ratio[1])) / pitch)
    if warn_ppi and photo.pixels:
        fills = [pixels * 72 / warn_ppi for pixels in photo.pixels]  # in points
        high = min(high, math.floor((fills[1] + pitch / 3) / pitch))
        if width > fills[0] + 0.01 or high < low:
            return None
    return low, high


def photo_rows(composer, photos, area_span, per_row, warn_ppi):
    """The photos in rows of at most ``per_row`` across ``area_span`` base columns,
    or None where that does not suit them: a photo wider than the area, an area
    wider than its rows, photos of one row that cannot share a height, or a frame
    larger than its pixels fill at ``warn_ppi`` (a photo too small for even one
    column gets the smallest frame, and preflight warns)."""
    geometry = composer.geometry
    spans, ranges = [], []
    for photo in photos:
        span = photo.columns or area_span // per_row
        width = geometry.span(0, span)[1]
        lines = frame_lines(composer, photo, width, warn_ppi)
        if lines is None and (photo.columns or span == 1):
            low, _ = frame_lines(composer, photo, width)
            lines = (low, low)
        if lines is None or span > area_span:
            return None
        spans.append(span)
        ranges.append(lines)
    rows = [[]]
    for index, span in enumerate(spans):
        if rows[-1] and (len(rows[-1]) == per_row
                         or sum(spans[n] for n in rows[-1]) + span > area_span):
            rows.append([])
        rows[-1].append(index)
    frames = [(max(ranges[n][0] for n in row), min(ranges[n][1] for n in row))
              for row in rows]
    if max(sum(spans[n] for n in row) for row in rows) != area_span \
            or any(low > high for low, high in frames):
        return None
    _, size, caption_height = composer.style("caption")
    sizes, captions = [], []
    for photo, span in zip(photos, spans):
        width = geometry.span(0, span)[1]
        sizes.append(width / math.floor(width / size))
        captions.append(composer.lines(photo.caption.text, "caption", width, sizes[-1]))
    caption_lines = [max(math.ceil((len(captions[n]) * caption_height + 4) / geometry.pitch)
                         for n in row) for row in rows]
    return PhotoRows(spans, rows, sizes, captions, caption_lines, frames)


@dataclass
class BandOption:
    """One way to set a section: text columns across the band, photos at the top of
    the last (or first) ``photo_span`` base columns, text continuing under them."""
    column_span: int     # base columns per text column
    count: int           # text columns
    chars: int           # characters per text column
    items: list
    photo_span: int      # base columns under photos, 0 without photos
    photos: PhotoRows | None
    photo_lines: int     # height of the photo area, in body lines
    photos_left: bool
    body: int            # height of the band below its heading, in body lines
    cost: float

    @property
    def height(self):
        return HEADING_LINES + self.body

    def column_heights(self, body=None):
        body = self.body if body is None else body
        under = self.photo_span // self.column_span
        heights = [body] * self.count
        for index in (range(under) if self.photos_left else
                      range(self.count - under, self.count)):
            heights[index] = max(0, body - self.photo_lines)
        return heights


HEADING_LINES = 2
OVERSET_COST = 1e6
MIN_LINES_UNDER_PHOTO = 3
MIN_CUT_LINES = 3  # a band cut at the foot of the page keeps this many body lines at least
BANNER_BOX = 32.0  # the banner's title box: padding and margin (components.css)


def blank_lines(option, heights):
    """Empty body-line slots a flow leaves in the text columns."""
    columns, _ = flow(option.items, heights)
    return sum(height - sum(item.height for item in column)
               for height, column in zip(heights, columns))


def band_options(composer, section, photos_left, limit, warn_ppi):
    """Every way the grid allows to set a section, at most ``limit`` lines high,
    the cheapest for each height; no photo larger than its pixels fill at
    ``warn_ppi``."""
    geometry = composer.geometry
    best = {}
    for column_span in (1, 2):
        count = geometry.columns // column_span
        bare = geometry.columns - count * column_span  # on a grid of 5, two-column text
        chars = column_span * (geometry.column_chars + geometry.gutter_chars) \
            - geometry.gutter_chars
        items = section_items(composer, section, chars * geometry.char, limit * count)
        text = sum(item.height for item in items)
        rough = roughness(items)
        layouts = [(0, None, 0)]
        if section.photos:
            layouts = []
            for photo_span in range(column_span, geometry.columns, column_span):
                for per_row in range(1, len(section.photos) + 1):
                    if photo_span % per_row:
                        continue
                    rows = photo_rows(composer, section.photos, photo_span, per_row,
                                      warn_ppi)
                    if rows:
                        layouts += [(photo_span, rows, lines)
                                    for lines in range(rows.low, rows.high + 1)]
        for photo_span, rows, photo_lines in layouts:
            option = BandOption(column_span, count, chars, items, photo_span, rows,
                                photo_lines, photos_left, 0, 0.0)
            under = photo_span // column_span
            body = max(photo_lines, math.ceil((text + under * photo_lines) / count))
            while body <= limit - HEADING_LINES and flow(items, option.column_heights(body))[1]:
                body += 1
            overset = body > limit - HEADING_LINES
            if overset:  # as tall as the page allows; the rest is reported
                body = limit - HEADING_LINES
            if body < max(0, photo_lines) or \
                    photo_lines and 0 < body - photo_lines < MIN_LINES_UNDER_PHOTO:
                continue
            option.body = body
            option.cost = blank_lines(option, option.column_heights()) * chars \
                / geometry.column_chars + 0.2 * abs(chars - geometry.column_chars) \
                + rough + bare * body \
                + (OVERSET_COST + sum(item.characters for item in flow(
                    items, option.column_heights())[1]) if overset else 0)
            if option.height not in best or option.cost < best[option.height].cost:
                best[option.height] = option
    return list(best.values())


OVERFULL_LINE_COST = 100.0  # a line over the column edge reaches into the gutter
SHORT_LINE_COST = 40.0      # a ragged line costs more than a band of blank lines
LOOSE_LINE_COST = 4.0       # a line spaced past LOOSE em between Han characters
LOOSE = 0.1


def roughness(items):
    """What a column width costs in lines that set badly: a measure too narrow for
    the copy (Latin-heavy text in 13 characters) leaves overfull, ragged or loose
    lines that a wider one (变栏) does not, and the band takes the wider one."""
    lines = [item.payload for item in items if item.frame_kind == "line"]
    return sum(OVERFULL_LINE_COST * line.overfull + SHORT_LINE_COST * line.short
               + LOOSE_LINE_COST * (line.spacing > LOOSE) for line in lines)


def prefix_states(option_sets, available):
    """For each number of leading bands, their cheapest options by lines used (at
    most ``available``), leaving out settings that overset: dynamic programming
    over lines used."""
    best = {0: (0.0, ())}
    states = [best]
    for options in option_sets:
        step = {}
        for used, (cost, picked) in best.items():
            for option in options:
                total = used + option.height
                value = cost + option.cost
                if option.cost < OVERSET_COST and total <= available \
                        and (total not in step or value < step[total][0]):
                    step[total] = (value, picked + (option,))
        best = step
        states.append(best)
    return states


def choose(option_sets, available, geometry):
    """One option per band, filling ``available`` lines with the fewest blank
    slots; None if the bands cannot all be set in full."""
    best = prefix_states(option_sets, available)[-1]
    if not best:
        return None
    used = min(best, key=lambda u: best[u][0] + (available - u) * geometry.columns)
    return best[used][1]


def cut_at_the_foot(composer, sections, option_sets, available, warn_ppi):
    """When the sections do not all fit: the most leading bands that fit in full,
    set as compactly as they go, then the next band cut to the lines left (its
    heading and at least MIN_CUT_LINES). Returns the options and the cut band's
    section as set; the sections after it are not placed."""
    states = prefix_states(option_sets, available)
    for count in reversed(range(len(sections))):
        room = [used for used in states[count]
                if available - used >= HEADING_LINES + MIN_CUT_LINES]
        if not room:
            continue
        used = min(room)
        section, options = section_options(composer, sections[count], count % 2 == 1,
                                           available - used, warn_ppi)
        if options:
            return states[count][used][1] + (min(options, key=lambda o: o.cost),), section
    return (), None


def section_options(composer, section, photos_left, limit, warn_ppi):
    """A section's band options at most ``limit`` lines high, and the section as
    they set it: with all its photos or, where no setting of them fits, with as many
    leading ones as do (found by bisection; the rest are overset)."""
    def attempt(count):
        trial = replace(section, photos=section.photos[:count])
        return trial, band_options(composer, trial, photos_left, limit, warn_ppi)

    most = (composer.geometry.columns - 1) * (limit // 2)  # a photo takes 2 lines at least
    high = min(len(section.photos), most)
    found = attempt(high)
    if found[1] or not high:
        return found
    low, found = 0, attempt(0)
    while high - low > 1:
        middle = (low + high) // 2
        trial = attempt(middle)
        if trial[1]:
            low, found = middle, trial
        else:
            high = middle
    return found


def fit_page(page, fonts, house, paper_size, rules=cjk.Settings(),
             warn_ppi=PrintSettings.warn_ppi, paper="", kept=0):
    """Place ``page`` on the ``paper_size`` grid of the ``house`` style: frames,
    overset and warnings. No photo gets a frame larger than its pixels fill at
    ``warn_ppi``. Nothing is placed outside the type area or over another frame:
    what does not fit is overset. ``paper`` is the paper's name, for the running
    head; ``kept``: body lines at the foot left to the colophon."""
    geometry = house.geometry(paper_size)
    composer = Composer(fonts, house, geometry, rules)
    article = page.article
    pitch, width = geometry.pitch, geometry.type_width
    frames, overset, warnings = [], [], []
    y = 0.0

    frames.append(running_head(composer, page, paper, overset))
    y += 3 * pitch
    if page.headline == "vertical":
        y = place_vertical_band(composer, article, y, frames, overset)
    else:
        y = place_headline(composer, article.headline, y,
                           math.floor(geometry.lines * house.headline.page_share), frames,
                           overset)
        for name, lines in (("subtitle", 2), ("byline", 1)):
            text = getattr(article, name)
            if text:
                frames.append(one_line(composer, name, text, y, lines,
                                       width * (1 - house.headline.indent), overset))
                y += lines * pitch
        y += pitch
        if article.lead:
            y = place_lead(composer, article.lead, frames, y,
                           math.floor(geometry.lines * house.lead.page_share), overset)

    foot = (kept + (1 if article.credit else 0)) * pitch
    available = round((geometry.type_height - y - foot) / pitch)
    sections, option_sets = [], []
    for index, section in enumerate(article.sections):
        placed, options = section_options(composer, wide_tables(composer, section, overset),
                                          index % 2 == 1, available, warn_ppi)
        sections.append(placed)
        option_sets.append(options)
    combo = choose(option_sets, available, geometry)
    if combo is None:
        combo, cut = cut_at_the_foot(composer, sections, option_sets, available, warn_ppi)
        if cut:
            sections[len(combo) - 1] = cut
    blank, tail = 0, 0
    for original, section, option in zip(article.sections, sections, combo):
        before = len(overset)
        blank += place_section(composer, section, option, y, frames, overset)
        overset += photos_left_out(original, section)
        tail = next((o.cut for o in overset[before:] if o.cut), 0)
        y += option.height * pitch
        available -= option.height
    dropped = article.sections[len(combo):]
    for section in dropped:  # overset whole, as the end of the last band's cut
        overset += section_overset(section, tail or dropped[0].line)
    blank += max(0, available) * geometry.columns
    if article.credit:
        frames.append(one_line(composer, "credit", article.credit,
                               geometry.type_height - (kept + 1) * pitch,
                               1, width, overset))
    for frame in frames:
        for line in frame.lines:
            if isinstance(line, cjk.Line) and line.overfull:
                warnings.append(f"line {frame.source_line}: overfull line '{line.text}'")
    copy = sum(len(text.text) for text in article.texts())
    return PlacedPage(geometry, frames, overset, warnings, blank,
                      copy - sum(o.characters for o in overset))


EDITOR_LABELS = {"editor": "责任编辑：", "art_editor": "美术编辑：",
                 "proofreader": "校对："}
ISSUE_ZONE = 26  # header characters kept for the date and issue (2023年12月31日 星期日…)


def editor_line(page):
    """责任编辑：… 美术编辑：… 校对：…: the page's editors as its head sets them."""
    return "　".join(label + page.editors[role] for role, label in EDITOR_LABELS.items()
                    if page.editors.get(role))


def running_head(composer, page, paper, overset):
    """The running head (报眉) three body lines high: the paper's name from the left
    up to the date and issue, which start at 30% of the width; the page number and
    title from the right up to them; the editors below, from the right up to the
    paper's name. What does not fit its zone is overset, never set over its
    neighbour (components.css places the parts). The frame carries what is set: the
    paper's name as its text, the page title as its style, the editors as its line."""
    geometry = composer.geometry
    width, char = geometry.type_width, geometry.char
    issue = 0.3 * width
    editors = editor_line(page)
    folio = len(composer.house.running_head.folio.format(
        paper=paper, date="", issue="", page=page.number, title="") + "　")
    parts = []
    for what, text, style, measure, tracking in (
            ("paper name (edition.yaml 'paper:')", paper, "masthead", issue - char,
             composer.tracking("masthead")),
            ("page title (front matter 'title:')", page.title, "header",
             width - issue - (ISSUE_ZONE + folio + 1) * char - 12, 0.0),
            ("editors (front matter 'editors:')", editors, "body", width - issue - char,
             0.0)):
        count = composer.fitting_characters(text, style, measure, tracking=tracking)
        if count < len(text):
            overset.append(Overset(what, 1, len(text) - count, text[count:count + SHOWN],
                                   room=count))
        parts.append(text[:count])
    return Frame("header", 0, 0, width, 3 * geometry.pitch, text=parts[0], style=parts[1],
                 lines=parts[2:])


def place_headline(composer, headline, y, limit, frames, overset):
    """The headline lines, a frame each, aligned as the house style says
    (staggered: alternately to the left and the right): at the size that fits the
    longest in the house style's share of the width (at most its largest size),
    smaller where the lines would take more than ``limit`` body lines, never below
    its smallest size. Lines beyond ``limit`` and the end of a line too long for its
    measure are overset."""
    geometry, rules = composer.geometry, composer.house.headline
    width = geometry.type_width
    face = composer.style("headline")[0]
    longest = max((sum(composer.fonts.advance(face, c) for c in t.text)
                   for t in headline), default=1)
    size = max(rules.min_size, min(rules.max_size,
                                   math.floor(width * rules.width_share / longest)))

    def lines(size):
        return math.ceil(size * 1.2 / geometry.pitch)
    while size > rules.min_size and len(headline) * lines(size) > limit:
        size -= 1
    shown = headline[:limit // lines(size)]
    for index, text in enumerate(shown):
        count = composer.fitting_characters(text.text, "headline",
                                            width * (1 - rules.indent), size)
        if count < len(text.text):
            overset.append(Overset("headline", text.line, len(text.text) - count,
                                   text.text[count:count + SHOWN], room=count))
        frames.append(Frame("headline", 0, y, width, lines(size) * geometry.pitch,
                            text=text.text[:count], size=size, source_line=text.line,
                            style=headline_alignment(rules.align, index)))
        y += lines(size) * geometry.pitch
    cut = headline[len(shown)].line if len(shown) < len(headline) else 0
    overset += [Overset("headline", text.line, len(text.text), text.text[:SHOWN], cut)
                for text in headline[len(shown):]]
    return y


VERTICAL_SHARE = 0.5  # of the type width a vertical headline's columns may take
COLUMN_STEP = 1.25    # em from one vertical headline column to the next


def place_vertical_band(composer, article, y, frames, overset):
    """A vertical headline (竖排) at the right of the top band, one column per
    headline line from the right edge, read right to left; the subtitle, byline and
    lead to its left in the rest of the width. The headline takes the largest size of
    the house style at which its longest line fits the band's height (the headline's
    ``page_share`` of the lines), that line spanning whole body lines; never below the
    smallest size, where the end of a line too long for the band is overset, as are
    the columns beyond half the width. The columns stand a body line below the
    running head; the band is whole body lines, as tall as the headline or the text
    beside it, whichever is taller; returns its foot."""
    geometry, rules = composer.geometry, composer.house.headline
    pitch, width = geometry.pitch, geometry.type_width
    role = composer.style("headline")[0]
    limit = math.floor(geometry.lines * rules.page_share) - 1
    columns = [vertical.compose(composer.fonts, role, text.text) for text in article.headline]
    longest = max(vertical.length(cells) for cells in columns)
    lines = max(1, min(limit, math.floor(longest * rules.max_size / pitch)))
    size = max(rules.min_size, lines * pitch / longest)
    step = COLUMN_STEP * size
    shown = columns[:max(1, math.floor((width * VERTICAL_SHARE - size) / step) + 1)]
    tallest = 0
    for index, (text, cells) in enumerate(zip(article.headline, shown)):
        placed = vertical.fitting(cells, limit * pitch / size)
        count = sum(len(cell.text) for cell in placed)
        if count < len(text.text):
            overset.append(Overset("headline", text.line, len(text.text) - count,
                                   text.text[count:count + SHOWN], room=count))
        height = math.ceil(vertical.length(placed) * size / pitch - 1e-6)
        tallest = max(tallest, height)
        frames.append(Frame("vertical", width - size - index * step, y + pitch, size,
                            height * pitch, lines=placed, text=text.text[:count], size=size,
                            source_line=text.line))
    rest = article.headline[len(shown):]
    overset += [Overset("headline", text.line, len(text.text), text.text[:SHOWN],
                        rest[0].line) for text in rest]
    beside = width - size - (len(shown) - 1) * step - 2 * geometry.char
    top = y
    for name, lines in (("subtitle", 2), ("byline", 1)):
        text = getattr(article, name)
        if text:
            frames.append(replace(one_line(composer, name, text, y, lines, beside, overset),
                                  width=beside))
            y += lines * pitch
    y += pitch
    if article.lead:
        y = place_lead(composer, article.lead, frames, y,
                       math.floor(geometry.lines * composer.house.lead.page_share), overset,
                       beside)
    return max(y, top + (tallest + 2) * pitch)


def headline_alignment(align, index):
    """The CSS class of a headline line: left, right or centre."""
    if align == "staggered":
        return "left" if index % 2 == 0 else "right"
    return align


def one_line(composer, style, text, y, lines, measure, overset):
    """A frame across the type area ``lines`` body lines high for a one-line element
    (subtitle, byline, credit) with what of it fits ``measure``; the rest is
    overset, never wrapped onto what follows."""
    geometry = composer.geometry
    count = composer.fitting_characters(text.text, style, measure)
    if count < len(text.text):
        overset.append(Overset(style, text.line, len(text.text) - count,
                               text.text[count:count + SHOWN], room=count))
    return Frame(style, 0, y, geometry.type_width, lines * geometry.pitch,
                 text=text.text[:count], style=style, source_line=text.line)


def lead_layouts(geometry, preferred, width=None):
    """Where the lead's columns may go, best first, as (left edges, width): three or
    four columns across the page or the ``width`` beside a vertical headline
    (``preferred``, the house style's), then fewer on the base grid, two base
    columns wide, then one, as far as they fit in that width."""
    width, gutter = width or geometry.type_width, 2 * geometry.char
    for count in preferred:
        column = (width - (count - 1) * gutter) / count
        yield [n * (column + gutter) for n in range(count)], column
    for span in (2, 1):
        for count in range(min(preferred) - 1, 0, -1):
            if sum(geometry.span((count - 1) * span, span)) <= width + 0.01:
                yield [geometry.span(n * span, span)[0] for n in range(count)], \
                    geometry.span(0, span)[1]


def lead_lines(composer, lead, measure, capacity):
    """The lead composed at ``measure`` as (line, source line), up to a little
    over ``capacity`` lines; and the copy beyond that, not composed, as an Overset."""
    per_line = 2 * max(1, round(measure / composer.style("lead")[1]))  # Latin sets ~2 a em
    lines, rest = [], None
    for paragraph in lead:
        room = 0 if rest else max(0, capacity + 1 - len(lines)) * per_line
        if len(paragraph.text) > room:
            rest = rest or Overset("lead", paragraph.line, 0,
                                   paragraph.text[room:room + SHOWN])
            rest.characters += len(paragraph.text) - room
        lines += [(line, paragraph.line) for line in
                  (composer.lines(paragraph.text[:room], "lead", measure) if room else [])]
    return lines, rest


def place_lead(composer, lead, frames, y, limit, overset, width=None):
    """The lead above a rule, in the house style's numbers of columns across the
    page (three or four) or across ``width`` from the left edge, whichever leaves
    them most even; a lead too short to give each column the house style's fewest
    lines takes fewer, narrower columns (down to one base column). Columns are
    balanced; what does not fit in ``limit`` body lines is overset."""
    geometry, rules = composer.geometry, composer.house.lead
    _, size, line_height = composer.style("lead")
    most = max(1, math.floor((limit - 1) * geometry.pitch / line_height))
    settings = []
    for lefts, column_width in lead_layouts(geometry, rules.columns, width):
        measure = math.floor(column_width / size) * size
        lines, rest = lead_lines(composer, lead, measure, len(lefts) * most)
        per_column = min(most, math.ceil(len(lines) / len(lefts)))
        held = per_column * len(lefts)
        lost = sum(len(line.text) for line, _ in lines[held:]) + (rest.characters if rest else 0)
        settings.append(((lost, held - min(held, len(lines))),  # overset, then unevenness
                         lefts, measure, lines, rest, per_column))
    across = [s for s in settings[:len(rules.columns)]
              if len(s[3]) >= rules.min_lines * len(s[1])]
    narrower = [s for s in settings[len(rules.columns):]
                if len(s[3]) >= rules.min_lines * len(s[1])]
    _, lefts, measure, lines, rest, per_column = (
        min(across, key=lambda s: s[0]) if across
        else narrower[0] if narrower else settings[-1])
    placed = lines[:per_column * len(lefts)]
    if len(placed) < len(lines):
        first, line = lines[len(placed)]
        overset.append(Overset("lead", line, sum(len(l.text) for l, _ in lines[len(placed):]),
                               first.text[:SHOWN], cut=line))
    if rest:
        rest.cut = overset[-1].cut if len(placed) < len(lines) else rest.line
        overset.append(rest)
    short, long = divmod(len(placed), len(lefts))  # balanced: the first columns one longer
    start = 0
    for column, x in enumerate(lefts):
        chunk = placed[start:start + short + (column < long)]
        start += len(chunk)
        frames.append(Frame("lead", x, y, measure, len(chunk) * line_height,
                            lines=[line for line, _ in chunk], style="lead", size=size,
                            line_height=line_height,
                            source_line=chunk[0][1] if chunk else 0))
    height = math.ceil(per_column * line_height / geometry.pitch) + 1
    frames.append(Frame("rule", 0, y + (height - 0.5) * geometry.pitch,
                        width or geometry.type_width, 0))
    return y + height * geometry.pitch


def banner_texts(composer, section, overset):
    """A section's title and subheading, what of them fits on the banner's one line
    (the title in its box, then the subheading); the rest is overset."""
    geometry = composer.geometry
    texts, measure = [], geometry.type_width - BANNER_BOX
    for text, style, tracking in ((section.title, "banner", composer.tracking("banner")),
                                  (section.subheading, "subheading", 0.0)):
        if not text:
            texts.append("")
            continue
        count = composer.fitting_characters(text.text, style, measure, tracking=tracking)
        if count < len(text.text):
            overset.append(Overset(style, text.line, len(text.text) - count,
                                   text.text[count:count + SHOWN], room=count))
        texts.append(text.text[:count])
        size = composer.style(style)[1]
        measure -= sum(composer.fonts.advance(composer.style(style)[0], c) * size + tracking
                       for c in texts[-1])
    return texts


def place_section(composer, section, option, y, frames, overset):
    """Place a section band as ``option`` sets it; returns the blank line slots it
    leaves. Text the band cannot hold is overset from where it stops."""
    geometry = composer.geometry
    pitch = geometry.pitch
    body = option.body
    title, subheading = banner_texts(composer, section, overset)
    frames.append(Frame("banner", 0, y, geometry.type_width, HEADING_LINES * pitch,
                        text=title, source_line=section.line, style=subheading))
    top = y + HEADING_LINES * pitch
    heights = option.column_heights(body)
    columns, left = flow(option.items, heights)
    width = option.chars * geometry.char
    for number, (column, height) in enumerate(zip(columns, heights)):
        x = geometry.span(number * option.column_span, option.column_span)[0]
        column_top = top + (body - height) * pitch
        if number:
            rule_top = top + (body - max(height, heights[number - 1])) * pitch
            frames.append(Frame("rule", x - geometry.gutter / 2, rule_top, 0,
                                top + body * pitch - rule_top, style="vertical"))
        frames.append(Frame("column", x, column_top, width, height * pitch,
                            lines=list(column), source_line=section.line))
    for item in left:
        overset.append(Overset(item.block, item.line, item.characters, item_start(item),
                               cut=left[0].line))
    if option.photos:
        place_photos(composer, section, option, top, min(body, option.photo_lines),
                     frames, overset)
    return sum(height - sum(item.height for item in column)
               for height, column in zip(heights, columns)) * option.column_span


def item_start(item):
    """The first characters of what a flow item sets."""
    if item.frame_kind == "line":
        return item.payload.text[:SHOWN]
    if item.frame_kind == "quote":
        return "".join(line.text for line in item.payload.lines)[:SHOWN]
    if item.frame_kind in ("table", "box"):
        return item.payload.text[:SHOWN]
    return item.payload or ""


def photos_left_out(section, placed):
    """Overset for the photos of ``section`` its band could not place."""
    photos = section.photos[len(placed.photos):]
    return [Overset("photo", photo.line, len(photo.caption.text),
                    photo.caption.text[:SHOWN], photos[0].line) for photo in photos]


def section_overset(section, cut):
    """Overset for every element of a section that is not placed at all."""
    texts = [("banner", section.title), ("subheading", section.subheading)]
    for block in section.blocks:
        if isinstance(block, PullQuote):
            texts.append(("pull quote", Text("".join(t.text for t in block.lines), block.line)))
        elif isinstance(block, Table):
            texts.append(("table", Text("".join(c.text for c in block.cells), block.line)))
        elif isinstance(block, Box):
            texts.append(("box", Text("".join(t.text for t in block.paragraphs), block.line)))
        else:
            texts.append(("paragraph", block))
    texts += [("photo", photo.caption) for photo in section.photos]
    return [Overset(kind, text.line, len(text.text), text.text[:SHOWN], cut)
            for kind, text in texts if text]


def place_photos(composer, section, option, top, lines, frames, overset):
    """Photos in rows sharing ``lines`` body lines; each caption below its photo,
    each photo cropped around its focus."""
    geometry = composer.geometry
    pitch = geometry.pitch
    rows = option.photos
    first = 0 if option.photos_left else geometry.columns - option.photo_span
    _, _, caption_height = composer.style("caption")
    shares = rows.shares(lines - sum(rows.caption_lines))
    y = top
    for row, share, caption in zip(rows.rows, shares, rows.caption_lines):
        if share is None:
            overset.extend(Overset("photo", section.photos[n].line,
                                   len(section.photos[n].caption.text)) for n in row)
            continue
        column = first
        for n in row:
            photo = section.photos[n]
            x, width = geometry.span(column, rows.spans[n])
            height = share * pitch - pitch / 3
            frames.append(Frame("photo", x, y, width, height, src=photo.src,
                                text=photo.caption.text, source_line=photo.line,
                                crop=crop_position(photo, width, height,
                                                   composer.house.photos.portrait_focus)))
            frames.append(Frame("caption", x, y + share * pitch, width, caption * pitch,
                                lines=rows.captions[n], style="caption",
                                size=rows.caption_sizes[n], line_height=caption_height,
                                source_line=photo.line))
            column += rows.spans[n]
        y += (share + caption) * pitch


def crop_position(photo, width, height, portrait_focus):
    """Where a frame's window onto its photo sits, as CSS object-position
    percentages: centred on the photo's focus as far as the photo reaches. Without
    a focus, the centre; for a portrait or square photo, the upper third, where
    heads are (a crop from the centre cuts a face at the mouth)."""
    if not photo.pixels:
        return 50.0, 50.0
    pixel_width, pixel_height = photo.pixels
    focus = photo.focus or (portrait_focus if pixel_height >= pixel_width else (0.5, 0.5))
    scale = max(width / pixel_width, height / pixel_height)  # object-fit: cover

    def along(pixels, frame, point):
        overflow = pixels * scale - frame
        if overflow < 0.01:
            return 50.0
        return 100 * min(max(point * pixels * scale - frame / 2, 0), overflow) / overflow
    return along(pixel_width, width, focus[0]), along(pixel_height, height, focus[1])
