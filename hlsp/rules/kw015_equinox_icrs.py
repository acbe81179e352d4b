"""EQUINOX is present although RADESYS = 'ICRS' (ICRS has no equinox).

The ICRS has no equinox; ``EQUINOX`` belongs to ``FK4``/``FK5`` coordinates.
Checked for the primary WCS and each alternate (``RADESYSa``/``EQUINOXa``) of
every HDU of every FITS file.  Many real files write both (``EQUINOX =
2000.0``), which WCSLIB ignores: a warning, not an error.

*Why:* MAST asks not to combine them: a reader may take the equinox as a
sign of FK5 and apply a precession or frame rotation that is not needed.

*How to fix:* Remove EQUINOX, or set RADESYS = 'FK5' if the coordinates really are FK5.

Remove ``EQUINOX`` (or, if the coordinates really are FK5, write ``RADESYS = 'FK5'``).

*Example:* fails::

    RADESYS = 'ICRS    '
    EQUINOX =               2000.0

fixed::

    RADESYS = 'ICRS    '   (and no EQUINOX)
"""

import re

from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._util import shown

RULE = Rule(
    id="KW015",
    name="equinox-icrs",
    category=Category.KEYWORDS,
    severity=Severity.WARNING,
    source="MAST Common Metadata; FITS WCS Paper II sec. 3.1",
)

_RADESYS = re.compile(r"RADE(?:C)?SYS([A-Z]?)\Z")


@RULE.check_hdu
def check(hdu: HduView):
    seen = set()
    for card in hdu.cards_where(_RADESYS.match):
        m = _RADESYS.match(card.keyword)
        if not m or card.vtype != "str" or card.value.strip().upper() != "ICRS":
            continue
        alt = m.group(1)
        equinox = f"EQUINOX{alt}"
        if alt in seen or equinox not in hdu:
            continue
        seen.add(alt)
        yield RULE.finding(
            f"{equinox} = {shown(hdu.card(equinox))} is given with {card.keyword} = 'ICRS'",
            hdu=hdu.index,
            keyword=equinox,
        )
