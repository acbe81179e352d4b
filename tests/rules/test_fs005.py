"""FS005 keyword-name: a keyword name with characters FITS does not allow."""

import pytest

from fitsgen import card

from _helpers import findings_for, image_hdu, write_fits


@pytest.mark.parametrize(
    "raw, name",
    [
        ("B+1ST   =                  1.5", "B+1ST"),
        ("BEGIN MA= 'x'", "BEGIN MA"),
        ("object  = 'M31'", "object"),
        (" OBJECT = 'M31'", " OBJECT"),
    ],
    ids=["plus", "blank", "lowercase", "not-left-justified"],
)
def test_illegal_name(tmp_path, raw, name):
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=[card("", raw=raw)]))
    (f,) = findings_for(path, "FS005")
    assert (f.rule, f.hdu, f.keyword) == ("FS005", 0, name)


def test_legal_names_and_hierarch_pass(tmp_path):
    extra = [("DATE-OBS", "2020-01-01"), ("A_B-9", 1), card("", raw="HIERARCH ESO DET NAME = 'x'")]
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=extra)), "FS005") == []
