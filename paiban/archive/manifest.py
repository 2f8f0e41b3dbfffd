"""The manifest of an archive revision: what it names, and its shape checked before
anything relies on it."""

import json
import re
from pathlib import Path

from ..errors import PaibanError

MANIFEST = "manifest.json"


CATALOGUED = ("paiban", "weasyprint", "pango", "harfbuzz")  # versions the catalog shows


def read_manifest(revision):
    """The manifest, checked for shape: every value verify and the catalog rely on is
    there and of its type, and every file it names is a plain name inside the
    revision. Raises PaibanError otherwise."""
    path = Path(revision) / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise PaibanError(f"unreadable manifest: {error}", path) from None
    shape = {"paper": str, "date": str, "issue": int, "edition": str, "edition_pdf": str,
             "pages": list, "versions": dict, "sources": dict, "files": dict, "revision": int}
    page_shape = {"number": int, "title": str, "pdf": str, "thumbnail": str, "source": str}

    def check(record, wanted, where):
        if not isinstance(record, dict):
            raise PaibanError(f"malformed manifest: {where} is not a record", path)
        for key, kind in wanted.items():
            if not isinstance(record.get(key), kind) or isinstance(record.get(key), bool):
                raise PaibanError(f"malformed manifest: {where}{key} is missing or not "
                                  f"{kind.__name__}", path)
    check(manifest, shape, "")
    for number, page in enumerate(manifest["pages"], 1):
        check(page, page_shape, f"page entry {number}: ")
    names = [manifest["edition_pdf"], *manifest["files"], *manifest["sources"],
             *(page[key] for page in manifest["pages"] for key in ("pdf", "thumbnail"))]
    for name in names:
        if not plain_name(name):
            raise PaibanError(f"malformed manifest: {name[:60]!r} is not a file in the "
                              "revision", path)
    if not all(isinstance(v, str) for d in ("versions", "sources", "files")
               for v in manifest[d].values()) or set(CATALOGUED) - set(manifest["versions"]):
        raise PaibanError("malformed manifest: a version or checksum is missing or not "
                          "text", path)
    return manifest


def plain_name(name):
    parts = name.split("/")
    return all(part not in ("", ".", "..") and not re.search(r"[\\\x00-\x1f:]", part)
               for part in parts)
