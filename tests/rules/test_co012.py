"""CO012 version-not-raised: compared with the collection on the base branch (a real git repo)."""

import pytest

from contribution_support import copy_example, edit, findings
from gh_support import GitRepo
from hlsp.errors import HlspError
from hlsp.product_manifest import refresh_manifest

PNG = "hlsp_example_hst_acs_ngc1234_f606w_v1_img.png"


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.copy_example()
    repo.commit("example v1")
    return repo


def test_unchanged_collection_passes(repo):
    assert findings(repo.path / "contributions" / "example", "CO012") == []


def test_outside_git_is_skipped(tmp_path):
    assert findings(copy_example(tmp_path), "CO012") == []


def test_changed_file_same_version(repo):
    root = repo.path / "contributions" / "example"
    with open(root / PNG, "ab") as fh:
        fh.write(b"more")
    refresh_manifest(root)
    (f,) = findings(root, "CO012")
    assert f.message == "files changed since main (version v1) but the version is still v1: raise it"


def test_changed_file_raised_version_passes(repo):
    root = repo.path / "contributions" / "example"
    with open(root / PNG, "ab") as fh:
        fh.write(b"more")
    refresh_manifest(root)
    edit(root / "hlsp.yaml", "version: v1\n", "version: v1.1\n")
    assert findings(root, "CO012") == []


def test_explicit_base_must_exist(repo):
    with pytest.raises(HlspError, match="--base nope: no such commit"):
        findings(repo.path / "contributions" / "example", "CO012", base="nope")
