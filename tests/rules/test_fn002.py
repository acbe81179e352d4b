"""FN002 name-characters."""

import os

import pytest
from _helpers import empty_primary, findings_for, write_fits


def _file(tmp_path, name):
    return write_fits(tmp_path / name, empty_primary())


@pytest.mark.parametrize(
    "name",
    [
        "hlsp_tess-3i_tess_ffi_3iatlas-s1751-cam2-ccd3_tess_v1.2_lc.fits",
        "hlsp_demo_hst_acs_ngc1234+56.7_f814w_v1.2.2a_img.fits",  # '+' and '.' in the target
        "hlsp_demo_magellan.clay_megacam_m31_g_v1_img.fits",  # '.' inside a vocabulary value
        "hlsp_demo_cfht_megacam_m31_g.mp9401-r.mp9601_v1_img.fits",
        "hlsp_demo_readme.md",
    ],
)
def test_valid_names_pass(tmp_path, name):
    assert findings_for(_file(tmp_path, name), "FN002") == []


@pytest.mark.parametrize(
    "name,text",
    [
        ("hlsp_Demo_hst_acs_m31_f814w_v1_img.fits", "upper-case letters ('D')"),
        ("hlsp_demo_hst_acs_m31_f814w_v1_img.FITS", "upper-case letters ('F', 'I', 'T', 'S')"),
        ("hlsp_demo_hst_acs_m 31_f814w_v1_img.fits", "not allowed: ' '"),
        ("hlsp_demo_hst_acs_m31#2_f814w_v1_img.fits", "not allowed: '#'"),
        ("hlsp_demo_hst_acs_andromède_f814w_v1_img.fits", "non-ASCII characters: 'è'"),
        ("hlsp_demo_hst_acs_m31__f814w_v1_img.fits", "empty field"),
        ("hlsp_demo_hst_ac.s_m31_f814w_v1_img.fits", "instrument field 'ac.s' holds '.'"),
        ("hlsp_demo_hst_acs_m31_f814w+f606w_v1_img.fits", "opt-elem field 'f814w+f606w' holds '+'"),
        ("hlsp_demo.v2_readme.md", "proj-id field 'demo.v2' holds '.'"),
    ],
)
def test_bad_characters(tmp_path, name, text):
    found = findings_for(_file(tmp_path, name), "FN002")
    assert len(found) == 1, [f.message for f in found]
    assert found[0].rule == "FN002" and found[0].severity.value == "error"
    assert text in found[0].message


def test_bytes_that_are_not_utf8(tmp_path):
    raw = os.fsencode(str(tmp_path)) + b"/hlsp_demo_hst_acs_m\xff31_f814w_v1_img.fits"
    with open(raw, "wb") as fh:
        fh.write(empty_primary())
    found = findings_for(os.fsdecode(raw), "FN002")
    assert [f.message for f in found] == ["the name holds 1 byte(s) that are not valid UTF-8"]
