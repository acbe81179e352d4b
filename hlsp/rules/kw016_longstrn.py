"""CONTINUE cards are used but LONGSTRN is missing from the primary header.

The long-string convention continues a string value ending in ``&`` on
``CONTINUE`` cards.  A file that uses it should say so with
``LONGSTRN = 'OGIP 1.0'`` in the primary header (fitsverify warns as well).
Reported once per file, at the first HDU that uses CONTINUE.

*Why:* readers that do not know the convention show only the first part of
the value; ``LONGSTRN`` tells them to look further.

*How to fix:* Add LONGSTRN = 'OGIP 1.0' to the primary header (`hlsp fix --write` does).

Add ``LONGSTRN = 'OGIP 1.0'`` to the primary header (astropy: ``header['LONGSTRN'] =
'OGIP 1.0'``).

*Example:* fails::

    HISTORY = ...  (no LONGSTRN)
    COMMENT ...
    ABSTRACT= 'A long text that goes on &'
    CONTINUE  'and on.'

fixed::

    LONGSTRN= 'OGIP 1.0'   (in the primary header)
"""

from hlsp.judge import FileView
from hlsp.rules._base import Category, Rule, Severity

RULE = Rule(
    id="KW016",
    name="longstrn",
    category=Category.KEYWORDS,
    severity=Severity.WARNING,
    source="FITS Standard 4.0 sec. 4.2.1.2 and appendix; HEASARC long-string convention (fitsverify warning)",
)


def _is_continue(keyword: str) -> bool:
    return keyword == "CONTINUE"


@RULE.check_headers
def check(file: FileView):
    if not file.hdus or "LONGSTRN" in file.hdus[0]:
        return
    for hdu in file.hdus:
        continued = hdu.positions_where(_is_continue)
        if continued:
            yield RULE.finding(
                f"card {continued[0] + 1} is a CONTINUE card but the primary header has no LONGSTRN keyword",
                hdu=hdu.index,
                keyword="LONGSTRN",
            )
            return
