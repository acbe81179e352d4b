"""A WCS keyword numbers an axis beyond WCSAXES, CDELTi = 0, CRDERi/CSYERi < 0, or PCi_j is
combined with CDi_j or CROTA2.

*Why:* once ``WCSAXES`` (or ``WCSAXESa``) is given, no WCS keyword may number
an axis beyond it; ``CDELTi`` must not be 0 (the axis would have no scale);
the errors ``CRDERi``/``CSYERi`` cannot be negative; the ``PCi_j`` matrix
excludes both ``CDi_j`` and the old ``CROTA2`` (a reader cannot know which to
apply).  fitsverify reports each as an error.  (Whether the resulting WCS can
be used at all -- projections, singular matrices -- is judged by the ``wcs``
rules.)

*How to fix:* Keep WCS axis numbers within WCSAXES, give CDELTi its real non-zero value,
and use only one of PCi_j, CDi_j and CROTA2.

Raise ``WCSAXES`` or drop the extra keywords; write the real pixel scale; keep one of
``PCi_j``+``CDELTi``, ``CDi_j`` or ``CROTA2``.

*Example:* fails::

    CDELT1  =                  0.0

fixed::

    CDELT1  =            -2.78E-05
"""

from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._util import is_int
from hlsp.rules._wcs import wcs_indices

RULE = Rule(
    id="FS018",
    name="wcs-structure",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 8.2 and 8.3 (fitsverify errors)",
)

_STRING_PREFIXES = ("CTYPE", "CUNIT", "CNAME", "PS")


@RULE.check_hdu
def check(hdu: HduView):
    layout = hdu.layout
    indexed = [(pos, *parts) for pos, kw in enumerate(layout) if (parts := wcs_indices(kw)) is not None]
    if not indexed:
        return  # no indexed WCS keyword: nothing to check (no PCi_j either)
    wcsaxes = max(
        (c.value for c in hdu.cards_where(lambda kw: kw.startswith("WCSAXES")) if c.vtype == "int" and is_int(c.value)),
        default=None,
    )
    vtypes = hdu.value_types()
    first = {"PC": None, "CD": None}
    for pos, prefix, axes, alt in indexed:
        vtype = vtypes[pos]
        typed = vtype == "str" if prefix in _STRING_PREFIXES else vtype in ("int", "float")
        if not typed:
            continue  # no value (vtype "none"), or FS012 reports the type
        kw = layout[pos]
        if wcsaxes is not None and any(not 1 <= a <= wcsaxes for a in axes):
            message = f"card {pos + 1}: {kw} numbers an axis outside 1-{wcsaxes} (WCSAXES)"
            yield RULE.finding(message, hdu=hdu.index, keyword=kw)
        if prefix == "CDELT" and hdu.card_at(pos).value == 0:
            message = f"card {pos + 1}: {kw} = 0: an axis needs a non-zero scale"
            yield RULE.finding(message, hdu=hdu.index, keyword=kw)
        elif prefix in ("CRDER", "CSYER") and hdu.card_at(pos).value < 0:
            yield RULE.finding(f"card {pos + 1}: {kw} is negative", hdu=hdu.index, keyword=kw)
        if prefix in first and not alt and first[prefix] is None:
            first[prefix] = pos
    # PCi_j excludes CDi_j and CROTA2
    pc, cd = first["PC"], first["CD"]
    if pc is not None and cd is not None:
        message = f"{layout[pc]} (card {pc + 1}) and {layout[cd]} (card {cd + 1}): PCi_j and CDi_j exclude each other"
        yield RULE.finding(message, hdu=hdu.index, keyword=layout[cd])
    rot = layout.index("CROTA2") if "CROTA2" in layout else None
    if pc is not None and rot is not None and vtypes[rot] != "none":
        message = f"{layout[pc]} (card {pc + 1}) and CROTA2 (card {rot + 1}): PCi_j and CROTA2 exclude each other"
        yield RULE.finding(message, hdu=hdu.index, keyword="CROTA2")
