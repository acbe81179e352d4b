"""A keyword is repeated in the same header.

*Why:* readers disagree on which copy counts (astropy takes the first,
others the last), so the archive may ingest a different value than the one
you meant.  fitsverify warns about it too.

*How to fix:* Keep one card per keyword; delete or rename the duplicate.

Keep one card per keyword; delete or rename the other.
"""

import functools
from collections import Counter

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS011",
    name="duplicate-keywords",
    category=Category.FITS,
    severity=Severity.WARNING,
    source="FITS Standard 4.0, sec. 4.4.2 (fitsverify warning)",
)

_REPEATABLE = frozenset({"COMMENT", "HISTORY", "", "CONTINUE"})


@functools.lru_cache(maxsize=1024)
def _candidates(layout: tuple[str, ...]) -> tuple[int, ...]:
    """Positions of the cards whose keyword occurs more than once (cached per header layout)."""
    counts = Counter(layout)
    return tuple(i for i, kw in enumerate(layout) if counts[kw] > 1 and kw not in _REPEATABLE)


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        first: dict[str, int] = {}
        cards = hdu.header.cards
        for card in (cards[i] for i in _candidates(hdu.header.layout)):
            kw = card.keyword
            if kw in _REPEATABLE or not card.has_value:
                continue
            if kw in first:
                yield RULE.finding(
                    f"{kw} appears in card {first[kw]} and again in card {card.index}",
                    hdu=hdu.index,
                    keyword=kw,
                )
            else:
                first[kw] = card.index
