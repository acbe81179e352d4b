"""A manifest path is absolute, uses '..', or resolves outside the collection folder.

*Why:* a collection is exactly one folder.  A path that is absolute, climbs
out with ``..`` or reaches another place through a symbolic link would make
validation (and later staging) read files that are not part of the
contribution -- on a CI machine, possibly secrets.  Such paths are refused
before anything is read through them.

*How to fix:* Give paths relative to the collection folder and keep the files inside it
(no links pointing out).

Put the file inside ``contributions/<proj-id>/`` and give its path relative to that
folder (``hlsp_..._img.fits``, or ``images/...``); replace symbolic links by the files
themselves.

*Example (hlsp.yaml):* fails::

    products:
      - path: ../other-team/hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
        size: 23040
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
        product_type: img

fixed::

    products:   # the file itself, copied into contributions/example/
      - path: hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
        size: 23040
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
        product_type: img
"""

from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="CO002",
    name="unsafe-path",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="hlsp security policy (nothing outside the contribution folder is read)",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    for chk in ctx.checks:
        p = chk.product
        if p.path is not None and chk.refused:
            yield RULE.finding(f"{p.path!r} refused: {chk.refused}", **ctx.at(("products", p.index, "path")))
