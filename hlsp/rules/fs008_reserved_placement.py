"""A reserved keyword is used in the wrong HDU type (SIMPLE in an extension, BUNIT in a
table ...).

*Why:* ``SIMPLE``, ``EXTEND`` and ``BLOCKED`` belong to the primary header
only, ``XTENSION`` to extensions only; ``PCOUNT``/``GCOUNT`` and the random
groups keywords (``PTYPEn``, ``PSCALn``, ``PZEROn``) only to random-groups
and extension headers as the standard defines them.  Array keywords
(``BUNIT``, ``BSCALE``, ``BZERO``, ``BLANK``, ``DATAMAX``, ``DATAMIN``) are not
allowed in table headers, where units and scaling are per column (``TUNITn``,
``TSCALn``, ``TZEROn``, ``TNULLn``); table keywords are not allowed in image
headers; ``TBCOLn`` belongs to ASCII tables, ``TDIMn`` and ``THEAP`` to binary
tables; ``BLANK`` has no meaning for floating-point images (NaN is the null
value there).  Such cards usually come from copying a whole header into
another HDU.  fitsverify reports each of these as an error.

*How to fix:* Remove the card; in tables put units in TUNITn and scaling in
TSCALn/TZEROn.

Remove the card; for tables move units to ``TUNITn`` of the column they describe.

*Example:* fails::

    XTENSION= 'BINTABLE'
    BUNIT   = 'Jy      '

fixed::

    XTENSION= 'BINTABLE'
    TUNIT2  = 'Jy      '
"""

import re

from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity

RULE = Rule(
    id="FS008",
    name="reserved-placement",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 4.4.1, 4.4.2, 6, 7.2, 7.3 (fitsverify errors)",
)

_PRIMARY_ONLY = frozenset({"SIMPLE", "EXTEND", "BLOCKED"})
_ARRAY_ONLY = frozenset({"BUNIT", "BSCALE", "BZERO", "BLANK", "DATAMAX", "DATAMIN"})
# keyword prefixes followed by a column number (fitsverify matches the prefix and one digit)
_TABLE_ONLY = re.compile(
    r"TFIELDS\Z|THEAP\Z|(TBCOL|TFORM|TSCAL|TZERO|TNULL|TTYPE|TUNIT|TDISP|TDIM|TCTYP|TCUNI|TCRVL|TCDLT|TCRPX|TCROT)[0-9]"
)
_GROUPS_ONLY = re.compile(r"(PTYPE|PSCAL|PZERO)[0-9]")
_BINARY_ONLY = re.compile(r"THEAP\Z|TDIM[0-9]")


def _restricted(kw: str) -> bool:
    """Whether ``kw`` is allowed only in some HDU types."""
    return bool(
        kw in _PRIMARY_ONLY
        or kw in ("XTENSION", "PCOUNT", "GCOUNT")
        or kw in _ARRAY_ONLY
        or kw.startswith("TBCOL")
        or _GROUPS_ONLY.match(kw)
        or _TABLE_ONLY.match(kw)
        or _BINARY_ONLY.match(kw)
    )


def _misplaced(kw: str, primary: bool, kind: str, compressed: bool, float_blank: bool) -> str | None:
    """Where ``kw`` is not allowed, in words, or None when it may stand in an HDU of ``kind``."""
    groups = kind == "groups"
    if not primary and kw in _PRIMARY_ONLY:
        return "an extension"
    if primary and kw == "XTENSION":
        return "the primary header"
    if primary and not groups and kw in ("PCOUNT", "GCOUNT"):
        return "a primary header that is not random groups"
    if not groups and _GROUPS_ONLY.match(kw):
        return "a header that is not random groups"
    if kind in ("bintable", "table"):
        if kw in _ARRAY_ONLY and not compressed:
            return "a table header (use TUNITn/TSCALn/TZEROn/TNULLn per column)"
        if kind == "bintable" and kw.startswith("TBCOL") and kw[5:6].isdigit():
            return "a binary table (TBCOLn belongs to ASCII tables)"
        if kind == "table" and _BINARY_ONLY.match(kw):
            return "an ASCII table"
    elif kind in ("primary", "image", "groups"):
        if _TABLE_ONLY.match(kw):
            return "an image header"
        if float_blank:
            return "a floating-point image (NaN marks undefined pixels)"
    return None


@RULE.check_hdu
def check(hdu: HduView):
    kind = hdu.kind
    primary = hdu.index == 0
    compressed = hdu.is_compressed_image
    float_image = hdu.get("BITPIX") in (-32, -64)
    for pos in hdu.positions_where(_restricted):
        kw = hdu.layout[pos]
        where = _misplaced(kw, primary, kind, compressed, kw == "BLANK" and float_image)
        if where:
            yield RULE.finding(f"card {pos + 1}: {kw} is not allowed in {where}", hdu=hdu.index, keyword=kw)
