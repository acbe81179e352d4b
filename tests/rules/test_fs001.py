"""FS001 not-fits: the file is empty or does not start with SIMPLE."""

from _helpers import findings_for, image_hdu, write_fits


def test_empty_file(tmp_path):
    path = tmp_path / "x.fits"
    path.write_bytes(b"")
    (f,) = findings_for(path, "FS001")
    assert (f.rule, f.hdu, f.keyword) == ("FS001", None, None) and "empty" in f.message


def test_html_page_saved_as_fits(tmp_path):
    path = tmp_path / "x.fits"
    path.write_text("<html><body>Service unavailable</body></html>\n")
    (f,) = findings_for(path, "FS001")
    assert f.hdu is None and "not a FITS file" in f.message


def test_fits_file_passes(tmp_path):
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu()), "FS001") == []
