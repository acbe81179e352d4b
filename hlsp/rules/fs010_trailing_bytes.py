"""Bytes after the last HDU do not form a valid extension.

*Why:* a FITS file is a sequence of HDUs; anything after the last one (a
partial block, appended text, a second file concatenated by mistake) is
ignored by some readers and rejected by others.

*How to fix:* Rewrite the file with a FITS library or remove the extra bytes.

Rewrite the file with a FITS library, or cut it after the last HDU.

*Example (file):* fails::

    ... last HDU, then 100 bytes of a log message appended

fixed::

    the file ends with the last HDU's padded data unit
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS010",
    name="trailing-bytes",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 3.1",
)


@RULE.check
def check(ctx: FileContext):
    if not ctx.fits.issues:
        return ()  # the common case: the reader noticed nothing
    return [RULE.finding(issue.message) for issue in ctx.fits.issues_of("trailing-bytes")]
