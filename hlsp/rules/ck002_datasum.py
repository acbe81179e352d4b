"""DATASUM is present but differs from the sum of the HDU's data.

*Why:* ``DATASUM`` is the ones'-complement sum of the data blocks as a decimal
string; a mismatch means the data changed after it was written (damage, or an
edit without updating the keyword).  An error here, a warning in fitsverify
(see CK001).

*How to fix:* The data changed after DATASUM was written: copy the file again from your
pipeline's original; never rewrite checksums over data you did not change yourself.

Treat it as damage: copy the file again from the original that your pipeline wrote and
check that the error is gone. Rewriting the checksums would only hide real corruption;
do it (``hlsp fix --write``) only when you changed the data yourself on purpose and the
new data are right.

*Example (checksum cards):* fails::

    DATASUM = '2503531142'   (the data of this copy sum to 1290325815: it is damaged)

fixed::

    cp pipeline/output/hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits contributions/example/
    (the pipeline's original, whose data sum to DATASUM again)
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
