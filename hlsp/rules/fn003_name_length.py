"""The file name is longer than the maximum (90 characters).

*Why:* the whole file name (extension included) may have at most 90
characters (``max_name_length`` in ``validators/vocab/filename.yaml``): longer
names are cut or rejected by the archive's database and by some file
systems and tools.  The official MAST checker does not test this; this tool does.

*How to fix:* Shorten the target or a multi-valued field (or use 'multi').

Shorten the fields -- usually the target (use a catalogue id) or a multi-valued field
(use ``multi``).

*Example (file name):* fails::

    hlsp_phangs-muse-extra_hst-jwst_acs-nircam-miri_ngc1234-ngc1235-ngc1236_f814w-f200w-f770w_v1.0_img.fits

fixed::

    hlsp_phangs-muse-extra_multi_multi_ngc1234-ngc1235-ngc1236_multi_v1.0_img.fits
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FN003",
    name="name-length",
    category=Category.FILENAME,
    severity=Severity.ERROR,
    source="MAST File Naming Convention; HLSP-RULES sec. 1",
    scope="file",
)


@RULE.check
def check(ctx: FileContext):
    if not ctx.name.is_hlsp or ctx.vocab is None:
        return
    limit = ctx.vocab.max_name_length
    n = len(ctx.name.filename)
    if n > limit:
        yield RULE.finding(f"the file name has {n} characters; at most {limit} are allowed")
