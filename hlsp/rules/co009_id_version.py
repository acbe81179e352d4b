"""The folder name differs from proj_id, or a file name's version from the version in
hlsp.yaml.

*Why:* the proj-id and the version appear in four places -- the folder
name, ``hlsp.yaml``, every file name and every primary header (``HLSPID``,
``HLSPVER``) -- and the archive relies on all of them agreeing.  This rule
compares the folder name with ``proj_id`` and each file name's version field
with ``version``; FN007 compares the file names' proj-id and the keyword
rules compare the headers.

*How to fix:* Make the folder name, hlsp.yaml, the file names and HLSPID/HLSPVER agree.

Rename the folder or the files, or correct ``hlsp.yaml``; a new version renames every
file (``..._v1_img.fits`` -> ``..._v2_img.fits``).

*Example (hlsp.yaml):* fails::

    version: v2   # while every file name says _v1_

fixed::

    version: v1   # or rename every file ..._v2_... and set HLSPVER = 'v2'
"""

import os

from hlsp.rules._base import Category, CollectionContext, Rule, Severity

RULE = Rule(
    id="CO009",
    name="id-version-mismatch",
    category=Category.COLLECTION,
    severity=Severity.ERROR,
    source="MAST File Naming Convention; HLSP-RULES sec. 1",
    scope="collection",
)


@RULE.check
def check(ctx: CollectionContext):
    c = ctx.contribution
    if c is None:
        return
    folder = os.path.basename(os.path.normpath(os.path.abspath(c.root)))
    if c.proj_id and folder != c.proj_id:
        yield RULE.finding(
            f"the folder is named {folder!r} but proj_id is {c.proj_id!r}: they must be the same",
            **ctx.at(("proj_id",)),
        )
    if not c.version:
        return
    for p in c.products:
        version = p.name.version
        if version is not None and version != c.version:
            yield RULE.finding(
                f"{p.filename} carries version {version!r}, hlsp.yaml says {c.version!r}",
                **ctx.at(("products", p.index, "path" if p.path is not None else "url")),
            )
