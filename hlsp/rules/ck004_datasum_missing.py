"""CHECKSUM is present and valid but DATASUM is missing.

*Why:* the HDU is still fully protected (CHECKSUM covers header and data),
so this is not a failure -- real TESS and K2 products look like this.  With
``DATASUM`` a reader can also verify the data alone after a header edit.
(astropy wrongly reports such HDUs as failing; this tool does not.)

*How to fix:* Optional: `hlsp fix --write` adds DATASUM.

Nothing is required; ``hlsp fix --write`` adds ``DATASUM``.

*Example (checksum cards):* fails::

    CHECKSUM= 'Ua9dXZ9cUa9cUZ9c'   (valid; no DATASUM card, as in many TESS products)

fixed::

    hlsp fix --write contributions/example   (adds DATASUM next to CHECKSUM)
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="CK004",
    name="datasum-missing",
    category=Category.CHECKSUM,
    severity=Severity.INFO,
    source="FITS Checksum Convention 1.0; HLSP-RULES sec. 4",
)


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        chk, dat = hdu.checksum_status
        if chk == "ok" and dat == "missing":
            yield RULE.finding("CHECKSUM is valid but DATASUM is missing", hdu=hdu.index, keyword="DATASUM")
