"""Find the files to validate under the paths a user gives.

A file given by name is always validated.  Folders are walked recursively
(symbolic links to folders are not followed, so loops cannot hang the walk);
inside them, FITS files (by extension) and ``hlsp_*`` files are picked up,
hidden files and folders (``.git``) are skipped.  Paths that cannot be used
(broken links, unreadable folders) come back as :class:`Problem` entries that
the engine turns into findings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, Iterator

from hlsp.errors import HlspError
from hlsp.names import FITS_EXTENSIONS

_SUFFIXES = tuple("." + e for e in FITS_EXTENSIONS) + (".fz",)


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    message: str


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


def discover(paths: Iterable[str]) -> Iterator[str | Problem]:
    """Yield file paths (sorted within each folder) and problems, in a stable order."""
    for p in paths:
        p = os.fspath(p)
        if os.path.islink(p) and not os.path.exists(p):
            yield Problem(p, "broken symbolic link (or a link loop): its target does not exist")
            continue
        if not os.path.exists(p):
            raise HlspError(f"{display(p)}: no such file or folder")
        if os.path.isdir(p):
            found = False
            for item in _walk(p):
                found = True
                yield item
            if not found:
                raise HlspError(f"{display(p)}: no FITS or hlsp_* files in this folder")
        else:
            yield p


def _walk(top: str) -> Iterator[str | Problem]:
    errors: list[OSError] = []
    for root, dirs, files in os.walk(top, onerror=errors.append, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not is_candidate(name):
                continue
            full = os.path.join(root, name)
            if os.path.islink(full) and not os.path.exists(full):
                yield Problem(full, "broken symbolic link (or a link loop): its target does not exist")
            else:
                yield full
        while errors:
            err = errors.pop()
            yield Problem(err.filename or root, f"cannot read this folder: {err.strerror}")
