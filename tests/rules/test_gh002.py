"""GH002 contribution-removed: a pull request deletes a whole collection."""

from gh_support import GitRepo
from hlsp.gh.changes import Changes, ContributionChange
from hlsp.gh.check import check_pull_request
from hlsp.rules._base import PullRequestContext
from hlsp.rules.gh002_contribution_removed import RULE, check


def _repo(tmp_path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    repo.write("contributions/old/README.md", "# old\n")
    repo.write("contributions/old/notes.txt", "kept\n")
    repo.commit("initial")
    repo.branch("pr")
    return repo


def gh002(check):
    return [(r.path, f.severity.value) for r in check.report.files for f in r.findings if f.rule == "GH002"]


def test_removing_a_collection_is_a_warning(tmp_path):
    repo = _repo(tmp_path)
    repo.remove("contributions/old")
    repo.commit()
    check = check_pull_request("main", "pr", repo.path)
    assert gh002(check) == [("contributions/old", "warning")]
    assert not check.report.failed()


def test_removing_one_file_is_not_a_removal(tmp_path):
    repo = _repo(tmp_path)
    repo.remove("contributions/old/notes.txt")
    repo.commit()
    assert gh002(check_pull_request("main", "pr", repo.path)) == []


# The judgement itself: a pure function of the pull request's facts (no git needed).
def test_check_reports_each_deleted_contribution_on_its_folder():
    changes = Changes(
        "b" * 40,
        "h" * 40,
        [
            ContributionChange("gone", "deleted"),
            ContributionChange("kept", "modified"),
            ContributionChange("new", "renamed", old_id="old"),
        ],
    )
    found = list(check(PullRequestContext(changes)))
    assert [(f.rule, f.path, f.severity.value, f.message) for f in found] == [
        ("GH002", "contributions/gone", "warning", "this pull request removes the collection 'gone'")
    ]


def test_a_rule_that_crashes_is_a_warning_and_the_others_still_run(tmp_path, monkeypatch):
    """The pull-request rules run through hlsp.judge.run_rules, the one crash wrapper."""
    repo = _repo(tmp_path)
    repo.remove("contributions/old")
    repo.write("Makefile", "all:\n")
    repo.commit()

    def broken(ctx):
        raise KeyError("boom")

    monkeypatch.setattr(RULE, "func", broken)
    check = check_pull_request("main", "pr", repo.path)
    found = {(r.path, f.rule, f.severity.value) for r in check.report.files for f in r.findings}
    assert (".", "GH002", "warning") in found and ("Makefile", "GH001", "error") in found
    (crash,) = [f for _, f in check.report.findings() if f.rule == "GH002"]
    assert "internal error in rule GH002 (KeyError" in crash.message
