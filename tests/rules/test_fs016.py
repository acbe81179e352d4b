"""FS016 null-value: a keyword with an undefined value (information only)."""

from fitsgen import card

from _helpers import findings_for, image_hdu, write_fits


def test_null_value_is_info(tmp_path):
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=[card("", raw="PMRA    =        / unknown")]))
    (f,) = findings_for(path, "FS016")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("FS016", 0, "PMRA", "info")


def test_values_pass(tmp_path):
    extra = [("PMRA", 1.5), card("", raw="CONTINUE  'x'"), ("COMMENT", "no value here")]
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=extra)), "FS016") == []
