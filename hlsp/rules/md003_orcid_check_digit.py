"""An ORCID iD has a wrong check digit (ISO 7064 MOD 11-2).

*Why:* an ORCID iD ends with a check digit (ISO 7064 MOD 11-2) that catches
almost every mistyped digit; a wrong iD credits the collection to nobody, or
to someone else.  The schema checks the form, this rule the check digit.

*How to fix:* Copy the iD from your ORCID record, e.g. 0000-0002-1825-0097.

Copy the iD from your ORCID record (https://orcid.org), e.g. ``0000-0002-1825-0097``;
the last character may be ``X``.

*Example (hlsp.yaml):* fails::

    lead: {name: Ada Lovelace, email: ada@hlsp-example.invalid, orcid: 0000-0002-7182-8186}

fixed::

    lead: {name: Ada Lovelace, email: ada@hlsp-example.invalid, orcid: 0000-0002-7182-8185}
"""

import re

from hlsp.metadata import iter_people, orcid_checksum_ok
from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="MD003",
    name="orcid-check-digit",
    category=Category.METADATA,
    severity=Severity.ERROR,
    source="ORCID: Structure of the ORCID Identifier",
    scope="collection",
)

_FORM = re.compile(r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]\Z")


@RULE.check
def check(ctx: CollectionContext):
    if ctx.contribution is None:
        return
    for path, person in iter_people(ctx.contribution.metadata):
        orcid = person.get("orcid")
        if isinstance(orcid, str) and _FORM.match(orcid) and not orcid_checksum_ok(orcid):
            who = person.get("name") if isinstance(person.get("name"), str) else "this person"
            yield RULE.finding(
                f"the ORCID iD {orcid} of {who} has a wrong check digit (a typo?)", **ctx.at(path + ("orcid",))
            )
