"""CO010 readme-sections."""

from contribution_support import copy_example, edit, findings
from hlsp.rules.co010_readme import headings


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "CO010") == []


def test_headings_atx_setext_and_fences():
    text = "# Title\n\nContacts\n--------\n\n```\n## Not a heading\n```\n### 2. References ###\n"
    assert headings(text) == ["title", "contacts", "2. references"]


def test_missing_readme(tmp_path):
    root = copy_example(tmp_path)
    (root / "README.md").unlink()
    (f,) = findings(root, "CO010")
    assert "README.md is missing" in f.message and f.path == str(root / "README.md")


def test_missing_sections_and_version(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "README.md", "## Contacts", "## People who did it")
    edit(root / "README.md", "## References", "## Further reading")
    edit(root / "README.md", "- v1 (2026-11-01): first release.", "- first release.")
    found = findings(root, "CO010")
    assert sorted((f.severity.value, f.message) for f in found) == [
        ("error", "README.md has no 'References' section (a heading such as `## References`)"),
        ("warning", "README.md does not mention the release date 2026-11-01 of hlsp.yaml"),
        ("warning", "README.md does not mention the version v1 of hlsp.yaml"),
    ]
