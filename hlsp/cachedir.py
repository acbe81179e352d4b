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
    env = os.environ.get(SETTING)
    if env:
        return Path(env)
    old = os.environ.get(DEPRECATED)
    if old:
        warnings.warn(
            f"{DEPRECATED} is deprecated: set {SETTING} (one folder for every cache)", FutureWarning, stacklevel=2
        )
        return Path(old)
    return None


def default_dir() -> Path:
    """The cache folder: the configured one, else ``$XDG_CACHE_HOME/hlsp``, else ``~/.cache/hlsp``."""
    chosen = configured_dir()
    if chosen is not None:
        return chosen
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "hlsp" if xdg else Path.home() / ".cache" / "hlsp"
