"""A manifest URL is not https:// or s3://, or points to a private or local address.

*Why:* remote products are fetched while validating untrusted pull
requests.  Only ``https://`` and ``s3://`` are accepted: ``file://`` would read
the validating machine's own files, plain ``http://`` can be altered in
transit, and a host resolving to a private, loopback or link-local address
would let a contribution probe internal services.  Nothing is fetched from a
refused URL.

*How to fix:* Use a public https:// or s3:// URL.

Publish the file on a public https server or an S3 bucket and give that URL. (Local test
servers: set ``HLSP_ALLOW_PRIVATE_URLS=1``.)

*Example (hlsp.yaml):* fails::

    products:
      - url: http://data.hlsp-example.invalid/hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
        size: 23040
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
        product_type: img

fixed::

    products:
      - url: https://data.hlsp-example.invalid/hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
        size: 23040
        sha256: f3bdd78eba81e3c4fc30346cf39c51756ed74565c58cc910c615fbf192960975
        product_type: img
"""

from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="CO003",
    name="url-refused",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="hlsp security policy; GitHub Security Lab, 'Preventing pwn requests'",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    for chk in ctx.checks:
        p = chk.product
        if p.url is not None and p.path is None and chk.refused:
            yield RULE.finding(f"{p.url} refused: {chk.refused}", **ctx.at(("products", p.index, "url")))
