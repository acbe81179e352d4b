"""WC003 singular-matrix: verdicts compared with astropy.wcs (construction and back-transform)."""

import pytest
from _helpers import astropy_wcs_verdict, empty_primary, findings_for, image_hdu, write_fits

TAN = [
    ("CTYPE1", "RA---TAN"),
    ("CTYPE2", "DEC--TAN"),
    ("CRVAL1", 10.0),
    ("CRVAL2", 20.0),
    ("CRPIX1", 2.0),
    ("CRPIX2", 2.0),
]

CASES = [
    ("defaults", [], (4, 4), None),
    ("cd rotation", [("CD1_1", -2.0e-5), ("CD1_2", 1.0e-5), ("CD2_1", 1.0e-5), ("CD2_2", 2.0e-5)], (4, 4), None),
    (
        "pc with cdelt",
        [("CDELT1", -1e-4), ("CDELT2", 1e-4), ("PC1_1", 0.8), ("PC1_2", -0.6), ("PC2_1", 0.6), ("PC2_2", 0.8)],
        (4, 4),
        None,
    ),
    ("tiny but regular", [("CD1_1", 1.0e-300), ("CD2_2", 1.0e-300)], (4, 4), None),
    ("cd omitted for axis 2", [("CD1_1", 1.0e-4)], (4, 4), None),
    ("cube with 2-D cd", [("CTYPE3", "WAVE"), ("CD1_1", 1e-4), ("CD2_2", 1e-4)], (4, 4, 2), None),
    ("cdelt ignored with cd", [("CD1_1", 1e-4), ("CD2_2", 1e-4), ("CDELT1", 0.0)], (4, 4), None),
    ("cdelt zero", [("CDELT1", 0.0), ("CDELT2", 1e-4)], (4, 4), "CDELT1"),
    ("cdelt zero with crota", [("CDELT1", 1e-4), ("CDELT2", 0.0), ("CROTA2", 30.0)], (4, 4), "CDELT2"),
    ("cd dependent rows", [("CD1_1", 1.0), ("CD1_2", 2.0), ("CD2_1", 2.0), ("CD2_2", 4.0)], (4, 4), "CD1_1"),
    ("cd zero row", [("CD1_1", 1.0), ("CD1_2", 1.0)], (4, 4), "CD2_2"),
    ("cd zero column", [("CD1_1", 1.0e-4), ("CD2_1", 1.0e-4)], (4, 4), "CD1_1"),
    ("pc all ones", [("PC1_1", 1.0), ("PC1_2", 1.0), ("PC2_1", 1.0), ("PC2_2", 1.0)], (4, 4), "PC1_1"),
    ("pc zero row", [("PC1_1", 0.0), ("PC1_2", 0.0)], (4, 4), "PC1_1"),
    ("cd realistic dependent", [("CD1_1", 0.1), ("CD1_2", 0.3), ("CD2_1", 0.2), ("CD2_2", 0.6)], (4, 4), "CD1_1"),
]


@pytest.mark.parametrize("case,cards,naxes,keyword", CASES, ids=[c[0] for c in CASES])
def test_verdict_matches_astropy(tmp_path, case, cards, naxes, keyword):
    path = write_fits(tmp_path / "wcs.fits", image_hdu(extra=TAN + cards, naxes=naxes))
    found = findings_for(path, "WC003")
    if keyword and keyword.startswith("CDELT"):  # reported once, by FS018
        assert found == []
        assert (0, keyword) in [(f.hdu, f.keyword) for f in findings_for(path, "FS018")]
    else:
        assert [(f.hdu, f.keyword) for f in found] == ([(0, keyword)] if keyword else [])
    assert astropy_wcs_verdict(path, 0) == ("singular" if keyword else "ok")


def test_cdelt_zero_reported_once_by_fs018(tmp_path):
    path = write_fits(tmp_path / "wcs.fits", image_hdu(extra=TAN + [("CDELT2", 0.0)]))
    assert findings_for(path, "WC003") == []
    (f,) = findings_for(path, "FS018")
    assert f.keyword == "CDELT2" and "0" in f.message


def test_singular_alternate_in_extension(tmp_path):
    alt = [
        ("CTYPE1B", "RA---TAN"),
        ("CTYPE2B", "DEC--TAN"),
        ("CD1_1B", 1.0),
        ("CD1_2B", 2.0),
        ("CD2_1B", 0.5),
        ("CD2_2B", 1.0),
    ]
    path = write_fits(tmp_path / "wcs.fits", empty_primary(), image_hdu(extra=TAN + alt, primary=False))
    (f,) = findings_for(path, "WC003")
    assert (f.hdu, f.keyword) == (1, "CD1_1B")
    assert "singular" in f.message
    assert astropy_wcs_verdict(path, 1, "B") == "singular"
    assert astropy_wcs_verdict(path, 1) == "ok"
