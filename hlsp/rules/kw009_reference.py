"""REFERENC is neither a 19-character ADS bibcode nor a DOI.

``REFERENC`` cites the paper that describes the product: a 19-character ADS
bibcode (``2019ApJ...887..123S``) or a DOI (``10.3847/1538-4357/ab1234``,
also as ``doi:...`` or ``https://doi.org/...``).  Several references may be
separated by commas or blanks.

*Why:* the archive links products to their papers through ADS; free text
("Smith et al. 2020") cannot be resolved.

*How to fix:* Write the paper's ADS bibcode (e.g. 2019ApJ...887..123S) or its DOI.

Look the paper up in ADS and copy its bibcode.

*Example:* fails::

    REFERENC= 'Smith et al. 2019'

fixed::

    REFERENC= '2019ApJ...887..123S'
"""

import re

from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity

RULE = Rule(
    id="KW009",
    name="reference",
    category=Category.KEYWORDS,
    severity=Severity.WARNING,
    source="MAST Common Metadata (REFERENC); ESO Phase 3 standard",
)

BIBCODE_RE = re.compile(r"[0-9]{4}[A-Za-z0-9.&]{14}[A-Z.]\Z")
DOI_RE = re.compile(r"(?:doi:|https?://(?:dx\.)?doi\.org/)?10\.[0-9]{4,9}/\S+\Z", re.IGNORECASE)


def is_reference(text: str) -> bool:
    tokens = [t for t in re.split(r"[,;\s]+", text) if t]
    return bool(tokens) and all(BIBCODE_RE.match(t) or DOI_RE.match(t) for t in tokens)


@RULE.check_hdu
def check(hdu: HduView):
    card = hdu.card("REFERENC")
    if card is None or card.vtype != "str":
        return
    value = hdu.long_string("REFERENC") or card.value
    if value.strip() and not is_reference(value):
        yield RULE.finding(
            f"REFERENC = '{value.strip()}' is neither an ADS bibcode nor a DOI", hdu=hdu.index, keyword="REFERENC"
        )
