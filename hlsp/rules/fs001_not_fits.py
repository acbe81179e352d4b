"""The file is empty or does not start with SIMPLE = T.

*Why:* a file named ``.fits`` that is empty, or whose first card is not
``SIMPLE = T`` (an HTML error page saved by a download script, a text file, a
file of another format), cannot be read by any FITS reader, and the archive
rejects it.

*How to fix:* Write the file with a FITS library (astropy.io.fits, fitsio), or give it a
non-FITS extension.

Regenerate the file with a FITS writer (astropy, fitsio, CFITSIO), or rename it if it is
not meant to be FITS.

*Example (file):* fails::

    <!DOCTYPE html> ...   (an HTML error page saved as .fits)

fixed::

    SIMPLE  =                    T / the first card of every FITS file
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS001",
    name="not-fits",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 3.3 and 4.4.1",
    scope="file",
)


@RULE.check
def check(ctx: FileContext):
    if ctx.fits is None or not ctx.fits.issues:
        return ()  # the common case: the reader noticed nothing
    return [RULE.finding(issue.message) for issue in ctx.fits.issues_of("not-fits")]
