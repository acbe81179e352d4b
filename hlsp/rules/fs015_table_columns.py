"""A table's column definitions do not match its row length.

*Why:* a binary table row is the concatenation of its columns; the widths
given by ``TFORMn`` must add up to ``NAXIS1``, and each ``TFORMn`` must be a
valid data type (``rL X B I J K A E D C M P Q``).  ASCII tables need
``TFORMn`` of type ``A I F E D`` and ``TBCOLn`` inside the row.  Otherwise
every reader misplaces the columns.

*How to fix:* write the table with a FITS library (astropy.table, fitsio),
which computes these keywords.
"""

import re

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import is_int

RULE = Rule(
    id="FS015",
    name="table-columns",
    category=Category.FITS,
    severity=Severity.ERROR,
    summary="TFORMn is invalid, or the column widths do not add up to NAXIS1 (or TBCOLn is outside the row).",
    hint="Write the table with a FITS library, which computes TFORMn, TBCOLn and NAXIS1.",
    source="FITS Standard 4.0, sec. 7.2 and 7.3",
)

_BIN_FORM = re.compile(r"\s*([0-9]*)([LXBIJKAEDCMPQ])(.*)\Z")
_ASCII_FORM = re.compile(r"\s*([AI][0-9]+|[FED][0-9]+\.[0-9]+)\s*\Z")
_SIZES = {"L": 1, "B": 1, "I": 2, "J": 4, "K": 8, "A": 1, "E": 4, "D": 8, "C": 8, "M": 16, "P": 8, "Q": 16}


def _width(repeat: int, code: str) -> int:
    if code == "X":
        return (repeat + 7) // 8
    if code in "PQ":
        return _SIZES[code] * min(repeat, 1)
    return _SIZES[code] * repeat


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        h = hdu.header
        n = h.get("TFIELDS")
        naxis1 = h.get("NAXIS1")
        if not hdu.is_table or not is_int(n) or not is_int(naxis1):
            continue
        total = 0
        complete = True
        for i in range(1, n + 1):
            form = h.get(f"TFORM{i}")
            if not isinstance(form, str):
                complete = False
                continue
            if hdu.kind == "bintable":
                m = _BIN_FORM.match(form)
                if not m:
                    complete = False
                    yield RULE.finding(f"TFORM{i} = '{form}' is not a valid binary-table format", hdu=hdu.index, keyword=f"TFORM{i}")
                    continue
                total += _width(int(m.group(1)) if m.group(1) else 1, m.group(2))
            else:
                if not _ASCII_FORM.match(form):
                    yield RULE.finding(f"TFORM{i} = '{form}' is not a valid ASCII-table format", hdu=hdu.index, keyword=f"TFORM{i}")
                tbcol = h.get(f"TBCOL{i}")
                if is_int(tbcol) and not 1 <= tbcol <= naxis1:
                    yield RULE.finding(f"TBCOL{i} = {tbcol} is outside the row (NAXIS1 = {naxis1})", hdu=hdu.index, keyword=f"TBCOL{i}")
        if hdu.kind == "bintable" and complete and total != naxis1:
            yield RULE.finding(
                f"the columns' TFORMn add up to {total} bytes per row but NAXIS1 = {naxis1}",
                hdu=hdu.index,
                keyword="NAXIS1",
            )
