"""KW006 time-range."""

from _helpers import empty_primary, findings_for, image_hdu, write_fits


def _findings(tmp_path, *hdus):
    return findings_for(write_fits(tmp_path / "x.fits", *hdus), "KW006")


def test_ordered_times_pass(tmp_path):
    cards = [
        ("MJD-BEG", 58849.0),
        ("MJD-END", 58849.5),
        ("DATE-BEG", "2020-01-01"),
        ("DATE-END", "2020-01-01T12:00:00"),
    ]
    assert _findings(tmp_path, image_hdu(extra=cards + [("MJD-OBS", 58849.0)])) == []


def test_mjd_begin_after_end(tmp_path):
    (f,) = _findings(tmp_path, image_hdu(extra=[("MJD-BEG", 58850.0), ("MJD-END", 58849.0)]))
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW006", 0, "MJD-BEG", "error")


def test_date_begin_after_end(tmp_path):
    (f,) = _findings(
        tmp_path, image_hdu(extra=[("DATE-BEG", "2020-01-01T12:00:00.5"), ("DATE-END", "2020-01-01T12:00:00")])
    )
    assert (f.hdu, f.keyword) == (0, "DATE-BEG")


def test_extension_end_before_primary_begin(tmp_path):
    found = _findings(
        tmp_path, empty_primary([("MJD-BEG", 58850.0)]), image_hdu(extra=[("MJD-END", 58849.0)], primary=False)
    )
    assert [(f.hdu, f.keyword) for f in found] == [(1, "MJD-BEG")]


def test_julian_date_instead_of_mjd(tmp_path):
    (f,) = _findings(tmp_path, image_hdu(extra=[("MJD-END", 2458849.5)]))
    assert (f.keyword, f.severity.value) == ("MJD-END", "error") and "looks like a JD" in f.message


def test_before_1970_is_a_warning(tmp_path):
    (f,) = _findings(tmp_path, image_hdu(extra=[("MJD-OBS", 0.0)]))
    assert (f.keyword, f.severity.value) == ("MJD-OBS", "warning")
