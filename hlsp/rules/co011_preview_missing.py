"""A science product has no preview graphic (same name, .png/.jpg/.gif).

*Why:* the archive recommends one preview per science product (MAST
"HLSP_Formats"); the collection's landing page and search results show it.
A preview is a PNG/JPEG/GIF with the same name as its product, e.g.
``hlsp_..._img.png`` next to ``hlsp_..._img.fits``, listed in the manifest
with ``product_type: preview``.

*How to fix:* Add <product name>.png for each product and run `hlsp manifest
contributions/<proj-id>`.

Add the previews and run ``hlsp manifest contributions/<proj-id>``.

*Example (hlsp.yaml):* fails::

    products:
      - path: hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
        size: 23040
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
        product_type: img

fixed::

    products:
      - path: hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
        size: 23040
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
        product_type: img
      - path: hlsp_example_hst_acs_ngc1234_f606w_v1_img.png
        size: 4228
        sha256: 1591046093b6b060608924d07cc01336c132cf0cb2ce1f86b0b8d62fe3bab3ee
        product_type: preview
"""

from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="CO011",
    name="preview-missing",
    category=Category.COLLECTION,
    severity=Severity.WARNING,
    source="MAST HLSP How-To, HLSP_Formats (recommended: one preview per science product); HLSP-RULES sec. 2",
    scope="collection",
)

SHOWN = 10


@RULE.check
def check(ctx: CollectionContext):
    c = ctx.contribution
    if c is None:
        return
    science = [p for p in c.science_products if p.name.is_fits]
    lacking = [p.filename for p in science if c.preview_for(p) is None]
    if lacking:
        more = f" and {len(lacking) - SHOWN} more" if len(lacking) > SHOWN else ""
        yield RULE.finding(
            f"{len(lacking)} of {len(science)} science products have no preview: {', '.join(lacking[:SHOWN])}{more}",
            **ctx.at(("products",)),
        )
