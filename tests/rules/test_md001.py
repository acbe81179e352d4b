"""MD001 metadata-unreadable: hlsp.yaml that cannot be used at all."""

from contribution_support import copy_example, edit, findings


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "MD001") == []


def test_duplicate_key_points_at_second_occurrence(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "version: v1\n", "version: v1\nversion: v2\n")
    (f,) = findings(root, "MD001")
    assert "duplicate key 'version'" in f.message and "line 5" in f.message
    assert (f.line, f.column) == (6, 1)
    assert f.path == str(root / "hlsp.yaml")


def test_missing_file(tmp_path):
    root = copy_example(tmp_path)
    (root / "hlsp.yaml").unlink()
    (root / "hlsp.yaml").mkdir()  # still "a contribution", but no usable file
    (f,) = findings(root, "MD001")
    assert "not a regular file" in f.message


def test_alias_refused(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "observatories: [hst, tess]", "observatories: &o [hst, tess]\nx-copy: *o")
    (f,) = findings(root, "MD001")
    assert "aliases (*o) are not allowed" in f.message and f.line == 19
