"""No HDU of the file holds any data (all NAXIS = 0 or zero-length axes).

*Why:* a science product whose every HDU has ``NAXIS = 0`` (or zero-length
axes) is a header without content -- usually a failed pipeline step or data
stripped for testing.

*How to fix:* Check the pipeline step that writes the data; deliver only files with
data.

*Example (file):* fails::

    a primary HDU with NAXIS = 0 and one IMAGE extension with NAXIS1 = 2048, NAXIS2 = 0

fixed::

    the IMAGE extension with NAXIS1 = 2048, NAXIS2 = 2048 and its 16 MB of pixels
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="DA001",
    name="no-data",
    category=Category.DATA,
    severity=Severity.ERROR,
    source="HLSP-RULES sec. 2 (science files)",
)


@RULE.check
def check(ctx: FileContext):
    hdus = ctx.fits.hdus
    readable = all(h.end_found and h.size_known for h in hdus)  # else FS003/FS006 say why
    if hdus and readable and not any(h.data_size > 0 for h in hdus):
        yield RULE.finding(f"none of the {len(hdus)} HDUs holds data")
