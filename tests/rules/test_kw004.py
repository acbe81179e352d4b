"""KW004 keyword-type."""

import shutil

import pytest
from _helpers import (
    COMMON_CARDS,
    IMAGE_CARDS,
    IMAGE_NAME,
    empty_primary,
    findings_for,
    image_hdu,
    replace_cards,
    write_fits,
)

from hlsp.profiles import load_profile, load_vocabulary, validators_dir


def test_types_as_required(tmp_path):
    cards = COMMON_CARDS + IMAGE_CARDS + [("XPOSURE", 300.0), ("EXPTIME", 300), ("DATE-BEG", "2020-01-01")]
    assert findings_for(write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=cards)), "KW004") == []


def test_string_exposure_time(tmp_path):
    cards = COMMON_CARDS + IMAGE_CARDS
    path = write_fits(tmp_path / IMAGE_NAME, empty_primary(cards), image_hdu(extra=[("XPOSURE", "300")], primary=False))
    (f,) = findings_for(path, "KW004")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW004", 1, "XPOSURE", "error")
    assert f.message == "XPOSURE = '300' is a string; the profile requires a number"


def test_number_where_a_string_is_required(tmp_path):
    cards = replace_cards(COMMON_CARDS, HLSPVER=1.0) + IMAGE_CARDS
    (f,) = findings_for(write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=cards)), "KW004")
    assert (f.keyword, f.message) == ("HLSPVER", "HLSPVER = 1.0 is a number; the profile requires a string")


def test_types_are_checked_in_mission_files_too(tmp_path):
    (f,) = findings_for(write_fits(tmp_path / "jw0001_cal.fits", image_hdu(extra=[("EXPTIME", "12.5")])), "KW004")
    assert (f.hdu, f.keyword) == (0, "EXPTIME")


def test_licence_values_are_left_to_kw010(tmp_path):
    cards = replace_cards(COMMON_CARDS, LICENSE="MIT") + IMAGE_CARDS
    assert findings_for(write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=cards)), "KW004") == []


@pytest.fixture
def simulation_profile(tmp_path, monkeypatch):
    """A copy of validators/ whose common profile requires SIMULATD = T (an exact `value:`)."""
    copy = tmp_path / "validators"
    shutil.copytree(validators_dir(), copy)
    common = copy / "profiles" / "common.yaml"
    common.write_text(
        common.read_text() + "  - {name: SIMULATD, hdu: primary, level: suggested, type: bool, value: true}\n"
    )
    monkeypatch.setenv("HLSP_VALIDATORS", str(copy))
    load_profile.cache_clear()
    load_vocabulary.cache_clear()
    yield
    monkeypatch.delenv("HLSP_VALIDATORS")
    load_profile.cache_clear()
    load_vocabulary.cache_clear()


def test_exact_value(tmp_path, simulation_profile):
    path = write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=COMMON_CARDS + IMAGE_CARDS + [("SIMULATD", False)]))
    (f,) = findings_for(path, "KW004")
    assert (f.keyword, f.message) == ("SIMULATD", "SIMULATD = F; the profile requires True")
    path = write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=COMMON_CARDS + IMAGE_CARDS + [("SIMULATD", True)]))
    assert findings_for(path, "KW004") == []


@pytest.mark.realdata
def test_real_tess_3i_light_curve_has_a_string_xposure(realdata):
    path = realdata / "hlsp_tess-3i_tess_ffi_3iatlas-s1751-cam2-ccd3_tess_v1.2_lc.fits"
    (f,) = findings_for(path, "KW004")
    assert (f.hdu, f.keyword) == (0, "XPOSURE") and "is a string" in f.message
