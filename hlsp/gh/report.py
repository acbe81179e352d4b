"""Posting the report: one comment per pull request and one commit status.

:func:`post_report` keeps one comment per pull request, found by the hidden
marker ``<!-- hlsp-report -->`` among the bot's own comments and edited in
place on every push, whatever the verdict: the pull request never shows a
stale report above the current one (the commit status changing colour is
what tells watchers the verdict changed).  It sets one commit status, ``hlsp/validation``: errors fail it,
warnings and notes (hints) never do.

What it posts was read by :mod:`hlsp.gh.artifact` (the artifact as hostile
data), completed by :mod:`hlsp.gh.scope` (GH001 from the GitHub API) and
rendered by :mod:`hlsp.gh.comment`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hlsp.gh.artifact import Artifact
from hlsp.gh.comment import MARKER, previous_verdict, render_comment, status_of
from hlsp.gh.scope import add_scope_findings
from hlsp.reporters.markdown import verdict_of

CONTEXT = "hlsp/validation"


@dataclass(slots=True)
class Posted:
    verdict: str
    state: str
    description: str
    pull_request: int | None
    comment: str  # "created", "edited" or "none" (no open pull request for the commit)
    comment_url: str | None
    scope_findings: int
    previous: str | None = None  # the verdict the edited comment showed before


def post_report(repo: Any, artifact: Artifact, sha: str, run_url: str | None, bot_login: str) -> Posted:
    """Post the comment on the pull request whose head is ``sha``, and the commit status.

    ``repo`` is a :class:`hlsp.gh.client.Repository` (or anything with its methods).
    """
    pr = repo.find_pull_request(sha)
    added = 0
    if pr is not None:
        added = add_scope_findings(artifact.report, repo.changed_files(pr), pr.labels)
    body = render_comment(artifact, run_url)
    verdict = verdict_of(artifact.report)
    state, description = status_of(artifact.report)
    action, url, previous = "none", None, None
    if pr is not None:
        ours = [c for c in repo.comments(pr) if c.login == bot_login and MARKER in c.body]
        last = ours[-1] if ours else None
        if last is not None:
            previous = previous_verdict(last.body)
            repo.edit_comment(last, body)
            action, url = "edited", last.html_url
        else:
            action, url = "created", repo.create_comment(pr, body).html_url
    repo.create_status(sha, state, description, CONTEXT, run_url)
    return Posted(verdict, state, description, pr.number if pr else None, action, url, added, previous)
