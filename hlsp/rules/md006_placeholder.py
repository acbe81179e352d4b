"""A field of hlsp.yaml or README.md still holds a stand-in from the skeleton or a
well-known example value.

``hlsp init`` writes a skeleton full of stand-ins (a title saying "replace
with ...", "Your Name", ORCID's own example iD, an example bibcode, example
observatory, instrument, filter, product type and target), and some values are
examples wherever they appear (``example.org`` addresses, ORCID's example iD).
Each one left is an error naming its field.  The list is data,
``validators/vocab/placeholders.yaml``, which the skeleton is rendered from:
what ``hlsp init`` writes is exactly what this rule catches.  The skeleton's
observatory, instrument, filter and product-type lists count as stand-ins only
while no product's file name uses their values.

*Why:* everything in ``hlsp.yaml`` is published (landing page, DOI record,
headers through ``hlsp fix``); a stand-in that validates would be published
as fact.

*How to fix:* Write the real value (validators/vocab/placeholders.yaml lists the
stand-ins).

Write the real value in the field the message names. For the lists, the hint names the
values the products' file names use.

*Example (hlsp.yaml):* fails::

    lead: {name: Your Name, email: you@example.org, orcid: 0000-0002-1825-0097}

fixed::

    lead: {name: Ada Lovelace, email: ada@hlsp-example.invalid, orcid: 0000-0002-7182-8185}
"""

from hlsp.placeholders import problems, readme_problems
from hlsp.rules._base import Category, CollectionContext, Rule, Severity
from hlsp.rules._crosscheck import LISTS, name_values

RULE = Rule(
    id="MD006",
    name="placeholder",
    category=Category.METADATA,
    severity=Severity.ERROR,
    source="validators/vocab/placeholders.yaml; templates/contribution/",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    c = ctx.contribution
    if c is None:
        return
    used: dict[str, set[str]] = {key: set() for key in LISTS}  # the values the products' file names use
    for p in c.science_products:
        if p.name.fields:
            for key in LISTS:
                used[key].update(name_values(p.name.fields, key))
    for problem in problems(c.metadata, used):
        yield RULE.finding(
            f"{problem.field} still holds a stand-in: {problem.value}", hint=problem.hint, **ctx.at(problem.path)
        )
    if ctx.readme:
        for line, hit in readme_problems(ctx.readme):
            yield RULE.finding(
                f"README.md still holds a stand-in: '{hit}'",
                hint="Write the real text in place of the skeleton's (CONTRIBUTING.md step 5).",
                line=line,
                path=ctx.readme_path,
            )
