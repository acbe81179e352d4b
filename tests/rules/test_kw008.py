"""KW008 doi."""

import pytest
from _helpers import findings_for, image_hdu, write_fits


def _findings(tmp_path, doi):
    return findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=[("DOI", doi)])), "KW008")


def test_mast_doi(tmp_path):
    assert _findings(tmp_path, "10.17909/zefb-7f89") == []


@pytest.mark.parametrize("doi", ["https://doi.org/10.17909/zefb-7f89", "doi:10.17909/x", "10.179/x", "zefb-7f89"])
def test_not_a_bare_doi(tmp_path, doi):
    (f,) = _findings(tmp_path, doi)
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW008", 0, "DOI", "error")


def test_other_prefix_is_a_warning(tmp_path):
    (f,) = _findings(tmp_path, "10.5281/zenodo.123")
    assert (f.keyword, f.severity.value) == ("DOI", "warning")


def test_pending_in_the_header_is_refused_with_the_way_out(tmp_path):
    from _helpers import COMMON_CARDS, IMAGE_CARDS, IMAGE_NAME, image_hdu, replace_cards

    cards = replace_cards(COMMON_CARDS, DOI="pending") + IMAGE_CARDS
    path = write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=cards))
    (f,) = findings_for(path, "KW008", expected={"folder": "contributions/demo"})
    assert f.severity.value == "error" and "pending the header has no DOI card" in f.message
    assert "`hlsp fix contributions/demo --write`" in f.hint
