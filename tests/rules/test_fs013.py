"""FS013 date-syntax: DATExxxx values that are not FITS dates."""

import pytest

from _helpers import findings_for, image_hdu, write_fits


@pytest.mark.parametrize(
    "value",
    [
        "2020-13-45",
        "2020-02-30",
        "2020-01-01 12:00:00",
        "2020-01-01T12:00",
        "2020-01-01T25:00:00",
        "2020-01-01T10:00:00+01:00",
        "45/13/99",
        "1/2/99",
        "yesterday",
        "",
    ],
)
def test_invalid_date(tmp_path, value):
    (f,) = findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=[("DATE-BEG", value)])), "FS013")
    assert (f.rule, f.hdu, f.keyword) == ("FS013", 0, "DATE-BEG")


@pytest.mark.parametrize(
    "value",
    ["2020-01-01", "2020-02-29T23:59:60.5", "2018-07-25T19:29:42.708Z", "2020-01-01T00:00:00Z", "31/12/99", "12:30:00"],
)
def test_valid_date(tmp_path, value):
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=[("DATE-OBS", value)])), "FS013") == []


def test_every_date_keyword_is_checked(tmp_path):
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=[("DATEREF", "soon"), ("DATAMODE", "soon")]))
    assert [f.keyword for f in findings_for(path, "FS013")] == ["DATEREF"]


def test_days_in_month_as_the_calendar_module_counts():
    """FS013 counts the days of a month itself (no calendar import at start-up): as calendar does, every year."""
    import calendar

    from hlsp.rules.fs013_date_syntax import _days_in_month

    for year in range(1, 10000):
        for month in range(1, 13):
            assert _days_in_month(year, month) == calendar.monthrange(year, month)[1], (year, month)
