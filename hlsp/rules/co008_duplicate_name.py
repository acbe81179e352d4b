"""Two manifest entries have the same file name (ignoring case and folders).

*Why:* the archive stores a collection's files in one place by name; two
entries with the same name (in different sub-folders, or a local file and a
URL, or names differing only in case) would overwrite each other.

*How to fix:* Give every file a unique name and list it once.

Give every file a unique name (the HLSP naming template makes names unique through
target, filter and product type) and list it once.

*Example (hlsp.yaml):* fails::

    products:
      - path: hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
        size: 23040
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
        product_type: img
      - path: drizzled/hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
        size: 23040
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
        product_type: img

fixed::

    products:
      - path: hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
        size: 23040
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
        product_type: img
      - path: drizzled/hlsp_example_hst_acs_ngc1234_f606w_v1_drz.fits
        size: 23040
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
        product_type: drz
"""

from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="CO008",
    name="duplicate-name",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="MAST File Naming Convention (names unique within a collection); HLSP-RULES sec. 1",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    if ctx.contribution is None:
        return
    first: dict[str, int] = {}
    for p in ctx.contribution.products:
        key = p.filename.lower()
        if not key:
            continue
        if key in first:
            line = ctx.at(("products", first[key]))["line"]
            yield RULE.finding(
                f"{p.location} has the same file name as the entry on line {line}",
                **ctx.at(("products", p.index, "path" if p.path is not None else "url")),
            )
        else:
            first[key] = p.index
