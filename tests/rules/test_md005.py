"""MD005 doi-pending."""

from contribution_support import copy_example, edit, findings, line_of


def test_minted_doi_passes(tmp_path):
    assert findings(copy_example(tmp_path), "MD005") == []


def test_pending_doi_is_a_warning_at_its_line(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", 'doi: "10.17909/hlsp-example"', "doi: pending")
    (f,) = findings(root, "MD005")
    assert f.severity.value == "warning"
    assert "mints" in f.message and "--doi" in f.message
    assert f.line == line_of(root / "hlsp.yaml", "doi: pending")
