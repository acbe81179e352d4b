"""A celestial axis has CUNIT other than 'deg', or another axis has a CUNIT that is not a
valid FITS unit.

*Why:* the FITS WCS standard fixes the unit of celestial axes to degrees
(``CUNITi = 'deg'``; WCSLIB converts other angles, programs that read the
header directly do not), and other axes (spectral, time, linear) need a unit
string that programs can parse (``Angstrom``, ``nm``, ``Hz``, ``s``, ``pixel``;
FITS units are case-sensitive: ``PIXEL`` and ``DEG`` are not units).

This rule owns every ``CUNITia`` of the WCS; ``BUNIT`` and ``TUNITn`` are
KW011's.

*How to fix:* Use CUNITi = 'deg' for celestial axes and a FITS unit string (nm,
Angstrom, Hz, s) for the others.

Write ``CUNIT1 = 'deg'`` for RA/DEC (converting ``CDELT``/``CD`` and ``CRVAL`` if they
were in another angle), and a FITS unit for the others.

*Example:* fails::

    CUNIT1  = 'DEG     '
    CUNIT2  = 'arcsec  '

fixed::

    CUNIT1  = 'deg     '
    CUNIT2  = 'deg     '   (and CDELT2/CD2_j, CRVAL2 converted from arcsec)
"""

from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._util import unit_problem
from hlsp.rules._wcs import wcs_sets

RULE = Rule(
    id="WC004",
    name="axis-units",
    category=Category.WCS,
    severity=Severity.WARNING,
    source="FITS WCS Paper I sec. 2.1.2, Paper II sec. 2; FITS Standard 4.0 sec. 4.3",
)


@RULE.check_hdu
def check(hdu: HduView):
    for ws in wcs_sets(hdu):
        for ax in ws.axes:
            key = ws.key("CUNIT", ax.number)
            unit = ws.cards.get(key)
            if not isinstance(unit, str) or not unit.strip() or ax.kind in ("bad-code", "bad-celestial"):
                continue
            unit = unit.strip()
            if ax.celestial:
                if unit != "deg":
                    yield RULE.finding(
                        f"{key} = '{unit}' on the celestial axis {ws.key('CTYPE', ax.number)} = '{ax.ctype}'; "
                        "celestial axes use 'deg'",
                        hdu=hdu.index,
                        keyword=key,
                    )
                continue
            problem = unit_problem(unit)
            if problem:
                yield RULE.finding(f"{key} = '{unit}' is not a valid FITS unit: {problem}", hdu=hdu.index, keyword=key)
