"""KW011 units."""

from _helpers import empty_primary, findings_for, image_hdu, table_hdu, write_fits


def test_fits_units_pass(tmp_path):
    table = table_hdu([("TIME", "1D", "f8"), ("FLUX", "1E", "f4")], [(1.0, 2.0)], extra=[("TUNIT1", "d"), ("TUNIT2", "ct/s")])
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=[("BUNIT", "erg/s/cm2/Angstrom")]), table)
    assert findings_for(path, "KW011") == []


def test_bad_bunit(tmp_path):
    """TESS writes e-/s; the FITS standard has no electron unit."""
    (f,) = findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=[("BUNIT", "e-/s")])), "KW011")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW011", 0, "BUNIT", "warning")
    assert "Unit 'e' not supported by the FITS standard" in f.message


def test_bad_tunit(tmp_path):
    table = table_hdu([("X", "1E", "f4"), ("Y", "1E", "f4")], [(1.0, 2.0)], extra=[("TUNIT1", "pixel"), ("TUNIT2", "pixels")])
    (f,) = findings_for(write_fits(tmp_path / "x.fits", empty_primary(), table), "KW011")
    assert (f.hdu, f.keyword) == (1, "TUNIT2") and "Did you mean pixel?" in f.message


def test_bunit_in_a_table_is_left_to_fs008(tmp_path):
    table = table_hdu([("X", "1E", "f4")], [(1.0,)], extra=[("BUNIT", "e-/s")])
    assert findings_for(write_fits(tmp_path / "x.fits", empty_primary(), table), "KW011") == []
