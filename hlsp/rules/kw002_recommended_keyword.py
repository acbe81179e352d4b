"""A keyword the archive's profile recommends (HLSPLEAD, HLSPNAME, DATE-BEG, XPOSURE ...)
is missing or empty.

Recommended (``validators/profiles/*.yaml``): ``HLSPLEAD``, ``HLSPNAME``, the
time keywords ``DATE-BEG``/``DATE-END`` (or ``MJD-BEG``/``MJD-END``),
``TIMESYS``, ``XPOSURE`` (or ``EXPTIME``); images also ``PSFSIZE`` and
``WCSAXES``.

Applies to files named ``hlsp_...`` and, with ``--product-type``, to any file.

*Why:* the archive derives missing time keywords at ingest, and a reviewer
may accept their absence -- but the derived values are coarser than yours.

*How to fix:* Add the keyword to the HDU named in the message.

Add the keyword to the HDU the message names; the hint says when ``hlsp fix <folder>
--write`` can add it and from where (see KW001).

*Example:* fails::

    (no XPOSURE nor EXPTIME in the primary header)

fixed::

    XPOSURE =                300.0 / [s] exposure time
"""

from hlsp.judge import FileView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._hints import keyword_hint_of
from hlsp.rules._util import profile_gaps

RULE = Rule(
    id="KW002",
    name="recommended-keyword",
    category=Category.KEYWORDS,
    severity=Severity.WARNING,
    source="MAST Common Metadata; validators/profiles/*.yaml",
)


@RULE.check_headers
def check(file: FileView):
    if not file.is_product or file.profile is None:
        return ()
    gaps = profile_gaps(file, "recommended")
    if not gaps:
        return ()
    return [
        RULE.finding(message, hdu=hdu, keyword=spec.name, hint=keyword_hint_of(file, spec.name, RULE.hint))
        for spec, hdu, message in gaps
    ]
