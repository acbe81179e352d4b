"""WC003 (with FS018 for CDELTi = 0) against astropy.wcs.WCS() on degenerate linear transformations.

Issue 17, item 12: hypothesis draws CDi_j, PCi_j and CDELTi sets that sit on
the edge of singularity -- zeros, rows equal up to a scale, rows that differ in
the last bits, subnormal and huge values, omitted elements, 2 and 3 axes --
and the verdict of our rules must be astropy's: "singular" when WCS() refuses
the header or cannot convert CRVAL back to pixels, "ok" otherwise.
"""

from __future__ import annotations

import math

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from _helpers import astropy_wcs_verdict, image_hdu, wc_verdict, write_fits
from hlsp.engine import Options, validate_file

VALUES = st.one_of(
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, 0.5, 1e-4, -1e-4, 1e-300, 5e-324, 1e300, 1e-12, 1e-10, 3.0]),
    st.floats(min_value=-10, max_value=10, allow_nan=False, allow_infinity=False),
)
CTYPES = {2: ["RA---TAN", "DEC--TAN"], 3: ["RA---TAN", "DEC--TAN", "WAVE"]}


@st.composite
def linear_parts(draw):
    n = draw(st.sampled_from([2, 3]))
    stem = draw(st.sampled_from(["CD", "PC"]))
    rows = [[draw(VALUES) for _ in range(n)] for _ in range(n)]
    # degenerate on purpose, often: a row that is another scaled, or nearly so
    how = draw(st.sampled_from(["free", "scaled", "nearly", "zero-row", "zero-col"]))
    a, b = draw(st.permutations(range(n)))[:2]
    if how == "scaled":
        k = draw(st.sampled_from([1.0, -2.0, 1e-8, 3.0]))
        rows[b] = [k * x for x in rows[a]]
    elif how == "nearly":
        rows[b] = [math.nextafter(x, math.inf) for x in rows[a]]
    elif how == "zero-row":
        rows[b] = [0.0] * n
    elif how == "zero-col":
        for r in rows:
            r[b] = 0.0
    cards = []
    for i in range(n):
        for j in range(n):
            if draw(st.booleans()) or how != "free":  # elements may be omitted (defaults apply)
                cards.append((f"{stem}{i + 1}_{j + 1}", rows[i][j]))
    if stem == "PC" or draw(st.booleans()):
        for i in range(n):
            if draw(st.booleans()):
                cards.append((f"CDELT{i + 1}", draw(VALUES)))
    return n, cards


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(linear_parts())
@example((2, [("CD1_1", 1.0), ("CD1_2", 2.0), ("CD2_1", 2.0), ("CD2_2", 4.0)]))
@example((2, [("PC1_1", 1e-300), ("PC2_2", 1e-300)]))
@example((2, [("CD1_1", 5e-324), ("CD2_2", 5e-324)]))
@example((2, [("CDELT2", 5e-324)]))
@example((3, [("PC1_1", 1.0), ("PC1_2", 1.0), ("PC2_1", 1.0), ("PC2_2", math.nextafter(1.0, 2.0))]))
def test_wc003_verdicts_match_astropy(tmp_path_factory, case):
    n, cards = case
    tan = [(f"CTYPE{i + 1}", t) for i, t in enumerate(CTYPES[n])]
    tan += [(f"CRVAL{i + 1}", v) for i, v in enumerate([10.0, 20.0, 5000.0][:n])]
    tan += [(f"CRPIX{i + 1}", 2.0) for i in range(n)]
    path = write_fits(tmp_path_factory.mktemp("wcs") / "wcs.fits", image_hdu(extra=tan + cards, naxes=(4,) * n))
    findings = validate_file(str(path), Options(select=["WC003", "FS018"])).findings
    # CDELTi = 0 is FS018's (a FITS error even where CDi_j makes WCSLIB ignore CDELTi);
    # it makes the transformation singular only when the PC form is used
    uses_cd = any(k.startswith("CD") and "_" in k for k, _ in cards) and not any(k.startswith("PC") for k, _ in cards)
    cdelt_zero = not uses_cd and any(f.rule == "FS018" and (f.keyword or "").startswith("CDELT") for f in findings)
    ours = "singular" if cdelt_zero or wc_verdict(findings, 0) == "singular" else "ok"
    theirs = astropy_wcs_verdict(path, 0)
    assert ours == theirs, (cards, [f.message for f in findings])
