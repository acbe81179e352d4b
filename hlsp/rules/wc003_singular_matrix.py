"""The CDi_j or PCi_j x CDELTi matrix is singular (dependent or zero rows/columns).

The pixel-to-world matrix is ``CDELTi x PCi_j`` (or ``CDi_j``, or ``CDELTi``
with ``CROTA2``).  It must be invertible: every world axis has to depend on
the pixel axes, and no two in the same way.  Checked for the primary WCS and
each alternate of every HDU.

*Why:* with ``CDELTi = 0`` or a zero row astropy.wcs refuses the header
(``SingularMatrixError``); with dependent rows it accepts the header but
returns NaN for every sky-to-pixel conversion -- catalogue overlays, cutouts
and footprints fail.

A ``CDELTi = 0`` also makes the matrix singular; it is reported once, by
FS018 (a FITS-standard error that fitsverify reports too), not again here.
A ``CDELTi`` so small that its reciprocal overflows (a subnormal number) is
reported here.  The verdicts follow WCSLIB (astropy.wcs) exactly: an exactly
zero pivot or an inverse that is not finite, not a tolerance
(``tests/rules/test_wc_fuzz.py`` compares them on random degenerate matrices).

*How to fix:* Write the real pixel scale; give degenerate axes a scale of 1, not 0.

Write the real pixel scale; for a degenerate axis (a 3-D cube with one plane) give it
``CDELT3 = 1`` or ``CD3_3 = 1`` rather than 0.

*Example:* fails::

    CD1_1   =            -2.78E-05
    CD1_2   =             2.78E-05
    CD2_1   =            -2.78E-05
    CD2_2   =             2.78E-05   (the second row repeats the first)

fixed::

    CD1_1   =            -2.78E-05
    CD1_2   =                  0.0
    CD2_1   =                  0.0
    CD2_2   =             2.78E-05
"""

from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._wcs import matrix_problem, wcs_sets

RULE = Rule(
    id="WC003",
    name="singular-matrix",
    category=Category.WCS,
    severity=Severity.ERROR,
    source="FITS WCS Paper I (Greisen & Calabretta 2002) sec. 2.1; WCSLIB linset()",
)


@RULE.check_hdu
def check(hdu: HduView):
    for ws in wcs_sets(hdu):
        problem = matrix_problem(ws)
        if problem and not problem[1].startswith(f"{problem[0]} = 0:"):  # CDELT = 0: FS018 reports it
            keyword, message = problem
            yield RULE.finding(message, hdu=hdu.index, keyword=keyword)
