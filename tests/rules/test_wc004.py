"""WC004 axis-units."""

from _helpers import findings_for, image_hdu, write_fits

TAN = [("CTYPE1", "RA---TAN"), ("CTYPE2", "DEC--TAN")]


def test_deg_and_valid_spectral_unit_pass(tmp_path):
    cards = TAN + [("CTYPE3", "WAVE"), ("CUNIT1", "deg"), ("CUNIT2", "deg"), ("CUNIT3", "Angstrom")]
    path = write_fits(tmp_path / "cube.fits", image_hdu(extra=cards, naxes=(4, 4, 2)))
    assert findings_for(path, "WC004") == []


def test_celestial_axis_in_arcsec(tmp_path):
    path = write_fits(tmp_path / "img.fits", image_hdu(extra=TAN + [("CUNIT1", "deg"), ("CUNIT2", "arcsec")]))
    (f,) = findings_for(path, "WC004")
    assert (f.hdu, f.keyword, f.severity.value) == (0, "CUNIT2", "warning")
    assert "celestial axes use 'deg'" in f.message


def test_unparseable_spectral_unit(tmp_path):
    cards = TAN + [("CTYPE3", "WAVE"), ("CUNIT3", "angstroms")]
    path = write_fits(tmp_path / "cube.fits", image_hdu(extra=cards, naxes=(4, 4, 2)))
    (f,) = findings_for(path, "WC004")
    assert f.keyword == "CUNIT3" and "not a valid FITS unit" in f.message


def test_upper_case_pixel_unit_of_an_alternate_wcs(tmp_path):
    """Kepler and TESS files write CUNIT1P = 'PIXEL'; FITS units are case-sensitive."""
    cards = TAN + [("CTYPE1P", "RAWX"), ("CUNIT1P", "PIXEL"), ("CTYPE2P", "RAWY"), ("CUNIT2P", "pixel")]
    path = write_fits(tmp_path / "img.fits", image_hdu(extra=cards))
    (f,) = findings_for(path, "WC004")
    assert f.keyword == "CUNIT1P" and "Did you mean pixel?" in f.message
