"""Every bound hlsp puts on memory, bytes and time for hostile input, in one place.

Each setting has a default and an environment variable that overrides it
(read when it is used, so a forked worker sees its parent's value).
``docs/limits.md`` lists them with what each bounds and the finding or error a
file that reaches it gets; a test keeps that page in step with :data:`SETTINGS`.

A value that is not a positive number is a usage error (:class:`HlspError`,
one line naming the variable), never a silent fallback to the default.
"""

from __future__ import annotations

import os

from hlsp.errors import HlspError
from hlsp.record import Record

KiB, MiB, GiB = 1024, 1024**2, 1024**3


class Setting(Record):
    """One bound: its environment variable, default, unit and what it bounds (immutable)."""

    __slots__ = ("env", "default", "unit", "what")

    def __init__(self, env: str, default: float, unit: str, what: str):
        set_ = object.__setattr__  # (frozen: __setattr__ refuses)
        set_(self, "env", env)
        set_(self, "default", default)
        set_(self, "unit", unit)  # bytes | cards | HDUs | ratio | seconds
        set_(self, "what", what)  # what it bounds, one line


SETTINGS: dict[str, Setting] = {
    # -- the FITS reader (hlsp/fits/)
    "row_buffer": Setting(
        "HLSP_MAX_ROW_BUFFER",
        4 * MiB,
        "bytes",
        "table rows up to this long are checked whole; longer rows are checked column by column as they stream",
    ),
    "header_cards": Setting(
        "HLSP_MAX_HEADER_CARDS",
        200_000,
        "cards",
        "header cards kept for one file, all HDUs together; reading stops there with a finding",
    ),
    "heap_arrays": Setting(
        "HLSP_MAX_HEAP_ARRAYS",
        500_000,
        "arrays",
        "variable-length logical arrays (PL/QL) of one table whose heap values are checked (26 bytes each, ~80 at the peak)",
    ),
    "hdus": Setting("HLSP_MAX_HDUS", 10_000, "HDUs", "HDUs read in one file; reading stops there with a finding"),
    "inflate_ratio": Setting(
        "HLSP_MAX_INFLATE_RATIO",
        1000,
        "ratio",
        "a .gz/.bz2 file may inflate to this many times its size (beyond HLSP_INFLATE_FREE)",
    ),
    "inflate_free": Setting(
        "HLSP_INFLATE_FREE",
        1 * GiB,
        "bytes",
        "a .gz/.bz2 file may always inflate to this many bytes, whatever its ratio",
    ),
    "inflate_max": Setting("HLSP_MAX_INFLATED", 64 * GiB, "bytes", "no .gz/.bz2 file inflates beyond this many bytes"),
    # -- remote products (hlsp/remote/)
    "remote_bytes": Setting(
        "HLSP_REMOTE_MAX_BYTES",
        10 * GiB,
        "bytes",
        "a remote product larger than this is not fetched (its manifest size is checked before; the transfer stops there)",
    ),
    "remote_seconds": Setting(
        "HLSP_REMOTE_DEADLINE",
        900,
        "seconds",
        "wall-clock time one remote product may take to download, retries included",
    ),
}


def get(name: str) -> float:
    """The value of setting ``name`` (its environment variable, else its default)."""
    s = SETTINGS[name]
    raw = os.environ.get(s.env, "").strip()
    if not raw:
        return s.default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0 or value != value or value == float("inf"):
        raise HlspError(f"{s.env}={raw!r}: expected a positive number of {s.unit}")
    return int(value) if s.unit != "seconds" else value


def get_int(name: str) -> int:
    return int(get(name))


def check_all() -> None:
    """Raise :class:`HlspError` for the first setting whose variable holds no valid value."""
    for name in SETTINGS:
        get(name)
