"""A keyword value is not valid FITS value syntax.

*Why:* after ``= `` a value must be a quoted string, T or F, an integer, a
floating-point number, a complex pair, or nothing.  Unquoted text, a string
without its closing quote or text after the closing quote is read differently
(or not at all) by different readers.

*How to fix:* quote strings (``OBJECT = 'M31'``), write numbers without units
(put the unit in the comment or in a unit keyword), and rewrite the card with
a FITS library.

Like fitsverify, a lower-case exponent (``1.5e3``) is an error: the standard
requires ``E`` or ``D``.  Deliberately stricter than fitsverify, the values of
``HIERARCH`` and ``CONTINUE`` cards are checked too (fitsverify reads them as
commentary unless run with ``-H``).
"""

import re

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS007",
    name="value-syntax",
    category=Category.FITS,
    severity=Severity.ERROR,
    summary="A keyword value is not a valid FITS string, logical, integer, float or complex value.",
    hint="Quote string values and write numbers without units; rewrite the card with a FITS library.",
    source="FITS Standard 4.0, sec. 4.2 (fitsverify errors)",
)

_LOWER_EXPONENT = re.compile(r"[0-9.][ed][+-]?[0-9]")


@RULE.check
def check(ctx: FileContext):
    search = _LOWER_EXPONENT.search
    for hdu in ctx.hdus():
        for card in hdu.header.cards:
            vtype = card.vtype
            if vtype == "invalid":
                yield RULE.finding(f"card {card.index}: {card.error}", hdu=hdu.index, keyword=card.keyword)
            # the value is part of columns 11-80: searching them first spares cutting it out of most cards
            elif (vtype == "float" or vtype == "complex") and search(card.raw, 10) and search(card.value_text):
                yield RULE.finding(
                    f"card {card.index}: the exponent of {card.value_text!r} must be upper-case E or D",
                    hdu=hdu.index,
                    keyword=card.keyword,
                )
