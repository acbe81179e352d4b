"""CK004 datasum-missing: a valid CHECKSUM without DATASUM is information, not failure."""

import numpy as np

from fitsgen import hdu_bytes, primary_cards

from _helpers import findings_for, write_fits

DATA = np.arange(16, dtype=">f4").tobytes()


def test_checksum_without_datasum(tmp_path):
    hdu = hdu_bytes(primary_cards(-32, [4, 4]), DATA, checksum=True, datasum=False)
    (f,) = findings_for(write_fits(tmp_path / "x.fits", hdu), "CK004")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("CK004", 0, "DATASUM", "info")
    errors = [f for rule in ("CK001", "CK002") for f in findings_for(tmp_path / "x.fits", rule)]
    assert errors == [], "astropy fails such HDUs; we must not"


def test_both_keywords_pass(tmp_path):
    hdu = hdu_bytes(primary_cards(-32, [4, 4]), DATA, checksum=True)
    assert findings_for(write_fits(tmp_path / "x.fits", hdu), "CK004") == []
