"""Small helpers shared by several rules (no checks live here)."""

from __future__ import annotations

import re
from typing import Any

from hlsp.fitsfile import HDU, FitsFile

DATE_RE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:(?P<sep>[T ])(?P<H>\d{2}):(?P<M>\d{2}):(?P<S>\d{2})(?:\.\d+)?)?(?P<z>Z)?\Z"
)
OLD_DATE_RE = re.compile(r"\d{2}/\d{2}/\d{2}\Z")


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def science_hdu(fits: FitsFile) -> HDU | None:
    """The first HDU that holds the product's data (an image array or a table)."""
    for hdu in fits.hdus:
        if hdu.data_size > 0 and (hdu.is_image or hdu.is_table):
            return hdu
    return fits.hdus[0] if fits.hdus else None


def indexed(keyword: str, prefix: str) -> int | None:
    """``indexed("TFORM12", "TFORM") == 12``; None when it is not that keyword."""
    if keyword.startswith(prefix) and keyword[len(prefix) :].isdigit():
        return int(keyword[len(prefix) :])
    return None


def parse_date(text: str) -> tuple[bool, str | None]:
    """(valid calendar date, problem). problem is "Z", "space" or None."""
    m = DATE_RE.match(text.strip())
    if not m:
        return False, None
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return False, None
    if m["H"] is not None and not (int(m["H"]) <= 23 and int(m["M"]) <= 59 and int(m["S"]) <= 60):
        return False, None
    if m["z"]:
        return True, "Z"
    if m["sep"] == " ":
        return True, "space"
    return True, None
