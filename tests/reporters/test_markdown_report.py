"""`--format markdown` renders the same report as the pull-request comment (one renderer)."""

from __future__ import annotations

from contribution_support import copy_example, edit

from hlsp import validate
from hlsp.gh.report import Artifact, render_comment
from hlsp.reporters.markdown import render_report

HEAD = "0123456789abcdef0123456789abcdef01234567"


def _sections(body: str) -> str:
    """The verdict and the findings (errors, warnings, notes): what both show the same way."""
    lines = body.splitlines()
    verdict = next(line for line in lines if line.startswith("## "))
    start = next(i for i, line in enumerate(lines) if line.startswith("### "))
    end = max(i for i, line in enumerate(lines) if line == "---")
    return "\n".join([verdict, *lines[start:end]])


def test_markdown_and_comment_agree(tmp_path, run_cli):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "calibration_level: 3", "calibration_level: three")  # an error
    edit(root / "hlsp.yaml", 'doi: "10.17909/hlsp-example"', "doi: pending")  # a warning
    report = validate([str(root)])
    comment = render_comment(Artifact(report, {"head": HEAD, "contributions": []}))
    local = render_report(report, head=HEAD)
    assert _sections(local) == _sections(comment)
    assert "Commit 0123456789ab:" in local and "### Errors" in local and "MD002" in local
    assert local.index("### Errors") < local.index("### Warnings")
    assert comment.startswith("<!-- hlsp-report -->") and "<!-- hlsp-report -->" not in local


def test_a_warning_shared_by_files_is_folded_into_one_row(tmp_path):
    from hlsp.findings import Category, FileResult, Finding, Report, Severity

    def warn(message):
        return Finding(
            "KW011", Category.KEYWORDS, Severity.WARNING, message, "Write FITS units.", hdu=0, keyword="BUNIT"
        )

    files = [FileResult(f"c/hlsp_x_{i}.fits", [warn("BUNIT = 'e-/s' is not a valid FITS unit")]) for i in range(5)]
    files.append(FileResult("c/hlsp_x_odd.fits", [warn("BUNIT = 'furlong' is not a valid FITS unit")]))
    body = render_report(Report(files), head=HEAD)
    assert body.count("e-/s") == 1  # once, not five times
    assert "5: hlsp\\_x\\_0.fits, hlsp\\_x\\_1.fits, hlsp\\_x\\_2.fits and 2 more" in body
    assert "1 warning shared by several files" in body
    assert "c/hlsp_x_odd.fits: 1 warning</summary>" in body and "furlong" in body  # its own warning, under its file
