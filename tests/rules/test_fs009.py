"""FS009 fill-area: header fill not blank, data fill not zero."""

from fitsgen import header_bytes, pad_data, primary_cards

from _helpers import empty_primary, findings_for, image_hdu, write_fits


def test_header_fill_not_blank(tmp_path):
    raw = bytearray(empty_primary())
    raw[-10:] = b"JUNKJUNKJU"
    (f,) = findings_for(write_fits(tmp_path / "x.fits", bytes(raw)), "FS009")
    assert (f.rule, f.hdu, f.keyword) == ("FS009", 0, None) and "header fill" in f.message


def test_data_fill_not_zero(tmp_path):
    raw = header_bytes(primary_cards(16, [3])) + pad_data(b"\x00\x01" * 3, b"\x07")
    (f,) = findings_for(write_fits(tmp_path / "x.fits", raw), "FS009")
    assert f.hdu == 0 and "data fill" in f.message


def test_proper_fill_passes(tmp_path):
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(naxes=(3, 3))), "FS009") == []
