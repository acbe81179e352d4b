"""The pull request removes a whole collection.

*Why:* removing ``contributions/<id>/`` withdraws a collection from the
next release of the landing pages and from staging.  That may be
intended (a superseded product), but a reviewer must see it.

*How to fix:* Say in the pull request why the collection is withdrawn; the archive keeps
published versions.

Nothing, if the removal is intended: explain it in the pull request. Otherwise restore
the folder.

Its findings are made by :mod:`hlsp.gh.check`, which sees the whole pull
request (the files it changes, its labels); the file and collection runners
skip rules of scope ``pull-request``.

*Example (changed paths):* fails::

    D  contributions/old-survey/hlsp.yaml
    D  contributions/old-survey/README.md
    D  contributions/old-survey/hlsp_old-survey_hst_acs_m31_f814w_v1_img.fits

fixed::

    (an intended removal stays a warning: say why in the pull request; otherwise restore the folder)
    D  contributions/old-survey/hlsp_old-survey_hst_acs_m31_f814w_v1_img.fits
    M  contributions/old-survey/hlsp.yaml   (one product withdrawn, the collection kept)
"""

from hlsp.rules._base import Category, Rule, Severity

RULE = Rule(
    id="GH002",
    name="contribution-removed",
    category=Category.COLLECTION,
    severity=Severity.WARNING,
    source="Contribution process (CONTRIBUTING.md)",
    scope="pull-request",
)


@RULE.check
def check(ctx):
    """Nothing to check in one file or one collection: see :mod:`hlsp.gh.check`."""
    return iter(())
