"""FN003 name-length: at most 90 characters (the official checker does not test it)."""

from _helpers import empty_primary, findings_for, write_fits


def _name(length):
    stem = "hlsp_demo_hst_acs_{}_f814w_v1_img.fits"
    return stem.format("t" * (length - len(stem) + 2))


def test_90_characters_pass(tmp_path):
    name = _name(90)
    assert len(name) == 90
    assert findings_for(write_fits(tmp_path / name, empty_primary()), "FN003") == []


def test_91_characters_fail(tmp_path):
    name = _name(91)
    (f,) = findings_for(write_fits(tmp_path / name, empty_primary()), "FN003")
    assert (f.rule, f.severity.value) == ("FN003", "error")
    assert f.message == "the file name has 91 characters; at most 90 are allowed"
