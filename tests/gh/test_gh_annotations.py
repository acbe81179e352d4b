"""``--format github``: annotations within GitHub's per-step limits, errors first, nothing lost silently.

GitHub keeps 10 error and 10 warning annotations per step (50 per job) and drops
the rest without a word; the reporter prints at most that many and a last
annotation that counts the rest and says where to read them.
"""

from __future__ import annotations

import io
import re

from hlsp.findings import Category, FileResult, Finding, Severity
from hlsp.reporters import make_reporter
from hlsp.reporters.github import PER_JOB, PER_STEP

LEVELS = {"error": Severity.ERROR, "warning": Severity.WARNING, "notice": Severity.INFO}


def result(path: str, *spec: tuple[str, int]) -> FileResult:
    """A file with ``n`` findings of each (severity name, n), numbered R1, R2, ... per file."""
    findings, k = [], 0
    for level, n in spec:
        for _ in range(n):
            k += 1
            findings.append(Finding(f"R{k:03d}", Category.FITS, LEVELS[level], f"{path} problem {k}", "fix it", line=k))
    return FileResult(path, findings)


def render(results: list[FileResult], **options) -> list[str]:
    out = io.StringIO()
    make_reporter("github", out, **options).run(results)
    return out.getvalue().splitlines()


def levels(lines: list[str]) -> list[str]:
    return [m[1] for line in lines if (m := re.match(r"::(error|warning|notice) ", line))]


def test_few_findings_all_shown_errors_first_across_files():
    lines = render([result("a.fits", ("notice", 1), ("warning", 2)), result("b.fits", ("error", 2), ("warning", 1))])
    assert levels(lines) == ["error", "error", "warning", "warning", "warning", "notice"]
    assert lines[0].startswith("::error file=b.fits,line=")
    assert not any("more finding" in line for line in lines)
    assert lines[-1] == "2 files checked: 2 errors, 3 warnings, 1 info"


def test_limits_per_step_and_a_last_annotation_naming_the_rest(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    results = [result(f"f{i}.fits", ("error", 3), ("warning", 2), ("notice", 2)) for i in range(8)]  # 24 / 16 / 16
    lines = render(results, more_where="the pull-request comment and this run's job summary")
    got = levels(lines)
    assert got.count("error") == PER_STEP and got.count("warning") == PER_STEP and got.count("notice") == PER_STEP
    assert len(got) <= PER_JOB
    # errors first; the last annotation (in the last error place) names the rest
    assert got == ["error"] * (PER_STEP - 1) + ["warning"] * PER_STEP + ["notice"] * PER_STEP + ["error"]
    more = lines[-2]
    assert more.startswith("::error title=hlsp%3A 27 more findings::")
    assert "27 more findings (15 errors, 6 warnings, 6 notes)" in more
    assert "read them in the pull-request comment and this run's job summary" in more
    shown = [re.search(r"file=([^,]+),line=(\d+)", line).groups() for line in lines if "file=" in line]
    assert shown[:9] == [
        ("f0.fits", "1"),
        ("f0.fits", "2"),
        ("f0.fits", "3"),
        ("f1.fits", "1"),
        ("f1.fits", "2"),
        ("f1.fits", "3"),
        ("f2.fits", "1"),
        ("f2.fits", "2"),
        ("f2.fits", "3"),
    ]


def test_only_warnings_overflow_the_last_place_is_a_warning(monkeypatch):
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    lines = render([result("w.fits", ("error", 1), ("warning", 12))])
    assert levels(lines) == ["error"] + ["warning"] * PER_STEP
    assert lines[-2].startswith("::warning title=hlsp%3A 3 more findings::")
    assert "run `hlsp validate` with --format text" in lines[-2]


def test_under_actions_the_rest_goes_to_the_job_summary(monkeypatch, tmp_path):
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    lines = render([result("x|y.fits", ("error", 13))])
    assert "read them in this run's job summary" in lines[-2]
    table = summary.read_text()
    assert "4 findings not shown as annotations" in table
    rows = [row for row in table.splitlines() if row.startswith("| x")]
    assert len(rows) == 4 and rows[0].startswith(r"| x\|y.fits | R010 | line 10 | error |")
