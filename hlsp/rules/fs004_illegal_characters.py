"""A header card contains a byte outside printable ASCII (0x20-0x7E).

*Why:* FITS headers may contain only ASCII text characters 0x20-0x7E.  Tabs,
line feeds, NUL bytes and non-ASCII letters (an accented author name, a degree
sign) break other readers and make checksums computed by astropy disagree.

*How to fix:* Replace the character with plain ASCII text and rewrite the card.

Replace the character (``deg`` for the degree sign, plain ASCII letters for names) and
rewrite the card.

*Example:* fails::

    OBJECT  = 'NGC 1234 °'   (a degree sign: byte 0xB0)

fixed::

    OBJECT  = 'NGC 1234'
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS004",
    name="illegal-characters",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 4.1.1",
)


@RULE.check
def check(ctx: FileContext):
    if not ctx.fits.issues:
        return ()  # the common case: the reader noticed nothing
    return [
        RULE.finding(issue.message, hdu=issue.hdu, keyword=issue.keyword)
        for issue in ctx.fits.issues_of("illegal-char")
    ]
