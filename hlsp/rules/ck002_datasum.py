"""DATASUM is present but differs from the sum of the HDU's data.

*Why:* ``DATASUM`` is the ones'-complement sum of the data blocks as a decimal
string; a mismatch means the data changed after it was written (damage, or an
edit without updating the keyword).  An error here, a warning in fitsverify
(see CK001).

*How to fix:* Re-copy the file if it was damaged; otherwise rewrite the checksums (hlsp
fix --write).
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="CK002",
    name="datasum-mismatch",
    category=Category.CHECKSUM,
    severity=Severity.ERROR,
    source="FITS Checksum Convention 1.0; HLSP-RULES sec. 4",
)


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        if hdu.checksum_status[1] == "bad":
            card = hdu.header.card("DATASUM")
            yield RULE.finding(
                f"DATASUM = '{card.value}' but the data sum to {hdu.data_sum}", hdu=hdu.index, keyword="DATASUM"
            )
