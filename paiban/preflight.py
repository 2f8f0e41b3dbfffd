"""Preflight: what would go wrong on the page, found before (or instead of) a PDF.

Findings are plain records with a severity, the source location and the fix. Font
coverage is checked against each element's font chain from the lock, so a character
no locked face has is an error naming it, never a silently substituted glyph.
"""

import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path

from .fit import STYLES
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


def coverage(page, fonts):
    """One error per character (and element kind) no face of its chain covers."""
    findings, seen = [], set()
    elements = list(page.article.elements())
    furniture = [page.title, *page.editors.values()]
    for kind, text in elements + [("header", Text(name, 1)) for name in furniture]:
        role = STYLES[kind][0]
        for char in text.text:
            if char.isspace() or (char, role) in seen:
                continue
            if fonts.face_for(role, char) is None:
                seen.add((char, role))
                name = unicodedata.name(char, "unnamed character")
                chain = " → ".join(face.role.family for face in fonts.chain(role))
                findings.append(Finding(
                    "error", str(page.path), text.line,
                    f"character '{char}' (U+{ord(char):04X} {name}) is in no font of "
                    f"the {kind} chain ({chain})",
                    "replace the character, or add a face that covers it to "
                    "fonts/fonts.lock.toml"))
    return findings


def images(page, strict=False):
    findings = []
    folder = Path(page.path).parent.resolve()
    photos = page.article.photos + [p for s in page.article.sections for p in s.photos]
    for photo in photos:
        if not photo.src:
            findings.append(Finding(
                "error" if strict else "warning", str(page.path), photo.line,
                f"photo has no image file: '{photo.caption.text[:20]}…'",
                "add the file name: ![caption](photos/name.jpg)"))
            continue
        path = (folder / photo.src).resolve()
        if ":" in photo.src or not path.is_relative_to(folder):
            findings.append(Finding("error", str(page.path), photo.line,
                                    f"image {photo.src!r} is not a file inside the edition folder",
                                    "copy the image into the edition folder"))
        elif not path.is_file():
            findings.append(Finding("error" if strict else "warning", str(page.path),
                                    photo.line, f"image {photo.src!r} not found",
                                    f"put the file at {path}"))
    return findings


def overset(page, placed):
    findings = []
    by_line = {}
    for item in placed.overset:
        by_line.setdefault((item.block, item.line), 0)
        by_line[(item.block, item.line)] += item.characters
    for (block, line), characters in sorted(by_line.items(), key=lambda kv: kv[0][1]):
        findings.append(Finding("error", str(page.path), line,
                                f"overset: {characters} characters of this {block} do not fit",
                                "cut the copy, or drop a photo"))
    for warning in placed.warnings:
        findings.append(Finding("warning", str(page.path), 0, warning))
    return findings
