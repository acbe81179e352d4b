"""What is merged on main and not yet staged, each contribution with its own review.

GitHub keeps one running and one pending run per concurrency group and cancels
the pending one when a newer run queues; a stage run waiting for the
``archive`` environment's approval thus lets a burst of merges cancel the runs
in the middle.  So a stage run does not stage "this push" (``before..after``)
but everything merged since the last stage run that **succeeded**:

1. :func:`last_staged` -- the head of the newest successful ``stage.yml`` run
   on main that is an ancestor of this commit (GitHub API); without one (the
   first run ever) the caller's fallback, e.g. the push's ``before``;
2. :func:`plan` -- every first-parent commit of ``base..head`` that changes
   contributions must be a merged, approved pull request
   (:func:`hlsp.gh.gate.find_review`); its validation artifact is downloaded
   (only ``report.json`` and ``review.json``, size-capped, read later as data
   by :func:`hlsp.gh.artifact.load_artifact`).  A contribution changed by several
   merges is checked against the review of the last one.
3. ``hlsp github verify-merge --plan`` compares each contribution with its own
   review; refused contributions are named and make the run fail, so the
   next run starts from the same base and tries them again, while what did
   verify is staged (``hlsp stage`` is idempotent: a delivery already staged
   is left as it is).

Nothing merged is ever skipped silently: it is staged, or the run is red and
says why.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hlsp.atomic import atomic_open
from hlsp.errors import HlspError
from hlsp.gh.changes import changed_contributions, resolve
from hlsp.gh.gate import find_review
from hlsp.gh.artifact import LIMITS

if TYPE_CHECKING:  # github3 comes with hlsp[github], which `hlsp github pending` needs
    from hlsp.gh.client import Repository

PLAN_FORMAT = "hlsp-stage-plan/1"
ARTIFACT = "hlsp-report"
ZIP_LIMIT = 256 * 1024 * 1024  # the artifact also holds the landing-page preview


def _is_ancestor(repo_dir: str | os.PathLike, old: str, new: str) -> bool:
    proc = subprocess.run(
        ["git", "-C", os.fspath(repo_dir), "merge-base", "--is-ancestor", old, new], capture_output=True
    )
    return proc.returncode == 0


def last_staged(
    repo: Repository, head: str, repo_dir: str | os.PathLike = ".", workflow: str = "stage.yml"
) -> str | None:
    """The head of the newest successful ``workflow`` run on main that ``head`` descends from."""
    for run in repo.workflow_runs(workflow, branch="main", status="success"):
        if (
            run.conclusion == "success"
            and run.event in ("push", "workflow_dispatch")
            and _is_ancestor(repo_dir, run.head_sha, head)
        ):
            return run.head_sha
    return None


def _first_parent(repo_dir: str | os.PathLike, base: str, head: str) -> list[str]:
    proc = subprocess.run(
        ["git", "-C", os.fspath(repo_dir), "rev-list", "--first-parent", "--reverse", f"{base}..{head}"],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise HlspError(f"git rev-list {base[:12]}..{head[:12]} failed: {proc.stderr.strip()[:200]}")
    return proc.stdout.split()


def _extract(data: bytes, dest: Path) -> None:
    """Only report.json and review.json, each within its size limit, as regular files."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            dest.mkdir(parents=True, exist_ok=True)
            for name, limit in LIMITS.items():
                try:
                    info = z.getinfo(name)
                except KeyError:
                    continue  # load_artifact names what is missing
                if info.file_size > limit:
                    raise HlspError(f"the artifact's {name} is {info.file_size} bytes (limit {limit})")
                with z.open(info) as src, atomic_open(dest / name, "wb") as out:
                    out.write(src.read(limit + 1)[: limit + 1])
    except zipfile.BadZipFile:
        raise HlspError("the artifact is not a zip file") from None


@dataclass(slots=True)
class Plan:
    base: str
    head: str
    contributions: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> merge, pull request, review
    refused: dict[str, str] = field(default_factory=dict)  # id -> why

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": PLAN_FORMAT,
            "base": self.base,
            "head": self.head,
            "contributions": self.contributions,
            "refused": self.refused,
        }


def plan(repo: Repository, base: str, head: str, out: str | os.PathLike, repo_dir: str | os.PathLike = ".") -> Plan:
    """Find the review of every merge in ``base..head``; write the artifacts and ``plan.json`` under ``out``."""
    base, head = resolve(repo_dir, base), resolve(repo_dir, head)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    result = Plan(base=base, head=head)
    latest: dict[str, str] = {}  # contribution id -> the last merge that changed it
    for commit in _first_parent(repo_dir, base, head):
        for change in changed_contributions(f"{commit}^1", commit, repo_dir).contributions:
            latest[change.id] = commit
    merges = sorted(set(latest.values()), key=list(latest.values()).index)
    for commit in merges:
        ids = sorted(i for i, c in latest.items() if c == commit)
        try:
            review = find_review(repo, commit)
            where = folder / commit
            _extract(repo.download_artifact(review.run.id, ARTIFACT, ZIP_LIMIT), where)
        except HlspError as exc:
            for i in ids:
                result.refused[i] = f"merge {commit[:12]}: {exc}"
            continue
        for i in ids:
            result.contributions[i] = {
                "merge": commit,
                "pull_request": review.pull_request.number,
                "reviewed_sha": review.pull_request.head_sha,
                "run": review.run.id,
                "artifact": commit,
            }
    with atomic_open(folder / "plan.json") as fh:
        json.dump(result.to_dict(), fh, indent=1)
    return result
