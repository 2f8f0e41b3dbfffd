"""Preflight of supplied PDF art (an ad, a masthead) before it is placed on a page.

:mod:`paiban.overlay` copies the art's content as it is, so what the page's own
checks would refuse must be found in the art first, and said in the terms its maker
can act on: its trim size against the slot's (in mm), a font that is not embedded,
and for print any RGB (colour operators, colour spaces, images, blending spaces)
and total ink above the edition's limit. Ink is measured on the art rendered in
CMYK (MuPDF, through PyMuPDF): overlapping objects, transparency, shadings and
images are counted as the plate will carry them.
"""

import pikepdf
from PIL import Image, ImageMath

from .printing import MM, total_ink

INK_DPI = 72             # ink limits are about areas: a point a pixel is fine enough
SIZE_TOLERANCE_MM = 1.0  # the art's trim against its slot, each way
RGB_SPACES = {"/DeviceRGB", "/RGB", "/CalRGB"}
EMBEDDED = ("/FontFile", "/FontFile2", "/FontFile3")
RGB_FIX = "export the PDF for print in CMYK (PDF/X-1a, or PDF/X-4 with a CMYK output intent)"
FONT_FIX = "export the PDF with all fonts embedded (PDF/X-4 and PDF/X-1a embed them)"
TYPE3_FIX = "export the PDF with its text as outlines or in Type 1, TrueType or OpenType fonts"
TRANSPARENCY_FIX = "export it as PDF/X-1a (transparency flattened), or print as PDF/X-4"


def problems(path, size=None, printing=None, page=0):
    """(message, fix) for each thing that keeps page ``page`` (from 0) of the PDF at
    ``path`` off a page: for a slot of ``size`` (width, height in pt; None: any size,
    scaled to fit) and, with ``printing`` (PrintSettings), for print."""
    try:
        with pikepdf.open(path) as pdf:
            if len(pdf.pages) <= page:
                return [(f"has {len(pdf.pages)} page(s); there is no page {page + 1}",
                         "supply the PDF with the art on that page")]
            found = size_problems(pdf.pages[page], size) if size else []
            fonts, type3, rgb, transparency, inks = walk(pdf.pages[page], printing is not None)
    except pikepdf.PasswordError:
        return [("is encrypted", "supply the PDF without a password")]
    except pikepdf.PdfError as error:
        return [(f"is not a readable PDF ({str(error).split(': ')[-1][:80]})",
                 "supply the PDF as exported (PDF/X-4 or PDF/X-1a)")]
    found += [(f"uses the font {name}, which is not embedded", FONT_FIX)
              for name in sorted(fonts)]
    if printing:
        found += [(f"has RGB colour ({what}): a plate takes CMYK or grey only", RGB_FIX)
                  for what in sorted(rgb)]
        found += [(f"uses the Type 3 font {name}, which the prepress check refuses", TYPE3_FIX)
                  for name in sorted(type3)]
        if printing.standard == "pdf/x-1a" and transparency:
            what = ", ".join(sorted(transparency))
            found.append((f"has transparency ({what}), which PDF/X-1a forbids",
                          TRANSPARENCY_FIX))
        limit = f"the print limit is {printing.max_ink}%"
        found += [(f"has {what} reaching {ink}% total ink (C+M+Y+K) in its pixels; {limit}",
                   ink_fix(printing.max_ink))
                  for what, ink in sorted(inks.items()) if ink > printing.max_ink]
        if not found:
            found += ink_problems(path, page, printing.max_ink)
    return found


def trim_size(page):
    """Width and height (pt) of the page's trim as it is placed (turned by /Rotate)."""
    x0, y0, x1, y1 = (float(v) for v in page.trimbox)
    width, height = abs(x1 - x0), abs(y1 - y0)
    return (height, width) if int(page.obj.get("/Rotate", 0)) % 180 else (width, height)


def size_problems(page, size):
    width, height = trim_size(page)
    if all(abs(a - b) <= SIZE_TOLERANCE_MM * MM for a, b in zip((width, height), size)):
        return []
    slot = f"{size[0] / MM:.1f} × {size[1] / MM:.1f} mm"
    return [(f"is {width / MM:.1f} × {height / MM:.1f} mm; its slot takes {slot}",
             f"supply it at {slot} (trim), or change the slot")]


def walk(page, measure_ink=False):
    """The names of the fonts used without being embedded and of the Type 3 fonts,
    what is in RGB and what is transparent, in the page and everything it draws
    through (forms, patterns, Type 3 glyphs); with ``measure_ink`` the total ink of
    each CMYK image in its own pixels, as the prepress check reads it (the ad
    rendered at INK_DPI may average a small dark area away)."""
    fonts, type3, rgb, transparency, seen, inks = set(), set(), set(), set(), set(), {}

    def space_is_rgb(space):
        if isinstance(space, pikepdf.Name):
            return str(space) in RGB_SPACES
        if isinstance(space, pikepdf.Array) and len(space):
            kind = str(space[0])
            if kind == "/ICCBased":
                return int(space[1].get("/N", 0)) == 3
            if kind in ("/Indexed", "/Separation", "/DeviceN"):
                return space_is_rgb(space[1] if kind == "/Indexed" else space[2])
            return kind in RGB_SPACES
        return False

    def visit(owner, resources, label):
        key = owner.objgen if owner.is_indirect else id(owner)
        if key in seen:
            return
        seen.add(key)
        resources = resources if resources is not None else pikepdf.Dictionary()
        group = owner.get("/Group")
        if group is not None and space_is_rgb(group.get("/CS")):
            rgb.add(f"the blending space of {label}")
        if group is not None and group.get("/S") == "/Transparency":
            transparency.add(f"a transparency group in {label}")
        for name, state in (resources.get("/ExtGState") or {}).items():
            if any(float(state.get(key, 1)) < 1 for key in ("/CA", "/ca")) \
                    or str(state.get("/SMask", "/None")) != "/None":
                transparency.add(f"the graphics state {name[1:]} of {label}")
        for name, space in (resources.get("/ColorSpace") or {}).items():
            if space_is_rgb(space):
                rgb.add(f"the colour space {name[1:]} of {label}")
        for name, font in (resources.get("/Font") or {}).items():
            font_facts(font, name)
        for name, shading in (resources.get("/Shading") or {}).items():
            if space_is_rgb(shading.get("/ColorSpace")):
                rgb.add(f"the shading {name[1:]} of {label}")
        for name, pattern in (resources.get("/Pattern") or {}).items():
            shading = pattern.get("/Shading")
            if shading is not None and space_is_rgb(shading.get("/ColorSpace")):
                rgb.add(f"the pattern {name[1:]} of {label}")
            if int(pattern.get("/PatternType", 0)) == 1:
                visit(pattern, pattern.get("/Resources"), f"pattern {name[1:]}")
        for name, xobject in (resources.get("/XObject") or {}).items():
            if xobject.get("/Subtype") == "/Form":
                visit(xobject, xobject.get("/Resources"), f"form {name[1:]}")
            elif xobject.get("/Subtype") == "/Image":
                if "/SMask" in xobject:
                    transparency.add(f"the soft mask of the image {name[1:]} of {label}")
                if not xobject.get("/ImageMask", False) and space_is_rgb(
                        xobject.get("/ColorSpace")):
                    rgb.add(f"the image {name[1:]} of {label}, {int(xobject.Width)} × "
                            f"{int(xobject.Height)} pixels")
                elif measure_ink:
                    picture = pikepdf.PdfImage(xobject).as_pil_image()
                    if picture.mode == "CMYK":
                        inks[f"the image {name[1:]} of {label}"] = total_ink(picture)
        for operands, operator in pikepdf.parse_content_stream(owner):
            if str(operator) in ("rg", "RG"):
                rgb.add(f"'{operator}' colour operators in {label}")
            elif str(operator) in ("cs", "CS") and space_is_rgb(operands[0]):
                rgb.add(f"'{operands[0]} {operator}' in {label}")
            elif str(operator) == "INLINE IMAGE":
                space = operands[0].obj.get("/CS", operands[0].obj.get("/ColorSpace"))
                if space is not None and str(space) in RGB_SPACES | {"/RGB"}:
                    rgb.add(f"an inline image in {label}")

    def font_facts(font, name):
        subtype = font.get("/Subtype")
        if subtype == "/Type3":
            type3.add(str(font.get("/Name", name))[1:])
            for glyph in (font.get("/CharProcs") or {}).values():
                visit(glyph, font.get("/Resources"), f"Type 3 font {name[1:]}")
            return
        described = font.DescendantFonts[0] if subtype == "/Type0" else font
        descriptor = described.get("/FontDescriptor") or {}
        if not any(key in descriptor for key in EMBEDDED):
            fonts.add(str(font.get("/BaseFont", name))[1:])

    visit(page.obj, page.obj.get("/Resources"), "the page")
    return fonts, type3, rgb, transparency, inks


def ink_problems(path, page, max_ink):
    """The art rendered in CMYK: where its total ink passes ``max_ink`` %."""
    import pymupdf  # MuPDF renders in CMYK; only print builds with PDF art need it
    with pymupdf.open(path) as document:
        pixmap = document[page].get_pixmap(colorspace=pymupdf.csCMYK, dpi=INK_DPI, alpha=False)
    picture = Image.frombytes("CMYK", (pixmap.width, pixmap.height), pixmap.samples)
    total = ImageMath.lambda_eval(lambda e: e["c"] + e["m"] + e["y"] + e["k"],
                                  **dict(zip("cmyk", picture.split())))
    most = round(total.getextrema()[1] * 100 / 255)
    if most <= max_ink:
        return []
    limit = max_ink * 255 / 100
    over = ImageMath.lambda_eval(lambda e: e["convert"]((e["t"] > limit) * 255, "L"),
                                 t=total).getbbox()
    x, y = (value * 72 / INK_DPI / MM for value in over[:2])
    where = f"first {x:.0f} mm from its left and {y:.0f} mm from its top"
    problem = f"reaches {most}% total ink (C+M+Y+K), {where}; the print limit is {max_ink}%"
    return [(problem, ink_fix(max_ink))]


def ink_fix(max_ink):
    return (f"ask for the art separated for newsprint, total ink at most {max_ink}% (e.g. "
            "with the printer's ISOnewspaper profile)")
