"""KW012 multi-convention."""

from _helpers import empty_primary, findings_for, image_hdu, write_fits


def test_single_and_complete_multi_pass(tmp_path):
    cards = [("FILTER", "MULTI"), ("FILTER01", "F606W"), ("FILTER02", "F814W"), ("INSTRUME", "ACS")]
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=cards)), "KW012") == []


def test_numbered_keywords_in_the_primary_header(tmp_path):
    path = write_fits(
        tmp_path / "x.fits",
        empty_primary([("TELESC01", "HST"), ("TELESC02", "JWST")]),
        image_hdu(extra=[("TELESCOP", "MULTI")], primary=False),
    )
    assert findings_for(path, "KW012") == []


def test_multiple_is_an_error(tmp_path):
    (f,) = findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=[("FILTER", "MULTIPLE")])), "KW012")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW012", 0, "FILTER", "error")


def test_multi_with_one_numbered_keyword(tmp_path):
    path = write_fits(
        tmp_path / "x.fits",
        empty_primary(),
        image_hdu(extra=[("DISPRSR", "MULTI"), ("DISPR01", "G430L")], primary=False),
    )
    (f,) = findings_for(path, "KW012")
    assert (f.hdu, f.keyword) == (1, "DISPRSR") and "(only DISPR01)" in f.message
