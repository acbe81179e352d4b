"""FN004 field-length."""

from _helpers import empty_primary, findings_for, write_fits


def _findings(tmp_path, name):
    return findings_for(write_fits(tmp_path / name, empty_primary()), "FN004")


def test_fields_within_limits(tmp_path):
    assert _findings(tmp_path, f"hlsp_{'p' * 20}_hst_acs_{'t' * 30}_f814w_v1.22.3a_img.fits") == []


def test_long_target(tmp_path):
    (f,) = _findings(tmp_path, f"hlsp_demo_hst_acs_{'t' * 31}_f814w_v1_img.fits")
    assert (f.rule, f.severity.value) == ("FN004", "error")
    assert f.message == f"the target '{'t' * 31}' has 31 characters; at most 30 are allowed"


def test_long_proj_id_of_a_readme(tmp_path):
    (f,) = _findings(tmp_path, f"hlsp_{'p' * 21}_readme.md")
    assert "proj-id" in f.message and "at most 20" in f.message


def test_per_star_per_sector_target_gets_a_name_that_fits(tmp_path):
    """A TGLC-style target (42 characters): keep star and sector, leave camera and CCD to the header."""
    target = "gaiaid-5707485527450614656-s0007-cam2-ccd3"
    (f,) = _findings(tmp_path, f"hlsp_tglc_tess_ffi_{target}_tess_v1_llc.fits")
    assert "42 characters" in f.message
    assert "'gaia5707485527450614656-s0007' (29 characters; the archive accepts at most 30)" in f.hint
    assert "multi" not in f.hint


def test_long_list_of_filters_gets_multi(tmp_path):
    (f,) = _findings(tmp_path, "hlsp_demo_hst_acs_m31_f435w-f606w-f814w-f850lp_v1_img.fits")
    assert "'multi'" in f.hint
