"""What the pull request shows: the report comment and the commit status's state and line.

:func:`render_comment` rebuilds the Markdown from the artifact's validated
fields (:mod:`hlsp.gh.artifact`) with ``templates/report/comment.md.j2``.
Every string that came from the pull request is made inert on the way into
the template (HTML and Markdown escaped, ``@mentions`` and links broken,
control and bidi characters replaced, length capped), by the template
environment itself, so a template edit cannot forget it.  The rendering
(inert text, template environment, errors-first rows) is shared with
``hlsp validate --format markdown``: :func:`hlsp.reporters.markdown.render_report`.
"""

from __future__ import annotations

import re
from typing import Any

from hlsp.errors import HlspError
from hlsp.findings import Report
from hlsp.gh.artifact import Artifact
from hlsp.gh.changes import contribution_of
from hlsp.reporters.base import plural
from hlsp.reporters.markdown import MAX_COMMENT, render_report

MARKER = "<!-- hlsp-report -->"
_VERDICT_RE = re.compile(r"<!-- hlsp-verdict: (failed|needs-review|passed) -->")


def status_of(report: Report) -> tuple[str, str]:
    """(commit status state, description of at most 140 characters); notes never fail it."""
    s = report.summary
    if s.errors:
        return "failure", f"{plural(s.errors, 'error')}, {plural(s.warnings, 'warning')}"
    if s.warnings:
        return "success", f"no errors; {plural(s.warnings, 'warning')} for the reviewer"
    return "success", f"no problems in {plural(s.files, 'file')}"


def _contribution_rows(artifact: Artifact) -> tuple[list[dict[str, Any]], dict[str, int] | None]:
    """The per-contribution table of the comment, and the counts of findings outside any contribution."""
    counts: dict[str, dict[str, int]] = {}
    for path, f in artifact.report.findings():
        key = contribution_of(path) or ""
        c = counts.setdefault(key, {"error": 0, "warning": 0, "info": 0})
        c[f.severity.value] += 1
    contributions = [
        {**c, **counts.get(c["id"], {"error": 0, "warning": 0, "info": 0})} for c in artifact.review["contributions"]
    ]
    return contributions, counts.get("")


def check_run_url(url: str | None) -> str | None:
    """The link to the full report: an http(s) URL with nothing Markdown could misread."""
    if url and not re.fullmatch(r"https?://[A-Za-z0-9.\-:]+(/[A-Za-z0-9._~\-/%?=&]*)?", url):
        raise HlspError(f"--run-url {url[:80]!r} is not a plain http(s) URL")
    return url or None


def render_comment(artifact: Artifact, run_url: str | None = None, max_chars: int = MAX_COMMENT) -> str:
    """The pull-request comment, at most ``max_chars`` characters.

    When every finding does not fit, the comment shows as many as fit (errors
    first) and says how many more are in the full report behind ``run_url``.
    """
    contributions, other = _contribution_rows(artifact)
    return render_report(
        artifact.report,
        head=artifact.review["head"],
        contributions=contributions,
        other=other,
        run_url=check_run_url(run_url),
        marker=MARKER,
        max_chars=max_chars,
    )


def previous_verdict(body: str) -> str | None:
    m = _VERDICT_RE.search(body)
    return m.group(1) if m else None
