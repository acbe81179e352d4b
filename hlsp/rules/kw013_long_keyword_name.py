"""A keyword name is longer than 8 characters (a HIERARCH card).

FITS keyword names have at most 8 characters.  Longer names are written as
``HIERARCH`` cards -- astropy does so silently when a program sets
``header['EXPOSURE_TIME'] = ...``.  Checked in every FITS file.

*Why:* the archive's keyword mapping, fitsverify-style tools and many readers
ignore HIERARCH cards (or show them under a different name), so the value is
lost for the archive.

*How to fix:* Use a keyword name of at most 8 characters; astropy writes HIERARCH for
longer ones.

Use a standard name of at most 8 characters (``XPOSURE``, ``FILTER01``) and explain it
in the comment.

*Example:* fails::

    HIERARCH EXPOSURE_TIME = 300.0

fixed::

    XPOSURE =                300.0 / [s] exposure time
"""

from hlsp.judge import FileView
from hlsp.rules._base import Category, Rule, Severity

RULE = Rule(
    id="KW013",
    name="long-keyword-name",
    category=Category.KEYWORDS,
    severity=Severity.WARNING,
    source="FITS Standard 4.0 sec. 4.1.2.1; ESO HIERARCH convention; HLSP-RULES sec. 3",
)

MAX_SHOWN = 10  # per file; the rest are summarised in one finding


def _is_hierarch(keyword: str) -> bool:
    return keyword.startswith("HIERARCH")


@RULE.check_headers
def check(file: FileView):
    shown = 0
    rest = 0
    for hdu in file.hdus:
        for card in hdu.cards_where(_is_hierarch):
            if shown >= MAX_SHOWN:
                rest += 1
                continue
            shown += 1
            name = card.keyword[len("HIERARCH") :].strip() or "(no name)"
            yield RULE.finding(
                f"card {card.index}: HIERARCH keyword '{name}' is longer than 8 characters",
                hdu=hdu.index,
                keyword=card.keyword,
            )
    if rest:
        yield RULE.finding(f"{rest} more HIERARCH cards in this file")
