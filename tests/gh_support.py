"""Helpers for the GitHub pipeline tests (tests/test_gh_*.py, tests/rules/test_gh*.py).

- :class:`GitRepo`: a real git repository in a temporary folder, isolated from
  the user's git configuration, with one-line helpers to write, move, delete
  and commit files.
- :class:`FakeGitHub`: a stateful GitHub REST API for pytest-httpserver (a real
  HTTP server on 127.0.0.1).  It answers with the full object shapes GitHub
  sends (github3.py refuses partial ones), keeps comments, statuses and
  reviews, checks the token, and can be told to fail the next requests with
  any status.  For the journey suite (tests/journey/, real workflows run by
  act) it also serves what actions/download-artifact and the workflows' own
  ``curl`` ask for: a run's artifacts and their zip (a 302 to a "blob" URL, as
  GitHub does), repository tarballs made by ``git archive`` of a local bare
  repository, the pull requests of a commit, and a pull request's files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from werkzeug import Request, Response

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "contributions" / "example"

_GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
}


class GitRepo:
    """A throw-away git repository with a ``main`` branch."""

    def __init__(self, path: Path):
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = {**os.environ, **_GIT_ENV}
        proc = subprocess.run(["git", "-C", str(self.path), *args], capture_output=True, text=True, env=env)
        assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
        return proc.stdout.strip()

    def write(self, rel: str, content: str | bytes = "x\n") -> Path:
        p = self.path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content)
        return p

    def copy_example(self, proj_id: str = "example") -> None:
        """A real, valid collection (contributions/example) under contributions/<proj_id>/."""
        dest = self.path / "contributions" / proj_id
        shutil.copytree(EXAMPLE, dest)

    def move(self, old: str, new: str) -> None:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)

    def remove(self, rel: str) -> None:
        self.git("rm", "-r", "-q", rel)

    def commit(self, message: str = "change") -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def branch(self, name: str, start: str = "main") -> None:
        self.git("checkout", "-q", "-b", name, start)

    def checkout(self, ref: str) -> None:
        self.git("checkout", "-q", ref)


# ---------------------------------------------------------------- GitHub

SHA_RE = r"[0-9a-f]{40}"
STAMP = "2026-11-02T10:00:00Z"


def user(base: str, login: str, uid: int, kind: str = "User") -> dict[str, Any]:
    api = f"{base}/users/{login}"
    return {
        "login": login,
        "id": uid,
        "node_id": f"MDQ6VXNlcj{uid}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": f"https://github.com/{login}",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": kind,
        "site_admin": False,
    }


def repository(base: str, owner: str, name: str, rid: int = 1296269) -> dict[str, Any]:
    api = f"{base}/repos/{owner}/{name}"
    urls = {
        "archive_url": f"{api}/{{archive_format}}{{/ref}}",
        "assignees_url": f"{api}/assignees{{/user}}",
        "blobs_url": f"{api}/git/blobs{{/sha}}",
        "branches_url": f"{api}/branches{{/branch}}",
        "collaborators_url": f"{api}/collaborators{{/collaborator}}",
        "comments_url": f"{api}/comments{{/number}}",
        "commits_url": f"{api}/commits{{/sha}}",
        "compare_url": f"{api}/compare/{{base}}...{{head}}",
        "contents_url": f"{api}/contents/{{+path}}",
        "contributors_url": f"{api}/contributors",
        "deployments_url": f"{api}/deployments",
        "downloads_url": f"{api}/downloads",
        "events_url": f"{api}/events",
        "forks_url": f"{api}/forks",
        "git_commits_url": f"{api}/git/commits{{/sha}}",
        "git_refs_url": f"{api}/git/refs{{/sha}}",
        "git_tags_url": f"{api}/git/tags{{/sha}}",
        "hooks_url": f"{api}/hooks",
        "issue_comment_url": f"{api}/issues/comments{{/number}}",
        "issue_events_url": f"{api}/issues/events{{/number}}",
        "issues_url": f"{api}/issues{{/number}}",
        "keys_url": f"{api}/keys{{/key_id}}",
        "labels_url": f"{api}/labels{{/name}}",
        "languages_url": f"{api}/languages",
        "merges_url": f"{api}/merges",
        "milestones_url": f"{api}/milestones{{/number}}",
        "notifications_url": f"{api}/notifications{{?since,all,participating}}",
        "pulls_url": f"{api}/pulls{{/number}}",
        "releases_url": f"{api}/releases{{/id}}",
        "stargazers_url": f"{api}/stargazers",
        "statuses_url": f"{api}/statuses/{{sha}}",
        "subscribers_url": f"{api}/subscribers",
        "subscription_url": f"{api}/subscription",
        "tags_url": f"{api}/tags",
        "teams_url": f"{api}/teams",
        "trees_url": f"{api}/git/trees{{/sha}}",
    }
    return {
        "id": rid,
        "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5",
        "name": name,
        "full_name": f"{owner}/{name}",
        "owner": user(base, owner, 583231, "Organization"),
        "private": False,
        "html_url": f"https://github.com/{owner}/{name}",
        "description": "High-Level Science Products: contributions and validator",
        "fork": False,
        "url": api,
        **urls,
        "clone_url": f"https://github.com/{owner}/{name}.git",
        "git_url": f"git://github.com/{owner}/{name}.git",
        "ssh_url": f"git@github.com:{owner}/{name}.git",
        "svn_url": f"https://github.com/{owner}/{name}",
        "mirror_url": None,
        "homepage": None,
        "language": "Python",
        "forks_count": 3,
        "stargazers_count": 12,
        "watchers_count": 12,
        "size": 2048,
        "default_branch": "main",
        "open_issues_count": 2,
        "is_template": False,
        "topics": ["astronomy"],
        "has_issues": True,
        "has_projects": False,
        "has_wiki": False,
        "has_pages": True,
        "has_downloads": True,
        "archived": False,
        "disabled": False,
        "visibility": "public",
        "pushed_at": STAMP,
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": STAMP,
        "permissions": {"admin": False, "push": True, "pull": True},
        "allow_rebase_merge": True,
        "allow_squash_merge": True,
        "allow_merge_commit": True,
        "subscribers_count": 4,
        "network_count": 3,
        "license": None,
        "forks": 3,
        "open_issues": 2,
        "watchers": 12,
    }


class FakeGitHub:
    """The GitHub REST endpoints the pipeline uses, with state, on a pytest-httpserver."""

    def __init__(self, httpserver, token: str = "ghs_test_token", owner: str = "archive", name: str = "hlsp"):
        self.server = httpserver
        self.base = httpserver.url_for("/api/v3").rstrip("/")
        self.token = token
        self.owner, self.name = owner, name
        self.repo = repository(self.base, owner, name)
        self.bot = user(self.base, "github-actions[bot]", 41898282, "Bot")
        self.pulls: list[dict[str, Any]] = []
        self.files: dict[int, list[dict[str, Any]]] = {}
        self.comments: dict[int, list[dict[str, Any]]] = {}
        self.statuses: list[dict[str, Any]] = []
        self.runs: list[dict[str, Any]] = []
        self.artifacts: dict[int, dict[str, Any]] = {}  # id -> the artifact object (+ "_zip": its file)
        self.reviews: dict[int, list[dict[str, Any]]] = {}
        self.git_dir: Path | None = None  # a bare repository for /tarball/REF (set_git_dir)
        self.requests: list[tuple[str, str]] = []
        self.status_times: list[float] = []  # time.monotonic() of each status received (benchmarks/journey.py)
        self._failures: list[tuple[str, str, int]] = []
        self._next_id = 1000
        httpserver.expect_request(re.compile(r"/api/v3/.*")).respond_with_handler(self._handle)

    # ---- set-up

    def fail_next(self, method: str, path_regex: str, status: int, times: int = 1) -> None:
        """The next ``times`` matching requests get ``status`` (then normal service)."""
        self._failures += [(method, path_regex, status)] * times

    def set_git_dir(self, path: Path) -> None:
        """Serve ``GET /repos/O/R/tarball/REF`` from this (bare) repository."""
        self.git_dir = Path(path)

    def add_pull(
        self,
        number: int,
        head_sha: str,
        *,
        labels=(),
        files=(),
        state="open",
        merge_sha=None,
        base_sha: str = "e" * 40,
        head_ref: str = "add-hlsp",
    ) -> dict:
        api = f"{self.base}/repos/{self.owner}/{self.name}"
        fork = repository(self.base, "science-team", self.name, rid=7777)
        fork["fork"] = True
        pr = {
            "url": f"{api}/pulls/{number}",
            "id": 500000 + number,
            "node_id": f"PR_kwDO{number}",
            "html_url": f"https://github.com/{self.owner}/{self.name}/pull/{number}",
            "diff_url": f"https://github.com/{self.owner}/{self.name}/pull/{number}.diff",
            "patch_url": f"https://github.com/{self.owner}/{self.name}/pull/{number}.patch",
            "issue_url": f"{api}/issues/{number}",
            "commits_url": f"{api}/pulls/{number}/commits",
            "review_comments_url": f"{api}/pulls/{number}/comments",
            "review_comment_url": f"{api}/pulls/comments{{/number}}",
            "comments_url": f"{api}/issues/{number}/comments",
            "statuses_url": f"{api}/statuses/{head_sha}",
            "number": number,
            "state": state,
            "locked": False,
            "active_lock_reason": None,
            "title": f"Add collection (PR {number})",
            "user": user(self.base, "ada", 1001),
            "body": "New HLSP",
            "body_html": "<p>New HLSP</p>",
            "body_text": "New HLSP",
            "labels": [
                {
                    "id": 90 + i,
                    "node_id": f"LA_{i}",
                    "url": f"{api}/labels/{n}",
                    "name": n,
                    "color": "ededed",
                    "default": False,
                    "description": None,
                }
                for i, n in enumerate(labels)
            ],
            "milestone": None,
            "created_at": "2026-11-01T09:00:00Z",
            "updated_at": STAMP,
            "closed_at": STAMP if state == "closed" else None,
            "merged_at": STAMP if merge_sha else None,
            "merge_commit_sha": merge_sha or "f" * 40,
            "assignee": None,
            "assignees": [],
            "requested_reviewers": [],
            "requested_teams": [],
            "head": {
                "label": f"science-team:{head_ref}",
                "ref": head_ref,
                "sha": head_sha,
                "user": user(self.base, "science-team", 2002, "Organization"),
                "repo": fork,
            },
            "base": {
                "label": f"{self.owner}:main",
                "ref": "main",
                "sha": base_sha,
                "user": self.repo["owner"],
                "repo": self.repo,
            },
            "_links": {
                "self": {"href": f"{api}/pulls/{number}"},
                "html": {"href": f"https://github.com/{self.owner}/{self.name}/pull/{number}"},
                "issue": {"href": f"{api}/issues/{number}"},
                "comments": {"href": f"{api}/issues/{number}/comments"},
                "review_comments": {"href": f"{api}/pulls/{number}/comments"},
                "review_comment": {"href": f"{api}/pulls/comments{{/number}}"},
                "commits": {"href": f"{api}/pulls/{number}/commits"},
                "statuses": {"href": f"{api}/statuses/{head_sha}"},
            },
            "author_association": "CONTRIBUTOR",
            "auto_merge": None,
            "draft": False,
        }
        self.pulls.append(pr)
        self.files[number] = [self._file(number, path) for path in files]
        self.comments.setdefault(number, [])
        self.reviews.setdefault(number, [])
        return pr

    def pull(self, number: int) -> dict[str, Any]:
        return next(p for p in self.pulls if p["number"] == number)

    def update_pull(self, number: int, *, head_sha: str | None = None, files=None, labels=None) -> dict:
        """A new push to the pull request (its head moves) or a change of its labels or files."""
        pr = self.pull(number)
        api = f"{self.base}/repos/{self.owner}/{self.name}"
        if head_sha is not None:
            pr["head"]["sha"] = head_sha
            pr["statuses_url"] = f"{api}/statuses/{head_sha}"
            pr["_links"]["statuses"]["href"] = f"{api}/statuses/{head_sha}"
        if files is not None:
            self.files[number] = [self._file(number, path) for path in files]
        if labels is not None:
            pr["labels"] = [
                {
                    "id": 90 + i,
                    "node_id": f"LA_{i}",
                    "url": f"{api}/labels/{n}",
                    "name": n,
                    "color": "ededed",
                    "default": False,
                    "description": None,
                }
                for i, n in enumerate(labels)
            ]
        return pr

    def merge_pull(self, number: int, merge_sha: str) -> dict:
        pr = self.pull(number)
        pr.update(state="closed", closed_at=STAMP, merged_at=STAMP, merge_commit_sha=merge_sha)
        return pr

    def add_review(
        self, number: int, commit_id: str, state: str = "APPROVED", login: str = "curator", association: str = "MEMBER"
    ) -> dict:
        """A review of pull request ``number`` on its commit ``commit_id`` (APPROVED, CHANGES_REQUESTED, ...)."""
        self._next_id += 1
        review = {
            "id": self._next_id,
            "node_id": f"PRR_{self._next_id}",
            "user": user(self.base, login, 3000 + len(login)),
            "body": "",
            "body_html": "",
            "body_text": "",
            "state": state,
            "commit_id": commit_id,
            "author_association": association,
            "html_url": f"https://github.com/{self.owner}/{self.name}/pull/{number}#pullrequestreview-{self._next_id}",
            "pull_request_url": f"{self.base}/repos/{self.owner}/{self.name}/pulls/{number}",
            "submitted_at": STAMP,
        }
        self.reviews.setdefault(number, []).append(review)
        return review

    def _file(self, number: int, path: str) -> dict[str, Any]:
        api = f"{self.base}/repos/{self.owner}/{self.name}"
        return {
            "sha": "bbcd538c8e72b8c175046e27cc8f907076331401",
            "filename": path,
            "status": "added",
            "additions": 10,
            "deletions": 0,
            "changes": 10,
            "blob_url": f"https://github.com/{self.owner}/{self.name}/blob/{'a' * 40}/{path}",
            "raw_url": f"https://github.com/{self.owner}/{self.name}/raw/{'a' * 40}/{path}",
            "contents_url": f"{api}/contents/{path}?ref={'a' * 40}",
            "patch": "@@ -0,0 +1 @@\n+x",
        }

    def add_comment(self, number: int, body: str, by: dict | None = None) -> dict[str, Any]:
        """A comment already on the pull request (by the bot unless ``by`` says otherwise)."""
        c = self._comment(number, body, by or self.bot)
        self.comments[number].append(c)
        return c

    def add_run(
        self,
        run_id: int,
        head_sha: str,
        *,
        event="pull_request",
        status="completed",
        conclusion="success",
        artifact: Path | None = None,
        artifact_name: str = "hlsp-report",
        workflow: str = "validate.yml",
        branch: str = "add-hlsp",
    ):
        """A workflow run; ``artifact`` is a zip file served as its artifact ``artifact_name``."""
        if artifact is not None:
            self.add_artifact(run_id, Path(artifact), artifact_name)
        self.runs.append(
            {
                "id": run_id,
                "name": workflow.removesuffix(".yml"),
                "node_id": f"WFR_{run_id}",
                "head_branch": branch,
                "head_sha": head_sha,
                "path": f".github/workflows/{workflow}",
                "run_number": run_id % 1000,
                "event": event,
                "status": status,
                "conclusion": conclusion,
                "workflow_id": 161335,
                "url": f"{self.base}/repos/{self.owner}/{self.name}/actions/runs/{run_id}",
                "html_url": f"https://github.com/{self.owner}/{self.name}/actions/runs/{run_id}",
                "created_at": STAMP,
                "updated_at": STAMP,
            }
        )

    def add_artifact(self, run_id: int, zip_path: Path, name: str = "hlsp-report") -> dict[str, Any]:
        self._next_id += 1
        aid = self._next_id
        api = f"{self.base}/repos/{self.owner}/{self.name}"
        data = zip_path.read_bytes()
        self.artifacts[aid] = {
            "id": aid,
            "node_id": f"MDg6QXJ0aWZhY3Q{aid}",
            "name": name,
            "size_in_bytes": len(data),
            "url": f"{api}/actions/artifacts/{aid}",
            "archive_download_url": f"{api}/actions/artifacts/{aid}/zip",
            "expired": False,
            "digest": "sha256:" + hashlib.sha256(data).hexdigest(),
            "created_at": STAMP,
            "updated_at": STAMP,
            "expires_at": "2027-02-01T10:00:00Z",
            "workflow_run": {
                "id": run_id,
                "repository_id": self.repo["id"],
                "head_repository_id": 7777,
                "head_branch": "add-hlsp",
                "head_sha": "0" * 40,
            },
            "_zip": zip_path,
            "_run": run_id,
        }
        return self.artifacts[aid]

    # ---- serving

    def _comment(self, number: int, body: str, by: dict) -> dict[str, Any]:
        self._next_id += 1
        cid = self._next_id
        api = f"{self.base}/repos/{self.owner}/{self.name}"
        return {
            "id": cid,
            "node_id": f"IC_{cid}",
            "url": f"{api}/issues/comments/{cid}",
            "html_url": f"https://github.com/{self.owner}/{self.name}/pull/{number}#issuecomment-{cid}",
            "issue_url": f"{api}/issues/{number}",
            "body": body,
            "body_html": "<p>rendered</p>",
            "body_text": body,
            "user": by,
            "created_at": STAMP,
            "updated_at": STAMP,
            "author_association": "NONE",
        }

    def _json(self, data: Any, status: int = 200) -> Response:
        return Response(json.dumps(data), status=status, content_type="application/json; charset=utf-8")

    def _error(self, status: int, message: str) -> Response:
        return self._json({"message": message, "documentation_url": "https://docs.github.com/rest"}, status)

    def _redirect(self, path: str) -> Response:
        return Response("", status=302, headers={"Location": self.server.url_for(path)})

    def _blob(self, rest: str) -> Response:
        """The pre-signed download URLs GitHub redirects to (no token needed, as there)."""
        if m := re.fullmatch(r"/_blob/artifacts/(\d+)\.zip", rest):
            art = self.artifacts.get(int(m[1]))
            if art is None:
                return self._error(404, "Not Found")
            return Response(Path(art["_zip"]).read_bytes(), content_type="application/zip")
        if (m := re.fullmatch(rf"/_blob/tarball/({SHA_RE})\.tar\.gz", rest)) and self.git_dir is not None:
            prefix = f"{self.owner}-{self.name}-{m[1][:7]}/"
            proc = subprocess.run(
                ["git", "-C", str(self.git_dir), "archive", "--format=tar.gz", f"--prefix={prefix}", m[1]],
                capture_output=True,
                env={**os.environ, **_GIT_ENV},
            )
            if proc.returncode == 0:
                return Response(proc.stdout, content_type="application/x-gzip")
        return self._error(404, "Not Found")

    def _handle(self, request: Request) -> Response:
        method, path = request.method, request.path
        self.requests.append((method, path))
        for i, (m, rx, status) in enumerate(self._failures):
            if m == method and re.fullmatch(rx, path):
                del self._failures[i]
                return self._error(status, "Server Error" if status >= 500 else "Failure")
        if path.startswith("/api/v3/_blob/") and method == "GET":
            return self._blob(path[len("/api/v3") :])
        # github3.py sends "token X", the Actions toolkit and curl in report.yml "Bearer X"
        if request.headers.get("Authorization") not in (f"token {self.token}", f"Bearer {self.token}"):
            return self._error(401, "Bad credentials")
        prefix = f"/api/v3/repos/{self.owner}/{self.name}"
        if not path.startswith(prefix):
            return self._error(404, "Not Found")
        rest = path[len(prefix) :]
        if rest == "" and method == "GET":
            return self._json(self.repo)
        if rest == "/pulls" and method == "GET":
            state = request.args.get("state", "open")
            return self._json([p for p in self.pulls if state == "all" or p["state"] == state])
        if (m := re.fullmatch(r"/pulls/(\d+)", rest)) and method == "GET":
            found = [p for p in self.pulls if p["number"] == int(m[1])]
            return self._json(found[0]) if found else self._error(404, "Not Found")
        if m := re.fullmatch(r"/pulls/(\d+)/files", rest):
            return self._json(self.files.get(int(m[1]), []))
        if (m := re.fullmatch(r"/pulls/(\d+)/reviews", rest)) and method == "GET":
            return self._json(self.reviews.get(int(m[1]), []))
        if (m := re.fullmatch(rf"/commits/({SHA_RE})/pulls", rest)) and method == "GET":
            sha = m[1]
            return self._json([p for p in self.pulls if sha in (p["head"]["sha"], p["merge_commit_sha"])])
        if (m := re.fullmatch(rf"/commits/({SHA_RE})/statuses", rest)) and method == "GET":
            return self._json([s for s in reversed(self.statuses) if s["sha"] == m[1]])
        if (m := re.fullmatch(r"/tarball/([\w./\-]+)", rest)) and method == "GET":
            if self.git_dir is None:
                return self._error(404, "Not Found")
            proc = subprocess.run(
                ["git", "-C", str(self.git_dir), "rev-parse", "--verify", "--quiet", m[1] + "^{commit}"],
                capture_output=True,
                text=True,
                env={**os.environ, **_GIT_ENV},
            )
            if proc.returncode != 0:
                return self._error(404, "Not Found")
            return self._redirect(f"/api/v3/_blob/tarball/{proc.stdout.strip()}.tar.gz")
        if (m := re.fullmatch(r"/actions/runs/(\d+)/artifacts", rest)) and method == "GET":
            name = request.args.get("name")
            found = [
                {k: v for k, v in a.items() if not k.startswith("_")}
                for a in sorted(self.artifacts.values(), key=lambda a: a["id"])
                if a["_run"] == int(m[1]) and (name is None or a["name"] == name)
            ]
            return self._json({"total_count": len(found), "artifacts": found})
        if (m := re.fullmatch(r"/actions/artifacts/(\d+)/zip", rest)) and method == "GET":
            if int(m[1]) not in self.artifacts:
                return self._error(404, "Not Found")
            return self._redirect(f"/api/v3/_blob/artifacts/{m[1]}.zip")
        if (m := re.fullmatch(r"/issues/(\d+)/comments", rest)) and method == "GET":
            return self._json(self.comments.get(int(m[1]), []))
        if (m := re.fullmatch(r"/issues/(\d+)/comments", rest)) and method == "POST":
            body = json.loads(request.get_data())["body"]
            c = self._comment(int(m[1]), body, self.bot)
            self.comments.setdefault(int(m[1]), []).append(c)
            return self._json(c, 201)
        if (m := re.fullmatch(r"/issues/comments/(\d+)", rest)) and method == "PATCH":
            for comments in self.comments.values():
                for c in comments:
                    if c["id"] == int(m[1]):
                        if c["user"]["login"] != self.bot["login"]:
                            return self._error(403, "Resource not accessible by integration")
                        c["body"] = c["body_text"] = json.loads(request.get_data())["body"]
                        return self._json(c)
            return self._error(404, "Not Found")
        if (m := re.fullmatch(rf"/statuses/({SHA_RE})", rest)) and method == "POST":
            data = json.loads(request.get_data())
            status = {
                "url": f"{self.base}/repos/{self.owner}/{self.name}/statuses/{m[1]}",
                "avatar_url": "https://avatars.githubusercontent.com/in/15368?v=4",
                "id": 9000 + len(self.statuses),
                "node_id": "SC_1",
                "state": data["state"],
                "description": data.get("description"),
                "target_url": data.get("target_url"),
                "context": data.get("context", "default"),
                "created_at": STAMP,
                "updated_at": STAMP,
                "creator": self.bot,
                "sha": m[1],
            }
            self.statuses.append(status)
            self.status_times.append(time.monotonic())
            return self._json(status, 201)
        if (m := re.fullmatch(r"/actions/workflows/([\w.\-]+)/runs", rest)) and method == "GET":
            sha, branch, status = (request.args.get(k) for k in ("head_sha", "branch", "status"))
            runs = [
                r
                for r in self.runs
                if r["path"] == f".github/workflows/{m[1]}"
                and (sha is None or r["head_sha"] == sha)
                and (branch is None or r["head_branch"] == branch)
                and (status is None or status in (r["status"], r["conclusion"]))
            ]
            runs.sort(key=lambda r: r["id"], reverse=True)  # newest first, as GitHub lists them
            return self._json({"total_count": len(runs), "workflow_runs": runs})
        return self._error(404, "Not Found")
