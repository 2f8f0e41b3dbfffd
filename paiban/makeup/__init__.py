"""Make up the page: place a page's articles as modules on the base grid.

Input: the grid (a :class:`~paiban.geometry.Geometry`: columns, body lines, pitch,
column widths in characters), reserved slots (an ad stack), and articles that say
how many body lines their copy makes at a column width. Output: a
:class:`~paiban.makeup.model.Layout`: a box per article, whole columns wide and
whole body lines deep, how it is set inside (headline size and lines, photo frames,
text columns balanced to within one line), what is overset or blank, tombstones.

Method: dynamic programming over guillotine cuts (see :mod:`.solve`). Pages made of
rectangular modules are, almost always, guillotine pages: a module across the top
of a region, or the region split into a left and a right part. Letting the articles
fill the leaves in priority order turns the search into an interval DP over (first
article, last article, region width, region depth), memoised and cut by area
bounds, so it is exact within that family, deterministic (integer costs, fixed
iteration order, no clock and no randomness) and fast in plain Python (no solver
dependency). Annealing would need thousands of evaluations and a seed to be
repeatable; constraint programming a heavy dependency. Copyfit is in the leaves
(:mod:`.module`): each article's module can take a range of depths at each width by
changing its photo, headline and text columns within bounds, so that modules tile
the page exactly and all white space is inside modules, where it is counted.

Edits: given the previous layout, every article keeps its box when its copy still
fits there (only its own module is set again); otherwise the page is made up anew,
unless it is ``locked``, when every box stays and the excess is overset.
"""

import itertools

from ..errors import PaibanError
from .model import (
    BRIEFS,
    CORNERS,
    ROLES,
    Article,
    CopyModel,
    Layout,
    Photo,
    Placement,
    Reserved,
    Style,
    rank,
)
from .solve import (
    DROP,
    INVERSION,
    PASSES,
    STAGGER,
    STEPS,
    TOMBSTONE,
    Solver,
    fill_regions,
    fixed_option,
    free_regions,
    leaf_options,
    modules,
    placement,
    tombstones,
)

__all__ = [
    "BRIEFS",
    "ROLES",
    "Article",
    "CopyModel",
    "Layout",
    "Photo",
    "Placement",
    "Reserved",
    "Style",
    "make_up",
]


def make_up(geometry, articles, reserved=(), previous=None, locked=False, style=None):
    """The layout of ``articles`` on ``geometry``'s grid around ``reserved`` slots.
    ``previous``: a Layout the desk accepted, or its modules' settings ({id:
    :meth:`Placement.setting`}, as build.json has them); ``locked``: keep it.
    ``style``: the house's :class:`Style` for this paper size (by default the sample
    daily's)."""
    if style is None:
        from ..house import DEFAULT_HOUSE, load_house
        style = Style.of(load_house(DEFAULT_HOUSE), geometry.name)
    columns, lines = geometry.columns, geometry.lines
    check(articles, reserved, columns, lines)
    slots = [(slot.label, slot.rectangle(columns, lines)) for slot in reserved]
    if previous is not None:
        kept = kept_layout(geometry, style, articles, slots, previous, locked)
        if kept:
            return kept
    obstacles = [box for _, box in slots] + [a.pin for a in articles if a.pin]
    pinned = {a.id: placement(geometry, style, a, fixed_option(a, geometry, style, *a.pin[2:]),
                              a.pin)
              for a in articles if a.pin}
    free = [a for a in articles if not a.pin]
    ways = free_regions((0, 0, columns, lines), obstacles)
    best, solved, steps = None, {}, 0
    for under, over, more, small in PASSES:   # each only while the page still has a fault
        if best and (over or best[0] < TOMBSTONE):   # or the work budget is left
            if over or steps >= STEPS:
                break   # overset only when nothing else fits
        if (under, over, small) not in solved:   # a pass that only bends the order reuses them
            base = solved.get((under, over, False), [None] * len(free))[0] if small else None
            solved[under, over, small] = [
                leaf_options(geometry, style, a, under, over, small, base and base[n])
                for n, a in enumerate(free)], {}
        leaves, memo = solved[under, over, small]
        for order, inversions in orders(free, more):
            if best and best[0] < TOMBSTONE and steps >= STEPS:
                break   # a page without faults, and the work budget spent
            if best and best[0] >= TOMBSTONE and not under and steps >= STEPS // 2:
                break   # a fault exact modules keep, and half the budget spent on it:
                #         on to the passes that mend it
            # Overset pages are mended no more: their search is the widest of all.
            solver = Solver(leaves, order, memo, mend=not over, stagger=under > 0 and not over)
            for way in ways:
                result = fill_regions(solver, way, len(free))
                if result is None:
                    continue
                placed, empty, bumped = assemble(geometry, style, free, pinned, way, result[1])
                cost = result[0] + INVERSION * inversions + TOMBSTONE * len(bumped)
                if bumped and under and not over:   # those regions started lower
                    lower = staggered(way, bumped)
                    again = fill_regions(solver, lower, len(free)) if lower != way else None
                    if again:
                        placed_lower, empty_lower, still = assemble(geometry, style, free, pinned,
                                                                    lower, again[1])
                        lower_cost = again[0] + INVERSION * inversions \
                            + TOMBSTONE * len(still) + STAGGER * (len(lower) - len(way))
                        if lower_cost < cost:
                            cost, placed, empty = lower_cost, placed_lower, empty_lower
                if best is None or cost < best[0]:
                    best = (cost, placed, empty)
            steps += solver.steps
    if best is None:
        raise PaibanError(f"{len(free)} articles cannot be made up in the free space of "
                          f"this {columns}-column page: their copy does not tile it",
                          fix="a page short of copy needs more (articles, copy, photos) or an "
                              "ad slot; a page over-full, fewer articles or smaller slots")
    _, placed, empty = best
    return layout(articles, placed, slots, columns, lines, empty)


def assemble(geometry, style, free, pinned, way, runs):
    """The placements of a solution, the blank of its empty regions, and the
    tombstones between modules of different regions, as (region of the right-hand
    module, or -1 when pinned; ids): those within one region are priced by the
    solver."""
    placed, region_of, empty = dict(pinned), dict.fromkeys(pinned, -1), 0
    for number, (region, (_, _, node)) in enumerate(zip(way, runs)):
        if node is None:
            empty += region[2] * region[3]
            continue
        for option, index, box in modules(node, *region):
            if option is None:
                empty += box[2] * box[3]
                continue
            placed[free[index].id] = placement(geometry, style, free[index], option, box)
            region_of[free[index].id] = number
    bumped = [(region_of[b], a, b) for a, b in tombstones(list(placed.values()))
              if region_of[a] != region_of[b] or region_of[a] == -1]
    return placed, empty, bumped


def staggered(way, bumped):
    """``way`` with each free region whose module bumps a headline on its left started
    DROP lines lower: the strip above it becomes a region of its own, too shallow
    for any module, left blank."""
    lower = {region for region, _, _ in bumped if region >= 0}
    regions = []
    for number, (column, line, columns, lines) in enumerate(way):
        if number in lower and lines > 2 * DROP:
            regions += [(column, line, columns, DROP),
                        (column, line + DROP, columns, lines - DROP)]
        else:
            regions.append((column, line, columns, lines))
    return sorted(regions, key=lambda region: (region[1], region[0]))


def orders(articles, more=False):
    """(order, priority inversions) of the articles to try, each a list of indices.
    First by rank (priority is reading order): as given, then articles of one rank
    alternating with and without photos, text or photo first (a module opening with
    a photo may stand beside a headline without tombstoning, so spreading them gives
    the page more ways to set stories side by side). With ``more``, for pages where
    no order by rank avoids a tombstone: the first with two neighbours of different
    rank swapped, or with a story that has a photo moved up beside the 头条 (it can
    open with its photo there)."""
    indices = sorted(range(len(articles)), key=lambda n: rank(articles[n].role))
    found = [indices]
    for photo_first in (False, True):
        order = []
        for _, group in itertools.groupby(indices, key=lambda n: rank(articles[n].role)):
            group = list(group)
            kinds = [[n for n in group if bool(articles[n].photos) == kind]
                     for kind in (photo_first, not photo_first)]
            while kinds[0] or kinds[1]:
                for kind in kinds:
                    if kind:
                        order.append(kind.pop(0))
        if order not in found:
            found.append(order)
    if not more:
        return [(order, 0) for order in found]
    bent, order = [], indices
    for n in range(1, len(order) - 1):   # the 头条 stays first
        if rank(articles[order[n]].role) != rank(articles[order[n + 1]].role):
            bent.append(order[:n] + [order[n + 1], order[n]] + order[n + 2:])
    for n in range(2, len(order)):   # a story with a photo beside the 头条
        if articles[order[n]].photos:
            bent.append(order[:1] + [order[n]] + order[1:n] + order[n + 1:])
    unique = []
    for order in bent:
        if order not in found and order not in unique:
            unique.append(order)
    return [(order, inversions(articles, order)) for order in unique]


def inversions(articles, order):
    """Pairs of articles read before one of higher priority."""
    ranks = [rank(articles[n].role) for n in order]
    return sum(1 for m in range(len(ranks)) for n in range(m + 1, len(ranks))
               if ranks[m] > ranks[n])


def layout(articles, placed, slots, columns, lines, empty=0):
    placements = [placed[a.id] for a in articles]
    return Layout(columns, lines, placements, slots, tombstones(placements),
                  empty + sum(p.blank_slots for p in placements))


def kept_layout(geometry, style, articles, slots, previous, locked):
    """The previous boxes, each article set again inside its own: as before when its
    copy makes as many lines as before, else by copyfit (:func:`fixed_option`). The
    layout when every article still fits (or the page is locked), else None."""
    settings = previous if isinstance(previous, dict) else \
        {p.id: p.setting() for p in previous.placements}
    if set(settings) != {a.id for a in articles}:
        if locked:
            raise PaibanError("the page is locked but its articles changed",
                              fix="unlock the page ('lock: false') to make it up again")
        return None
    placed = {}
    for a in articles:
        box = tuple(settings[a.id]["grid"])
        if not locked and not still_allowed(box, a, slots, geometry):
            return None   # the editor moved a pin, a width or a slot: make up anew
        option = fixed_option(a, geometry, style, *box[2:], settings[a.id])
        placed[a.id] = placement(geometry, style, a, option, box)
    if locked or not any(p.overset_lines for p in placed.values()):
        return layout(articles, placed, slots, geometry.columns, geometry.lines)
    return None


def still_allowed(box, article, slots, geometry):
    """Whether a kept box still obeys the plan: the article's pin and forced width,
    the grid, and the reserved slots."""
    column, line, width, depth = box
    if article.pin and tuple(article.pin) != box or article.columns and article.columns != width:
        return False
    if column + width > geometry.columns or line + depth > geometry.lines:
        return False
    return not any(column < x + w and x < column + width and line < y + h and y < line + depth
                   for _, (x, y, w, h) in slots)


def check(articles, reserved, columns, lines):
    ids = [a.id for a in articles]
    if len(set(ids)) != len(ids):
        raise PaibanError(f"two articles share an id: {sorted({i for i in ids if ids.count(i) > 1})}",
                          fix="give every article its own id")
    boxes = [(f"reserved slot {slot.label}", slot.rectangle(columns, lines)) for slot in reserved]
    boxes += [(f"pinned article {a.id!r}", a.pin) for a in articles if a.pin]
    for slot in reserved:
        if not slot.box and slot.corner not in CORNERS:
            raise PaibanError(f"reserved slot {slot.label}: unknown corner {slot.corner!r}",
                              fix=f"use one of {', '.join(CORNERS)}")
    for name, (column, line, width, depth) in boxes:
        if width < 1 or depth < 1 or column < 0 or line < 0 \
                or column + width > columns or line + depth > lines:
            raise PaibanError(f"{name} at {(column, line, width, depth)} is outside the "
                              f"{columns} × {lines} grid", fix="give column, line, columns, "
                              "lines inside the grid")
    for n, (name, a) in enumerate(boxes):
        for other, b in boxes[n + 1:]:
            if a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] \
                    and b[1] < a[1] + a[3]:
                raise PaibanError(f"{name} overlaps {other}", fix="move one of them")
