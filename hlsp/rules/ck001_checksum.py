"""CHECKSUM is present but the HDU's bytes do not sum to it.

*Why:* ``CHECKSUM`` makes the ones'-complement sum of the whole HDU (header
and data) come out as -0; a mismatch means the bytes changed after the
checksum was written -- a damaged copy, or a header edited without updating
it.  The sum is computed here on the raw bytes, so (unlike astropy) a file
with non-standard cards or without ``DATASUM`` is not wrongly failed.
A mismatch is an error here; fitsverify only warns about it (and ``-e``
hides it), but an archive must not accept bytes that changed in transit.

*How to fix:* Re-copy the file if it was damaged; if you edited the header on purpose,
rewrite the checksums (hlsp fix --write).

If the file is intact, rewrite the checksums (``hlsp fix --write``, or
``astropy.io.fits`` ``writeto(..., checksum=True)``); otherwise copy the file again from
its source.

*Example (checksum cards):* fails::

    OBJECT  = 'NGC 1234'   (edited by hand after the checksums were written)
    CHECKSUM= 'Ua9dXZ9cUa9cUZ9c'   (the sum of the header before the edit)

fixed::

    hlsp fix --write contributions/example   (writes CHECKSUM anew over the edited header)
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="CK001",
    name="checksum-mismatch",
    category=Category.CHECKSUM,
    severity=Severity.ERROR,
    source="FITS Checksum Convention 1.0 (Seaman et al.); HLSP-RULES sec. 4",
)


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        if hdu.checksum_status[0] == "bad":
            card = hdu.header.card("CHECKSUM")
            yield RULE.finding(
                f"CHECKSUM = '{card.value}' does not match the HDU's bytes", hdu=hdu.index, keyword="CHECKSUM"
            )
