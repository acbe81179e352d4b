"""After a merge: stage only what the reviewers saw.

The stage workflow runs on the merged commit of main.  Before any archive
credential is used it

1. finds the pull request that produced the commit and the validation run
   of that pull request's head (:func:`find_review`, GitHub API);
2. re-validates the merged commit (:func:`verify_merge`) and compares the
   sha256 of every file of every contribution to stage with what the reviewed
   report recorded: a file that differs, appeared or disappeared since the
   review refuses, naming it;
3. refuses as well if the merged commit has any validation error.

Remote products are covered through ``hlsp.yaml``: its checksum pins the
URLs, sizes and sha256 values that ``hlsp stage`` verifies when it copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hlsp.errors import HlspError
from hlsp.gh import rules
from hlsp.gh.check import Check, check_pull_request
from hlsp.gh.report import Artifact
from hlsp.reporters.base import location, plural

if TYPE_CHECKING:  # (github3, of hlsp[github]: verify-merge runs without it)
    from hlsp.gh.client import PullRequest, Repository, WorkflowRun

MAX_NAMED = 5  # files named in a refusal; the rest are counted


@dataclass(frozen=True, slots=True)
class Review:
    pull_request: PullRequest
    run: WorkflowRun


def find_review(repo: Repository, merge_sha: str, workflow: str = "validate.yml") -> Review:
    """The merged pull request behind ``merge_sha`` and the newest finished validation run of its head."""
    pr = repo.merged_pull_request(merge_sha)
    if pr is None:
        raise HlspError(
            f"no merged pull request produced commit {merge_sha[:12]}; contributions are staged only from reviewed pull requests"
        )
    runs = [
        r
        for r in repo.workflow_runs(workflow, pr.head_sha)
        if r.event == "pull_request" and r.status == "completed" and r.head_sha == pr.head_sha
    ]
    if not runs:
        raise HlspError(f"pull request #{pr.number} has no finished {workflow} run for its head {pr.head_sha[:12]}")
    return Review(pull_request=pr, run=runs[0])


def _names(paths: list[str]) -> str:
    shown = ", ".join(paths[:MAX_NAMED])
    return shown + (f" and {len(paths) - MAX_NAMED} more" if len(paths) > MAX_NAMED else "")


def verify_merge(reviewed: Artifact, base: str, head: str = "HEAD", repo: str = ".") -> Check:
    """Re-validate the merged commit and compare it with ``reviewed``; HlspError if it must not be staged."""
    check = check_pull_request(base, head, repo, labels=rules.MAINTENANCE_LABELS)  # merged: scope was reviewed
    recorded = {c["id"]: c["files"] for c in reviewed.review["contributions"]}
    for change in check.changes.to_validate:
        if change.id not in recorded:
            raise HlspError(f"contribution {change.id!r} is not in the reviewed report; re-run the validation on a pull request")
        before, now = recorded[change.id], check.checksums[change.id]
        changed = sorted(p for p in before.keys() & now.keys() if before[p] != now[p])
        added, removed = sorted(now.keys() - before.keys()), sorted(before.keys() - now.keys())
        problems = [
            f"{what}: {_names(paths)}"
            for what, paths in (("changed", changed), ("added", added), ("removed", removed))
            if paths
        ]
        if problems:
            raise HlspError(
                f"contribution {change.id!r} differs from what was reviewed ({'; '.join(problems)}); "
                "open a pull request so the change is validated and reviewed"
            )
    summary = check.report.summary
    if summary.errors:
        path, first = next((p, f) for p, f in check.report.findings() if f.severity.value == "error")
        where = location(first)
        raise HlspError(
            f"the merged commit fails validation with {plural(summary.errors, 'error')} "
            f"(first: {path}{' ' + where if where else ''}: {first.rule} {first.message})"
        )
    return check
