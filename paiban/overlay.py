"""Place pages of supplied PDFs (an ad, a masthead) into a rendered page PDF.

WeasyPrint places raster and SVG images only, so supplied PDF art is left as an
empty frame by the template and merged in here, after the page PDF is finished
(print: after :func:`paiban.printing.finish`; archive: after PDF/A is written): each
art page becomes a Form XObject, drawn after the page's own content, scaled to fit
its box with its shape kept and centred. Its content is copied as it is — colours,
fonts and images — so the art is checked before it is placed (:mod:`paiban.artcheck`).
The bytes depend on the inputs alone: resource names are numbered, not random
(pikepdf's ``add_overlay`` makes them random), and the file ID is the content's.
"""

import io
import itertools
from typing import NamedTuple

NAME = "/PaibanArt{}"
MODULE_NAME = "/PaibanModule{}"   # a page's own module (paiban.modules), not supplied art


class Art(NamedTuple):
    """A page of a supplied PDF (``path``, its ``art_page`` index from 0) in ``box``:
    x, y, width, height in pt from the top-left corner of the trim of page ``page``
    of the rendered PDF (y downwards, as paiban's frames and build.json's boxes).
    A ``module`` is one of the page's own modules, rendered alone at its box's size
    (:mod:`paiban.modules`): it is placed unscaled, under a name of its own."""
    path: str
    art_page: int
    box: tuple
    page: int = 0
    module: bool = False


def place(data, placements):
    """``data`` (PDF bytes) with every placement's art drawn in its box; the same
    bytes when there is nothing to place. Placements are Art or plain
    (path, art page, box[, page]) tuples."""
    if not placements:
        return data
    import pikepdf  # here: most pages place no art, and pikepdf takes 20 ms to import
    with pikepdf.open(io.BytesIO(data)) as pdf:
        placements = [Art(*art) for art in placements]
        for number in sorted({art.page for art in placements}):  # keep art out of
            page = pdf.pages[number]                             # the page's state
            page.contents_add(b"q\n", prepend=True)
            page.contents_add(b"\nQ\n")
        for number, art in enumerate(placements):
            with pikepdf.open(art.path) as supplied:
                form = pdf.copy_foreign(supplied.pages[art.art_page].as_form_xobject())
            draw(pdf.pages[art.page], form, art.box, number, art.module)
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def draw(page, form, box, number, module=False):
    """Draw ``form`` on ``page`` in ``box``, after the page's content, under the
    name numbered ``number`` (or the next free one); a module at its own size."""
    import pikepdf
    taken = {key for kind in page.resources.values() if isinstance(kind, pikepdf.Dictionary)
             for key in kind}
    pattern = MODULE_NAME if module else NAME
    name = next(pattern.format(n) for n in itertools.count(number)
                if pattern.format(n) not in taken)
    page.add_resource(form, pikepdf.Name.XObject, pikepdf.Name(name))
    if module:
        target = rectangle(page, box)
        placement = f"1 0 0 1 {target.llx:.3f} {target.lly:.3f} cm {name} Do".encode()
    else:
        placement = page.calc_form_xobject_placement(form, pikepdf.Name(name),
                                                     rectangle(page, box),
                                                     allow_shrink=True, allow_expand=True)
    page.contents_add(b"q\n" + placement + b"\nQ\n")


def rectangle(page, box):
    """``box`` (from the trim's top-left, y down) in the page's user space."""
    import pikepdf
    trim = page.trimbox
    x, y, width, height = box
    top = float(trim[3]) - y
    return pikepdf.Rectangle(float(trim[0]) + x, top - height, float(trim[0]) + x + width, top)


def framed(placed, page=0):
    """The placements of a placed page's ``art`` frames (each the first page of the
    PDF its ``src`` names) on page ``page`` of the PDF: frames are set on the type
    area, whose top-left corner is the margins' from the trim's."""
    geometry = placed.geometry
    return [Art(frame.src, 0, (geometry.margin_left + frame.x, geometry.margin_top + frame.y,
                               frame.width, frame.height), page, frame.style == "module")
            for frame in placed.frames if frame.kind == "art"]
