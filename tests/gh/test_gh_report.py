"""``hlsp github report`` against a real local HTTP server speaking GitHub's REST shapes.

The server (pytest-httpserver on 127.0.0.1, see gh_support.FakeGitHub) keeps
comments and statuses, so the tests follow what a reviewer would see across
pushes: the first report creates the comment and the status, the next one
edits the comment, whatever the verdict.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gh_support import FakeGitHub
from hlsp.errors import HlspError
from hlsp.gh.client import GitHub
from hlsp.gh.artifact import load_artifact
from hlsp.gh.comment import MARKER
from hlsp.gh.report import post_report

HEAD = "4f1e6d0c2a9b8e7d6c5b4a39281706f5e4d3c2b1"
RUN_URL = "https://github.com/archive/hlsp/actions/runs/8812"
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"


def finding(rule: str, severity: str, message: str, **extra) -> dict:
    return {
        "rule": rule,
        "category": "fits",
        "severity": severity,
        "hdu": 0,
        "keyword": None,
        "message": message,
        "hint": "fix it",
        **extra,
    }


def write_artifact(folder: Path, findings: list[dict], *, head: str = HEAD, outside=()) -> Path:
    """A validation artifact as hlsp github check writes it (one collection, one file)."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {s: sum(f["severity"] == s for f in findings) for s in ("error", "warning", "info")}
    report = {
        "summary": {"files": 1, "errors": counts["error"], "warnings": counts["warning"], "infos": counts["info"]},
        "files": [{"path": "contributions/m31/hlsp_m31_hst_acs_m31_f606w_v1_img.fits", "findings": findings}],
    }
    review = {
        "format": "hlsp-review/1",
        "base": "1" * 40,
        "head": head,
        "maintenance": False,
        "outside": list(outside),
        "contributions": [
            {
                "id": "m31",
                "status": "added",
                "old_id": None,
                "path": "contributions/m31",
                "files": {"contributions/m31/hlsp.yaml": SHA256},
            }
        ],
    }
    (folder / "report.json").write_text(json.dumps(report))
    (folder / "review.json").write_text(json.dumps(review))
    return folder


@pytest.fixture
def github(httpserver, monkeypatch) -> FakeGitHub:
    fake = FakeGitHub(httpserver)
    monkeypatch.setenv("GITHUB_TOKEN", fake.token)
    monkeypatch.setenv("GITHUB_API_URL", fake.base)
    return fake


def report(run_cli, folder: Path, sha: str = HEAD):
    return run_cli(
        "github", "report", "--artifact", folder, "--repo", "archive/hlsp", "--sha", sha, "--run-url", RUN_URL
    )


def test_first_report_creates_comment_and_status(github, run_cli, tmp_path):
    github.add_pull(7, HEAD, files=["contributions/m31/hlsp.yaml"])
    res = report(run_cli, write_artifact(tmp_path / "a", [finding("FS006", "error", "NAXIS is missing")]))
    assert res.code == 0, res
    [comment] = github.comments[7]
    assert comment["body"].startswith(MARKER)
    assert "HLSP validation failed" in comment["body"] and "NAXIS is missing" in comment["body"]
    assert RUN_URL in comment["body"]
    [status] = github.statuses
    assert (status["sha"], status["state"], status["context"]) == (HEAD, "failure", "hlsp/validation")
    assert status["target_url"] == RUN_URL
    assert status["description"] == "1 error, 0 warnings"
    assert "comment created on pull request #7" in res.out


def test_second_report_edits_the_comment(github, run_cli, tmp_path):
    github.add_pull(7, HEAD)
    report(run_cli, write_artifact(tmp_path / "a", [finding("FS006", "error", "first push")]))
    res = report(run_cli, write_artifact(tmp_path / "b", [finding("FS006", "error", "second push")]))
    assert res.code == 0, res
    [comment] = github.comments[7]  # still one comment
    assert "second push" in comment["body"] and "first push" not in comment["body"]
    assert ("PATCH", f"/api/v3/repos/archive/hlsp/issues/comments/{comment['id']}") in github.requests
    assert len(github.statuses) == 2


def test_changed_verdict_edits_the_same_comment(github, run_cli, tmp_path):
    """No stale red report stays above the green one: the one comment is brought up to date."""
    github.add_pull(7, HEAD)
    report(run_cli, write_artifact(tmp_path / "a", [finding("FS006", "error", "broken")]))
    res = report(run_cli, write_artifact(tmp_path / "b", [finding("FS008", "info", "a hint only")]))
    assert res.code == 0, res
    [comment] = github.comments[7]
    assert "passed (was failed): status success" in res.out
    assert "validation passed" in comment["body"] and "validation failed" not in comment["body"]
    assert "broken" not in comment["body"]
    assert github.statuses[-1]["state"] == "success"  # hints never fail the status


def test_warnings_pass_the_status_and_are_collapsed(github, run_cli, tmp_path):
    github.add_pull(7, HEAD)
    res = report(run_cli, write_artifact(tmp_path / "a", [finding("FS013", "warning", "odd date")]))
    assert res.code == 0, res
    body = github.comments[7][0]["body"]
    assert "<details><summary>" in body and "odd date" in body
    assert github.statuses[0]["state"] == "success"
    assert "1 warning" in github.statuses[0]["description"]


def test_only_the_bots_marked_comment_is_edited(github, run_cli, tmp_path):
    """A contributor who pastes the marker does not get their comment edited (nor hijacks the report)."""
    github.add_pull(7, HEAD)
    github.add_comment(7, f"{MARKER}\n<!-- hlsp-verdict: failed -->\nfake", by=github.pulls[0]["user"])
    res = report(run_cli, write_artifact(tmp_path / "a", [finding("FS006", "error", "real")]))
    assert res.code == 0, res
    fake, ours = github.comments[7]
    assert fake["body"].endswith("fake")
    assert "real" in ours["body"]


def test_server_error_is_retried(github, run_cli, tmp_path):
    github.add_pull(7, HEAD)
    github.fail_next("POST", r"/api/v3/repos/archive/hlsp/statuses/\w+", 502)
    github.fail_next("GET", r"/api/v3/repos/archive/hlsp", 503)
    res = report(run_cli, write_artifact(tmp_path / "a", []))
    assert res.code == 0, res
    assert github.requests.count(("GET", "/api/v3/repos/archive/hlsp")) == 2
    assert [s["state"] for s in github.statuses] == ["success"]


def test_persistent_server_error_is_one_line(github, tmp_path):
    github.fail_next("GET", r"/api/v3/repos/archive/hlsp", 500, times=3)
    client = GitHub(github.token, github.base, retries=2, backoff=0)
    with pytest.raises(HlspError) as exc:
        client.repository("archive/hlsp")
    assert str(exc.value) == "reading repository archive/hlsp: GitHub failed (500 Server Error) even after retries"


def test_bad_token_is_one_line_error(github, run_cli, tmp_path, monkeypatch):
    github.add_pull(7, HEAD)
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_wrong")
    res = report(run_cli, write_artifact(tmp_path / "a", []))
    assert res.code == 2
    assert res.err == (
        "hlsp github: error: reading repository archive/hlsp: GitHub rejected the token (401 Bad credentials); "
        "check GITHUB_TOKEN\n"
    )
    assert github.statuses == [] and github.comments[7] == []


def test_missing_token(run_cli, tmp_path, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    res = report(run_cli, write_artifact(tmp_path / "a", []))
    assert res.code == 2 and "set GITHUB_TOKEN" in res.err


def test_api_url_forms(github):
    """GHE form (<host>/api/v3) and bare host both reach <host>/api/v3; github.com stays as is."""
    host = github.base.removesuffix("/api/v3")
    assert GitHub("t", github.base).api_url == github.base
    assert GitHub("t", host).api_url == github.base
    assert GitHub("t").api_url == "https://api.github.com"
    assert GitHub.from_env({"GITHUB_TOKEN": "t"}).api_url == "https://api.github.com"


def test_no_open_pull_request_still_sets_status(github, run_cli, tmp_path):
    res = report(run_cli, write_artifact(tmp_path / "a", []))
    assert res.code == 0, res
    assert "no open pull request" in res.out
    assert [s["state"] for s in github.statuses] == ["success"]


def test_scope_is_rechecked_with_the_api(github, run_cli, tmp_path):
    """An artifact that hides its GH001 (e.g. from an edited workflow) is corrected from the API's file list."""
    github.add_pull(7, HEAD, files=["contributions/m31/hlsp.yaml", ".github/workflows/validate.yml"])
    res = report(run_cli, write_artifact(tmp_path / "a", []))
    assert res.code == 0, res
    assert github.statuses[0]["state"] == "failure"
    body = github.comments[7][0]["body"]
    assert "GH001" in body and ".github/workflows/validate.yml" in body


def test_maintenance_label_allows_outside_files(github, run_cli, tmp_path):
    github.add_pull(7, HEAD, labels=["maintenance"], files=["hlsp/cli.py"])
    res = report(run_cli, write_artifact(tmp_path / "a", []))
    assert res.code == 0, res
    assert github.statuses[0]["state"] == "success"


def test_rejected_artifact_sets_error_status(github, run_cli, tmp_path):
    github.add_pull(7, HEAD)
    folder = write_artifact(tmp_path / "a", [])
    (folder / "report.json").write_text("{not json")
    res = report(run_cli, folder)
    assert res.code == 2
    assert "report.json is not acceptable JSON" in res.err
    assert [(s["state"], s["context"]) for s in github.statuses] == [("error", "hlsp/validation")]
    assert github.comments[7] == []


def test_artifact_for_another_commit_is_refused(github, run_cli, tmp_path):
    github.add_pull(7, HEAD)
    res = report(run_cli, write_artifact(tmp_path / "a", [], head="a" * 40))
    assert res.code == 2 and "not 4f1e6d0c2a9b" in res.err
    assert github.comments[7] == []


def test_library_call_returns_what_was_done(github, tmp_path):
    github.add_pull(9, HEAD)
    repo = GitHub(github.token, github.base).repository("archive/hlsp")
    artifact = load_artifact(write_artifact(tmp_path / "a", [finding("FS006", "error", "x")]), HEAD)
    posted = post_report(repo, artifact, HEAD, RUN_URL, "github-actions[bot]")
    assert (posted.verdict, posted.state, posted.pull_request, posted.comment) == ("failed", "failure", 9, "created")
    assert posted.comment_url == github.comments[9][0]["html_url"]


def test_a_folded_warning_is_not_counted_as_hidden(github, run_cli, tmp_path):
    """A warning shared by two files is one row standing for both: nothing 'did not fit'."""
    from hlsp.findings import Category, FileResult, Finding, Report, Severity
    from hlsp.reporters.markdown import render_report

    def same():
        return Finding(
            "KW002", Category.KEYWORDS, Severity.WARNING, "TELESCOP is recommended", "add it", hdu=0, keyword="TELESCOP"
        )

    report = Report()
    report.files = [FileResult("a.fits", [same()]), FileResult("b.fits", [same()])]
    body = render_report(report)
    assert "2: a.fits, b.fits" in body.replace("\\", "")
    assert "did not fit" not in body
    report.files.append(FileResult("c.fits", [Finding("FS006", Category.FITS, Severity.ERROR, "x" * 300, "y")] * 40))
    cut = render_report(report, max_chars=6000)
    hidden = int(cut.split("**")[-2].split()[0]) if "did not fit" in cut else 0
    shown_errors = cut.count("| FS006 |")
    assert hidden == 40 - shown_errors + (0 if "2: a.fits, b.fits" in cut.replace("\\", "") else 2)


def test_scope_findings_come_from_gh001_and_respect_the_label():
    """The API's changed paths are judged by GH001's own check: outside paths only, once, none under the label."""
    from hlsp.findings import FileResult, Report
    from hlsp.gh.scope import add_scope_findings
    from hlsp.rules.gh001_outside_contributions import RULE as GH001

    paths = ["contributions/x/hlsp.yaml", ".github/workflows/validate.yml", "README.md", "README.md"]
    report = Report()
    report.files = [FileResult("README.md", [GH001.finding("already reported")])]
    assert add_scope_findings(report, paths, ["documentation"]) == 1
    added = report.files[-1]
    assert added.path == ".github/workflows/validate.yml"
    assert [(f.rule, f.path) for f in added.findings] == [("GH001", None)]
    assert added.findings[0].hint and "maintenance" in added.findings[0].hint
    assert add_scope_findings(Report(), paths, ["maintenance"]) == 0
