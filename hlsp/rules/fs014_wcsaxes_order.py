"""WCSAXES appears after another WCS keyword of the same header.

*Why:* the FITS WCS standard requires ``WCSAXES`` to precede every other WCS
keyword of the header, so that a reader knows the number of axes before it
meets them (a fitsverify error).  The WCS keywords are those fitsverify
counts: ``CTYPE CUNIT CRPIX CRVAL CDELT CROTA CRDER CSYER CNAME PV PS`` with
an axis number (and any alternate letter), and ``PCi_j`` / ``CDi_j``.

*How to fix:* Move WCSAXES above the first CTYPE/CRPIX/CRVAL/CDELT/CD/PC card.

Move the ``WCSAXES`` card above the first ``CTYPE``/``CRPIX``/
``CRVAL``/``CDELT``/``CD``/``PC`` card.
"""

import functools
import re

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS014",
    name="wcsaxes-order",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 8.2 (fitsverify error)",
)

_AXIS_KW = re.compile(r"(CTYPE|CUNIT|CRPIX|CRVAL|CDELT|CROTA|CRDER|CSYER|CNAME|PV|PS)([0-9]+)")
_MATRIX_KW = re.compile(r"(PC|CD)([0-9]+)_([0-9]+)")


@functools.lru_cache(maxsize=4096)
def wcs_indices(keyword: str) -> tuple[str, tuple[int, ...], str] | None:
    """(prefix, axis numbers, alternate suffix) of an indexed WCS keyword, else None.

    ``CRPIX1A`` -> ("CRPIX", (1,), "A"); ``PC1_2`` -> ("PC", (1, 2), "");
    ``PV2_1`` -> ("PV", (2,), "_1") (only its axis counts).  Cached: FS014 and
    FS018 ask for every card, and keywords recur across headers.
    """
    m = _MATRIX_KW.match(keyword)
    if m:
        return m.group(1), (int(m.group(2)), int(m.group(3))), keyword[m.end() :]
    m = _AXIS_KW.match(keyword)
    if m:
        return m.group(1), (int(m.group(2)),), keyword[m.end() :]
    return None


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        h = hdu.header
        wcsaxes = h.card("WCSAXES")
        if wcsaxes is None or wcsaxes.vtype != "int":
            continue
        for card in h.cards[: wcsaxes.index - 1]:
            if card.has_value and wcs_indices(card.keyword):
                yield RULE.finding(
                    f"WCSAXES (card {wcsaxes.index}) comes after the WCS keyword {card.keyword} (card {card.index})",
                    hdu=hdu.index,
                    keyword="WCSAXES",
                )
                break
