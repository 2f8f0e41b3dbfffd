"""`paiban watch`: a warm process that rebuilds an edition's changed pages on save.

Fonts, metrics and the composer's caches stay loaded between rebuilds, and the page
cache (:mod:`paiban.cache`) means only the pages whose files changed are rendered.
The folder is polled: it needs no inotify and works on network shares.
"""

import time
import traceback
from pathlib import Path

from .build import build_edition
from .errors import PaibanError, environment_fault, write_log
from .source import parse_edition

INTERVAL = 0.01  # s between looks at the folder (a look takes a fiftieth of that)


def snapshot(folder):
    """Modification time and size of every file in the edition folder."""
    return {path: (stat.st_mtime_ns, stat.st_size)
            for path in Path(folder).rglob("*")
            if path.is_file() and not path.name.startswith(".")
            for stat in [path.stat()]}


def rebuild(folder, fonts, out, report):
    """Build the edition once; report(str) each result line."""
    started = time.perf_counter()
    try:
        edition = parse_edition(folder)
        result = build_edition(edition, fonts, out, jobs=1)
    except PaibanError as error:
        report(f"error: {error}")
        return None
    except OSError as error:  # disk full, a folder made read-only: keep watching
        report(f"error: {environment_fault(error)}")
        return None
    except Exception:  # a bug: say so, keep the traceback, keep watching
        report(f"internal error (a bug in paiban): details in "
               f"{write_log(traceback.format_exc())}")
        return None
    for page in result["pages"]:
        if page["cached"]:
            continue
        state = "FAILED" if page["errors"] else "ok"
        report(f"page {page['page']}: {state} in {page['seconds']:.2f} s  {page['pdf'] or ''}")
        for finding in page["errors"]:
            report(f"  error: {finding['path']}:{finding['line']}: {finding['message']}")
        if page["changes"]:
            report(f"  {len(page['changes']['regions'])} changed region(s), proof: "
                   f"{page['changes']['proof']}")
    report(f"edition rebuilt in {time.perf_counter() - started:.2f} s")
    return result


def watch(folder, fonts, out, report=print, stop=lambda: False):
    """Rebuild whenever a file of the edition changes, until ``stop()``."""
    seen = snapshot(folder)
    rebuild(folder, fonts, out, report)
    report(f"watching {folder} (Ctrl-C to stop)")
    while not stop():
        time.sleep(INTERVAL)
        now = snapshot(folder)
        if now != seen:
            changed = sorted(str(path.name) for path in set(now) | set(seen)
                             if now.get(path) != seen.get(path))
            seen = now
            report(f"changed: {', '.join(changed)}")
            rebuild(folder, fonts, out, report)
