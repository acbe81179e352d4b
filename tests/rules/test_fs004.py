"""FS004 illegal-characters: header bytes outside printable ASCII."""

from _helpers import findings_for, image_hdu, write_fits


def test_non_ascii_letter(tmp_path):
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=["OBSERVER= 'Jos\xe9 Pe\xf1a'".ljust(80)]))
    found = findings_for(path, "FS004")
    assert {(f.rule, f.hdu, f.keyword) for f in found} == {("FS004", 0, "OBSERVER")}
    assert "0xe9" in found[0].message


def test_tab_in_comment(tmp_path):
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=["COMMENT a\ttab".ljust(80)]))
    (f,) = findings_for(path, "FS004")
    assert (f.hdu, f.keyword) == (0, "COMMENT") and "0x09" in f.message


def test_printable_ascii_passes(tmp_path):
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=[("OBSERVER", "Jose Pena ~!@#$%^&*()")]))
    assert findings_for(path, "FS004") == []
