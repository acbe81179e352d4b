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

While ``hlsp.yaml`` says ``doi: pending`` the ``DOI`` card is not asked for:
the archive mints the DOI when it accepts the collection and records it when
it stages the files (MD005 keeps the pending DOI visible as a warning).

*How to fix:* Add the keyword with a value to the HDU named in the message.

The hint says when ``hlsp fix <folder> --write`` can add the keyword, and from where: an
equivalent keyword of the file (``RA_OBJ`` -> ``RA_TARG``, ``TELESCOP`` -> ``OBSERVAT``,
``CCD`` -> ``DETECTOR``; the table is ``validators/vocab/keyword-sources.yaml``),
``hlsp.yaml`` or the file name. For a keyword none of these give (``APERTURE``, say),
write it under ``keywords:`` in ``hlsp.yaml`` and run ``hlsp fix`` again, or add it to
the file yourself.

*Example:* fails::

    (no HLSPID in the primary header)

fixed::

    HLSPID  = 'example '
"""

from hlsp.judge import FileView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._hints import keyword_hint_of
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
    gaps = profile_gaps(file, "required")
    if not gaps:
        return ()
    pending = str(file.expected("doi") or "").strip().lower() == "pending"
    return [
        RULE.finding(message, hdu=hdu, keyword=spec.name, hint=keyword_hint_of(file, spec.name, RULE.hint))
        for spec, hdu, message in gaps
        if not (pending and spec.name == "DOI")  # no DOI card while hlsp.yaml says pending (MD005)
    ]
