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
from .printing import PrintSettings

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
PHOTO_RATIO = (0.5, 0.8)  # frame height / width, widened to take a photo's own shape
OWN_RATIO = (1 / 3, 1.5)  # the widest that widening goes
PORTRAIT_FOCUS = (0.5, 1 / 3)  # heads sit in the upper third of a portrait


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


def frame_lines(geometry, photo, width, warn_ppi=None):
    """The fewest and most body lines a photo's frame ``width`` points wide may
    take: the editor's aspect, else PHOTO_RATIO widened to the photo's own shape
    (so it can be set uncropped). With ``warn_ppi``, no larger than the photo's
    pixels fill at that resolution, and None if it cannot be this wide."""
    pitch = geometry.pitch
    if photo.aspect:
        low = high = max(1, round((width * photo.aspect + pitch / 3) / pitch))
    else:
        own = photo.pixels[1] / photo.pixels[0] if photo.pixels else PHOTO_RATIO[0]
        low = math.ceil(width * min(PHOTO_RATIO[0], max(own, OWN_RATIO[0])) / pitch)
        high = math.floor(width * max(PHOTO_RATIO[1], min(own, OWN_RATIO[1])) / pitch)
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
        lines = frame_lines(geometry, photo, width, warn_ppi)
        if lines is None and (photo.columns or span == 1):
            low, _ = frame_lines(geometry, photo, width)
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


def fit_page(page, fonts, geometry, rules=cjk.Settings(), warn_ppi=PrintSettings.warn_ppi):
    """Place ``page`` on ``geometry``: frames, overset and warnings. No photo gets a
    frame larger than its pixels fill at ``warn_ppi``."""
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
    option_sets = [band_options(composer, section, index % 2 == 1, available, warn_ppi)
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
                                crop=crop_position(photo, width, height)))
            frames.append(Frame("caption", x, y + share * pitch, width, caption * pitch,
                                lines=rows.captions[n], style="caption",
                                size=rows.caption_sizes[n], line_height=caption_height,
                                source_line=photo.line))
            column += rows.spans[n]
        y += (share + caption) * pitch


def crop_position(photo, width, height):
    """Where a frame's window onto its photo sits, as CSS object-position
    percentages: centred on the photo's focus as far as the photo reaches. Without
    a focus, the centre; for a portrait or square photo, the upper third, where
    heads are (a crop from the centre cuts a face at the mouth)."""
    if not photo.pixels:
        return 50.0, 50.0
    pixel_width, pixel_height = photo.pixels
    focus = photo.focus or (PORTRAIT_FOCUS if pixel_height >= pixel_width else (0.5, 0.5))
    scale = max(width / pixel_width, height / pixel_height)  # object-fit: cover

    def along(pixels, frame, point):
        overflow = pixels * scale - frame
        if overflow < 0.01:
            return 50.0
        return 100 * min(max(point * pixels * scale - frame / 2, 0), overflow) / overflow
    return along(pixel_width, width, focus[0]), along(pixel_height, height, focus[1])
