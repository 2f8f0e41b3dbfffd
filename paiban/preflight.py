"""Preflight: what would go wrong on the page, found before (or instead of) a PDF.

Findings are plain records with a severity, the source location and the fix. Font
coverage is checked against each element's font chain from the lock, so a character
no locked face has is an error naming it, never a silently substituted glyph.
"""

import base64
import functools
import io
import os
import re
import stat
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

from PIL import Image, ImageFile

from .errors import shown
from .model import Text


@dataclass
class Finding:
    severity: str   # "error" or "warning"
    path: str
    line: int
    message: str
    fix: str = ""

    def __str__(self):
        text = f"{self.severity}: {self.path}:{self.line}: {self.message}"
        return text + (f"\n  fix: {self.fix}" if self.fix else "")

    def as_dict(self):
        return asdict(self)


def styled_texts(page, house):
    """(kind, font role, text) for every text of the page, the running head's
    furniture included, in the faces of the ``house`` style: what the coverage check
    and the fallback report read."""
    furniture = [("header", Text(name, 1)) for name in [page.title, *page.editors.values()]]
    for kind, text in list(page.article.elements()) + furniture:
        yield kind, house.style(kind)[0], text


def coverage(page, fonts, house):
    """One error per character (and element kind) no face of its chain covers: the
    chain ends in the lock's fallback faces (symbols, rare ideographs), so what is
    left is in no locked face at all."""
    findings, seen = [], set()
    for kind, role, text in styled_texts(page, house):
        for char in text.text:
            if char == " " or (char, role) in seen:  # spaces are set as positions
                continue
            if fonts.face_for(role, char) is None:
                seen.add((char, role))
                name = unicodedata.name(char, "unnamed character")
                chain = " → ".join(face.role.family for face in fonts.chain(role))
                findings.append(Finding(
                    "error", str(page.path), text.line,
                    f"character '{char}' (U+{ord(char):04X} {name}) is in no font of "
                    f"the {kind} chain ({chain})",
                    "replace the character (a rare one in a name: ask the desk for "
                    "another form), or add a face that covers it to `fallbacks` in "
                    "fonts/fonts.lock.toml"))
    return findings


MAX_PIXELS = 50_000_000      # a whole broadsheet page at 300 ppi is 21 Mpx
DATA_IMAGE_BYTES = 256 * 1024  # inline data: images beyond this are refused
DATA_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,([A-Za-z0-9+/=\s]*)\Z")
IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "TIFF")


def images(page, strict=False, printing=False):
    """Every photo reference: a readable, sane image inside the edition folder. A
    named file that is missing is an error with ``strict`` and for ``printing`` (a
    plate cannot go without its photo), else a warning (a grey frame on the proof)."""
    findings = []
    folder = Path(page.path).parent.resolve()
    for photo in page.article.photos:
        def finding(severity, message, fix, line=photo.line):
            findings.append(Finding(severity, str(page.path), line, message, fix))

        if not photo.src:
            finding("error" if strict else "warning",
                    f"photo has no image file: '{photo.caption.text[:20]}…'",
                    "add the file name: ![caption](photos/name.jpg)")
            continue
        if photo.src.startswith("data:"):
            match = DATA_IMAGE.match(photo.src)
            data = base64.b64decode(match.group(2)) if match else b""
            if not match or len(data) > DATA_IMAGE_BYTES:
                finding("error", "inline data: image refused (only PNG, JPEG, GIF or WebP "
                        f"up to {DATA_IMAGE_BYTES // 1024} KB)",
                        "save the image as a file in the edition folder and name it")
                continue
            file = io.BytesIO(data)
        else:
            path = (folder / photo.src).resolve()  # follows symlinks
            if ":" in photo.src or Path(photo.src).is_absolute() \
                    or not path.is_relative_to(folder):
                finding("error", f"image {shown(photo.src)} is not a file inside the edition "
                        "folder",
                        "copy the image into the edition folder and give its relative path")
                continue
            if not path.exists():
                finding("error" if strict or printing else "warning",
                        f"image {shown(photo.src)} not found"
                        + ("; a print page cannot go without it" if printing else ""),
                        f"put the file at {path}")
                continue
            if page.photo_file(photo) is None:
                finding("error", f"image {shown(photo.src)} is not a regular file "
                        f"({file_kind(path)})", "name an image file (JPEG or PNG)")
                continue
            file = path
        problem = image_problem(file)
        if problem:
            finding("error", f"image {shown(photo.src)}: {problem}",
                    "export the photo again as JPEG or PNG, at most "
                    f"{MAX_PIXELS // 1_000_000} megapixels")
        else:  # for the fitter, which bounds the frame by it
            photo.pixels = upright_size(file)
    return findings


EXIF_ORIENTATION = 0x0112
TURNED = (5, 6, 7, 8)  # EXIF orientations that turn the picture a quarter


def upright_size(file):
    """(width, height) in pixels as the photo is seen: a camera's JPEG turned by its
    EXIF orientation (WeasyPrint and the print conversion both turn it) has its
    width and height swapped."""
    if hasattr(file, "seek"):
        file.seek(0)
    with Image.open(file) as image:
        width, height = image.size
        turned = image.getexif().get(EXIF_ORIENTATION) in TURNED
    return (height, width) if turned else (width, height)


def file_kind(path):
    mode = path.stat().st_mode
    return ("a folder" if stat.S_ISDIR(mode) else "a named pipe" if stat.S_ISFIFO(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a socket")


def image_problem(file):
    """Why an image cannot go on the page, or None. The size is read from the header
    before anything is decoded, so a decompression bomb is refused unopened; a
    truncated file is an error here (WeasyPrint itself would place it half grey).
    A file is decoded once a process while it stays the same file, unchanged (a
    rebuild in watch decodes only the images that changed)."""
    if not isinstance(file, (str, os.PathLike)):   # an inline data: image
        return decoded_problem(file)
    try:
        found = os.stat(file)
    except OSError as error:
        return f"not a readable image ({error})"
    return file_problem(file, found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns)


@functools.lru_cache(maxsize=256)
def file_problem(file, device, inode, size, modified):
    return decoded_problem(file)


def decoded_problem(file):
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(file) as image:
            width, height = image.size
            if image.format not in IMAGE_FORMATS:
                return f"{image.format} is not a photo format paiban places"
            if width * height > MAX_PIXELS:
                return f"{width} × {height} pixels is over the {MAX_PIXELS:,} pixel limit"
            image.load()
    except Image.DecompressionBombError:
        return f"over the {MAX_PIXELS:,} pixel limit (a decompression bomb?)"
    except (OSError, SyntaxError, ValueError) as error:
        return f"not a readable image ({error})"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    return None


def resolution(edition, page, placed, printing, proof=False):
    """Each photo's effective resolution at its placed size: a warning under
    warn_ppi, an error under min_ppi. A proof is checked with the same numbers (the
    edition's print settings) but only warned, so the editor sees on the proof what
    the print build will refuse."""
    findings = []
    for frame, ppi in placed_resolutions(edition, placed):
        if ppi < printing.warn_ppi:
            refused = ppi < printing.min_ppi
            findings.append(Finding(
                "error" if refused and not proof else "warning", str(page.path),
                frame.source_line,
                f"photo at {ppi:.0f} ppi at its placed size "
                f"({frame.width / 72 * 25.4:.0f} × {frame.height / 72 * 25.4:.0f} mm); "
                f"print needs {printing.warn_ppi} ppi (at least {printing.min_ppi})"
                + ("; the print build refuses it" if refused and proof else ""),
                "use a larger original, or set it smaller: columns=1 in the photo's title"))
    return findings


def placed_resolutions(edition, placed):
    """(frame, effective ppi) of every placed photo with an image: the frame is
    filled, cropping the longer side. A missing file is a grey frame (:func:`images`
    reports it)."""
    resolutions = []
    for frame in placed.frames:
        if frame.kind == "photo" and frame.src:
            try:
                data = photo_bytes(edition, frame.src)
            except FileNotFoundError:
                continue
            width, height = upright_size(io.BytesIO(data))
            scale = max(frame.width / width, frame.height / height)  # pt per pixel
            resolutions.append((frame, 72 / scale))
    return resolutions


def photo_bytes(edition, src):
    """The bytes of a photo reference :func:`images` accepted (file or data: URI)."""
    if src.startswith("data:"):
        return base64.b64decode(src.split(",", 1)[1])
    return (Path(edition.path) / src).read_bytes()


def overset(page, placed):
    """One error per cut, at the line where the copy that does not fit begins: its
    first words, how many characters to cut and how many the page holds (a line too
    long: how many it holds); and the fitter's warnings."""
    findings, cuts = [], {}
    for number, item in enumerate(placed.overset):
        cuts.setdefault(item.cut or -1 - number, []).append(item)
    for items in sorted(cuts.values(), key=lambda items: items[0].line):
        first, characters = items[0], sum(item.characters for item in items)
        words = f"「{first.start}{'…' if first.characters > len(first.start) else ''}」"
        if first.block == "wide table":
            message = (f"overset: this table is wider than the widest text column "
                       f"({first.room} characters) even with its text columns wrapped; "
                       f"{characters} characters from {words} left out")
            fix = "give the table fewer columns, or shorter figures and headings"
        elif first.room is not None:
            message = (f"overset: this {first.block} is too long for its line, which holds "
                       f"{first.room} characters; cut {characters} characters from {words}")
            fix = ("shorten the line, or break it into two '#' lines"
                   if first.block == "headline" else f"shorten the {first.block}")
        elif all(item.block == "headline" for item in items):
            message = f"overset: {len(items)} headline line(s) from {words} do not fit"
            fix = "use fewer headline lines: the headline takes at most a quarter of the page"
        elif all(item.block == "photo" for item in items):
            message = f"overset: {len(items)} photo(s) from {words} do not fit"
            fix = f"drop {len(items)} photo(s), or cut the copy beside them"
        else:
            message = (f"overset: the page holds about {placed.holds} characters; cut "
                       f"{characters} characters from {words}")
            fix = "cut the copy from there on, or drop a photo"
        findings.append(Finding("error", str(page.path), first.line, message, fix))
    for warning in placed.warnings:
        findings.append(Finding("warning", str(page.path), 0, warning))
    return findings
