"""A keyword name has characters other than A-Z, 0-9, '-' and '_' or embedded blanks.

*Why:* keyword names (columns 1-8) may contain only upper-case letters,
digits, hyphen and underscore, left-justified and padded with blanks.  Names
such as ``BEGIN MA`` or ``B+1ST`` are rejected by fitsverify and mangled by
readers.

*How to fix:* Rename the keyword using only A-Z, 0-9, '-' and '_', at most 8 characters.

Rename the keyword (e.g. ``B+1ST`` -> ``B_1ST``); for longer or free-form names use the
HIERARCH convention or a COMMENT card.

*Example:* fails::

    B+1ST   = 1.5

fixed::

    B_1ST   = 1.5
"""

from hlsp.fits.card import _KEYWORD_OK
from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity

RULE = Rule(
    id="FS005",
    name="keyword-name",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 4.1.2.1",
)


def _bad_name(name: str) -> tuple[str, str] | None:
    """(name, first bad character) when the 8-character ``name`` field is not a valid keyword, else None."""
    stripped = name.rstrip(" ")
    if _KEYWORD_OK.match(stripped):
        return None
    return stripped, next((c for c in stripped if not _KEYWORD_OK.match(c)), " ")


def _suspect(keyword: str) -> bool:
    return not _KEYWORD_OK.match(keyword)


@RULE.check_hdu
def check(hdu: HduView):
    # In a header of printable ASCII the keyword is the name field without
    # trailing blanks, so only keywords that fail the pattern need a look.
    cards = hdu.cards() if hdu.issues("illegal-char") else hdu.cards_where(_suspect)
    for card in cards:
        bad = _bad_name(card.raw[:8])
        if bad is None or card.keyword.startswith("HIERARCH"):
            continue
        stripped, char = bad
        yield RULE.finding(
            f"card {card.index}: keyword name {stripped!r} contains {char!r}, which is not allowed",
            hdu=hdu.index,
            keyword=stripped,
        )
