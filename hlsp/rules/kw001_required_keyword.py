"""A keyword the archive's profile requires (HLSPID, DOI, LICENSE, TELESCOP ... per product
type) is missing or empty.

Required for every HLSP product (``validators/profiles/common.yaml``):
``HLSPID``, ``HLSPTARG``, ``HLSPVER``, ``TELESCOP``, ``INSTRUME``,
``OBSERVAT``, ``DOI``, ``LICENSE``, ``LICENURL`` in the primary header; the
profile of the product type adds more (images: ``BUNIT``, ``FILTER``,
``RA_TARG``, ``DEC_TARG``, ``RADESYS`` and the WCS; light curves: ``APERTURE``,
``DETECTOR``, ``FILTER`` ...).  Each entry says in which HDU the keyword must
stand.  Table products are not asked for ``BUNIT`` (they use ``TUNITn``).

Applies to files named ``hlsp_...`` and, with ``--product-type``, to any file.

*Why:* the archive fills its database and search pages from these keywords;
a product without them cannot be ingested.

*How to fix:* Add the keyword with a value to the HDU named in the message.

Add the keyword, with a value, to the HDU the message names (``hlsp fix`` can add the
ones derivable from the file name).

*Example:* fails::

    (no HLSPID in the primary header)

fixed::

    HLSPID  = 'example '
"""

from hlsp.judge import FileView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._util import profile_gaps

RULE = Rule(
    id="KW001",
    name="required-keyword",
    category=Category.KEYWORDS,
    severity=Severity.ERROR,
    source="MAST Common / Spectral / Light-curve / Catalog Metadata; validators/profiles/*.yaml",
)


@RULE.check_headers
def check(file: FileView):
    if not file.is_product or file.profile is None:
        return ()
    return [RULE.finding(message, hdu=hdu, keyword=spec.name) for spec, hdu, message in profile_gaps(file, "required")]
