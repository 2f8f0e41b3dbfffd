"""The page as a guillotine of modules, found by dynamic programming.

A region of the grid (whole columns × whole lines) is filled either by one module,
by one module across its width on top of a region holding the rest, or by a region
on the left and one on the right of the same depth. The articles fill the leaves in
priority order, which is reading order (top before bottom, left before right): the
头条 is always the page's top-left module, and each story reads before the lesser
ones. ``best(i, j, columns, lines)`` is the cheapest exact tiling of a
``columns`` × ``lines`` region by articles i…j; it is memoised, and area bounds cut
every region whose articles cannot fill it. Exact tiling means no space between
modules: all white space is inside modules, counted by each module's cost.

Tombstones are caught where they arise: each region remembers the lines at which
headlines touch its left and right edges, and a left/right split pays for every
pair within two lines of each other. A region can be asked for with a quiet top (its
top-left module opening with a photo or the briefs box), which lets the right-hand
region of a split start beside a headline without bumping it. Where the cheapest
right-hand region still bumps one, it is asked for again with the lines its
headlines must avoid (part of the memo key), or started DROP lines lower under a
rule (staggered tops), the strip above it left blank and counted.

Reserved slots and pinned articles are cut out first: the free space around them
is split into rectangles (each guillotine split along their edges is tried), and the
articles fill those in reading order, again in priority order.
"""

from dataclasses import dataclass, replace

from ..errors import PaibanError
from .model import Placement
from .module import BLANK, Measure

TOMBSTONE = 50000    # a pair of headlines side by side
INVERSION = 3000     # a story read before one of higher priority
HEAD_GAP = 2         # headline tops within this many lines of each other bump
DROP = HEAD_GAP + 1  # lines a side starts lower, under a rule, to clear a headline
STAGGER = 800        # a side started lower (besides its blank strip)
# Regions solved (memo entries made) after which a page without faults tries no more
# reading orders: a budget in work, not time, so the page is the same on any machine.
STEPS = 6000
# (lines of underset a module may take, overset allowed, reading order bent, photos
# narrower than half their module)
PASSES = ((0, False, False, False), (4, False, False, False), (4, False, True, False),
          (4, False, False, True), (10, False, False, False), (4, True, False, True))


@dataclass(frozen=True, slots=True)
class Node:
    cost: int
    left: int      # bit n: a headline top at line n touches the left edge
    right: int     # … the right edge
    plan: tuple    # ("leaf", i, option) | ("stack", i, option, node)
    #                | ("side", columns, node, node, lines the right side starts lower)
    bumps: int = 0  # tombstones inside the region


TOP = (1 << HEAD_GAP + 1) - 1   # headline tops that bump one at a region's top line


def spread(mask):
    wide = mask
    for shift in range(1, HEAD_GAP + 1):
        wide |= mask << shift | mask >> shift
    return wide


def clashes(left, right):
    return (spread(left.right) & right.left).bit_count()


def head_bit(option):
    if option.quiet and not option.photo_spans:
        return 0   # the briefs box: a boxed label, not a headline
    return 1 << (option.photo_depth if option.quiet else 0)


def leaf_options(geometry, style, article, under, over, small, base=None):
    """The article's options per module width (index 0 unused). ``small``: photo
    rows narrower than half the module too, added to ``base`` (the same pass's
    options without them) when given."""
    measure = Measure(article, geometry, style)
    by_width = [{}]
    for width in range(1, geometry.columns + 1):
        found = measure.options(width, under, over, geometry.columns, wide=base is None,
                                narrow=small)
        if base is not None:
            found = {key: min(option, base[width].get(key, option), key=cost)
                     for key, option in found.items()} | \
                {key: option for key, option in base[width].items() if key not in found}
        # Cheapest first, so that a split can stop at the first top module too dear.
        by_width.append(dict(sorted(found.items(), key=lambda item: (item[1].cost, item[0]))))
    if not any(by_width):
        raise PaibanError(f"article {article.id!r} fits no module of this grid",
                          fix="check its forced width (columns) against the grid")
    return by_width


def cost(option):
    return option.cost


class Solver:
    """The memoised tilings of regions by runs of articles taken in ``order`` (a
    list of indices into ``leaves``, each article's :func:`leaf_options`). Orders
    that share a run share its tilings through ``memo``."""

    def __init__(self, leaves, order, memo, mend=True, stagger=True):
        self.order = order
        # Whether a side that bumps a headline is set again around it, and whether it
        # may start lower: one value per memo, since they change its entries.
        self.mend, self.stagger = mend, stagger
        self.leaves = [leaves[n] for n in order]
        self.runs = [[tuple(order[i:j + 1]) for j in range(len(order))]
                     for i in range(len(order))]
        area_low, area_high, cost_low = [0], [0], [0]
        for by_width in self.leaves:
            areas = [width * height for width, options in enumerate(by_width)
                     for height, _ in options]
            area_low.append(area_low[-1] + min(areas))
            area_high.append(area_high[-1] + max(areas))
            cost_low.append(cost_low[-1] + min(next(iter(options.values())).cost
                                               for options in by_width if options))
        self.area_low, self.area_high = area_low, area_high
        self.cost_low = cost_low   # no run of articles is set cheaper than its sum
        # Whether an article can open a region quietly (with a photo or as the briefs).
        self.can_quiet = [any(quiet for options in by_width for _, quiet in options)
                          for by_width in self.leaves]
        self.memo = memo
        self.steps = 0   # regions solved: the work done, the same on every machine

    def fits(self, i, j, area):
        return self.area_low[j + 1] - self.area_low[i] <= area <= \
            self.area_high[j + 1] - self.area_high[i]

    def best(self, i, j, columns, lines, quiet=False, avoid=0):
        """``avoid``: lines (bit n, line n) at which no headline top may touch the
        region's left edge, for a region set beside headlines it would bump."""
        if quiet and not self.can_quiet[i]:
            return None
        if avoid:
            avoid &= (1 << lines) - 1
        key = (self.runs[i][j], columns, lines, quiet, avoid)
        found = self.memo.get(key, self)
        if found is not self:
            return found
        self.steps += 1
        found = None
        if self.fits(i, j, columns * lines):
            if i == j:
                found = self.leaf(i, columns, lines, quiet, avoid)
            else:
                found = self.split(i, j, columns, lines, quiet, avoid)
        self.memo[key] = found
        return found

    def leaf(self, i, columns, lines, quiet, avoid):
        options = self.leaves[i][columns]
        choices = [options.get((lines, True))]
        if not quiet:
            choices.insert(0, options.get((lines, False)))
        found = None
        for option in choices:
            if option and not head_bit(option) & avoid \
                    and (found is None or option.cost < found.cost):
                bit = head_bit(option)
                found = Node(option.cost, bit, bit, ("leaf", self.order[i], option))
        return found

    def split(self, i, j, columns, lines, quiet, avoid):
        found = None
        low, high = self.area_low, self.area_high
        # Depths of the top module that leave the rest an area its articles fill.
        tallest = lines + (-(low[j + 1] - low[i + 1]) // columns)
        shortest = lines - (high[j + 1] - high[i + 1]) // columns
        rest_low = self.cost_low[j + 1] - self.cost_low[i + 1]
        for (height, top_quiet), option in self.leaves[i][columns].items():
            if found and option.cost + rest_low >= found.cost:
                break   # cheapest first: no later top module can win
            if not shortest <= height <= tallest or (quiet and not top_quiet) \
                    or avoid and head_bit(option) & avoid:
                continue
            rest = self.best(i + 1, j, columns, lines - height, avoid=avoid >> height)
            if rest is None:
                continue
            cost = option.cost + rest.cost
            if found is None or cost < found.cost:
                bit = head_bit(option)
                found = Node(cost, bit | rest.left << height, bit | rest.right << height,
                             ("stack", self.order[i], option, rest), rest.bumps)
        for k in range(i, j):
            right_low = self.cost_low[j + 1] - self.cost_low[k + 1]
            # Left widths whose area both sides' articles can fill at this depth.
            first = max(1, -(-(low[k + 1] - low[i]) // lines),
                        columns - (high[j + 1] - high[k + 1]) // lines)
            last = min(columns - 1, (high[k + 1] - high[i]) // lines,
                       columns + (-(low[j + 1] - low[k + 1]) // lines))
            for left_columns in range(first, last + 1):
                left = self.best(i, k, left_columns, lines, quiet, avoid)
                if left is None or found and left.cost + right_low >= found.cost:
                    continue
                right_columns = columns - left_columns
                bumped = False
                for right_quiet in (True, False):
                    if not right_quiet and left.right & TOP and found \
                            and found.cost < TOMBSTONE:
                        continue   # a headline on top beside this one: it cannot win
                    right = self.best(k + 1, j, right_columns, lines, right_quiet)
                    if right is None:
                        continue
                    bumps = clashes(left, right)
                    bumped = bumped or bumps
                    cost = left.cost + right.cost + TOMBSTONE * bumps
                    if found is None or cost < found.cost:
                        found = Node(cost, left.left, right.right,
                                     ("side", left_columns, left, right, 0),
                                     left.bumps + right.bumps + bumps)
                if not (bumped and found.bumps and self.mend):
                    continue
                # Where the cheapest right side bumps a headline: the right side set
                # around the left's headlines, or started DROP lines lower under a
                # rule (the strip above it blank).
                beside = spread(left.right)
                right = self.best(k + 1, j, right_columns, lines, avoid=beside)
                if right is not None and left.cost + right.cost < found.cost:
                    found = Node(left.cost + right.cost, left.left, right.right,
                                 ("side", left_columns, left, right, 0),
                                 left.bumps + right.bumps)
                if self.stagger and left.right & TOP and lines > DROP:
                    right = self.best(k + 1, j, right_columns, lines - DROP,
                                      avoid=beside >> DROP)
                    if right is None:
                        continue
                    cost = left.cost + right.cost + STAGGER + BLANK * DROP * right_columns
                    if cost < found.cost:
                        found = Node(cost, left.left, right.right << DROP,
                                     ("side", left_columns, left, right, DROP),
                                     left.bumps + right.bumps)
        return found


def modules(node, column, line, columns, lines):
    """(option, article index, box) of every module of a solved region; a strip
    left blank above a side started lower is (None, None, box)."""
    kind = node.plan[0]
    if kind == "leaf":
        yield node.plan[2], node.plan[1], (column, line, columns, lines)
    elif kind == "stack":
        _, i, option, rest = node.plan
        yield option, i, (column, line, columns, option.height)
        yield from modules(rest, column, line + option.height, columns, lines - option.height)
    else:
        _, left_columns, left, right, drop = node.plan
        yield from modules(left, column, line, left_columns, lines)
        if drop:
            yield None, None, (column + left_columns, line, columns - left_columns, drop)
        yield from modules(right, column + left_columns, line + drop, columns - left_columns,
                           lines - drop)


def free_regions(region, obstacles, limit=8):
    """Ways to split ``region`` (column, line, columns, lines) around ``obstacles`` into
    free rectangles by guillotine cuts along the obstacles' edges; each way's
    rectangles in reading order."""
    column, line, columns, lines = region
    inside = [o for o in obstacles if o[0] < column + columns and column < o[0] + o[2]
              and o[1] < line + lines and line < o[1] + o[3]]
    if not inside:
        return [[region]]
    if any(o[0] <= column and o[1] <= line and o[0] + o[2] >= column + columns
           and o[1] + o[3] >= line + lines for o in inside):
        return [[]]
    ways = []
    cuts = sorted({("v", x) for o in inside for x in (o[0], o[0] + o[2])
                   if column < x < column + columns}
                  | {("h", y) for o in inside for y in (o[1], o[1] + o[3])
                     if line < y < line + lines})
    for direction, at in cuts:
        if direction == "v":
            if any(o[0] < at < o[0] + o[2] for o in inside):
                continue
            parts = ((column, line, at - column, lines),
                     (at, line, column + columns - at, lines))
        else:
            if any(o[1] < at < o[1] + o[3] for o in inside):
                continue
            parts = ((column, line, columns, at - line),
                     (column, at, columns, line + lines - at))
        for first in free_regions(parts[0], inside, limit):
            for second in free_regions(parts[1], inside, limit):
                way = sorted(first + second, key=lambda r: (r[1], r[0]))
                if way not in ways:
                    ways.append(way)
    return ways[:limit]


def fill_regions(solver, regions, count):
    """The cheapest assignment of runs of the articles, in order, to the regions in
    reading order: [(first, last, node)] per region, or None."""
    table = {(len(regions), count): (0, ())}
    for r in range(len(regions) - 1, -1, -1):
        _, _, columns, lines = regions[r]
        for i in range(count, -1, -1):
            best = None
            empty = table.get((r + 1, i))
            if empty:
                best = (empty[0] + BLANK * columns * lines, ((i, i - 1, None),) + empty[1])
            for j in range(i, count):
                after = table.get((r + 1, j + 1))
                if after is None:
                    continue
                node = solver.best(i, j, columns, lines)
                if node and (best is None or node.cost + after[0] < best[0]):
                    best = (node.cost + after[0], ((i, j, node),) + after[1])
            if best:
                table[(r, i)] = best
    return table.get((0, 0))


def placement(geometry, style, article, option, box):
    column, line, columns, lines = box
    x, width = geometry.span(column, columns)
    points = (geometry.margin_left + x, geometry.margin_top + line * geometry.pitch,
              width, lines * geometry.pitch)
    photos = []
    if option.photo_spans:
        top = line if option.quiet else line + option.head_depth
        left = column if option.quiet else column + columns - sum(option.photo_spans)
        for span in option.photo_spans:
            photos.append((left, top, span, option.photo_depth))
            left += span
    depth = lines - option.head_depth - (option.photo_depth if option.quiet else 0) \
        - article.foot_lines
    column_lines = option.column_lines(depth, style.min_column_lines)
    placed = sum(column_lines)
    capacity = option.text_columns * depth
    if photos and not option.quiet:
        capacity -= sum(option.photo_spans) * option.photo_depth
    overset = option.text_lines - placed
    return Placement(article.id, article.role, box, points, option.head_size,
                     option.head_lines, option.head_depth, option.quiet and bool(photos),
                     photos, option.text_columns, option.chars, column_lines,
                     option.text_lines, overset, overset * option.chars, capacity - placed)


def tombstones(placements):
    """Pairs of modules side by side whose headline tops are within HEAD_GAP lines."""
    pairs = []
    for a in placements:
        for b in placements:
            if a.box[0] + a.box[2] != b.box[0] or a.headline_top is None \
                    or b.headline_top is None:
                continue
            if a.box[1] < b.box[1] + b.box[3] and b.box[1] < a.box[1] + a.box[3] \
                    and abs(a.headline_top - b.headline_top) <= HEAD_GAP:
                pairs.append((a.id, b.id))
    return pairs


def same_setting(option, before, lines):
    """Whether ``option`` sets the module as ``before`` did, with the same copy."""
    photos = [(box[2], box[3]) for box in before["photos"]]
    return option.height == lines and not option.overset \
        and option.text_lines == before["body_lines"] \
        and option.text_columns == before["columns"] \
        and (option.head_size, option.head_lines) == \
        (before["headline_size"], before["headline_lines"]) \
        and bool(option.quiet and option.photo_spans) == before["photo_on_top"] \
        and [(span, option.photo_depth) for span in option.photo_spans] == photos


def fixed_option(article, geometry, style, columns, lines, before=None):
    """The setting of ``article`` in a box it must keep (pinned, kept after an edit,
    locked): ``before`` (a :meth:`Placement.setting`) when its copy makes the same
    lines as then and it still fits, else copyfit in its fixed order. The text
    columns change only when nothing else fits, the headline only when the photo
    cannot take the difference, and copy is overset only when neither can; among
    what is left, the least blank."""
    free = replace(article, columns=None)   # the box decides the width
    options = Measure(free, geometry, style).options(columns, under=lines, over=True,
                                                     grid_columns=columns, narrow=True)
    fitting = [option for (height, _), option in options.items() if height <= lines]
    if not fitting:
        raise PaibanError(f"article {article.id!r}: its headline alone is deeper than its "
                          f"box of {lines} lines", fix="make the box deeper or the headline shorter")
    sizes = style.sizes(article.role)
    if before:
        same = [option for option in fitting if same_setting(option, before, lines)]
        if same:
            return same[0]

    def order(option):
        blank = (lines - option.height) * option.text_columns + option.blank
        return (option.overset, columns - option.text_columns,
                sizes.index(option.head_size), option.head_lines, blank, option.cost)
    return min(fitting, key=order)
