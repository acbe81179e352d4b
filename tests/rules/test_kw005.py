"""KW005 date-format."""

from _helpers import empty_primary, findings_for, image_hdu, write_fits


def test_iso_dates_pass(tmp_path):
    cards = [("DATE", "2020-01-02"), ("DATE-OBS", "2020-01-01T10:00:00.5"), ("DATE-END", "2020-01-01T11:00:00")]
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=cards)), "KW005") == []


def test_blank_instead_of_t_is_one_error_from_fs013(tmp_path):
    """astropy's Time.iso form is not a FITS date: reported once, by FS013, not again here."""
    path = write_fits(
        tmp_path / "x.fits", empty_primary(), image_hdu(extra=[("DATE-BEG", "2020-01-01 10:00:00")], primary=False)
    )
    assert findings_for(path, "KW005") == []
    (f,) = findings_for(path, "FS013")
    assert (f.hdu, f.keyword, f.severity.value) == (1, "DATE-BEG", "error")


def test_trailing_z_is_a_warning(tmp_path):
    (f,) = findings_for(
        write_fits(tmp_path / "x.fits", image_hdu(extra=[("DATE-OBS", "2018-07-25T19:01:42.709Z")])), "KW005"
    )
    assert (f.hdu, f.keyword, f.severity.value) == (0, "DATE-OBS", "warning")
    assert "ends in 'Z'" in f.message
