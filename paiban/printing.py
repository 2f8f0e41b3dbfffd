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

import pypdf
from PIL import Image, ImageCms, ImageMath

from .files import write_atomically

DEFAULT_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # libgs-common
STANDARDS = {"pdf/x-4": "PDF/X-4", "pdf/x-1a": "PDF/X-1a:2003"}
MARK_SPACE_MM = 8.0  # beyond the bleed, for crop marks
JPEG_QUALITY = 92
# A file ID as WeasyPrint writes it; its second half is a hash of the content.
TRAILER_ID = rb"(/ID \[\([0-9a-f]{32}\) \()([0-9a-f]{32})(\)\])"
JPEG_HEADROOM = 8    # % of ink below the limit, for JPEG's rounding of the limited pixels
MM = 72 / 25.4


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


def print_css(settings):
    """The output intent's profile, bleed and marks, for WeasyPrint."""
    bleed = settings.bleed_mm + (MARK_SPACE_MM if settings.marks else 0)
    return (f'@color-profile device-cmyk {{ src: url("{settings.profile.resolve().as_uri()}"); '
            f'components: cyan, magenta, yellow, black }}\n'
            f'@page {{ bleed: {bleed}mm; marks: {"crop" if settings.marks else "none"} }}\n')


def cmyk_image(data, settings, cache):
    """The photo (its file's bytes) as a CMYK JPEG through the output profile, total
    ink limited to ``settings.max_ink``; cached by content. Grey photos stay grey.
    (JPEG because WeasyPrint passes JPEG through as is and re-encodes anything else
    as PNG, which has no CMYK.)"""
    key = hashlib.sha256(data + settings.profile.read_bytes()
                         + str(settings.max_ink).encode()).hexdigest()[:24]
    target = cache / f"{key}.jpg"
    if target.is_file():
        return target
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        if image.mode in ("L", "LA"):
            converted = image.convert("L")
        else:
            rgb = image.convert("RGB")
            converted = ImageCms.profileToProfile(
                rgb, ImageCms.createProfile("sRGB"), str(settings.profile),
                renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="CMYK")
            converted = limit_ink(converted, settings.max_ink - JPEG_HEADROOM)
    buffer = io.BytesIO()
    converted.save(buffer, "JPEG", quality=JPEG_QUALITY, subsampling=0)
    write_atomically(target, buffer.getvalue())
    return target


def limit_ink(image, max_ink):
    """Scale cyan, magenta and yellow down where C+M+Y+K exceeds ``max_ink`` %,
    keeping black (the detail of a newspaper photo is in its K)."""
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
    total = ImageMath.lambda_eval(lambda e: e["c"] + e["m"] + e["y"] + e["k"],
                                  **dict(zip("cmyk", image.split())))
    return round(total.getextrema()[1] * 100 / 255)


def finish(data, settings, identity):
    """Make a print PDF deterministic and its boxes exact: WeasyPrint writes a random
    XMP DocumentID for PDF/X-4 (and a file ID hashed from it) and, with crop marks, a
    bleed box as wide as the marks' room. Returns the new bytes."""
    document_id = f"xmp.did:{uuid.uuid5(uuid.NAMESPACE_URL, identity)}".encode()
    data = re.sub(rb"xmp\.did:[0-9a-f-]{36}", document_id, data)
    content = hashlib.md5(re.sub(TRAILER_ID, b"", data), usedforsecurity=False).hexdigest()
    data = re.sub(TRAILER_ID, lambda m: m.group(1) + content.encode() + m.group(3), data)
    if not settings.marks:
        return data
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        x0, y0, x1, y1 = (float(v) for v in page.trimbox)
        bleed = settings.bleed_mm * MM
        page.bleedbox = pypdf.generic.RectangleObject((x0 - bleed, y0 - bleed,
                                                      x1 + bleed, y1 + bleed))
    buffer = io.BytesIO()
    writer.write(buffer)  # keeps the file ID made above
    return buffer.getvalue()
