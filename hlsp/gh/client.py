"""The one module that talks to the GitHub REST API (through github3.py).

Everything else in :mod:`hlsp.gh` sees only the small dataclasses below, so
the client library can be swapped by rewriting this file alone.

- The token comes from ``GITHUB_TOKEN``; the API base from ``GITHUB_API_URL``
  (set by GitHub Actions: ``https://api.github.com`` on github.com,
  ``https://HOST/api/v3`` on GitHub Enterprise; a bare ``https://HOST`` is
  accepted too and gets ``/api/v3`` appended, as github3.py does).
- Server errors (500, 502, 503, 504) and dropped connections are retried with
  exponential back-off, honouring ``Retry-After``.
- Every API failure becomes one :class:`~hlsp.errors.HlspError` line that
  says what was being done and what GitHub answered.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from typing import Any, Iterator

import github3
import github3.exceptions
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from hlsp.errors import HlspError

PUBLIC_API = "https://api.github.com"
RETRY_STATUSES = (500, 502, 503, 504)


@dataclass(frozen=True, slots=True)
class PullRequest:
    number: int
    html_url: str
    head_sha: str
    labels: tuple[str, ...]
    merge_commit_sha: str | None = None
    _raw: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class Comment:
    id: int
    body: str
    login: str
    html_url: str
    _raw: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class PullReview:
    """A pull-request review: who, on which commit, with what verdict."""

    login: str
    state: str  # APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
    commit_id: str | None  # None when the commit is gone from the branch (force-push)
    association: str  # OWNER, MEMBER, COLLABORATOR, CONTRIBUTOR, ...


@dataclass(frozen=True, slots=True)
class WorkflowRun:
    id: int
    head_sha: str
    event: str
    status: str
    conclusion: str | None
    html_url: str


@contextlib.contextmanager
def _api_errors(doing: str) -> Iterator[None]:
    """Turn github3/requests failures into one HlspError line about ``doing``."""
    try:
        yield
    except github3.exceptions.AuthenticationFailed:
        raise HlspError(f"{doing}: GitHub rejected the token (401 Bad credentials); check GITHUB_TOKEN") from None
    except github3.exceptions.ForbiddenError as exc:
        raise HlspError(f"{doing}: GitHub refused (403 {exc.msg}); the token lacks a permission") from None
    except github3.exceptions.NotFoundError:
        raise HlspError(f"{doing}: not found (404); check the repository name and the token's access") from None
    except github3.exceptions.ServerError as exc:
        raise HlspError(f"{doing}: GitHub failed ({exc.code} {exc.msg}) even after retries") from None
    except github3.exceptions.GitHubError as exc:
        raise HlspError(f"{doing}: GitHub answered {exc.code} ({exc.msg})") from None
    except github3.exceptions.TransportError as exc:
        raise HlspError(f"{doing}: cannot reach GitHub ({type(exc.exception).__name__})") from None


def _pull_request(pr: Any) -> PullRequest:
    data = pr.as_dict()
    labels = tuple(str(label.get("name", "")) for label in data.get("labels") or ())
    return PullRequest(
        number=pr.number,
        html_url=pr.html_url,
        head_sha=pr.head.sha,
        labels=labels,
        merge_commit_sha=pr.merge_commit_sha,
        _raw=pr,
    )


def _comment(c: Any) -> Comment:
    return Comment(id=c.id, body=c.body or "", login=c.user.login, html_url=c.html_url, _raw=c)


class GitHub:
    """A logged-in connection to one GitHub (github.com or an Enterprise server)."""

    def __init__(self, token: str, api_url: str = PUBLIC_API, *, retries: int = 4, backoff: float = 1.0):
        if not token:
            raise HlspError("no GitHub token: set GITHUB_TOKEN (in a workflow: env: GITHUB_TOKEN: ${{ github.token }})")
        api_url = (api_url or PUBLIC_API).rstrip("/")
        if api_url == PUBLIC_API:
            self._gh = github3.GitHub(token=token)
        else:
            self._gh = github3.GitHubEnterprise(api_url.removesuffix("/api/v3"), token=token)
        self.api_url = self._gh.session.base_url
        retry = Retry(
            total=retries,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=None,  # statuses and comment edits are idempotent; see docs on POST comments below
            backoff_factor=backoff,
            raise_on_status=False,  # hand the last answer to github3, which raises ServerError
            respect_retry_after_header=True,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self._gh.session.mount("https://", adapter)
        self._gh.session.mount("http://", adapter)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **kwargs: Any) -> "GitHub":
        env = os.environ if env is None else env
        return cls(env.get("GITHUB_TOKEN", ""), env.get("GITHUB_API_URL") or PUBLIC_API, **kwargs)

    def repository(self, full_name: str) -> "Repository":
        owner, _, name = full_name.partition("/")
        if not owner or not name or "/" in name:
            raise HlspError(f"{full_name!r} is not OWNER/NAME")
        with _api_errors(f"reading repository {full_name}"):
            repo = self._gh.repository(owner, name)
        return Repository(self, repo, full_name)


class Repository:
    """The few things the pipeline does to one repository."""

    def __init__(self, github: GitHub, repo: Any, full_name: str):
        self._github = github
        self._repo = repo
        self.full_name = full_name

    def find_pull_request(self, head_sha: str) -> PullRequest | None:
        """The open pull request whose head commit is ``head_sha`` (works for forks,
        where ``workflow_run.pull_requests`` is empty)."""
        with _api_errors(f"listing open pull requests of {self.full_name}"):
            for pr in self._repo.pull_requests(state="open", sort="updated", direction="desc"):
                if pr.head.sha == head_sha:
                    return _pull_request(pr)
        return None

    def merged_pull_request(self, merge_sha: str, recent: int = 100) -> PullRequest | None:
        """The pull request whose merge produced ``merge_sha`` (among the ``recent`` last closed)."""
        with _api_errors(f"listing closed pull requests of {self.full_name}"):
            for pr in self._repo.pull_requests(state="closed", sort="updated", direction="desc", number=recent):
                if pr.merged_at is not None and pr.merge_commit_sha == merge_sha:
                    return _pull_request(pr)
        return None

    def changed_files(self, pr: PullRequest) -> list[str]:
        """Every path the pull request touches (both names of a renamed file)."""
        paths: list[str] = []
        with _api_errors(f"listing the files of pull request #{pr.number}"):
            for f in pr._raw.files():
                paths.append(f.filename)
                previous = f.as_dict().get("previous_filename")
                if previous:
                    paths.append(previous)
        return paths

    def reviews(self, pr: PullRequest) -> list[PullReview]:
        """The pull request's reviews, oldest first (as GitHub lists them)."""
        with _api_errors(f"reading the reviews of pull request #{pr.number}"):
            return [
                PullReview(
                    login=r.user.login,
                    state=str(r.state or "").upper(),
                    commit_id=r.commit_id,
                    association=str(r.author_association or "NONE").upper(),
                )
                for r in pr._raw.reviews()
            ]

    def comments(self, pr: PullRequest) -> list[Comment]:
        with _api_errors(f"reading the comments of pull request #{pr.number}"):
            return [_comment(c) for c in pr._raw.issue_comments()]

    def create_comment(self, pr: PullRequest, body: str) -> Comment:
        # Retried on 5xx like the rest: GitHub answers 5xx before creating in
        # practice, and a rare duplicate comment beats a missing report.
        with _api_errors(f"commenting on pull request #{pr.number}"):
            return _comment(pr._raw.create_comment(body))

    def edit_comment(self, comment: Comment, body: str) -> None:
        with _api_errors(f"editing comment {comment.id}"):
            if not comment._raw.edit(body):
                raise HlspError(f"editing comment {comment.id}: GitHub did not accept the edit")

    def create_status(self, sha: str, state: str, description: str, context: str, target_url: str | None) -> None:
        with _api_errors(f"setting status {context} on {sha[:12]}"):
            self._repo.create_status(
                sha, state, target_url=target_url or None, description=description, context=context
            )

    def workflow_runs(
        self, workflow: str, head_sha: str | None = None, *, branch: str | None = None, status: str | None = None
    ) -> list[WorkflowRun]:
        """Runs of ``workflow`` (its file name) for ``head_sha`` (or on ``branch``, with ``status``), newest first.

        github3.py has no Actions API, so these requests go through its
        authenticated session directly.
        """
        session = self._github._gh.session
        url = session.build_url("repos", *self.full_name.split("/"), "actions", "workflows", workflow, "runs")
        params: dict[str, Any] = {"per_page": 100}
        for key, value in (("head_sha", head_sha), ("branch", branch), ("status", status)):
            if value:
                params[key] = value
        what = head_sha[:12] if head_sha else f"{branch or 'any branch'}, {status or 'any status'}"
        with _api_errors(f"listing runs of {workflow} for {what}"):
            try:
                resp = session.get(url, params=params)
            except requests.RequestException as exc:
                raise github3.exceptions.ConnectionError(exc) from None
            if resp.status_code != 200:
                raise github3.exceptions.error_for(resp)
        try:
            runs = resp.json()["workflow_runs"]
            return [
                WorkflowRun(
                    id=int(r["id"]),
                    head_sha=str(r["head_sha"]),
                    event=str(r["event"]),
                    status=str(r["status"]),
                    conclusion=r["conclusion"] if isinstance(r["conclusion"], str) else None,
                    html_url=str(r["html_url"]),
                )
                for r in runs
            ]
        except (ValueError, KeyError, TypeError):
            raise HlspError(f"listing runs of {workflow}: GitHub's answer has an unexpected shape") from None

    def download_artifact(self, run_id: int, name: str, limit: int) -> bytes:
        """The zip of artifact ``name`` of run ``run_id`` (the newest of that name), at most ``limit`` bytes."""
        session = self._github._gh.session
        owner, repo = self.full_name.split("/")
        url = session.build_url("repos", owner, repo, "actions", "runs", str(run_id), "artifacts")
        doing = f"downloading artifact {name} of run {run_id}"
        with _api_errors(doing):
            try:
                resp = session.get(url, params={"name": name, "per_page": 100})
                if resp.status_code != 200:
                    raise github3.exceptions.error_for(resp)
                found = [a for a in resp.json().get("artifacts", []) if a.get("name") == name and not a.get("expired")]
                if not found:
                    raise HlspError(f"{doing}: run {run_id} has no artifact {name!r} (expired or never uploaded)")
                newest = max(found, key=lambda a: int(a["id"]))
                if int(newest.get("size_in_bytes", 0)) > limit:
                    raise HlspError(f"{doing}: {newest['size_in_bytes']} bytes (limit {limit})")
                zip_url = session.build_url("repos", owner, repo, "actions", "artifacts", str(int(newest["id"])), "zip")
                # GitHub answers 302 to a signed blob URL; requests drops the token on the other host
                with session.get(zip_url, stream=True, allow_redirects=True) as got:
                    if got.status_code != 200:
                        raise github3.exceptions.error_for(got)
                    data = bytearray()
                    for chunk in got.iter_content(1 << 16):
                        data += chunk
                        if len(data) > limit:
                            raise HlspError(f"{doing}: more than {limit} bytes")
                    return bytes(data)
            except requests.RequestException as exc:
                raise github3.exceptions.ConnectionError(exc) from None
            except (ValueError, KeyError, TypeError):
                raise HlspError(f"{doing}: GitHub's answer has an unexpected shape") from None
