"""A keyword value is not a valid FITS string, logical, integer, float or complex value.

*Why:* after ``= `` a value must be a quoted string, T or F, an integer, a
floating-point number, a complex pair, or nothing.  Unquoted text, a string
without its closing quote or text after the closing quote is read differently
(or not at all) by different readers.

*How to fix:* Quote string values and write numbers without units; rewrite the card with
a FITS library.

Quote strings (``OBJECT = 'M31'``), write numbers without units (put the unit in the
comment or in a unit keyword), and rewrite the card with a FITS library.

Like fitsverify, a lower-case exponent (``1.5e3``) is an error: the standard
requires ``E`` or ``D``.  Deliberately stricter than fitsverify, the values of
``HIERARCH`` and ``CONTINUE`` cards are checked too (fitsverify reads them as
commentary unless run with ``-H``).

*Example:* fails::

    EXPTIME = 300 s
    OBJECT  = M31

fixed::

    EXPTIME =                300.0 / [s]
    OBJECT  = 'M31     '
"""

import re

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS007",
    name="value-syntax",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 4.2 (fitsverify errors)",
)

_LOWER_EXPONENT = re.compile(r"[0-9.][ed][+-]?[0-9]")


_SUSPECT = frozenset({"invalid", "float", "complex"})


@RULE.check  # not a header check: the values read differ from file to file, so no reuse would pay
def check(ctx: FileContext):
    search = _LOWER_EXPONENT.search
    for hdu in ctx.hdus():
        for card in hdu.header.cards:
            if card.vtype not in _SUSPECT:
                continue  # invalid values, and numbers that may have a lower-case exponent
            if card.vtype == "invalid":
                yield RULE.finding(f"card {card.index}: {card.error}", hdu=hdu.index, keyword=card.keyword)
            # a lower-case exponent needs an "e" or a "d": looking for those is cheaper than the pattern
            elif ("e" in (text := card.value_text) or "d" in text) and search(text):
                yield RULE.finding(
                    f"card {card.index}: the exponent of {text!r} must be upper-case E or D",
                    hdu=hdu.index,
                    keyword=card.keyword,
                )
