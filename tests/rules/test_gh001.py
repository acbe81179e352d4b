"""GH001 outside-contributions: a pull request changes files outside contributions/<id>/."""

from gh_support import GitRepo
from hlsp.gh.changes import Changes, ContributionChange
from hlsp.gh.check import check_pull_request
from hlsp.rules._base import PullRequestContext
from hlsp.rules.gh001_outside_contributions import check


def _pr(tmp_path, *paths) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write("Makefile", "all:\n")
    repo.commit("initial")
    repo.branch("pr")
    for p in paths:
        repo.write(p)
    repo.commit()
    return repo


def gh001(check):
    return [(r.path, f.severity.value) for r in check.report.files for f in r.findings if f.rule == "GH001"]


def test_own_folder_only_passes(tmp_path):
    repo = _pr(tmp_path, "contributions/m31/README.md")
    assert gh001(check_pull_request("main", "pr", repo.path)) == []


def test_files_outside_are_errors_each_on_its_file(tmp_path):
    repo = _pr(tmp_path, "contributions/m31/README.md", "Makefile", "contributions/notes.txt")
    assert gh001(check_pull_request("main", "pr", repo.path)) == [
        ("Makefile", "error"),
        ("contributions/notes.txt", "error"),
    ]


def test_maintenance_label_turns_it_off(tmp_path):
    repo = _pr(tmp_path, "hlsp/cli.py")
    check = check_pull_request("main", "pr", repo.path, labels=["maintenance"])
    assert gh001(check) == [] and check.maintenance


# The judgement itself: a pure function of the pull request's facts (no git needed).
def test_check_reports_each_path_outside_unless_labelled():
    changes = Changes("b" * 40, "h" * 40, [ContributionChange("m31", "added")], outside=[".github/x.yml", "Makefile"])
    found = list(check(PullRequestContext(changes)))
    assert [(f.rule, f.path, f.severity.value) for f in found] == [
        ("GH001", ".github/x.yml", "error"),
        ("GH001", "Makefile", "error"),
    ]
    assert list(check(PullRequestContext(changes, labels=("bug", "maintenance")))) == []
    assert list(check(PullRequestContext(changes, labels=("Maintenance",)))) != []  # labels are exact
    assert list(check(PullRequestContext(Changes("b" * 40, "h" * 40, outside=[])))) == []
