"""KW001 required-keyword."""

import pytest
from _helpers import (
    COMMON_CARDS,
    IMAGE_CARDS,
    IMAGE_NAME,
    empty_primary,
    findings_for,
    image_hdu,
    replace_cards,
    table_hdu,
    write_fits,
)

from hlsp.engine import Options, validate_file


def test_complete_image_product_passes(tmp_path):
    path = write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=COMMON_CARDS + IMAGE_CARDS))
    assert findings_for(path, "KW001") == []


def test_missing_doi(tmp_path):
    cards = replace_cards(COMMON_CARDS, DOI=None) + IMAGE_CARDS
    (f,) = findings_for(write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=cards)), "KW001")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW001", 0, "DOI", "error")
    assert f.message == "DOI is missing from the primary HDU"


def test_empty_value_counts_as_missing(tmp_path):
    cards = replace_cards(COMMON_CARDS, HLSPID="") + IMAGE_CARDS
    (f,) = findings_for(write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=cards)), "KW001")
    assert (f.hdu, f.keyword) == (0, "HLSPID") and "has no value" in f.message


def test_science_keywords_belong_to_the_science_hdu(tmp_path):
    """A multi-extension image: BUNIT and the WCS must be in the image HDU, not the primary."""
    science = [c for c in IMAGE_CARDS if c[0] not in ("BUNIT",)]
    path = write_fits(
        tmp_path / IMAGE_NAME, empty_primary(COMMON_CARDS + [("BUNIT", "Jy")]), image_hdu(extra=science, primary=False)
    )
    (f,) = findings_for(path, "KW001")
    assert (f.hdu, f.keyword) == (1, "BUNIT")


def test_table_products_are_not_asked_for_bunit(tmp_path):
    """Light curves and table spectra carry TUNITn (HLSP-RULES sec. 3 conflict note)."""
    lc = [
        ("APERTURE", "SAP"),
        ("RA_TARG", 10.0),
        ("DEC_TARG", 20.0),
        ("DETECTOR", "CCD1"),
        ("FILTER", "TESS"),
        ("RADESYS", "ICRS"),
    ]
    table = table_hdu([("TIME", "1D", "f8"), ("FLUX", "1E", "f4")], [(1.0, 2.0)], extra=lc)
    path = write_fits(tmp_path / "hlsp_demo_tess_ffi_m31_tess_v1_lc.fits", empty_primary(COMMON_CARDS), table)
    assert findings_for(path, "KW001") == []
    spec = [("APERTURE", "A"), ("DETECTOR", "B"), ("DISPRSR", "G430L"), ("XPOSURE", 10.0)]
    table = table_hdu([("WAVELENGTH", "1D", "f8")], [(1.0,)], extra=spec)
    path = write_fits(tmp_path / "hlsp_demo_hst_stis_m31_g430l_v1_spec.fits", empty_primary(COMMON_CARDS), table)
    assert findings_for(path, "KW001") == []
    path = write_fits(tmp_path / "hlsp_demo_hst_stis_m31_g430l_v1_x1d.fits", image_hdu(extra=COMMON_CARDS + spec))
    assert [(f.hdu, f.keyword) for f in findings_for(path, "KW001")] == [(0, "BUNIT")]  # an image spectrum needs it


def test_mission_files_are_not_held_to_the_profile(tmp_path):
    path = write_fits(tmp_path / "o4er06llq_raw.fits", image_hdu())
    assert findings_for(path, "KW001") == []
    found = findings_for(path, "KW001", product_type="image")
    assert {"HLSPID", "DOI", "BUNIT", "RA_TARG"} <= {f.keyword for f in found}


@pytest.mark.realdata
def test_real_files(realdata):
    """Real HLSP files predate today's metadata profile; mission files are not judged by it."""
    files = sorted(p for p in realdata.iterdir() if ".fits" in p.name)
    for path in files:
        found = findings_for(path, "KW001")
        if path.name.startswith("hlsp_"):
            assert found and all(f.severity.value == "error" for f in found), path.name
        else:
            assert found == [], path.name
    alerts = findings_for(realdata / "hlsp_tess-data-alerts_tess_phot_00055652896-s01_tess_v1_lc.fits", "KW001")
    assert {"HLSPID", "HLSPVER", "DOI", "LICENSE"} <= {f.keyword for f in alerts}


@pytest.mark.realdata
def test_no_rule_crashes_on_real_files(realdata):
    for path in sorted(p for p in realdata.iterdir() if ".fits" in p.name):
        result = validate_file(str(path), Options(select=["FN", "WC", "KW"]))
        assert not [f.message for f in result.findings if "internal error" in f.message], path.name


def test_pending_doi_is_not_asked_for(tmp_path):
    """While hlsp.yaml says `doi: pending` the header has no DOI card (MD005 warns instead)."""
    cards = replace_cards(COMMON_CARDS, DOI=None) + IMAGE_CARDS
    path = write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=cards))
    assert findings_for(path, "KW001", expected={"doi": "pending"}) == []
    (f,) = findings_for(path, "KW001", expected={"doi": "10.17909/abc"})
    assert f.keyword == "DOI"


def test_hint_names_the_equivalent_keyword_and_the_folder(tmp_path):
    cards = replace_cards(COMMON_CARDS, OBSERVAT=None) + IMAGE_CARDS
    path = write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=cards))
    (f,) = findings_for(path, "KW001", expected={"folder": "contributions/demo"})
    assert f.keyword == "OBSERVAT"
    assert f.hint.startswith("`hlsp fix contributions/demo --write` adds it (value from TELESCOP in HDU 0)")


def test_hint_for_a_keyword_nothing_gives(tmp_path):
    lc = [("RA_TARG", 10.0), ("DEC_TARG", 20.0), ("DETECTOR", "CCD1"), ("FILTER", "TESS"), ("RADESYS", "ICRS")]
    table = table_hdu([("TIME", "1D", "f8"), ("FLUX", "1E", "f4")], [(1.0, 2.0)], extra=lc)
    path = write_fits(tmp_path / "hlsp_demo_tess_ffi_m31_tess_v1_lc.fits", empty_primary(COMMON_CARDS), table)
    (f,) = findings_for(path, "KW001", expected={"folder": "contributions/demo"})
    assert f.keyword == "APERTURE"
    assert "write `keywords: {APERTURE: ...}` in contributions/demo/hlsp.yaml" in f.hint
