"""A news page made of its modules: each article rendered alone, kept by content.

An edit of one character in one article changes one module of a news or front page;
laying out the whole page again for it takes most of a second. So every article's
frames are rendered as a small document of their own (the module's box and ``PAD``
round it), and the page's furniture (running head or masthead band, rules, ad slot,
colophon) as one more, the size of the page; each is kept in paiban's cache under
the checksum of everything WeasyPrint is given for it, and the page is rendered
with an ``art`` frame in each one's place (supplied PDF art stays on top),
which :mod:`paiban.overlay` fills with the module's PDF page, unscaled. Every build
of such a page takes this one path, so its bytes depend on the inputs alone, not on
what the cache holds. Each module embeds its own subsets of the faces, cut to its
own characters: a module kept from an earlier build stays valid when another module
gains a character. The text stays text, in a Form XObject.
"""

import dataclasses
import hashlib
import os
import re
from pathlib import Path
from urllib.parse import unquote

from . import __version__
from .files import write_atomically
from .fonts import cache_root

PAD = 12.0   # pt of room round a module's box: hanging punctuation, a headline's overhang
FURNITURE = {"header", "masthead", "serials", "ear", "dateline", "colophon", "ad-label",
             "art"}   # the page's own frames, never a module's
KEEP = 4096          # modules kept in the cache (some 100 KB each)
FORMAT = "modules 1"  # changes when a module's PDF would change for the same input


def laid_out(edition, page, placed, fonts, printing=None, variant=None):
    """``placed`` with each article's frames replaced by an ``art`` frame (style
    ``module``) naming its rendered module's PDF; a page without articles as it is.
    ``variant`` is the PDF variant the page is written as (PDF/X, PDF/A), which the
    modules are written as too: it decides how their colours are written."""
    if not placed.articles:
        return placed
    geometry = placed.geometry
    boxes = [(x - geometry.margin_left, y - geometry.margin_top, width, height)
             for x, y, width, height in (entry["box"] for entry in placed.articles)]
    members = [[] for _ in boxes]
    furniture = []
    for frame in placed.frames:
        inside = None if frame.kind in FURNITURE or frame.style in ("module", "ad") \
            else next((n for n, box in enumerate(boxes) if holds(box, frame)), None)
        (furniture if inside is None else members[inside]).append(frame)
    supplied = [frame for frame in furniture if frame.kind == "art"]
    trim = (-geometry.margin_left, -geometry.margin_top, geometry.trim_width,
            geometry.trim_height)
    modules = [(trim, [frame for frame in furniture if frame.kind != "art"])]
    modules += list(zip(boxes, members))
    from .fit import Frame
    laid = []
    for box, frames in modules:   # the page's furniture first, under its articles
        if frames:
            box = spanned(box, frames)
            path = module_pdf(edition, page, dataclasses.replace(placed, frames=frames),
                              box, fonts, printing, variant)
            x, y, width, height = box
            laid.append(Frame("art", x - PAD, y - PAD, width + 2 * PAD, height + 2 * PAD,
                              style="module", src=str(path)))
    return dataclasses.replace(placed, frames=laid + supplied)


def spanned(box, frames):
    """``box`` grown to hold every one of ``frames`` (a module's document is clipped
    to its page: nothing it sets may stand outside)."""
    x, y, width, height = box
    left = min([x] + [frame.x for frame in frames])
    top = min([y] + [frame.y for frame in frames])
    right = max([x + width] + [frame.x + frame.width for frame in frames])
    bottom = max([y + height] + [frame.y + frame.height for frame in frames])
    return left, top, right - left, bottom - top


def holds(box, frame, tolerance=0.5):
    """Whether ``frame``'s centre lies in ``box`` (pt, type area)."""
    x, y, width, height = box
    centre_x, centre_y = frame.x + frame.width / 2, frame.y + frame.height / 2
    return x - tolerance <= centre_x <= x + width + tolerance \
        and y - tolerance <= centre_y <= y + height + tolerance


def shell_pdf(edition, page, laid, fonts, printing, variant):
    """The PDF bytes of the page a page of modules is drawn on (``laid``: what
    :func:`laid_out` left, ``art`` frames only), kept as a module is: the page with
    its boxes, metadata and PDF variant, before its modules are placed."""
    return module_pdf(edition, page, laid, None, fonts, printing, variant).read_bytes()


def module_pdf(edition, page, placed, box, fonts, printing, variant):
    """The path of the PDF of one module (the frames of ``placed`` in ``box``; with
    no box, of the page), rendered unless the cache holds it."""
    from .render import lay_out, render_input
    given = render_input(edition, page, placed, fonts, printing,
                         area=(*box, PAD) if box else None)
    key = module_key(edition, page, given, variant)
    path = cache_root() / "modules" / f"{key}.pdf"
    try:
        os.utime(path)   # in use: the last to be pruned
    except FileNotFoundError:
        from .build import pdf_bytes
        write_atomically(path, pdf_bytes(lay_out(given), edition, page, pdf_variant=variant))
        if key.startswith("00"):   # one new module in 256 looks at the cache's size
            prune(path.parent)
    return path


def prune(folder, keep=KEEP):
    """Remove all but the ``keep`` modules used last: each edit in watch leaves one."""
    used = sorted(folder.glob("*.pdf"), key=lambda path: path.stat().st_mtime_ns)
    for path in used[:-keep]:
        path.unlink(missing_ok=True)


def module_key(edition, page, given, variant):
    """The checksum of everything a module's PDF is made from: its markup and CSS,
    the lock's faces (their subsets are cut to the markup's characters), the
    stylesheets' text, the images it shows, the PDF variant and metadata, and the
    versions of paiban and WeasyPrint."""
    import weasyprint
    from .render import pdf_metadata
    faces = sorted((name, face.role.sha256, face.role.index)
                   for name, face in given.fonts.faces.items())
    digest = hashlib.sha256(f"{FORMAT} {__version__} {weasyprint.__version__} {variant} "
                            f"{sorted(given.options)} {faces} "
                            f"{pdf_metadata(edition, page)} ".encode())
    for text in (given.html, given.css, given.own_css):
        digest.update(text.encode() + b"\0")
    for path in given.stylesheets:
        digest.update(Path(path).read_bytes() + b"\0")
    for url in sorted(set(re.findall(r'src="([^"]+)"', given.html))):
        for prefix, folder in given.urls.items():
            if url.startswith(prefix):
                digest.update((folder / unquote(url.removeprefix(prefix))).read_bytes())
    return digest.hexdigest()[:32]
