"""A manifest entry's file does not exist, or its URL cannot be fetched.

*Why:* the manifest is the archive's list of what it will ingest; an entry
without a file (a renamed or forgotten file, a dead link, a private bucket)
means the delivery is incomplete.  Remote files are fetched with timeouts and
retries, so a dead URL ends as this finding, naming the URL, not as a hang.

*How to fix:* Add the file or fix the path/URL; `hlsp manifest` rewrites the list from
the files present.

Add the file, correct the path or URL, or remove the entry (``hlsp manifest
contributions/<proj-id>`` rewrites the list from the files it finds).

*Example (hlsp.yaml):* fails::

    products:   # the folder holds the F606W image, not an F814W one
      - path: hlsp_example_hst_acs_ngc1234_f814w_v1_img.fits
        size: 23040
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
        product_type: img

fixed::

    products:
      - path: hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
        size: 23040
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
        product_type: img
"""

from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="CO004",
    name="product-missing",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="MAST HLSP How-To (a manifest of the files); HLSP-RULES sec. 2",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    for chk in ctx.checks:
        if chk.missing:
            p = chk.product
            field = "path" if p.path is not None else "url"
            text = chk.missing if p.path is None else f"{p.path}: {chk.missing}"
            yield RULE.finding(text, **ctx.at(("products", p.index, field)))
