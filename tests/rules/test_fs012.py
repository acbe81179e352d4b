"""FS012 reserved-value-type: a reserved keyword with a value of the wrong type, or none."""

import pytest

from fitsgen import card

from _helpers import findings_for, image_hdu, write_fits


@pytest.mark.parametrize(
    "extra, keyword",
    [
        ([card("", raw="INSTRUME=                      / no value")], "INSTRUME"),
        ([("TELESCOP", 42)], "TELESCOP"),
        ([("EQUINOX", "2000.0")], "EQUINOX"),
        ([("CRVAL1", "10.0")], "CRVAL1"),
        ([("DATE-END", 2020)], "DATE-END"),
        ([("EXTVER", 1.5)], "EXTVER"),
        ([("RESTFRQ", "1.4E9")], "RESTFRQ"),
        ([card("", raw="DATE    2020-01-01")], "DATE"),
    ],
    ids=[
        "null",
        "telescop-int",
        "equinox-string",
        "crval-string",
        "date-int",
        "extver-float",
        "restfrq-string",
        "no-value-indicator",
    ],
)
def test_wrong_type(tmp_path, extra, keyword):
    (f,) = findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=extra)), "FS012")
    assert (f.rule, f.hdu, f.keyword) == ("FS012", 0, keyword)


def test_null_message_names_the_null(tmp_path):
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=[card("", raw="OBJECT  =")]))
    (f,) = findings_for(path, "FS012")
    assert "null value" in f.message and "a string" in f.message


def test_right_types_pass(tmp_path):
    extra = [
        ("TELESCOP", "HST"),
        ("EQUINOX", 2000),
        ("CRVAL1", 1.5),
        ("DATE-OBS", "2020-01-01"),
        ("EXTVER", 1),
        ("WCSAXES", 2),
        ("BSCALE", 1.0),
        ("PC1_1", 1),
        ("CUSTOM", 5),
    ]
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=extra)), "FS012") == []
