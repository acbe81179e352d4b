"""A product's SHA-256 differs from the manifest's.

*Why:* the hash proves that the archive stages exactly the bytes that were
reviewed; a difference with an equal size means the content changed (a
re-run pipeline, a damaged copy).  Only reported when the size matches
(otherwise CO005 says it).

*How to fix:* Run `hlsp manifest contributions/<proj-id>` if the file is right;
otherwise replace the file.

If the file is right, run ``hlsp manifest contributions/<proj-id>``; otherwise replace
the file.
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
