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

from .model import BRIEFS, rank

BLANK = 100         # a body-line slot without text
PHOTO_LINE = 3      # a frame line away from the photo's preferred depth
HEAD_STEP = 20      # a headline size step below its band's largest
HEAD_BREAK = 15     # a headline line more than the editor's breaks
SUBCOLUMN = 40      # a text column fewer than the module's base columns
SMALL = 2000         # a column a photo row spans less than half its module
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

    def column_lines(self, depth, least):
        """Lines of copy in each text column when the body is ``depth`` lines deep:
        text first in the columns beside the photo row, then under it, all ending
        at one foot or a line above it (balanced); a column takes ``least`` lines or
        none."""
        if self.photo_spans and not self.quiet:
            beside = self.columns - sum(self.photo_spans)
            tops = [0] * beside + [self.photo_depth] * (self.columns - beside)
        else:
            tops = [0] * self.text_columns
        text = min(self.text_lines, sum(depth - top for top in tops))
        # Short copy takes fewer columns, each ``least`` deep or more.
        count = len(tops) if text >= len(tops) * least else max(1, text // least)
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

    def __init__(self, article, geometry, style):
        self.article = article
        self.geometry = geometry
        self.style = style
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
        article, geometry, style = self.article, self.geometry, self.style
        measure = self.width(columns) * style.headline_measure
        written = article.headline or ("",)
        settings = []
        sizes = style.sizes(article.role)
        for step, size in enumerate(sizes):
            per_line = max(1, math.floor(measure / size))
            lines = sum(max(1, math.ceil(len(text) / per_line)) for text in written)
            if lines > style.lines(article.role) and (settings or size != sizes[-1]):
                continue   # too many lines: a smaller size, or the smallest breaking on
            depth = math.ceil(lines * size * style.headline_leading / geometry.pitch) + 1
            cost = step * HEAD_STEP + (lines - len(written)) * HEAD_BREAK
            settings.append((size, lines, depth + article.deck_lines, cost))
        return settings

    def text_settings(self, columns):
        """(text columns, characters each, cost): the base columns, or one fewer
        wider columns (破栏) for a module of three or more (with photos, only under
        a photo row across the module)."""
        geometry = self.geometry
        total = columns * geometry.column_chars + (columns - 1) * geometry.gutter_chars
        counts = [columns]
        if columns >= 3:
            counts.append(columns - 1)
        return [(count, (total - (count - 1) * geometry.gutter_chars) // count,
                 (columns - count) * SUBCOLUMN) for count in counts]

    def photo_rows(self, columns, wide=True, narrow=False):
        """(spans, frame lines, cost) for every photo row the module can carry, its
        photos at one depth: ``wide`` rows span half the module or more, ``narrow``
        ones less, down to a column a photo, at SMALL a column less."""
        photos = self.article.photos
        if not photos:
            return [((), 0, 0)]
        pitch, style = self.geometry.pitch, self.style
        ratio, own_ratio = style.photo_ratio, style.own_ratio
        rows = []
        fixed = all(photo.columns for photo in photos)
        half = max(len(photos), math.ceil(columns / 2))
        totals = [sum(photo.columns for photo in photos)] if fixed else \
            range(columns if wide else half - 1, (len(photos) if narrow else half) - 1, -1)
        if fixed and not wide:
            return []
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
                own = photo.aspect or style.photo_preferred
                low = max(low, math.ceil(width * min(ratio[0], max(own, own_ratio[0])) / pitch))
                high = min(high, math.floor(width * max(ratio[1], min(own, own_ratio[1])) / pitch),
                           photo.max_lines or high)
                preferred.append(round(width * min(max(own, own_ratio[0]), own_ratio[1]) / pitch))
            target = round(sum(preferred) / len(preferred))
            caption = max(photo.caption_lines for photo in photos)
            for lines in range(low, high + 1):
                rows.append((spans, lines + caption, abs(lines - target) * PHOTO_LINE
                             + (columns - total) * PHOTO_LINE * 2
                             + max(0, math.ceil(columns / 2) - total) * SMALL))
        return rows

    def shape_costs(self, columns):
        """The cost of each module height (lines) at ``columns`` wide, up to the grid's."""
        if columns not in self.shapes:
            pitch, width = self.geometry.pitch, self.width(columns)
            ratios = [round(10 * height * pitch / width)
                      for height in range(self.geometry.lines + 1)]
            self.shapes[columns] = [SHAPE * (max(0, ratio - LONG_THIN) + max(0, FLAT - ratio))
                                    for ratio in ratios]
        return self.shapes[columns]

    def options(self, columns, under=0, over=False, grid_columns=8, wide=True, narrow=False):
        """{(height, quiet): cheapest Option} for a module ``columns`` wide. ``under``
        allows that many body lines more than the copy fills (blank at the foot);
        ``over`` allows depths the copy overflows (overset); ``wide`` and ``narrow``:
        the photo rows (:meth:`photo_rows`)."""
        article = self.article
        low, high = width_range(article.role, grid_columns)
        if article.columns:
            low = high = article.columns
        width_cost = WIDTH * (max(0, low - columns) + max(0, columns - high))
        if article.columns and columns != article.columns:
            return {}
        if columns < low - 1 or self.width(columns) < article.min_width:
            return {}   # two columns narrower than its range, or than its deck
        best = {}
        heads = self.headlines(columns)
        rows = self.photo_rows(columns, wide, narrow)
        for count, chars, text_cost in self.text_settings(columns):
            lines = self.text_lines(chars)
            for head_size, head_lines, head_depth, head_cost in heads:
                for spans, photo_depth, photo_cost in rows:
                    fixed_cost = width_cost + text_cost + head_cost + photo_cost
                    for quiet in (False, True) if spans else (article.role == BRIEFS,):
                        if quiet and spans and sum(spans) != columns \
                                or spans and not quiet and count != columns:
                            continue   # 破栏 only under a photo across the module
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
        least = self.style.min_column_lines
        needed = max(needed, least)
        first = least if over else needed
        if inline:
            first = max(first, photo_depth)
        shapes = self.shape_costs(columns)
        # No deeper than the grid: a taller module fits no page.
        foot = self.article.foot_lines
        last = min(needed + under, self.geometry.lines - above - head_depth - foot)
        covered = span * photo_depth if inline else 0
        for depth in range(first, last + 1):
            if inline:
                below = depth - photo_depth
                if 0 < below < least:
                    continue
                capacity = depth * columns - covered
            else:
                capacity = depth * count
            spare = capacity - lines
            height = above + head_depth + depth + foot
            cost = fixed_cost + shapes[height] + \
                (spare * BLANK if spare >= 0 else -spare * OVERSET)
            key = (height, quiet)
            found = best.get(key)
            if found is None or cost < found.cost:
                best[key] = Option(cost, height, quiet, columns, head_size, head_lines,
                                   head_depth, count, chars, spans, photo_depth, depth,
                                   lines, max(0, spare), max(0, -spare))
