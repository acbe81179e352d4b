"""The manifest (products in hlsp.yaml) lists no products yet.

*Why:* a collection is its products; an empty ``products:`` list is what
``hlsp init`` writes, and a pull request is not ready until the files are
there and listed.

*How to fix:* Add the files to the folder and run `hlsp manifest
contributions/<proj-id>`.

Put the product files in the folder (or upload large ones and list them by ``url``),
then run ``hlsp manifest contributions/<proj-id>``.

*Example (hlsp.yaml):* fails::

    products: []

fixed::

    products:   # written by hlsp manifest contributions/example: one entry per file
      - path: hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
        size: 23040
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
        product_type: img
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
