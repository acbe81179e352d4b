"""The version field is not vX[.Y[.Z]] (v1, v1.2, v1.2.2a).

*Why:* the archive orders deliveries by version and requires it to increase
whenever a file is replaced.  The documented form is ``v`` followed by X, X.Y
or X.Y.Z, where X (no leading zero) and Y are numbers of up to two digits and
Z up to two letters or digits: ``v1``, ``v1.2``, ``v10.0.1``, ``v1.2.2a``.
(The official MAST checker accepts ``v01``, ``vp1`` and ``v1..1`` and rejects
``v1.2.2a``: a known defect that this rule does not copy.)

*How to fix:* Write the version as v1, v1.0 or v1.0.1 (no leading zero, X and Y up to
two digits).

Rename the file with a version such as ``v1`` or ``v1.0``.

*Example (file name):* fails::

    hlsp_demo_hst_acs_m31_f814w_1.0_img.fits

fixed::

    hlsp_demo_hst_acs_m31_f814w_v1.0_img.fits
"""

from hlsp.names import VERSION_RE
from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FN005",
    name="version-format",
    category=Category.FILENAME,
    severity=Severity.ERROR,
    source="MAST File Naming Convention; HLSP-RULES sec. 1",
    scope="file",
)


@RULE.check
def check(ctx: FileContext):
    version = ctx.name.version
    if version is None or not version:
        return  # no version field (FN001) or an empty one (FN002)
    if not VERSION_RE.match(version.lower()):  # upper case is FN002's finding
        yield RULE.finding(f"the version '{version}' is not of the form vX[.Y[.Z]] (e.g. v1, v1.2, v1.2.2a)")
