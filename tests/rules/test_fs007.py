"""FS007 value-syntax: values that are not valid FITS values."""

import pytest

from fitsgen import card

from _helpers import findings_for, image_hdu, write_fits


@pytest.mark.parametrize(
    "raw",
    [
        "OBJECT  = M31",
        "OBJECT  = 'M31",
        "OBJECT  = 'M31' no slash",
        "EXPTIME =               1.5e3",
        "FLAG    =                    Tx",
        "EXPTIME =                 12s",
        "CPLX    = (1.0, 2.0",
    ],
    ids=[
        "unquoted",
        "no-closing-quote",
        "text-after-string",
        "lowercase-exponent",
        "bad-logical",
        "unit-in-value",
        "complex-unclosed",
    ],
)
def test_invalid_value(tmp_path, raw):
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=[card("", raw=raw)]))
    (f,) = findings_for(path, "FS007")
    assert (f.rule, f.hdu, f.keyword) == ("FS007", 0, raw[:8].strip())


def test_valid_values_pass(tmp_path):
    extra = [
        ("OBJECT", "it''s"),
        ("EXPTIME", 1.5e3),
        ("N", -3),
        ("FLAG", True),
        card("", raw="CPLX    = (1.0, 2.5E2)"),
        card("", raw="EMPTY   =   / undefined"),
        card("", raw="DEXP    = 1.0D-3 / double"),
    ]
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=extra)), "FS007") == []
