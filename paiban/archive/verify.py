"""Verify a revision: trust nothing the manifest says without evidence. The files,
the PDFs' metadata and attachments are checked against it, then every page is
rebuilt from its attached sources and compared byte for byte, else pixel by pixel."""

import hashlib
import io
import tempfile
from pathlib import Path

import pypdf
import pypdfium2
from PIL import Image, ImageChops, ImageStat

from ..changes import rasterise
from ..errors import PaibanError
from ..files import sha256_of
from ..fonts import ROOT
from ..source import parse_edition
from .manifest import MANIFEST, read_manifest
from .revision import (
    PAIBAN_FILES,
    THUMBNAIL_DPI,
    THUMBNAIL_TOLERANCE,
    archival_pdf,
    description,
    facts,
    inside,
    page_inputs,
    paiban_inputs,
    versions,
    write_sources,
)

VERIFY_DPI = 100          # a swapped photo or a recoloured rule shows at far less


def verify(revision, fonts, cluster=None):
    """Check a revision: its files against the manifest, every claim of the manifest
    against the PDFs, then every page rebuilt from its attached sources (on the
    workers of ``cluster``, if given: :mod:`paiban.cluster`). Returns a report;
    ``ok`` is False if anything is damaged, false or differs."""
    revision = Path(revision)
    if not (revision / MANIFEST).is_file():
        raise PaibanError("not an archive revision: no manifest.json", revision,
                          fix="give a folder archive/<paper>/<date>-<issue>/r<N>")
    report = {"revision": str(revision), "damaged": [], "problems": [], "pages": [],
              "same_versions": False, "ok": False}
    try:
        manifest = read_manifest(revision)
    except PaibanError as error:
        report["problems"].append(f"{MANIFEST}: {error.message}")
        return report
    report["damaged"] = damaged_files(revision, manifest)
    report["problems"] = unlisted_files(revision, manifest) + (
        [] if report["damaged"] else false_claims(revision, manifest))
    report["same_versions"] = manifest["versions"] == versions()
    if not report["damaged"] and not report["problems"]:
        jobs = [((revision / page["pdf"]).read_bytes(), page, report["same_versions"])
                for page in manifest["pages"]]
        report["pages"] = cluster.map(rebuilt, jobs) if cluster else [
            rebuilt(*job, fonts) for job in jobs]
    report["ok"] = not report["damaged"] and not report["problems"] and all(
        p["result"] != "differs" for p in report["pages"])
    return report


def damaged_files(revision, manifest):
    """Listed files whose checksum is not the manifest's, or that are missing (a
    listed name must be a regular file, not a link)."""
    return [name for name, digest in manifest["files"].items()
            if (revision / name).is_symlink() or not (revision / name).is_file()
            or sha256_of(revision / name) != digest]


def unlisted_files(revision, manifest):
    """Anything in the revision folder the manifest does not list: damage too."""
    listed = set(manifest["files"]) | {MANIFEST}
    folders = {parent.as_posix() for name in listed for parent in Path(name).parents} - {"."}
    return [f"{name}: in the revision folder but not in the manifest"
            for name in (path.relative_to(revision).as_posix()
                         for path in sorted(revision.rglob("*")))
            if name not in listed and (name not in folders or (revision / name).is_symlink()
                                       or not (revision / name).is_dir())]


def false_claims(revision, manifest):
    """What the manifest says that the files contradict: each page entry against
    its PDF's XMP, the file list against the entries, the sources against the
    attachments, the versions against the PDFs' producer."""
    problems = []
    if revision.name != f"r{manifest['revision']}":
        problems.append(f"{MANIFEST}: says revision {manifest['revision']}, the folder is "
                        f"{revision.name}")
    entries = manifest["pages"]
    named = {manifest["edition_pdf"], *(e[k] for e in entries for k in ("pdf", "thumbnail"))}
    for name in sorted(set(manifest["files"]) - named):
        problems.append(f"{name}: in the file list but no page entry names it")
    for name in sorted(named - set(manifest["files"])):
        problems.append(f"{name}: named by a page entry but not in the file list")
    if problems:
        return problems
    said = facts(manifest["paper"], manifest["date"], manifest["issue"])
    attached = {}
    for entry in entries:
        page_said = facts(*said.values(), entry["number"], entry["title"])
        found = pdf_claims(revision / entry["pdf"], page_said, manifest, attached)
        problems += found or thumbnail_claims(revision, entry)
    problems += pdf_claims(revision / manifest["edition_pdf"], said, manifest, attached,
                           pages=len(entries))
    for name in sorted(set(attached) | set(manifest["sources"])):
        if name not in attached:
            problems.append(f"source {name}: in the manifest but attached to no PDF")
        elif name not in manifest["sources"]:
            problems.append(f"source {name}: attached but not in the manifest")
        elif len(attached[name]) > 1:
            problems.append(f"source {name}: attached in different versions")
        elif manifest["sources"][name] not in attached[name]:
            problems.append(f"source {name}: the manifest's checksum is not the attached "
                            "file's")
    return problems


MADE_BY = [("/Creator", "paiban", "paiban"), ("/Producer", "weasyprint", "WeasyPrint")]


def pdf_claims(path, said, manifest, attached, pages=None):
    """A PDF's XMP, producer and (given) number of pages against what the manifest
    says of it; its attachments' checksums are collected in ``attached`` (name →
    set of digests)."""
    try:
        reader = pypdf.PdfReader(path)
        xmp, count = reader.xmp_metadata, len(reader.pages)
        found_attachments = reader.attachments.items()
    except (pypdf.errors.PyPdfError, ValueError, KeyError) as error:
        return [f"{path.name}: not a readable PDF ({str(error)[:60]})"]
    problems = []
    if pages is not None and count != pages:
        problems.append(f"{path.name}: {count} pages, but the manifest lists {pages}")
    found = (xmp.dc_description or {}).get("x-default") if xmp else None
    if found != description(said):
        problems.append(f"{path.name}: the manifest says {description(said)!r}, "
                        f"the PDF's XMP says {found!r}")
    info = reader.metadata or {}
    for key, software, name in MADE_BY:
        claimed = f"{name} {manifest['versions'].get(software)}"
        if info.get(key) != claimed:
            problems.append(f"{path.name}: {key[1:]} is {info.get(key)!r}, the manifest "
                            f"says {claimed!r}")
    for name, data in found_attachments:
        attached.setdefault(name, set()).update(hashlib.sha256(d).hexdigest() for d in data)
    return problems


def thumbnail_claims(revision, entry):
    """The thumbnail shows the page (PDFium may draw it a little differently later)."""
    drawn = rasterise(str(revision / entry["pdf"]), THUMBNAIL_DPI)
    try:
        with Image.open(revision / entry["thumbnail"]) as thumbnail:
            thumbnail = thumbnail.convert("RGB")
    except OSError:
        return [f"{entry['thumbnail']}: not an image"]
    levels, share = THUMBNAIL_TOLERANCE
    if thumbnail.size != drawn.size or ImageStat.Stat(ImageChops.difference(
            thumbnail, drawn).convert("L").point(lambda v: v > levels and 255)
            ).mean[0] / 255 > share:
        return [f"{entry['thumbnail']}: does not show {entry['pdf']}"]
    return []


def rebuilt(archived, entry, same_versions, fonts):
    """Extract the attachments of one archived page (its PDF's bytes), render it again
    and compare: the same bytes, else the same pixels (another paiban or WeasyPrint
    may write other bytes for the same page), else it differs."""
    sources = {name: data[0] for name, data in
               pypdf.PdfReader(io.BytesIO(archived)).attachments.items()}
    templates_same = all(sources.get(path.relative_to(ROOT).as_posix()) == path.read_bytes()
                         for path in PAIBAN_FILES)
    result = {"page": entry["number"], "result": "differs", "reason": None,
              "templates_same": templates_same, "versions_same": same_versions}
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work) / "edition"
        write_sources(sources, folder)
        try:
            edition = parse_edition(folder)
            pages = [p for p in edition.pages if inside(p.path, folder) == entry["source"]]
            if [p.number for p in pages] != [entry["number"]]:
                raise PaibanError(f"the attached edition has no page {entry['number']} "
                                  f"in {entry['source']}")
            inputs = {n: d for n, d in sources.items() if n.startswith("source/")}
            _, again, _ = archival_pdf(edition, pages[0], fonts,
                                    page_inputs(edition, pages[0], inputs | paiban_inputs()))
        except PaibanError as error:
            result["reason"] = f"the attached sources do not make the page: {error.message}"
            return result
    if again == archived:
        result["result"] = "byte-identical"
    elif pixels(again) == pixels(archived):
        result["result"] = "pixel-identical"
    else:
        result["reason"] = "the rebuilt page looks different"
    return result


def pixels(data):
    """Every page of a PDF rasterised at VERIFY_DPI, as bytes to compare."""
    document = pypdfium2.PdfDocument(data)
    try:
        return [page.render(scale=VERIFY_DPI / 72).to_pil().convert("RGB").tobytes()
                for page in document]
    finally:
        document.close()
