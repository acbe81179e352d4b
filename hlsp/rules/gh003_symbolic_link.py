"""A contribution folder contains a symbolic link or a git submodule.

*Why:* the archive copies regular files.  A link points outside the
collection (or nowhere), so what was reviewed is not what would be
published, and a link into the build machine could leak its files into
the public report.  A git submodule (a "gitlink") is a link to a commit of
another repository: its files are not in the pull request at all.

*How to fix:* Replace the link with the file itself, or list a remote product by URL in
hlsp.yaml.

Commit the file itself, or put a large product in remote storage and list its URL, size
and sha256 in ``hlsp.yaml``.

The check judges the git mode of every file of the contributions the pull
request keeps, as git holds them at its head (not what happens to be on disk),
gathered by :mod:`hlsp.gh.check` (:class:`~hlsp.rules._base.PullRequestContext`);
what it reports is never hashed nor validated.  The file and collection
runners skip rules of scope ``pull-request``.

*Example (changed paths):* fails::

    A  contributions/example/hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits -> /data/ngc1234/final.fits
       (git mode 120000: a symbolic link)

fixed::

    A  contributions/example/hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
       (git mode 100644: the file itself)
"""

from hlsp.rules._base import Category, PullRequestContext, Rule, Severity

RULE = Rule(
    id="GH003",
    name="symbolic-link",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="Contribution process (CONTRIBUTING.md)",
    scope="pull-request",
)


SYMLINK_MODE = "120000"
GITLINK_MODE = "160000"  # a git submodule
GITLINK_MESSAGE = "this is a git submodule (a link to a commit of another repository), not a file"


@RULE.check
def check(ctx: PullRequestContext):
    for change in ctx.changes.to_validate:
        for mode, path in ctx.tracked.get(change.id, ()):
            if mode == SYMLINK_MODE:
                yield RULE.finding("this is a symbolic link, not a file", path=path)
            elif mode == GITLINK_MODE:
                yield RULE.finding(GITLINK_MESSAGE, path=path)
