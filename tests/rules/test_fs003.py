"""FS003 end-card: a header without END, or with text after END."""

from fitsgen import card, header_bytes, primary_cards

from _helpers import empty_primary, findings_for, write_fits


def test_no_end_card(tmp_path):
    path = write_fits(tmp_path / "x.fits", header_bytes(primary_cards(), end=False))
    (f,) = findings_for(path, "FS003")
    assert (f.rule, f.hdu, f.keyword) == ("FS003", 0, "END") and "no END" in f.message


def test_text_after_end(tmp_path):
    path = write_fits(tmp_path / "x.fits", header_bytes(primary_cards() + [card("", raw="END     junk")], end=False))
    (f,) = findings_for(path, "FS003")
    assert (f.hdu, f.keyword) == (0, "END") and "characters after END" in f.message


def test_proper_end_passes(tmp_path):
    assert findings_for(write_fits(tmp_path / "x.fits", empty_primary()), "FS003") == []
