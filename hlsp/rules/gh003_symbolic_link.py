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

Its findings are made by :mod:`hlsp.gh.check`, which sees the whole pull
request (the files it changes, its labels); the file and collection runners
skip rules of scope ``pull-request``.

*Example (changed paths):* fails::

    A  contributions/example/hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits -> /data/ngc1234/final.fits
       (git mode 120000: a symbolic link)

fixed::

    A  contributions/example/hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits
       (git mode 100644: the file itself)
"""

from hlsp.rules._base import Category, Rule, Severity

RULE = Rule(
    id="GH003",
    name="symbolic-link",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="Contribution process (CONTRIBUTING.md)",
    scope="pull-request",
)


@RULE.check
def check(ctx):
    """Nothing to check in one file or one collection: see :mod:`hlsp.gh.check`."""
    return iter(())
