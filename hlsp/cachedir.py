"""Where hlsp keeps what it may reuse between runs: one setting, ``HLSP_CACHE_DIR``.

``$HLSP_CACHE_DIR``, else ``$XDG_CACHE_HOME/hlsp``, else ``~/.cache/hlsp``.  It
holds the result cache (:mod:`hlsp.cache`), the parsed copies of the
validators files (:mod:`hlsp.profiles`), the verified downloads of remote
products (:mod:`hlsp.remote`) and, when the variable is set, the landing pages'
previews (:mod:`hlsp.pages.site`; else they stay in ``<site>/.cache``).

``HLSP_CACHE``, the older name of the download and preview cache, is still
read when ``HLSP_CACHE_DIR`` is not set, with a deprecation note.  A module of
its own so that finding the folder does not import the result cache (sqlite3).
"""

from __future__ import annotations

import os
import warnings

TYPE_CHECKING = False
if TYPE_CHECKING:  # (pathlib is imported when a Path is made: it imports urllib and ipaddress, ~3 ms)
    from pathlib import Path

# A file changed less than this long before its stat stamp was taken may change
# again within the same timestamp tick, so its stamp alone cannot vouch for its
# content (git's "racy" index entries).  Coarser than any timestamp granularity
# we expect (FAT: 2 s).  Used by the result cache and the validators copies.
RACY_SECONDS = 3.0


SETTING = "HLSP_CACHE_DIR"
DEPRECATED = "HLSP_CACHE"  # accepted, with a note, when SETTING is not set


def configured_dir() -> Path | None:
    """The folder the user chose (``$HLSP_CACHE_DIR``, or the deprecated ``$HLSP_CACHE``), or None."""
    from pathlib import Path

    chosen = _configured()
    return Path(chosen) if chosen is not None else None


def default_dir() -> Path:
    """The cache folder: the configured one, else ``$XDG_CACHE_HOME/hlsp``, else ``~/.cache/hlsp``."""
    from pathlib import Path

    return Path(default_folder())


def default_folder() -> str:
    """:func:`default_dir` as a string, for code that runs at the start of every ``hlsp validate``."""
    chosen = _configured()
    if chosen is not None:
        return chosen
    xdg = os.environ.get("XDG_CACHE_HOME")
    return os.path.join(xdg, "hlsp") if xdg else os.path.join(os.path.expanduser("~"), ".cache", "hlsp")


def _configured() -> str | None:
    """configured_dir() as a string (the deprecation note points at the caller of its caller)."""
    env = os.environ.get(SETTING)
    if env:
        return env
    old = os.environ.get(DEPRECATED)
    if old:
        warnings.warn(
            f"{DEPRECATED} is deprecated: set {SETTING} (one folder for every cache)", FutureWarning, stacklevel=3
        )
        return old
    return None
