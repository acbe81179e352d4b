"""CK001 checksum-mismatch: CHECKSUM present, bytes changed."""

import numpy as np

from fitsgen import hdu_bytes, primary_cards

from _helpers import findings_for, write_fits

DATA = np.arange(16, dtype=">f4").tobytes()


def _hdu(**kw) -> bytes:
    return hdu_bytes(primary_cards(-32, [4, 4], [("OBJECT", "M31")]), DATA, checksum=True, **kw)


def test_header_edited_after_checksum(tmp_path):
    path = write_fits(tmp_path / "x.fits", _hdu().replace(b"'M31     '", b"'M32     '"))
    (f,) = findings_for(path, "CK001")
    assert (f.rule, f.hdu, f.keyword) == ("CK001", 0, "CHECKSUM")


def test_data_damaged(tmp_path):
    raw = bytearray(_hdu())
    raw[2880 + 7] ^= 0x01
    (f,) = findings_for(write_fits(tmp_path / "x.fits", bytes(raw)), "CK001")
    assert f.hdu == 0


def test_valid_checksum_passes_with_or_without_datasum(tmp_path):
    assert findings_for(write_fits(tmp_path / "a.fits", _hdu()), "CK001") == []
    assert findings_for(write_fits(tmp_path / "b.fits", _hdu(datasum=False)), "CK001") == []
