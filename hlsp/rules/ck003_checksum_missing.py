"""An HDU has no CHECKSUM keyword.

*Why:* without checksums neither the archive nor a user can tell a damaged
copy from the original.  MAST and ESO Phase 3 ask for ``CHECKSUM`` and
``DATASUM`` in every HDU.  Not an error: many valid products lack them.

*How to fix:* Write checksums when saving (astropy writeto(..., checksum=True)) or run
`hlsp fix --write`.

*Example (checksum cards):* fails::

    (no CHECKSUM and no DATASUM card in any HDU)

fixed::

    hlsp fix --write contributions/example   (writes CHECKSUM and DATASUM into every HDU)
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="CK003",
    name="checksum-missing",
    category=Category.CHECKSUM,
    severity=Severity.WARNING,
    source="FITS Checksum Convention 1.0; ESO Phase 3; HLSP-RULES sec. 4",
)


@RULE.check
def check(ctx: FileContext):
    missing = [hdu.index for hdu in ctx.hdus() if hdu.checksum_status[0] == "missing"]
    if missing and len(missing) == len(ctx.fits.hdus):
        yield RULE.finding("no HDU has a CHECKSUM keyword", hdu=None, keyword="CHECKSUM")
    else:
        for i in missing:
            yield RULE.finding("this HDU has no CHECKSUM keyword", hdu=i, keyword="CHECKSUM")
