"""Archive an edition so it can be found, trusted and rebuilt years later.

``archive/<paper>/<date>-<issue>/r<N>/`` holds each page and the whole edition as
PDF/A-3b, each PDF carrying the files it was made from (page source, edition file,
images, templates, styles, font lock; AFRelationship Source), page thumbnails and
``manifest.json`` (SHA-256 of every file; versions of paiban, WeasyPrint, Pango and
HarfBuzz). A revision is written to a hidden folder and renamed into place, and never
written again: archiving the edition again makes r<N+1>. :func:`verify` checks a
revision's checksums and rebuilds its pages from the attached sources.
"""

import ctypes
import datetime
import importlib.metadata
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import jinja2
import pydyf
import pypdf
import uharfbuzz
from weasyprint import Attachment

from . import __version__
from .build import check_page, pdf_bytes
from .changes import rasterise
from .errors import PaibanError
from .files import sha256_of, write_atomically
from .fonts import LOCK, ROOT
from .render import LAYOUT, STYLES_DIR, render
from .source import EDITION_FILE, parse_edition

MANIFEST = "manifest.json"
THUMBNAIL_DPI = 12
INDEX_TEMPLATE = "archive-index.html.j2"
PAIBAN_FILES = [*sorted(p for p in LAYOUT.glob("*.j2") if p.name != INDEX_TEMPLATE),
                *sorted(STYLES_DIR.glob("*.css")), LOCK]


def versions():
    """The software an archived PDF was made with."""
    def library(name, function):
        call = getattr(ctypes.CDLL(name), function)
        call.restype = ctypes.c_char_p
        return call().decode()
    return {"paiban": __version__, "weasyprint": importlib.metadata.version("weasyprint"),
            "pango": library("libpango-1.0.so.0", "pango_version_string"),
            "harfbuzz": library("libharfbuzz.so.0", "hb_version_string"),
            "harfbuzz (metrics)": uharfbuzz.version_string(),
            "fonttools": importlib.metadata.version("fonttools")}


def source_files(edition, page):
    """Archive name → path of every file a page is made from: the edition file and
    all page sources (so that the edition parses again as it did), the page's images,
    and paiban's templates, styles and font lock."""
    folder = edition.path
    files = {f"source/{EDITION_FILE}": folder / EDITION_FILE}
    files.update({f"source/{Path(p.path).name}": Path(p.path) for p in edition.pages})
    files.update({f"source/{path.relative_to(folder).as_posix()}": path
                  for path in page.photo_files()})
    files.update({path.relative_to(ROOT).as_posix(): path for path in PAIBAN_FILES})
    return files


def attachments(files, stamp):
    return [Attachment(file_obj=io.BytesIO(path.read_bytes()), name=name, relationship="Source",
                       created=stamp, modified=stamp, description=f"paiban source: {name}")
            for name, path in files.items()]


def archival_pdf(edition, page, fonts, files):
    """One page as PDF/A-3b with its sources attached and its metadata in XMP."""
    findings, placed = check_page(edition, page, fonts)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise PaibanError(f"page {page.number} has errors and is not archived: "
                          f"{errors[0].message}", page.path, errors[0].line,
                          fix=f"fix them (paiban check {edition.path}), then archive")
    document = render(edition, page, placed, fonts)
    describe(document, edition, page)
    return document, pdf_bytes(document, edition, page, pdf_variant="pdf/a-3b",
                               attachments=attachments(files, stamp_of(edition)),
                               finisher=unique_associated_files)


def unique_associated_files(document, pdf):
    """WeasyPrint 70 lists each attachment twice in the catalog's /AF array."""
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))


def describe(document, edition, page=None):
    """XMP (dc:description, pdf:Keywords) naming paper, date, issue and page."""
    facts = {"paper": edition.paper, "date": edition.date.isoformat(),
             "issue": str(edition.issue)}
    if page:
        facts.update(page=str(page.number), page_title=page.title)
    document.metadata.description = " ".join(f"{k}={v}" for k, v in facts.items())
    document.metadata.keywords = [f"{k}:{v}" for k, v in facts.items()]


def stamp_of(edition):
    return datetime.datetime.combine(edition.date, datetime.time(), datetime.timezone.utc)


def edition_folder(root, edition):
    if re.search(r"[/\\\0]|^\.", edition.paper):
        raise PaibanError(f"paper name {edition.paper!r} cannot name an archive folder",
                          edition.path / EDITION_FILE, fix="remove '/' and leading dots")
    return Path(root) / edition.paper / f"{edition.date.isoformat()}-{edition.issue}"


def archive_edition(edition, fonts, root="archive"):
    """Write a new revision of the edition; returns its folder."""
    base = edition_folder(root, edition)
    base.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=base))
    try:
        manifest = write_revision(edition, fonts, staging)
        revision = publish(base, staging, manifest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    write_index(root)
    return revision


def write_revision(edition, fonts, folder):
    documents, pages, every_file = [], [], {}
    for page in edition.pages:
        files = source_files(edition, page)
        every_file.update(files)
        document, data = archival_pdf(edition, page, fonts, files)
        documents.append(document)
        name = f"{Path(page.path).stem}.pdf"
        (folder / name).write_bytes(data)
        thumbnail = f"thumbs/{Path(page.path).stem}.png"
        (folder / "thumbs").mkdir(exist_ok=True)
        rasterise(data, THUMBNAIL_DPI).save(folder / thumbnail, "PNG")
        pages.append({"number": page.number, "title": page.title, "pdf": name,
                      "thumbnail": thumbnail, "source": Path(page.path).name})
    whole = documents[0].copy([p for d in documents for p in d.pages])
    describe(whole, edition)
    (folder / f"{edition.slug}.pdf").write_bytes(pdf_bytes(
        whole, edition, pdf_variant="pdf/a-3b",
        attachments=attachments(every_file, stamp_of(edition)),
        finisher=unique_associated_files))
    return {"paper": edition.paper, "date": edition.date.isoformat(), "issue": edition.issue,
            "edition": edition.slug, "edition_pdf": f"{edition.slug}.pdf", "pages": pages,
            "versions": versions(),
            "sources": {name: sha256_of(path) for name, path in every_file.items()}}


def publish(base, staging, manifest):
    """Checksum the staged files, then rename the folder to the next free r<N>.
    A rename onto an existing revision fails, so no revision is ever replaced."""
    files = sorted(p for p in staging.rglob("*") if p.is_file())
    manifest["files"] = {p.relative_to(staging).as_posix(): sha256_of(p) for p in files}
    while True:
        number = 1 + max((int(p.name[1:]) for p in base.glob("r[0-9]*")
                          if p.name[1:].isdigit()), default=0)
        manifest["revision"] = number
        write_atomically(staging / MANIFEST, json.dumps(manifest, ensure_ascii=False,
                                                        indent=2).encode())
        for path in [*files, staging / MANIFEST]:
            path.chmod(0o444)
        revision = base / f"r{number}"
        try:
            os.rename(staging, revision)  # fails if r<N> appeared meanwhile
            return revision
        except OSError:
            if not revision.exists():
                raise


def verify(revision, fonts):
    """Check a revision: every checksum, then every page rebuilt from its attached
    sources. Returns a report; ``ok`` is False if anything is damaged or differs."""
    revision = Path(revision)
    try:
        manifest = json.loads((revision / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PaibanError(f"not an archive revision: {error}", revision / MANIFEST) from None
    damaged = [name for name, digest in manifest["files"].items()
               if not (revision / name).is_file() or sha256_of(revision / name) != digest]
    same_versions = manifest["versions"] == versions()
    pages = [] if damaged else [rebuilt(revision, page, fonts, same_versions)
                                for page in manifest["pages"]]
    return {"revision": str(revision), "damaged": damaged, "same_versions": same_versions,
            "pages": pages, "ok": not damaged and all(p["result"] != "differs" for p in pages)}


def rebuilt(revision, entry, fonts, same_versions):
    """Extract one page's attachments, render it again and compare."""
    archived = (revision / entry["pdf"]).read_bytes()
    sources = {name: data[0] for name, data in
               pypdf.PdfReader(io.BytesIO(archived)).attachments.items()}
    with tempfile.TemporaryDirectory() as work:
        manifest = json.loads((revision / MANIFEST).read_text(encoding="utf-8"))
        folder = Path(work) / manifest["edition"]
        for name, data in sources.items():
            if name.startswith("source/"):
                target = (folder / name.removeprefix("source/")).resolve()
                if not target.is_relative_to(folder.resolve()):
                    raise PaibanError(f"attachment {name!r} escapes the edition", revision)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
        edition = parse_edition(folder)
        page = next(p for p in edition.pages if p.number == entry["number"])
        _, again = archival_pdf(edition, page, fonts, source_files(edition, page))
    templates_same = all(sources.get(path.relative_to(ROOT).as_posix()) == path.read_bytes()
                         for path in PAIBAN_FILES)
    if again == archived:
        result = "byte-identical"
    elif page_text(again) == page_text(archived):
        result = "text-identical"
    else:
        result = "differs"
    return {"page": entry["number"], "result": result, "templates_same": templates_same,
            "versions_same": same_versions}


def page_text(data):
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def catalog(root):
    """Every archived revision under ``root``, newest edition first."""
    revisions = []
    for path in Path(root).glob(f"*/*/r*/{MANIFEST}"):
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest["folder"] = path.parent.relative_to(root).as_posix()
        revisions.append(manifest)
    return sorted(revisions, key=lambda m: (m["date"], m["paper"], m["issue"], m["revision"]),
                  reverse=True)


def write_index(root):
    """archive/index.html: a static catalog that works opened from disk."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(LAYOUT), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    html = env.get_template(INDEX_TEMPLATE).render(revisions=catalog(root))
    write_atomically(Path(root) / "index.html", html.encode())
