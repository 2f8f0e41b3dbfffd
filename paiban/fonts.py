"""Fonts: from the lock file to the face files the PDF embeds and the composer measures.

Each role of the lock resolves to one face. Collections (.ttc) hold SC, TC, JP and KR
faces; the locked face is extracted once with fonttools into a cache named after the
file's checksum, and that extracted file is both what @font-face loads and what the
metrics come from, so the widths the composer counts are the glyphs on the page.

A role's chain is the role, the roles its ``fallback`` names, then the lock's shared
``fallbacks`` (symbols, then rare ideographs). Every character is set by the first face
of its chain that has it, in the PDF as in the composer's measures.
"""

import hashlib
import io
import os
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby
from pathlib import Path

from .chars import is_dash_or_ellipsis
from .errors import PaibanError
from .files import sha256_of, write_atomically

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "fonts" / "fonts.lock.toml"


# OpenType features as the stylesheets set them (typography.css): no kerning or
# ligatures, so that a run is as wide as its units; dashes and ellipses in their
# full-width forms, so that —— and …… take 2 em as Chinese text wants.
SHAPING = {"kern": False, "liga": False, "clig": False, "calt": False}
FULL_WIDTH = {"fwid": True}


def features(text):
    return SHAPING | FULL_WIDTH if is_dash_or_ellipsis(text) else SHAPING


def cache_root():
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "paiban"


def cache_dir():
    return cache_root() / "fonts"


@dataclass
class Role:
    name: str
    use: str
    family: str
    file: Path
    index: int
    sha256: str
    package: str
    version: str
    fallback: str | None = None

    @property
    def installed(self):
        return self.file.is_file()

    @property
    def face_path(self):
        """The extracted face in the cache (exists once :func:`resolve` ran)."""
        suffix = self.file.suffix.replace(".ttc", ".otf")
        return cache_dir() / f"{self.sha256[:16]}-{self.index}-dated{suffix}"

    def install_hint(self):
        return f"apt-get install {self.package}={self.version}"


@dataclass(eq=False)
class Face:
    """A resolved face: its file, and the metrics the composer needs, from HarfBuzz
    (the shaper Pango uses for the page)."""
    role: Role
    path: Path

    @cached_property
    def shaper(self):
        import uharfbuzz  # here, not on import: a build of cached pages measures nothing
        return uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(self.path))))

    @cached_property
    def units_per_em(self):
        return self.shaper.face.upem

    @cached_property
    def shaped(self):
        return {}

    @cached_property
    def ink_sides(self):
        return {}

    def covers(self, char):
        return self.shaper.get_nominal_glyph(ord(char)) is not None

    def shape(self, text):
        """Glyph IDs and advance (em) of ``text`` as Pango will set it on the page:
        kerning and ligatures off, full-width forms for dashes and ellipses (see
        :data:`SHAPING`)."""
        if text not in self.shaped:
            import uharfbuzz
            buffer = uharfbuzz.Buffer()
            buffer.add_str(text)
            buffer.guess_segment_properties()
            buffer.language = "zh-Hans"
            uharfbuzz.shape(self.shaper, buffer, features(text))
            self.shaped[text] = ([info.codepoint for info in buffer.glyph_infos],
                                 sum(p.x_advance for p in buffer.glyph_positions)
                                 / self.units_per_em)
        return self.shaped[text]

    def advance(self, text):
        """Advance width of ``text`` in em."""
        return self.shape(text)[1]

    def ink_side(self, char):
        """'left' or 'right' when the glyph's ink lies within that half of its em box
        (full-width marks in SC forms): the other half is blank and may be cut."""
        if char not in self.ink_sides:
            self.ink_sides[char] = self.find_ink_side(char)
        return self.ink_sides[char]

    def find_ink_side(self, char):
        if not self.covers(char):
            return None
        (glyph,), advance = self.shape(char)
        extents = self.shaper.get_glyph_extents(glyph)
        if extents is None or extents.width == 0:
            return None
        left = extents.x_bearing / self.units_per_em
        right = (extents.x_bearing + extents.width) / self.units_per_em
        if right <= advance / 2 + 0.01:
            return "left"
        if left >= advance / 2 - 0.01:
            return "right"
        return None


def line_of(path, key, value):
    """The line of ``key = "value"`` (or of ``value`` in a list under ``key``) in the
    lock, for errors."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return next((number for number, content in enumerate(lines, 1)
                 if content.replace(" ", "").startswith(f"{key}=")
                 and f'"{value}"' in content), None)


def read_lock(path=LOCK):
    """The roles of the lock, and the names of the shared fallback faces in order."""
    with open(path, "rb") as file:
        data = tomllib.load(file)
    roles = {}
    for name, entry in data.get("roles", {}).items():
        try:
            roles[name] = Role(name=name, use=entry["use"], family=entry["family"],
                               file=Path(entry["file"]), index=int(entry["index"]),
                               sha256=entry["sha256"], package=entry["package"],
                               version=entry["version"], fallback=entry.get("fallback"))
        except KeyError as missing:
            raise PaibanError(f"font role {name!r} lacks {missing}", path,
                              fix="give every role use, family, file, index, sha256, "
                                  "package, version") from None
    for role in roles.values():
        if role.fallback and role.fallback not in roles:
            raise PaibanError(f"font role {role.name!r} falls back to unknown role "
                              f"{role.fallback!r}", path,
                              line_of(path, "fallback", role.fallback),
                              fix=f"use one of: {', '.join(roles)}")
    fallbacks = data.get("fallbacks", [])
    for name in fallbacks:
        if name not in roles:
            raise PaibanError(f"fallback face {name!r} is not a role of the lock", path,
                              line_of(path, "fallbacks", name),
                              fix=f"add [roles.{name}], or use one of: {', '.join(roles)}")
    return roles, fallbacks


def chain_names(roles, fallbacks, role):
    """The roles tried for ``role``, in order: it, the roles its ``fallback`` names,
    then the shared fallback faces."""
    names = []
    while role and role not in names:
        names.append(role)
        role = roles[role].fallback
    return names + [name for name in fallbacks if name not in names]


def extract(role):
    """Check the installed file against the lock and cache the locked face."""
    if not role.installed:
        raise PaibanError(f"font for role '{role.name}' is not installed: {role.file}",
                          LOCK, fix=role.install_hint())
    target = role.face_path
    if target.is_file():
        return target
    actual = sha256_of(role.file)
    if actual != role.sha256:
        raise PaibanError(
            f"font {role.file} does not match the lock (sha256 {actual[:12]}…, "
            f"locked {role.sha256[:12]}…)", LOCK,
            fix=f"install the locked version: {role.install_hint()}, or update the lock "
                "knowing that archived editions will then rebuild differently")
    from fontTools.ttLib import TTFont
    face = io.BytesIO()
    # The head table keeps the font's own dates: the face, its subsets and so every
    # PDF are the same bytes whenever and wherever the cache is made.
    TTFont(role.file, fontNumber=role.index, lazy=True, recalcTimestamp=False).save(face)
    write_atomically(target, face.getvalue())
    return target


class Fonts:
    """Every role of the lock, resolved to faces."""

    def __init__(self, lock=LOCK):
        self.roles, self.fallbacks = read_lock(lock)
        self.faces = {}
        for name, role in self.roles.items():
            path = extract(role)
            self.faces[name] = Face(role, path)
        self.chosen = {}  # (role, character) -> face, the composer asks many times
        self.advances = {}  # (role, text) -> em

    @property
    def text_roles(self):
        """The roles text is set in; the others are only fallbacks."""
        return [name for name in self.roles if name not in self.fallbacks]

    def chain(self, role):
        """The faces tried for a role, in order: the role, the roles its ``fallback``
        names, then the shared fallback faces."""
        if role not in self.faces:
            raise PaibanError(f"unknown font role {role!r}", LOCK,
                              fix=f"add [roles.{role}] to the lock, or use one of: "
                                  f"{', '.join(self.faces)}")
        return [self.faces[name] for name in chain_names(self.roles, self.fallbacks, role)]

    def face_for(self, role, char):
        """The first face of the role's chain that has ``char``, or None. A private-use
        character (U+E000…) means something only in the face it was typed for, so the
        shared fallbacks, whose private-use glyphs are their own, never set one."""
        key = (role, char)
        if key not in self.chosen:
            private = unicodedata.category(char) == "Co"
            self.chosen[key] = next((face for face in self.chain(role) if face.covers(char)
                                     and not (private and face.role.name in self.fallbacks)),
                                    None)
        return self.chosen[key]

    def advance(self, role, text):
        """Advance of ``text`` in em, each run measured in the face that sets it (a
        word may mix faces as Pango sets it: ``a≒b`` takes ≒ from the symbols face)."""
        key = (role, text)
        if key not in self.advances:
            total = 0.0
            for face, run in groupby(text, lambda char: self.face_for(role, char)):
                run = "".join(run)
                total += face.advance(run) if face else float(len(run))
            self.advances[key] = total
        return self.advances[key]

    def ink_side(self, role, char):
        face = self.face_for(role, char)
        return face.ink_side(char) if face else None

    def fallback_characters(self, texts):
        """Which face set what, for ``texts`` ((role, text) pairs: what one page sets):
        family → the characters a face other than their role's own set, in order of
        code point; the faces in the lock's order."""
        found = {}
        for role, text in texts:
            own = self.faces[role]
            for char in text:
                face = self.face_for(role, char)
                if face is not None and face is not own and char != " ":
                    found.setdefault(face, set()).add(char)
        return {face.role.family: sorted(found[face]) for face in self.faces.values()
                if face in found}

    def subset(self, characters):
        """The faces a page of ``characters`` needs, cut down to what each sets,
        keeping all their OpenType features; returns role → path of the subset face in
        the cache. Every text role's face is cut to the page's characters; a fallback
        face only appears when it sets a character some text role lacks, cut to those
        characters, so a page that sets nothing in it does not load or embed it.

        WeasyPrint subsets the faces it embeds too, but keeps glyph IDs, so a CJK face
        embeds its whole glyph table; starting from a face of a page's few hundred
        glyphs, what it embeds is that size. HarfBuzz subsets in milliseconds
        (fontTools's subsetter takes most of a second per CJK face).
        """
        wanted = {name: set(characters) for name in self.text_roles}
        for char in characters:
            for role in self.text_roles:
                face = self.face_for(role, char)
                if face is not None and face.role.name in self.fallbacks:
                    wanted.setdefault(face.role.name, set()).add(char)
        return {name: subset_face(face, wanted[name]) for name, face in self.faces.items()
                if name in wanted}


def subset_face(face, characters):
    """``face`` cut down to ``characters``, cached under its checksum and theirs."""
    codes = sorted({ord(char) for char in characters})
    # "all features, dated": subsets cut before every feature was kept, or from a face
    # stamped with the time it was extracted, are not reused
    key = hashlib.sha256(("all features, dated " + " ".join(map(str, codes))).encode()
                         ).hexdigest()[:16]
    target = cache_dir() / "subsets" / f"{face.role.sha256[:16]}-{face.role.index}-{key}.otf"
    if not target.is_file():
        import uharfbuzz
        request = uharfbuzz.SubsetInput()
        for code in codes:
            request.unicode_set.add(code)
        kept = request.sets(uharfbuzz.SubsetInputSets.LAYOUT_FEATURE_TAG)
        kept.clear()   # the set starts with HarfBuzz's defaults (vert, locl …): inverting
        kept.invert()  # it alone would drop those; cleared first, all features are kept
        request.flags = uharfbuzz.SubsetFlags.NOTDEF_OUTLINE
        write_atomically(target, uharfbuzz.subset(face.shaper.face, request).blob.data)
    return target


def status(lock=LOCK):
    """One row per role for `paiban fonts`: file, checksum state, install hint, and
    for a text role the roles it tries; the shared fallback faces last, in order."""
    rows = []
    roles, fallbacks = read_lock(lock)
    text_roles = [role for name, role in roles.items() if name not in fallbacks]
    for role in text_roles + [roles[name] for name in fallbacks]:
        if not role.installed:
            state = "missing"
        else:
            state = "ok" if sha256_of(role.file) == role.sha256 else "checksum differs"
        rows.append({"role": role.name, "use": role.use, "family": role.family,
                     "file": str(role.file), "index": role.index, "state": state,
                     "package": f"{role.package}={role.version}",
                     "install": role.install_hint() if state != "ok" else "",
                     "fallback": role.name in fallbacks,
                     "chain": [] if role.name in fallbacks
                     else chain_names(roles, fallbacks, role.name)})
    return rows
