"""A mandatory keyword (SIMPLE, BITPIX, NAXIS, NAXISn, XTENSION, PCOUNT, GCOUNT, TFIELDS,
TFORMn, TBCOLn) is missing, misplaced, repeated, not in fixed format or has a wrong
value.

*Why:* every header must begin with its structural keywords in a fixed order:
``SIMPLE BITPIX NAXIS NAXISn`` in the primary HDU; ``XTENSION BITPIX NAXIS
NAXISn PCOUNT GCOUNT`` in an extension (``TFIELDS`` next in tables), with
values of fixed types and ranges, written in *fixed format* (integers right-
justified to column 30, ``T``/``F`` in column 30, ``XTENSION`` as one of the
registered names padded to 8 characters and starting in column 11).  Tables
also need ``TFORMn`` (and ``TBCOLn`` in ASCII tables) for every column.  None
of these keywords may appear twice, no ``NAXISn`` may exceed ``NAXIS``, and
``EXTEND = F`` contradicts a file that has extensions.  Readers compute the
data size from these keywords, so an error here corrupts everything after it.

This follows fitsverify (HEASARC) error for error, with one deliberate
difference: ``SIMPLE = F`` is an error here (fitsverify only warns that the
file "may not conform"): a file that declares itself non-standard cannot be
archived as FITS.

*How to fix:* Let a FITS library write the structural keywords; do not copy them between
headers by hand.

Write the file with a FITS library instead of assembling headers by hand; if a pipeline
copies header cards between files, let it skip the structural ones.

*Example:* fails::

    SIMPLE  =                    T
    NAXIS   =                    0   (card 2)
    BITPIX  =                   16   (card 3)

fixed::

    SIMPLE  =                    T
    BITPIX  =                   16
    NAXIS   =                    0
"""

import re

from hlsp.fits import Card
from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._util import is_int

RULE = Rule(
    id="FS006",
    name="mandatory-keywords",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 4.1.2.3, 4.4.1, 7 and 8 (fitsverify errors)",
)

_BITPIX = (8, 16, 32, 64, -32, -64)
# the registered extension types, as fitsverify accepts them
_XTENSIONS = ("IMAGE", "BINTABLE", "TABLE", "A3DTABLE", "IUEIMAGE", "FOREIGN", "DUMP")
_NAXISN = re.compile(r"NAXIS([0-9]+)\Z")


def _sequence(hdu: HduView) -> list[tuple[str, object, str, str]]:
    """(keyword, test, expectation, fixed format) in the mandatory order."""
    naxis = hdu.get("NAXIS")
    naxis = naxis if is_int(naxis) and 0 <= naxis <= 999 else None
    primary = hdu.index == 0
    kind = hdu.kind
    seq: list[tuple[str, object, str, str]] = []
    if primary:
        seq.append(("SIMPLE", lambda v: v is True, "T", "logical"))
    else:
        seq.append(
            ("XTENSION", lambda v: isinstance(v, str), "a registered extension type such as 'IMAGE'", "xtension")
        )
    table = kind in ("bintable", "table")
    if table:
        seq.append(("BITPIX", lambda v: v == 8, "8 in a table", "integer"))
        seq.append(("NAXIS", lambda v: v == 2, "2 in a table", "integer"))
    else:
        seq.append(("BITPIX", lambda v: v in _BITPIX and is_int(v), "one of 8, 16, 32, 64, -32, -64", "integer"))
        seq.append(("NAXIS", lambda v: is_int(v) and 0 <= v <= 999, "an integer from 0 to 999", "integer"))
    if naxis is not None:
        for i in range(1, naxis + 1):
            seq.append((f"NAXIS{i}", lambda v: is_int(v) and v >= 0, "a non-negative integer", "integer"))
    if not primary:
        if kind in ("image", "table"):
            seq.append(("PCOUNT", lambda v: v == 0, "0", "integer"))
        else:
            seq.append(("PCOUNT", lambda v: is_int(v) and v >= 0, "a non-negative integer", "integer"))
        seq.append(("GCOUNT", lambda v: v == 1 if kind != "unknown" else is_int(v) and v >= 1, "1", "integer"))
        if table:
            seq.append(("TFIELDS", lambda v: is_int(v) and 0 <= v <= 999, "an integer from 0 to 999", "integer"))
    return seq


def fixed_format_problem(card: Card, form: str) -> str | None:
    """Why ``card`` is not in the FITS fixed format ``form``, or None."""
    raw = card.raw
    if form == "integer":  # right-justified: the last digit in column 30
        i = 10
        while i < 80 and raw[i] == " ":
            i += 1
        if i < 80 and raw[i] in "+-":
            i += 1
        while i < 80 and raw[i].isdigit():
            i += 1
        return None if i == 30 else "the integer must end in column 30 (fixed format)"
    if form == "logical":
        rest = raw[10:30]
        return (
            None if rest.strip() in ("T", "F") and rest[-1] in "TF" else "T or F must stand in column 30 (fixed format)"
        )
    if form == "xtension":
        name = raw[11:19].rstrip()
        if raw[10] == "'" and raw[19:20] == "'" and name in _XTENSIONS and raw[11:19] == name.ljust(8):
            return None
        value = card.value if isinstance(card.value, str) else card.value_text
        if value.strip() not in _XTENSIONS:
            return f"'{value}' is not a registered extension type ({', '.join(_XTENSIONS)})"
        return "the value must be written 'NAME    ' from column 11, padded to 8 characters (fixed format)"
    return None


@RULE.check_hdu
def check(hdu: HduView):
    """The findings of one HDU."""
    several = hdu.hdu_count > 1
    layout = hdu.layout
    missing = 0  # a missing keyword moves the ones after it up: not reported again as misplaced
    for pos, (kw, test, expect, form) in enumerate(_sequence(hdu)):
        card = hdu.card(kw)
        if card is None or not card.has_value:
            yield RULE.finding(
                f"mandatory keyword {kw} is missing (expected as card {pos + 1})", hdu=hdu.index, keyword=kw
            )
            missing += 1
            continue
        if card.index not in (pos + 1, pos + 1 - missing):
            found = layout[pos] if pos < len(layout) else "nothing"
            yield RULE.finding(
                f"{kw} must be card {pos + 1} but is card {card.index} (card {pos + 1} is {found or 'blank'})",
                hdu=hdu.index,
                keyword=kw,
            )
        if card.vtype == "invalid":
            continue  # FS007 reports the syntax
        if not test(card.value):
            yield RULE.finding(f"{kw} = {card.value_text or 'nothing'}: expected {expect}", hdu=hdu.index, keyword=kw)
            continue
        problem = fixed_format_problem(card, form)
        if problem:
            yield RULE.finding(f"card {card.index}: {kw}: {problem}", hdu=hdu.index, keyword=kw)
    yield from _repeated(hdu)
    if hdu.kind in ("bintable", "table"):
        yield from _columns(hdu)
    if hdu.kind == "groups":
        card = hdu.card("GROUPS")
        if card is not None and fixed_format_problem(card, "logical"):
            yield RULE.finding(
                f"card {card.index}: GROUPS: T must stand in column 30 (fixed format)", hdu=0, keyword="GROUPS"
            )
    if hdu.index == 0 and hdu.kind != "groups" and hdu.get("EXTEND") is False and several:
        yield RULE.finding("EXTEND = F but the file has extensions", hdu=0, keyword="EXTEND")


def _naxis_number(kw: str) -> int | None:
    """n of an ``NAXISn`` keyword, else None."""
    m = _NAXISN.match(kw)
    return int(m.group(1)) if m else None


def _repeated(hdu: HduView):
    """Structural keywords must appear once; NAXISn only for n <= NAXIS."""
    naxis = hdu.get("NAXIS")
    naxis = naxis if is_int(naxis) else None
    own = ("SIMPLE", "BITPIX", "NAXIS") if hdu.index == 0 else ("XTENSION", "BITPIX", "NAXIS")
    seen: set[str] = set()
    for pos, kw in enumerate(hdu.layout):
        if kw not in ("SIMPLE", "XTENSION", "BITPIX", "NAXIS") and not kw.startswith("NAXIS"):
            continue
        n = _naxis_number(kw)
        if n is not None or kw in own:
            if kw in seen:
                yield RULE.finding(f"card {pos + 1}: {kw} appears a second time", hdu=hdu.index, keyword=kw)
            seen.add(kw)
        if n is not None and naxis is not None and n > naxis:
            yield RULE.finding(f"card {pos + 1}: {kw} is not allowed with NAXIS = {naxis}", hdu=hdu.index, keyword=kw)


def _columns(hdu: HduView):
    n = hdu.get("TFIELDS")
    if not (is_int(n) and 0 <= n <= 999):
        return
    needed = ("TFORM", "TBCOL") if hdu.kind == "table" else ("TFORM",)
    for i in range(1, n + 1):
        for prefix in needed:
            card = hdu.card(f"{prefix}{i}")
            if card is None or not card.has_value:
                yield RULE.finding(
                    f"column {i} has no {prefix}{i} (TFIELDS = {n})", hdu=hdu.index, keyword=f"{prefix}{i}"
                )
            elif prefix == "TBCOL" and is_int(card.value) and fixed_format_problem(card, "integer"):
                yield RULE.finding(
                    f"card {card.index}: TBCOL{i}: the integer must end in column 30 (fixed format)",
                    hdu=hdu.index,
                    keyword=f"TBCOL{i}",
                )
