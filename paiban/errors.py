"""The one error type paiban raises for bad input.

Every problem a user can cause (a bad source line, a missing font, an uncovered
character) is reported as a :class:`PaibanError` naming the file, the line and what
to do. The CLI prints it and exits non-zero; no traceback reaches the user.
"""

import errno
import os
import tempfile
import time
from pathlib import Path


class PaibanError(Exception):
    exit_status = 2  # input refused; a fault of the machine (a subclass) says 1

    def __init__(self, message, path=None, line=None, fix=None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.fix = fix

    def __reduce__(self):  # raised on a cluster worker, it arrives whole
        return type(self), (self.message, self.path, self.line, self.fix)

    def location(self):
        if self.path is None:
            return ""
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self):
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.fix:
            text += f"\n  fix: {self.fix}"
        return text

    def as_dict(self):
        return {"path": str(self.path) if self.path else None, "line": self.line,
                "message": self.message, "fix": self.fix}


SHOWN_CHARACTERS = 40


def shown(value, limit=SHOWN_CHARACTERS):
    """``repr(value)`` cut to ``limit`` characters: a message never prints an
    unbounded value (a 1 MB line, a YAML alias bomb)."""
    text = repr(value) if not isinstance(value, str) else repr(value[:limit + 1])
    return text if len(text) <= limit else text[:limit] + "…"


FIXES = {errno.ENOSPC: "free some disk space, then run the command again",
         errno.EROFS: "the file system is read-only: choose another folder (-o)",
         errno.EACCES: "you may not write there: choose another folder (-o) or fix "
                       "its permissions",
         errno.EPERM: "you may not write there: choose another folder (-o)",
         errno.ENOTDIR: "a file stands where a folder is needed: pass a folder",
         errno.EEXIST: "a file stands where a folder is needed: pass a folder",
         errno.EISDIR: "a folder stands where a file is needed: pass a file",
         errno.ENOENT: "check the path"}


def environment_fault(error):
    """An OSError as a located message: the file, what the system said, the fix."""
    where = error.filename or "paiban"
    fix = FIXES.get(error.errno, "check the file and the disk, then run the command again")
    return f"{where}: {error.strerror or error}\n  fix: {fix}"


def write_log(text):
    """Keep a traceback for the bug report; returns the log's path."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "paiban" / "logs"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"paiban-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"
        path.write_text(text, encoding="utf-8")
    except OSError:
        path = Path(tempfile.mkstemp(prefix="paiban-", suffix=".log")[1])
        path.write_text(text, encoding="utf-8")
    return path
