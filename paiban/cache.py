"""Content-addressed page cache: a page is rendered again only when something it
depends on changed.

A page's key is the SHA-256 of everything its PDF is made from: its source file, the
edition file, the images it places, and paiban itself (its code, templates, styles,
font lock and the WeasyPrint it runs on). The record of the last build of each page
(key, report entry, PDF checksum) sits in ``<out>/<edition>/.cache/``; a page whose key
and PDF still match is not rendered again.
"""

import functools
import hashlib
import importlib.metadata
import json
from pathlib import Path

from . import __version__
from .files import sha256_of, write_atomically
from .jumps import depends_on
from .fonts import ROOT

CODE = ("paiban/**/*.py", "layout/**/*", "styles/**/*", "fonts/fonts.lock.toml")


def code_files():
    """paiban's own files a page depends on: code, templates, styles (house styles
    included), the font lock."""
    return [path for pattern in CODE
            for path in sorted(p for p in ROOT.glob(pattern) if p.is_file())]


@functools.cache
def code_digest():
    """What every page depends on: paiban's files and versions."""
    digest = hashlib.sha256(f"paiban {__version__} weasyprint "
                            f"{importlib.metadata.version('weasyprint')}".encode())
    for path in code_files():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def page_key(edition, page, options):
    """What a page is made from: its files, those of the pages whose makeup its
    continued stories follow, and a front page's index as printed (the headlines and
    pages it names, not the files they come from: an edit of their body leaves it)."""
    digest = hashlib.sha256(code_digest().encode() + json.dumps(options).encode())
    for path in [edition.path / "edition.yaml", *page_inputs(page),
                 *(path for other in depends_on(edition, page) for path in page_inputs(other))]:
        digest.update(str(path.name).encode() + b"\0" + path.read_bytes())
    if page.front:
        digest.update(json.dumps(page.front.entries, ensure_ascii=False).encode())
    return digest.hexdigest()


def page_inputs(page):
    return [page.path, *page.photo_files(), *page.input_files()]


def record_path(target, page):
    return target / ".cache" / f"{Path(page.path).stem}.json"


def cached_entry(target, page, key):
    """The report entry of the page's last build, if its key and PDF still match."""
    path = record_path(target, page)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        pdf = record["entry"]["pdf"]
        if record["key"] == key and pdf and sha256_of(pdf) == record["pdf_sha256"]:
            return record["entry"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def remember(path, key, entry, pdf_file):
    """Write the record of a page's build to ``path`` (the record's place, or where
    the build stages it); ``pdf_file`` holds the PDF the entry names."""
    if entry["pdf"]:
        record = {"key": key, "entry": entry, "pdf_sha256": sha256_of(pdf_file)}
        write_atomically(path, json.dumps(record, ensure_ascii=False, indent=1).encode())


def edition_key(edition, page_pdfs):
    """What the edition PDF is made from: the page PDFs' bytes, the edition file (its
    title and dates), paiban's files and the pypdf that assembles it."""
    digest = hashlib.sha256(f"{code_digest()} pypdf {importlib.metadata.version('pypdf')}"
                            .encode() + (edition.path / "edition.yaml").read_bytes())
    for path in page_pdfs:
        digest.update(sha256_of(path).encode())
    return digest.hexdigest()


def edition_record_path(target):
    return target / ".cache" / "edition-pdf.key"  # not <page>.json: no page's record


def current_edition_pdf(target, pdf, key):
    """Whether ``pdf`` is still the edition PDF that the inputs of ``key`` made: a
    build where no page changed need not assemble it again."""
    try:
        record = json.loads(edition_record_path(target).read_text(encoding="utf-8"))
        return record["key"] == key and sha256_of(pdf) == record["pdf_sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        return False


def remember_edition(path, key, pdf_file):
    """Write the record of the edition PDF ``pdf_file`` made from ``key`` to ``path``."""
    write_atomically(path, json.dumps({"key": key, "pdf_sha256": sha256_of(pdf_file)}).encode())
