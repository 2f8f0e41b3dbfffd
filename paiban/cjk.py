"""Chinese line composition (clreq 3.1, 3.2, 3.8), independent of any renderer.

A paragraph is cut into units (a Han character, a mark, a Latin word or number
that must stay whole, an inseparable —— or ……), measured with the advance widths
of the face that will set it, and broken into lines of a column measure given in
em. The rules, in the order clreq gives them:

- line-start and line-end prohibition at the strict level, squeeze before push;
- adjacent full-width marks compressed to 1.5 em (the first mark set half width);
- a ¼ em gap between Han and Latin, dropped at line start and end;
- no paragraph ending in a line of one character;
- every line but the last justified to the measure by even spacing between units.

The result is plain data (lines of units, with widths, halving and spacing) that a
template turns into markup; the characters themselves are never changed or added to.
"""

import re
from dataclasses import dataclass, field

from .chars import (CLOSING, FULLWIDTH_PUNCT, INSEPARABLE, LATIN_RUN, NOT_AT_END,
                    NOT_AT_START_STRICT, OPENING, PAUSE, is_han)

HAN_LATIN_GAP = 0.25      # em
HAN_LATIN_GAP_MIN = 0.125  # what squeezing may reduce it to
TOLERANCE = 1e-6

UNIT = re.compile("|".join(re.escape(s) + "+" for s in INSEPARABLE)
                  + "|" + LATIN_RUN.pattern + r"| +|.", re.S)


@dataclass
class Unit:
    text: str
    advance: float            # em, at full width
    halvable: bool = False    # a full-width mark the face can set half width
    halved: bool = False
    gap: float = 0.0          # em before this unit (Han–Latin), unless it starts a line

    @property
    def latin(self):
        return bool(LATIN_RUN.fullmatch(self.text))

    @property
    def space(self):
        return self.text.isspace()

    @property
    def width(self):
        return self.advance / 2 if self.halved else self.advance

    def may_start(self):
        return self.text[0] not in NOT_AT_START_STRICT

    def may_end(self):
        return self.text[-1] not in NOT_AT_END


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


def line_width(units):
    """Width of units set on one line: the first unit's gap and trailing spaces drop."""
    end = len(units)
    while end and units[end - 1].space:
        end -= 1
    return sum(unit.width for unit in units[:end]) + sum(unit.gap for unit in units[1:end])


def units_of(text, advance, can_halve):
    """Cut text into units measured in em; mark Han–Latin gaps and adjacent marks."""
    units = []
    for match in UNIT.finditer(text):
        chunk = match.group()
        width = sum(advance(char) for char in chunk)
        halvable = chunk in FULLWIDTH_PUNCT and width >= 0.99 and can_halve
        units.append(Unit(chunk, width, halvable))
    for before, after in zip(units, units[1:]):
        if before.latin and is_han(after.text[0]) or is_han(before.text[-1]) and after.latin:
            after.gap = HAN_LATIN_GAP
        # Two adjacent marks take 1.5 em: the blank half of one of them goes.
        if before.halvable and after.halvable:
            if before.text in CLOSING | PAUSE:
                before.halved = True
            elif after.text in OPENING:
                after.halved = True
    return units


def squeeze(units, measure, marks=True):
    """Fit units into the measure by narrowing Han–Latin gaps, then halving marks.

    Marks are halved from the line end backwards. Returns the changes to apply
    (unit, attribute, value), or None when even full compression does not fit.
    """
    excess = line_width(units) - measure
    changes = []
    for unit in units[1:]:
        if excess <= TOLERANCE:
            return changes
        if unit.gap > HAN_LATIN_GAP_MIN:
            take = min(unit.gap - HAN_LATIN_GAP_MIN, excess)
            changes.append((unit, "gap", unit.gap - take))
            excess -= take
    for unit in reversed(units if marks else []):
        if excess <= TOLERANCE:
            return changes
        if unit.halvable and not unit.halved:
            changes.append((unit, "halved", True))
            excess -= unit.advance / 2
    return changes if excess <= TOLERANCE else None


def apply(changes):
    for unit, attribute, value in changes:
        setattr(unit, attribute, value)


def can_break(units, index):
    """May a line end before units[index]?"""
    return units[index].may_start() and units[index - 1].may_end() \
        and not (units[index - 1].latin and units[index].latin)


def break_lines(units, measure, indent):
    lines, start = [], 0
    while start < len(units):
        width = measure - (indent if not lines else 0)
        end = start + 1
        while end < len(units) and line_width(units[start:end + 1]) <= width + TOLERANCE:
            end += 1
        # Narrowing Han–Latin gaps may take one more unit; halving marks may not.
        if end < len(units) and (end + 1 == len(units) or can_break(units, end + 1)):
            changes = squeeze(units[start:end + 1], width, marks=False)
            if changes is not None:
                apply(changes)
                end += 1
        end = settle(units, start, end, width)
        lines.append(Line(units[start:end], width, indent if not lines else 0.0))
        start = end
    if lines:
        lines[-1].last = True
    return lines


def settle(units, start, end, width):
    """Move a greedy break to an allowed place: squeeze first, then push."""
    if end >= len(units) or can_break(units, end):
        return end
    # Squeeze: take one or two more units (a closing mark, 。” …) by halving marks.
    for extra in (1, 2):
        candidate = end + extra
        if candidate <= len(units) and (candidate == len(units) or can_break(units, candidate)):
            changes = squeeze(units[start:candidate], width)
            if changes is not None:
                apply(changes)
                return candidate
    # Push: move characters down until the break is allowed.
    for candidate in range(end - 1, start, -1):
        if can_break(units, candidate):
            return candidate
    return end  # no allowed break: the line stays overfull and is reported


def avoid_short_last_line(lines):
    """A paragraph does not end with a line of one character (plus its marks)."""
    if len(lines) < 2:
        return lines
    last, previous = lines[-1], lines[-2]
    if sum(1 for unit in last.units if unit.text not in FULLWIDTH_PUNCT) > 1:
        return lines
    merged = previous.units + last.units
    changes = squeeze(merged, previous.measure)
    if changes is not None:
        apply(changes)
        previous.units, previous.last = merged, True
        return lines[:-1]
    for cut in range(len(previous.units) - 1, 0, -1):
        if can_break(merged, cut) and len(previous.units) - cut <= 3:
            previous.units, last.units = merged[:cut], merged[cut:]
            return lines
    return lines


def justify(line):
    """Spread the slack evenly between the units of every line but the last."""
    gaps = len(line.units) - 1
    while gaps > 0 and line.units[gaps].space:
        gaps -= 1
    if line.last or gaps <= 0:
        line.spacing = 0.0
    else:
        line.spacing = (line.measure - line.natural) / gaps


def compose(text, measure, advance, can_halve=True, indent=2.0, justified=True):
    """Compose one paragraph into lines of ``measure`` em.

    ``advance(char)`` gives a character's advance in em in the face that sets it;
    ``can_halve`` says whether that face has half-width forms (``halt``) for marks.
    """
    units = units_of(text, advance, can_halve)
    lines = avoid_short_last_line(break_lines(units, measure, indent))
    for line in lines:
        if line.units:
            line.units[0].gap = 0.0
        if justified:
            justify(line)
    return lines
