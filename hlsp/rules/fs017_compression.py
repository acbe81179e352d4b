"""The gzip/bzip2 stream of a compressed FITS file is corrupt.

*Why:* the compressed stream could not be decompressed to the end (a cut
download, a damaged file); the HDUs after the damage are lost.

*How to fix:* Compress the original file again and check it with `gzip -t`.

Compress the original file again (``gzip -k file.fits``) and check that ``gzip -t``
passes.

*Example (file):* fails::

    hlsp_..._img.fits.gz: gzip: invalid compressed data--crc error

fixed::

    gzip -t hlsp_..._img.fits.gz   (no output: the stream is whole)
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS017",
    name="compression",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, appendix on compressed files; gzip RFC 1952",
    scope="file",
)


@RULE.check
def check(ctx: FileContext):
    if ctx.fits is None or not ctx.fits.issues:
        return ()  # the common case: the reader noticed nothing
    return [RULE.finding(issue.message, hdu=issue.hdu) for issue in ctx.fits.issues_of("compression-corrupt")]
