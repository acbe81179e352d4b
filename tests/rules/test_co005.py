"""CO005 size-mismatch."""

from contribution_support import copy_example, edit, findings, line_of

IMG = "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "CO005") == []


def test_file_grew(tmp_path):
    root = copy_example(tmp_path)
    with open(root / IMG, "ab") as fh:
        fh.write(b"\0" * 2880)
    (f,) = findings(root, "CO005")
    assert f.message == f"{root / IMG}: 25920 bytes, the manifest gives 23040"
    assert f.line == line_of(root / "hlsp.yaml", "size: 23040")


def test_manifest_size_wrong(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "size: 23040", "size: 23041")
    (f,) = findings(root, "CO005")
    assert "23040 bytes, the manifest gives 23041" in f.message
