"""The pull request changes files outside `contributions/<id>/`.

*Why:* a science team's pull request adds or updates its own collection
folder, ``contributions/<id>/``, and nothing else.  Changes to the
validator, the workflows or another team's folder need a maintainer's
review of their own; mixing them into a data submission hides them.

*How to fix:* Move the change into a separate pull request, or ask a maintainer to add
the 'maintenance' label.

Keep only the files under ``contributions/<id>/`` in this pull request. A maintainer who
means to change the project adds the ``maintenance`` label, which turns this error off.

The check judges the facts :mod:`hlsp.gh.check` gathers from git (the
changed paths outside every ``contributions/<id>/``, the pull request's
labels: :class:`~hlsp.rules._base.PullRequestContext`); the file and
collection runners skip rules of scope ``pull-request``.

*Example (changed paths):* fails::

    A  contributions/example/hlsp_example_hst_acs_ngc1234_f606w_v1_drz.fits
    M  .github/workflows/validate.yml

fixed::

    A  contributions/example/hlsp_example_hst_acs_ngc1234_f606w_v1_drz.fits
    (the workflow change in a pull request of its own, or the 'maintenance' label)
"""

from hlsp.rules._base import Category, PullRequestContext, Rule, Severity

RULE = Rule(
    id="GH001",
    name="outside-contributions",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="Contribution process (CONTRIBUTING.md)",
    scope="pull-request",
)


MAINTENANCE_LABELS = ("maintenance",)  # a label that allows changes outside contributions/


@RULE.check
def check(ctx: PullRequestContext):
    if any(label in MAINTENANCE_LABELS for label in ctx.labels):
        return
    for path in ctx.changes.outside:
        yield RULE.finding("this pull request changes a file outside contributions/<id>/", path=path)
