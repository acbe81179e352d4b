"""FN001 name-pattern."""

import pytest
from _helpers import empty_primary, findings_for, write_fits

from hlsp.engine import Options, validate_file


def _file(tmp_path, name):
    return write_fits(tmp_path / name, empty_primary())


@pytest.mark.parametrize(
    "name",
    [
        "hlsp_demo_hst_acs_m31_f814w_v1_img.fits",
        "hlsp_demo_readme.md",
        "hlsp_demo_readme.txt",
    ],
)
def test_valid_names_pass(tmp_path, name):
    assert findings_for(_file(tmp_path, name), "FN001") == []


def test_all_digit_target_is_valid(tmp_path):
    """A TIC or Gaia id as target: the official checker wrongly fails it; no filename rule may."""
    path = _file(tmp_path, "hlsp_ellie_tess_ffi_198591153_tess_v1_lc.fits")
    assert validate_file(str(path), Options(select=["FN"])).findings == []


def test_not_hlsp(tmp_path):
    (f,) = findings_for(_file(tmp_path, "o4er06llq_raw.fits"), "FN001")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("FN001", None, None, "error")
    assert "does not start with 'hlsp_'" in f.message


def test_missing_field(tmp_path):
    """The real ELLIE file name lacks the opt-elem field."""
    (f,) = findings_for(_file(tmp_path, "hlsp_ellie_tess_ffi_198591153_v1_lc.fits"), "FN001")
    assert "6 fields after 'hlsp_'; expected 7" in f.message


def test_values_joined_with_underscore(tmp_path):
    (f,) = findings_for(_file(tmp_path, "hlsp_demo_hst_acs_m31_f606w_f814w_v1_img.fits"), "FN001")
    assert "8 fields" in f.message and "with '-'" in f.message


def test_doubled_underscore(tmp_path):
    (f,) = findings_for(_file(tmp_path, "hlsp_demo_hst_acs__m31_f814w_v1_img.fits"), "FN001")
    assert "empty field" in f.message


def test_non_fits_files_are_checked_too(tmp_path):
    path = tmp_path / "preview.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n")
    (f,) = findings_for(path, "FN001")
    assert "'preview.png'" in f.message
