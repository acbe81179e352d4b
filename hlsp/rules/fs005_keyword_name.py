"""A keyword name holds characters FITS does not allow.

*Why:* keyword names (columns 1-8) may contain only upper-case letters,
digits, hyphen and underscore, left-justified and padded with blanks.  Names
such as ``BEGIN MA`` or ``B+1ST`` are rejected by fitsverify and mangled by
readers.

*How to fix:* rename the keyword (e.g. ``B+1ST`` -> ``B_1ST``); for longer or
free-form names use the HIERARCH convention or a COMMENT card.
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.fitsfile import _KEYWORD_OK

RULE = Rule(
    id="FS005",
    name="keyword-name",
    category=Category.FITS,
    severity=Severity.ERROR,
    summary="A keyword name has characters other than A-Z, 0-9, '-' and '_' or embedded blanks.",
    hint="Rename the keyword using only A-Z, 0-9, '-' and '_', at most 8 characters.",
    source="FITS Standard 4.0, sec. 4.1.2.1",
)


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        for card in hdu.header.cards:
            name = card.raw[:8]
            if card.keyword.startswith("HIERARCH"):
                continue
            stripped = name.rstrip(" ")
            if _KEYWORD_OK.match(stripped):
                continue
            bad = next((c for c in stripped if not _KEYWORD_OK.match(c)), " ")
            yield RULE.finding(
                f"card {card.index}: keyword name {stripped!r} contains {bad!r}, which is not allowed",
                hdu=hdu.index,
                keyword=stripped,
            )
