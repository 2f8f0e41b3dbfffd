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
- a Latin word broken only at an English hyphenation point (pyphen's patterns, the
  ones WeasyPrint uses) or where a camel-case compound joins, with a hyphen;
- every line but the last justified to the measure within bounds (:func:`distribute`);
  a line that cannot be is set short (ragged), and the breaking avoids that at almost
  any cost.

The result is plain data (lines of units, with widths, halving and spacing) that a
template turns into markup; the characters themselves are never changed, and the only
one ever added is the hyphen of a broken word.
"""

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, field

from .chars import (CLOSING, FULLWIDTH_PUNCT, INSEPARABLE, LATIN_RUN, LEVELS, NOT_AT_END,
                    NOT_AT_START, OPENING, PAUSE, SENTENCE_END, is_han)

PUNCTUATION_STYLES = ("quanjiao", "kaiming", "hangmobanjiao", "banjiao")
GAP_RANGE = (0.125, 0.25)  # em, Han–Latin gap: the setting's range
# Justification bounds, em (see distribute): what Han–Latin gaps and word spaces grow
# first, what even spacing between units may reach before a line counts as loose and
# at most, what a word space may grow in all (0.26 + 0.75: about one em), and what a
# lone mark's blank half or an indent character may grow (see mark_blank_joints).
STRETCH_MAX = 0.25
SPACING_LOOSE = 0.1
SPACING_MAX = 0.25
WORD_SPACE_MAX = 0.75
MARK_STRETCH_MAX = 0.25
SPACE_SHRINK = 1 / 3  # of its width, a word space may give up to squeeze a line
TOLERANCE = 1e-6

# Hyphenation: English patterns, on words of at least HYPHENATE_MIN letters, all ASCII
# and not all capitals ("Harf-Buzz", never "PDF"); two letters at least before the
# hyphen, three after it.
HYPHENATE_MIN = 6
HYPHEN = "-"

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
    latin: bool = False       # a Latin word or number, or a piece of one
    joined: bool = False      # continues the word of the unit before: no spacing
                              # between them, and a break here is a hyphenation point
    hyphen: float = 0.0       # em of the hyphen a break after this piece adds
    shrink: float = 0.0       # em a word space gives up to squeeze the line
    by_mark: bool = False     # the joint before this unit is a full-width mark's
                              # blank half: spacing there is least seen

    @property
    def halvable(self):
        return self.side is not None

    @property
    def space(self):
        return self.text.isspace()

    @property
    def width(self):
        return (self.advance / 2 if self.halved else self.advance) - self.shrink

    def copy(self):
        return Unit(self.text, self.advance, self.side, self.halved, self.gap, self.stretch,
                    self.latin, self.joined, self.hyphen, self.shrink, self.by_mark)


@dataclass
class Line:
    units: list
    measure: float
    indent: float = 0.0
    last: bool = False
    spacing: float = field(default=0.0)  # em added after every unit but the last
    hyphen: float = 0.0  # em of the hyphen set at the end: the line breaks a word
    short: bool = False  # could not be justified within the bounds: set ragged

    @property
    def text(self):
        """The source characters of the line (without an added hyphen)."""
        return "".join(unit.text for unit in self.units)

    @property
    def printed(self):
        """What the line prints: its set characters and the hyphen of a broken word."""
        return "".join(text for _, text in self.words())

    def words(self):
        """(first unit, text) of each unit set, the pieces of a hyphenated word joined
        again; the last gets the hyphen of a broken word."""
        out = []
        for unit in set_units(self.units):
            if unit.joined and out:
                out[-1][1] += unit.text
            else:
                out.append([unit, unit.text])
        if self.hyphen and out:
            out[-1][1] += HYPHEN
        return out

    @property
    def natural(self):
        return line_width(self.units) + self.hyphen

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


def hyphenatable(word):
    return len(word) >= HYPHENATE_MIN and word.isascii() and word.isalpha() \
        and not word.isupper()


def camel_cuts(word):
    """Where a compound written in camel case joins its parts ("Weasy|Print"): a
    hyphenation point no dictionary knows, the parts of three letters or more."""
    return [match.start() for match in re.finditer(r"(?<=[a-z]{3})(?=[A-Z][a-z]{2})", word)]


@functools.cache
def hyphenator():
    """The patterns, read when a page first sets a Latin word: reading them takes
    longer than a build whose pages are all cached."""
    import pyphen
    return pyphen.Pyphen(lang="en_US", left=2, right=3)


@functools.lru_cache(maxsize=8192)
def word_pieces(run):
    """A Latin run cut where a line may break inside it: after a hard hyphen between
    parts of three letters or more ("state-of-the-art"), and at the hyphenation points
    of the words :func:`hyphenatable` allows. Other runs stay whole."""
    pieces = []
    for part in re.split(r"(?<=[A-Za-z]{3}-)(?=[A-Za-z]{3})", run):
        word = part.rstrip(HYPHEN)
        cuts = sorted(set(hyphenator().positions(word)) | set(camel_cuts(word))) \
            if hyphenatable(word) else []
        pieces += [part[start:end] for start, end
                   in zip([0] + cuts, cuts + [len(part)])]
    return tuple(pieces)


def units_of(text, advance, ink_side, rules):
    """Cut text into units measured in em; set gaps and mark widths by the style."""
    units = []
    hyphen = advance(HYPHEN)
    for match in UNIT.finditer(text):
        chunk = match.group()
        if LATIN_RUN.fullmatch(chunk):
            pieces = word_pieces(chunk)
            units += [Unit(piece, advance(piece), latin=True, joined=index > 0,
                           hyphen=hyphen if index < len(pieces) - 1
                           and not piece.endswith(HYPHEN) else 0.0)
                      for index, piece in enumerate(pieces)]
            continue
        width = advance(chunk)
        side = ink_side(chunk) if chunk in FULLWIDTH_PUNCT and width >= 0.99 else None
        halved = side is not None and (
            rules.punctuation == "banjiao"
            or rules.punctuation == "kaiming" and chunk not in SENTENCE_END)
        units.append(Unit(chunk, width, side, halved))
    for before, after in zip(units, units[1:]):
        if before.latin and is_han(after.text[0]) or after.latin and is_han(before.text[-1]):
            after.gap = rules.han_latin_gap
        # Two adjacent marks take 1.5 em: the blank half of one of them goes.
        if before.halvable and after.halvable and not (before.halved or after.halved):
            if before.text in CLOSING | PAUSE:
                before.halved = True
            elif after.text in OPENING:
                after.halved = True
    mark_blank_joints(units)
    return units


def mark_blank_joints(units):
    """Flag the joints that are a lone full-width mark's blank half beside a Han
    character: after a pause or closing mark, before an opening one. Justifying
    spacing there widens a space the reader already takes for a pause, and is least
    seen (CJK justification in layout programs gives punctuation its own range, as
    QuarkXPress's "EA Punct"). Never by two marks in a row, which keep their 1.5 em."""
    last = len(units) - 1
    for index, mark in enumerate(units):
        if not mark.halvable or mark.halved:
            continue
        if mark.side == "left" and index < last:  # blank on the right
            after, other = units[index + 1], units[index - 1] if index else None
            flagged, han = after, after.text[0]
        elif mark.side == "right" and index:  # blank on the left
            other = units[index + 1] if index < last else None
            flagged, han = mark, units[index - 1].text[-1]
        else:
            continue
        flagged.by_mark = is_han(han) and not (other and other.halvable)


def squeeze(units, measure, rules):
    """Fit units into the measure by narrowing Han–Latin gaps, then word spaces
    (evenly), then halving marks.

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
    spaces = [unit for unit in set_units(units)[1:] if unit.space]
    if spaces and excess > TOLERANCE:
        share = min(SPACE_SHRINK, excess / sum(unit.advance for unit in spaces))
        changes += [(unit, "shrink", unit.advance * share) for unit in spaces]
        excess -= share * sum(unit.advance for unit in spaces)
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
    """May a line end before units[index]? Inside a word only at a hyphenation point."""
    before, after = units[index - 1], units[index]
    if after.joined:
        return True
    return after.text[0] not in NOT_AT_START[rules.level] \
        and before.text[-1] not in NOT_AT_END[rules.level] \
        and not after.space and not (before.latin and after.latin)


# Demerits of a line (clreq: squeeze first, then push, then spread evenly).
# Squeezing is linear and cheap: it costs less than the smallest push.
SQUEEZE_COST = 1      # per em taken by narrowing gaps or halving marks
STRETCH_COST = 10     # per em a Han–Latin gap or word space grows, up to STRETCH_MAX
WORD_SPACE_COST = 40  # per em a word space grows past STRETCH_MAX, or a mark's blank half
SPACING_COST = 100    # per em of even spacing between units
LOOSE_LINE = 1e3      # even spacing past SPACING_LOOSE
HYPHENATED = 50       # a line that ends in a broken word,
HYPHENS_IN_A_ROW = 500  # and more when the line before did too
SHORT_LAST_LINE = 1e6
SHORT_LINE = 1e7      # a line that cannot be justified within the bounds: set ragged
OVERFULL = 1e9
LOOSE = 3.0           # em of slack past which a line is tried only if nothing else fits


class Sums:
    """Prefix sums over a paragraph's units, so that any candidate line measures in
    constant time: ``width[end] - width[start]`` and so on (see :func:`break_points`)."""

    def __init__(self, units, rules):
        columns = zip(*[(unit.width, unit.gap, max(0.0, unit.gap - rules.gap_min)
                         + (unit.advance * SPACE_SHRINK if unit.space else 0.0),
                         unit.advance / 2 if unit.halvable and not unit.halved else 0.0,
                         unit.gap > 0, unit.space, unit.text not in FULLWIDTH_PUNCT,
                         unit.joined, unit.by_mark)
                        for unit in units])
        # Widths sum as floats, counts (the last five) as integers.
        sums = [list(itertools.accumulate(column, initial=0.0 if index < 4 else 0))
                for index, column in enumerate(columns)] or [[0] for _ in range(9)]
        (self.width, self.gap, self.gap_squeeze, self.mark_squeeze, self.gaps,
         self.spaces, self.characters, self.joined, self.marks) = sums
        # Natural width of units[start:end] is reach[end] - reach_from(start).
        self.reach = [w + g for w, g in zip(self.width, self.gap)]
        self.set_end = []  # for each end, the end without trailing spaces
        last = 0
        for index, unit in enumerate([None] + units):
            if index and not unit.space:
                last = index
            self.set_end.append(last)

    def first_end(self, start, least):
        """The first end at which units[start:...] is at least ``least`` em wide
        (before edge marks are halved, which save at most 1 em)."""
        offset = self.width[start] + self.gap[start + 1]
        return max(start + 1, bisect.bisect_left(self.reach, least - 1.0 + offset))


def slack_cost(slack, gaps, spaces, blanks, joints):
    """Demerits of spreading ``slack`` em over a line's Han–Latin gaps, word spaces,
    joints by a blank and joints (see :func:`distribute`)."""
    gap_stretch, space_stretch, blank_stretch, spacing, left = distribute(
        slack, gaps, spaces, blanks, joints)
    if left > TOLERANCE:
        return SHORT_LINE + SPACING_COST * left
    return (STRETCH_COST * max(gap_stretch, min(space_stretch, STRETCH_MAX))) ** 2 \
        + (WORD_SPACE_COST * max(0.0, space_stretch - STRETCH_MAX)) ** 2 \
        + (WORD_SPACE_COST * blank_stretch) ** 2 \
        + (SPACING_COST * spacing) ** 2 \
        + (LOOSE_LINE if spacing > SPACING_LOOSE + TOLERANCE else 0.0)


def spacing_cost(slack, blanks, joints):
    """:func:`slack_cost` of a line without Han–Latin gaps or word spaces, the same
    sums in the same order (its demerits equal to the last bit), a third of its time."""
    spacing = min(SPACING_LOOSE, slack / joints) if joints > 0 else 0.0
    slack -= spacing * joints
    if slack <= TOLERANCE:
        return (SPACING_COST * spacing) ** 2
    by_blank = min(MARK_STRETCH_MAX, slack / blanks) if blanks else 0.0
    slack -= by_blank * blanks
    more = min(SPACING_MAX - spacing, slack / joints) if joints > 0 else 0.0
    slack -= more * joints
    if slack > TOLERANCE:
        return SHORT_LINE + SPACING_COST * slack
    spacing += more
    return (WORD_SPACE_COST * by_blank) ** 2 + (SPACING_COST * spacing) ** 2 \
        + (LOOSE_LINE if spacing > SPACING_LOOSE + TOLERANCE else 0.0)


def distribute(slack, gaps, spaces, blanks, joints):
    """Share a line's slack (em) within the bounds, in this order: each Han–Latin gap
    and word space grows up to :data:`STRETCH_MAX`; the joints between units (never
    inside a word or a unit) take even spacing up to :data:`SPACING_LOOSE`; word
    spaces grow on, up to :data:`WORD_SPACE_MAX` in all; the joints by a blank — a
    mark's blank half (:func:`mark_blank_joints`) or an indent character — up to
    :data:`MARK_STRETCH_MAX` more; even spacing goes on up to :data:`SPACING_MAX`.
    Han–Latin gaps never take more: a wide gap by a Han character reads as a hole, a
    wide word space less so.

    Returns (stretch per Han–Latin gap, stretch per word space, stretch per joint by
    a blank, spacing per joint, slack left over); what is left over the line cannot
    take: it is set short."""
    stretchable = gaps + spaces
    stretch = min(STRETCH_MAX, slack / stretchable) if stretchable else 0.0
    slack -= stretch * stretchable
    spacing = min(SPACING_LOOSE, slack / joints) if joints > 0 else 0.0
    slack -= spacing * joints
    if slack <= TOLERANCE:  # most lines: nothing more to share
        return stretch, stretch, 0.0, spacing, slack
    word = min(WORD_SPACE_MAX - stretch, slack / spaces) if spaces else 0.0
    slack -= word * spaces
    by_blank = min(MARK_STRETCH_MAX, slack / blanks) if blanks else 0.0
    slack -= by_blank * blanks
    more = min(SPACING_MAX - spacing, slack / joints) if joints > 0 else 0.0
    slack -= more * joints
    return stretch, stretch + word, by_blank, spacing + more, slack


def break_points(paragraph, measure):
    """Total-fit line breaking (after Knuth and Plass): of all the ways to break the
    paragraph at allowed places, the one with the fewest demerits, as the (start,
    end) unit indexes of its lines. Squeezing costs less than pushing a character
    down, so a line squeezes before it pushes; the slack of a push is shared with
    the lines before it rather than left in one loose line; a hyphen costs less than
    loose spacing; a last line of one character costs more than any other setting
    but a short (ragged) line.

    A candidate line is units[start:end] without its trailing spaces; it measures by
    the prefix sums of :class:`Sums` in constant time. This loop is most of a news
    page's makeup (every article at every width it tries), so it is written out."""
    units, breakable, sums, rules = (paragraph.units, paragraph.breakable, paragraph.sums,
                                     paragraph.rules)
    count = len(units)
    widths, gaps, gap_squeeze, mark_squeeze, gap_counts, space_counts, characters, \
        joined, marks = (sums.width, sums.gap, sums.gap_squeeze, sums.mark_squeeze,
                         sums.gaps, sums.spaces, sums.characters, sums.joined, sums.marks)
    set_end = sums.set_end
    edges_halve = rules.punctuation != "quanjiao"  # quanjiao halves no edge mark
    best = {0: (0.0, None)}
    for start in range(count):
        if start not in best:
            continue
        width = measure - (rules.indent if start == 0 else 0.0)
        blanks = round(rules.indent) if start == 0 else 0
        fitted, loose = False, None
        # Lines looser than LOOSE are not tried unless nothing else fits: start at
        # the last allowed break before they get tight enough.
        first = sums.first_end(start, width - LOOSE)
        first = next((end for end in range(first - 1, start, -1) if breakable[end]), first)
        so_far = best[start][0]
        after = start + 1
        after_hyphen = units[start].joined
        for end in range(first, count + 1):
            if not breakable[end]:
                continue
            hyphenated = end < count and units[end].joined
            set_to = set_end[end]
            if set_to <= start:  # only spaces: nothing to set
                if end == count and (end not in best or so_far < best[end][0]):
                    best[end] = (so_far, start)
                continue
            natural = widths[set_to] - widths[start] + gaps[set_to] - gaps[after] \
                + (units[set_to - 1].hyphen if hyphenated else 0.0)
            saved = sum(mark.advance / 2 for mark in line_edges(
                units[start], units[set_to - 1], rules)) if edges_halve else 0.0
            natural -= saved
            if natural > width + TOLERANCE:   # squeezed, if it can be
                squeezable = gap_squeeze[set_to] - gap_squeeze[after] \
                    + mark_squeeze[set_to] - mark_squeeze[start] - saved
                excess = natural - width
                cost = None if excess > squeezable + TOLERANCE else SQUEEZE_COST * excess
            elif end == count:   # the last line: set as it falls
                cost = SHORT_LAST_LINE if characters[set_to] - characters[start] <= 1 \
                    and start != 0 else 0.0
            else:
                slack, joints = width - natural, \
                    set_to - start - 1 - joined[set_to] + joined[after] + blanks
                stretchable = gap_counts[set_to] - gap_counts[after], \
                    space_counts[set_to] - space_counts[after]
                if stretchable == (0, 0):   # most lines: slack_cost, written out
                    cost = spacing_cost(slack, marks[set_to] - marks[after] + blanks,
                                        joints)
                else:
                    cost = slack_cost(slack, *stretchable,
                                      marks[set_to] - marks[after] + blanks, joints)
            if cost is not None and hyphenated:
                cost += HYPHENATED + (HYPHENS_IN_A_ROW if after_hyphen else 0.0)
            if cost is None:
                if fitted:
                    break
                end, cost = loose or (end, OVERFULL)  # nothing fits: loose, or overfull
            elif end < count and width - natural > LOOSE and not fitted:
                loose = (end, cost)
                continue
            fitted = True
            total = so_far + cost
            if end not in best or total < best[end][0]:
                best[end] = (total, start)
            if cost == OVERFULL or loose and loose[0] == end:
                break
    breaks, end = [], count
    while end:
        start = best[end][1]
        breaks.append((start, end))
        end = start
    return breaks[::-1]


def justify(line):
    """Spread the slack of every line but the last (see :func:`distribute`); a line
    whose slack the bounds cannot take is set short, as a last line is.

    A first line's indent is so many blank characters (as the two ideographic spaces
    of hand setting were): they take the line's spacing like the others, so that a
    first line spaces like any full line, and, being blank, what a mark's blank half
    takes too (at most ½ em in all), before Han characters spread past the loose
    bound."""
    units = set_units(line.units)
    slack = line.measure - line.natural
    if line.last or not units or slack <= TOLERANCE:
        return
    gaps = [unit for unit in units[1:] if unit.gap]
    spaces = [unit for unit in units[1:] if unit.space]
    marks = [unit for unit in units[1:] if unit.by_mark]
    blanks = round(line.indent)
    joints = len(units) - 1 - sum(unit.joined for unit in units[1:]) + blanks
    gap_stretch, space_stretch, blank_stretch, spacing, left = distribute(
        slack, len(gaps), len(spaces), len(marks) + blanks, joints)
    if left > TOLERANCE:
        line.short = True
        return
    line.spacing = spacing
    line.indent += blanks * (spacing + blank_stretch)
    line.measure -= blanks * (spacing + blank_stretch)
    for unit in gaps:
        unit.stretch = gap_stretch
    for unit in spaces:
        unit.stretch = space_stretch
    for unit in marks:
        unit.stretch = blank_stretch


class Paragraph:
    """A paragraph cut into units and measured once, to be set at any measure: the
    makeup sets each article at every width it tries (some five), and the units, the
    places a line may end and their prefix sums do not depend on the width.

    ``advance(text)`` gives a unit's advance in em in the face that sets it,
    ``ink_side(char)`` which half of its em box a full-width mark inks ('left',
    'right' or None), so that the other half can be cut."""

    def __init__(self, text, advance, ink_side, rules=Settings()):
        self.rules = rules
        self.units = units_of(text, advance, ink_side, rules)
        count = len(self.units)
        self.breakable = [False] + [can_break(self.units, index, rules)
                                    for index in range(1, count)] + [True]
        self.sums = Sums(self.units, rules)
        self.found = {}   # measure → break points

    def breaks(self, measure):
        """(start, end) unit indexes of each line at ``measure`` em (see
        :func:`break_points`), found once a measure."""
        if measure not in self.found:
            self.found[measure] = break_points(self, measure)
        return self.found[measure]

    def lines(self, measure):
        """The paragraph composed into lines of ``measure`` em, justified. Setting a
        line changes its units (squeezed, halved, spaced): the lines hold copies."""
        rules, count = self.rules, len(self.units)
        units = [unit.copy() for unit in self.units]
        lines = []
        for start, end in self.breaks(measure):
            width = measure - (rules.indent if start == 0 else 0.0)
            hyphen = units[end - 1].hyphen if end < count and units[end].joined else 0.0
            apply(squeeze(units[start:end], width - hyphen, rules) or [])
            lines.append(Line(units[start:end], width, rules.indent if start == 0 else 0.0,
                              hyphen=hyphen))
        if lines:
            lines[-1].last = True
        for line in lines:
            if not line.units:
                continue
            apply((unit, "halved", True) for unit in edge_marks(line.units, rules))
            line.units[0].gap = 0.0
            if rules.justified:
                justify(line)
        return lines


def compose(text, measure, advance, ink_side, rules=Settings()):
    """Compose one paragraph into lines of ``measure`` em (see :class:`Paragraph`)."""
    return Paragraph(text, advance, ink_side, rules).lines(measure)
