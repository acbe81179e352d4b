"""A keyword is repeated in the same header.

*Why:* readers disagree on which copy counts (astropy takes the first,
others the last), so the archive may ingest a different value than the one
you meant.  fitsverify warns about it too.

*How to fix:* Keep one card per keyword; delete or rename the duplicate.

*Example:* fails::

    EXPTIME =                300.0
    EXPTIME =                250.0   (later in the same header)

fixed::

    EXPTIME =                300.0
"""

from collections import Counter

from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity

RULE = Rule(
    id="FS011",
    name="duplicate-keywords",
    category=Category.FITS,
    severity=Severity.WARNING,
    source="FITS Standard 4.0, sec. 4.4.2 (fitsverify warning)",
)

_REPEATABLE = frozenset({"COMMENT", "HISTORY", "", "CONTINUE"})


@RULE.check_hdu
def check(hdu: HduView):
    counts = Counter(hdu.layout)
    first: dict[str, int] = {}
    for card in hdu.cards_where(lambda kw: counts[kw] > 1 and kw not in _REPEATABLE):
        kw = card.keyword
        if not card.has_value:
            continue
        if kw in first:
            yield RULE.finding(
                f"{kw} appears in card {first[kw]} and again in card {card.index}", hdu=hdu.index, keyword=kw
            )
        else:
            first[kw] = card.index
