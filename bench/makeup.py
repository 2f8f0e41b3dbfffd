"""Page makeup on generated news pages: blank space, tombstones, overset and time.

Run: .venv/bin/python bench/makeup.py [--pages 50] [--paper broadsheet] [--ad 3x24]
[--draw DIR]

Each page (fixed seed) has 3–10 articles: one 头条, the rest 二条 to 四条 at random,
a briefs box on about a third of the pages, 0–2 photos each (not the briefs). The
copy is generated to fill 85–100% of the page, measured with the character model
(paiban.makeup.CopyModel: a paragraph of n characters takes ceil((n + 2) / w) lines
at w characters) at the grid's base column width, each headline at the largest
size of its band that keeps to its rank's lines (measured as the makeup measures it)
and each photo at its own shape's preferred depth, at the widths a desk would give
(头条 three fifths of the page, 二条 half, others a quarter). ``--draw`` writes a PNG
of each page (module boxes, headline bands, photos, text columns, blank in red).
Time is the makeup's CPU time (the process's, so that other work on the machine does
not count); the wall time is printed beside it with the load average.
"""

import argparse
import math
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from paiban.house import DEFAULT_HOUSE, load_house
from paiban.makeup import BRIEFS, ROLES, Article, CopyModel, Photo, Reserved, Style, make_up
from paiban.makeup.module import Measure

SEED = 20260101


def nominal_width(role, columns):
    if role == ROLES[0]:
        return math.ceil(columns * 0.6)
    if role == BRIEFS:
        return 1
    return max(1, columns // 2 if role == ROLES[1] else columns // 4)


def nominal_area(geometry, style, role, headline, photos, body_lines):
    """Line slots of an article at a desk's nominal width: the headline at the largest
    size of its band that keeps to its rank's lines, measured as the makeup measures
    it (a long headline at a narrow width breaks into more lines), photos at their
    own shape's preferred depth across half the module, the body."""
    width = nominal_width(role, geometry.columns)
    article = Article("nominal", role, lambda chars: body_lines, headline)
    head = Measure(article, geometry, style).headlines(width)[0][2]
    area = width * head + body_lines
    if photos:
        span = max(len(photos), math.ceil(width / 2))
        low, high = style.own_ratio
        shapes = [min(max(photo.aspect or style.photo_preferred, low), high)
                  for photo in photos]
        frame = geometry.span(0, span)[1] * sum(shapes) / len(shapes) / geometry.pitch
        area += span * (round(frame) + max(photo.caption_lines for photo in photos))
    return area


def paragraphs(rng, lines, chars):
    """Paragraph lengths that make ``lines`` lines at ``chars`` a line (the last
    paragraph cut to the lines left)."""
    lengths = []
    while (left := lines - CopyModel(tuple(lengths))(chars)) > 0:
        length = rng.randint(40, 220)
        if CopyModel((length,))(chars) > left:
            length = left * chars - 2 - rng.randint(0, chars - 1)
        lengths.append(length)
    return tuple(lengths)


def generate(rng, geometry, style, reserved=0):
    """A page: its articles (in shuffled order) and the share of the page's free
    line slots (all but ``reserved``) they fill."""
    count = rng.randint(3, 10)
    roles = [ROLES[0]] + sorted(rng.choice(ROLES[1:4]) for _ in range(count - 1))
    if count > 3 and rng.random() < 0.35:
        roles[-1] = BRIEFS
    fill = rng.uniform(0.85, 1.0)
    free = geometry.columns * geometry.lines - reserved
    target = fill * free
    drafts = []
    for n, role in enumerate(roles):
        photos = () if role == BRIEFS else tuple(
            Photo(aspect=rng.choice((None, 0.56, 0.67, 0.75, 1.33)))
            for _ in range(rng.randint(0, 2)))
        headline = ("简讯",) if role == BRIEFS else tuple(
            "题" * rng.randint(8, 16) for _ in range(rng.randint(1, 2)))
        weight = {0: 5, 1: 3}.get(n, 2) if role != BRIEFS else 2
        drafts.append((f"a{n}", role, headline, photos, weight))
    fixed = sum(nominal_area(geometry, style, role, headline, photos, 0)
                for _, role, headline, photos, _ in drafts)
    weights = sum(draft[-1] for draft in drafts)
    articles = []
    for ident, role, headline, photos, weight in drafts:
        lines = max(4, round((target - fixed) * weight / weights))
        copy = CopyModel(paragraphs(rng, lines, geometry.column_chars))
        articles.append(Article(ident, role, copy, headline, photos))
    held = sum(nominal_area(geometry, style, a.role, a.headline, a.photos,
                            a.lines_at(geometry.column_chars)) for a in articles)
    rng.shuffle(articles)
    return articles, held / free


def draw(layout, geometry, path, scale=0.6):
    """The layout as a PNG: module frames, headline bands (dark), photos (blue with a
    cross), text columns (grey), blank line slots (red), article ids."""
    from PIL import Image, ImageDraw
    width, pitch = geometry.type_width, geometry.pitch
    image = Image.new("RGB", (round(width * scale) + 20, round(geometry.type_height * scale) + 20),
                      "white")
    pen = ImageDraw.Draw(image)

    def rect(column, line, columns, lines, **style):
        x, w = geometry.span(column, columns)
        box = [10 + x * scale, 10 + line * pitch * scale,
               10 + (x + w) * scale, 10 + (line + lines) * pitch * scale]
        pen.rectangle(box, **style)
        return box

    for label, box in layout.reserved:
        rect(*box, fill=(255, 230, 170), outline="black")
        pen.text((rect(*box)[0] + 4, rect(*box)[1] + 4), "AD", fill="black")
    for p in layout.placements:
        column, line, columns, lines = p.box
        head_line = line + (p.photos[0][3] if p.photo_on_top else 0)
        shade = (200, 200, 200) if p.role == BRIEFS else (70, 70, 70)
        rect(column, head_line, columns, p.headline_depth - 1, fill=shade)
        for photo in p.photos:
            box = rect(*photo, fill=(170, 200, 240), outline=(40, 80, 160))
            pen.line(box, fill=(40, 80, 160))
        body_top = head_line + p.headline_depth
        photo_columns = {c for ph in p.photos for c in range(ph[0], ph[0] + ph[2])}
        chars_width = p.column_chars * geometry.char
        gutter = (geometry.span(column, columns)[1] - p.text_columns * chars_width) \
            / max(1, p.text_columns - 1)
        left = geometry.span(column, columns)[0]
        for n, depth in enumerate(p.column_lines):
            x = left + n * (chars_width + gutter)
            base = column + n if p.photos and not p.photo_on_top else None
            top = body_top + (p.photos[0][3] if base in photo_columns else 0)
            full = line + lines - top
            y = 10 + top * pitch * scale
            pen.rectangle([10 + x * scale, y, 10 + (x + chars_width) * scale,
                           y + depth * pitch * scale], fill=(225, 225, 225))
            if full > depth:
                pen.rectangle([10 + x * scale, y + depth * pitch * scale,
                               10 + (x + chars_width) * scale, y + full * pitch * scale],
                              fill=(240, 60, 60))
        frame = rect(*p.box, outline="black", width=2)
        pen.text((frame[0] + 4, frame[1] + 2), f"{p.id} r{ROLES.index(p.role) + 1 if p.role in ROLES else 'B'}"
                 f" {p.headline_size:g}pt", fill="white")
    image.save(path)


def machine():
    """CPU model and core count, for the figures' caption."""
    model = platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--paper", default="broadsheet")
    parser.add_argument("--draw", type=Path)
    parser.add_argument("--ad", metavar="COLUMNSxLINES",
                        help="an ad stack at the bottom right, e.g. 3x24 (copy fills the rest)")
    args = parser.parse_args()
    house = load_house(DEFAULT_HOUSE)
    geometry, style = house.geometry(args.paper), Style.of(house, args.paper)
    reserved = [Reserved(*map(int, args.ad.split("x")))] if args.ad else []
    area = sum(slot.columns * slot.lines for slot in reserved)
    rng = random.Random(SEED)
    pages = [generate(rng, geometry, style, area) for _ in range(args.pages)]
    blanks, times, walls, tombs, overset, fills = [], [], [], 0, 0, []
    for n, (articles, fill) in enumerate(pages):
        started, wall = time.process_time(), time.perf_counter()
        layout = make_up(geometry, articles, reserved, style=style)
        times.append(time.process_time() - started)
        walls.append(time.perf_counter() - wall)
        blanks.append(layout.blank_fraction)
        tombs += len(layout.tombstones)
        overset += len(layout.overset)
        fills.append(fill)
        if args.draw:
            args.draw.mkdir(parents=True, exist_ok=True)
            draw(layout, geometry, args.draw / f"page-{n:02d}.png")
    print(f"{time.strftime('%Y-%m-%d')}, {machine()}, Python {platform.python_version()}: "
          f"{len(pages)} {args.paper} pages ({geometry.columns} × {geometry.lines}), "
          f"{min(len(a) for a, _ in pages)}–{max(len(a) for a, _ in pages)} articles, "
          f"copy {min(fills):.0%}–{max(fills):.0%} of the page"
          + (f" around a {args.ad} ad stack" if args.ad else ""))
    print("| figure | median | worst | goal |")
    print("|---|---|---|---|")
    print(f"| blank fraction | {statistics.median(blanks):.2%} | {max(blanks):.2%} | median ≤ 1% |")
    print(f"| makeup time per page (CPU) | {statistics.median(times) * 1000:.0f} ms | "
          f"{max(times) * 1000:.0f} ms | ≤ 100 ms |")
    print(f"| pages over 100 ms (CPU) | {sum(t > 0.1 for t in times)} of {len(times)} | | 0 |")
    print(f"| wall time per page (load {os.getloadavg()[0]:.1f}) | "
          f"{statistics.median(walls) * 1000:.0f} ms | {max(walls) * 1000:.0f} ms | |")
    print(f"| tombstones (all pages) | {tombs} | | 0 |")
    print(f"| overset articles (all pages) | {overset} | | 0 |")


if __name__ == "__main__":
    main()
