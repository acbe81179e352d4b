"""A product's size differs from the manifest's size.

*Why:* the manifest's size and sha256 are what the archive verifies after
every copy; a difference means the file changed after the manifest was
written, or the copy is damaged or truncated.  Remote transfers stop as soon
as more bytes arrive than the manifest gives.

*How to fix:* Run `hlsp manifest contributions/<proj-id>` if the file is right;
otherwise replace the file.

If the file is right, run ``hlsp manifest contributions/<proj-id>`` to record its size
and hash; otherwise replace the file.

*Example (hlsp.yaml):* fails::

    products:   # written before the image gained a header block: it has 23040 bytes now
      - path: hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
        size: 20160
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
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
    id="CO005",
    name="size-mismatch",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="HLSP-RULES sec. 4 (integrity)",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    for chk in ctx.checks:
        p = chk.product
        if chk.size is None or p.size is None or chk.size == p.size:
            continue
        found = f"more than {p.size} bytes (transfer stopped)" if chk.stopped_early else f"{chk.size} bytes"
        yield RULE.finding(
            f"{chk.display}: {found}, the manifest gives {p.size}", **ctx.at(("products", p.index, "size"))
        )
