"""The file extension is missing or not in the archive's list (fits, fits.gz, fits.fz, csv,
png ...).

*Why:* the archive serves each file with a content type taken from its
extension; unknown extensions are refused at ingest.  Accepted:
``validators/vocab/filename.yaml`` (fits, fits.gz, fits.bz2, fits.fz, asdf,
csv, ecsv, h5, png, jpg, pdf, txt, md, tar.gz ...).

*How to fix:* Use an accepted extension (see validators/vocab/filename.yaml), e.g. .fits
instead of .fit.

Convert the file to an accepted format, or rename it with the accepted spelling
(``.fits``, not ``.fit`` or ``.fts``).

*Example (file name):* fails::

    hlsp_demo_hst_acs_m31_f814w_v1_img.fit

fixed::

    hlsp_demo_hst_acs_m31_f814w_v1_img.fits
"""

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FN006",
    name="extension",
    category=Category.FILENAME,
    severity=Severity.ERROR,
    source="MAST File Naming Convention; mast_contributor_tools fc_config.yaml",
    scope="file",
)


@RULE.check
def check(ctx: FileContext):
    name = ctx.name
    if not name.is_hlsp or ctx.vocab is None:
        return
    ext = name.extension.lower()  # case is FN002's finding
    if not ext:
        yield RULE.finding(f"'{name.filename}' has no extension")
    elif ext not in ctx.vocab.extensions:
        yield RULE.finding(f"the extension '.{name.extension}' is not accepted by the archive")
