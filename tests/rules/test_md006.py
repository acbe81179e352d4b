"""MD006 placeholder."""

from contribution_support import copy_example, edit, findings, line_of


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "MD006") == []


def test_example_orcid_and_domain_are_named(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "orcid: 0000-0002-7182-8185", "orcid: 0000-0002-1825-0097")
    edit(root / "hlsp.yaml", "grace@hlsp-example.invalid", "grace@example.org")
    got = {f.message for f in findings(root, "MD006")}
    assert got == {
        "lead.orcid still holds a stand-in: 0000-0002-1825-0097",
        "team[1].email still holds a stand-in: grace@example.org",
    }


def test_skeleton_lists_are_stand_ins_only_when_unused(tmp_path):
    root = copy_example(tmp_path)
    # [f606w] is the skeleton's filter list; the example's image uses f606w, so it is a real value here
    edit(root / "hlsp.yaml", "filters: [f606w, g430l, tess]", "filters: [f606w]")
    assert findings(root, "MD006") == []
    edit(root / "hlsp.yaml", "product_types: [img, spec, lc, cat]", "product_types: [sed]")
    assert findings(root, "MD006") == []  # not the skeleton's list


def test_readme_stand_in_at_its_line(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "README.md", "## Summary\n", "## Summary\n\nReplace with the project summary.\n")
    (f,) = findings(root, "MD006")
    assert f.path.endswith("README.md") and f.line == line_of(root / "README.md", "Replace with")
