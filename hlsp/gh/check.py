"""The unprivileged pull-request job: validate what the pull request touches.

``check_pull_request`` finds the changed contributions (:mod:`hlsp.gh.changes`),
validates each one as a collection (every folder under contributions/ is one,
so a folder without hlsp.yaml gets MD001 rather than being skipped), gathers
from git what the pull-request rules judge (:mod:`hlsp.gh.rules`: the changed
paths, the labels, the git mode of every file; a
:class:`~hlsp.rules._base.PullRequestContext`), runs them, and records the
sha256 of every file it reviewed.  ``write_artifact`` saves
the three files the privileged follow-up and the stage gate read:

- ``report.json`` -- the validation report (``validators/schemas/report.schema.json``);
- ``review.json`` -- what was reviewed: commits, contributions, file checksums
  (shape: :data:`hlsp.gh.artifact.REVIEW_SCHEMA`);
- ``comment.md``  -- the comment as the reviewer will see it (for the run page
  and the artifact; the privileged job renders its own from validated data).

Paths in findings are relative to the repository root, so annotations land on
the right file.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from hlsp.atomic import atomic_open
from hlsp.engine import iter_collection
from hlsp.engine import Options
from hlsp.findings import FileResult, Finding, Report
from hlsp.gh import rules
from hlsp.gh.changes import Changes, changed_contributions, contribution_of, tracked_files
from hlsp.judge import run_rules
from hlsp.rules._base import PullRequestContext

REVIEW_FORMAT = "hlsp-review/1"


@dataclass(slots=True)
class Check:
    """The outcome of checking one pull request."""

    changes: Changes
    report: Report
    checksums: dict[str, dict[str, str]]  # contribution id -> {repo-relative path: sha256}
    maintenance: bool  # a maintenance label allowed changes outside contributions/

    def review(self) -> dict[str, Any]:
        """The ``review.json`` document."""
        return {
            "format": REVIEW_FORMAT,
            "base": self.changes.base,
            "head": self.changes.head,
            "maintenance": self.maintenance,
            "outside": list(self.changes.outside),
            "contributions": [
                {**c.to_dict(), "files": self.checksums.get(c.id, {})} for c in self.changes.contributions
            ],
        }


def sha256_file(path: str | os.PathLike) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _per_file(results: Iterable[FileResult], root: Path) -> list[FileResult]:
    """Results with repository-relative POSIX paths, each finding under the file it is about.

    A collection reports README findings in the hlsp.yaml result (with the
    finding's own ``path``); report.json keeps no per-finding path, so the
    findings are regrouped here to keep them on the right file for the comment.
    """

    def rel(path: str) -> str:
        return Path(os.path.relpath(path, root)).as_posix()

    out: dict[str, FileResult] = {}
    for r in results:
        out.setdefault(rel(r.path), FileResult(rel(r.path)))
        for f in r.findings:
            where = rel(f.path or r.path)
            out.setdefault(where, FileResult(where)).findings.append(f.replace(path=where))
    return list(out.values())


def check_pull_request(
    base: str, head: str = "HEAD", repo: str | os.PathLike = ".", labels: Iterable[str] = ()
) -> Check:
    """Validate the contributions changed between the merge base of ``base`` and ``head``.

    ``repo`` is a git work tree checked out at ``head``.  Raises HlspError
    only for unusable arguments (no repository, unknown commits); everything
    wrong in the pull request is a finding.
    """
    root = Path(repo)
    changes = changed_contributions(base, head, root)
    maintenance = any(label in rules.MAINTENANCE_LABELS for label in labels)
    tracked = {c.id: tracked_files(root, changes.head, c.path) for c in changes.to_validate}
    ctx = PullRequestContext(changes=changes, labels=tuple(labels), tracked=tracked)
    found: dict[str, list[FileResult]] = {rule.id: [] for rule in rules.RULES}
    report = Report()
    for f in run_rules(rules.RULES, ctx):
        if f.path is None:  # a rule that crashed (hlsp.judge.crash_finding): about the whole pull request
            report.files.append(FileResult(".", [f]))
        else:
            found[f.rule].append(_on_its_file(f))
    report.files.extend(found[rules.OUTSIDE.id])
    options = Options(jobs=0, base=changes.base)  # compare with the collection's hlsp.yaml at the base
    checksums: dict[str, dict[str, str]] = {}
    for change in changes.contributions:
        if change.status == "deleted":
            report.files.extend(r for r in found[rules.DELETED.id] if r.path == change.path)
            continue
        links = [r for r in found[rules.SYMLINK.id] if contribution_of(r.path) == change.id]
        linked = {r.path for r in links}
        # links (and submodules, whose folder is empty or absent in the checkout) are never hashed
        checksums[change.id] = {path: sha256_file(root / path) for _, path in tracked[change.id] if path not in linked}
        results = _per_file(iter_collection(os.fspath(root / change.path), options), root)
        report.files.extend(links)
        report.files.extend(r for r in results if r.path not in linked)  # never report on a link's target
    return Check(changes=changes, report=report, checksums=checksums, maintenance=maintenance)


def _on_its_file(finding: Finding) -> FileResult:
    """A pull-request finding as the result of the file (or folder) it names; the result carries the path."""
    return FileResult(finding.path or ".", [finding.replace(path=None)])


def write_artifact(check: Check, out: str | os.PathLike, comment: str) -> None:
    """Write report.json, review.json and comment.md into the folder ``out``."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    with atomic_open(folder / "report.json") as fh:
        fh.write(_utf8(json.dumps(check.report.to_dict(), ensure_ascii=False, indent=1)))
    with atomic_open(folder / "review.json") as fh:
        fh.write(_utf8(json.dumps(check.review(), ensure_ascii=False, indent=1)))
    with atomic_open(folder / "comment.md") as fh:
        fh.write(_utf8(comment))


def _utf8(text: str) -> str:
    """``text`` with the undecodable bytes of non-UTF-8 file names (lone surrogates)
    written as ``\\udcXX`` escapes: in JSON they read back as the same name."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")
