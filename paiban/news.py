"""Set a news page: its articles made up as modules (paiban.makeup), each set in its box.

The makeup only sees measurements; this module gives it the real ones — the body
lines the composer sets at each column width, headline characters, photo shapes
and caption depths, the deck under the headline — and turns the layout it returns
into frames the ``news`` template places: in each module the head block (kicker,
headline at the layout's size, subtitle, byline), photos with captions, the body
in its text columns (lines composed by paiban, on the page's baseline grid), column
rules and a rule between modules; the briefs box with run-in heads; the ad slot.
"""

import itertools
import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

from . import cjk, front, makeup
from .boxes import INSET_CHARS
from .errors import PaibanError
from .fit import (
    SHOWN,
    Composer,
    Frame,
    Overset,
    PlacedPage,
    crop_position,
    running_head,
)
from .geometry import Geometry
from .model import Text
from .makeup.model import BRIEFS, Style
from .preflight import Finding, image_problem, upright_size
from .printing import PrintSettings

HEAD_LINES = 3          # the running head's body lines, above the modules
RUN_IN = re.compile(r"\*\*(.+?)\*\*\s*(.*)\Z", re.DOTALL)   # a brief's bold run-in head
AD_TOLERANCE = 0.05     # an ad's shape may differ from its slot's by this share
JUMP_SHARE = 0.5        # of a jumping story's lines, those its first page asks room for
BLANK_WARNING = 0.05    # a page blanker than this is said (the makeup's goal is 1%)


@dataclass(frozen=True)
class Below(Geometry):
    """The grid below the running head: ``skip`` body lines fewer, its top that
    many lines down, so that the makeup's points are the page's."""
    skip: int = HEAD_LINES
    foot: int = 0        # body lines below it: the colophon's

    @property
    def margin_top(self):
        return (self.trim_height - (self.lines + self.skip + self.foot) * self.pitch) / 2 \
            + self.skip * self.pitch


@dataclass
class BodyLine:
    """A line of an article's body, as a feature column's flow items are: a
    paragraph's composed line or an intertitle's (小标题), with ``head`` characters
    of a brief's run-in head at its start."""
    frame_kind: str      # "line" or "intertitle"
    payload: cjk.Line
    line: int            # source line
    head: int = 0
    height: int = 1      # body lines


class Copy:
    """One story's body, composed at each width the makeup asks for, once. A
    continued story's body is what its first page ``carried`` over (BodyLines)."""

    def __init__(self, composer, story, carried=None, run_in=False):
        self.composer, self.story, self.carried = composer, story, carried
        self.run_in = run_in or story.role == BRIEFS   # bold heads: the briefs', the ear's
        self.widths = {}   # chars → body lines
        self.counts = {}   # chars → how many

    def paragraphs(self):
        """(kind, text, source line, head characters, indented) in reading order."""
        if self.carried is not None:
            yield from carried_paragraphs(self.carried)
            return
        article = self.story.article
        for text in article.lead:
            yield "p", text.text, text.line, 0, True
        for section in article.sections:
            for heading in (section.title, section.subheading):
                if heading:
                    yield "intertitle", heading.text, heading.line, 0, True
            for block in section.blocks:
                match = RUN_IN.match(block.text) if self.run_in else None
                if match:
                    yield "p", match[1] + "　" + match[2], block.line, len(match[1]) + 1, True
                else:
                    yield "p", block.text, block.line, 0, True

    def lines(self, chars):
        """The body lines in a text column ``chars`` characters wide."""
        if chars not in self.widths:
            found = []
            for kind, text, line, head, indented in self.paragraphs():
                for composed in self.composer.lines(text, "body", self.width(chars),
                                                    indent=indented):
                    taken = min(head, len(composed.text))
                    found.append(BodyLine(kind if kind == "intertitle" else "line",
                                          composed, line, taken))
                    head -= taken
            self.widths[chars] = found
        return self.widths[chars]

    def width(self, chars):
        """The text column's width (pt): the briefs' inset by a character each side."""
        inset = 2 * INSET_CHARS if self.story.role == BRIEFS else 0
        return (chars - inset) * self.composer.geometry.char

    def count(self, chars):
        """What the makeup asks: body lines at the width; for a story that jumps, the
        share of its lines it keeps on this page and the jump line."""
        if chars not in self.counts:
            self.counts[chars] = len(self.widths[chars]) if chars in self.widths else sum(
                self.composer.count(text, "body", self.width(chars), indent=indented)
                for _, text, _, _, indented in self.paragraphs())
        lines = self.counts[chars]
        if self.story.jump:
            return min(lines, math.ceil(lines * JUMP_SHARE)) + 1
        return lines


def carried_paragraphs(lines):
    """The paragraphs of body lines carried over from another page, rejoined: the
    first flush when it continues a paragraph begun there."""
    for (kind, line), group in itertools.groupby(lines, lambda item: (item.frame_kind,
                                                                      item.line)):
        group = list(group)
        text = group[0].payload.text
        for before, after in itertools.pairwise(group):
            word_break = not before.payload.hyphen and text[-1:].isascii() \
                and text[-1:].isalnum() and after.payload.text[:1].isascii() \
                and after.payload.text[:1].isalnum()
            text += (" " if word_break else "") + after.payload.text
        yield ("intertitle" if kind == "intertitle" else "p", text, line, 0,
               bool(group[0].payload.indent))


def story_deck(composer, story):
    """The head block's parts besides the headline; a continuation's is its 上接 line."""
    if story.continued_from:
        return [("byline", Text(f"（上接第{story.continued_from}版）", story.line),
                 style_lines(composer, "byline"))]
    return deck(composer, story.article)


def style_lines(composer, name):
    """Body lines one line of a text style takes."""
    return math.ceil(composer.style(name)[2] / composer.geometry.pitch - 0.01)


def deck(composer, article):
    """(kind, text, lines) of the head block's parts besides the headline."""
    parts = []
    for kind, text in (("kicker", article.kicker), ("subtitle", article.subtitle),
                       ("byline", article.byline)):
        if text:
            parts.append((kind, text, style_lines(composer, "byline" if kind == "byline"
                                                  else "subtitle")))
    return parts


def photo_spans(geometry, photo, min_ppi):
    """The widest span (base columns) a photo's pixels fill at ``min_ppi``: a news
    module's photo row spans half its width or more, so a small photo may be set
    below ``warn_ppi`` (the proof warns, as it does for the editor's sizes) but never
    where print would refuse it."""
    if not photo.pixels:
        return 3
    fills = photo.pixels[0] * 72 / min_ppi
    return max([n for n in range(1, geometry.columns) if geometry.span(0, n)[1] <= fills + 0.01]
               or [1])


def caption_lines(composer, photo, columns):
    """Body lines a caption takes under a photo ``columns`` base columns wide."""
    width = composer.geometry.span(0, columns)[1]
    count = len(composer.lines(photo.caption.text, "caption", width))
    return math.ceil(count * composer.style("caption")[2] / composer.geometry.pitch)


def blueprint_pins(page, house, paper_size):
    """Article id → the box the page's blueprint gives the first article of each of
    its ranks (an article's own pin wins)."""
    if not page.blueprint:
        return {}
    name, line = page.blueprint
    patterns = house.news.blueprints.get(paper_size, {})
    if name not in patterns:
        raise PaibanError(f"no blueprint {name!r} for the {paper_size} in the house style "
                          f"{house.name}", page.path, line,
                          fix="use one of: " + (", ".join(patterns) or "none yet: add "
                                                "news: blueprints to the house style"))
    pins = {}
    for role, box in patterns[name].items():
        story = next((s for s in page.stories if s.role == role and not s.pin), None)
        if story:
            pins[story.id] = box
    return pins


def makeup_article(composer, story, copy, min_ppi, pin=None):
    geometry = composer.geometry
    photos = []
    for photo in () if story.continued_from else story.article.photos:
        widest = photo.columns or photo_spans(geometry, photo, min_ppi)
        aspect = photo.aspect or (photo.pixels[1] / photo.pixels[0] if photo.pixels else None)
        lines = None
        if photo.columns and photo.aspect:
            lines = max(1, round(geometry.span(0, photo.columns)[1] * photo.aspect
                                 / geometry.pitch))
        deepest = photo.pixels and math.floor(photo.pixels[1] * 72 / min_ppi / geometry.pitch)
        photos.append(makeup.Photo(aspect=aspect, max_columns=widest, columns=photo.columns,
                                   lines=lines, max_lines=deepest or None,
                                   caption_lines=caption_lines(composer, photo, min(widest, 2))))
    return makeup.Article(
        story.id, story.role, copy.count,
        headline=tuple(text.text for text in story.article.headline), photos=tuple(photos),
        deck_lines=sum(lines for _, _, lines in story_deck(composer, story)),
        columns=story.columns, pin=story.pin or pin, min_width=deck_width(composer, story),
        foot_lines=1 if story.role == BRIEFS else 0)   # the briefs box's border


def deck_width(composer, story):
    """The width (pt) of the head block's widest kicker or subtitle, set unbroken
    (news.css) at the byline style's size: the narrowest module that holds it."""
    size = composer.style("byline")[1]
    return max([len(text.text) * size for kind, text, _ in story_deck(composer, story)
                if kind in ("kicker", "subtitle")] or [0])


def fit_news(page, fonts, house, paper_size, rules=cjk.Settings(),
             min_ppi=PrintSettings.min_ppi, paper="", edition=None, carried=None,
             previous=None):
    """Make up ``page``'s stories and set each in its module: the placed page, with
    ``articles`` and ``blank_fraction`` for build.json, and the body lines its
    jumping stories carry over (``carried``: id → lines). A front page sets the
    masthead band above the modules, the colophon page the colophon below them
    (both need the ``edition``); ``carried`` gives continued stories their copy.
    ``previous``: the boxes the page's last build accepted (:func:`accepted`), kept
    while the copy still fits them (always, on a locked page)."""
    geometry, style = house.geometry(paper_size), Style.of(house, paper_size)
    full = Composer(fonts, house, geometry, rules)
    skip = front.band_lines(house, geometry) if page.layout == "front" else HEAD_LINES
    foot = front.colophon_lines(edition, page, geometry)
    below = Below(**dict({name: getattr(geometry, name)
                          for name in Geometry.__dataclass_fields__},
                         lines=geometry.lines - skip - foot), skip=skip, foot=foot)
    composer = Composer(fonts, house, below, rules)
    composer.cache = full.cache
    frames, overset = [], []
    if page.layout == "front":
        frames += front.band_frames(full, edition, page, skip)
    else:
        frames.append(running_head(full, page, paper, overset))
    if foot:
        frames.append(front.colophon_frame(house, geometry, foot))
    copies = {story.id: Copy(composer, story, (carried or {}).get(story.id, [])
                             if story.continued_from else None) for story in page.stories}
    reserved = [makeup.Reserved(page.ad.columns, page.ad.lines, page.ad.corner)] \
        if page.ad else []
    ear = page.front.ear if page.front else None
    if ear:
        overset += set_ear(composer, ear, next(f for f in frames if f.kind == "ear"), frames)
        if page.front.entries:   # the index leaves the ear for a box at the grid's top right
            reserved.append(makeup.Reserved(front.ear_columns(house, geometry),
                                            front.index_slot_lines(full, page), "top-right",
                                            label=front.INDEX_TITLE))
    pins = blueprint_pins(page, house, paper_size)
    try:
        layout = makeup.make_up(below, [makeup_article(composer, story, copies[story.id],
                                                       min_ppi, pins.get(story.id))
                                        for story in page.stories],
                                reserved=reserved, previous=previous, locked=page.lock,
                                style=style)
    except PaibanError as error:   # the makeup knows ids, not files: name the plan's line
        line = next((story.line for story in page.stories if repr(story.id) in error.message),
                    page.ad.line if page.ad and "reserved" in error.message
                    else page.stories[0].line)
        raise PaibanError(error.message, page.path, line, fix=error.fix) from None
    articles, jumped = [], {}
    for story in page.stories:
        placement = layout.placement(story.id)
        left = set_module(composer, style, story, copies[story.id], placement, frames)
        if story.jump:
            jumped[story.id], left = left, []
        entry = {"id": story.id, "role": story.role,
                 "headline": "".join(text.text for text in story.article.headline),
                 "source": f"{story.path}:{story.article.headline[0].line}",
                 "box": [round(value, 2) for value in placement.points],
                 "grid": list(placement.box), "columns": placement.text_columns,
                 "lines": placement.box[3], "headline_size": placement.headline_size,
                 "overset_chars": sum(len(item.payload.text) for item in left),
                 "underset_lines": placement.underset_lines, **placement.setting()}
        if story.jump:
            entry.update(jump_to=story.jump_to, carried_chars=sum(
                len(item.payload.text) for item in jumped[story.id]))
        if story.continued_from:
            entry.update(continued_from=story.continued_from, carried_chars=sum(
                len(item.payload.text) for item in copies[story.id].carried))
        if left:
            entry["cut_from"] = left[0].payload.text[:SHOWN]
            overset.append(Overset("article", left[0].line, entry["overset_chars"],
                                   entry["cut_from"]))
        articles.append(entry)
    for label, box in layout.reserved:
        if label == front.INDEX_TITLE:
            x, y, width, height = grid_box(below, box)
            frames.append(front.index_frame(full, page, x, y + geometry.pitch / 2, width,
                                            height - geometry.pitch))
        else:
            set_ad(composer, page, box, frames)
    frames += module_rules(below, [p.box for p in layout.placements if p.role != BRIEFS]
                           + [box for _, box in layout.reserved])
    copy = sum(len(text.text) for text in page.article.texts())
    return PlacedPage(geometry, frames, overset, [], round(layout.blank_slots),
                      copy - sum(o.characters for o in overset), articles,
                      round(layout.blank_fraction, 5),
                      [list(pair) for pair in layout.tombstones], carried=jumped)


def accepted(record):
    """The modules (id → its build.json entry: box and setting) of a news page's last
    build, from its cache record (:mod:`paiban.cache`), or None. The makeup keeps
    them only where every article still fits (a locked page's, always)."""
    try:
        articles = json.loads(Path(record).read_text(encoding="utf-8"))["entry"]["articles"]
        return {article["id"]: article for article in articles}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def grid_box(geometry, box):
    """A grid box (column, line, columns, lines below the running head or the
    masthead band: a :class:`Below` grid) in points from the type area's top-left
    corner."""
    column, line, columns, lines = box
    x, width = geometry.span(column, columns)
    return x, (line + geometry.skip) * geometry.pitch, width, lines * geometry.pitch


def headline_breaks(texts, per_line):
    """Each written headline line broken into as few, as even pieces as fit
    ``per_line`` characters (the makeup's count)."""
    pieces = []
    for text in texts:
        count = max(1, math.ceil(len(text.text) / per_line))
        size = math.ceil(len(text.text) / count)
        pieces += [(text.text[n:n + size], text.line) for n in range(0, len(text.text), size)]
    return pieces


def set_module(composer, style, story, copy, placement, frames):
    """The frames of one module; returns the body lines that do not fit (overset)."""
    geometry, pitch = composer.geometry, composer.geometry.pitch
    x, y, width, height = grid_box(geometry, placement.box)
    article, briefs = story.article, story.role == BRIEFS
    photo_top = placement.photo_on_top
    head_y = y + (placement.photos[0][3] * pitch if photo_top else 0) + pitch / 2
    if briefs:
        frames.append(Frame("briefs", x, y + pitch / 2, width, height - pitch,
                            source_line=story.line))
    size = placement.headline_size
    for kind, text, lines in story_deck(composer, story)[:1] if article.kicker \
            and not story.continued_from else ():
        frames.append(Frame(kind, x, head_y, width, lines * pitch, text=text.text,
                            source_line=text.line))
        head_y += lines * pitch
    per_line = max(1, math.floor(width * style.headline_measure / size))
    pieces = headline_breaks(article.headline, per_line)
    line_height = size * style.headline_leading
    block = math.ceil(len(pieces) * line_height / pitch) * pitch
    top = head_y + (block - len(pieces) * line_height) / 2
    for n, (text, line) in enumerate(pieces):
        frames.append(Frame("headline", x, top + n * line_height, width, line_height,
                            text=text, size=size, source_line=line,
                            style="briefs-label" if briefs else story.role))
    head_y += block
    for kind, text, lines in story_deck(composer, story):
        if kind != "kicker":
            frames.append(Frame(kind, x, head_y, width, lines * pitch, text=text.text,
                                source_line=text.line))
            head_y += lines * pitch
    body_top = placement.box[1] + placement.headline_depth \
        + (placement.photos[0][3] if photo_top else 0)
    photo_columns = set()
    for photo, box in zip(article.photos, placement.photos):
        set_photo(composer, photo, box, frames, top=photo_top)
        if not photo_top:
            photo_columns |= set(range(box[0], box[0] + box[2]))
    column_width = placement.column_chars * geometry.char
    lines = copy.lines(placement.column_chars)
    start = 0
    tops = []
    last = len(placement.column_lines) - 1
    for n, count in enumerate(placement.column_lines):
        column = placement.box[0] + n
        if placement.text_columns == placement.box[2]:
            left = geometry.span(column, 1)[0]
        else:   # 破栏: wider columns, one gutter between them
            left = x + n * (column_width + geometry.gutter)
        top = body_top + (placement.photos[0][3] if column in photo_columns
                          and placement.text_columns == placement.box[2] else 0)
        if story.jump:   # the module full, its last line the jump line's
            count = placement.box[1] + placement.box[3] - top - (n == last)
        tops.append((left, top, count))
        if count:
            inset = INSET_CHARS * geometry.char if briefs else 0
            frames.append(Frame("column", left + inset, (top + geometry.skip) * pitch,
                                column_width - 2 * inset, count * pitch,
                                lines=lines[start:start + count], source_line=story.line))
        start += count
    if story.jump:
        left, top, count = tops[last]
        frames.append(Frame("jump", left, (top + count + geometry.skip) * pitch, column_width,
                            pitch, text=f"（下转第{story.jump_to}版）", source_line=story.line))
    for (left, top, count), (right, other, more) in itertools.pairwise(tops):
        if count and more and not briefs:
            first = max(top, other)
            depth = min(top + count, other + more) - first
            if depth > 0:
                frames.append(Frame("rule", (left + column_width + right) / 2,
                                    (first + geometry.skip) * pitch, 0, depth * pitch,
                                    style="vertical"))
    return lines[start:]


def set_ear(composer, story, ear, frames):
    """A short article in the ear's box: its headline as the box's title, its body
    in one column below it, inset as the briefs'. Returns its overset."""
    geometry, pitch = composer.geometry, composer.geometry.pitch
    frames[frames.index(ear)] = replace(ear, text="".join(t.text for t in story.article.headline),
                                        source_line=story.article.headline[0].line)
    inset = INSET_CHARS * geometry.char
    chars = math.floor((ear.width - 2 * inset) / geometry.char)
    lines = Copy(composer, story, run_in=True).lines(chars)
    room = max(0, math.floor((ear.height - 2.5 * pitch) / pitch))
    frames.append(Frame("column", ear.x + inset, ear.y + 2 * pitch, chars * geometry.char,
                        min(room, len(lines)) * pitch, lines=lines[:room],
                        source_line=story.line))
    left = lines[room:]
    return [Overset("ear", left[0].line, sum(len(item.payload.text) for item in left),
                    left[0].payload.text[:SHOWN])] if left else []


def set_photo(composer, photo, box, frames, top=False):
    """A photo frame and its caption under it, in its box of the module; at the
    module's ``top``, half a line below the rule above it, as a headline stands."""
    geometry, pitch = composer.geometry, composer.geometry.pitch
    x, y, width, height = grid_box(geometry, box)
    if top:
        y, height = y + pitch / 2, height - pitch / 2
    captions = composer.lines(photo.caption.text, "caption", width)
    leading = composer.style("caption")[2]
    below = math.ceil(len(captions) * leading / pitch) * pitch
    frame_height = max(pitch, height - below)
    crop = crop_position(photo, width, frame_height, composer.house.photos.portrait_focus)
    frames.append(Frame("photo", x, y, width, frame_height, text=photo.caption.text,
                        src=photo.src, source_line=photo.line, crop=crop))
    frames.append(Frame("caption", x, y + frame_height, width, below, lines=captions,
                        size=composer.style("caption")[1],
                        source_line=photo.caption.line))


def set_ad(composer, page, box, frames):
    """The ad slot: the 广告 label on its first line, the ad below it. A PDF ad is an
    empty ``art`` frame, which :mod:`paiban.overlay` fills once the PDF is written."""
    geometry, pitch = composer.geometry, composer.geometry.pitch
    x, y, width, height = grid_box(geometry, box)
    frames.append(Frame("ad-label", x, y, width, pitch, text="广告", source_line=page.ad.line))
    if is_pdf(page.ad):
        frames.append(Frame("art", x, y + pitch, width, height - 1.5 * pitch, style="ad",
                            src=str(page.ad_file()), source_line=page.ad.line, text="广告"))
    else:
        frames.append(Frame("photo", x, y + pitch, width, height - 1.5 * pitch, style="ad",
                            src=page.ad.src, source_line=page.ad.line, text="广告"))


def is_pdf(ad):
    return Path(ad.src).suffix.lower() == ".pdf"


def ad_area(geometry, ad):
    """Width and height (pt) of the ad's image area in its slot."""
    return geometry.span(0, ad.columns)[1], (ad.lines - 1.5) * geometry.pitch


def module_rules(geometry, boxes):
    """A hairline between modules: above each one below the top, and left of each
    one right of the first column, in the middle of the gutter (the briefs box has
    its own border, and no rule beside it)."""
    pitch, rules = geometry.pitch, []
    for box in boxes:
        x, y, width, height = grid_box(geometry, box)
        if box[1] > 0:
            rules.append(Frame("rule", x, y, width, 0, style="module"))
        if box[0] > 0:
            rules.append(Frame("rule", x - geometry.gutter / 2, y + pitch / 4, 0,
                               height - pitch / 2, style="vertical"))
    return rules


def findings(page, placed):
    """The news page's overset, per article at its file and line, and a
    continuation that continues nothing, at its plan's line."""
    found = []
    for story, entry in zip(page.stories, placed.articles):
        if entry["overset_chars"]:
            line = next(o.line for o in placed.overset if o.start == entry["cut_from"])
            found.append(Finding(
                "error", str(story.path), line,
                f"overset: article {story.id!r} does not fit its module "
                f"({entry['columns']} columns × {entry['lines']} lines); cut "
                f"{entry['overset_chars']} characters from 「{entry['cut_from']}…」",
                "cut the copy from there on, drop a photo, or give the article more "
                "room (a wider 'columns:' in the page plan)"))
        if story.continued_from and not entry["carried_chars"]:
            found.append(Finding(
                "error", str(page.path), story.line,
                f"article {story.id!r} fits its module on page {story.continued_from}: "
                "nothing is left to continue here",
                f"remove 'continued: true' here and 'jump: true' on page "
                f"{story.continued_from}, or give it a smaller module there ('pin')"))
    if placed.blank_fraction > BLANK_WARNING:
        found.append(Finding("warning", str(page.path), page.stories[0].line,
                             f"the page is {placed.blank_fraction:.0%} blank: its copy leaves "
                             "columns of its modules short",
                             "add copy, articles or photos, reserve an ad slot, or pin fewer or "
                             "smaller boxes"))
    for cut in (o for o in placed.overset if o.block == "ear"):
        found.append(Finding("error", str(page.front.ear.path), cut.line,
                             f"overset: the ear's article does not fit the ear; cut "
                             f"{cut.characters} characters from 「{cut.start}…」",
                             "cut the copy from there on: the ear is the masthead band's "
                             "depth (front: band_share in the house style)"))
    return found


def ad_findings(page, geometry, printing=None):
    """The ad file is a sane PNG or JPEG, and its shape is its slot's image area's
    within AD_TOLERANCE (it is placed whole, never cropped); or a PDF the size of
    the slot's image area, its fonts embedded and, for print (``printing``), no RGB
    and no more ink than the edition's limit (:mod:`paiban.artcheck`)."""
    if not page.ad:
        return []
    path = page.ad_file()
    if path is not None and is_pdf(page.ad):
        from . import artcheck  # pikepdf: imported for PDF art only
        return [Finding("error", str(page.path), page.ad.line, f"the ad {page.ad.src} {what}",
                        fix) for what, fix in artcheck.problems(
                            path, ad_area(geometry, page.ad), printing)]
    problem = "is not a regular file in the edition folder" if path is None \
        else image_problem(path)
    if problem:
        return [Finding("error", str(page.path), page.ad.line, f"the ad {page.ad.src} {problem}",
                        "supply the ad as a PNG, JPEG or PDF file in the edition folder")]
    pixels = upright_size(path)
    width, height = ad_area(geometry, page.ad)
    slot, image = height / width, pixels[1] / pixels[0]
    if abs(image / slot - 1) <= AD_TOLERANCE:
        return []
    return [Finding("error", str(page.path), page.ad.line,
                    f"the ad {page.ad.src} is {pixels[0]} × {pixels[1]} pixels (height/width "
                    f"{image:.3f}); its slot of {page.ad.columns} columns × {page.ad.lines} "
                    f"lines takes {width:.0f} × {height:.0f} pt (height/width {slot:.3f})",
                    f"supply the ad at {width / 72 * 300:.0f} × {height / 72 * 300:.0f} "
                    "pixels (300 ppi), or change the slot's columns and lines")]


def located(page, findings):
    """The page-wide checks (coverage, images, resolution) report a news page's copy
    at the page file and the line in the article file: name the article file, or
    the files, when several have copy on that line."""
    texts, photos = {}, {}
    for story in page.article.stories:   # the ear's article too
        for text in story.article.texts():
            texts.setdefault(text.line, []).append(story.path)
        for photo in story.article.photos:
            photos.setdefault(photo.line, []).append(story.path)
    out = []
    for finding in findings:
        lines = photos if "photo" in finding.message or "image" in finding.message else texts
        files = sorted(set(lines.get(finding.line, []))) if finding.path == str(page.path) \
            and finding.line else []
        if len(files) == 1:
            finding = replace(finding, path=str(files[0]))
        elif files:
            finding = replace(finding, message=finding.message + " (in "
                              + " or ".join(Path(file).name for file in files) + ")")
        out.append(finding)
    return out
