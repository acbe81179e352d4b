"""A reserved keyword has a value of the wrong type, or no value.

*Why:* the FITS standard fixes the type of reserved keywords: ``TELESCOP``,
``INSTRUME``, ``OBJECT``, ``CREATOR``, every ``DATExxxx``, ``BUNIT``,
``CTYPEn``, ``RADESYS``, ``TTYPEn`` ... are strings; ``EXTVER``, ``BLANK``,
``WCSAXES``, ``TBCOLn`` integers; ``BSCALE``, ``EQUINOX``, ``CRVALn``,
``RESTFRQ`` ... numbers; ``EXTEND`` a logical.
``INSTRUME =`` with no value or ``EQUINOX = '2000'`` breaks every program
that reads them.  The keyword lists are the ones fitsverify checks (each such
case is a fitsverify error).

*How to fix:* write the value with its proper type (quote strings, do not quote
numbers); remove the card if the value is unknown.
"""

import functools
import re

from hlsp.fitsfile import HDU
from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import cards_where, is_int, is_number

RULE = Rule(
    id="FS012",
    name="reserved-value-type",
    category=Category.FITS,
    severity=Severity.ERROR,
    summary="A reserved keyword (TELESCOP, INSTRUME, DATE-OBS, BSCALE, CRVALn, TTYPEn ...) has a value of the wrong type or none.",
    hint="Write strings in quotes and numbers without quotes; remove the card if the value is unknown.",
    source="FITS Standard 4.0, sec. 4.4.2, 7, 8, 9 (fitsverify errors)",
)

# Indexed keywords are matched as fitsverify does: the prefix and then a digit.
_STRING = re.compile(
    r"(EXTNAME|ORIGIN|AUTHOR|CREATOR|REFERENC|TELESCOP|INSTRUME|OBSERVER|OBJECT)\Z"
    r"|DATE|RADESYS|RADECSYS|SPECSYS|SSYSOBS|SSYSSRC"
    r"|(CTYPE|CUNIT|PS|CNAME|TTYPE|TFORM|TUNIT|TDISP|TDIM|TCTYP|TCUNI|PTYPE)[0-9]"
)
_INT = re.compile(r"(EXTVER|EXTLEVEL|THEAP)\Z|WCSAXES|TBCOL[0-9]")
_NUMBER = re.compile(
    r"(EQUINOX|MJD-OBS|MJD-AVG|EPOCH)\Z"
    r"|RESTFRQ|RESTFREQ|RESTWAV|OBSGEO-[XYZ]|VELOSYS|ZSOURCE|VELANGL|LONPOLE|LATPOLE"
    r"|(CRPIX|CRVAL|CDELT|CROTA|CRDER|CSYER|PV|TSCAL|TZERO|TCRVL|TCDLT|TCRPX|TCROT|PSCAL|PZERO)[0-9]"
    r"|(PC|CD)[0-9]+_"
)
_COMMENTARY = frozenset({"COMMENT", "HISTORY", "", "CONTINUE"})
_LOGICAL = frozenset({"EXTEND", "BLOCKED"})
_ARRAY_STRING = frozenset({"BUNIT"})
_ARRAY_NUMBER = frozenset({"BSCALE", "BZERO", "DATAMAX", "DATAMIN"})


_WORDS = {"str": "a string", "int": "an integer", "number": "a number", "bool": "T or F"}


@functools.lru_cache(maxsize=4096)
def _reserved_type(kw: str) -> str | None:
    """The type ``kw`` must have, as a key of _WORDS; ``array-...`` only in images; None when not reserved.

    Cached: keywords recur in every header and the regular expressions are the cost.
    """
    if kw in _COMMENTARY or kw.startswith("HIERARCH"):
        return None
    if kw.startswith("TNULL") and kw[5:6].isdigit():
        return "tnull"
    if _STRING.match(kw):
        return "str"
    if _INT.match(kw):
        return "int"
    if _NUMBER.match(kw):
        return "number"
    if kw in _LOGICAL:
        return "bool"
    if kw in _ARRAY_STRING:
        return "array-str"
    if kw in _ARRAY_NUMBER:
        return "array-number"
    if kw == "BLANK":
        return "array-int"
    return None


def _expected(hdu: HDU, kw: str) -> tuple[str, str] | None:
    """(type, in words) that ``kw`` must have in ``hdu``, or None when it is not reserved."""
    kind = _reserved_type(kw)
    if kind is None:
        return None
    if kind == "tnull":
        kind = "str" if hdu.kind == "table" else "int"
    elif kind.startswith("array-"):
        if not hdu.is_image:  # in tables these are misplaced (FS008) whatever their type
            return None
        kind = kind[6:]
    return kind, _WORDS[kind]


def _ok(kind: str, card) -> bool:
    if kind == "str":
        return card.vtype == "str"
    if kind == "int":
        return is_int(card.value) and card.vtype == "int"
    if kind == "number":
        return is_number(card.value) and card.vtype in ("int", "float")
    return card.vtype == "bool"


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        for card in cards_where(hdu.header, _reserved_type):
            kw = card.keyword
            if card.vtype == "invalid":
                continue  # FS007 judges invalid syntax
            want = _expected(hdu, kw)
            if want is None or (card.has_value and _ok(want[0], card)):
                continue
            if not card.has_value:
                msg = f"card {card.index}: {kw} has no value indicator ('= ' in columns 9-10); expected {want[1]}"
            elif card.vtype == "undefined":
                msg = f"card {card.index}: {kw} has a null value; expected {want[1]}"
            else:
                msg = f"card {card.index}: {kw} = {card.value_text}: expected {want[1]}"
            yield RULE.finding(msg, hdu=hdu.index, keyword=kw)
