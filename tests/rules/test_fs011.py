"""FS011 duplicate-keywords: a keyword repeated in one header (a warning)."""

from fitsgen import card

from _helpers import findings_for, image_hdu, write_fits


def test_duplicate_is_a_warning(tmp_path):
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=[("OBJECT", "a"), ("OBJECT", "b")]))
    (f,) = findings_for(path, "FS011")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("FS011", 0, "OBJECT", "warning")


def test_commentary_cards_may_repeat(tmp_path):
    extra = [("COMMENT", "a"), ("COMMENT", "b"), ("HISTORY", "c"), ("HISTORY", "d"), card("", raw="")]
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=extra)), "FS011") == []
