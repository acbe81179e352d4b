"""``hlsp github check``: the validation job of a pull request, on real git repositories
holding the real example collection (contributions/example)."""

from __future__ import annotations

import hashlib
import json
import re

import jsonschema
import pytest

from gh_support import ROOT, GitRepo
from hlsp.errors import HlspError
from hlsp.gh.report import load_artifact

IMG = "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"


@pytest.fixture
def repo(tmp_path) -> GitRepo:
    r = GitRepo(tmp_path / "repo")
    r.write("README.md", "# archive contributions\n")
    r.commit("initial")
    r.branch("pr")
    return r


@pytest.fixture
def actions_env(tmp_path, monkeypatch):
    """The files GitHub Actions hands a step."""
    files = {"summary": tmp_path / "step_summary.md", "output": tmp_path / "github_output"}
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(files["summary"]))
    monkeypatch.setenv("GITHUB_OUTPUT", str(files["output"]))
    return files


def check(run_cli, repo, out, *extra):
    return run_cli("github", "check", "--base", "main", "--repo-dir", repo.path, "--out", out, *extra)


def test_clean_collection_passes_and_records_checksums(repo, run_cli, tmp_path, actions_env):
    repo.copy_example()
    head = repo.commit("add example")
    res = check(run_cli, repo, tmp_path / "art")
    assert res.code == 0, res
    assert "::error" not in res.out
    art = load_artifact(tmp_path / "art", head)
    assert art.report.summary.errors == 0
    report_schema = json.loads((ROOT / "validators/schemas/report.schema.json").read_text())
    jsonschema.validate(json.loads((tmp_path / "art/report.json").read_text()), report_schema)
    [c] = art.review["contributions"]
    assert (c["id"], c["status"]) == ("example", "added")
    expected = {
        f"contributions/example/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (repo.path / "contributions/example").iterdir()
    }
    assert c["files"] == expected
    comment = (tmp_path / "art/comment.md").read_text()
    assert "HLSP validation passed" in comment
    assert actions_env["summary"].read_text().strip() == comment.strip()
    outputs = dict(line.split("=", 1) for line in actions_env["output"].read_text().splitlines())
    assert json.loads(outputs["contributions"]) == ["example"] and outputs["errors"] == "0"


def test_broken_product_fails_with_annotations_on_repo_paths(repo, run_cli, tmp_path, actions_env):
    repo.copy_example("m31")
    repo.write(f"contributions/m31/{IMG}", b"SIMPLE  = garbage")
    repo.commit()
    res = check(run_cli, repo, tmp_path / "art")
    assert res.code == 1, res
    annotations = [line for line in res.out.splitlines() if line.startswith("::error file=")]
    files = {re.search(r"file=([^,]+)", a)[1] for a in annotations}
    assert f"contributions/m31/{IMG}" in files  # relative to the repository root, as GitHub wants
    assert all(not f.startswith("/") for f in files)
    body = (tmp_path / "art/comment.md").read_text()
    assert "HLSP validation failed" in body
    errors = load_artifact(tmp_path / "art").report.summary.errors
    more = [line for line in res.out.splitlines() if line.startswith("::error title=hlsp")]
    if errors <= 10:
        assert len(annotations) == errors and not more
    else:  # GitHub's per-step limit: 9 errors and one that names the rest and where to read them
        assert len(annotations) == 9 and len(more) == 1
        assert f"{errors - 9} more findings" in more[0] and "the pull-request comment" in more[0]


def test_metadata_findings_point_at_hlsp_yaml_lines(repo, run_cli, tmp_path):
    repo.copy_example()
    yaml_path = repo.path / "contributions/example/hlsp.yaml"
    text = yaml_path.read_text()
    assert "\nrelease_date:" in text
    yaml_path.write_text(text.replace("\nrelease_date:", "\nrelease_date: not-a-date\nrelease_date_was:", 1))
    repo.commit()
    res = check(run_cli, repo, tmp_path / "art")
    yaml_annotations = [a for a in res.out.splitlines() if "file=contributions/example/hlsp.yaml" in a]
    assert yaml_annotations, res
    assert all(re.search(r",line=\d+", a) for a in yaml_annotations)


def test_outside_files_need_the_maintenance_label(repo, run_cli, tmp_path):
    repo.copy_example()
    repo.write("hlsp/engine.py", "# weaker rules\n")
    repo.commit()
    res = check(run_cli, repo, tmp_path / "a")
    assert res.code == 1
    assert re.search(r"^::error file=hlsp/engine.py,title=GH001::", res.out, re.M)
    res = check(run_cli, repo, tmp_path / "b", "--labels", '["documentation", "maintenance"]')
    assert res.code == 0, res
    assert "GH001" not in res.out
    assert json.loads((tmp_path / "b/review.json").read_text())["maintenance"] is True


def test_labels_null_is_no_labels(repo, run_cli, tmp_path):
    """act renders toJSON() of an empty label list as `null` (GitHub gives []): same as no labels."""
    repo.write("hlsp/engine.py", "# weaker rules\n")
    repo.commit()
    res = check(run_cli, repo, tmp_path / "a", "--labels", "null")
    assert res.code == 1, res
    assert re.search(r"^::error file=hlsp/engine.py,title=GH001::", res.out, re.M)
    assert json.loads((tmp_path / "a/review.json").read_text())["maintenance"] is False


def test_bad_labels_argument(repo, run_cli, tmp_path):
    res = check(run_cli, repo, tmp_path / "a", "--labels", "maintenance")
    assert res.code == 2 and "--labels must be a JSON list" in res.err
    for bad in ('"maintenance"', "[1]", "{}", "[null]"):
        res = check(run_cli, repo, tmp_path / "a", "--labels", bad)
        assert res.code == 2 and "--labels must be a JSON list" in res.err, bad
    assert not (tmp_path / "a").exists()


def test_pull_request_without_contributions(repo, run_cli, tmp_path):
    repo.write("contributions/.gitkeep", "")  # directly under contributions/: outside any collection
    repo.commit()
    res = check(run_cli, repo, tmp_path / "a", "--labels", '["maintenance"]')
    assert res.code == 0, res
    assert "changes no collection" in (tmp_path / "a/comment.md").read_text()


def test_job_summary_names_every_finding_the_comment_cannot_hold(repo, run_cli, tmp_path, actions_env):
    """GitHub caps a comment at 65,536 characters and keeps 10 error annotations per step:
    the job summary (up to 1 MiB) still lists every error."""
    repo.copy_example()
    meta = repo.path / "contributions/example/hlsp.yaml"
    names = [f"hlsp_example_hst_acs_ngc{3000 + i}_f606w_v1_img.fits" for i in range(500)]
    meta.write_text(
        meta.read_text()
        + "".join(f"  - path: {n}\n    size: 2880\n    sha256: {'ab' * 32}\n    product_type: img\n" for n in names)
    )
    repo.commit("500 products not uploaded")
    res = check(run_cli, repo, tmp_path / "art")
    assert res.code == 1
    assert len([line for line in res.out.splitlines() if line.startswith("::error ")]) == 10
    comment = (tmp_path / "art/comment.md").read_text()
    assert "did not fit in this comment" in comment and len(comment) <= 65_536
    summary = actions_env["summary"].read_text().replace("\\", "")
    assert "did not fit" not in summary
    assert all(n in summary for n in names)


def test_output_values_are_plain_or_json_and_never_span_lines():
    from hlsp.commands.github import _output_value

    assert _output_value("a" * 40) == "a" * 40  # a SHA as it is: ${{ steps.x.outputs.head-sha }} is usable
    assert _output_value(3) == "3"
    assert _output_value(["m31", "x\ny"]) == '["m31", "x\\ny"]'  # lists as JSON, one line
    assert _output_value(True) == "true"
    with pytest.raises(HlspError, match="control character"):
        _output_value("abc\ninjected=1")
