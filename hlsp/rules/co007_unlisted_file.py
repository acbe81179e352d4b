"""A file in the collection folder is not listed in the manifest.

*Why:* the archive ingests what the manifest lists; a file that is in the
folder but not listed would be silently left out (or is left over and should
not be delivered).  ``hlsp.yaml``, ``README.md`` and hidden files are exempt.

*How to fix:* Run `hlsp manifest contributions/<proj-id>` to list it, or remove the
file.

*Example (folder):* fails::

    contributions/example/hlsp.yaml   (products: lists hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits only)
    contributions/example/hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
    contributions/example/hlsp_example_hst_acs_ngc1234_f606w_v1_drz.fits

fixed::

    hlsp manifest contributions/example   (lists the _drz file; or delete it if it is a leftover)
"""

import posixpath

from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="CO007",
    name="unlisted-file",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="MAST HLSP How-To (a manifest of the files); HLSP-RULES sec. 2",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    if ctx.contribution is None:
        return
    listed = {posixpath.normpath(p.path) for p in ctx.contribution.products if p.path is not None}
    for rel in ctx.folder_files:
        if posixpath.normpath(rel) not in listed:
            yield RULE.finding(f"{rel} is in the folder but not in the manifest", **ctx.at(("products",)))
