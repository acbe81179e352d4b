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

from hlsp.judge import FileView
from hlsp.rules._base import Category, Rule, Severity

RULE = Rule(
    id="KW010",
    name="license",
    category=Category.KEYWORDS,
    severity=Severity.ERROR,
    source="MAST HLSP policy (CC BY 4.0); MAST Common Metadata; HLSP-RULES sec. 2, 3",
)

# The keywords whose required value this rule (and not KW004) checks.
LICENSE_KEYWORDS = ("LICENSE", "LICENURL")


@RULE.check_headers
def check(file: FileView):
    if not file.is_product or file.profile is None or not file.hdus:
        return
    primary = file.hdus[0]
    for spec in file.profile.keywords:
        if spec.name not in LICENSE_KEYWORDS or not isinstance(spec.value, str):
            continue
        card = primary.card(spec.name)
        if card is None or card.vtype != "str" or not card.value.strip():
            continue  # missing or empty: KW001; not a string: KW004
        value = primary.long_string(spec.name) or card.value
        if value.strip() != spec.value:
            yield RULE.finding(
                f"{spec.name} = '{value.strip()}'; it must be '{spec.value}'", hdu=primary.index, keyword=spec.name
            )
