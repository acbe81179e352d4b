"""A product's size differs from the manifest's size.

*Why:* the manifest's size and sha256 are what the archive verifies after
every copy; a difference means the file changed after the manifest was
written, or the copy is damaged or truncated.  Remote transfers stop as soon
as more bytes arrive than the manifest gives.

*How to fix:* Run `hlsp manifest contributions/<proj-id>` if the file is right;
otherwise replace the file.

If the file is right, run ``hlsp manifest contributions/<proj-id>`` to record its size
and hash; otherwise replace the file.
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
