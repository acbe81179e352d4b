"""WCSAXES comes after other WCS keywords.

*Why:* the FITS WCS standard requires ``WCSAXES`` to precede every other WCS
keyword of the header, so that a reader knows the number of axes before it
meets them (fitsverify error).

*How to fix:* move the ``WCSAXES`` card above the first ``CTYPE``/``CRPIX``/
``CRVAL``/``CDELT``/``CD``/``PC`` card.
"""

import re

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS014",
    name="wcsaxes-order",
    category=Category.FITS,
    severity=Severity.ERROR,
    summary="WCSAXES appears after another WCS keyword of the same header.",
    hint="Move WCSAXES above the first CTYPE/CRPIX/CRVAL/CDELT/CD/PC card.",
    source="FITS Standard 4.0, sec. 8.2 (fitsverify error)",
)

_WCS_KW = re.compile(r"((CTYPE|CRPIX|CRVAL|CDELT|CUNIT|CROTA)[0-9]+|(PC|CD|PV|PS)[0-9]+_[0-9]+)[A-Z]?\Z")


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        h = hdu.header
        wcsaxes = h.card("WCSAXES")
        if wcsaxes is None:
            continue
        for card in h.cards[: wcsaxes.index - 1]:
            if _WCS_KW.match(card.keyword):
                yield RULE.finding(
                    f"WCSAXES (card {wcsaxes.index}) comes after the WCS keyword {card.keyword} (card {card.index})",
                    hdu=hdu.index,
                    keyword="WCSAXES",
                )
                break
