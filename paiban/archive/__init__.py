"""Archive an edition so it can be found, trusted and rebuilt years later.

``archive/<paper>/<date>-<issue>/r<N>/`` holds each page and the whole edition as
PDF/A-3b, each PDF carrying the files it was made from (page source, edition file,
images, templates, styles, font lock; AFRelationship Source), page thumbnails and
``manifest.json`` (SHA-256 of every file; versions of paiban, WeasyPrint, Pango and
HarfBuzz). The edition's files are read once into a snapshot and the revision is made
from the snapshot alone, so an edit during archiving cannot split it. A revision is
written to a hidden folder and renamed into place, and never written again:
archiving the edition again makes r<N+1>. :func:`verify` trusts nothing the manifest
says without evidence: it checks the files, the PDFs' metadata and attachments
against it, then rebuilds every page from its attached sources.

    revision  an edition -> a new revision: snapshot, PDF/A-3b pages, manifest
    verify    a revision -> its evidence checked, every page rebuilt and compared
    catalog   archive/index.html over every revision
    manifest  the manifest's shape
"""
