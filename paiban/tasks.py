"""Building pages on a cluster: pure tasks from snapshots, in the archive's format.

The submitting process reads the edition's files once into a snapshot (archive name →
bytes, :func:`paiban.archive.revision.edition_inputs`) and sends each page the part
it is made from: the edition file, the page sources, article files and ads (the
edition does not parse without them), its own photos and the print profile. A worker
writes them into a folder of its own, parses the edition there and builds the page
with :func:`paiban.build.page_pdf`; pages are rendered from fixed URLs, so the bytes
do not depend on that folder. What comes back names the edition's own files.
"""

import dataclasses
import tempfile
from pathlib import Path

from .archive.revision import (
    edition_inputs,
    inside,
    named_as_in,
    page_inputs,
    write_sources,
)
from .build import page_pdf
from .source import parse_edition


def page_submitter(cluster, edition, strict, printing):
    """``submit(page, previous)``: start building a page on the cluster (from the
    ``previous`` layout its last build accepted, for a news page); a future of its
    (entry, PDF bytes). The edition's files are read once, here. A page gets the
    photos of the pages it follows too: a continuation is set from its front page's
    fit, which the photos' sizes decide."""
    inputs = {name: path.read_bytes() for name, path in edition_inputs(edition).items()}

    def submit(page, previous):
        source = inside(page.path, edition.path)
        made_from = [page, *(other for other in edition.pages if other.number in page.after)]
        own = {name: data for each in made_from
               for name, data in page_inputs(edition, each, inputs).items()}
        return cluster.submit(page_from_snapshot, own, edition.slug, source,
                              str(edition.path), strict, printing, previous,
                              name=f"page {edition.slug}/{source}")
    return submit


def page_from_snapshot(inputs, slug, source, original, strict, printing, previous, fonts):
    """Build the page ``source`` (its name in the edition) of a snapshot: (report
    entry, PDF bytes), the entry naming the files under ``original``, the edition's
    folder on the submitting machine. ``printing`` is the build's print settings
    (with its options, e.g. crop marks), its profile the snapshot's copy."""
    with tempfile.TemporaryDirectory(prefix="paiban-task-") as work:
        folder = Path(work) / slug
        write_sources(inputs, folder)
        with named_as_in(original, folder):
            edition = parse_edition(folder)
            page, = (p for p in edition.pages if inside(p.path, folder) == source)
            if printing:
                printing = dataclasses.replace(printing, profile=edition.printing.profile)
            entry, data = page_pdf(edition, page, fonts, strict, printing, previous)
        return renamed(entry, str(folder), original), data


def renamed(value, copy, original):
    """A report entry with every path under ``copy`` named under ``original``."""
    if isinstance(value, str):
        return value.replace(copy, original)
    if isinstance(value, dict):
        return {key: renamed(item, copy, original) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(renamed(item, copy, original) for item in value)
    return value
