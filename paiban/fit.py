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

import itertools
import math
from dataclasses import dataclass, field

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
HEADLINE_MAX = 48.0
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
    holes: int  # body-line slots left blank inside text columns and at the foot


class Composer:
    """Composes text in a style at a measure, with the style's face metrics."""

    def __init__(self, fonts, geometry):
        self.fonts = fonts
        self.geometry = geometry
        self.cache = {}

    def style(self, name):
        role, size, line_height = STYLES[name]
        return role, size or self.geometry.body_size, line_height or self.geometry.pitch

    def lines(self, text, style, width_pt, indent=2.0, justified=True):
        key = (text, style, round(width_pt, 3), indent, justified)
        if key not in self.cache:
            role, size, _ = self.style(style)
            self.cache[key] = cjk.compose(
                text, width_pt / size, lambda char: self.fonts.advance(role, char),
                can_halve=self.fonts.has_feature(role, "halt"), indent=indent,
                justified=justified)
        return self.cache[key]


def text_columns(geometry, span):
    """Column layouts of a text area ``span`` base columns wide: (count, chars, gutter)."""
    total = span * (geometry.column_chars + geometry.gutter_chars) - geometry.gutter_chars
    options = []
    for count in range(1, span + 1):
        chars = (total - (count - 1) * geometry.gutter_chars) // count
        slack = total - count * chars - (count - 1) * geometry.gutter_chars
        gutter = geometry.gutter_chars + (slack / (count - 1) if count > 1 else 0)
        if 12 <= chars <= 28 and gutter <= geometry.gutter_chars * 1.5 and (
                count == 1 or slack == 0 or count > 1):
            options.append((count, chars, gutter))
    return options


@dataclass
class Item:
    """Something that flows down a text column: a body line, or a pull quote."""
    height: float
    frame_kind: str
    payload: object
    block: str
    line: int
    characters: int


def flow(items, columns, height):
    """Fill columns top to bottom; return (columns of items, items left over)."""
    filled = [[] for _ in range(columns)]
    column, used = 0, 0.0
    for index, item in enumerate(items):
        while used + item.height > height + 1e-6:
            column, used = column + 1, 0.0
            if column == columns:
                return filled, items[index:]
        filled[column].append(item)
        used += item.height
    return filled, []


def section_items(composer, section, width):
    geometry = composer.geometry
    items = []
    for block in section.blocks:
        if isinstance(block, PullQuote):
            lines = []
            for text in block.lines:
                lines += composer.lines(text.text, "quote", width - 2 * geometry.char,
                                        indent=0, justified=False)
            _, _, line_height = composer.style("quote")
            height = math.ceil((len(lines) * line_height + geometry.pitch) / geometry.pitch)
            items.append(Item(height * geometry.pitch, "quote", lines, "pull quote",
                              block.line, sum(len(t.text) for t in block.lines)))
        else:
            for line in composer.lines(block.text, "body", width):
                items.append(Item(geometry.pitch, "line", line, "paragraph", block.line,
                                  len(line.text)))
    return items


@dataclass
class BandOption:
    span: int          # base columns for text
    count: int
    chars: int
    gutter: float      # in characters
    items: list
    text_lines: int    # minimal column height, in lines
    photo_min: int
    photo_max: int
    captions: list     # composed caption lines per photo
    per_row: int = 1   # photos in a row


def minimal_height(items, count, pitch):
    total = sum(item.height for item in items)
    lines = math.ceil(total / pitch / count - 1e-9)
    while flow(items, count, lines * pitch)[1]:
        lines += 1
    return lines


def photo_bounds(composer, photos, span, per_row):
    """Captions and the min and max height (lines) of photos set ``per_row`` a row
    in an area ``span`` base columns wide."""
    geometry = composer.geometry
    width = geometry.span(0, span // per_row)[1]
    _, _, caption_height = composer.style("caption")
    captions = [composer.lines(photo.caption.text, "caption", width, indent=0)
                for photo in photos]
    low = high = 0
    for first in range(0, len(photos), per_row):
        row = captions[first:first + per_row]
        caption = max(math.ceil((len(lines) * caption_height + 4) / geometry.pitch)
                      for lines in row)
        low += math.ceil(width * PHOTO_RATIO[0] / geometry.pitch) + caption
        high += math.floor(width * PHOTO_RATIO[1] / geometry.pitch) + caption
    return captions, low, high


def band_options(composer, section):
    """Every way the grid allows to set a section: text span, columns, photo rows."""
    geometry = composer.geometry
    spans = [geometry.columns] if not section.photos else \
        [s for s in range(geometry.columns - 4, geometry.columns - 1) if s > 0]
    options = []
    for span in spans:
        photo_span = geometry.columns - span
        layouts = [(1, [], 0, 0)] if not section.photos else [
            (per_row, *photo_bounds(composer, section.photos, photo_span, per_row))
            for per_row in range(1, min(photo_span, len(section.photos)) + 1)
            if photo_span % per_row == 0]
        for count, chars, gutter in text_columns(geometry, span):
            items = section_items(composer, section, chars * geometry.char)
            lines = minimal_height(items, count, geometry.pitch)
            for per_row, captions, low, high in layouts:
                options.append(BandOption(span, count, chars, gutter, items, lines, low,
                                          high, captions, per_row))
    return options


HEADING_LINES = 2


def band_height(option):
    return HEADING_LINES + max(option.text_lines, option.photo_min)


def band_cost(option, geometry):
    """Blank slots the option leaves in its text columns, in body lines of a column."""
    body = max(option.text_lines, option.photo_min)
    filled = sum(item.characters if item.frame_kind == "line"
                 else item.height / geometry.pitch * option.chars for item in option.items)
    return (body * option.count * option.chars - filled) / geometry.column_chars \
        + 0.2 * abs(option.chars - geometry.column_chars)


def choose(option_sets, available, geometry):
    """One option per band, filling ``available`` lines with the fewest blank slots.

    Dynamic programming over lines used: cost of the bands so far, by height.
    """
    best = {0: (0.0, ())}
    for options in option_sets:
        step = {}
        for used, (cost, picked) in best.items():
            for option in options:
                total = used + band_height(option)
                if total > available:
                    continue
                value = cost + band_cost(option, geometry)
                if total not in step or value < step[total][0]:
                    step[total] = (value, picked + (option,))
        best = step
    if not best:
        return None
    spare_cost = geometry.columns * (geometry.column_chars + 1) / geometry.column_chars
    used = min(best, key=lambda u: best[u][0] + (available - u) * spare_cost)
    return best[used][1]


def fit_page(page, fonts, geometry):
    """Place ``page`` on ``geometry``: frames, overset and warnings."""
    composer = Composer(fonts, geometry)
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
    sections = [s for s in article.sections]
    option_sets = [band_options(composer, section) for section in sections]
    combo = choose(option_sets, available, geometry) if sections else ()
    holes = 0
    if combo is None:
        combo = [min(options, key=band_height) for options in option_sets]
    spare = available - sum(band_height(o) for o in combo)
    for index, (section, option) in enumerate(zip(sections, combo)):
        height = band_height(option)
        grow = 0
        if spare > 0:
            grow = min(spare, max(0, option.photo_max - (height - HEADING_LINES)))
            spare -= grow
        body = height + grow - HEADING_LINES
        if y + (HEADING_LINES + body) * pitch > geometry.type_height - foot + 1e-6:
            body = max(0, round((geometry.type_height - foot - y) / pitch) - HEADING_LINES)
        holes += place_section(composer, section, option, index, y, body, frames, overset)
        y += (HEADING_LINES + body) * pitch
    holes += max(0, spare) * geometry.columns * geometry.column_chars // 13
    if article.credit:
        frames.append(Frame("credit", 0, geometry.type_height - pitch, width, pitch,
                            text=article.credit.text, source_line=article.credit.line))
    for frame in frames:
        for line in frame.lines:
            if isinstance(line, cjk.Line) and line.overfull:
                warnings.append(f"line {frame.source_line}: overfull line '{line.text}'")
    return PlacedPage(geometry, frames, overset, warnings, holes)


def headline_size(fonts, headline, width):
    longest = max((sum(fonts.advance("song_heavy", c) for c in t.text) for t in headline),
                  default=1)
    return min(HEADLINE_MAX, math.floor(width * 0.6 / longest))


def place_lead(composer, lead, frames, y):
    geometry = composer.geometry
    _, size, line_height = composer.style("lead")
    count, chars, gutter = 4, None, None
    span_width = geometry.type_width
    column_width = (span_width - (count - 1) * 2 * geometry.char) / count
    measure = math.floor(column_width / size) * size
    lines = []
    for paragraph in lead:
        lines += [(line, paragraph.line) for line in
                  composer.lines(paragraph.text, "lead", measure)]
    per_column = math.ceil(len(lines) / count)
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


def place_section(composer, section, option, index, y, body, frames, overset):
    """Place a section band; returns the blank body-line slots it leaves."""
    geometry = composer.geometry
    pitch = geometry.pitch
    photo_span = geometry.columns - option.span
    photos_left = index % 2 == 1
    text_first = photo_span if (photos_left and section.photos) else 0
    text_x = geometry.span(text_first, option.span)[0]
    frames.append(Frame("banner", 0, y, geometry.type_width, HEADING_LINES * pitch,
                        text=section.title.text if section.title else "",
                        source_line=section.line,
                        style=section.subheading.text if section.subheading else ""))
    top = y + HEADING_LINES * pitch
    columns, left = flow(option.items, option.count, body * pitch)
    column_width = option.chars * geometry.char
    step = column_width + option.gutter * geometry.char
    holes = 0
    for number, column in enumerate(columns):
        x = text_x + number * step
        if number:
            frames.append(Frame("rule", x - option.gutter * geometry.char / 2, top, 0,
                                body * pitch, style="vertical"))
        frames.append(Frame("column", x, top, column_width, body * pitch,
                            lines=list(column), source_line=section.line))
        holes += body - round(sum(item.height for item in column) / pitch)
    for item in left:
        overset.append(Overset(item.block, item.line, item.characters))
    if section.photos:
        place_photos(composer, section, option, photos_left, top, body, frames, overset)
    return holes


def place_photos(composer, section, option, photos_left, top, body, frames, overset):
    """Photos in rows beside the text; rows share the band's height; captions below."""
    geometry = composer.geometry
    pitch = geometry.pitch
    photo_span = geometry.columns - option.span
    per_row = option.per_row
    width = geometry.span(0, photo_span // per_row)[1]
    left = geometry.span(0 if photos_left else option.span, photo_span)[0]
    _, size, caption_height = composer.style("caption")
    rows = [list(zip(section.photos, option.captions))[i:i + per_row]
            for i in range(0, len(section.photos), per_row)]
    caption_lines = [max(math.ceil((len(lines) * caption_height + 4) / pitch)
                         for _, lines in row) for row in rows]
    frame_lines = body - sum(caption_lines)
    shares = [frame_lines // len(rows)] * len(rows)
    shares[0] += frame_lines - sum(shares)
    y = top
    for row, share, caption in zip(rows, shares, caption_lines):
        if share < 3:
            overset.extend(Overset("photo", photo.line, len(photo.caption.text))
                           for photo, _ in row)
            continue
        for number, (photo, lines) in enumerate(row):
            x = left + number * (width + geometry.gutter)
            frames.append(Frame("photo", x, y, width, share * pitch - pitch / 3,
                                src=photo.src, text=photo.caption.text,
                                source_line=photo.line))
            frames.append(Frame("caption", x, y + share * pitch, width, caption * pitch,
                                lines=lines, style="caption", size=size,
                                line_height=caption_height, source_line=photo.line))
        y += (share + caption) * pitch
