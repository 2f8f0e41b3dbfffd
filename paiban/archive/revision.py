"""Write a new archive revision of an edition.

``archive/<paper>/<date>-<issue>/r<N>/`` holds each page and the whole edition as
PDF/A-3b, each PDF carrying the files it was made from (page source, edition file,
images, templates, styles, house styles, font lock; AFRelationship Source), page
thumbnails and ``manifest.json`` (SHA-256 of every file; versions of paiban,
WeasyPrint, Pango and HarfBuzz). The edition's files are read once into a snapshot
and the revision is made from the snapshot alone, so an edit during archiving cannot
split it. A revision is written to a hidden folder and renamed into place, and never
written again: archiving the edition again makes r<N+1>.
"""

import contextlib
import ctypes
import datetime
import fcntl
import hashlib
import importlib.metadata
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pydyf
import uharfbuzz
from weasyprint import Attachment

from .. import __version__, overlay
from ..build import check_page, pdf_bytes
from ..changes import rasterise
from ..errors import PaibanError
from ..files import sha256_of, write_atomically
from ..fonts import LOCK, ROOT
from ..house import HOUSES
from ..modules import laid_out
from ..render import LAYOUT, STYLES_DIR, render
from ..source import EDITION_FILE, parse_edition
from .catalog import INDEX_TEMPLATE, write_index
from .manifest import MANIFEST, plain_name

LOCK_FILE = ".archive.lock"


STAGING = ".staging-"


THUMBNAIL_DPI = 12


THUMBNAIL_TOLERANCE = (48, 0.005)  # a later PDFium may shade a few pixels a little otherwise


PAIBAN_FILES = [*sorted(p for p in LAYOUT.glob("*.j2") if p.name != INDEX_TEMPLATE),
                *sorted(STYLES_DIR.glob("*.css")), *sorted(HOUSES.glob("*.yaml")),
                *sorted(HOUSES.glob("*.css")), LOCK]


NAME_BYTES = 200          # a folder name must fit the file system's 255 bytes


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


def archive_edition(edition, fonts, root="archive", cluster=None):
    """Write a new revision of the edition (its pages made on a worker of
    ``cluster``, if given: :mod:`paiban.cluster`); returns its folder."""
    root = Path(root)
    with archive_lock(root):
        remove_stale_staging(root)
        with tempfile.TemporaryDirectory(prefix=STAGING, dir=root) as work:
            inputs = snapshot(edition, Path(work) / edition.slug)
            with named_as_in(edition.path, Path(work) / edition.slug):
                copy = parse_edition(Path(work) / edition.slug)
                revision = archive_snapshot(copy, inputs, fonts, root, cluster)
        write_index(root)
    return revision


@contextlib.contextmanager
def archive_lock(root):
    """One archiving at a time under ``root``, so that leftovers of a killed one can
    be told from the work of a live one. A flock goes with its process."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK_FILE, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PaibanError("busy: another paiban archive is writing here", root,
                              fix="wait for it to finish, then archive again") from None
        yield


def remove_stale_staging(root):
    """Staging folders a killed archive left behind (call it holding the lock)."""
    for path in [*root.glob(f"{STAGING}*"), *root.glob(f"*/*/{STAGING}*")]:
        remove_tree(path)


def remove_tree(path):
    """Remove a folder even when its revision was already made read-only."""
    for folder, _, _ in os.walk(path):
        os.chmod(folder, 0o700)
    shutil.rmtree(path)


def edition_inputs(edition):
    """Archive name → path of every file the edition is made from: the edition file,
    the page sources (a news page's article files and ad among them: the edition
    does not parse without them), the photos under the names the pages give them,
    and the print profile (the edition file names it, so it must parse again)."""
    folder = Path(edition.path)
    files = {f"source/{EDITION_FILE}": folder / EDITION_FILE}
    for page in edition.pages:
        page_folder = Path(page.path).parent
        files[f"source/{inside(page.path, folder)}"] = Path(page.path)
        for photo in page.article.photos:
            path = page.photo_file(photo)
            if path:
                files[f"source/{inside(page_folder / photo.src, folder)}"] = path
        for path in page.input_files():   # a news page's article files and ad
            files[f"source/{inside(path, folder)}"] = path
    profile = Path(edition.printing.profile).resolve()
    if profile.is_relative_to(folder.resolve()):
        files[f"source/{inside(profile, folder.resolve())}"] = profile
    return files


def inside(path, folder):
    """``path`` relative to ``folder`` as a clean POSIX name."""
    return Path(os.path.normpath(path)).relative_to(os.path.normpath(folder)).as_posix()


def snapshot(edition, folder):
    """Read every input once into memory and into ``folder``; returns name → bytes.
    The revision is made from this copy only: a file edited meanwhile cannot give a
    page made from one version and attachments or checksums of another."""
    inputs = {name: path.read_bytes() for name, path in edition_inputs(edition).items()}
    write_sources(inputs, folder)
    return inputs | paiban_inputs()


def paiban_inputs():
    """paiban's own files a page is made with: templates, styles, font lock."""
    return {path.relative_to(ROOT).as_posix(): path.read_bytes() for path in PAIBAN_FILES}


def write_sources(inputs, folder):
    """The edition's files (``source/…``) of ``inputs`` as an edition folder."""
    for name, data in inputs.items():
        if not plain_name(name):  # verify checks attachments first; this is the backstop
            raise PaibanError(f"attachment {name[:60]!r} is not a file in the edition",
                              folder)
        if name.startswith("source/"):
            target = folder / name.removeprefix("source/")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)


@contextlib.contextmanager
def named_as_in(original, copy):
    """Errors found in the snapshot name the files the user edits."""
    try:
        yield
    except PaibanError as error:
        if error.path and Path(error.path).is_relative_to(copy):
            error.path = Path(original) / Path(error.path).relative_to(copy)
        error.message = error.message.replace(str(copy), str(original))
        error.fix = error.fix and error.fix.replace(str(copy), str(original))
        raise


def archive_snapshot(edition, inputs, fonts, root, cluster=None):
    base = edition_folder(root, edition)
    base.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=STAGING, dir=base))
    try:
        if cluster:
            (files, manifest), = cluster.map(revision_files, [(inputs, edition.slug,
                                                               str(edition.path))])
            for name, data in files.items():
                (staging / name).parent.mkdir(exist_ok=True)
                (staging / name).write_bytes(data)
        else:
            manifest = write_revision(edition, inputs, fonts, staging)
        return publish(base, staging, manifest)
    finally:
        if staging.exists():
            remove_tree(staging)


def revision_files(inputs, slug, original, fonts):
    """A revision made from a snapshot alone, in a folder of its own (a cluster worker
    runs this): its files (name → bytes) and manifest. One task makes the whole
    revision: the edition PDF is laid out from the pages' WeasyPrint documents, which
    cannot leave the process that made them. ``original`` is the edition's folder
    that errors name."""
    with tempfile.TemporaryDirectory(prefix=STAGING) as work:
        folder, made = Path(work) / slug, Path(work) / "revision"
        write_sources(inputs, folder)
        made.mkdir()
        with named_as_in(original, folder):
            manifest = write_revision(parse_edition(folder), inputs, fonts, made)
        return {path.relative_to(made).as_posix(): path.read_bytes()
                for path in sorted(made.rglob("*")) if path.is_file()}, manifest


def page_inputs(edition, page, inputs):
    """The archive names a page's PDF carries: all but the photos of pages it does
    not depend on (a continuation depends on its front page's makeup, and so on the
    photos that page sets)."""
    from ..jumps import depends_on
    made_from = [page, *depends_on(edition, page)]
    others = {name for other in edition.pages if not any(other is p for p in made_from)
              for name in photo_names(edition, other)}
    own = {name for p in made_from for name in photo_names(edition, p)}
    return {name: data for name, data in inputs.items() if name not in others - own}


def photo_names(edition, page):
    folder = Path(edition.path)
    return [f"source/{inside(Path(page.path).parent / photo.src, folder)}"
            for photo in page.article.photos if page.photo_file(photo)]


def attachments(inputs, stamp):
    return [Attachment(file_obj=io.BytesIO(data), name=name, relationship="Source",
                       created=stamp, modified=stamp, description=f"paiban source: {name}")
            for name, data in inputs.items()]


def archival_pdf(edition, page, fonts, inputs):
    """One page as PDF/A-3b with its sources attached and its metadata in XMP:
    the document, the PDF's bytes and the supplied PDF art merged into it."""
    findings, placed = check_page(edition, page, fonts)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise PaibanError(f"page {page.number} has errors and is not archived: "
                          f"{errors[0].message}", page.path, errors[0].line,
                          fix=f"fix them (paiban check {edition.path}), then archive")
    placed = laid_out(edition, page, placed, fonts, variant="pdf/a-3b")  # its modules
    document = render(edition, page, placed, fonts)
    describe(document, edition_facts(edition, page))
    art = overlay.framed(placed)
    return document, overlay.place(pdf_bytes(
        document, edition, page, pdf_variant="pdf/a-3b",
        attachments=attachments(inputs, stamp_of(edition)),
        finisher=unique_associated_files), art), art


def unique_associated_files(document, pdf):
    """WeasyPrint 70 lists each attachment twice in the catalog's /AF array."""
    if "AF" in pdf.catalog:
        pdf.catalog["AF"] = pydyf.Array(dict.fromkeys(pdf.catalog["AF"]))


def edition_facts(edition, page=None):
    return facts(edition.paper, edition.date.isoformat(), edition.issue,
                 page and page.number, page and page.title)


def facts(paper, date, issue, number=None, title=None):
    """What a PDF says it is: paper, date, issue and, for a page, its number and title."""
    said = {"paper": paper, "date": date, "issue": str(issue)}
    if number is not None:
        said.update(page=str(number), page_title=title)
    return said


def describe(document, said):
    """XMP (dc:description, pdf:Keywords) naming paper, date, issue and page."""
    document.metadata.description = description(said)
    document.metadata.keywords = [f"{k}:{v}" for k, v in said.items()]


def description(said):
    return " ".join(f"{k}={v}" for k, v in said.items())


def stamp_of(edition):
    return datetime.datetime.combine(edition.date, datetime.time(), datetime.timezone.utc)


def edition_folder(root, edition):
    """``root/<paper>/<date>-<issue>``; a paper name that cannot name one folder of the
    catalog (blank, a path, hidden, control characters, too long) is refused."""
    paper = edition.paper
    if not paper.strip() or re.search(r"[/\\\x00-\x1f\x7f]|^\.", paper) \
            or len(paper.encode()) > NAME_BYTES:
        raise PaibanError(f"paper name {paper[:40]!r} cannot name an archive folder",
                          Path(edition.path) / EDITION_FILE, fix="give the paper's name: not "
                          f"blank, no '/', '\\' or control characters, no leading dot, "
                          f"at most {NAME_BYTES} bytes")
    return Path(root) / paper / f"{edition.date.isoformat()}-{edition.issue}"


def write_revision(edition, inputs, fonts, folder):
    documents, pages, used, art = [], [], {edition.slug}, []
    (folder / "thumbs").mkdir()
    for page in edition.pages:
        stem = Path(page.path).stem
        if stem in used:
            raise PaibanError(f"{stem}.pdf would be archived twice: another page or the "
                              "edition folder has this name", page.path,
                              fix="rename the page file")
        used.add(stem)
        own = page_inputs(edition, page, inputs)
        document, data, own_art = archival_pdf(edition, page, fonts, own)
        art += [placement._replace(page=placement.page + sum(len(d.pages) for d in documents))
                for placement in own_art]
        documents.append(document)
        (folder / f"{stem}.pdf").write_bytes(data)
        rasterise(data, THUMBNAIL_DPI).save(folder / f"thumbs/{stem}.png", "PNG")
        pages.append({"number": page.number, "title": page.title, "pdf": f"{stem}.pdf",
                      "thumbnail": f"thumbs/{stem}.png",
                      "source": inside(page.path, edition.path)})
    whole = documents[0].copy([p for d in documents for p in d.pages])
    describe(whole, edition_facts(edition))
    (folder / f"{edition.slug}.pdf").write_bytes(overlay.place(pdf_bytes(
        whole, edition, pdf_variant="pdf/a-3b",
        attachments=attachments(inputs, stamp_of(edition)),
        finisher=unique_associated_files), art))
    return {"paper": edition.paper, "date": edition.date.isoformat(), "issue": edition.issue,
            "edition": edition.slug, "edition_pdf": f"{edition.slug}.pdf", "pages": pages,
            "versions": versions(),
            "sources": {name: hashlib.sha256(data).hexdigest()
                        for name, data in inputs.items()}}


def publish(base, staging, manifest):
    """Checksum the staged files, make them read-only (and readable by all), then
    rename the folder to the next free r<N>. A rename onto an existing revision
    fails, so no revision is ever replaced."""
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
        for path in [staging / "thumbs", staging]:
            path.chmod(0o555)
        revision = base / f"r{number}"
        try:
            os.rename(staging, revision)  # fails if r<N> appeared meanwhile
            return revision
        except OSError:
            if not revision.exists():
                raise
            staging.chmod(0o755)
