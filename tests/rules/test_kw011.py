"""KW011 units."""

from _helpers import empty_primary, findings_for, image_hdu, table_hdu, write_fits


def test_fits_units_pass(tmp_path):
    table = table_hdu(
        [("TIME", "1D", "f8"), ("FLUX", "1E", "f4")], [(1.0, 2.0)], extra=[("TUNIT1", "d"), ("TUNIT2", "ct/s")]
    )
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=[("BUNIT", "erg/s/cm2/Angstrom")]), table)
    assert findings_for(path, "KW011") == []


def test_bad_bunit(tmp_path):
    """TESS writes e-/s; the FITS standard has no electron unit."""
    (f,) = findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=[("BUNIT", "e-/s")])), "KW011")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW011", 0, "BUNIT", "warning")
    assert "Unit 'e' not supported by the FITS standard" in f.message


def test_bad_tunit(tmp_path):
    table = table_hdu(
        [("X", "1E", "f4"), ("Y", "1E", "f4")], [(1.0, 2.0)], extra=[("TUNIT1", "pixel"), ("TUNIT2", "pixels")]
    )
    (f,) = findings_for(write_fits(tmp_path / "x.fits", empty_primary(), table), "KW011")
    assert (f.hdu, f.keyword) == (1, "TUNIT2") and "Did you mean pixel?" in f.message


def test_bunit_in_a_table_is_left_to_fs008(tmp_path):
    table = table_hdu([("X", "1E", "f4")], [(1.0,)], extra=[("BUNIT", "e-/s")])
    assert findings_for(write_fits(tmp_path / "x.fits", empty_primary(), table), "KW011") == []


def test_one_finding_per_unit_string_lists_every_card(tmp_path):
    """Twenty columns in e-/s are one problem for a reviewer, not twenty."""
    cols = [(f"C{i}", "1E", "f4") for i in range(1, 9)]
    units = [(f"TUNIT{i}", "e-/s") for i in range(1, 9)]
    table = table_hdu(cols, [tuple(float(i) for i in range(8))], extra=units + [])
    path = write_fits(tmp_path / "x.fits", empty_primary(), table, table)
    (f,) = findings_for(path, "KW011")
    assert (f.hdu, f.keyword) == (1, "TUNIT1")
    assert "TUNIT2 (HDU 1)" in f.message and "and 10 more" in f.message
