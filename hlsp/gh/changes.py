"""Which contributions a pull request touches, from ``git diff`` alone (no API call).

A contribution is a folder ``contributions/<id>/``.  Comparing the merge base
of BASE and HEAD with HEAD (what ``git diff BASE...HEAD`` shows), each touched
folder is one of:

- ``added``    -- absent at the merge base, present at HEAD;
- ``modified`` -- present on both sides;
- ``deleted``  -- present at the merge base, absent at HEAD;
- ``renamed``  -- an added folder whose files git sees as moved from a deleted
  one (``old_id`` names it; the old folder is not reported again).

Every other changed path (``README.md``, ``hlsp/...``, ``.github/...``, a file
directly in ``contributions/``) is listed in ``outside``: contributors touch
only their own folder, so such a pull request needs a maintainer's label
(rule GH001).

git is run with ``--no-ext-diff --no-textconv`` so that nothing configured by
the checked-out tree can run while the diff is computed.
"""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hlsp.errors import HlspError

CONTRIBUTIONS = "contributions"
STATUSES = ("added", "modified", "renamed", "deleted")


@dataclass(frozen=True, slots=True)
class ContributionChange:
    id: str  # the folder name under contributions/
    status: str  # one of STATUSES
    old_id: str | None = None  # the former folder name when renamed

    @property
    def path(self) -> str:
        return f"{CONTRIBUTIONS}/{self.id}"

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "status": self.status, "old_id": self.old_id, "path": self.path}


@dataclass(slots=True)
class Changes:
    base: str  # full SHA of the merge base
    head: str  # full SHA of HEAD
    contributions: list[ContributionChange] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # changed paths outside contributions/<id>/

    @property
    def to_validate(self) -> list[ContributionChange]:
        """The contributions that exist at HEAD (everything but deletions)."""
        return [c for c in self.contributions if c.status != "deleted"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "base": self.base,
            "head": self.head,
            "contributions": [c.to_dict() for c in self.contributions],
            "outside": list(self.outside),
        }


def _git(repo: str | os.PathLike, *args: str) -> bytes:
    cmd = ["git", "-C", os.fspath(repo), *args]
    try:
        proc = subprocess.run(cmd, capture_output=True, check=False)
    except FileNotFoundError:
        raise HlspError("git is not installed (it is needed to find the changed contributions)") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HlspError(f"git {args[0]} failed in {os.fspath(repo)}: {message[-1] if message else 'no message'}")
    return proc.stdout


def resolve(repo: str | os.PathLike, ref: str) -> str:
    """The full SHA of the commit ``ref`` names (HlspError with a one-line reason if none)."""
    if not ref or ref.startswith("-"):
        raise HlspError(f"{ref!r} is not a git revision")
    try:
        return _git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").decode().strip()
    except HlspError:
        raise HlspError(
            f"{ref!r} is not a commit in {os.fspath(repo)} (in CI, check out with fetch-depth: 0 so the base is present)"
        ) from None


def _folders(repo: str | os.PathLike, commit: str) -> set[str]:
    """Names of the folders directly under contributions/ at ``commit``."""
    out = _git(repo, "ls-tree", "-z", commit, f"{CONTRIBUTIONS}/")
    names = set()
    for entry in out.split(b"\0"):
        if not entry:
            continue
        meta, _, path = entry.partition(b"\t")
        if meta.split()[1] == b"tree":
            names.add(_decode(path).split("/", 1)[1])
    return names


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


def contribution_of(path: str) -> str | None:
    """The ``id`` of ``contributions/<id>/<something>``, else None."""
    parts = path.split("/")
    if len(parts) >= 3 and parts[0] == CONTRIBUTIONS and parts[1]:
        return parts[1]
    return None


def _name_status(repo: str | os.PathLike, old: str, new: str) -> list[tuple[str, str, str | None]]:
    """(status letter, path, renamed-from path or None) for every changed file."""
    out = _git(repo, "diff", "--no-ext-diff", "--no-textconv", "--name-status", "-z", "-M", old, new, "--")
    fields = [_decode(f) for f in out.split(b"\0")]
    if fields and fields[-1] == "":
        fields.pop()
    entries = []
    i = 0
    while i < len(fields):
        letter = fields[i][:1]
        if letter in ("R", "C"):
            entries.append((letter, fields[i + 2], fields[i + 1]))
            i += 3
        else:
            entries.append((letter, fields[i + 1], None))
            i += 2
    return entries


def changed_contributions(base: str, head: str = "HEAD", repo: str | os.PathLike = ".") -> Changes:
    """Compare the merge base of ``base`` and ``head`` with ``head`` in the git work tree ``repo``."""
    if not (Path(repo) / ".git").exists():
        _git(repo, "rev-parse", "--git-dir")  # a clear error if this is no repository at all
    base_sha, head_sha = resolve(repo, base), resolve(repo, head)
    try:
        merge_base = _git(repo, "merge-base", base_sha, head_sha).decode().strip()
    except HlspError:
        raise HlspError(
            f"{base} and {head} have no common ancestor here (a shallow clone? check out with fetch-depth: 0)"
        ) from None
    before, after = _folders(repo, merge_base), _folders(repo, head_sha)
    touched: set[str] = set()
    moved: dict[str, Counter] = {}  # new folder -> Counter of old folders its files came from
    outside: set[str] = set()
    for letter, path, source in _name_status(repo, merge_base, head_sha):
        for p in (path, source) if source else (path,):
            folder = contribution_of(p)
            if folder is None:
                outside.add(p)
            else:
                touched.add(folder)
        if letter == "R" and source:
            new, old = contribution_of(path), contribution_of(source)
            if new and old and new != old:
                moved.setdefault(new, Counter())[old] += 1
    result: list[ContributionChange] = []
    rename_sources: set[str] = set()
    for folder in sorted(touched):
        if folder in before and folder in after:
            result.append(ContributionChange(folder, "modified"))
        elif folder in after:
            sources = [old for old, _ in moved.get(folder, Counter()).most_common() if old not in after]
            if sources:
                rename_sources.add(sources[0])
                result.append(ContributionChange(folder, "renamed", old_id=sources[0]))
            else:
                result.append(ContributionChange(folder, "added"))
    for folder in sorted(touched):
        if folder in before and folder not in after and folder not in rename_sources:
            result.append(ContributionChange(folder, "deleted"))
    result.sort(key=lambda c: c.id)
    return Changes(base=merge_base, head=head_sha, contributions=result, outside=sorted(outside))


def tracked_files(repo: str | os.PathLike, commit: str, folder: str) -> list[tuple[str, str]]:
    """(git mode, repo-relative path) of every file under ``folder`` at ``commit``.

    The mode tells regular files (``100644``, ``100755``) from symbolic links
    (``120000``); the list is what git holds, not what happens to be on disk.
    """
    out = _git(repo, "ls-tree", "-r", "-z", "--full-tree", commit, "--", folder.rstrip("/") + "/")
    files = []
    for entry in out.split(b"\0"):
        if entry:
            meta, _, path = entry.partition(b"\t")
            files.append((meta.split()[0].decode(), _decode(path)))
    return files
