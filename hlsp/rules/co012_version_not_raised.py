"""Files changed against the collection on the base branch, but the version did not
increase.

*Why:* the archive requires the version to increase with every delivery
that replaces, adds or removes a file, so that users can tell releases
apart and cite the one they used.  The previous version is the collection's
``hlsp.yaml`` on the base branch (``origin/main`` or ``main``, or
``hlsp validate --base REF``); the check is skipped outside a git work tree
and for new collections.

*How to fix:* Raise `version` in hlsp.yaml, rename the files and run `hlsp fix --write`
for HLSPVER.

Raise ``version`` in ``hlsp.yaml`` (``v1`` -> ``v2`` or ``v1.1``), rename the files and
``HLSPVER`` accordingly (``hlsp fix`` updates the headers), and add a ``history`` entry.

*Example (hlsp.yaml):* fails::

    version: v1   # as on the base branch, though this pull request replaces the F606W image

fixed::

    version: v2   # with the files renamed ..._v2_..., HLSPVER = 'v2' and a history entry for v2
"""

from hlsp.names import version_key
from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="CO012",
    name="version-not-raised",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="MAST File Naming Convention (version must increase with any replaced file); HLSP-RULES sec. 1",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    c, prev = ctx.contribution, ctx.previous
    if c is None or prev is None or not c.version or not prev.version:
        return
    # Imported here: the rule registry loads for plain files too, which need no hlsp.collection_facts.
    from hlsp.collection_facts import version_diff

    if not version_diff(c, prev).any:
        return
    if version_key(c.version) <= version_key(prev.version):
        yield RULE.finding(
            f"files changed since {prev.ref} (version {prev.version}) but the version is still {c.version}: raise it",
            **ctx.at(("version",)),
        )
