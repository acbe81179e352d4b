"""The pull request changes files outside `contributions/<id>/`.

*Why:* a science team's pull request adds or updates its own collection
folder, ``contributions/<id>/``, and nothing else.  Changes to the
validator, the workflows or another team's folder need a maintainer's
review of their own; mixing them into a data submission hides them.

*How to fix:* Move the change into a separate pull request, or ask a maintainer to add
the 'maintenance' label.

Keep only the files under ``contributions/<id>/`` in this pull request. A maintainer who
means to change the project adds the ``maintenance`` label, which turns this error off.

Its findings are made by :mod:`hlsp.gh.check`, which sees the whole pull
request (the files it changes, its labels); the file and collection runners
skip rules of scope ``pull-request``.

*Example (changed paths):* fails::

    A  contributions/example/hlsp_example_hst_acs_ngc1234_f606w_v1_drz.fits
    M  .github/workflows/validate.yml

fixed::

    A  contributions/example/hlsp_example_hst_acs_ngc1234_f606w_v1_drz.fits
    (the workflow change in a pull request of its own, or the 'maintenance' label)
"""

from hlsp.rules._base import Category, Rule, Severity

RULE = Rule(
    id="GH001",
    name="outside-contributions",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="Contribution process (CONTRIBUTING.md)",
    scope="pull-request",
)


@RULE.check
def check(ctx):
    """Nothing to check in one file or one collection: see :mod:`hlsp.gh.check`."""
    return iter(())
