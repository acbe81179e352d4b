"""A product's SHA-256 differs from the manifest's.

*Why:* the hash proves that the archive stages exactly the bytes that were
reviewed; a difference with an equal size means the content changed (a
re-run pipeline, a damaged copy).  Only reported when the size matches
(otherwise CO005 says it).

*How to fix:* Run `hlsp manifest contributions/<proj-id>` if the file is right;
otherwise replace the file.

If the file is right, run ``hlsp manifest contributions/<proj-id>``; otherwise replace
the file.

*Example (hlsp.yaml):* fails::

    products:   # the hash of an earlier run of the pipeline
      - path: hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
        size: 23040
        sha256: 0d6f4e6a56a3fd5cbc7e1b1c0a0a4ba0a0f5cbd9a3e1a2f0a6d1c9b5f4e3a2b1
        product_type: img

fixed::

    products:   # hlsp manifest contributions/example
      - path: hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
        size: 23040
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
        product_type: img
"""

from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="CO006",
    name="sha256-mismatch",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="HLSP-RULES sec. 4 (integrity)",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    for chk in ctx.checks:
        p = chk.product
        if not chk.sha256 or not isinstance(p.sha256, str) or chk.sha256 == p.sha256:
            continue
        if chk.size is not None and p.size is not None and chk.size != p.size:
            continue  # CO005
        yield RULE.finding(
            f"{chk.display}: sha256 is {chk.sha256}, the manifest gives {p.sha256}",
            **ctx.at(("products", p.index, "sha256")),
        )
