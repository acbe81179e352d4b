"""A keyword is present with an undefined (null) value.

*Why:* a card ``KEY =`` with nothing after the value indicator is legal FITS
(an undefined value) but usually means a pipeline wrote a missing quantity;
fitsverify warns about it.  It is reported as information (deliberately milder
than fitsverify) so that a reviewer can see it without it drowning real
problems; reserved keywords without a value are errors (FS012).

*How to fix:* Give the keyword a value, or remove the card when the value is unknown.

*Example:* fails::

    AIRMASS =    (nothing after '= ')

fixed::

    AIRMASS =                 1.12
"""

from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity

RULE = Rule(
    id="FS016",
    name="null-value",
    category=Category.FITS,
    severity=Severity.INFO,
    source="FITS Standard 4.0, sec. 4.1.2.3 (fitsverify warning)",
)


@RULE.check_hdu
def check(hdu: HduView):
    for pos, vtype in enumerate(hdu.value_types()):
        if vtype == "undefined" and hdu.layout[pos] != "CONTINUE":
            kw = hdu.layout[pos]
            yield RULE.finding(f"card {pos + 1}: {kw} has no value", hdu=hdu.index, keyword=kw)
