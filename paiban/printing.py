"""Print output: what turns a proof page into a PDF the plate-setter takes.

PDF/X-4 (or X-1a) with a CMYK output intent, photos converted to CMYK through that
profile with their total ink limited, trim and bleed boxes, crop marks on request.
The settings come from the edition file's ``print:`` block; their defaults are a
newspaper's.
"""

import hashlib
import io
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from .files import write_atomically

# Pillow and pypdf are imported by the functions that convert and finish: an
# edition's print settings are read by every build, which may render nothing.

DEFAULT_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # libgs-common
STANDARDS = {"pdf/x-4": "PDF/X-4", "pdf/x-1a": "PDF/X-1a:2003"}
MARK_SPACE_MM = 8.0  # beyond the bleed, for crop marks
MARK_OFFSET_MM = 2.0  # from the bleed's edge to a mark
MARK_MARGIN_MM = 1.0  # from a mark to the page edge
MARK_WIDTH_PT = 0.25
JPEG_QUALITY = 92
# A file ID as WeasyPrint writes it; its second half is a hash of the content.
TRAILER_ID = rb"(/ID \[\([0-9a-f]{32}\) \()([0-9a-f]{32})(\)\])"
JPEG_HEADROOM = 8    # % of ink below the limit, for JPEG's rounding of the limited pixels
INK_TRIES = 5        # encodings, each with the limit lowered by what the last one exceeded
MM = 72 / 25.4
CODE = hashlib.sha256(Path(__file__).read_bytes()).digest()  # in cached conversions' keys
PROFILE_CLASSES = {"mntr": "a display", "scnr": "a scanner", "prtr": "a printer",
                   "spac": "conversions", "link": "a device link", "abst": "effects"}


@dataclass(frozen=True)
class PrintSettings:
    standard: str = "pdf/x-4"
    profile: Path = DEFAULT_PROFILE   # the printer's CMYK profile
    bleed_mm: float = 3.0             # 0: many newspaper presses do not bleed
    marks: bool = False
    max_ink: int = 240                # % total area coverage, newsprint
    warn_ppi: int = 200
    min_ppi: int = 120

    def __post_init__(self):
        if self.standard not in STANDARDS:
            raise ValueError(f"print standard {self.standard!r}: use {' or '.join(STANDARDS)}")
        if not 0 <= self.bleed_mm <= 10:
            raise ValueError(f"bleed_mm {self.bleed_mm}: use 0 to 10 (mm)")
        if not 100 <= self.max_ink <= 400:
            raise ValueError(f"max_ink {self.max_ink}: use 100 to 400 (%)")
        if not 0 < self.min_ppi <= self.warn_ppi:
            raise ValueError("min_ppi must be above 0 and at most warn_ppi")

    def as_key(self):
        """What a print PDF depends on, for the page cache."""
        return {"standard": self.standard, "profile": hashlib.sha256(
            self.profile.read_bytes()).hexdigest(), "bleed_mm": self.bleed_mm,
            "marks": self.marks, "max_ink": self.max_ink}


def profile_problem(path):
    """Why a file cannot be the output intent's profile, or None. PDF/X needs an ICC
    output profile for CMYK; WeasyPrint silently drops any other, and a truncated one
    opens but converts nothing, so LittleCMS must build a transform into it."""
    from PIL import ImageCms
    try:
        profile = ImageCms.getOpenProfile(str(path))
    except (ImageCms.PyCMSError, OSError):
        return "is not an ICC profile"
    space = profile.profile.xcolor_space.strip()
    if space != "CMYK" or profile.profile.device_class != "prtr":
        device = PROFILE_CLASSES.get(profile.profile.device_class, "other use")
        return f"describes {space} for {device}, not CMYK for a printer"
    try:
        ImageCms.buildTransform(ImageCms.createProfile("sRGB"), profile, "RGB", "CMYK")
    except ImageCms.PyCMSError:
        return "is damaged or truncated: no conversion into it can be built"
    return None


def print_css(settings):
    """The output intent's profile, bleed and the marks' room, for WeasyPrint. The
    page grows by the marks' room, but WeasyPrint's own marks stay off: it draws them
    in RGB, which no plate takes; :func:`crop_marks` draws them in CMYK instead."""
    bleed = settings.bleed_mm + (MARK_SPACE_MM if settings.marks else 0)
    return (f'@color-profile device-cmyk {{ src: url("{settings.profile.resolve().as_uri()}"); '
            f'components: cyan, magenta, yellow, black }}\n'
            f'@page {{ bleed: {bleed}mm; marks: none }}\n')


def cmyk_image(data, settings, cache):
    """The photo (its file's bytes) as a CMYK JPEG through the output profile, total
    ink limited to ``settings.max_ink``; cached by content. The picture is the proof's
    (:func:`paiban.photos.upright`); grey photos stay grey, CMYK ones keep their
    separation. (JPEG because WeasyPrint passes JPEG through as is and re-encodes
    anything else as PNG, which has no CMYK.)"""
    from PIL import Image, ImageCms

    from . import photos
    key = hashlib.sha256(data + settings.profile.read_bytes() + str(settings.max_ink).encode()
                         + photos.CODE + CODE).hexdigest()[:24]
    target = cache / f"{key}.jpg"
    if target.is_file():
        return target
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        converted = photos.upright(image)
    if converted.mode == "RGB":
        converted = ImageCms.profileToProfile(
            converted, ImageCms.createProfile("sRGB"), str(settings.profile),
            renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="CMYK")
    if converted.mode == "CMYK":
        data = ink_limited_jpeg(converted, settings.max_ink)
    else:
        data = jpeg(converted)
    write_atomically(target, data)
    return target


def jpeg(image):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=JPEG_QUALITY, subsampling=0)
    return buffer.getvalue()


def ink_limited_jpeg(image, max_ink):
    """A CMYK picture as JPEG whose decoded pixels keep to ``max_ink``. JPEG's rounding
    raises the limited pixels by a few per cent, by how much depends on the picture
    (real photographs: up to 12%, past a fixed headroom), so the encoded file is
    measured and the limit lowered by what it exceeds until it holds."""
    from PIL import Image
    limit = max_ink - JPEG_HEADROOM
    for _ in range(INK_TRIES):
        data = jpeg(limit_ink(image, limit))
        with Image.open(io.BytesIO(data)) as encoded:
            over = total_ink(encoded) - max_ink
        if over <= 0:
            break
        limit -= over
    return data  # if still over, the prepress report says so


def limit_ink(image, max_ink):
    """Scale cyan, magenta and yellow down where C+M+Y+K exceeds ``max_ink`` %,
    keeping black (the detail of a newspaper photo is in its K)."""
    from PIL import Image, ImageMath
    c, m, y, k = image.split()
    limit = max_ink * 255 / 100
    factor = ImageMath.lambda_eval(
        lambda e: e["min"](e["max"]((limit - e["k"]) / e["max"](e["c"] + e["m"] + e["y"], 1.0),
                                    0.0), 1.0), c=c, m=m, y=y, k=k)
    scaled = [ImageMath.lambda_eval(lambda e: e["convert"](e["band"] * e["f"], "L"),
                                    band=band, f=factor) for band in (c, m, y)]
    return Image.merge("CMYK", (*scaled, k))


def total_ink(image):
    """Maximum C+M+Y+K of a CMYK image, in %."""
    from PIL import ImageMath
    total = ImageMath.lambda_eval(lambda e: e["c"] + e["m"] + e["y"] + e["k"],
                                  **dict(zip("cmyk", image.split())))
    return round(total.getextrema()[1] * 100 / 255)


def finish(data, settings, identity):
    """Make a print PDF deterministic, and with marks draw them and make the bleed box
    exact: WeasyPrint writes a random XMP DocumentID for PDF/X-4 (and a file ID hashed
    from it) and a bleed box as wide as the marks' room. Returns the new bytes."""
    document_id = f"xmp.did:{uuid.uuid5(uuid.NAMESPACE_URL, identity)}".encode()
    data = re.sub(rb"xmp\.did:[0-9a-f-]{36}", document_id, data)
    content = hashlib.md5(re.sub(TRAILER_ID, b"", data), usedforsecurity=False).hexdigest()
    data = re.sub(TRAILER_ID, lambda m: m.group(1) + content.encode() + m.group(3), data)
    if not settings.marks:
        return data
    import pypdf
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    bleed = settings.bleed_mm * MM
    for page in writer.pages:
        x0, y0, x1, y1 = (float(v) for v in page.trimbox)
        page.bleedbox = pypdf.generic.RectangleObject((x0 - bleed, y0 - bleed,
                                                      x1 + bleed, y1 + bleed))
        contents = pypdf.generic.ContentStream(None, writer)
        contents.set_data(b"q\n" + page.get_contents().get_data() + b"\nQ\n"
                          + crop_marks((x0, y0, x1, y1), bleed))
        page.replace_contents(contents)
        page.compress_content_streams()
    buffer = io.BytesIO()
    writer.write(buffer)  # keeps the file ID made above
    return buffer.getvalue()


def crop_marks(trim, bleed):
    """Content-stream operators for crop marks at the four corners of ``trim``, on
    the extensions of the trim lines, from beyond the bleed to the page edge. Drawn in
    registration, DeviceCMYK 100/100/100/100, so that every plate carries them: each
    separation can be trimmed and checked for register on its own. They lie outside
    the trim, so their 400% never reaches the printed page."""
    x0, y0, x1, y1 = trim
    start, end = bleed + MARK_OFFSET_MM * MM, bleed + (MARK_SPACE_MM - MARK_MARGIN_MM) * MM
    lines = []
    for x, y, out_x, out_y in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1),
                               (x1, y1, 1, 1)):
        lines.append(((x + out_x * start, y), (x + out_x * end, y)))   # horizontal
        lines.append(((x, y + out_y * start), (x, y + out_y * end)))   # vertical
    paths = "".join(f"{ax:.3f} {ay:.3f} m {bx:.3f} {by:.3f} l S\n"
                    for (ax, ay), (bx, by) in lines)
    return f"q 1 1 1 1 K {MARK_WIDTH_PT} w 0 J [] 0 d\n{paths}Q\n".encode()
