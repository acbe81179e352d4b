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
"""

import functools
import re

from hlsp.fitsfile import HDU, Card
from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import cards_where, is_int

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


def _sequence(hdu: HDU) -> tuple[tuple[str, object, str, str], ...]:
    """(keyword, test, expectation, fixed format) in the mandatory order."""
    naxis = hdu.header.get("NAXIS")
    return _sequence_of(hdu.index == 0, hdu.kind, naxis if is_int(naxis) and 0 <= naxis <= 999 else None)


@functools.lru_cache(maxsize=256)
def _sequence_of(primary: bool, kind: str, naxis: int | None) -> tuple[tuple[str, object, str, str], ...]:
    """:func:`_sequence` of an HDU (cached: headers differ in few of these facts)."""
    seq: list[tuple[str, object, str, str]] = []
    if primary:
        seq.append(("SIMPLE", lambda v: v is True, "T", "logical"))
    else:
        seq.append(("XTENSION", lambda v: isinstance(v, str), "a registered extension type such as 'IMAGE'", "xtension"))
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
    return tuple(seq)


@functools.lru_cache(maxsize=4096)
def _number_format_problem(raw: str, form: str) -> str | None:
    """:func:`fixed_format_problem` of an ``integer`` or ``logical`` card (cached: the same cards recur)."""
    if form == "integer":  # right-justified: the last digit in column 30
        i = 10
        while i < 80 and raw[i] == " ":
            i += 1
        if i < 80 and raw[i] in "+-":
            i += 1
        while i < 80 and raw[i].isdigit():
            i += 1
        return None if i == 30 else "the integer must end in column 30 (fixed format)"
    rest = raw[10:30]
    return None if rest.strip() in ("T", "F") and rest[-1] in "TF" else "T or F must stand in column 30 (fixed format)"


def fixed_format_problem(card: Card, form: str) -> str | None:
    """Why ``card`` is not in the FITS fixed format ``form``, or None."""
    if form in ("integer", "logical"):
        return _number_format_problem(card.raw, form)
    raw = card.raw
    if form == "xtension":
        name = raw[11:19].rstrip()
        if raw[10] == "'" and raw[19:20] == "'" and name in _XTENSIONS and raw[11:19] == name.ljust(8):
            return None
        value = card.value if isinstance(card.value, str) else card.value_text
        if value.strip() not in _XTENSIONS:
            return f"'{value}' is not a registered extension type ({', '.join(_XTENSIONS)})"
        return "the value must be written 'NAME    ' from column 11, padded to 8 characters (fixed format)"
    return None


@RULE.check
def check(ctx: FileContext):
    several = len(ctx.fits.hdus) > 1
    found: list = []
    for hdu in ctx.hdus():
        h = hdu.header
        # The verdict depends only on these (each card is parsed from its position and text alone),
        # and the HDUs of a delivery repeat them: judged once per distinct key.
        key = (hdu.index, hdu.kind, several, h.layout, tuple([c.raw for c in cards_where(h, _judged)]))
        verdict = _VERDICTS.get(key)
        if verdict is None:
            if len(_VERDICTS) >= 4096:
                _VERDICTS.clear()
            verdict = _VERDICTS[key] = tuple(_check_hdu(hdu, several))
        found += verdict
    return found


_VERDICTS: dict[tuple, tuple] = {}  # check()'s memo (bounded)
_JUDGED = re.compile(r"(?:SIMPLE|XTENSION|BITPIX|NAXIS|PCOUNT|GCOUNT|TFIELDS|GROUPS|EXTEND|(?:NAXIS|TFORM|TBCOL)[0-9]+)\Z")


def _judged(kw: str) -> bool:
    """The keywords whose cards :func:`_check_hdu` reads (all others only by their position)."""
    return _JUDGED.match(kw) is not None


def _check_hdu(hdu: HDU, several: bool):
    """The findings of one HDU; ``several``: the file has extensions."""
    h = hdu.header
    cards = h.cards
    missing = 0  # a missing keyword moves the ones after it up: not reported again as misplaced
    for pos, (kw, test, expect, form) in enumerate(_sequence(hdu)):
        card = h.card(kw)
        if card is None or not card.has_value:
            yield RULE.finding(f"mandatory keyword {kw} is missing (expected as card {pos + 1})", hdu=hdu.index, keyword=kw)
            missing += 1
            continue
        if card.index not in (pos + 1, pos + 1 - missing):
            found = cards[pos].keyword if pos < len(cards) else "nothing"
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
        card = h.card("GROUPS")
        if card is not None and fixed_format_problem(card, "logical"):
            yield RULE.finding(f"card {card.index}: GROUPS: T must stand in column 30 (fixed format)", hdu=0, keyword="GROUPS")
    if hdu.index == 0 and hdu.kind != "groups" and h.get("EXTEND") is False and several:
        yield RULE.finding("EXTEND = F but the file has extensions", hdu=0, keyword="EXTEND")


@functools.lru_cache(maxsize=4096)
def _naxis_number(kw: str) -> int | None:
    """n of an ``NAXISn`` keyword, else None (cached: asked for every card)."""
    m = _NAXISN.match(kw)
    return int(m.group(1)) if m else None


def _structural(kw: str) -> bool:
    """Keywords that may appear only once (``_repeated`` looks at no others)."""
    return kw in ("SIMPLE", "XTENSION", "BITPIX", "NAXIS") or _naxis_number(kw) is not None


def _repeated(hdu: HDU):
    """Structural keywords must appear once; NAXISn only for n <= NAXIS."""
    naxis = hdu.header.get("NAXIS")
    cards = hdu.header.cards
    for pos, message in _repeated_in(hdu.header.layout, hdu.index == 0, naxis if is_int(naxis) else None):
        yield RULE.finding(message, hdu=hdu.index, keyword=cards[pos].keyword)


@functools.lru_cache(maxsize=1024)  # the distinct layouts of a delivery
def _repeated_in(layout: tuple[str, ...], primary: bool, naxis: int | None) -> tuple[tuple[int, str], ...]:
    """(position, message) of :func:`_repeated`: it depends only on the keywords, so once per layout."""
    own = ("SIMPLE", "BITPIX", "NAXIS") if primary else ("XTENSION", "BITPIX", "NAXIS")
    seen: set[str] = set()
    out = []
    for pos, kw in enumerate(layout):
        if not _structural(kw):
            continue
        n = _naxis_number(kw)
        if n is not None or kw in own:
            if kw in seen:
                out.append((pos, f"card {pos + 1}: {kw} appears a second time"))
            seen.add(kw)
        if n is not None and naxis is not None and n > naxis:
            out.append((pos, f"card {pos + 1}: {kw} is not allowed with NAXIS = {naxis}"))
    return tuple(out)


def _columns(hdu: HDU):
    h = hdu.header
    n = h.get("TFIELDS")
    if not (is_int(n) and 0 <= n <= 999):
        return
    needed = ("TFORM", "TBCOL") if hdu.kind == "table" else ("TFORM",)
    for i in range(1, n + 1):
        for prefix in needed:
            card = h.card(f"{prefix}{i}")
            if card is None or not card.has_value:
                yield RULE.finding(f"column {i} has no {prefix}{i} (TFIELDS = {n})", hdu=hdu.index, keyword=f"{prefix}{i}")
            elif prefix == "TBCOL" and is_int(card.value) and fixed_format_problem(card, "integer"):
                yield RULE.finding(
                    f"card {card.index}: TBCOL{i}: the integer must end in column 30 (fixed format)",
                    hdu=hdu.index,
                    keyword=f"TBCOL{i}",
                )
