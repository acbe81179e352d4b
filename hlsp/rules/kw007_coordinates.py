"""RA_TARG/RA_OBJ is outside [0, 360) or DEC_TARG/DEC_OBJ outside [-90, 90] degrees.

Checked in every FITS file for ``RA_TARG``/``DEC_TARG`` (the archive's
keywords) and ``RA_OBJ``/``DEC_OBJ`` (TESS and Kepler), in degrees.

*Why:* the archive places the product on the sky from these values; an RA of
-10 or a declination of 95 puts it nowhere (or somewhere wrong), and is
usually an hours-for-degrees or sign mistake.

*How to fix:* Write decimal degrees: RA in [0, 360), Dec in [-90, 90].

*Example:* fails::

    RA_TARG =               -15.25

fixed::

    RA_TARG =               344.75
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import is_number

RULE = Rule(
    id="KW007",
    name="coordinates",
    category=Category.KEYWORDS,
    severity=Severity.ERROR,
    source="MAST Common Metadata (RA_TARG, DEC_TARG in degrees)",
)

_RANGES = {
    "RA_TARG": (0.0, 360.0, "[0, 360)"),
    "RA_OBJ": (0.0, 360.0, "[0, 360)"),
    "DEC_TARG": (-90.0, 90.0, "[-90, 90]"),
    "DEC_OBJ": (-90.0, 90.0, "[-90, 90]"),
}


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        for kw, (low, high, text) in _RANGES.items():
            v = hdu.header.get(kw)
            if not is_number(v):
                continue
            bad = not (low <= v < high) if kw.startswith("RA") else not (low <= v <= high)
            if bad:
                yield RULE.finding(f"{kw} = {v} is outside {text} degrees", hdu=hdu.index, keyword=kw)
