"""A keyword is present with an undefined (null) value.

*Why:* a card ``KEY =`` with nothing after the value indicator is legal FITS
(an undefined value) but usually means a pipeline wrote a missing quantity;
fitsverify warns about it.  It is reported as information (deliberately milder
than fitsverify) so that a reviewer can see it without it drowning real
problems; reserved keywords without a value are errors (FS012).

*How to fix:* Give the keyword a value, or remove the card when the value is unknown.

Give the keyword a value, or remove the card if the quantity is unknown.
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import value_types

RULE = Rule(
    id="FS016",
    name="null-value",
    category=Category.FITS,
    severity=Severity.INFO,
    source="FITS Standard 4.0, sec. 4.1.2.3 (fitsverify warning)",
)


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        if "undefined" not in value_types(hdu.header):
            continue  # the common case, seen without a look at each card
        for card in hdu.header.cards:
            if card.vtype == "undefined" and card.keyword not in ("CONTINUE",):
                yield RULE.finding(f"card {card.index}: {card.keyword} has no value", hdu=hdu.index, keyword=card.keyword)
