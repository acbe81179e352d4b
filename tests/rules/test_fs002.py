"""FS002 truncated: the file ends before the data its header declares."""

from _helpers import empty_primary, findings_for, image_hdu, write_fits


def test_data_cut_short(tmp_path):
    path = write_fits(tmp_path / "x.fits", empty_primary() + image_hdu(primary=False)[:-100])
    (f,) = findings_for(path, "FS002")
    assert (f.rule, f.hdu, f.keyword) == ("FS002", 1, None) and "truncated" in f.message


def test_cut_inside_a_header_block(tmp_path):
    path = write_fits(tmp_path / "x.fits", empty_primary() + image_hdu(primary=False)[:1000])
    (f,) = findings_for(path, "FS002")
    assert f.hdu == 1 and "inside a header block" in f.message
    assert findings_for(path, "FS003") == [], "a cut header is not also reported as lacking END"


def test_complete_file_passes(tmp_path):
    assert findings_for(write_fits(tmp_path / "x.fits", empty_primary() + image_hdu(primary=False)), "FS002") == []
