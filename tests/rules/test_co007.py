"""CO007 unlisted-file."""

from contribution_support import copy_example, findings


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "CO007") == []


def test_file_not_in_manifest(tmp_path):
    root = copy_example(tmp_path)
    (root / "extra").mkdir()
    (root / "extra" / "hlsp_example_notes.txt").write_text("notes\n")
    (root / ".hidden").write_text("ignored\n")
    (f,) = findings(root, "CO007")
    assert f.message == "extra/hlsp_example_notes.txt is in the folder but not in the manifest"
