"""FS010 trailing-bytes: bytes after the last HDU that are not an extension."""

from _helpers import findings_for, image_hdu, write_fits


def test_partial_block_after_last_hdu(tmp_path):
    (f,) = findings_for(write_fits(tmp_path / "x.fits", image_hdu(), b"\x00" * 100), "FS010")
    assert (f.rule, f.hdu, f.keyword) == ("FS010", None, None) and "100 bytes" in f.message


def test_appended_text(tmp_path):
    (f,) = findings_for(write_fits(tmp_path / "x.fits", image_hdu(), b"garbage " * 360), "FS010")
    assert "2880 bytes" in f.message


def test_exact_file_passes(tmp_path):
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(), image_hdu(primary=False)), "FS010") == []
