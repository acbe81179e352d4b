"""``hlsp github pending``: everything merged since the last successful staging, each with its own review.

Real git repositories (gh_support.GitRepo) and the fake GitHub on 127.0.0.1
(pytest-httpserver): merged pull requests, their approvals, validation runs
with artifact zips, and stage.yml runs.  The verification of what the plan
finds (re-validation, checksums) runs end to end in the journey suite
(tests/journey/test_journey.py, three quick merges).
"""

from __future__ import annotations

import json
import zipfile

import pytest

from gh_support import FakeGitHub, GitRepo
from hlsp.errors import HlspError
from hlsp.gh.client import GitHub
from hlsp.gh.pending import last_staged, plan
from hlsp.gh.report import LIMITS


def artifact_zip(path, report: bytes = b'{"r": 1}', review: bytes = b'{"v": 1}', extra=()) -> object:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("report.json", report)
        z.writestr("review.json", review)
        for name, data in extra:
            z.writestr(name, data)
    return path


@pytest.fixture
def github(httpserver, monkeypatch) -> FakeGitHub:
    fake = FakeGitHub(httpserver)
    monkeypatch.setenv("GITHUB_TOKEN", fake.token)
    monkeypatch.setenv("GITHUB_API_URL", fake.base)
    return fake


@pytest.fixture
def history(tmp_path, github):
    """main: base, then three merged pull requests adding a, b, c (b changed again by the third)."""
    repo = GitRepo(tmp_path / "repo")
    repo.write("README.md", "archive\n")
    merges = {"base": repo.commit("base")}
    for number, cid, extra in ((1, "a", None), (2, "b", None), (3, "c", "b")):
        repo.branch(f"pr{number}", "main")
        repo.write(f"contributions/{cid}/hlsp.yaml", f"proj_id: {cid}\n")
        if extra:
            repo.write(f"contributions/{extra}/README.md", "more\n")
        head = repo.commit(f"add {cid}")
        repo.checkout("main")
        repo.git("merge", "-q", "--no-ff", "-m", f"Merge #{number}", f"pr{number}")
        merge = repo.git("rev-parse", "HEAD")
        github.add_pull(number, head, state="closed", merge_sha=merge)
        github.add_review(number, head)
        github.add_run(
            100 + number,
            head,
            artifact=artifact_zip(tmp_path / f"a{number}.zip", report=f'{{"pr": {number}}}'.encode()),
        )
        merges[number] = merge
    return repo, merges


def repository(github):
    return GitHub(github.token, github.base).repository("archive/hlsp")


def test_last_staged_is_the_newest_successful_run_on_main_behind_head(github, history):
    repo, m = history
    assert last_staged(repository(github), m[3], repo.path) is None  # never staged
    github.add_run(901, m[1], event="push", workflow="stage.yml", branch="main")
    github.add_run(902, m[2], event="push", workflow="stage.yml", branch="main", conclusion="cancelled")
    github.add_run(903, "9" * 40, event="push", workflow="stage.yml", branch="main")  # not in this history
    github.add_run(904, m[2], event="pull_request", workflow="stage.yml", branch="main")  # not a push
    assert last_staged(repository(github), m[3], repo.path) == m[1]
    github.add_run(905, m[2], event="workflow_dispatch", workflow="stage.yml", branch="main")
    assert last_staged(repository(github), m[3], repo.path) == m[2]


def test_plan_covers_every_merge_since_the_base_with_its_own_review(github, history, tmp_path):
    repo, m = history
    p = plan(repository(github), m[1], m[3], tmp_path / "out", repo.path)
    assert p.refused == {}
    assert {cid: (e["merge"], e["pull_request"], e["run"]) for cid, e in p.contributions.items()} == {
        "b": (m[3], 3, 103),  # changed again by the third merge: checked against that review
        "c": (m[3], 3, 103),
    }
    assert json.loads((tmp_path / "out" / m[3] / "report.json").read_text()) == {"pr": 3}
    assert sorted(x.name for x in (tmp_path / "out" / m[3]).iterdir()) == ["report.json", "review.json"]
    saved = json.loads((tmp_path / "out" / "plan.json").read_text())
    assert saved["base"] == m[1] and saved["head"] == m[3] and set(saved["contributions"]) == {"b", "c"}

    p = plan(repository(github), m["base"], m[3], tmp_path / "all", repo.path)
    assert set(p.contributions) == {"a", "b", "c"} and p.contributions["a"]["merge"] == m[1]


def test_an_unapproved_merge_is_refused_and_the_others_still_planned(github, history, tmp_path):
    repo, m = history
    github.reviews[2].clear()
    github.reviews[3][0]["commit_id"] = "5" * 40  # approved an older head
    github.add_review(2, github.pull(2)["head"]["sha"], "CHANGES_REQUESTED", login="lead", association="OWNER")
    p = plan(repository(github), m["base"], m[3], tmp_path / "out", repo.path)
    assert set(p.contributions) == {"a"}
    assert p.refused["b"].startswith(
        f"merge {m[3][:12]}: pull request #3 is not staged: the approval is for 555555555555"
    )
    assert "c" in p.refused


def test_a_direct_push_to_main_is_refused(github, history, tmp_path):
    repo, m = history
    repo.write("contributions/d/hlsp.yaml", "proj_id: d\n")
    pushed = repo.commit("pushed straight to main")
    p = plan(repository(github), m[3], pushed, tmp_path / "out", repo.path)
    assert p.contributions == {}
    assert p.refused == {
        "d": f"merge {pushed[:12]}: no merged pull request produced commit {pushed[:12]}; "
        "contributions are staged only from reviewed pull requests"
    }


@pytest.mark.parametrize("kind", ["oversized", "not-a-zip", "no-artifact"])
def test_bad_artifacts_are_refused_in_one_line(github, history, tmp_path, kind):
    repo, m = history
    github.artifacts.clear()
    if kind == "oversized":
        big = b'"' + b"x" * (LIMITS["review.json"] + 10) + b'"'
        github.add_artifact(103, artifact_zip(tmp_path / "big.zip", review=big))
    elif kind == "not-a-zip":
        (tmp_path / "nozip.zip").write_bytes(b"PK but not really")
        github.add_artifact(103, tmp_path / "nozip.zip")
    p = plan(repository(github), m[2], m[3], tmp_path / "out", repo.path)
    expected = {
        "oversized": f"the artifact's review.json is {len(big) if kind == 'oversized' else 0} bytes",
        "not-a-zip": "the artifact is not a zip file",
        "no-artifact": "run 103 has no artifact 'hlsp-report'",
    }[kind]
    assert set(p.refused) == {"b", "c"} and expected in p.refused["c"], p.refused
    assert not (tmp_path / "out" / m[3] / "review.json").exists()


def test_unknown_base_is_one_line(github, history, tmp_path):
    repo, m = history
    with pytest.raises(HlspError):
        plan(repository(github), "0" * 40, m[3], tmp_path / "out", repo.path)
