"""Writing files so that a reader never sees half of one, and hashing them."""

import hashlib
import os
import re
import tempfile

TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}$")  # the names write_atomically writes to


def write_atomically(path, data):
    """Write to a temporary file beside ``path``, flush it to disk, rename it over
    ``path``: readers see the old file or the new one, never part of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(handle, 0o644)  # mkstemp's 0600 would hide outputs from other users
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def remove_leftovers(folder):
    """Temporary files a killed writer left in ``folder``; call it only while no
    writer can be at work there."""
    for path in folder.glob(".*"):
        if TEMPORARY.match(path.name) and path.is_file():
            path.unlink()


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
