"""Fit an article onto one page: compose every block, choose the bands, place frames.

The page is a stack of bands on the base grid: the running head (报眉), the
headline block, the lead, then one band per section (heading row, then body text in
columns beside its photos). For each section the fitter tries the text widths and
column counts the grid allows (column widths a whole number of characters, 变栏) and
picks the combination that fills the type area with the least blank space. Every
height is a whole number of body lines, so all body lines sit on one baseline grid.
What does not fit is overset: reported per block in characters, never pushed onto a
second page.
"""

import math
from dataclasses import dataclass, field, replace

from . import cjk
from .model import PullQuote

# Type styles: role in the font lock, size and line height in points.
STYLES = {
    "body": ("song", 9.0, None),          # line height: the geometry's pitch
    "lead": ("kai", 10.5, 17.0),
    "quote": ("kai", 14.0, 21.6),
    "caption": ("kai", 8.0, 12.0),
    "subtitle": ("kai", 16.0, 20.0),
    "byline": ("kai", 12.0, 14.4),
    "banner": ("hei", 14.0, 20.0),
    "subheading": ("song_heavy", 14.0, 20.0),
    "credit": ("kai", 8.0, 12.0),
    "header": ("hei", 9.0, 14.4),
    "masthead": ("hei", 20.0, 24.0),
    "headline": ("song_heavy", None, None),  # size fitted to the width
}
# Where a style composes differently from the edition's settings (cjk.Settings).
STYLE_SETTINGS = {
    "caption": {"indent": 0.0},
    "quote": {"indent": 0.0, "justified": False},  # centred, one verse a line
}
HEADLINE_MAX = 48.0
LEAD_COLUMNS = (4, 3)  # preferred first
PHOTO_RATIO = (0.5, 0.8)  # frame height / width


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


@dataclass
class Overset:
    block: str
    line: int
    characters: int


@dataclass
class PlacedPage:
    geometry: object
    frames: list
    overset: list
    warnings: list
    blank_lines: int  # body-line slots of a base column left blank by the bands


class Composer:
    """Composes text in a style at a measure, with the style's face metrics and
    the edition's composition settings."""

    def __init__(self, fonts, geometry, rules=cjk.Settings()):
        self.fonts = fonts
        self.geometry = geometry
        self.rules = rules
        self.cache = {}

    def style(self, name):
        role, size, line_height = STYLES[name]
        return role, size or self.geometry.body_size, line_height or self.geometry.pitch

    def lines(self, text, style, width_pt, size=None):
        role, style_size, _ = self.style(style)
        size = size or style_size
        key = (text, style, round(width_pt, 3), size)
        if key not in self.cache:
            self.cache[key] = cjk.compose(
                text, width_pt / size, lambda unit: self.fonts.advance(role, unit),
                lambda char: self.fonts.ink_side(role, char),
                rules=replace(self.rules, **STYLE_SETTINGS.get(style, {})))
        return self.cache[key]

    def fitting_size(self, texts, style, width_pt):
        """The style's size, or smaller so that the longest text sets on one line
        (its closing mark squeezed to half width)."""
        role, size, _ = self.style(style)
        longest = max(sum(self.fonts.advance(role, char) for char in text)
                      - (0.5 if self.fonts.ink_side(role, text[-1]) else 0)
                      for text in texts)
        return min(size, math.floor(2 * width_pt / longest) / 2)


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
    however large the copy is."""
    geometry = composer.geometry
    _, _, quote_height = composer.style("quote")
    per_line = round(width / geometry.char)
    items, used, rest = [], 0, None
    for block in section.blocks:
        if isinstance(block, PullQuote):
            if used > capacity:
                continue
            quote_width = width
            size = composer.fitting_size([t.text for t in block.lines], "quote", quote_width)
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
            rest = rest or Item(capacity + 1, "rest", None, "paragraph", block.line, 0)
            rest.characters += len(block.text) - room
        for line in composer.lines(block.text[:room], "body", width) if room else []:
            items.append(Item(1, "line", line, "paragraph", block.line, len(line.text)))
            used += 1
    return items + ([rest] if rest else [])


@dataclass
class PhotoRows:
    """Photos set ``per_row`` a row, each ``span`` base columns wide, captions below."""
    per_row: int
    span: int
    caption_size: float  # pt, so that the caption measure is whole characters
    captions: list       # composed caption lines, per photo
    caption_lines: list  # per row, in body lines
    frame_min: int       # per row, in body lines
    frame_max: int

    @property
    def low(self):
        return sum(self.caption_lines) + self.frame_min * len(self.caption_lines)

    @property
    def high(self):
        return sum(self.caption_lines) + self.frame_max * len(self.caption_lines)


def photo_rows(composer, photos, area_span, per_row):
    geometry = composer.geometry
    span = area_span // per_row
    width = geometry.span(0, span)[1]
    _, size, caption_height = composer.style("caption")
    size = width / math.floor(width / size)
    captions = [composer.lines(photo.caption.text, "caption", width, size)
                for photo in photos]
    caption_lines = [max(math.ceil((len(lines) * caption_height + 4) / geometry.pitch)
                         for lines in captions[first:first + per_row])
                     for first in range(0, len(photos), per_row)]
    return PhotoRows(per_row, span, size, captions, caption_lines,
                     math.ceil(width * PHOTO_RATIO[0] / geometry.pitch),
                     math.floor(width * PHOTO_RATIO[1] / geometry.pitch))


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


def blank_lines(option, heights):
    """Empty body-line slots a flow leaves in the text columns."""
    columns, _ = flow(option.items, heights)
    return sum(height - sum(item.height for item in column)
               for height, column in zip(heights, columns))


def band_options(composer, section, photos_left, limit):
    """Every way the grid allows to set a section, at most ``limit`` lines high,
    the cheapest for each height."""
    geometry = composer.geometry
    best = {}
    for column_span in (1, 2):
        count = geometry.columns // column_span
        chars = column_span * (geometry.column_chars + geometry.gutter_chars) \
            - geometry.gutter_chars
        items = section_items(composer, section, chars * geometry.char, limit * count)
        text = sum(item.height for item in items)
        layouts = [(0, None, 0)]
        if section.photos:
            layouts = []
            for photo_span in range(column_span, geometry.columns, column_span):
                for per_row in range(1, len(section.photos) + 1):
                    if photo_span % per_row:
                        continue
                    rows = photo_rows(composer, section.photos, photo_span, per_row)
                    layouts += [(photo_span, rows, lines)
                                for lines in range(rows.low, rows.high + 1)]
        for photo_span, rows, photo_lines in layouts:
            option = BandOption(column_span, count, chars, items, photo_span, rows,
                                photo_lines, photos_left, 0, 0.0)
            under = photo_span // column_span
            body = max(photo_lines, math.ceil((text + under * photo_lines) / count))
            while body <= limit and flow(items, option.column_heights(body))[1]:
                body += 1
            overset = body > limit
            if overset:  # as tall as the page allows; the rest is reported
                body = limit - HEADING_LINES
            if body < photo_lines or \
                    photo_lines and 0 < body - photo_lines < MIN_LINES_UNDER_PHOTO:
                continue
            option.body = body
            option.cost = blank_lines(option, option.column_heights()) * chars \
                / geometry.column_chars + 0.2 * abs(chars - geometry.column_chars) \
                + (OVERSET_COST if overset else 0)
            if option.height not in best or option.cost < best[option.height].cost:
                best[option.height] = option
    return list(best.values())


def choose(option_sets, available, geometry):
    """One option per band, filling ``available`` lines with the fewest blank slots.

    Dynamic programming over lines used: cost of the bands so far, by height.
    """
    best = {0: (0.0, ())}
    for options in option_sets:
        step = {}
        for used, (cost, picked) in best.items():
            for option in options:
                total = used + option.height
                value = cost + option.cost
                if total <= available and (total not in step or value < step[total][0]):
                    step[total] = (value, picked + (option,))
        best = step
    if not best:
        return None
    used = min(best, key=lambda u: best[u][0] + (available - u) * geometry.columns)
    return best[used][1]


def fit_page(page, fonts, geometry, rules=cjk.Settings()):
    """Place ``page`` on ``geometry``: frames, overset and warnings."""
    composer = Composer(fonts, geometry, rules)
    article = page.article
    pitch, width = geometry.pitch, geometry.type_width
    frames, overset, warnings = [], [], []
    y = 0.0

    frames.append(Frame("header", 0, y, width, 3 * pitch))
    y += 3 * pitch

    size = headline_size(fonts, article.headline, width)
    line_height = math.ceil(size * 1.2 / pitch) * pitch
    for index, text in enumerate(article.headline):
        frames.append(Frame("headline", 0, y, width, line_height, text=text.text,
                            size=size, source_line=text.line,
                            style="left" if index % 2 == 0 else "right"))
        y += line_height
    for name, lines in (("subtitle", 2), ("byline", 1)):
        text = getattr(article, name)
        if text:
            frames.append(Frame(name, 0, y, width, lines * pitch, text=text.text,
                                style=name, source_line=text.line))
            y += lines * pitch
    y += pitch

    if article.lead:
        y = place_lead(composer, article.lead, frames, y)

    foot = pitch if article.credit else 0
    available = round((geometry.type_height - y - foot) / pitch)
    option_sets = [band_options(composer, section, index % 2 == 1, available)
                   for index, section in enumerate(article.sections)]
    combo = choose(option_sets, available, geometry)
    if combo is None:  # overset: the smallest setting of each band, cut at the foot
        combo = [min(options, key=lambda o: o.height) for options in option_sets]
    blank = 0
    for section, option in zip(article.sections, combo):
        body = min(option.body, available - HEADING_LINES)
        blank += place_section(composer, section, option, y, body, frames, overset)
        available -= HEADING_LINES + body
        y += (HEADING_LINES + body) * pitch
    blank += max(0, available) * geometry.columns
    if article.credit:
        frames.append(Frame("credit", 0, geometry.type_height - pitch, width, pitch,
                            text=article.credit.text, source_line=article.credit.line))
    for frame in frames:
        for line in frame.lines:
            if isinstance(line, cjk.Line) and line.overfull:
                warnings.append(f"line {frame.source_line}: overfull line '{line.text}'")
    return PlacedPage(geometry, frames, overset, warnings, blank)


def headline_size(fonts, headline, width):
    longest = max((sum(fonts.advance("song_heavy", c) for c in t.text) for t in headline),
                  default=1)
    return min(HEADLINE_MAX, math.floor(width * 0.6 / longest))


def place_lead(composer, lead, frames, y):
    """The lead in three or four columns across the page, whichever leaves its
    columns most even, above a rule."""
    geometry = composer.geometry
    _, size, line_height = composer.style("lead")
    settings = []
    for count in LEAD_COLUMNS:
        column_width = (geometry.type_width - (count - 1) * 2 * geometry.char) / count
        measure = math.floor(column_width / size) * size
        lines = [(line, paragraph.line) for paragraph in lead
                 for line in composer.lines(paragraph.text, "lead", measure)]
        per_column = math.ceil(len(lines) / count)
        settings.append((per_column * count - len(lines), count, column_width, measure,
                         lines, per_column))
    _, count, column_width, measure, lines, per_column = min(settings, key=lambda s: s[0])
    for column in range(count):
        chunk = lines[column * per_column:(column + 1) * per_column]
        x = column * (column_width + 2 * geometry.char)
        frames.append(Frame("lead", x, y, measure, per_column * line_height,
                            lines=[line for line, _ in chunk], style="lead", size=size,
                            line_height=line_height,
                            source_line=chunk[0][1] if chunk else 0))
    height = math.ceil(per_column * line_height / geometry.pitch) + 1
    frames.append(Frame("rule", 0, y + (height - 0.5) * geometry.pitch,
                        geometry.type_width, 0))
    return y + height * geometry.pitch


def place_section(composer, section, option, y, body, frames, overset):
    """Place a section band ``body`` lines high; returns the blank line slots it leaves."""
    geometry = composer.geometry
    pitch = geometry.pitch
    frames.append(Frame("banner", 0, y, geometry.type_width, HEADING_LINES * pitch,
                        text=section.title.text if section.title else "",
                        source_line=section.line,
                        style=section.subheading.text if section.subheading else ""))
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
        overset.append(Overset(item.block, item.line, item.characters))
    if option.photos:
        place_photos(composer, section, option, top, min(body, option.photo_lines),
                     frames, overset)
    return sum(height - sum(item.height for item in column)
               for height, column in zip(heights, columns)) * option.column_span


def place_photos(composer, section, option, top, lines, frames, overset):
    """Photos in rows sharing ``lines`` body lines; each caption below its photo."""
    geometry = composer.geometry
    pitch = geometry.pitch
    rows = option.photos
    first = 0 if option.photos_left else geometry.columns - option.photo_span
    width = geometry.span(0, rows.span)[1]
    _, _, caption_height = composer.style("caption")
    pairs = list(zip(section.photos, rows.captions))
    frame_lines = lines - sum(rows.caption_lines)
    count = len(rows.caption_lines)
    shares = [frame_lines // count + (1 if n < frame_lines % count else 0)
              for n in range(count)]
    y = top
    for number, (share, caption) in enumerate(zip(shares, rows.caption_lines)):
        row = pairs[number * rows.per_row:(number + 1) * rows.per_row]
        if share < rows.frame_min:
            overset.extend(Overset("photo", photo.line, len(photo.caption.text))
                           for photo, _ in row)
            continue
        for place, (photo, caption_lines) in enumerate(row):
            x = geometry.span(first + place * rows.span, rows.span)[0]
            frames.append(Frame("photo", x, y, width, share * pitch - pitch / 3,
                                src=photo.src, text=photo.caption.text,
                                source_line=photo.line))
            frames.append(Frame("caption", x, y + share * pitch, width, caption * pitch,
                                lines=caption_lines, style="caption", size=rows.caption_size,
                                line_height=caption_height, source_line=photo.line))
        y += (share + caption) * pitch
