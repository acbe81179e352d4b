"""A keyword the archive's profile suggests (PROPOSID, REFERENC, MJD-MID, TELAPSE ...) is
missing.

Suggested (``validators/profiles/*.yaml``): ``PROPOSID``, ``REFERENC``,
``MJD-BEG``/``MJD-END``/``MJD-MID``, ``TELAPSE``, ``EXPTIME``; images also
``APERTURE`` and ``DETECTOR``.

Applies to files named ``hlsp_...`` and, with ``--product-type``, to any file.

*Why:* they make the product easier to find and to cite; nothing breaks
without them, so this is only a note.

*How to fix:* Add the keyword if its value is known.

*Example:* fails::

    (no PROPOSID in the primary header)

fixed::

    PROPOSID= '12345   '
"""

from hlsp.judge import FileView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._util import profile_gaps

RULE = Rule(
    id="KW003",
    name="suggested-keyword",
    category=Category.KEYWORDS,
    severity=Severity.INFO,
    source="MAST Common Metadata; validators/profiles/*.yaml",
)


@RULE.check_headers
def check(file: FileView):
    if not file.is_product or file.profile is None:
        return ()
    return [RULE.finding(message, hdu=hdu, keyword=spec.name) for spec, hdu, message in profile_gaps(file, "suggested")]
