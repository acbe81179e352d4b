"""A catalog lacks a required column (RA, DEC) or a column has the wrong TFORM type (RA/DEC
double, SOURCE string).

The catalog profile (``validators/profiles/catalog.yaml``, ``columns:``)
requires ``RA`` and ``DEC`` as double-precision columns (``TFORM`` ``D``) and
recommends a string ``SOURCE`` column (``A``), in the first table HDU.
Column names compare case-insensitively.  A missing required column is an
error, a missing recommended one a warning; a column of the wrong type is an
error.

Applies to catalog products (product type ``cat``, ``list``, ``source``,
``param``, or ``--product-type catalog``).

*Why:* the archive loads catalogs into a database and cross-matches them by
``RA``/``DEC``; single precision loses ~0.1 arcsec, and a missing column
makes the catalog unsearchable.

*How to fix:* Write RA and DEC as double (TFORM 'D') and SOURCE as a string (TFORM 'nA')
in the first table HDU.

Write the columns with astropy ``Table`` as float64 (``RA``, ``DEC``) and str
(``SOURCE``).

*Example (file):* fails::

    a catalog whose RA column has TFORM1 = 'E' (single precision)

fixed::

    TFORM1  = 'D       '   (RA and DEC as double)
"""

import re

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import indexed, is_product, science_hdu

RULE = Rule(
    id="KW017",
    name="catalog-columns",
    category=Category.KEYWORDS,
    severity=Severity.ERROR,
    source="MAST Catalog Metadata; validators/profiles/catalog.yaml",
)

_LEVEL_SEVERITY = {"required": Severity.ERROR, "recommended": Severity.WARNING, "suggested": Severity.INFO}
_TFORM_TYPE = re.compile(r"\s*[0-9]*([A-Za-z])")


@RULE.check
def check(ctx: FileContext):
    if not is_product(ctx) or ctx.profile is None or not ctx.profile.columns:
        return
    science = science_hdu(ctx.fits)
    table = science if science is not None and science.is_table and not science.is_compressed_image else None
    table = table or next((h for h in ctx.hdus() if h.is_table and not h.is_compressed_image), None)
    if table is None:
        yield RULE.finding("the catalog has no table HDU (catalogs are FITS BINTABLEs)", hdu=0)
        return
    columns: dict[str, tuple[int, str]] = {}
    for card in table.header.cards:
        n = indexed(card.keyword, "TTYPE")
        if n is not None and card.vtype == "str":
            columns.setdefault(card.value.strip().upper(), (n, str(table.header.get(f"TFORM{n}", ""))))
    for spec in ctx.profile.columns:
        found = columns.get(spec.name.upper())
        if found is None:
            yield RULE.finding(
                f"the catalog table has no {spec.name} column ({spec.level})",
                hdu=table.index,
                keyword=spec.name,
                severity=_LEVEL_SEVERITY.get(spec.level, Severity.ERROR),
            )
            continue
        allowed = [spec.format] if isinstance(spec.format, str) else list(spec.format or [])
        if not allowed:
            continue
        n, tform = found
        m = _TFORM_TYPE.match(tform)
        letter = m.group(1).upper() if m else ""
        if letter not in [a.upper() for a in allowed]:
            yield RULE.finding(
                f"column {spec.name} (TFORM{n} = '{tform}') has type '{letter or '?'}'; expected {' or '.join(allowed)}",
                hdu=table.index,
                keyword=f"TFORM{n}",
            )
