"""What paiban needs from the machine, checked before any work starts.

A missing system library or a different WeasyPrint would otherwise surface as a
traceback from deep inside the renderer, or worse, as PDFs that quietly differ from
the archived ones. Each problem is a :class:`PaibanError` with the command that
fixes it. (Missing or changed font files are checked by :mod:`paiban.fonts`.)
"""

import contextlib
import ctypes
import importlib.metadata
import re

from .errors import PaibanError

SETUP = "bash setup.sh"
SYSTEM_LIBRARIES = {
    # library file: Debian package
    "libpango-1.0.so.0": "libpango-1.0-0",
    "libpangoft2-1.0.so.0": "libpangoft2-1.0-0",
    "libharfbuzz-subset.so.0": "libharfbuzz-subset0",
    "libfontconfig.so.1": "libfontconfig1",
}


# The libraries that shape and lay out text, pinned in setup.sh to these Debian
# versions: another Pango or HarfBuzz moves glyphs, and archived editions must rebuild
# the same. Checked by the version the loaded library reports.
SHAPING_LIBRARIES = {
    # Debian package: (library file, version function, pinned Debian version)
    "libpango-1.0-0": ("libpango-1.0.so.0", "pango_version_string", "1.50.12+ds-1"),
    "libharfbuzz0b": ("libharfbuzz.so.0", "hb_version_string", "6.0.0+dfsg-3"),
}


# The files WeasyPrint loads its libraries from; a name of these libraries that is none
# of them (HarfBuzz 6 has no libharfbuzz-vector) is not on the machine either.
WEASYPRINT_LIBRARIES = ("libgobject-2.0.so.0", "libpango-1.0.so.0", "libpangoft2-1.0.so.0",
                        "libharfbuzz.so.0", "libharfbuzz-subset.so.0", "libfontconfig.so.1")
LIBRARY_FAMILIES = ("gobject", "pango", "harfbuzz", "fontconfig")


@contextlib.contextmanager
def known_libraries():
    """While WeasyPrint is imported, answer its library lookups from the files above.

    WeasyPrint tries up to six names for each library (``libpango-1.0-0``,
    ``pango-1.0``…, for every platform), and ctypes.util.find_library runs ldconfig,
    then gcc and ld for every name it cannot find: about 80 processes and 0.2 s of
    every process that renders a page. The answer is find_library's own —
    ``pango-1.0`` is ``libpango-1.0.so.0``, ``pango-1.0-0`` is nothing — for the
    libraries :func:`check` pins; other names are asked of find_library."""
    import ctypes.util  # here: it imports subprocess, which a cached build never needs
    system = ctypes.util.find_library

    def find(name):
        if not any(family in name for family in LIBRARY_FAMILIES):
            return system(name)
        return next((file for file in WEASYPRINT_LIBRARIES
                     if file.startswith(f"lib{name}.so.")), None)
    ctypes.util.find_library = find
    try:
        yield
    finally:
        ctypes.util.find_library = system


def upstream(debian_version):
    """1.50.12 of 1.50.12+ds-1: what the library itself reports."""
    return re.split(r"[+~-]", debian_version.split(":")[-1])[0]


def loaded_version(load, library, function):
    version = getattr(load(library), function)
    version.restype = ctypes.c_char_p
    return version().decode()


def shaping_mismatches(load):
    """(package, loaded, pinned) for each shaping library of another version."""
    mismatches = []
    for package, (library, function, pinned_version) in SHAPING_LIBRARIES.items():
        have = loaded_version(load, library, function)
        if have != upstream(pinned_version):
            mismatches.append((package, have, pinned_version))
    return mismatches


def pinned(package):
    """The version pyproject.toml pins ``package`` to."""
    for requirement in importlib.metadata.requires("paiban") or []:
        match = re.match(rf"{package}\s*==\s*([\w.]+)", requirement, re.I)
        if match:
            return match.group(1)
    return None


def installed_version(package):
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def missing_libraries(load):
    missing = []
    for library, package in SYSTEM_LIBRARIES.items():
        try:
            load(library)
        except OSError:
            missing.append(package)
    return missing


def check(load=ctypes.CDLL):
    """Raise a PaibanError naming the install command if the machine cannot build."""
    missing = missing_libraries(load)
    if missing:
        raise PaibanError(
            f"system libraries missing: {', '.join(missing)} (WeasyPrint needs Pango; "
            "fonts are subset with HarfBuzz)",
            fix=f"apt-get install {' '.join(missing)}   (or: {SETUP})")
    mismatches = shaping_mismatches(load)
    if mismatches:
        raise PaibanError(
            "text shaping libraries differ from the pinned ones: " + ", ".join(
                f"{package} {have} (pinned {want})" for package, have, want in mismatches)
            + "; pages would set differently from archived ones",
            fix="apt-get install " + " ".join(f"{package}={want}" for package, _, want
                                              in mismatches) + f"   (or: {SETUP})")
    want, have = pinned("weasyprint"), installed_version("weasyprint")
    if have != want:
        raise PaibanError(
            f"WeasyPrint {have or 'is not installed'}{' is installed' if have else ''}; "
            f"paiban is pinned to {want}, so that archived editions rebuild the same",
            fix=f".venv/bin/pip install weasyprint=={want}   (or: {SETUP})")
