"""WC002 projection: unknown projection / algorithm codes, compared with astropy.wcs."""

import pytest
from _helpers import astropy_wcs_verdict, findings_for, image_hdu, write_fits

from hlsp.rules._wcs import PROJECTIONS

CASES = [
    ("tangent", "RA---TAN", "DEC--TAN", None),
    ("unknown code", "RA---FOO", "DEC--FOO", "CTYPE1"),
    ("lower case", "ra---tan", "dec--tan", "CTYPE1"),
    ("dashes only", "RA------", "DEC-----", "CTYPE1"),
    ("GLS alias", "RA---GLS", "DEC--GLS", None),
    ("TPV distortion", "RA---TPV", "DEC--TPV", None),
    ("spectral algorithm", "WAVE-F2W", "LINEAR", None),
    ("log axis", "FREQ-LOG", "LINEAR", None),
    ("grism", "WAVE-GRI", "LINEAR", None),
    ("AIPS velocity", "VELO-LSR", "LINEAR", None),
    ("unknown spectral algorithm", "WAVE-XYZ", "LINEAR", "CTYPE1"),
    ("algorithm for another type", "WAVE-F2V", "LINEAR", "CTYPE1"),
]


@pytest.mark.parametrize("case,ctype1,ctype2,keyword", CASES, ids=[c[0] for c in CASES])
def test_verdict_matches_astropy(tmp_path, case, ctype1, ctype2, keyword):
    cards = [("CTYPE1", ctype1), ("CTYPE2", ctype2), ("CRVAL1", 5.0e-7), ("CRVAL2", 30.0), ("CDELT1", 1.0e-9)]
    cards += [("RESTFRQ", 1.0e9), ("RESTWAV", 0.2)]
    path = write_fits(tmp_path / "wcs.fits", image_hdu(extra=cards))
    found = findings_for(path, "WC002")
    assert [f.keyword for f in found][:1] == ([keyword] if keyword else [])
    # WC002 judges the codes: astropy must refuse exactly these CTYPEs (a grism
    # without its PV parameters then fails later, in the transform: not a code problem).
    assert (astropy_wcs_verdict(path, 0) == "ctype") == bool(keyword)


@pytest.mark.parametrize("code", sorted(PROJECTIONS))
def test_every_paper_ii_code_is_accepted(tmp_path, code):
    path = write_fits(tmp_path / "wcs.fits", image_hdu(extra=[("CTYPE1", f"RA---{code}"), ("CTYPE2", f"DEC--{code}")]))
    assert findings_for(path, "WC002") == []


def test_message_and_location(tmp_path):
    path = write_fits(tmp_path / "wcs.fits", image_hdu(extra=[("CTYPE1", "RA---TAN"), ("CTYPE2", "DEC--TNA")]))
    (f,) = findings_for(path, "WC002")
    assert (f.hdu, f.keyword) == (0, "CTYPE2")
    assert "'TNA' is not a projection code" in f.message


def test_lower_case_hint(tmp_path):
    path = write_fits(tmp_path / "wcs.fits", image_hdu(extra=[("CTYPE1", "RA---tan"), ("CTYPE2", "DEC--tan")]))
    found = findings_for(path, "WC002")
    assert [f.keyword for f in found] == ["CTYPE1", "CTYPE2"]
    assert "upper case" in found[0].message
