"""Prepress report on a written print PDF, read back from the file itself.

What a prepress department checks before a plate is made: the PDF/X version and
output intent, every colour space and colour operator in every content stream, each
image's colour space and maximum ink, the fonts, and the page boxes. Findings that
would stop a plate are errors.
"""

import io
import re

import pypdf
from PIL import Image
from pypdf.generic import ContentStream

from .printing import total_ink

RGB_OPERATORS = {"rg", "RG"}
GREY_OPERATORS = {"g", "G"}
PROCESS_SPACES = {"/DeviceCMYK", "/DeviceGray", "/Pattern"}


def inspect(path, settings):
    """The report of one print PDF: facts and errors."""
    reader = pypdf.PdfReader(path)
    errors = []
    standard = pdfx_version(reader)
    if standard is None:
        errors.append("no PDF/X version (GTS_PDFXVersion) in the document")
    intents = reader.trailer["/Root"].get("/OutputIntents") or []
    intent = intents[0].get_object() if intents else None
    profile = intent.get("/DestOutputProfile") if intent else None
    components = profile.get_object().get("/N") if profile else None
    if intent is None or intent.get("/S") != "/GTS_PDFX" or components != 4:
        errors.append("no PDF/X output intent with an embedded CMYK profile")
    operators, spaces, images, fonts, transparency = set(), set(), {}, {}, set()
    for page in reader.pages:
        scan(page, reader, operators, spaces, fonts, transparency)
        for image in page.images:
            images[image.name] = image_facts(image)
            if images[image.name]["soft_mask"]:
                transparency.add(f"soft mask on image {image.name}")
    if operators & RGB_OPERATORS:
        errors.append(f"RGB colour operators in a content stream: {sorted(operators & RGB_OPERATORS)}")
    if spaces - PROCESS_SPACES:
        errors.append(f"colour spaces other than CMYK or grey: {sorted(spaces - PROCESS_SPACES)}")
    for name, image in images.items():
        if image["colour_space"] not in ("/DeviceCMYK", "/DeviceGray"):
            errors.append(f"image {name} is {image['colour_space']}, not CMYK or grey")
        if image.get("max_ink", 0) > settings.max_ink:
            errors.append(f"image {name} reaches {image['max_ink']}% ink "
                          f"(limit {settings.max_ink}%)")
    for name, font in fonts.items():
        if not font["embedded"] or font["subtype"] == "/Type3":
            errors.append(f"font {name} is {'Type 3' if font['embedded'] else 'not embedded'}")
    if settings.standard == "pdf/x-1a" and transparency:
        errors.append(f"transparency in a PDF/X-1a file: {sorted(transparency)}")
    page = reader.pages[0]
    boxes = {name: [round(float(v), 3) for v in getattr(page, name)]
             for name in ("mediabox", "bleedbox", "trimbox")}
    return {"pdf": str(path), "standard": standard,
            "output_intent": {"subtype": str(intent.get("/S")) if intent else None,
                              "condition": str(intent.get("/OutputConditionIdentifier"))
                              if intent else None, "components": components},
            "colour_operators": sorted(operators), "colour_spaces": sorted(spaces),
            "images": images, "fonts": fonts, "boxes": boxes,
            "transparency": sorted(transparency), "errors": errors}


def pdfx_version(reader):
    info = reader.metadata or {}
    if "/GTS_PDFXVersion" in info:
        return str(info["/GTS_PDFXVersion"])
    metadata = reader.trailer["/Root"].get("/Metadata")
    if metadata:
        match = re.search(rb"GTS_PDFXVersion>([^<]+)<", metadata.get_object().get_data())
        if match:
            return match.group(1).decode()
    return None


def scan(container, reader, operators, spaces, fonts, transparency):
    """Colour operators and spaces, fonts and transparency of a page or form,
    recursively through its forms."""
    resources = container.get("/Resources")
    resources = resources.get_object() if resources else {}
    contents = container.get_contents() if hasattr(container, "get_contents") \
        else container
    if contents is not None:
        for operands, operator in ContentStream(contents, reader).operations:
            operator = operator.decode()
            if operator in RGB_OPERATORS | GREY_OPERATORS | {"k", "K", "sc", "SC", "scn", "SCN"}:
                operators.add(operator)
            if operator in ("cs", "CS"):
                spaces.add(colour_space(operands[0], resources))
    group = container.get("/Group")
    if group and group.get_object().get("/S") == "/Transparency":
        transparency.add("transparency group")
    for name, state in (resources.get("/ExtGState") or {}).items():
        state = state.get_object()
        if any(float(state.get(key, 1)) < 1 for key in ("/CA", "/ca")) or \
                state.get("/SMask", "/None") != "/None":
            transparency.add(f"graphics state {name}")
    for name, font in (resources.get("/Font") or {}).items():
        font = font.get_object()
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
            else font
        descriptor = descendant.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor else {}
        fonts[str(font.get("/BaseFont", name))] = {
            "subtype": str(font.get("/Subtype")),
            "embedded": any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))}
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            scan(xobject, reader, operators, spaces, fonts, transparency)


def colour_space(name, resources):
    spaces = resources.get("/ColorSpace") or {}
    if name in spaces:
        space = spaces[name].get_object()
        return str(space[0]) if isinstance(space, list) else str(space)
    return str(name)


def image_facts(image):
    """Colour space, pixels, soft mask and (for CMYK) maximum ink of an image."""
    xobject = image.indirect_reference.get_object()
    space = xobject.get("/ColorSpace")
    space = space.get_object() if space is not None else None
    facts = {"colour_space": str(space[0] if isinstance(space, list) else space),
             "pixels": [int(xobject["/Width"]), int(xobject["/Height"])],
             "soft_mask": "/SMask" in xobject}
    if facts["colour_space"] == "/DeviceCMYK":
        facts["max_ink"] = total_ink(stored_picture(xobject, image))
    return facts


def stored_picture(xobject, image):
    """An image's CMYK pixels as the press decodes them. pypdf's own picture of a
    JPEG stream has been encoded again, lossily, which moves its ink by several per
    cent; the stream itself is decoded here instead."""
    if xobject.get("/Filter") == "/DCTDecode":
        with Image.open(io.BytesIO(xobject.get_data())) as picture:
            return picture.convert("CMYK")
    return image.image.convert("CMYK")
