"""Rules about a pull request as a whole (GH001-GH003).

They are registered with the other rules (``hlsp rules GH001`` explains them,
``docs/rules.md`` lists them), but their findings are made by
:mod:`hlsp.gh.check`, which sees the whole pull request: the files it
changes, its labels, the folders it adds.  A single collection, which is all
the collection-level rule runner sees, gives them nothing to check.
"""

from __future__ import annotations

from hlsp.findings import Category, Severity
from hlsp.rules._base import Rule

MAINTENANCE_LABELS = ("maintenance",)


def _nothing_at_collection_level(ctx):
    """These rules need the whole pull request; see :mod:`hlsp.gh.check`."""
    return iter(())


OUTSIDE = Rule(
    id="GH001",
    name="outside-contributions",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    summary="The pull request changes files outside `contributions/<id>/`.",
    hint="Move the change into a separate pull request, or ask a maintainer to add the 'maintenance' label.",
    source="Contribution process (CONTRIBUTING.md)",
    scope="collection",
    func=_nothing_at_collection_level,
    doc="""
    The pull request changes files outside its collection folder.

    *Why:* a science team's pull request adds or updates its own collection
    folder, ``contributions/<id>/``, and nothing else.  Changes to the
    validator, the workflows or another team's folder need a maintainer's
    review of their own; mixing them into a data submission hides them.

    *How to fix:* keep only the files under ``contributions/<id>/`` in this
    pull request.  A maintainer who means to change the project adds the
    ``maintenance`` label, which turns this error off.
    """,
)

DELETED = Rule(
    id="GH002",
    name="contribution-removed",
    category=Category.COLLECTION,
    severity=Severity.WARNING,
    summary="The pull request removes a whole collection.",
    hint="Say in the pull request why the collection is withdrawn; the archive keeps published versions.",
    source="Contribution process (CONTRIBUTING.md)",
    scope="collection",
    func=_nothing_at_collection_level,
    doc="""
    The pull request removes a whole collection folder.

    *Why:* removing ``contributions/<id>/`` withdraws a collection from the
    next release of the landing pages and from staging.  That may be
    intended (a superseded product), but a reviewer must see it.

    *How to fix:* nothing, if the removal is intended: explain it in the pull
    request.  Otherwise restore the folder.
    """,
)

SYMLINK = Rule(
    id="GH003",
    name="symbolic-link",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    summary="A contribution folder contains a symbolic link.",
    hint="Replace the link with the file itself, or list a remote product by URL in hlsp.yaml.",
    source="Contribution process (CONTRIBUTING.md)",
    scope="collection",
    func=_nothing_at_collection_level,
    doc="""
    A contribution folder contains a symbolic link.

    *Why:* the archive copies regular files.  A link points outside the
    collection (or nowhere), so what was reviewed is not what would be
    published, and a link into the build machine could leak its files into
    the public report.

    *How to fix:* commit the file itself, or put a large product in remote
    storage and list its URL, size and sha256 in ``hlsp.yaml``.
    """,
)

RULES = [OUTSIDE, DELETED, SYMLINK]
for _rule in RULES:
    _rule.module = __name__
