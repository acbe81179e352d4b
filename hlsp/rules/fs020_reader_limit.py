"""The file goes past a bound of the reader (inflated size, header cards, HDUs, row
length); it was not fully checked.

*Why:* validation runs on files anyone can submit, so the reader bounds what
one file may cost (``docs/limits.md``): the bytes a ``.gz``/``.bz2`` file may
inflate to (relative to its size and absolute: a few KB that inflate to
terabytes are a decompression bomb), the header cards kept for one file, the
number of HDUs, and the length of a table row kept whole.  A file past one of
them is not read further: what comes after is not checked, so the file cannot
be accepted as it is.  An ASCII table whose rows are longer than the row
buffer is read, but its fields are not checked (a warning).

*How to fix:* Check the file is what you meant to deliver; split it, or ask the archive
to raise the bound (docs/limits.md).

A real product does not come near these bounds: check that the file is what you meant to
deliver (a header of hundreds of thousands of cards, tens of thousands of HDUs or a file
that compresses a thousand times are almost always a bug in the writing code). If it is
right, split it into several products, or ask the archive to raise the bound (the
``HLSP_*`` settings of ``docs/limits.md``).

*Example (file):* fails::

    hlsp_..._img.fits.gz: 40 KB that inflate to 2 TB (a decompression bomb)

fixed::

    the product as delivered by the pipeline: hlsp_..._img.fits, or its honest .gz
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS020",
    name="reader-limit",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="hlsp limits (docs/limits.md); issue 17",
    scope="file",
)


@RULE.check
def check(ctx: FileContext):
    if ctx.fits is None or not ctx.fits.issues:
        return ()
    return [
        RULE.finding(issue.message, hdu=issue.hdu, severity=Severity.WARNING if issue.code == "row-limit" else None)
        for issue in ctx.fits.issues_of("limit", "row-limit")
    ]
