"""FN006 extension."""

import pytest
from _helpers import empty_primary, findings_for, write_fits

STEM = "hlsp_demo_hst_acs_m31_f814w_v1_img"


@pytest.mark.parametrize("ext", [".fits", ".fits.gz", ".fits.fz", ".png", ".ecsv", ".FITS"])
def test_accepted(tmp_path, ext):
    assert findings_for(write_fits(tmp_path / (STEM + ext), empty_primary()), "FN006") == []


@pytest.mark.parametrize("ext", [".fit", ".fts", ".docx"])
def test_refused(tmp_path, ext):
    (f,) = findings_for(write_fits(tmp_path / (STEM + ext), empty_primary()), "FN006")
    assert (f.rule, f.severity.value) == ("FN006", "error")
    assert f"'{ext}'" in f.message


def test_no_extension(tmp_path):
    (f,) = findings_for(write_fits(tmp_path / STEM, empty_primary()), "FN006")
    assert "has no extension" in f.message
