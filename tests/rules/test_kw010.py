"""KW010 license."""

import pytest
from _helpers import COMMON_CARDS, IMAGE_NAME, findings_for, image_hdu, replace_cards, write_fits


def test_cc_by_passes(tmp_path):
    assert findings_for(write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=COMMON_CARDS)), "KW010") == []


@pytest.mark.parametrize(
    "keyword,value",
    [
        ("LICENSE", "CC-BY-4.0"),
        ("LICENSE", "CC BY-SA 4.0"),
        ("LICENURL", "http://creativecommons.org/licenses/by/4.0/"),
        ("LICENURL", "https://creativecommons.org/licenses/by/4.0"),
    ],
)
def test_other_licence(tmp_path, keyword, value):
    cards = replace_cards(COMMON_CARDS, **{keyword: value})
    (f,) = findings_for(write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=cards)), "KW010")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW010", 0, keyword, "error")
    assert f"'{value}'" in f.message


def test_mission_files_are_not_judged(tmp_path):
    path = write_fits(tmp_path / "o4er06llq_raw.fits", image_hdu(extra=[("LICENSE", "public domain")]))
    assert findings_for(path, "KW010") == []
