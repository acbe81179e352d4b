"""The manifest (products in hlsp.yaml) lists no products yet.

*Why:* a collection is its products; an empty ``products:`` list is what
``hlsp init`` writes, and a pull request is not ready until the files are
there and listed.

*How to fix:* Add the files to the folder and run `hlsp manifest
contributions/<proj-id>`.

Put the product files in the folder (or upload large ones and list them by ``url``),
then run ``hlsp manifest contributions/<proj-id>``.
"""

from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="CO001",
    name="no-products",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="MAST HLSP How-To (required: science files and a manifest); HLSP-RULES sec. 2",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    c = ctx.contribution
    if c is None or not isinstance(c.metadata.get("products"), list):
        return  # MD001 / MD002
    if not c.products:
        yield RULE.finding("no products yet: the manifest (`products:`) is empty", **ctx.at(("products",)))
