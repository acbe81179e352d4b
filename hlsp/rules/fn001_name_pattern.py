"""The file name is not
hlsp_<proj-id>_<observatory>_<instrument>_<target>_<opt-elem>_<version>_<product-type>.<ext>.

Every file of a collection is named
``hlsp_<proj-id>_<observatory>_<instrument>_<target>_<opt-elem>_<version>_<product-type>.<ext>``:
``hlsp_`` and seven fields separated by ``_``.  README files are named
``hlsp_<proj-id>_readme.<ext>``.

*Why:* the archive files, indexes and links products by these fields; a file
that does not follow the template cannot be ingested.

*How to fix:* Rename the file to
hlsp_<proj-id>_<observatory>_<instrument>_<target>_<opt-elem>_<version>_<product-type>.<ext>.

Rename the file. Join several values of one field with ``-`` (``hst-jwst``,
``f606w-f814w``), never with ``_``. The other filename rules (FN002-FN009) judge only
names that start with ``hlsp_``.

*Example (file name):* fails::

    hlsp_demo_hst_acs_m31_f606w_f814w_v1_img.fits

fixed::

    hlsp_demo_hst_acs_m31_f606w-f814w_v1_img.fits
"""

from hlsp.names import FIELDS
from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FN001",
    name="name-pattern",
    category=Category.FILENAME,
    severity=Severity.ERROR,
    source="MAST File Naming Convention; HLSP-RULES sec. 1",
    scope="file",
)


@RULE.check
def check(ctx: FileContext):
    name = ctx.name
    if not name.is_hlsp:
        yield RULE.finding(f"'{name.filename}' does not start with 'hlsp_'; it is not named as an HLSP product")
        return
    if name.is_readme or name.fields is not None:
        return
    found = len(name.parts) - 1
    msg = f"'{name.filename}' has {found} field{'s' if found != 1 else ''} after 'hlsp_'; expected {len(FIELDS)}"
    if "" in name.parts[1:]:
        msg += " (an empty field: a doubled or stray '_')"
    elif found > len(FIELDS):
        msg += " (join several values of one field with '-', not '_')"
    yield RULE.finding(msg)
