"""Build an edition: preflight, fit and render every page, write the PDFs and report.

Outputs go to ``<out>/<edition>/``: one PDF per page, one for the whole edition and
``build.json``. Each file is written to a temporary name and renamed into place only
when complete, so an interrupted build never leaves a truncated PDF where the last
good one was.
"""

import contextlib
import fcntl
import hashlib
import io
import json
import os
import tempfile
import time
from pathlib import Path

import pypdf

from . import __version__, preflight
from .errors import PaibanError
from .fit import fit_page
from .geometry import GEOMETRIES
from .render import pdf_metadata, render

LOCK_FILE = ".build.lock"


def write_atomically(path, data):
    """Write to a temporary file beside ``path``, flush it to disk, rename it over
    ``path``: readers see the old file or the new one, never part of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def pdf_bytes(document, edition, page=None):
    """PDF bytes with dates and identifier fixed by the content: same input, same bytes."""
    stamp, title = pdf_metadata(edition, page)
    document.metadata.title = title
    document.metadata.created = document.metadata.modified = stamp
    document.metadata.generator = f"paiban {__version__}"
    identifier = hashlib.sha256(title.encode()).hexdigest()[:32].encode()
    return document.write_pdf(pdf_identifier=identifier)


def embedded_fonts(data):
    """Base font names of a PDF's fonts, and whether each is embedded."""
    fonts = {}
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get(
                "/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font.get("/BaseFont"))] = embedded
    return fonts


def check_page(edition, page, fonts, strict=False):
    """Preflight one page: findings and the placed page (None if it cannot be fitted)."""
    findings = preflight.coverage(page, fonts) + preflight.images(page, strict)
    if any(f.severity == "error" for f in findings):
        return findings, None
    placed = fit_page(page, fonts, GEOMETRIES[edition.paper_size], edition.composition)
    return findings + preflight.overset(page, placed), placed


@contextlib.contextmanager
def edition_lock(target):
    """Hold the edition's output folder for one build at a time. The lock is an
    advisory flock: it goes with the process, so a crashed build leaves none behind."""
    target.mkdir(parents=True, exist_ok=True)
    with open(target / LOCK_FILE, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PaibanError("busy: another paiban build of this edition is writing here",
                              target, fix="wait for it to finish, then build again")
        yield


def build_edition(edition, fonts, out_dir, strict=False):
    """Build every page; returns the report written to build.json."""
    target = Path(out_dir) / edition.slug
    with edition_lock(target):
        return build_locked(edition, fonts, target, strict)


def build_locked(edition, fonts, target, strict):
    report = {"edition": edition.slug, "paper": edition.paper,
              "date": edition.date.isoformat(), "issue": edition.issue,
              "paiban": __version__, "pages": [], "ok": True}
    documents = []
    for page in edition.pages:
        started = time.perf_counter()
        findings, placed = check_page(edition, page, fonts, strict)
        entry = {"page": page.number, "source": str(page.path), "pdf": None,
                 "page_count": 0, "overset": False, "overset_characters": 0,
                 "blank_lines": None,
                 "fonts": {}, "errors": [f.as_dict() for f in findings if f.severity == "error"],
                 "warnings": [f.as_dict() for f in findings if f.severity == "warning"]}
        if placed is not None:
            document = render(edition, page, placed, fonts)
            data = pdf_bytes(document, edition, page)
            path = target / f"{page.path.stem}.pdf"
            write_atomically(path, data)
            documents.append(document)
            entry.update(pdf=str(path), page_count=len(document.pages),
                         overset=bool(placed.overset),
                         overset_characters=sum(o.characters for o in placed.overset),
                         blank_lines=placed.blank_lines,
                         fonts=embedded_fonts(data))
        entry["seconds"] = round(time.perf_counter() - started, 3)
        report["ok"] &= not entry["errors"]
        report["pages"].append(entry)
    if documents and report["ok"]:
        combined = documents[0].copy([p for d in documents for p in d.pages])
        path = target / f"{edition.slug}.pdf"
        write_atomically(path, pdf_bytes(combined, edition))
        report["edition_pdf"] = str(path)
    write_atomically(target / "build.json",
                     json.dumps(report, ensure_ascii=False, indent=2).encode())
    return report
