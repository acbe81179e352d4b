"""The file ends before the data its headers declare (truncated file).

*Why:* each header declares the size of its data (BITPIX, NAXISn, PCOUNT,
GCOUNT); a file that ends early was cut by an interrupted copy or upload and
has lost data.  Every FITS file is also a whole number of 2880-byte blocks.

*How to fix:* Copy or regenerate the file; compare its size and sha256 with the
original.

*Example (file):* fails::

    NAXIS1  = 2048, NAXIS2 = 2048, BITPIX = -32, but the file ends after 1 MB

fixed::

    the whole 16 MB data unit, padded to a multiple of 2880 bytes
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS002",
    name="truncated",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 3.3.1 and 4.4.1.1",
)


@RULE.check
def check(ctx: FileContext):
    if not ctx.fits.issues:
        return ()  # the common case: the reader noticed nothing
    return [RULE.finding(issue.message, hdu=issue.hdu) for issue in ctx.fits.issues_of("truncated")]
