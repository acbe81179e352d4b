"""Lists the files added, removed and changed against the previous version on the base
branch.

*Why:* reviewers and users want to know which files a new delivery adds,
removes and replaces.  The comparison is with the collection's ``hlsp.yaml``
on the base branch; files are matched by name with the version field
ignored (``..._v1_img.fits`` and ``..._v2_img.fits`` are the same product)
and compared by their manifest sha256.

*How to fix:* Check that the list is what you meant to deliver and that the README says
so.

*Example (hlsp.yaml):* fails::

    version: v2   # the base branch has v1; the F606W image changed, a _drz image is new
    (noted: against v1 on origin/main: 1 added (hlsp_example_hst_acs_ngc1234_f606w_v2_drz.fits);
     1 changed (hlsp_example_hst_acs_ngc1234_f606w_v2_img.fits); 7 unchanged)

fixed::

    (a note, not a failure: it stays; check the list, and say the same in history and README.md)
    history:
      - {version: v1, date: 2026-11-01, changes: "First release."}
      - {version: v2, date: 2027-03-15, changes: "Recalibrated the F606W image; added the drizzled one."}
"""

from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="CO013",
    name="version-changes",
    category=Category.COLLECTION,
    severity=Severity.INFO,
    source="MAST HLSP How-To (README: what changed since the last delivery)",
    scope="collection",
)

SHOWN = 20


def _names(label: str, names: list[str]) -> str:
    more = f" and {len(names) - SHOWN} more" if len(names) > SHOWN else ""
    return f"{len(names)} {label} ({', '.join(names[:SHOWN])}{more})"


@RULE.check
def check(ctx: CollectionContext):
    c, prev = ctx.contribution, ctx.previous
    if c is None or prev is None:
        return
    # Imported here: the rule registry loads for plain files too, which need no hlsp.collection_facts.
    from hlsp.collection_facts import version_diff

    diff = version_diff(c, prev)
    if not diff.any and prev.version == c.version:
        return
    parts = [
        _names(label, names)
        for label, names in (("added", diff.added), ("removed", diff.removed), ("changed", diff.changed))
        if names
    ]
    parts.append(f"{diff.unchanged} unchanged")
    yield RULE.finding(
        f"against {prev.version or 'the previous version'} on {prev.ref}: " + "; ".join(parts),
        **ctx.at(("version",)),
    )
