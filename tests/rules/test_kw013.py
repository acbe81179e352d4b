"""KW013 long-keyword-name."""

from _helpers import findings_for, image_hdu, write_fits


def test_short_names_pass(tmp_path):
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=[("QUALMASK", 175)])), "KW013") == []


def test_hierarch_card(tmp_path):
    raw = "HIERARCH QUALITY_BITMASK = 175 / written by astropy for a long name"
    (f,) = findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=[raw])), "KW013")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW013", 0, "HIERARCH QUALITY_BITMASK", "warning")


def test_many_hierarch_cards_are_summarised(tmp_path):
    cards = [f"HIERARCH ESO DET CHIP{i} = 1" for i in range(14)]
    found = findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=cards)), "KW013")
    assert len(found) == 11 and found[-1].message == "4 more HIERARCH cards in this file"
