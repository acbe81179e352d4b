"""After merge: stage only what was reviewed (hlsp.gh.gate, ``hlsp github find-review`` / ``verify-merge``).

Real git repositories for the merge, the real example collection, and the
local fake GitHub (pytest-httpserver) for finding the pull request and run.
"""

from __future__ import annotations

import json

import pytest

from gh_support import FakeGitHub, GitRepo
from hlsp.errors import HlspError
from hlsp.gh.check import check_pull_request, write_artifact
from hlsp.gh.client import GitHub
from hlsp.gh.gate import find_review

IMG = "contributions/example/hlsp_example_hst_acs_ngc1234_f606w_v1_img.png"


def merge_pr(tmp_path, broken: bool = False):
    """A pull request adding the example, reviewed (artifact written), then merged into main."""
    repo = GitRepo(tmp_path / "repo")
    repo.write("README.md", "# archive\n")
    before = repo.commit("initial")
    repo.branch("pr")
    repo.copy_example()
    if broken:
        repo.write("contributions/example/hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits", b"broken")
    head = repo.commit("add example")
    write_artifact(check_pull_request("main", "pr", repo.path), tmp_path / "reviewed", "comment")
    repo.checkout("main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #7", "pr")
    return repo, before, head


@pytest.fixture
def merged(tmp_path):
    return merge_pr(tmp_path)


def verify(run_cli, repo, before, head, tmp_path):
    return run_cli(
        "github",
        "verify-merge",
        "--base",
        before,
        "--head",
        "HEAD",
        "--repo-dir",
        repo.path,
        "--reviewed",
        tmp_path / "reviewed",
        "--reviewed-sha",
        head,
    )


def test_identical_merge_is_staged(merged, run_cli, tmp_path, monkeypatch):
    repo, before, head = merged
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "out"))
    res = verify(run_cli, repo, before, head, tmp_path)
    assert res.code == 0, res
    assert "identical to the review: example" in res.out
    outputs = dict(line.split("=", 1) for line in (tmp_path / "out").read_text().splitlines())
    assert json.loads(outputs["contributions"]) == ["example"] and outputs["count"] == "1"


def test_file_changed_after_review_is_refused(merged, run_cli, tmp_path):
    repo, before, head = merged
    (repo.path / IMG).write_bytes((repo.path / IMG).read_bytes() + b"\0")
    repo.commit("sneaky fix-up on main")
    res = verify(run_cli, repo, before, head, tmp_path)
    assert res.code == 2
    assert f"contribution 'example' differs from what was reviewed (changed: {IMG})" in res.err


def test_file_added_after_review_is_refused(merged, run_cli, tmp_path):
    repo, before, head = merged
    repo.write("contributions/example/extra.txt", "not reviewed\n")
    repo.commit()
    res = verify(run_cli, repo, before, head, tmp_path)
    assert res.code == 2 and "added: contributions/example/extra.txt" in res.err


def test_unreviewed_contribution_is_refused(merged, run_cli, tmp_path):
    repo, before, head = merged
    repo.write("contributions/other/README.md", "# pushed straight to main\n")
    repo.commit()
    res = verify(run_cli, repo, before, head, tmp_path)
    assert res.code == 2 and "'other' is not in the reviewed report" in res.err


def test_merged_commit_with_errors_is_refused(run_cli, tmp_path):
    """Reviewed as it is (a reviewer merged despite the red status): still never staged."""
    repo, before, head = merge_pr(tmp_path, broken=True)
    res = verify(run_cli, repo, before, head, tmp_path)
    assert res.code == 2 and "the merged commit fails validation with" in res.err


def test_artifact_of_another_head_is_refused(merged, run_cli, tmp_path):
    repo, before, _ = merged
    res = verify(run_cli, repo, before, "d" * 40, tmp_path)
    assert res.code == 2 and "not dddddddddddd" in res.err


# ---------------------------------------------------------------- find-review (GitHub API)

MERGE = "7" * 40
HEAD = "8" * 40


@pytest.fixture
def github(httpserver, monkeypatch) -> FakeGitHub:
    fake = FakeGitHub(httpserver)
    monkeypatch.setenv("GITHUB_TOKEN", fake.token)
    monkeypatch.setenv("GITHUB_API_URL", fake.base)
    return fake


def test_find_review_picks_the_merged_pull_request_and_its_newest_finished_run(github, run_cli, tmp_path, monkeypatch):
    github.add_pull(6, "6" * 40, state="closed")  # closed without merge
    github.add_pull(7, HEAD, state="closed", merge_sha=MERGE)
    github.add_run(3003, HEAD, status="in_progress", conclusion=None)
    github.add_run(3002, HEAD, conclusion="failure")
    github.add_run(3001, HEAD)
    github.add_run(2999, HEAD, event="push")
    github.add_review(7, HEAD)
    monkeypatch.setenv("GITHUB_OUTPUT", str(tmp_path / "out"))
    res = run_cli("github", "find-review", "--repo", "archive/hlsp", "--sha", MERGE)
    assert res.code == 0, res
    outputs = dict(line.split("=", 1) for line in (tmp_path / "out").read_text().splitlines())
    # plain values: ${{ steps.review.outputs.head-sha }} must be the SHA itself, not a quoted JSON string
    assert outputs == {"run-id": "3002", "pull-request": "7", "head-sha": HEAD}
    assert ("GET", "/api/v3/repos/archive/hlsp/actions/workflows/validate.yml/runs") in github.requests


def test_find_review_refuses_a_commit_without_pull_request(github):
    github.add_pull(7, HEAD, state="closed", merge_sha=MERGE)
    repo = GitHub(github.token, github.base).repository("archive/hlsp")
    with pytest.raises(HlspError, match="no merged pull request produced commit 999999999999"):
        find_review(repo, "9" * 40)


def test_find_review_refuses_an_unvalidated_pull_request(github):
    github.add_pull(7, HEAD, state="closed", merge_sha=MERGE)
    github.add_review(7, HEAD)
    repo = GitHub(github.token, github.base).repository("archive/hlsp")
    with pytest.raises(HlspError, match="#7 has no finished validate.yml run"):
        find_review(repo, MERGE)


def test_actions_api_errors_are_one_line(github):
    github.add_pull(7, HEAD, state="closed", merge_sha=MERGE)
    github.add_review(7, HEAD)
    github.fail_next("GET", r".*/actions/workflows/validate.yml/runs", 403)
    repo = GitHub(github.token, github.base).repository("archive/hlsp")
    with pytest.raises(HlspError, match=r"^listing runs of validate.yml for 888888888888: GitHub refused \(403"):
        find_review(repo, MERGE)


# ---------------------------------------------------------------- the approved commit (issue 17, item 10)

OLD = "5" * 40


def _refusal(github) -> str:
    github.add_run(3001, HEAD)
    repo = GitHub(github.token, github.base).repository("archive/hlsp")
    with pytest.raises(HlspError) as exc:
        find_review(repo, MERGE)
    return str(exc.value)


def test_a_push_after_the_approval_is_refused_even_when_validated(github):
    """Force-push after approval, re-validated green: not staged unless the new head is approved."""
    github.add_pull(7, HEAD, state="closed", merge_sha=MERGE)
    github.add_review(7, OLD)  # approved the previous head
    assert _refusal(github) == (
        "pull request #7 is not staged: the approval is for 555555555555, not the merged head 888888888888 "
        "(pushed after the review); approve its head again, then re-run stage.yml"
    )
    assert ("GET", "/api/v3/repos/archive/hlsp/pulls/7/reviews") in github.requests


def test_approval_of_the_head_after_the_push_is_accepted(github):
    github.add_pull(7, HEAD, state="closed", merge_sha=MERGE)
    github.add_review(7, OLD)
    github.add_review(7, HEAD, "COMMENTED", login="someone")  # a comment is no verdict
    github.add_review(7, HEAD)
    github.add_run(3001, HEAD)
    repo = GitHub(github.token, github.base).repository("archive/hlsp")
    assert find_review(repo, MERGE).run.id == 3001


@pytest.mark.parametrize(
    "reviews, expected",
    [
        ([], "no maintainer approved it"),
        ([(HEAD, "APPROVED", "ada", "CONTRIBUTOR")], "no maintainer approved it"),  # no write access
        (
            [(HEAD, "APPROVED", "curator", "MEMBER"), (HEAD, "CHANGES_REQUESTED", "lead", "OWNER")],
            "lead requested changes",
        ),
        (
            [(HEAD, "APPROVED", "curator", "MEMBER"), (HEAD, "DISMISSED", "curator", "MEMBER")],
            "no maintainer approved it",
        ),
        (
            [(None, "APPROVED", "curator", "MEMBER")],
            "the approval is for a commit no longe",
        ),  # its commit force-pushed away
    ],
    ids=["none", "not-a-maintainer", "changes-requested", "dismissed", "commit-gone"],
)
def test_approval_refusals(github, reviews, expected):
    github.add_pull(7, HEAD, state="closed", merge_sha=MERGE)
    for commit, state, login, association in reviews:
        review = github.add_review(7, commit or OLD, state, login=login, association=association)
        if commit is None:
            review["commit_id"] = None
    assert expected in _refusal(github)


def test_changes_requested_then_approved_by_the_same_reviewer_counts_as_approved(github):
    github.add_pull(7, HEAD, state="closed", merge_sha=MERGE)
    github.add_review(7, OLD, "CHANGES_REQUESTED", login="curator")
    github.add_review(7, HEAD, "APPROVED", login="curator", association="COLLABORATOR")
    github.add_run(3001, HEAD)
    repo = GitHub(github.token, github.base).repository("archive/hlsp")
    assert find_review(repo, MERGE).pull_request.number == 7
