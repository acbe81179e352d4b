"""KW016 longstrn."""

from _helpers import empty_primary, findings_for, image_hdu, write_fits

LONG = ["HLSPNAME= 'A very long title that does not fit on one card, so it goes on&'", "CONTINUE  'to the next card'"]


def test_long_string_with_longstrn(tmp_path):
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=[("LONGSTRN", "OGIP 1.0")] + LONG))
    assert findings_for(path, "KW016") == []


def test_long_string_without_longstrn(tmp_path):
    path = write_fits(tmp_path / "x.fits", empty_primary(), image_hdu(extra=LONG, primary=False))
    (f,) = findings_for(path, "KW016")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW016", 1, "LONGSTRN", "warning")
