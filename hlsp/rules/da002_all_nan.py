"""A floating-point image array has no finite value (all NaN/Inf).

*Why:* an image that is entirely NaN carries no information; it is a failed
reduction (a mask applied everywhere, a division by zero) that no FITS tool
flags.

*How to fix:* Check the reduction step that wrote this array; drop the HDU if it is
meant to be empty.

*Example (file):* fails::

    an IMAGE HDU, BITPIX = -32, NAXIS1 = NAXIS2 = 2048, every pixel NaN (a mask applied everywhere)

fixed::

    the same HDU holding the reduced pixel values (at least one of them finite),
    or no such HDU when it is meant to be empty
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="DA002",
    name="all-nan",
    category=Category.DATA,
    severity=Severity.ERROR,
    source="HLSP-RULES sec. 4 (no common tool flags it)",
)


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        if hdu.any_finite is False and not hdu.truncated and hdu.data_size > 0:
            yield RULE.finding("every value of this image is NaN or infinite", hdu=hdu.index)
