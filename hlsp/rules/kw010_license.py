"""LICENSE is not 'CC BY 4.0' or LICENURL is not
'https://creativecommons.org/licenses/by/4.0/'.

HLSP products are published under Creative Commons Attribution 4.0:
``LICENSE = 'CC BY 4.0'`` and
``LICENURL = 'https://creativecommons.org/licenses/by/4.0/'`` in the primary
header, exactly.  (The required values are the ``value:`` of the two entries
in ``validators/profiles/common.yaml``; their absence is KW001's finding.)

*Why:* the archive can only redistribute products under this licence, and
harvesters match the exact strings.

*How to fix:* Write LICENSE = 'CC BY 4.0' and LICENURL =
'https://creativecommons.org/licenses/by/4.0/' (`hlsp fix --write` writes both from
hlsp.yaml).

Write the two values exactly as above (note ``https``, the trailing ``/``, and blanks
rather than dashes in ``CC BY 4.0``).

*Example:* fails::

    LICENSE = 'CC-BY   '

fixed::

    LICENSE = 'CC BY 4.0'
    LICENURL= 'https://creativecommons.org/licenses/by/4.0/'
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import is_product

RULE = Rule(
    id="KW010",
    name="license",
    category=Category.KEYWORDS,
    severity=Severity.ERROR,
    source="MAST HLSP policy (CC BY 4.0); MAST Common Metadata; HLSP-RULES sec. 2, 3",
)

# The keywords whose required value this rule (and not KW004) checks.
LICENSE_KEYWORDS = ("LICENSE", "LICENURL")


@RULE.check
def check(ctx: FileContext):
    if not is_product(ctx) or ctx.profile is None or ctx.fits.primary is None:
        return
    primary = ctx.fits.primary
    for spec in ctx.profile.keywords:
        if spec.name not in LICENSE_KEYWORDS or not isinstance(spec.value, str):
            continue
        card = primary.header.card(spec.name)
        if card is None or card.vtype != "str" or not card.value.strip():
            continue  # missing or empty: KW001; not a string: KW004
        value = primary.header.long_string(spec.name) or card.value
        if value.strip() != spec.value:
            yield RULE.finding(
                f"{spec.name} = '{value.strip()}'; it must be '{spec.value}'", hdu=primary.index, keyword=spec.name
            )
