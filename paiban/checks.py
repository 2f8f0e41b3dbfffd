"""Edition checks: the format errors of the 2020 regulation on newspaper quality
(《报纸期刊质量管理规定》, its annex on 编校/出版形式差错), read from the PDFs the build
wrote, so that what is checked is what prints.

- 报头: the masthead is the largest text of page 1;
- 版序、版名: every page's folio (page number and page name) stands at the same
  distance from the outer edge (right on odd pages, left on even ones);
- 广告: every ad slot carries the word 广告;
- references: every jump line (下转/上接) and index entry names the page that carries
  the story (the numbers are resolved from the page list; here they are read back);
- 报尾: the colophon, with publisher, address, printer, price and distribution, is at
  the foot of the page the house style names;
- 黑白版: a page marked ``colour: mono`` carries K ink only.

Each check gives findings (errors at the file and line to change) and a line for
build.json's ``checks``.
"""

import hashlib
import importlib.metadata
import json
import re
from pathlib import Path

from .files import sha256_of, write_atomically
from .fonts import cache_root
from .front import colophon_page
from .preflight import Finding

FOLIO_TOLERANCE = 3.0      # pt: the folios' distances from the outer edge may differ
COLOPHON_PARTS = {"主办": "the publisher (主办)", "社址": "the address (社址)",
                  "印刷": "the printer (印刷)", "定价": "the price (定价)",
                  "发行": "the distribution (发行)"}


def spans(pdf):
    """(text, size, bbox) of every text span of the first page of ``pdf`` (a path),
    and the trim's width: boxes in points from the trim's top-left corner, as
    build.json's, whatever bleed and marks a print PDF has around it."""
    import pymupdf
    with pymupdf.open(pdf) as document:
        page = document[0]
        media, trim = (box_of(document, page, key) for key in ("MediaBox", "TrimBox"))
        trim = trim or media
        left, top = trim[0] - media[0], media[3] - trim[3]
        text = page.get_text("dict", flags=pymupdf.TEXTFLAGS_DICT  # text only: copying
                             & ~pymupdf.TEXT_PRESERVE_IMAGES)["blocks"]  # the photos took half
        found = [(span["text"], span["size"], (span["bbox"][0] - left, span["bbox"][1] - top,
                                               span["bbox"][2] - left, span["bbox"][3] - top))
                 for block in text for line in block.get("lines", ())
                 for span in line["spans"] if span["text"].strip()]
    return found, trim[2] - trim[0]


def read_spans(pdf):
    """:func:`spans` of ``pdf``, kept in paiban's cache under the PDF's checksum (and
    this module's code and MuPDF's version): an edition rebuilt after an edit on one
    page reads that page alone, where reading all sixteen took most of a second."""
    code = hashlib.sha256(Path(__file__).read_bytes() + importlib.metadata.version(
        "pymupdf").encode()).hexdigest()[:16]
    kept = cache_root() / "spans" / f"{code}-{sha256_of(pdf)}.json"
    try:
        found, width = json.loads(kept.read_text(encoding="utf-8"))
        return [(text, size, tuple(box)) for text, size, box in found], width
    except (OSError, ValueError, TypeError):  # none kept, or not what this code keeps
        pass
    found, width = spans(pdf)
    write_atomically(kept, json.dumps([found, width], ensure_ascii=False).encode())
    return found, width


def box_of(document, page, key):
    """A page box as written in the PDF (x0, y0, x1, y1, y upwards), or None."""
    kind, value = document.xref_get_key(page.xref, key)
    return tuple(float(v) for v in value.strip("[]").split()) if kind == "array" else None


def edition_checks(edition, pdfs, entries=None):
    """The checks of an edition whose page PDFs are ``pdfs`` (page number → path):
    (findings, summary), the summary a dict of check name → "ok" or what failed.
    ``entries``: page number → the page's build.json entry, for the boxes of its ad
    slots (``ads``) and of a masthead drawn from art (``masthead_art``)."""
    read = {number: read_spans(path) for number, path in pdfs.items()}
    findings, summary = [], {}
    for name, check in (("masthead", masthead), ("folios", folios), ("ads", ad_labels),
                        ("references", references), ("colophon", colophon),
                        ("mono", mono)):
        found = check(edition, read, pdfs, entries or {})
        findings += found
        summary[name] = "; ".join(f.message for f in found) or "ok"
    unread = [str(page.number) for page in edition.pages if page.number not in pdfs]
    if unread:   # a failed page has no PDF: what it would print is not checked
        summary = {name: f"{said} (page {', '.join(unread)} not built)"
                   for name, said in summary.items()}
    return findings, summary


def built_edition_checks(edition, folder):
    """The checks on the proof PDFs the last build wrote in ``folder`` (``paiban
    check``): those its build.json lists for a page of this edition under the number
    and source it has now (a PDF of a page since renumbered is not this page's);
    None when there is none."""
    import json
    try:
        built = json.loads((folder / "build.json").read_text(encoding="utf-8"))["pages"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    entries = {entry.get("page"): entry for entry in built if isinstance(entry, dict)
               and entry.get("pdf") and Path(entry["pdf"]).is_file()}
    pdfs = {page.number: entries[page.number]["pdf"] for page in edition.pages
            if page.number in entries
            and Path(entries[page.number].get("source", "")).resolve() == page.path.resolve()}
    return edition_checks(edition, pdfs, entries) if pdfs else None


def printed(read, number):
    """The text page ``number`` prints, its white space left out."""
    return re.sub(r"\s", "", "".join(span[0] for span in read[number][0]))


def page_of(edition, number):
    return next(page for page in edition.pages if page.number == number)


def masthead(edition, read, pdfs, entries):
    """The paper's name is the largest text of the front page; drawn from art, its
    height is measured against the largest em."""
    found = []
    for page in edition.pages:
        if page.layout != "front" or page.number not in read:
            continue
        texts, _ = read[page.number]
        art = entries.get(page.number, {}).get("masthead_art")
        name = (edition.paper, art[3], None) if art else max(
            (s for s in texts if s[0].strip() == edition.paper), key=lambda s: s[1],
            default=None)
        largest = max(texts, key=lambda s: s[1])
        if name is None or largest[1] > name[1] + 0.01:
            found.append(Finding("error", str(page.path), 1,
                                 f"the masthead is not the largest text of page {page.number}: "
                                 f"「{largest[0][:12]}」 is {largest[1]:.0f} pt" +
                                 (f", the masthead {name[1]:.0f} pt" if name else
                                  ", and the paper's name is not set"),
                                 "shorten that headline or lower its size band in the house "
                                 "style; the masthead band's share sets the masthead's size"))
    return found


def folio_distance(texts, width, number, title):
    """The folio's distance (pt) from the page's outer edge, or None if the page
    does not show its page number and name together: the spans on the folio's
    baseline on either side of it, with gaps under two ems."""
    folio = f"第{number}版"
    for text, size, box in texts:
        if not text.strip().startswith(folio):
            continue
        row = sorted((s for s in texts if abs(s[2][3] - box[3]) < 1), key=lambda s: s[2][0])
        at = row.index((text, size, box))
        first = last = at
        while first > 0 and row[first][2][0] - row[first - 1][2][2] < 2 * size:
            first -= 1
        while last + 1 < len(row) and row[last + 1][2][0] - row[last][2][2] < 2 * size:
            last += 1
        if title and title not in "".join(s[0] for s in row[first:last + 1]):
            continue
        return width - row[last][2][2] if number % 2 else row[first][2][0]
    return None


def folios(edition, read, pdfs, entries):
    """Every page shows its number and name at one distance from the outer edge."""
    found, distances = [], {}
    for page in edition.pages:
        if page.number not in read:
            continue
        texts, width = read[page.number]
        distance = folio_distance(texts, width, page.number, page.title)
        if distance is None:
            found.append(Finding("error", str(page.path), 1,
                                 f"page {page.number} does not show 第{page.number}版 with its "
                                 f"name {page.title!r} in its header",
                                 "give the page a 'title:' and keep the running head"))
        else:
            distances[page.number] = distance
    if distances:
        usual = sorted(distances.values())[len(distances) // 2]
        for number, distance in sorted(distances.items()):
            if abs(distance - usual) > FOLIO_TOLERANCE:
                page = page_of(edition, number)
                side = "right" if number % 2 else "left"
                found.append(Finding("error", str(page.path), 1,
                                     f"page {number}'s folio stands {distance:.1f} pt from its "
                                     f"outer ({side}) edge; the other pages' {usual:.1f} pt",
                                     "put the folio at the outer edge: odd pages right, even "
                                     "pages left (check the house stylesheet's running head)"))
    return found


def ad_labels(edition, read, pdfs, entries):
    """Every ad slot carries 广告 inside it."""
    found = []
    for number, entry in entries.items():
        boxes = entry.get("ads", [])
        if number not in read:
            continue
        texts, _ = read[number]
        for x, y, w, h in boxes:
            if not any("广告" in text and x - 1 <= b[0] and b[2] <= x + w + 1
                       and y - 1 <= b[1] and b[3] <= y + h + 1 for text, _, b in texts):
                page = page_of(edition, number)
                found.append(Finding("error", str(page.path), page.ad.line if page.ad else 1,
                                     f"the ad on page {number} is not labelled 广告",
                                     "keep the ad slot's 广告 label (the house stylesheet "
                                     "must not hide it)"))
    return found


def references(edition, read, pdfs, entries):
    """Each jump line and index entry on the page names the page the story is on."""
    found = []
    for page in edition.pages:
        if page.number not in read:
            continue
        text = printed(read, page.number)
        wanted = [(f"（下转第{s.jump_to}版）", s.line) for s in page.stories if s.jump]
        wanted += [(f"（上接第{s.continued_from}版）", s.line) for s in page.stories
                   if s.continued_from]
        if page.front:
            wanted += [(f"第{number}版", page.front.line) for _, number in page.front.entries]
        for phrase, line in wanted:
            if phrase not in text:
                found.append(Finding("error", str(page.path), line,
                                     f"page {page.number} does not print {phrase}",
                                     "the jump line or index entry is missing from the page: "
                                     "check the ear's room and the module's last line"))
    return found


def colophon(edition, read, pdfs, entries):
    """The colophon names publisher, address, printer, price and distribution, and
    prints at the foot of its page."""
    items = edition.house.front.colophon
    where = colophon_page(edition)
    house = str(edition.house.path)
    if where is None:
        return [Finding("error", house, 1, "the house style gives no colophon (报尾)",
                        "add front: colophon: [主管/主办/出版 …, 社址 …, 印刷 …, 定价 … 发行 …]")]
    missing = [what for word, what in COLOPHON_PARTS.items()
               if not any(word in item for item in items)]
    found = [Finding("error", house, 1, "the colophon lacks " + ", ".join(missing),
                     "add them to front: colophon in the house style")] if missing else []
    if where.number in read:
        if not all(re.sub(r"\s", "", item) in printed(read, where.number) for item in items):
            found.append(Finding("error", str(where.path), 1,
                                 f"page {where.number} does not print the colophon",
                                 "keep the colophon's frame (the house stylesheet must not "
                                 "hide it)"))
    return found


def mono(edition, read, pdfs, entries):
    """A black-and-white page's colours and images are K (grey) only."""
    found = []
    for page in edition.pages:
        if page.mono and page.number in pdfs:
            colours = non_k_colours(pdfs[page.number])
            if colours:
                found.append(Finding("error", str(page.path), 1,
                                     f"page {page.number} is black-and-white (黑白版) but uses "
                                     + ", ".join(colours[:3]),
                                     "supply grey art, or remove 'colour: mono'"))
    return found


def non_k_colours(pdf):
    """What in the first page of ``pdf`` (its content, forms and images) is not K."""
    import pikepdf
    found = []
    with pikepdf.open(pdf) as document:
        walk_colours(document.pages[0].obj, found, set())
    return found


SET_COLOUR = ("sc", "scn", "SC", "SCN")


def walk_colours(holder, found, seen):
    """Add to ``found`` the colours of a page or form's content that are not K alone
    (any RGB, grey too: a plate takes it as CMY), then its images' and forms'."""
    import pikepdf
    if holder.objgen in seen and holder.objgen != (0, 0):
        return
    seen.add(holder.objgen)
    space = None
    for operands, operator in pikepdf.parse_content_stream(holder):
        op = str(operator)
        if op in ("cs", "CS"):
            space = str(operands[0])
            continue
        rgb = op in ("rg", "RG") or op in SET_COLOUR and space == "/DeviceRGB"
        cmyk = op in ("k", "K") or op in SET_COLOUR and space == "/DeviceCMYK"
        values = [float(v) for v in operands if not isinstance(v, pikepdf.Name)] \
            if rgb or cmyk else []
        if rgb or cmyk and any(values[:3]):
            found.append(("RGB" if rgb else "CMYK") + " colour "
                         + " ".join(f"{v:g}" for v in values))
    resources = holder.get("/Resources") or {}
    for name, xobject in (resources.get("/XObject") or {}).items():
        if xobject.get("/Subtype") == "/Image":
            space = xobject.get("/ColorSpace")
            channels = space[1].get("/N") if isinstance(space, pikepdf.Array) \
                and space[0] == "/ICCBased" else None
            if space != "/DeviceGray" and channels != 1 and not xobject.get("/ImageMask"):
                found.append(f"a colour image ({name})")
        elif xobject.get("/Subtype") == "/Form":
            walk_colours(xobject, found, seen)
