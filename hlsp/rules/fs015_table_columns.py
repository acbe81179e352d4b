"""A table's TFORMn/TBCOLn/TDISPn/TDIMn/TNULLn/TSCALn/THEAP keywords are invalid, number a
column beyond TFIELDS, or do not add up to NAXIS1.

*Why:* a binary table row is the concatenation of its columns; the widths
given by ``TFORMn`` must add up to ``NAXIS1``, and each ``TFORMn`` must be a
valid upper-case data type (``rL X B I J K A E D C M P Q``).  ASCII tables
need ``TFORMn`` of type ``A I F E D`` and ``TBCOLn`` inside the row.  Column
keywords must not number a column beyond ``TFIELDS``; ``TSCALn`` does not
apply to character, logical or bit columns, ``TNULLn`` only to integer
columns of a binary table; ``THEAP`` needs a heap (``PCOUNT > 0``);
``TDISPn`` must be a display format that fits the column's type and
``TDIMn`` must describe exactly the column's elements.  Otherwise readers
misplace or misread the columns.  Each case is a fitsverify error; the checks
follow its rules.

The values inside the rows are checked by FS019.

*How to fix:* Write the table with a FITS library, which computes TFORMn, TBCOLn and
NAXIS1.

Write the table with a FITS library (astropy.table, fitsio), which computes these
keywords; drop display formats you did not mean to set.

*Example (file):* fails::

    TFIELDS =  2, TFORM1 = 'D', TFORM2 = 'E', NAXIS1 = 16   (8 + 4 = 12 bytes per row)

fixed::

    TFIELDS =  2, TFORM1 = 'D', TFORM2 = 'E', NAXIS1 = 12
"""

import re

from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._util import is_int
from hlsp.fits.tables import column_width

RULE = Rule(
    id="FS015",
    name="table-columns",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 7.2 and 7.3 (fitsverify errors)",
)

_BIN_FORM = re.compile(r"([0-9]*)([LXBIJKAEDCMPQ])(.*)\Z")
_ASCII_FORM = re.compile(r"([AI][0-9]+|[FED][0-9]+\.[0-9]+)\s*\Z")
_COLUMN_KEY = re.compile(
    r"(TTYPE|TFORM|TUNIT|TDISP|TNULL|TSCAL|TZERO|TDIM|TBCOL|TCTYP|TCUNI|TCRVL|TCDLT|TCRPX|TCROT)([0-9]+)"
)
_TFORM_CHARS = re.compile(r"[0-9A-Z.()]*\Z")
_NUMERIC = "EFCDMIJKBX"  # the TFORM codes a numeric display format may show


def _int_prefix(text: str) -> int:
    """The integer at the start of ``text`` (0 if none), like C's strtol."""
    m = re.match(r"[0-9]+", text)
    return int(m.group()) if m else 0


def tdisp_problem(tdisp: str, tform: str) -> str | None:
    """Why the display format ``tdisp`` is invalid for a column of format ``tform``."""
    code, rest = tdisp[:1], tdisp[1:]
    w = _int_prefix(rest)
    after_dot = rest.partition(".")[2]
    if code in ("A", "L"):
        if not w:
            return f"{tdisp!r} has no field width"
        if code not in tform:
            return f"{tdisp!r} cannot display a column of format {tform!r}"
        return None
    if code in ("I", "B", "O", "Z"):
        if not w or ("." in rest and _int_prefix(after_dot) > w):
            return f"{tdisp!r} is not a valid integer display format"
        return None if any(c in tform for c in "IJKBX") else f"{tdisp!r} cannot display a column of format {tform!r}"
    if code in ("F", "E", "D", "G"):
        if code in "ED" and rest[:1] in ("N", "S"):
            rest = rest[1:]
            w, after_dot = _int_prefix(rest), rest.partition(".")[2]
        d = _int_prefix(after_dot) if "." in rest else (-1 if code == "F" else 0)
        exp = _int_prefix(after_dot.partition("E")[2]) if "E" in after_dot else 2
        if code == "F":
            valid = w and d >= 0 and w >= d + 1
        elif code == "G":
            valid = w and d and exp
        else:
            valid = w and d and exp and w >= d + exp + 3
        if not valid:
            return f"{tdisp!r} is not a valid floating-point display format"
        if code != "G" and not any(c in tform for c in _NUMERIC):
            return f"{tdisp!r} cannot display a column of format {tform!r}"
        return None
    return f"{tdisp!r} is not a display format (A, L, I, B, O, Z, F, E, EN, ES, G or D)"


def tdim_problem(tdim: str, tform: str) -> str | None:
    """Why ``tdim`` does not describe a column of format ``tform``, or None."""
    m = re.fullmatch(r"\(([0-9 ,]*)\)\s*", tdim.strip()) if "(" in tdim else None
    if not m or not tdim.rstrip().endswith(")"):
        return f"{tdim!r} is not of the form (n1,n2,...)"
    dims = [int(x) for x in m.group(1).replace(" ", "").split(",") if x]
    fm = _BIN_FORM.match(tform.strip())
    if fm and fm.group(2) not in "PQ":
        repeat = int(fm.group(1)) if fm.group(1) else 1
        total = 1
        for n in dims:
            total *= n
        if total != repeat:
            return f"{tdim!r} holds {total} elements but TFORM {tform!r} has {repeat}"
    return None


@RULE.check_hdu
def check(hdu: HduView):
    if hdu.is_table:
        yield from _check_table(hdu)


def _binary_width(form: str) -> int | None:
    """Bytes per row of a binary-table column of format ``form``; None if the format is invalid."""
    m = _BIN_FORM.match(form)
    if not m or not _TFORM_CHARS.match(form.split(" ")[0]):
        return None
    return column_width(int(m.group(1)) if m.group(1) else 1, m.group(2))


def _check_table(hdu: HduView):
    h = hdu
    n = h.get("TFIELDS")
    naxis1 = h.get("NAXIS1")
    if not is_int(n) or not is_int(naxis1):
        return
    binary = hdu.kind == "bintable"
    forms: dict[int, str] = {}
    total = 0
    complete = True
    for i in range(1, n + 1):
        form = h.get(f"TFORM{i}")
        if not isinstance(form, str):
            complete = False
            continue
        forms[i] = form
        if binary:
            width = _binary_width(form)
            if width is None:
                complete = False
                yield RULE.finding(
                    f"TFORM{i} = '{form}' is not a valid binary-table format", hdu=hdu.index, keyword=f"TFORM{i}"
                )
                continue
            total += width
        else:
            if not _ASCII_FORM.match(form):
                yield RULE.finding(
                    f"TFORM{i} = '{form}' is not a valid ASCII-table format", hdu=hdu.index, keyword=f"TFORM{i}"
                )
            tbcol = h.get(f"TBCOL{i}")
            if is_int(tbcol) and not 1 <= tbcol <= naxis1:
                yield RULE.finding(
                    f"TBCOL{i} = {tbcol} is outside the row (NAXIS1 = {naxis1})", hdu=hdu.index, keyword=f"TBCOL{i}"
                )
    if binary and complete and total != naxis1:
        yield RULE.finding(
            f"the columns' TFORMn add up to {total} bytes per row but NAXIS1 = {naxis1}",
            hdu=hdu.index,
            keyword="NAXIS1",
        )
    yield from _column_keywords(hdu, n, forms)
    if binary and "THEAP" in h and h.get("PCOUNT") == 0:
        yield RULE.finding("THEAP is set but PCOUNT = 0: there is no heap", hdu=hdu.index, keyword="THEAP")


def _column_keywords(hdu: HduView, n: int, forms: dict[int, str]):
    binary = hdu.kind == "bintable"
    for pos, m in enumerate(hdu.keyword_facts(_COLUMN_KEY.match)):
        if not m:
            continue
        prefix, col = m.group(1), int(m.group(2))
        card = hdu.card_at(pos)
        if not card.has_value:
            continue
        kw = card.keyword
        if not 1 <= col <= n:
            yield RULE.finding(
                f"card {card.index}: {kw} names column {col} but TFIELDS = {n}", hdu=hdu.index, keyword=kw
            )
            continue
        form = forms.get(col, "")
        value = card.value if card.vtype == "str" else None
        if prefix in ("TFORM", "TDISP", "TDIM") and value is not None and value.startswith(" "):
            yield RULE.finding(f"card {card.index}: the value of {kw} starts with a blank", hdu=hdu.index, keyword=kw)
            continue
        problem = None
        if prefix == "TDISP" and value:
            problem = tdisp_problem(value, form)
        elif prefix == "TDIM" and value is not None and binary:
            problem = tdim_problem(value, form)
        elif prefix == "TSCAL" and any(c in form for c in ("ALX" if binary else "A")):
            problem = f"TSCAL{col} cannot scale a column of format {form!r}"
        elif prefix == "TZERO" and not binary and "A" in form:
            problem = f"TZERO{col} cannot offset a column of format {form!r}"
        elif prefix == "TNULL" and binary and not any(c in form for c in "BIJK"):
            problem = f"TNULL{col} applies to integer columns, not to format {form!r}"
        if problem:
            yield RULE.finding(f"card {card.index}: {problem}", hdu=hdu.index, keyword=kw)
