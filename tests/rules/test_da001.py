"""DA001 no-data: no HDU of the file holds data."""

from fitsgen import bintable_cards, hdu_bytes

from _helpers import empty_primary, findings_for, image_hdu, write_fits


def test_header_only_file(tmp_path):
    (f,) = findings_for(write_fits(tmp_path / "x.fits", empty_primary()), "DA001")
    assert (f.rule, f.hdu, f.keyword) == ("DA001", None, None) and "1 HDUs" in f.message


def test_zero_length_axes(tmp_path):
    path = write_fits(tmp_path / "x.fits", empty_primary(), image_hdu(naxes=(0, 4), primary=False))
    (f,) = findings_for(path, "DA001")
    assert "2 HDUs" in f.message


def test_data_in_an_extension_passes(tmp_path):
    table = hdu_bytes(bintable_cards([("A", "J")], 1, 4), bytes(4))
    assert findings_for(write_fits(tmp_path / "x.fits", empty_primary(), table), "DA001") == []


def test_broken_structure_is_not_judged(tmp_path):
    # BITPIX is unusable: the data size is unknown, so "no data" cannot be claimed
    raw = hdu_bytes([("SIMPLE", True), ("BITPIX", "x"), ("NAXIS", 0)])
    assert findings_for(write_fits(tmp_path / "x.fits", raw), "DA001") == []
