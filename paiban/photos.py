"""Photos as the proof and the print both see them: one picture from any image file.

Pillow opens images in many modes (1-bit, 16- and 32-bit grey, floating point, Lab,
YCbCr, palettes with a transparent colour, alpha); WeasyPrint knows only 8-bit grey,
RGB and CMYK, and passes a PNG's data through as if it were 8-bit, so a 16-bit grey
PNG proofs black, while Pillow's own conversion of it to RGB clips it white. Every
photo is therefore brought to one upright 8-bit picture here, which the proof places
as a PNG and the print converts to CMYK (:func:`paiban.printing.cmyk_image`).
"""

import hashlib
import io
from pathlib import Path

from PIL import Image, ImageCms, ImageMath, ImageOps

from .files import write_atomically

SIXTEEN_BIT = [round(value / 257) for value in range(65536)]  # 0–65535 → 0–255
GREY_MODES = {"1", "L", "LA", "La"}  # I and F are grey too, read before these
PAPER = "white"
# In the key of every cached conversion: a picture made by other code is made again.
CODE = hashlib.sha256(Path(__file__).read_bytes()).digest()


def upright(image):
    """The picture as a reader sees it, in 8-bit L, RGB or CMYK: turned as its EXIF
    orientation says, 16- and 32-bit integer samples read as 16-bit (0–65535),
    floating-point samples as 0.0–1.0, transparency laid on white paper (print has no
    transparency), Lab, YCbCr and palettes converted to RGB. CMYK stays as it is: it
    is already separated for a press."""
    image = ImageOps.exif_transpose(image)
    if image.mode.startswith("I"):
        clipped = ImageMath.lambda_eval(
            lambda e: e["min"](e["max"](e["a"], 0), 65535), a=image.convert("I"))
        return clipped.point(SIXTEEN_BIT, "L")
    if image.mode == "F":
        return image.point(lambda value: value * 255).convert("L")
    base = "L" if image.mode in GREY_MODES else "CMYK" if image.mode == "CMYK" else "RGB"
    if "transparency" in image.info or {"A", "a"} & set(image.getbands()):
        image = image.convert("LA" if base == "L" else "RGBA")
        paper = Image.new(base, image.size, PAPER)
        paper.paste(image.convert(base), mask=image.getchannel("A"))
        return paper
    return image if image.mode == base else image.convert(base)


def grey_image(data, cache):
    """A photo file's bytes as the grey JPEG a black-and-white page (黑白版) prints in
    K alone: the upright picture's luminance. Cached by content."""
    key = hashlib.sha256(data + b"grey" + CODE).hexdigest()[:24]
    target = cache / f"{key}.jpg"
    if target.is_file():
        return target
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        picture = upright(image).convert("L")
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=92)
    write_atomically(target, buffer.getvalue())
    return target


def proof_image(data, profile, cache):
    """A photo file's bytes as WeasyPrint places them faithfully on the proof: an
    8-bit grey or RGB JPEG as it is (WeasyPrint turns it itself), anything else as the
    upright picture in a PNG; CMYK converted to sRGB through the output ``profile``,
    as the press will print it. Cached by content."""
    with Image.open(io.BytesIO(data)) as image:
        if image.format == "JPEG" and image.mode in ("L", "RGB"):
            return None
        key = hashlib.sha256(data + profile.read_bytes() + CODE).hexdigest()[:24]
        target = cache / f"{key}.png"
        if target.is_file():
            return target
        image.load()
        picture = upright(image)
    if picture.mode == "CMYK":
        picture = ImageCms.profileToProfile(
            picture, str(profile), ImageCms.createProfile("sRGB"),
            renderingIntent=ImageCms.Intent.PERCEPTUAL, outputMode="RGB")
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    write_atomically(target, buffer.getvalue())
    return target
