"""CK003 checksum-missing: HDUs without CHECKSUM (a warning)."""

import numpy as np

from fitsgen import hdu_bytes, image_ext_cards, primary_cards

from _helpers import empty_primary, findings_for, image_hdu, write_fits


def test_no_checksum_anywhere_is_one_file_level_warning(tmp_path):
    path = write_fits(tmp_path / "x.fits", empty_primary(), image_hdu(primary=False))
    (f,) = findings_for(path, "CK003")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("CK003", None, "CHECKSUM", "warning")


def test_one_hdu_without_checksum(tmp_path):
    ext = hdu_bytes(image_ext_cards(-32, [2, 2]), bytes(16))
    path = write_fits(tmp_path / "x.fits", hdu_bytes(primary_cards(8, []), checksum=True), ext)
    (f,) = findings_for(path, "CK003")
    assert (f.hdu, f.keyword) == (1, "CHECKSUM")


def test_checksums_everywhere_pass(tmp_path):
    ext = hdu_bytes(image_ext_cards(-32, [2, 2]), np.ones(4, ">f4").tobytes(), checksum=True)
    path = write_fits(tmp_path / "x.fits", hdu_bytes(primary_cards(8, []), checksum=True), ext)
    assert findings_for(path, "CK003") == []
