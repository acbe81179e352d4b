"""WCSAXES appears after another WCS keyword of the same header.

*Why:* the FITS WCS standard requires ``WCSAXES`` to precede every other WCS
keyword of the header, so that a reader knows the number of axes before it
meets them (a fitsverify error).  The WCS keywords are those fitsverify
counts: ``CTYPE CUNIT CRPIX CRVAL CDELT CROTA CRDER CSYER CNAME PV PS`` with
an axis number (and any alternate letter), and ``PCi_j`` / ``CDi_j``.

*How to fix:* Move WCSAXES above the first CTYPE/CRPIX/CRVAL/CDELT/CD/PC card.

Move the ``WCSAXES`` card above the first ``CTYPE``/``CRPIX``/
``CRVAL``/``CDELT``/``CD``/``PC`` card.

*Example:* fails::

    CTYPE1  = 'RA---TAN'
    WCSAXES =                    2

fixed::

    WCSAXES =                    2
    CTYPE1  = 'RA---TAN'
"""

from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._wcs import wcs_indices

RULE = Rule(
    id="FS014",
    name="wcsaxes-order",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 8.2 (fitsverify error)",
)


@RULE.check_hdu
def check(hdu: HduView):
    wcsaxes = hdu.card("WCSAXES")
    if wcsaxes is None or wcsaxes.vtype != "int":
        return
    for pos, kw in enumerate(hdu.layout[: wcsaxes.index - 1]):
        if wcs_indices(kw) and (card := hdu.card_at(pos)).has_value:
            yield RULE.finding(
                f"WCSAXES (card {wcsaxes.index}) comes after the WCS keyword {card.keyword} (card {card.index})",
                hdu=hdu.index,
                keyword="WCSAXES",
            )
            break
