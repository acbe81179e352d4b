"""Scope findings: GH001 for every changed path outside ``contributions/<id>/``, from the GitHub API."""

from __future__ import annotations

from hlsp.findings import FileResult, Report
from hlsp.gh import rules
from hlsp.gh.changes import contribution_of


def add_scope_findings(report: Report, changed_paths: list[str], labels: tuple[str, ...] | list[str]) -> int:
    """Add GH001 for every changed path outside contributions/<id>/ not already reported.

    The paths come from the GitHub API (trusted), so a pull request that
    edits the validation workflow to hide its own GH001 is still caught.
    Returns the number of findings added.
    """
    if any(label in rules.MAINTENANCE_LABELS for label in labels):
        return 0
    reported = {r.path for r in report.files for f in r.findings if f.rule == rules.OUTSIDE.id}
    added = 0
    for path in sorted(set(changed_paths)):
        if contribution_of(path) is None and path not in reported:
            report.files.append(
                FileResult(
                    path, [rules.OUTSIDE.finding("this pull request changes a file outside contributions/<id>/")]
                )
            )
            added += 1
    return added
