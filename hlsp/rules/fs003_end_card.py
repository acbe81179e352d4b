"""A header has no END card, or the END card is not blank after END.

*Why:* the END keyword closes every header; without it a reader cannot tell
where the header ends and the data begin.  Columns 4-80 of the END card must
be blank.

*How to fix:* Rewrite the file with a FITS library; do not edit headers as text.

*Example (file):* fails::

    ... last keyword card, then blanks to the end of the block (no END)

fixed::

    END
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS003",
    name="end-card",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 4.4.1",
)


@RULE.check
def check(ctx: FileContext):
    if not ctx.fits.issues:
        return ()  # the common case: the reader noticed nothing
    return [
        RULE.finding(issue.message, hdu=issue.hdu, keyword="END") for issue in ctx.fits.issues_of("no-end", "end-card")
    ]
