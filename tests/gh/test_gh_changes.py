"""Changed-contribution detection on real git repositories (hlsp.gh.changes)."""

from __future__ import annotations

import json

import pytest

from gh_support import GitRepo
from hlsp.errors import HlspError
from hlsp.gh.changes import changed_contributions, tracked_files


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    """main holds two collections (alpha, beta) and project files."""
    r = GitRepo(tmp_path / "repo")
    r.write("README.md", "# hlsp\n")
    r.write("hlsp/__init__.py", "")
    for proj in ("alpha", "beta"):
        r.write(f"contributions/{proj}/hlsp.yaml", f"proj_id: {proj}\n")
        r.write(f"contributions/{proj}/hlsp_{proj}_hst_acs_m31_f606w_v1_img.fits", f"{proj} data\n" * 50)
        r.write(f"contributions/{proj}/README.md", f"# {proj}\n")
    r.commit("initial")
    r.branch("pr")
    return r


def summary(changes):
    return {(c.id, c.status, c.old_id) for c in changes.contributions}


def test_added(repo):
    repo.write("contributions/gamma/hlsp.yaml", "proj_id: gamma\n")
    repo.write("contributions/gamma/README.md", "# gamma\n")
    head = repo.commit()
    changes = changed_contributions("main", "pr", repo.path)
    assert summary(changes) == {("gamma", "added", None)}
    assert changes.outside == []
    assert changes.head == head
    assert changes.base == repo.git("rev-parse", "main")
    assert [c.path for c in changes.to_validate] == ["contributions/gamma"]


def test_modified(repo):
    repo.write("contributions/alpha/hlsp.yaml", "proj_id: alpha\nversion: v2\n")
    repo.commit()
    assert summary(changed_contributions("main", "HEAD", repo.path)) == {("alpha", "modified", None)}


def test_renamed(repo):
    repo.move("contributions/beta", "contributions/beta-two")
    repo.write("contributions/beta-two/hlsp.yaml", "proj_id: beta-two\n")  # edited while moved
    repo.commit()
    changes = changed_contributions("main", "pr", repo.path)
    assert summary(changes) == {("beta-two", "renamed", "beta")}
    assert changes.to_dict()["contributions"] == [
        {"id": "beta-two", "status": "renamed", "old_id": "beta", "path": "contributions/beta-two"}
    ]


def test_deleted(repo):
    repo.remove("contributions/beta")
    repo.commit()
    changes = changed_contributions("main", "pr", repo.path)
    assert summary(changes) == {("beta", "deleted", None)}
    assert changes.to_validate == []


def test_pr_touching_two_and_outside(repo):
    repo.write("contributions/alpha/README.md", "# alpha, better\n")
    repo.write("contributions/delta/hlsp.yaml", "proj_id: delta\n")
    repo.write("hlsp/evil.py", "import os\n")
    repo.write("contributions/README.md", "not a collection\n")
    repo.commit("two and more")
    changes = changed_contributions("main", "pr", repo.path)
    assert summary(changes) == {("alpha", "modified", None), ("delta", "added", None)}
    assert changes.outside == ["contributions/README.md", "hlsp/evil.py"]


def test_renamed_out_of_contributions_is_outside(repo):
    repo.move("contributions/alpha/README.md", "docs/alpha.md")
    repo.commit()
    changes = changed_contributions("main", "pr", repo.path)
    assert summary(changes) == {("alpha", "modified", None)}
    assert changes.outside == ["docs/alpha.md"]


def test_three_dot_semantics_ignore_changes_on_main(repo):
    """Work merged to main after the branch point is not the pull request's change."""
    repo.write("contributions/alpha/README.md", "# alpha from the PR\n")
    repo.commit("pr work")
    repo.checkout("main")
    repo.write("contributions/beta/README.md", "# beta changed on main\n")
    repo.write("Makefile", "all:\n")
    repo.commit("main moved on")
    changes = changed_contributions("main", "pr", repo.path)
    assert summary(changes) == {("alpha", "modified", None)}
    assert changes.outside == []


def test_unusual_folder_names_survive(repo):
    """-z output: spaces, quotes and non-ASCII names come through verbatim."""
    repo.write('contributions/we ird"ñ/hlsp.yaml', "proj_id: x\n")
    repo.commit()
    assert summary(changed_contributions("main", "pr", repo.path)) == {('we ird"ñ', "added", None)}


def test_tracked_files_report_symlinks(repo):
    (repo.path / "contributions/alpha/link.fits").symlink_to("/etc/hostname")
    head = repo.commit()
    modes = dict((path, mode) for mode, path in tracked_files(repo.path, head, "contributions/alpha"))
    assert modes["contributions/alpha/link.fits"] == "120000"
    assert modes["contributions/alpha/hlsp.yaml"] == "100644"


def test_bad_refs_are_one_line_errors(repo, tmp_path):
    with pytest.raises(HlspError, match="'nope' is not a commit") as exc:
        changed_contributions("nope", "pr", repo.path)
    assert "\n" not in str(exc.value)
    with pytest.raises(HlspError, match="not a git revision"):
        changed_contributions("--output=/tmp/x", "pr", repo.path)
    (tmp_path / "plain").mkdir()
    with pytest.raises(HlspError, match="not a git repository"):
        changed_contributions("main", "HEAD", tmp_path / "plain")


def test_cli_prints_json_and_writes_github_output(repo, run_cli, tmp_path, monkeypatch):
    repo.write("contributions/alpha/README.md", "# alpha 2\n")
    repo.write("contributions/zeta/hlsp.yaml", "proj_id: zeta\n")
    repo.remove("contributions/beta")
    repo.write(".github/workflows/x.yml", "on: push\n")
    repo.commit()
    out = tmp_path / "github_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(out))
    res = run_cli("github", "changes", "--base", "main", "--repo-dir", repo.path)
    assert res.code == 0, res
    data = json.loads(res.out)
    assert [(c["id"], c["status"]) for c in data["contributions"]] == [
        ("alpha", "modified"),
        ("beta", "deleted"),
        ("zeta", "added"),
    ]
    assert data["outside"] == [".github/workflows/x.yml"]
    lines = dict(line.split("=", 1) for line in out.read_text().splitlines())
    assert json.loads(lines["contributions"]) == ["alpha", "zeta"]
    assert json.loads(lines["deleted"]) == ["beta"]
    assert lines["count"] == "2" and lines["outside"] == "1"


def test_cli_bad_base_exit_2(repo, run_cli):
    res = run_cli("github", "changes", "--base", "no-such-branch", "--repo-dir", repo.path)
    assert res.code == 2
    assert res.err.count("\n") == 1 and "no-such-branch" in res.err
