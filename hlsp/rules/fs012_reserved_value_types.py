"""A reserved keyword (TELESCOP, INSTRUME, DATE-OBS, BSCALE, CRVALn, TTYPEn ...) has a
value of the wrong type or none.

*Why:* the FITS standard fixes the type of reserved keywords: ``TELESCOP``,
``INSTRUME``, ``OBJECT``, ``CREATOR``, every ``DATExxxx``, ``BUNIT``,
``CTYPEn``, ``RADESYS``, ``TTYPEn`` ... are strings; ``EXTVER``, ``BLANK``,
``WCSAXES``, ``TBCOLn`` integers; ``BSCALE``, ``EQUINOX``, ``CRVALn``,
``RESTFRQ`` ... numbers; ``EXTEND`` a logical.
``INSTRUME =`` with no value or ``EQUINOX = '2000'`` breaks every program
that reads them.  The keyword lists are the ones fitsverify checks (each such
case is a fitsverify error).

*How to fix:* Write strings in quotes and numbers without quotes; remove the card if the
value is unknown.

Write the value with its proper type (quote strings, do not quote numbers); remove the
card if the value is unknown.

*Example:* fails::

    INSTRUME=    (no value)
    EQUINOX = '2000'

fixed::

    INSTRUME= 'ACS     '
    EQUINOX =               2000.0
"""

import re

from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity

RULE = Rule(
    id="FS012",
    name="reserved-value-type",
    category=Category.FITS,
    severity=Severity.ERROR,
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


def _reserved_type(kw: str) -> str | None:
    """The type ``kw`` must have, as a key of _WORDS; ``array-...`` only in images; None when not reserved."""
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


def _expected(kind: str, want: str | None) -> tuple[str, str] | None:
    """(type, in words) that a keyword reserved as ``want`` (:func:`_reserved_type`) must have in
    an HDU of ``kind``, or None when it is not reserved."""
    if want is None:
        return None
    if want == "tnull":
        want = "str" if kind == "table" else "int"
    elif want.startswith("array-"):
        if kind not in ("primary", "image", "groups"):  # in tables these are misplaced (FS008) whatever their type
            return None
        want = want[6:]
    return want, _WORDS[want]


_OK_TYPES = {"str": ("str",), "int": ("int",), "number": ("int", "float"), "bool": ("bool",)}


@RULE.check_hdu
def check(hdu: HduView):
    # Whether a value has the right type follows from its value type alone (an
    # ``int`` card holds an int, a ``float`` card a float); invalid syntax is FS007's.
    vtypes = hdu.value_types()
    for pos, reserved in enumerate(hdu.keyword_facts(_reserved_type)):
        if reserved is None:
            continue
        want = _expected(hdu.kind, reserved)
        if want is None or vtypes[pos] == "invalid" or vtypes[pos] in _OK_TYPES[want[0]]:
            continue
        kw = hdu.layout[pos]
        words = want[1]
        card = hdu.card_at(pos)
        if not card.has_value:
            msg = f"card {card.index}: {kw} has no value indicator ('= ' in columns 9-10); expected {words}"
        elif card.vtype == "undefined":
            msg = f"card {card.index}: {kw} has a null value; expected {words}"
        else:
            msg = f"card {card.index}: {kw} = {card.value_text}: expected {words}"
        yield RULE.finding(msg, hdu=hdu.index, keyword=kw)
