"""Where hlsp keeps what it may reuse between runs.

``$HLSP_CACHE_DIR``, else ``$XDG_CACHE_HOME/hlsp``, else ``~/.cache/hlsp``.  It
holds the result cache (:mod:`hlsp.cache`) and the parsed copies of the
validators files (:mod:`hlsp.profiles`).  A module of its own so that finding
the folder does not import the result cache (sqlite3).
"""

from __future__ import annotations

import os
from pathlib import Path

# A file changed less than this long before its stat stamp was taken may change
# again within the same timestamp tick, so its stamp alone cannot vouch for its
# content (git's "racy" index entries).  Coarser than any timestamp granularity
# we expect (FAT: 2 s).  Used by the result cache and the validators copies.
RACY_SECONDS = 3.0


def default_dir() -> Path:
    env = os.environ.get("HLSP_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "hlsp" if xdg else Path.home() / ".cache" / "hlsp"
