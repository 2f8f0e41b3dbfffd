"""The front page's band (头版报头) and the colophon (报尾): the paper's furniture.

Across the top of the front page, ``band_share`` of the grid's lines deep: the
masthead (报头: the paper's name in the house style's masthead style, fitted as large
as the space gives, or the paper's PDF art), the registered numbers and the editors
under it; beside it the ear (报眼): the index (导读), the headlines the plan names and
the pages they are on, or a short article (:func:`paiban.news.set_ear`); under both
the date line (date, weekday, 农历, 第N期 and 总第N期, 今日N版, the folio at the outer
edge). At the foot of the page the house style names, the colophon: the publisher,
address, printer, price and distribution.

Everything here is worked out from the edition (its date, issue, page list) and the
house style, never typed on the page, so a renumbered page or a new edition follows.
"""

import functools
import math

from lunar_python import Solar

from .fit import Frame, editor_line
from .house import HOUSES
from .preflight import Finding

DATE_LINES = 2           # the date line's depth in body lines
WEEKDAYS = "一二三四五六日"
INDEX_TITLE = "导读"
MASTHEAD_FILL = 0.82     # of the masthead area's height the name's em may take
MASTHEAD_MEASURE = 0.92  # of its width the name's set width may take


def band_lines(house, geometry):
    """Body lines of the front page's band: masthead, ear and date line."""
    return max(DATE_LINES + 6, round(geometry.lines * house.front.band_share))


def long_date(date):
    """2023年1月16日 星期一: the date as the running head and the date line print it."""
    return f"{date.year}年{date.month}月{date.day}日 星期{WEEKDAYS[date.weekday()]}"


@functools.cache
def lunar_date(date):
    """农历 of a date, e.g. 壬寅年腊月廿五 (from lunar_python: the calendar's own tables),
    worked out once a process (12 ms: each rebuild of a page continuing the front
    page's lead fits the front page)."""
    lunar = Solar.fromYmd(date.year, date.month, date.day).getLunar()
    return f"{lunar.getYearInGanZhi()}年{lunar.getMonthInChinese()}月{lunar.getDayInChinese()}"


def date_line(edition, page):
    """The date line's parts, left to right (the folio last, at the outer edge)."""
    issue = f"第{edition.issue}期"
    if edition.total_issue:
        issue += f"（总第{edition.total_issue}期）"
    return [long_date(edition.date), f"农历{lunar_date(edition.date)}", issue,
            f"今日{len(edition.pages)}版", f"第{page.number}版"]


def serials(house):
    """The registered numbers printed under the masthead."""
    parts = []
    if house.front.cn:
        parts.append(f"国内统一连续出版物号　{house.front.cn}")
    if house.front.post_code:
        parts.append(f"邮发代号　{house.front.post_code}")
    return "　".join(parts)


def band_frames(composer, edition, page, lines):
    """The frames of the front page's band, ``lines`` body lines deep."""
    geometry, house = composer.geometry, edition.house
    pitch = geometry.pitch
    masthead_columns = geometry.columns - ear_columns(house, geometry)
    _, width = geometry.span(0, masthead_columns)
    depth = (lines - DATE_LINES) * pitch
    serial, editors = serials(house), editor_line(page)
    serial_depth = 1.5 * pitch if serial or editors else 0
    area = depth - serial_depth - pitch / 2
    frames = [masthead_frame(composer, edition, width, area)]
    if serial_depth:   # the editors at the right: the front page has no running head
        frames.append(Frame("serials", 0, depth - serial_depth, width, serial_depth,
                            text=serial, lines=[editors]))
    if masthead_columns < geometry.columns:
        x, ear_width = geometry.span(masthead_columns, geometry.columns - masthead_columns)
        ear = page.front.ear
        frames.append(Frame("ear", x, pitch / 2, ear_width, depth - pitch, style="story")
                      if ear else index_frame(composer, page, x, pitch / 2, ear_width,
                                              depth - pitch))
    frames.append(Frame("dateline", 0, depth, geometry.type_width, DATE_LINES * pitch,
                        lines=date_line(edition, page), text=page.title,
                        style="odd" if page.number % 2 else "even"))
    return frames


def masthead_frame(composer, edition, width, height):
    """The paper's name as large as the masthead area takes it: the largest text of
    the page, which the edition checks confirm. Supplied art (a PDF) is an ``art``
    frame of the art's shape, as large as the area takes it, centred in its depth:
    :mod:`paiban.overlay` draws it once the page PDF is written."""
    house = edition.house
    if house.front.art:
        art_width, art_height = art_size(HOUSES / house.front.art)
        scale = min(width / art_width, height / art_height)
        return Frame("art", 0, (height - art_height * scale) / 2, art_width * scale,
                     art_height * scale, style="masthead", text=edition.paper,
                     src=str(HOUSES / house.front.art))
    role = composer.style(house.front.masthead)[0]
    ems = sum(composer.fonts.advance(role, char) for char in edition.paper)
    size = math.floor(min(height * MASTHEAD_FILL, width * MASTHEAD_MEASURE / ems))
    return Frame("masthead", 0, 0, width, height, text=edition.paper, size=size,
                 style=house.front.masthead)


def art_size(path):
    """Width and height (pt) of the trim of a PDF's first page."""
    import pikepdf

    from .artcheck import trim_size
    with pikepdf.open(path) as pdf:
        return trim_size(pdf.pages[0])


def art_findings(edition, printing=None):
    """The masthead art's problems (paiban.artcheck), at the house style's file."""
    art = edition.house.front.art
    if not art:
        return []
    from .artcheck import problems
    return [Finding("error", str(edition.house.path), 1, f"the masthead art {art} {what}", fix)
            for what, fix in problems(HOUSES / art, printing=printing)]


def ear_columns(house, geometry):
    """Base columns of the ear (报眼), beside the masthead."""
    return geometry.columns - max(1, round(geometry.columns * house.front.masthead_share))


def index_frame(composer, page, x, y, width, height):
    """The index (导读) in a box: in the ear, or in a slot of the grid."""
    return Frame("ear", x, y, width, height, text=INDEX_TITLE, source_line=page.front.line,
                 lines=index_lines(composer, page, width, height))


def index_slot_lines(composer, page):
    """Body lines a box of the index takes in the grid: its title and its entries."""
    leading = composer.style("byline")[2]
    return math.ceil((2 + len(page.front.entries)) * leading / composer.geometry.pitch) + 1


def index_lines(composer, page, width, height):
    """The index entries that fit the ear: (headline, 第N版), each headline cut to
    one line of the byline style beside its page number."""
    size, leading = composer.style("byline")[1:]
    room = int(height // leading) - 2   # the 导读 title takes two
    folio = 4 * size
    out = []
    for headline, number in page.front.entries[:max(room, 0)]:
        count = composer.fitting_characters(headline, "byline", width - folio - size)
        out.append((headline if count >= len(headline) else headline[:count - 1] + "…",
                    f"第{number}版"))
    return out


def colophon_page(edition):
    """The page whose foot carries the colophon, as the house style says."""
    pages = sorted(edition.pages, key=lambda page: page.number)
    if not edition.house.front.colophon:
        return None
    return pages[0] if edition.house.front.colophon_page == "first" else pages[-1]


def colophon_lines(edition, page, geometry):
    """Body lines the colophon takes at the foot of ``page``: none but on its page;
    there an item a line in the caption style, and a line for its rule."""
    house = edition.house if edition else None
    if house is None or colophon_page(edition) is not page:
        return 0
    leading = house.text_styles["caption"].leading or geometry.pitch
    return math.ceil(len(house.front.colophon) * leading / geometry.pitch) + 1


def colophon_frame(house, geometry, lines):
    """The colophon across the foot of the type area, ``lines`` body lines deep."""
    top = (geometry.lines - lines) * geometry.pitch
    return Frame("colophon", 0, top, geometry.type_width, lines * geometry.pitch,
                 lines=list(house.front.colophon),
                 size=house.text_styles["caption"].size or geometry.body_size)
