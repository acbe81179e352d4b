"""A BUNIT or TUNITn value is not a valid FITS unit string.

Checked in every FITS file: ``BUNIT`` of image HDUs and ``TUNITn`` of table
HDUs must parse as FITS units (FITS Standard sec. 4.3, the IAU style):
``count`` not ``COUNTS``, ``pixel`` not ``pixels``, ``d`` for days.  A column
in days since an epoch says so in its ``TTYPE``/comment and uses ``d``.  The
common ``e-/s`` and ``electron/s`` are not FITS units either (the standard has
no electron); a reviewer may accept them.  (``CUNITi`` of the WCS are WC004's;
``BUNIT`` in a table header is a placement error, FS008's.)

*Why:* astropy, TOPCAT and the archive's ingest convert units from these
strings; an unparseable one silently becomes "unknown unit", and users get
wrong numbers or no plot axis labels.

*How to fix:* write a FITS unit: ``Jy``, ``erg/s/cm2/Angstrom``, ``ct/s``,
``adu``, ``mag``, ``d``, ``pixel``; a dimensionless column gets no ``TUNITn``
(or ``''``).
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import indexed, unit_problem

RULE = Rule(
    id="KW011",
    name="units",
    category=Category.KEYWORDS,
    severity=Severity.WARNING,
    summary="BUNIT (images) or TUNITn (tables) does not parse as a FITS unit (e.g. 'e-/s', 'COUNTS', 'pixels').",
    hint="Write FITS units: ct/s, adu, pixel, d, mag, Jy, erg/s/cm2/Angstrom (units are case-sensitive).",
    source="FITS Standard 4.0 sec. 4.3; MAST Common Metadata; HLSP-RULES sec. 3",
)


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        table = hdu.is_table and not hdu.is_compressed_image
        for card in hdu.header.cards:
            if card.vtype != "str" or not card.value.strip():
                continue
            kw = card.keyword
            if not (kw == "BUNIT" and not table) and not (table and indexed(kw, "TUNIT") is not None):
                continue
            problem = unit_problem(card.value.strip())
            if problem:
                yield RULE.finding(
                    f"{kw} = '{card.value.strip()}' is not a valid FITS unit: {problem}", hdu=hdu.index, keyword=kw
                )
