"""archive/index.html: a static catalog of every revision, newest edition first, that
works opened from disk; a damaged revision is listed, never a reason to stop."""

from pathlib import Path
from urllib.parse import quote

import jinja2

from ..errors import PaibanError
from ..files import write_atomically
from ..render import LAYOUT
from .manifest import MANIFEST, read_manifest

INDEX_TEMPLATE = "archive-index.html.j2"


def catalog(root):
    """Every readable revision under ``root``, newest edition first, and the folders
    of those whose manifest cannot be read (listed, never a reason to stop)."""
    revisions, unreadable = [], []
    for path in Path(root).glob(f"*/*/r*/{MANIFEST}"):
        folder = path.parent.relative_to(root).as_posix()
        try:
            manifest = read_manifest(path.parent)
        except PaibanError:
            unreadable.append(folder)
            continue
        manifest["folder"] = folder
        revisions.append(manifest)
    return (sorted(revisions, key=lambda m: (m["date"], m["paper"], m["issue"], m["revision"]),
                   reverse=True), sorted(unreadable))


def href(*names):
    """A relative link to a file under the catalog: "./" and percent-encoded segments,
    so that no paper or file name can become a scheme (``javascript:``) or a query."""
    return "./" + "/".join(quote(part, safe="") for name in names for part in name.split("/"))


def write_index(root):
    """archive/index.html: a static catalog that works opened from disk."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(LAYOUT), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.globals["href"] = href
    revisions, unreadable = catalog(root)
    html = env.get_template(INDEX_TEMPLATE).render(revisions=revisions, unreadable=unreadable)
    write_atomically(Path(root) / "index.html", html.encode())
