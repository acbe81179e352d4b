"""FILTER/TELESCOP/INSTRUME/DISPRSR = 'MULTIPLE', or = 'MULTI' without at least two
numbered keywords (FILTER01, FILTER02 ...).

When a product combines several filters (telescopes, instruments,
dispersers), the keyword holds ``'MULTI'`` and the values go into numbered
keywords: ``FILTER01``, ``FILTER02`` ...; ``TELESC01`` ...; ``INSTRU01`` ...;
``DISPR01`` ... (one-digit forms such as ESO's ``TELESC1`` are accepted).  At
least two are needed, in the same HDU or the primary header.  Checked in
every FITS file.

*Why:* the archive indexes each filter of a multi-filter product from the
numbered keywords; ``'MULTIPLE'`` or a bare ``'MULTI'`` hides them all.

*How to fix:* Write 'MULTI' and list the values in numbered keywords: FILTER01,
FILTER02, TELESC01, INSTRU01, DISPR01 ...

Write ``FILTER = 'MULTI'`` with ``FILTER01 = 'F606W'``, ``FILTER02 = 'F814W'`` (and the
same pattern for the others).

*Example:* fails::

    FILTER  = 'MULTIPLE'

fixed::

    FILTER  = 'MULTI   '
    FILTER01= 'F606W   '
    FILTER02= 'F814W   '
"""

import re

from hlsp.judge import FileView
from hlsp.rules._base import Category, Rule, Severity

RULE = Rule(
    id="KW012",
    name="multi-convention",
    category=Category.KEYWORDS,
    severity=Severity.ERROR,
    source="MAST Common Metadata ('MULTI' convention); HLSP-RULES sec. 3",
)

# keyword -> pattern of its numbered keywords
NUMBERED = {
    "FILTER": re.compile(r"FILTER[0-9]{1,2}\Z"),
    "TELESCOP": re.compile(r"TELESC[0-9]{1,2}\Z"),
    "INSTRUME": re.compile(r"INSTRU?[0-9]{1,2}\Z"),
    "DISPRSR": re.compile(r"DISPR[0-9]{1,2}\Z"),
}


@RULE.check_headers
def check(file: FileView):
    primary = file.hdus[0] if file.hdus else None
    for hdu in file.hdus:
        for kw, pattern in NUMBERED.items():
            value = hdu.get(kw)
            if not isinstance(value, str):
                continue
            value = value.strip().upper()
            if value == "MULTIPLE":
                yield RULE.finding(
                    f"{kw} = 'MULTIPLE'; the convention is 'MULTI' plus numbered keywords", hdu=hdu.index, keyword=kw
                )
            elif value == "MULTI":
                names = set()
                for h in {hdu.index: hdu, 0: primary}.values():
                    names.update(
                        c.keyword for c in h.cards_where(pattern.match) if c.vtype == "str" and c.value.strip()
                    )
                if len(names) < 2:
                    listed = f" (only {', '.join(sorted(names))})" if names else ""
                    yield RULE.finding(
                        f"{kw} = 'MULTI' but fewer than two numbered keywords give the values{listed}",
                        hdu=hdu.index,
                        keyword=kw,
                    )
