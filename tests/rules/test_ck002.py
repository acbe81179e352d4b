"""CK002 datasum-mismatch: DATASUM differs from the data."""

import numpy as np

from fitsgen import hdu_bytes, primary_cards

from _helpers import empty_primary, findings_for, write_fits

DATA = np.arange(16, dtype=">f4").tobytes()


def test_wrong_datasum_with_valid_checksum(tmp_path):
    hdu = hdu_bytes(primary_cards(-32, [4, 4]), DATA, checksum=True, datasum="12345")
    (f,) = findings_for(write_fits(tmp_path / "x.fits", hdu), "CK002")
    assert (f.rule, f.hdu, f.keyword) == ("CK002", 0, "DATASUM") and "12345" in f.message
    assert findings_for(tmp_path / "x.fits", "CK001") == [], "CHECKSUM still matches the bytes"


def test_right_datasum_passes(tmp_path):
    hdu = hdu_bytes(primary_cards(-32, [4, 4]), DATA, checksum=True)
    path = write_fits(tmp_path / "x.fits", hdu, hdu_bytes(primary_cards(8, []), checksum=True))
    assert findings_for(path, "CK002") == []
    assert findings_for(write_fits(tmp_path / "y.fits", empty_primary()), "CK002") == []


def test_hint_does_not_invite_covering_up_corruption():
    from hlsp.rules import get_rule

    hint = get_rule("CK002").hint
    assert "copy the file again" in hint and "never rewrite checksums" in hint
