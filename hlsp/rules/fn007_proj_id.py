"""The proj-id field does not match ^[a-z][a-z0-9-]*[a-z0-9]$ or differs from the
collection's proj-id.

*Why:* the proj-id becomes the archive folder name and the ``HLSPID`` of
every product: it must match ``^[a-z][a-z0-9-]*[a-z0-9]$`` (start with a
letter, not end with ``-``), and every file of a collection must carry the
proj-id of its ``hlsp.yaml``.

*How to fix:* Use the collection's proj-id: a letter, then letters, digits or '-', not
ending in '-'.

Rename the file with the collection's proj-id.

*Example (file name):* fails::

    hlsp_3d-survey_hst_acs_m31_f814w_v1_img.fits

fixed::

    hlsp_threed-survey_hst_acs_m31_f814w_v1_img.fits
"""

from hlsp.names import PROJ_ID_RE
from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import expected

RULE = Rule(
    id="FN007",
    name="proj-id",
    category=Category.FILENAME,
    severity=Severity.ERROR,
    source="MAST File Naming Convention; HLSP-RULES sec. 1",
    scope="file",
)


@RULE.check
def check(ctx: FileContext):
    proj_id = ctx.name.proj_id
    if not ctx.name.is_hlsp or not proj_id:
        return  # FN001 / FN002
    value = proj_id.lower()  # case is FN002's finding
    if not PROJ_ID_RE.match(value):
        yield RULE.finding(
            f"the proj-id '{proj_id}' must start with a letter, hold only a-z, 0-9 and '-', and not end with '-'"
        )
    want = expected(ctx, "proj_id", "hlspid")
    if want and value != want.lower():
        yield RULE.finding(f"the proj-id '{proj_id}' differs from the collection's proj-id '{want}'")
