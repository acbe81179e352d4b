"""Scope findings: GH001 for every changed path outside ``contributions/<id>/``, from the GitHub API.

The judgement is GH001's own check (``hlsp/rules/gh001_outside_contributions.py``),
run through the one rule loop of :mod:`hlsp.judge`; only its facts differ from
:mod:`hlsp.gh.check`'s: the changed paths come from the API, not from git.
"""

from __future__ import annotations


from hlsp.findings import FileResult, Report
from hlsp.gh import rules
from hlsp.gh.changes import Changes, contribution_of
from hlsp.judge import run_rules
from hlsp.rules._base import PullRequestContext


def add_scope_findings(report: Report, changed_paths: list[str], labels: tuple[str, ...] | list[str]) -> int:
    """Add GH001 for every changed path outside contributions/<id>/ not already reported.

    The paths come from the GitHub API (trusted), so a pull request that
    edits the validation workflow to hide its own GH001 is still caught.
    Returns the number of findings added.
    """
    reported = {r.path for r in report.files for f in r.findings if f.rule == rules.OUTSIDE.id}
    outside = sorted(p for p in set(changed_paths) if contribution_of(p) is None and p not in reported)
    # Only the paths outside contributions/ and the labels are known here (GH001 reads no more);
    # the commits are the API's business, not this check's.
    ctx = PullRequestContext(changes=Changes(base="", head="", outside=outside), labels=tuple(labels))
    added = 0
    for f in run_rules([rules.OUTSIDE], ctx):
        report.files.append(FileResult(f.path or ".", [f.replace(path=None)]))
        added += 1
    return added
