"""The GitHub workflows: linted, and held to the fork-safety rules structurally.

The rules (ENGINEERING-NOTES, "Security hardening for GitHub Actions"):
no ``pull_request_target``; the privileged workflow checks nothing out;
top-level ``permissions: {}`` and grants per job; actions pinned to a full
commit SHA with a version comment; ``persist-credentials: false``; no
``${{ }}`` expansion inside ``run:`` (event text and step outputs go through
``env:``); untrusted output between ``::stop-commands::`` markers; a timeout
on every job; archive secrets only in the job of a protected environment.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hlsp.cli import COMMANDS, build_parser

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
BIN = Path(sys.executable).parent


SECRET = re.compile(r"\$\{\{\s*secrets\.")


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(wf: dict):
    for job_id, job in wf["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, step


def test_the_four_workflows_exist():
    assert {p.name for p in FILES} == {"validate.yml", "report.yml", "stage.yml", "pages.yml"}


def test_schema_lint():
    proc = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", *FILES],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_has_no_findings():
    proc = subprocess.run([BIN / "zizmor", "--offline", "--persona=auditor", WORKFLOWS], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings to report" in proc.stdout + proc.stderr


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_zizmor_suppressions_carry_a_reason(path):
    for line in path.read_text().splitlines():
        if "zizmor: ignore" in line:
            reason = line.split("]", 1)[1].strip(" -#")
            assert len(reason) >= 30, f"suppression without a written reason: {line.strip()}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_pull_request_target(path):
    assert "pull_request_target" not in path.read_text()
    assert "pull_request_target" not in load(path)["on"]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_permissions_empty_on_top_and_granted_per_job(path):
    wf = load(path)
    assert wf["permissions"] == {}
    for job_id, job in wf["jobs"].items():
        assert isinstance(job.get("permissions"), dict) and job["permissions"], f"{job_id}: no explicit grants"
        assert "write-all" not in str(job["permissions"])


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_job_has_a_timeout(path):
    for job_id, job in load(path)["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int) and 0 < job["timeout-minutes"] <= 120, job_id


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_actions_pinned_to_a_commit_with_version_comment(path):
    lines = [line for line in path.read_text().splitlines() if re.match(r"\s*(-\s+)?uses:", line)]
    assert lines
    for line in lines:
        assert re.fullmatch(r"\s*(-\s+)?uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+(\.\d+)*", line), line


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_checkouts_do_not_persist_credentials(path):
    for job_id, step in steps(load(path)):
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False, f"{path.name}/{job_id}: {step.get('name')}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_expression_inside_run(path):
    """Event text and step outputs reach scripts only through env: (no ${{ }} in run:)."""
    for job_id, step in steps(load(path)):
        if "run" in step:
            assert "${{" not in step["run"], f"{path.name}/{job_id}: {step.get('name')}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_stop_commands_use_a_fresh_token_and_resume(path):
    for job_id, step in steps(load(path)):
        run = step.get("run", "")
        if "stop-commands" in run:
            assert "secrets.token_hex" in run, step.get("name")
            assert 'echo "::stop-commands::${token}"' in run and 'echo "::${token}::"' in run
            assert run.index("::stop-commands::") < run.index('"::${token}::"')


def test_untrusted_output_is_fenced():
    """Steps that print what a pull request contains run hlsp between stop-commands markers."""
    for name in ("validate.yml", "report.yml"):
        for job_id, step in steps(load(WORKFLOWS / name)):
            run = step.get("run", "")
            if re.search(r"\bhlsp (github|pages)\b", run):
                start, end = run.index("::stop-commands::"), run.index('"::${token}::"')
                calls = [m.start() for m in re.finditer(r"\bhlsp (github|pages)\b", run)]
                assert all(start < c < end for c in calls), f"{name}: {step.get('name')}"


def test_validate_is_unprivileged():
    wf = load(WORKFLOWS / "validate.yml")
    assert set(wf["on"]) == {"pull_request"}
    assert not SECRET.search((WORKFLOWS / "validate.yml").read_text())
    for job in wf["jobs"].values():
        assert job["permissions"] == {"contents": "read"}
    env = {k: v for _, s in steps(wf) for k, v in s.get("env", {}).items()}
    assert "GITHUB_TOKEN" not in env and "GH_TOKEN" not in env
    # the validator comes from the base commit; the pull request only as data
    checkouts = [s["with"] for _, s in steps(wf) if s.get("uses", "").startswith("actions/checkout@")]
    assert {c["path"]: c["ref"] for c in checkouts} == {
        "tool": "${{ github.event.pull_request.base.sha }}",
        "pr": "${{ github.event.pull_request.head.sha }}",
    }
    installs = [s["run"] for _, s in steps(wf) if "pip install" in s.get("run", "")]
    assert installs == ["python -m pip install --quiet './tool[pages]'"]
    assert wf["jobs"]["validate"]["env"]["PYTHONSAFEPATH"] == "1"


def test_report_is_privileged_but_checks_nothing_out():
    wf = load(WORKFLOWS / "report.yml")
    assert set(wf["on"]) == {"workflow_run"}
    assert wf["on"]["workflow_run"]["workflows"] == [load(WORKFLOWS / "validate.yml")["name"]]
    text = (WORKFLOWS / "report.yml").read_text()
    assert "actions/checkout" not in text
    for _, step in steps(wf):
        run = step.get("run", "")
        assert not re.search(r"\bgit (clone|checkout|fetch|pull)\b", run)
        assert "head_sha" not in run and "HEAD_SHA" not in run.split("--sha")[0]
    [download] = [s for _, s in steps(wf) if s.get("uses", "").startswith("actions/download-artifact@")]
    assert download["with"]["path"].startswith("${{ runner.temp }}")
    assert download["with"]["run-id"] == "${{ github.event.workflow_run.id }}"
    # the reporter itself comes from the default branch, never from the pull request
    [install] = [s["run"] for _, s in steps(wf) if "pip install" in s.get("run", "")]
    assert "tarball/$GITHUB_SHA" in install
    job = wf["jobs"]["report"]
    assert job["permissions"] == {"actions": "read", "contents": "read", "pull-requests": "write", "statuses": "write"}


# What each job runs -> the extra it needs (pyproject.toml); nothing more is installed.
EXTRAS = {
    ("validate.yml", "validate"): "pages",  # hlsp github check (core) + hlsp pages (the preview)
    ("report.yml", "report"): "github",  # hlsp github report
    ("stage.yml", "verify"): "github",  # find-review (REST API), verify-merge (core)
    ("stage.yml", "stage"): "stage",  # hlsp stage
    ("pages.yml", "build"): "pages",  # hlsp pages
}


@pytest.mark.parametrize("key", sorted(EXTRAS), ids=lambda k: f"{k[0]}/{k[1]}")
def test_each_job_installs_only_its_extra_and_not_editable(key):
    name, job_id = key
    job = load(WORKFLOWS / name)["jobs"][job_id]
    [install] = [s["run"] for s in job["steps"] if "pip install" in s.get("run", "")]
    line = next(x for x in install.splitlines() if "pip install" in x)
    assert "--editable" not in line and " -e " not in line  # the package as installed, not the source tree
    assert re.search(rf"""['"]\S*\[{EXTRAS[key]}\]['"]$""", line.strip()), line
    pyproject = (ROOT / "pyproject.toml").read_text()
    if "[project.optional-dependencies]" in pyproject and f"\n{EXTRAS[key]} = [" not in pyproject:
        pytest.xfail(f"the extra [{EXTRAS[key]}] is not in pyproject.toml yet (packaging branch)")


def test_artifact_names_match():
    names = {
        (path.name, s["uses"].split("@")[0]): s["with"]["name"]
        for path in FILES
        for _, s in steps(load(path))
        if "artifact@" in s.get("uses", "") and "pages" not in s["uses"]
    }
    assert set(names.values()) == {"hlsp-report"}
    assert ("validate.yml", "actions/upload-artifact") in names
    assert ("report.yml", "actions/download-artifact") in names
    # stage.yml fetches one artifact per merge through `hlsp github pending`
    from hlsp.gh.pending import ARTIFACT

    assert ARTIFACT == "hlsp-report"
    assert "hlsp github pending" in (WORKFLOWS / "stage.yml").read_text()


def test_stage_catches_up_and_fails_loudly_on_refusals():
    """Issue 17 item 1: staging covers everything merged since the last successful run; refusals fail the run."""
    jobs = load(WORKFLOWS / "stage.yml")["jobs"]
    runs = "\n".join(s.get("run", "") for s in jobs["verify"]["steps"])
    assert "hlsp github pending" in runs and "--plan" in runs
    assert jobs["refused"]["needs"] == ["verify", "stage"]
    assert jobs["refused"]["if"].startswith("${{ always() &&")
    assert "exit 1" in jobs["refused"]["steps"][0]["run"]


def test_secrets_only_in_the_protected_environment():
    for path in FILES:
        for job_id, job in load(path)["jobs"].items():
            if SECRET.search(yaml.safe_dump(job)):
                assert job.get("environment"), f"{path.name}/{job_id} uses secrets outside an environment"
    stage = load(WORKFLOWS / "stage.yml")["jobs"]
    assert stage["stage"]["environment"] == "archive"
    assert stage["stage"]["needs"] == "verify"
    assert not SECRET.search(yaml.safe_dump(stage["verify"]))
    runs = [s.get("run", "") for _, s in steps({"jobs": {"verify": stage["verify"]}})]
    assert any("hlsp github verify-merge" in r for r in runs)
    assert not any("hlsp stage" in r for r in runs)


def _invocations(path: Path):
    """Every ``hlsp ...`` command line in the workflow's scripts, as argv (variables kept as text)."""
    for _, step in steps(load(path)):
        lines = [line for line in step.get("run", "").splitlines() if not line.strip().startswith("#")]
        script = "\n".join(lines).replace("\\\n", " ")
        for m in re.finditer(r"(?<![\w-])hlsp (?:[^|>;\n]|\|\|)*", script):
            text = m.group(0).split("||")[0]
            yield shlex.split(text)[1:]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_workflow_commands_parse_with_the_real_cli(path):
    """A renamed option or subcommand breaks this test, not the next pull request."""
    calls = list(_invocations(path))
    assert calls, "the workflow runs hlsp"
    parser = build_parser()
    for argv in calls:
        assert argv[0] in COMMANDS, f"hlsp {argv[0]} is not a registered command"
        parser.parse_args(argv)


def test_issue_forms_lint():
    forms = sorted((ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))
    assert {p.name for p in forms} == {"propose-hlsp.yml", "rule-problem.yml"}
    proc = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-issue-forms", *forms],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_pull_request_template_asks_what_reviewers_ask():
    text = (ROOT / ".github" / "pull_request_template.md").read_text().lower()
    for topic in ("bibcode", "doi", "mission", "licence", "contact", "what changed", "data volume", "remote"):
        assert topic in text, topic


def test_codeowners_guard_the_pipeline():
    rules = [
        line.split()
        for line in (ROOT / ".github" / "CODEOWNERS").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    owners = {r[0]: r[1:] for r in rules}
    assert owners["*"] and owners["/contributions/"]
    assert owners["/.github/"] == ["@hlsp-archive/maintainers"]
