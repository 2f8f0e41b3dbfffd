"""Chinese line composition (clreq 3.1, 3.2, 3.8), independent of any renderer.

A paragraph is cut into units (a Han character, a mark, a Latin word or number
that must stay whole, an inseparable —— or ……), measured with the advance widths
of the face that will set it, and broken into lines of a column measure given in
em. The rules, in the order clreq gives them, each settable per text style
(:class:`Settings`):

- line-start and line-end prohibition at a level (none, basic, GB, strict), squeeze
  before push;
- punctuation width by a named style (quanjiao, kaiming, hangmobanjiao, banjiao);
  in all of them two adjacent marks take 1.5 em, never 2;
- a ⅛–¼ em gap between Han and Latin, never at line start or end, never typed;
- no paragraph ending in a line of one character;
- every line but the last justified to the measure: Han–Latin gaps and word spaces
  stretch first, then every unit evenly, never inside a unit.

The result is plain data (lines of units, with widths, halving and spacing) that a
template turns into markup; the characters themselves are never changed or added to.
"""

import bisect
import itertools
import re
from dataclasses import dataclass, field

from .chars import (CLOSING, FULLWIDTH_PUNCT, INSEPARABLE, LATIN_RUN, LEVELS, NOT_AT_END,
                    NOT_AT_START, OPENING, PAUSE, SENTENCE_END, is_han)

PUNCTUATION_STYLES = ("quanjiao", "kaiming", "hangmobanjiao", "banjiao")
GAP_RANGE = (0.125, 0.25)  # em, Han–Latin gap: the setting's range
STRETCH_MAX = 0.25         # em a Han–Latin gap or word space grows before spacing starts
SPACING_MAX = 0.25         # em between units; beyond it, gaps and word spaces take the rest
TOLERANCE = 1e-6

UNIT = re.compile("|".join(re.escape(s) + "+" for s in INSEPARABLE)
                  + "|" + LATIN_RUN.pattern + r"| +|.", re.S)


@dataclass(frozen=True)
class Settings:
    """How a text style composes.

    The defaults are a mainland newspaper's: strict prohibition, quanjiao
    (全角式, GB/T 15834's full-width marks, adjacent pairs compressed, marks halved
    only to squeeze a line), a ¼ em Han–Latin gap, 2 em indent, justified.
    """
    level: str = "strict"
    punctuation: str = "quanjiao"
    han_latin_gap: float = 0.25
    indent: float = 2.0
    justified: bool = True

    def __post_init__(self):
        if self.level not in LEVELS:
            raise ValueError(f"line-break level {self.level!r}: use one of {', '.join(LEVELS)}")
        if self.punctuation not in PUNCTUATION_STYLES:
            raise ValueError(f"punctuation style {self.punctuation!r}: "
                             f"use one of {', '.join(PUNCTUATION_STYLES)}")
        if not GAP_RANGE[0] <= self.han_latin_gap <= GAP_RANGE[1]:
            raise ValueError(f"han_latin_gap {self.han_latin_gap}: use 0.125 to 0.25 (em)")

    @property
    def gap_min(self):
        """What squeezing may narrow a Han–Latin gap to."""
        return min(GAP_RANGE[0], self.han_latin_gap)


@dataclass(eq=False)
class Unit:
    text: str
    advance: float            # em, at full width
    side: str | None = None   # 'left'/'right': a full-width mark inked in that half,
                              # which may be set half width by cutting the other
    halved: bool = False
    gap: float = 0.0          # em before this unit (Han–Latin), unless it starts a line
    stretch: float = 0.0      # em added to the gap or word space to justify the line

    @property
    def halvable(self):
        return self.side is not None

    @property
    def latin(self):
        return bool(LATIN_RUN.fullmatch(self.text))

    @property
    def space(self):
        return self.text.isspace()

    @property
    def width(self):
        return self.advance / 2 if self.halved else self.advance


@dataclass
class Line:
    units: list
    measure: float
    indent: float = 0.0
    last: bool = False
    spacing: float = field(default=0.0)  # em added after every unit but the last

    @property
    def text(self):
        return "".join(unit.text for unit in self.units)

    @property
    def natural(self):
        return line_width(self.units)

    @property
    def overfull(self):
        return self.natural > self.measure + TOLERANCE


def set_units(units):
    """The units that are set: trailing spaces hang outside the measure."""
    end = len(units)
    while end and units[end - 1].space:
        end -= 1
    return units[:end]


def edge_marks(units, rules):
    """Marks the punctuation style sets half width because they stand at the line's
    edges: an opening bracket at line start (all styles but quanjiao), a closing or
    pause mark at line end (hangmobanjiao)."""
    units = set_units(units)
    return line_edges(units[0], units[-1], rules) if units else []


def line_edges(first, last, rules):
    marks = []
    if rules.punctuation != "quanjiao" and first.text in OPENING:
        marks.append(first)
    if rules.punctuation == "hangmobanjiao" and last.text in CLOSING | PAUSE:
        marks.append(last)
    return [unit for unit in marks if unit.halvable and not unit.halved]


def line_width(units, rules=None):
    """Width of units set on one line: the first unit's gap and trailing spaces drop,
    and with ``rules`` the marks the style halves at the line's edges count half."""
    units = set_units(units)
    width = sum(unit.width for unit in units) + sum(unit.gap for unit in units[1:])
    if rules:
        width -= sum(unit.advance / 2 for unit in edge_marks(units, rules))
    return width


def units_of(text, advance, ink_side, rules):
    """Cut text into units measured in em; set gaps and mark widths by the style."""
    units = []
    for match in UNIT.finditer(text):
        chunk = match.group()
        width = advance(chunk)
        side = ink_side(chunk) if chunk in FULLWIDTH_PUNCT and width >= 0.99 else None
        halved = side is not None and (
            rules.punctuation == "banjiao"
            or rules.punctuation == "kaiming" and chunk not in SENTENCE_END)
        units.append(Unit(chunk, width, side, halved))
    for before, after in zip(units, units[1:]):
        if before.latin and is_han(after.text[0]) or is_han(before.text[-1]) and after.latin:
            after.gap = rules.han_latin_gap
        # Two adjacent marks take 1.5 em: the blank half of one of them goes.
        if before.halvable and after.halvable and not (before.halved or after.halved):
            if before.text in CLOSING | PAUSE:
                before.halved = True
            elif after.text in OPENING:
                after.halved = True
    return units


def squeeze(units, measure, rules):
    """Fit units into the measure by narrowing Han–Latin gaps, then halving marks.

    Marks are halved from the line end backwards. Returns the changes to apply
    (unit, attribute, value), or None when even full compression does not fit.
    """
    excess = line_width(units, rules) - measure
    changes = []
    for unit in units[1:]:
        if excess <= TOLERANCE:
            return changes
        if unit.gap > rules.gap_min:
            take = min(unit.gap - rules.gap_min, excess)
            changes.append((unit, "gap", unit.gap - take))
            excess -= take
    edges = edge_marks(units, rules)
    for unit in reversed(units):
        if excess <= TOLERANCE:
            return changes
        if unit.halvable and not unit.halved and unit not in edges:
            changes.append((unit, "halved", True))
            excess -= unit.advance / 2
    return changes if excess <= TOLERANCE else None


def apply(changes):
    for unit, attribute, value in changes:
        setattr(unit, attribute, value)


def can_break(units, index, rules):
    """May a line end before units[index]?"""
    before, after = units[index - 1], units[index]
    return after.text[0] not in NOT_AT_START[rules.level] \
        and before.text[-1] not in NOT_AT_END[rules.level] \
        and not after.space and not (before.latin and after.latin)


# Demerits of a line (clreq: squeeze first, then push, then spread evenly).
# Squeezing is linear and cheap: it costs less than the smallest push.
SQUEEZE_COST = 1      # per em taken by narrowing gaps or halving marks
STRETCH_COST = 10     # per em a Han–Latin gap or word space grows
SPACING_COST = 100    # per em of even spacing between units
SHORT_LAST_LINE = 1e6
OVERFULL = 1e9
LOOSE = 3.0           # em of slack past which a line is tried only if nothing else fits


@dataclass
class Span:
    """What a candidate line (units[start:end], trailing spaces dropped) measures."""
    width: float        # natural width, first gap dropped
    squeezable: float   # em squeezing may take
    stretchable: int    # Han–Latin gaps and word spaces
    units: int
    characters: int     # units that are not marks


class Sums:
    """Prefix sums over a paragraph's units, so that any candidate line measures in
    constant time."""

    def __init__(self, units, rules):
        self.units = units
        columns = zip(*[(unit.width, unit.gap, max(0.0, unit.gap - rules.gap_min),
                         unit.advance / 2 if unit.halvable and not unit.halved else 0.0,
                         bool(unit.gap or unit.space), unit.text not in FULLWIDTH_PUNCT)
                        for unit in units])
        self.sums = [list(itertools.accumulate(column, initial=0.0)) for column in columns]
        if not self.sums:  # no units
            self.sums = [[0.0] for _ in range(6)]
        # Natural width of units[start:end] is reach[end] - reach_from(start).
        self.reach = [w + g for w, g in zip(self.sums[0], self.sums[1])]
        self.set_end = []  # for each end, the end without trailing spaces
        last = 0
        for index, unit in enumerate([None] + units):
            if index and not unit.space:
                last = index
            self.set_end.append(last)

    def span(self, start, end):
        """Metrics of units[start:end], or None if it holds only spaces."""
        end = self.set_end[end]
        if end <= start:
            return None
        width, gap, gap_squeeze, mark_squeeze, stretch, chars = self.sums
        return Span(width[end] - width[start] + gap[end] - gap[start + 1],
                    gap_squeeze[end] - gap_squeeze[start + 1]
                    + mark_squeeze[end] - mark_squeeze[start],
                    round(stretch[end] - stretch[start + 1]), end - start,
                    round(chars[end] - chars[start]))

    def last(self, end):
        return self.units[self.set_end[end] - 1]

    def first_end(self, start, least):
        """The first end at which units[start:...] is at least ``least`` em wide
        (before edge marks are halved, which save at most 1 em)."""
        offset = self.sums[0][start] + self.sums[1][start + 1]
        return max(start + 1, bisect.bisect_left(self.reach, least - 1.0 + offset))


def line_cost(span, natural, squeezable, width, last, first_line):
    """Demerits of setting a span, ``natural`` em wide, as one line of ``width`` em,
    or None if it cannot fit even with all ``squeezable`` em squeezed."""
    if natural > width + TOLERANCE:
        excess = natural - width
        return SQUEEZE_COST * excess if excess <= squeezable + TOLERANCE else None
    if last:
        return SHORT_LAST_LINE if span.characters <= 1 and not first_line else 0.0
    if span.units < 2:
        return (SPACING_COST * (width - natural)) ** 2
    stretch, spacing = distribute(width - natural, span.units, span.stretchable)
    return (STRETCH_COST * stretch) ** 2 + (SPACING_COST * spacing) ** 2


def distribute(slack, units, stretchable):
    """Share a line's slack (em): each Han–Latin gap and word space takes up to
    :data:`STRETCH_MAX` first, then the gaps between all units take the rest evenly,
    up to :data:`SPACING_MAX`; past that, the stretchable gaps take it all.
    Returns (stretch per stretchable gap, spacing per unit gap)."""
    stretch = min(STRETCH_MAX, slack / stretchable) if stretchable else 0.0
    spacing = (slack - stretch * stretchable) / (units - 1)
    if spacing > SPACING_MAX and stretchable:
        stretch += (spacing - SPACING_MAX) * (units - 1) / stretchable
        spacing = SPACING_MAX
    return stretch, spacing


def break_lines(units, measure, rules):
    """Total-fit line breaking (after Knuth and Plass): of all the ways to break the
    paragraph at allowed places, the one with the fewest demerits. Squeezing costs
    less than pushing a character down, so a line squeezes before it pushes; the
    slack of a push is shared with the lines before it rather than left in one loose
    line; a last line of one character costs more than any other setting."""
    count = len(units)
    breakable = [False] + [can_break(units, index, rules) for index in range(1, count)] \
        + [True]
    sums = Sums(units, rules)
    best = {0: (0.0, None)}
    for start in range(count):
        if start not in best:
            continue
        width = measure - (rules.indent if start == 0 else 0.0)
        fitted, loose = False, None
        # Lines looser than LOOSE are not tried unless nothing else fits: start at
        # the last allowed break before they get tight enough.
        first = sums.first_end(start, width - LOOSE)
        first = next((end for end in range(first - 1, start, -1) if breakable[end]), first)
        for end in range(first, count + 1):
            if not breakable[end]:
                continue
            span = sums.span(start, end)
            if span is None:  # only spaces: nothing to set
                if end == count and (end not in best or best[start][0] < best[end][0]):
                    best[end] = (best[start][0], start)
                continue
            saved = sum(mark.advance / 2
                        for mark in line_edges(units[start], sums.last(end), rules))
            natural = span.width - saved
            cost = line_cost(span, natural, span.squeezable - saved, width, end == count,
                             start == 0)
            if cost is None:
                if fitted:
                    break
                end, cost = loose or (end, OVERFULL)  # nothing fits: loose, or overfull
            elif end < count and width - natural > LOOSE and not fitted:
                loose = (end, cost)
                continue
            fitted = True
            total = best[start][0] + cost
            if end not in best or total < best[end][0]:
                best[end] = (total, start)
            if cost == OVERFULL or loose and loose[0] == end:
                break
    breaks, end = [], count
    while end:
        start = best[end][1]
        breaks.append((start, end))
        end = start
    lines = []
    for start, end in reversed(breaks):
        width = measure - (rules.indent if start == 0 else 0.0)
        changes = squeeze(units[start:end], width, rules)
        apply(changes or [])
        lines.append(Line(units[start:end], width, rules.indent if start == 0 else 0.0))
    if lines:
        lines[-1].last = True
    return lines


def justify(line):
    """Spread the slack of every line but the last (see :func:`distribute`)."""
    units = set_units(line.units)
    slack = line.measure - line.natural
    if line.last or len(units) < 2 or slack <= TOLERANCE:
        return
    stretchable = [unit for unit in units[1:] if unit.gap or unit.space]
    stretch, line.spacing = distribute(slack, len(units), len(stretchable))
    for unit in stretchable:
        unit.stretch = stretch


def compose(text, measure, advance, ink_side, rules=Settings()):
    """Compose one paragraph into lines of ``measure`` em.

    ``advance(text)`` gives a unit's advance in em in the face that sets it,
    ``ink_side(char)`` which half of its em box a full-width mark inks ('left',
    'right' or None), so that the other half can be cut.
    """
    units = units_of(text, advance, ink_side, rules)
    lines = break_lines(units, measure, rules)
    for line in lines:
        if not line.units:
            continue
        apply((unit, "halved", True) for unit in edge_marks(line.units, rules))
        line.units[0].gap = 0.0
        if rules.justified:
            justify(line)
    return lines
