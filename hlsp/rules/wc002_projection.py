"""A CTYPE's projection or algorithm code (the part after the dashes, e.g. TAN) is not a
known code.

The last three characters of a ``4-3`` form CTYPE (``RA---TAN``) name the
projection.  Valid codes (FITS WCS Paper II, and HEALPix): AZP SZP TAN STG
SIN ARC ZPN ZEA AIR (zenithal), CYP CEA CAR MER (cylindrical), SFL PAR MOL
AIT (pseudo-cylindrical), COP COE COD COO (conic), BON PCO (polyconic), TSC
CSC QSC (quad-cube), HPX XPH (HEALPix).  WCSLIB also accepts the obsolete NCP
and GLS and the distortion conventions TPV, TPU, TNX and ZPX.  Spectral types
take algorithm codes instead (``WAVE-F2W``, ``FREQ-LOG``, FITS WCS Paper III).
Codes are upper case.

*Why:* astropy.wcs and every WCSLIB-based program refuse the header
(``Unrecognized projection code``): the file has no usable coordinates.

*How to fix:* Use a FITS WCS projection code (TAN, SIN, CAR, AIT ...) in upper case, the
same on both celestial axes.

Write a valid code, e.g. ``RA---TAN``/``DEC--TAN`` for a tangent-plane image; for a
spectral axis check Paper III's ``X2P`` codes.

*Example:* fails::

    CTYPE1  = 'RA---TNA'
    CTYPE2  = 'DEC--TNA'

fixed::

    CTYPE1  = 'RA---TAN'
    CTYPE2  = 'DEC--TAN'
"""

from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._wcs import SPECTRAL_TYPES, wcs_sets

RULE = Rule(
    id="WC002",
    name="projection",
    category=Category.WCS,
    severity=Severity.ERROR,
    source="FITS WCS Paper II (Calabretta & Greisen 2002) table 13; Paper III; WCSLIB wcs_types()",
)


@RULE.check_hdu
def check(hdu: HduView):
    for ws in wcs_sets(hdu):
        for ax in ws.axes:
            if ax.kind != "bad-code":
                continue
            key = ws.key("CTYPE", ax.number)
            msg = f"{key} = '{ax.ctype}': '{ax.code}' is not a projection code"
            if ax.code.upper() != ax.code:
                msg += " (codes are upper case)"
            elif ax.prefix.rstrip("-") in SPECTRAL_TYPES:
                msg += f" nor a spectral algorithm code valid for {ax.prefix.rstrip('-')}"
            yield RULE.finding(msg, hdu=hdu.index, keyword=key)
