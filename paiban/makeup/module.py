"""One article in a module of a given width: every depth it can take, and its cost.

A module is whole base columns wide and whole body lines deep: the headline across
its width on top, then the body in text columns. Photos sit in a row at the top of
the body (text beside and below them), or above the headline across the whole
module, which leaves the module's top free of a headline (the makeup uses that to
set modules side by side without tombstoning). Copyfit is the choice among these
settings, each kept within its bounds: the photo's span and frame depth (unless the
editor set them), the headline's size within its rank's band and its line breaks,
and the number of text columns (破栏: one fewer, wider column). Costs rank them in
that order, so the cheapest way to make an article fill a depth changes the photo
before the headline and the headline before the columns; only what still does not
fit is overset. All costs are integers, so the choice is the same on every machine.
"""

import math
from dataclasses import dataclass

from .model import (
    BRIEFS,
    HEADLINE_LEADING,
    HEADLINE_MEASURE,
    MIN_COLUMN_LINES,
    OWN_RATIO,
    PHOTO_PREFERRED,
    PHOTO_RATIO,
    headline_lines,
    headline_sizes,
    rank,
)

BLANK = 100         # a body-line slot without text
PHOTO_LINE = 3      # a frame line away from the photo's preferred depth
HEAD_STEP = 20      # a headline size step below its band's largest
HEAD_BREAK = 15     # a headline line more than the editor's breaks
SUBCOLUMN = 40      # a text column fewer than the module's base columns
OVERSET = 100000    # a line of copy that does not fit: worse than any tombstone
WIDTH = 300         # a base column outside the rank's width range
SHAPE = 15          # a tenth of the height/width ratio outside LONG_THIN … FLAT
LONG_THIN, FLAT = 25, 3   # module height / width, in tenths


@dataclass(frozen=True, slots=True)
class Option:
    """One way to set an article ``columns`` wide and ``height`` lines deep."""
    cost: int
    height: int
    quiet: bool            # the module's top is a photo or the briefs label, not a headline
    columns: int
    head_size: float
    head_lines: int
    head_depth: int
    text_columns: int
    chars: int
    photo_spans: tuple     # base columns of each photo, left to right
    photo_depth: int       # frame lines plus caption lines; 0 without photos
    body_depth: int        # lines of the text columns beside the photos
    text_lines: int
    blank: int
    overset: int

    def column_lines(self, depth):
        """Lines of copy in each text column when the body is ``depth`` lines deep:
        text first in the columns beside the photo row, then under it, all ending
        at one foot or a line above it (balanced)."""
        if self.photo_spans and not self.quiet:
            beside = self.columns - sum(self.photo_spans)
            tops = [0] * beside + [self.photo_depth] * (self.columns - beside)
        else:
            tops = [0] * self.text_columns
        text = min(self.text_lines, sum(depth - top for top in tops))
        # Short copy takes fewer columns, each MIN_COLUMN_LINES deep or more.
        count = len(tops) if text >= len(tops) * MIN_COLUMN_LINES else \
            max(1, text // MIN_COLUMN_LINES)
        while sum(depth - top for top in tops[:count]) < text:
            count += 1
        foot = 0
        while sum(max(0, min(foot, depth) - top) for top in tops[:count]) < text:
            foot += 1
        lines = [max(0, min(foot, depth) - top) for top in tops[:count]]
        lines += [0] * (len(tops) - count)
        excess = sum(lines) - text
        filled = [n for n, count in enumerate(lines) if count]
        for n in filled[len(filled) - excess:] if excess else ():
            lines[n] -= 1
        # No column of one line (a widow or an orphan): it borrows from one before.
        for n, count in enumerate(lines):
            if count == 1:
                donor = next((m for m in range(n - 1, -1, -1) if lines[m] > 2), None)
                if donor is not None and depth - tops[n] >= 2:
                    lines[donor] -= 1
                    lines[n] += 1
        return lines


def width_range(role, grid_columns):
    """Base columns a role's module should span: the lead at least three fifths of
    the page (so it is the widest), the briefs box one or two, the rest up to half."""
    if rank(role) == 0:
        return math.ceil(grid_columns * 0.6), grid_columns
    if role == BRIEFS:
        return 1, 2
    return 1, max(1, grid_columns // 2)


class Measure:
    """An article's measurements at one grid, each asked once."""

    def __init__(self, article, geometry):
        self.article = article
        self.geometry = geometry
        self.lines = {}
        self.shapes = {}
        self.widths = [geometry.span(0, n)[1] for n in range(geometry.columns + 1)]

    def text_lines(self, chars):
        if chars not in self.lines:
            self.lines[chars] = self.article.lines_at(chars)
        return self.lines[chars]

    def width(self, columns):
        return self.widths[columns] if columns < len(self.widths) else \
            self.geometry.span(0, columns)[1]

    def headlines(self, columns):
        """(size, lines, depth, cost) for each headline size of the band whose lines
        fit the module's measure in at most the rank's number of lines."""
        article, geometry = self.article, self.geometry
        measure = self.width(columns) * HEADLINE_MEASURE
        written = article.headline or ("",)
        settings = []
        sizes = headline_sizes(article.role)
        for step, size in enumerate(sizes):
            per_line = max(1, math.floor(measure / size))
            lines = sum(max(1, math.ceil(len(text) / per_line)) for text in written)
            if lines > headline_lines(article.role) and (settings or size != sizes[-1]):
                continue   # too many lines: a smaller size, or the smallest breaking on
            depth = math.ceil(lines * size * HEADLINE_LEADING / geometry.pitch) + 1
            cost = step * HEAD_STEP + (lines - len(written)) * HEAD_BREAK
            settings.append((size, lines, depth + article.deck_lines, cost))
        return settings

    def text_settings(self, columns):
        """(text columns, characters each, cost): the base columns, or one fewer
        wider columns (破栏) for a module of three or more without photos."""
        geometry = self.geometry
        total = columns * geometry.column_chars + (columns - 1) * geometry.gutter_chars
        counts = [columns]
        if columns >= 3 and not self.article.photos:
            counts.append(columns - 1)
        return [(count, (total - (count - 1) * geometry.gutter_chars) // count,
                 (columns - count) * SUBCOLUMN) for count in counts]

    def photo_rows(self, columns):
        """(spans, frame lines, cost) for every photo row the module can carry: the
        row spans half the module or more, its photos share one depth."""
        photos = self.article.photos
        if not photos:
            return [((), 0, 0)]
        pitch = self.geometry.pitch
        rows = []
        fixed = all(photo.columns for photo in photos)
        totals = [sum(photo.columns for photo in photos)] if fixed else \
            range(columns, max(len(photos), math.ceil(columns / 2)) - 1, -1)
        for total in totals:
            if total > columns or total < len(photos):
                continue
            spans = fixed and tuple(photo.columns for photo in photos) or tuple(
                total // len(photos) + (n < total % len(photos)) for n in range(len(photos)))
            if any(not photo.min_columns <= span <= photo.max_columns
                   for photo, span in zip(photos, spans) if not photo.columns):
                continue
            low, high, preferred = 1, 10 ** 6, []
            for photo, span in zip(photos, spans):
                width = self.width(span)
                if photo.lines:
                    low, high = max(low, photo.lines), min(high, photo.lines)
                    preferred.append(photo.lines)
                    continue
                own = photo.aspect or PHOTO_PREFERRED
                low = max(low, math.ceil(width * min(PHOTO_RATIO[0], max(own, OWN_RATIO[0])) / pitch))
                high = min(high, math.floor(width * max(PHOTO_RATIO[1], min(own, OWN_RATIO[1])) / pitch))
                preferred.append(round(width * min(max(own, OWN_RATIO[0]), OWN_RATIO[1]) / pitch))
            target = round(sum(preferred) / len(preferred))
            caption = max(photo.caption_lines for photo in photos)
            for lines in range(low, high + 1):
                rows.append((spans, lines + caption, abs(lines - target) * PHOTO_LINE
                             + (columns - total) * PHOTO_LINE * 2))
        return rows

    def shape_cost(self, columns, height):
        key = columns, height
        if key not in self.shapes:
            ratio = round(10 * height * self.geometry.pitch / self.width(columns))
            self.shapes[key] = SHAPE * (max(0, ratio - LONG_THIN) + max(0, FLAT - ratio))
        return self.shapes[key]

    def options(self, columns, under=0, over=False, grid_columns=8):
        """{(height, quiet): cheapest Option} for a module ``columns`` wide. ``under``
        allows that many body lines more than the copy fills (blank at the foot);
        ``over`` allows depths the copy overflows (overset)."""
        article = self.article
        low, high = width_range(article.role, grid_columns)
        if article.columns:
            low = high = article.columns
        width_cost = WIDTH * (max(0, low - columns) + max(0, columns - high))
        if article.columns and columns != article.columns:
            return {}
        if columns < low - 1:
            return {}   # two columns narrower than its range: never worth its cost
        best = {}
        heads = self.headlines(columns)
        rows = self.photo_rows(columns)
        for count, chars, text_cost in self.text_settings(columns):
            lines = self.text_lines(chars)
            for head_size, head_lines, head_depth, head_cost in heads:
                for spans, photo_depth, photo_cost in rows:
                    fixed_cost = width_cost + text_cost + head_cost + photo_cost
                    for quiet in (False, True) if spans else (article.role == BRIEFS,):
                        if quiet and spans and sum(spans) != columns:
                            continue
                        self.depths(best, lines, count, chars, head_size, head_lines,
                                    head_depth, spans, photo_depth, quiet, fixed_cost,
                                    columns, under, over)
        return best

    def depths(self, best, lines, count, chars, head_size, head_lines, head_depth,
               spans, photo_depth, quiet, fixed_cost, columns, under, over):
        span = sum(spans)
        inline = spans and not quiet
        above = photo_depth if quiet and spans else 0
        if inline:
            needed = max(photo_depth, math.ceil((lines + span * photo_depth) / columns))
        else:
            needed = math.ceil(lines / count)
        needed = max(needed, MIN_COLUMN_LINES)
        first = MIN_COLUMN_LINES if over else needed
        if inline:
            first = max(first, photo_depth)
        for depth in range(first, needed + under + 1):
            if inline:
                below = depth - photo_depth
                if 0 < below < MIN_COLUMN_LINES:
                    continue
                capacity = depth * columns - span * photo_depth
            else:
                capacity = depth * count
            blank = max(0, capacity - lines)
            overset = max(0, lines - capacity)
            height = above + head_depth + depth
            cost = fixed_cost + blank * BLANK + overset * OVERSET \
                + self.shape_cost(columns, height)
            key = (height, quiet)
            if key not in best or cost < best[key].cost:
                best[key] = Option(cost, height, quiet, columns, head_size, head_lines,
                                   head_depth, count, chars, spans, photo_depth, depth,
                                   lines, blank, overset)
