"""MD004 history-version."""

from contribution_support import copy_example, edit, findings


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "MD004") == []


def test_new_version_without_history_entry(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "version: v1\n", "version: v2\n")
    (f,) = findings(root, "MD004")
    assert f.message == "history has no entry for version v2: say what changed in it"
    assert f.severity.value == "warning"
