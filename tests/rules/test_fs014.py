"""FS014 wcsaxes-order: WCSAXES after another WCS keyword."""

from _helpers import findings_for, image_hdu, write_fits


def test_wcsaxes_after_ctype(tmp_path):
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=[("CTYPE1", "RA---TAN"), ("WCSAXES", 2)]))
    (f,) = findings_for(path, "FS014")
    assert (f.rule, f.hdu, f.keyword) == ("FS014", 0, "WCSAXES") and "CTYPE1" in f.message


def test_wcsaxes_after_alternate_matrix(tmp_path):
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=[("PC1_2A", 0.0), ("WCSAXES", 2)]))
    (f,) = findings_for(path, "FS014")
    assert "PC1_2A" in f.message


def test_wcsaxes_first_passes(tmp_path):
    extra = [("WCSAXES", 2), ("CTYPE1", "RA---TAN"), ("CTYPE2", "DEC--TAN"), ("CRPIX1", 1.0)]
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=extra)), "FS014") == []
