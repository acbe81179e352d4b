"""DA002 all-nan: a floating-point image with no finite value."""

import numpy as np

from fitsgen import hdu_bytes, primary_cards

from _helpers import empty_primary, findings_for, write_fits


def _image(values, bitpix=-32):
    dtype = ">f4" if bitpix == -32 else ">f8"
    return hdu_bytes(primary_cards(bitpix, [len(values)]), np.array(values, dtype).tobytes())


def test_all_nan(tmp_path):
    (f,) = findings_for(write_fits(tmp_path / "x.fits", _image([np.nan] * 6)), "DA002")
    assert (f.rule, f.hdu, f.keyword) == ("DA002", 0, None)


def test_all_infinite_double(tmp_path):
    (f,) = findings_for(write_fits(tmp_path / "x.fits", _image([np.inf, -np.inf], bitpix=-64)), "DA002")
    assert f.hdu == 0


def test_one_finite_value_passes(tmp_path):
    assert findings_for(write_fits(tmp_path / "x.fits", _image([np.nan] * 5 + [1.0])), "DA002") == []
    assert findings_for(write_fits(tmp_path / "y.fits", empty_primary()), "DA002") == []
