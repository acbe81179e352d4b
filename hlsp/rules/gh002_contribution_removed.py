"""The pull request removes a whole collection.

*Why:* removing ``contributions/<id>/`` withdraws a collection from the
next release of the landing pages and from staging.  That may be
intended (a superseded product), but a reviewer must see it.

*How to fix:* Say in the pull request why the collection is withdrawn; the archive keeps
published versions.

Nothing, if the removal is intended: explain it in the pull request. Otherwise restore
the folder.

The check judges the facts :mod:`hlsp.gh.check` gathers from git (each
touched contribution folder and whether it was added, modified, renamed or
deleted: :class:`~hlsp.rules._base.PullRequestContext`); removing files from a
folder that stays is not a removal.  The file and collection runners skip
rules of scope ``pull-request``.

*Example (changed paths):* fails::

    D  contributions/old-survey/hlsp.yaml
    D  contributions/old-survey/README.md
    D  contributions/old-survey/hlsp_old-survey_hst_acs_m31_f814w_v1_img.fits

fixed::

    (an intended removal stays a warning: say why in the pull request; otherwise restore the folder)
    D  contributions/old-survey/hlsp_old-survey_hst_acs_m31_f814w_v1_img.fits
    M  contributions/old-survey/hlsp.yaml   (one product withdrawn, the collection kept)
"""

from hlsp.rules._base import Category, PullRequestContext, Rule, Severity

RULE = Rule(
    id="GH002",
    name="contribution-removed",
    category=Category.COLLECTION,
    severity=Severity.WARNING,
    source="Contribution process (CONTRIBUTING.md)",
    scope="pull-request",
)


@RULE.check
def check(ctx: PullRequestContext):
    for change in ctx.changes.contributions:
        if change.status == "deleted":
            yield RULE.finding(f"this pull request removes the collection {change.id!r}", path=change.path)
