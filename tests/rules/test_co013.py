"""CO013 version-changes: the files added, removed and changed against the base branch."""

from contribution_support import edit, findings
from gh_support import GitRepo
from hlsp.product_manifest import refresh_manifest


def test_unchanged_collection_reports_nothing(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.copy_example()
    repo.commit()
    assert findings(repo.path / "contributions" / "example", "CO013") == []


def test_new_version_lists_changes(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.copy_example()
    repo.commit()
    root = repo.path / "contributions" / "example"
    for f in sorted(root.glob("hlsp_*_v1_*")):  # a new version renames every file
        f.rename(f.with_name(f.name.replace("_v1_", "_v2_")))
    (root / "hlsp_example_hst_acs_ngc1234_f606w_v2_cat.png").unlink()
    with open(root / "hlsp_example_hst_acs_ngc1234_f606w_v2_img.png", "ab") as fh:
        fh.write(b"changed")
    (root / "hlsp_example_hst_acs_ngc1234_f814w_v2_img.png").write_bytes(b"new")
    edit(root / "hlsp.yaml", "version: v1\n", "version: v2\n")
    refresh_manifest(root)
    (f,) = findings(root, "CO013")
    assert f.severity.value == "info"
    assert f.message == (
        "against v1 on main: 1 added (hlsp_example_hst_acs_ngc1234_f814w_v2_img.png); "
        "1 removed (hlsp_example_hst_acs_ngc1234_f606w_v1_cat.png); "
        "1 changed (hlsp_example_hst_acs_ngc1234_f606w_v2_img.png); 6 unchanged"
    )
