"""Find the files to validate under the paths a user gives.

A file given by name is always validated.  Folders are walked recursively
(symbolic links to folders are not followed, so loops cannot hang the walk);
inside them, FITS files (by extension) and ``hlsp_*`` files are picked up,
hidden files and folders (``.git``) are skipped.  Paths that cannot be used
(broken links, link loops, named pipes and devices, unreadable folders) come
back as :class:`Problem` entries that the engine turns into findings -- a
pipe is never opened, so it cannot block the run.

A path that does not exist, or a folder without any file to validate, is a
usage error (:class:`HlspError`); :func:`check_paths` finds these before any
work starts.
"""

from __future__ import annotations

import os
import stat
from hlsp.errors import HlspError
from hlsp.names import FITS_EXTENSIONS
from hlsp.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from typing import Iterable, Iterator

_SUFFIXES = tuple("." + e for e in FITS_EXTENSIONS) + (".fz",)


class Problem(Record):
    """A path that cannot be validated, and why (immutable, compared by value)."""

    __slots__ = ("path", "message")

    def __init__(self, path: str, message: str):
        object.__setattr__(self, "path", path)  # (frozen: __setattr__ refuses)
        object.__setattr__(self, "message", message)


# A folder holding this file is a contribution, checked as a whole (hlsp.contribution,
# hlsp.collection_facts).  Told here, where paths are sorted, so that telling it does
# not import the metadata reader.
METADATA_FILE = "hlsp.yaml"


def is_contribution(path: str | os.PathLike) -> bool:
    """True when ``path`` is a folder holding an ``hlsp.yaml``."""
    return os.path.isdir(path) and os.path.lexists(os.path.join(path, METADATA_FILE))


def is_candidate(name: str) -> bool:
    low = name.lower()
    return low.endswith(_SUFFIXES) or low.startswith("hlsp_")


def display(path: str) -> str:
    """A printable form of a path whose name may not be valid UTF-8."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def check_paths(paths: Iterable[str]) -> None:
    """Raise :class:`HlspError` for the first path that cannot be validated at all."""
    for p in paths:
        p = os.fspath(p)
        if os.path.islink(p) and not os.path.exists(p):
            continue  # a broken link is a finding, not a usage error
        if not os.path.exists(p):
            raise _missing(p)
        if os.path.isdir(p) and not has_candidates(p):
            raise _empty(p)


def has_candidates(folder: str) -> bool:
    """Whether walking ``folder`` finds anything to validate (or report)."""
    return next(_walk(folder), None) is not None


def discover(paths: Iterable[str]) -> Iterator[str | Problem]:
    """Yield file paths (sorted within each folder) and problems, in a stable order."""
    for p in paths:
        p = os.fspath(p)
        if os.path.isdir(p):
            found = False
            for item in _walk(p):
                found = True
                yield item
            if not found:
                raise _empty(p)
        elif os.path.exists(p) or os.path.islink(p):
            yield _file(p)
        else:
            raise _missing(p)


def _missing(path: str) -> HlspError:
    return HlspError(f"{display(path)}: no such file or folder")


def _empty(path: str) -> HlspError:
    return HlspError(f"{display(path)}: no FITS or hlsp_* files in this folder")


def _file(path: str) -> str | Problem:
    """``path`` itself, or the :class:`Problem` that makes it unreadable as a file."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return Problem(path, "broken symbolic link (or a link loop): its target does not exist")
    if not stat.S_ISREG(mode):
        return Problem(path, "not a regular file (a named pipe, socket or device): not read")
    return path


def _walk(top: str) -> Iterator[str | Problem]:
    errors: list[OSError] = []
    for root, dirs, files in _tree(top, errors):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for entry in sorted(files, key=lambda e: e.name):
            if entry.name.startswith(".") or not is_candidate(entry.name):
                continue
            yield _entry_file(entry)
        while errors:
            err = errors.pop()
            yield Problem(err.filename or root, f"cannot read this folder: {err.strerror}")


def _entry_file(entry: os.DirEntry) -> str | Problem:
    """Like :func:`_file`; a regular file is known from the folder listing, without a stat."""
    try:
        if entry.is_file():
            return entry.path
    except OSError:  # a link loop ...
        pass
    return _file(entry.path)


def _tree(top: str, errors: list[OSError]) -> Iterator[tuple[str, list[str], list[os.DirEntry]]]:
    """``os.walk(top, onerror=errors.append)`` (top-down, links to folders not
    followed), with the folder entries of the files instead of their names."""
    dirs, files = [], []
    try:
        with os.scandir(top) as it:
            for entry in it:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir:
                    dirs.append(entry.name)
                else:
                    files.append(entry)
    except OSError as exc:
        errors.append(exc)
        return
    yield top, dirs, files
    for name in dirs:
        path = os.path.join(top, name)
        if not os.path.islink(path):
            yield from _tree(path, errors)
