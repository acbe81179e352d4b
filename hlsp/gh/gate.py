"""After a merge: stage only what the reviewers saw.

The stage workflow runs on the merged commit of main.  Before any archive
credential is used it

1. finds the pull request that produced the commit and the validation run
   of that pull request's head (:func:`find_review`, GitHub API), and checks
   that the head is the commit a maintainer approved (:func:`approval_problem`):
   a push after the approval -- even one re-validated green -- is not staged
   until it is approved again, whatever the branch-protection settings
   (a stale approval need not be dismissed by GitHub for this to hold);
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
from hlsp.gh.artifact import Artifact
from hlsp.reporters.base import location, plural

if TYPE_CHECKING:  # (github3, of hlsp[github]: verify-merge runs without it)
    from hlsp.gh.client import PullRequest, PullReview, Repository, WorkflowRun

MAX_NAMED = 5  # files named in a refusal; the rest are counted
TRUSTED = ("OWNER", "MEMBER", "COLLABORATOR")  # reviewers whose approval counts (write access)


@dataclass(frozen=True, slots=True)
class Review:
    pull_request: PullRequest
    run: WorkflowRun


def approval_problem(reviews: list[PullReview], head_sha: str) -> str | None:
    """Why the reviews do not approve exactly ``head_sha`` (None when they do).

    Each reviewer's latest verdict counts (APPROVED, CHANGES_REQUESTED or
    DISMISSED; a mere comment changes nothing).  It takes at least one approval
    of ``head_sha`` by someone with write access and no open request for changes.
    """
    latest: dict[str, PullReview] = {}
    for r in reviews:
        if r.state in ("APPROVED", "CHANGES_REQUESTED", "DISMISSED"):
            latest[r.login] = r
    blocking = sorted(login for login, r in latest.items() if r.state == "CHANGES_REQUESTED")
    if blocking:
        return f"{', '.join(blocking)} requested changes"
    approvals = [r for r in latest.values() if r.state == "APPROVED" and r.association in TRUSTED]
    if any(r.commit_id == head_sha for r in approvals):
        return None
    if not approvals:
        return "no maintainer approved it"
    approved = sorted({r.commit_id[:12] if r.commit_id else "a commit no longer in the branch" for r in approvals})
    return f"the approval is for {', '.join(approved)}, not the merged head {head_sha[:12]} (pushed after the review)"


def find_review(repo: Repository, merge_sha: str, workflow: str = "validate.yml") -> Review:
    """The merged pull request behind ``merge_sha``, approved on its head, and the newest finished validation run of that head."""
    pr = repo.merged_pull_request(merge_sha)
    if pr is None:
        raise HlspError(
            f"no merged pull request produced commit {merge_sha[:12]}; contributions are staged only from reviewed pull requests"
        )
    problem = approval_problem(repo.reviews(pr), pr.head_sha)
    if problem:
        raise HlspError(
            f"pull request #{pr.number} is not staged: {problem}; approve its head again, then re-run stage.yml"
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


def _difference(cid: str, recorded: dict[str, dict[str, str]], now: dict[str, str]) -> str | None:
    """Why contribution ``cid`` as it is ``now`` is not what the review recorded (None when identical)."""
    if cid not in recorded:
        return f"contribution {cid!r} is not in the reviewed report; re-run the validation on a pull request"
    before = recorded[cid]
    changed = sorted(p for p in before.keys() & now.keys() if before[p] != now[p])
    added, removed = sorted(now.keys() - before.keys()), sorted(before.keys() - now.keys())
    problems = [
        f"{what}: {_names(paths)}"
        for what, paths in (("changed", changed), ("added", added), ("removed", removed))
        if paths
    ]
    if problems:
        return (
            f"contribution {cid!r} differs from what was reviewed ({'; '.join(problems)}); "
            "open a pull request so the change is validated and reviewed"
        )
    return None


@dataclass(slots=True)
class Verified:
    check: Check
    staged: list[str]  # contribution ids identical to their review, without errors
    refused: dict[str, str]  # contribution id -> why


def verify_plan(plan_file: str, head: str = "HEAD", repo: str = ".") -> Verified:
    """Verify each contribution merged since the plan's base against its own review (hlsp.gh.pending)."""
    import json
    from pathlib import Path

    from hlsp.gh.changes import contribution_of
    from hlsp.gh.artifact import load_artifact

    path = Path(plan_file)
    try:
        plan = json.loads(path.read_text(encoding="utf-8"))
        base, planned, refused = plan["base"], plan["contributions"], dict(plan["refused"])
    except (OSError, ValueError, KeyError, TypeError):
        raise HlspError(f"{plan_file}: not a plan written by `hlsp github pending`") from None
    check = check_pull_request(base, head, repo, labels=rules.MAINTENANCE_LABELS)  # merged: scope was reviewed
    errors: dict[str, str] = {}
    for p, f in check.report.findings():
        cid = contribution_of(p)
        if f.severity.value == "error" and cid and cid not in errors:
            where = location(f)
            errors[cid] = (
                f"the merged commit fails validation (first error: {p}{' ' + where if where else ''}: {f.rule} {f.message})"
            )
    staged: list[str] = []
    for change in check.changes.to_validate:
        cid = change.id
        if cid in refused:
            continue
        if cid not in planned:
            refused[cid] = f"contribution {cid!r} was changed by no reviewed merge"
            continue
        entry = planned[cid]
        try:
            artifact = load_artifact(path.parent / str(entry["artifact"]), head_sha=str(entry["reviewed_sha"]))
        except HlspError as exc:
            refused[cid] = f"pull request #{entry['pull_request']}: {exc}"
            continue
        recorded = {c["id"]: c["files"] for c in artifact.review["contributions"]}
        problem = _difference(cid, recorded, check.checksums[cid]) or errors.get(cid)
        if problem:
            refused[cid] = f"pull request #{entry['pull_request']}: {problem}"
        else:
            staged.append(cid)
    return Verified(check=check, staged=staged, refused=refused)


def verify_merge(reviewed: Artifact, base: str, head: str = "HEAD", repo: str = ".") -> Check:
    """Re-validate the merged commit and compare it with ``reviewed``; HlspError if it must not be staged."""
    check = check_pull_request(base, head, repo, labels=rules.MAINTENANCE_LABELS)  # merged: scope was reviewed
    recorded = {c["id"]: c["files"] for c in reviewed.review["contributions"]}
    for change in check.changes.to_validate:
        problem = _difference(change.id, recorded, check.checksums[change.id])
        if problem:
            raise HlspError(problem)
    summary = check.report.summary
    if summary.errors:
        path, first = next((p, f) for p, f in check.report.findings() if f.severity.value == "error")
        where = location(first)
        raise HlspError(
            f"the merged commit fails validation with {plural(summary.errors, 'error')} "
            f"(first: {path}{' ' + where if where else ''}: {first.rule} {first.message})"
        )
    return check
