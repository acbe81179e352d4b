"""KW014 name-consistency."""

import pytest
from _helpers import COMMON_CARDS, IMAGE_NAME, findings_for, image_hdu, replace_cards, write_fits


def _findings(tmp_path, name=IMAGE_NAME, **changes):
    return findings_for(write_fits(tmp_path / name, image_hdu(extra=replace_cards(COMMON_CARDS, **changes))), "KW014")


@pytest.mark.parametrize("hlspid,hlspver", [("demo", "v1"), ("DEMO", "V1"), ("demo", "1")])
def test_consistent(tmp_path, hlspid, hlspver):
    assert _findings(tmp_path, HLSPID=hlspid, HLSPVER=hlspver) == []


def test_forgotten_version_bump(tmp_path):
    (f,) = _findings(tmp_path, "hlsp_demo_hst_acs_m31_f814w_v1.2_img.fits", HLSPVER="1.1")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW014", 0, "HLSPVER", "error")
    assert f.message == "HLSPVER = '1.1' differs from the version 'v1.2' of the file name"


def test_other_project(tmp_path):
    (f,) = _findings(tmp_path, HLSPID="other")
    assert (f.keyword, f.message) == ("HLSPID", "HLSPID = 'other' differs from the proj-id 'demo' of the file name")


def test_against_the_collection(tmp_path):
    path = write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=COMMON_CARDS))
    assert findings_for(path, "KW014", expected={"proj_id": "demo", "version": "v1"}) == []
    (f,) = findings_for(path, "KW014", expected={"proj_id": "demo", "version": "v2"})
    assert f.message == "HLSPVER = 'v1' differs from the version 'v2' of hlsp.yaml"


@pytest.mark.realdata
def test_real_file_with_stale_hlspver(realdata):
    path = realdata / "hlsp_tess-3i_tess_ffi_3iatlas-s1751-cam2-ccd3_tess_v1.2_lc.fits"
    (f,) = findings_for(path, "KW014")
    assert (f.hdu, f.keyword) == (0, "HLSPVER") and "'v1.2'" in f.message
    # HLSPID = 'TESS-3I' matches 'tess-3i': case is ignored
    assert findings_for(realdata / "hlsp_tess-3i_tess_ffi_3iatlas-s1751-cam2-ccd3_tess_v1.1_lc.fits", "KW014") == []
