"""Writing files so that a reader never sees half of one, and hashing them."""

import hashlib
import os
import re
import shutil
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
    except BaseException as error:
        os.unlink(temporary)
        if isinstance(error, OSError) and not error.filename:  # say which file (ENOSPC)
            raise OSError(error.errno, error.strerror, str(path)) from error
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


STAGING = ".staging"
COMPLETE = "COMPLETE"  # written last into a staging folder whose files are all on disk
REMOVED = "REMOVED"    # the outputs the new set no longer has, one relative path a line


def staged(target, path):
    """Where a build writes ``path`` (a file under ``target``) until it publishes."""
    return target / STAGING / path.relative_to(target)


def stage_removals(target, paths):
    """Outputs of an earlier build that the staged set drops (a page that failed this
    time must not leave its old PDF beside the new build.json)."""
    names = [path.relative_to(target).as_posix() for path in paths if path.exists()]
    if names:
        write_atomically(target / STAGING / REMOVED, "\n".join(names).encode())


def publish(target):
    """Move every file staged under ``target`` into place, as one set.

    The staged files are already synced; a COMPLETE marker is written, then the files
    are renamed into place. A build killed before the marker leaves only a staging
    folder that the next build discards; one killed after it is finished by the next
    build (:func:`recover`): either way the outputs change together, never half."""
    folder = target / STAGING
    if not folder.is_dir():
        return
    write_atomically(folder / COMPLETE, b"")
    move_into_place(target)


def move_into_place(target):
    folder = target / STAGING
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name not in (COMPLETE, REMOVED) \
                and not TEMPORARY.match(path.name):
            final = target / path.relative_to(folder)
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, final)
    if (folder / REMOVED).is_file():
        for name in (folder / REMOVED).read_text(encoding="utf-8").splitlines():
            (target / name).unlink(missing_ok=True)
    directory = os.open(target, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
    shutil.rmtree(folder)


def recover(target):
    """Finish a publication a killed build had begun, or discard an unfinished one.
    Call it only while holding the edition's lock."""
    folder = target / STAGING
    if (folder / COMPLETE).is_file():
        move_into_place(target)
    elif folder.exists():
        shutil.rmtree(folder)
