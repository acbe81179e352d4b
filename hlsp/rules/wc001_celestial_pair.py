"""A celestial CTYPE has no matching partner (RA---TAN without DEC--TAN), or the pair
mismatches in system or projection.

A celestial WCS needs exactly one longitude and one latitude axis of the same
coordinate system and projection: ``RA---TAN`` with ``DEC--TAN``, ``GLON-CAR``
with ``GLAT-CAR``, ``HPLN-TAN`` with ``HPLT-TAN``.  Also reported: a type with
a projection code that is not a celestial type (``FOO--TAN``), a third
celestial axis, two non-linear spectral axes, two CUBEFACE axes.  Checked for
the primary WCS and each alternate (``CTYPE1A`` ...) of every HDU.

*Why:* astropy.wcs and every WCSLIB-based program refuse such a header
(``InconsistentAxisTypesError``): the file has no usable coordinates.

*How to fix:* Pair the axes: RA---TAN with DEC--TAN, GLON-CAR with GLAT-CAR (same
projection code).

Give the partner axis the same projection code and the matching type, e.g. ``CTYPE1 =
'RA---TAN'`` and ``CTYPE2 = 'DEC--TAN'``.

*Example:* fails::

    CTYPE1  = 'RA---TAN'
    CTYPE2  = 'GLAT-TAN'

fixed::

    CTYPE1  = 'RA---TAN'
    CTYPE2  = 'DEC--TAN'
"""

from hlsp.judge import HduView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._wcs import PROJECTIONS, PROJECTION_ALIASES, WcsSet, celestial_prefix, complement, wcs_sets

RULE = Rule(
    id="WC001",
    name="celestial-pair",
    category=Category.WCS,
    severity=Severity.ERROR,
    source="FITS WCS Paper II (Calabretta & Greisen 2002) sec. 2; WCSLIB wcs_types()",
)


def _known(code: str) -> bool:
    return code in PROJECTIONS or code in PROJECTION_ALIASES


@RULE.check_hdu
def check(hdu: HduView):
    for ws in wcs_sets(hdu):
        yield from _check_set(ws)


def _check_set(ws: WcsSet):
    first = partner = None
    spectral = cubeface = None
    for ax in ws.axes:
        key = ws.key("CTYPE", ax.number)
        where = {"hdu": ws.index, "keyword": key}
        if ax.kind == "bad-celestial":
            yield RULE.finding(
                f"{key} = '{ax.ctype}' has the projection code '{ax.code}' but '{ax.prefix}' is not a celestial "
                "axis type (RA/DEC, xLON/xLAT, xyLN/xyLT)",
                **where,
            )
            continue
        if ax.kind == "cubeface":
            if cubeface is not None:
                yield RULE.finding(f"{key}: a second CUBEFACE axis (the first is axis {cubeface})", **where)
            cubeface = cubeface or ax.number
            continue
        if ax.kind == "spectral":
            if ax.algorithm and spectral is not None:
                yield RULE.finding(
                    f"{key} = '{ax.ctype}' is a second spectral axis (the first is axis {spectral}); "
                    "a WCS may have only one",
                    **where,
                )
            spectral = spectral or ax.number
            continue
        if not ax.algorithm or not celestial_prefix(ax.prefix):
            continue  # linear axes are not paired (WCSLIB does not either)
        if first is None:
            first = ax
            continue
        first_key = ws.key("CTYPE", first.number)
        if partner is not None:
            yield RULE.finding(
                f"{key} = '{ax.ctype}' is a third celestial axis; {ws.label} already pairs axes "
                f"{first.number} and {partner.number}",
                **where,
            )
            continue
        partner = ax
        want = complement(first.prefix)
        expected = f"{want}-{first.code}"
        if ax.prefix != want:
            if celestial_prefix(ax.prefix) == celestial_prefix(first.prefix):
                why = f"both are {'longitude' if celestial_prefix(ax.prefix) == 'lon' else 'latitude'} axes"
            else:
                why = "they belong to different coordinate systems"
            yield RULE.finding(
                f"{key} = '{ax.ctype}' does not pair with {first_key} = '{first.ctype}': {why}; expected '{expected}'",
                **where,
            )
        elif _known(ax.code) and _known(first.code) and ax.code != first.code:
            yield RULE.finding(
                f"{key} = '{ax.ctype}' does not pair with {first_key} = '{first.ctype}': the projections "
                f"differ ({ax.code} vs {first.code}); expected '{expected}'",
                **where,
            )
    if first is not None and partner is None:
        key = ws.key("CTYPE", first.number)
        yield RULE.finding(
            f"{key} = '{first.ctype}' has no partner: {ws.label} has no '{complement(first.prefix)}-{first.code}' axis",
            hdu=ws.index,
            keyword=key,
        )
