"""The product type (or an element of a compound type) is not in the vocabulary.

*Why:* the product type (the last field) tells the archive what the file is
and which keyword profile applies (``validators/vocab/product-types.yaml``).
A compound type joins known types with ``-`` (``spec-x1d``); each element is
checked.  A new type is possible, but a reviewer has to accept it, so this is
a warning, not an error.

*How to fix:* Use a listed product type (img, drz, spec, x1d, lc, llc, cat, sed, model
...) or ask the archive to add it.

Use a listed type (img, drz, i2d, spec, x1d, lc, llc, cat, sed, model, preview ...), or
ask the archive to add yours to ``validators/vocab/filename.yaml``.

*Example (file name):* fails::

    hlsp_demo_hst_acs_m31_f814w_v1_image.fits

fixed::

    hlsp_demo_hst_acs_m31_f814w_v1_img.fits
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FN008",
    name="product-type",
    category=Category.FILENAME,
    severity=Severity.WARNING,
    source="MAST File Naming Convention; mast_contributor_tools fc_config.yaml",
    scope="file",
)


@RULE.check
def check(ctx: FileContext):
    ptype = ctx.name.product_type
    if not ptype or ctx.vocab is None:
        return
    for element in ptype.lower().split("-"):
        if element and element not in ctx.vocab.product_types:
            note = "" if element[0].isalpha() else " (and it does not start with a letter, as name fields should)"
            yield RULE.finding(f"the product type '{element}' is not in the vocabulary{note}")
