"""KW007 coordinates."""

import pytest
from _helpers import findings_for, image_hdu, write_fits


def test_in_range(tmp_path):
    cards = [("RA_TARG", 0.0), ("DEC_TARG", -90.0), ("RA_OBJ", 359.99), ("DEC_OBJ", 90.0)]
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=cards)), "KW007") == []


@pytest.mark.parametrize(
    "keyword,value", [("RA_TARG", 360.0), ("RA_TARG", -0.5), ("DEC_TARG", 90.5), ("DEC_OBJ", -91.0)]
)
def test_out_of_range(tmp_path, keyword, value):
    (f,) = findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=[(keyword, value)])), "KW007")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW007", 0, keyword, "error")
