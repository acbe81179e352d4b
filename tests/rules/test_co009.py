"""CO009 id-version-mismatch: folder name and file-name versions against hlsp.yaml."""

from contribution_support import copy_example, edit, findings, line_of


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "CO009") == []


def test_folder_name_differs(tmp_path):
    root = copy_example(tmp_path, name="other")
    (f,) = findings(root, "CO009")
    assert f.message == "the folder is named 'other' but proj_id is 'example': they must be the same"
    assert f.line == line_of(root / "hlsp.yaml", "proj_id:")


def test_version_raised_but_files_not_renamed(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "version: v1\n", "version: v2\n")
    found = findings(root, "CO009")
    assert len(found) == 8  # four products and four previews still say v1
    assert all("carries version 'v1', hlsp.yaml says 'v2'" in f.message for f in found)
