"""A reserved keyword has a value of the wrong type, or no value.

*Why:* the FITS standard fixes the type of reserved keywords: ``TELESCOP``,
``INSTRUME``, ``OBJECT``, ``DATE-OBS``, ``BUNIT``, ``CTYPEn``, ``TTYPEn`` ...
are strings; ``EXTVER``, ``BLANK``, ``TBCOLn`` integers; ``BSCALE``,
``EQUINOX``, ``CRVALn`` ... numbers.  ``INSTRUME =`` with no value or
``EXPTIME = '300'`` breaks every program that reads them (fitsverify error).

*How to fix:* write the value with its proper type (quote strings, do not quote
numbers); remove the card if the value is unknown.
"""

import re

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import is_int, is_number

RULE = Rule(
    id="FS012",
    name="reserved-value-type",
    category=Category.FITS,
    severity=Severity.ERROR,
    summary="A reserved keyword (TELESCOP, INSTRUME, BSCALE, CRVALn, TTYPEn ...) has a value of the wrong type or none.",
    hint="Write strings in quotes and numbers without quotes; remove the card if the value is unknown.",
    source="FITS Standard 4.0, sec. 4.4.2, 7, 8 (fitsverify errors)",
)

_STRING = re.compile(
    r"(XTENSION|EXTNAME|TELESCOP|INSTRUME|OBSERVER|OBJECT|ORIGIN|AUTHOR|REFERENC|DATE|DATE-OBS|BUNIT|"
    r"RADESYS|RADECSYS|TIMESYS|(CTYPE|CUNIT)[0-9]+[A-Z]?|(TTYPE|TFORM|TUNIT|TDISP|TDIM)[0-9]+)\Z"
)
_INT = re.compile(r"(EXTVER|EXTLEVEL|BLANK|THEAP|TBCOL[0-9]+|WCSAXES[A-Z]?)\Z")
_NUMBER = re.compile(
    r"(BSCALE|BZERO|EQUINOX[A-Z]?|EPOCH|DATAMAX|DATAMIN|MJD-OBS|(CRVAL|CRPIX|CDELT|CROTA)[0-9]+[A-Z]?|"
    r"(TSCAL|TZERO)[0-9]+|(PC|CD)[0-9]+_[0-9]+[A-Z]?)\Z"
)


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        for card in hdu.header.cards:
            if not card.has_value or card.vtype == "invalid":
                continue
            kw = card.keyword
            if _STRING.match(kw):
                expected, ok = "a string", card.vtype == "str"
            elif _INT.match(kw):
                expected, ok = "an integer", is_int(card.value)
            elif _NUMBER.match(kw):
                expected, ok = "a number", is_number(card.value)
            elif kw.startswith("TNULL") and kw[5:].isdigit():
                expected = "a string" if hdu.kind == "table" else "an integer"
                ok = card.vtype == "str" if hdu.kind == "table" else is_int(card.value)
            else:
                continue
            if ok:
                continue
            if card.vtype == "undefined":
                msg = f"card {card.index}: {kw} has a null value; expected {expected}"
            else:
                msg = f"card {card.index}: {kw} = {card.value_text}: expected {expected}"
            yield RULE.finding(msg, hdu=hdu.index, keyword=kw)
