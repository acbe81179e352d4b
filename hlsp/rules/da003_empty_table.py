"""A binary or ASCII table has no rows (NAXIS2 = 0).

*Why:* a light curve, catalog or spectrum table with ``NAXIS2 = 0`` delivers
columns but no measurements.

*How to fix:* Check the step that fills the table; deliver the product only when it has
rows.

*Example (file):* fails::

    XTENSION= 'BINTABLE', EXTNAME = 'LIGHTCURVE', TFIELDS = 4, NAXIS2 = 0   (columns, no rows)

fixed::

    the same table with its rows: NAXIS2 = 1282, one per cadence of the light curve
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="DA003",
    name="empty-table",
    category=Category.DATA,
    severity=Severity.ERROR,
    source="HLSP-RULES sec. 2",
)


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        if hdu.is_table and not hdu.is_compressed_image and hdu.header.get("NAXIS2") == 0:
            name = hdu.header.get("EXTNAME")
            label = f" ({name})" if isinstance(name, str) else ""
            yield RULE.finding(f"the table{label} has no rows (NAXIS2 = 0)", hdu=hdu.index, keyword="NAXIS2")
