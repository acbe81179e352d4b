"""Build the package as a user gets it and install it in fresh venvs (tests/test_packaging.py,
tests/test_precommit.py).

- :func:`source_copy`: the working tree as it is (tracked files and new ones git
  does not ignore) copied to a temporary folder, so that a build never reads or
  writes the repository's own ``build/`` (where a stale file could slip in).
- :func:`wheelhouse`: that copy built into a wheel, with every wheel the core
  install needs and setuptools (to build the package again, as pre-commit does).
  This is the one step that asks package indexes (pip's own configuration:
  local find-links and indexes on this machine, else PyPI); every install
  afterwards is offline (``--no-index --find-links``).
- :func:`fresh_venv`, :func:`distributions`, :func:`run`.

Each is made once per test session (they cost seconds to a minute), under
``base``: a folder of the session's pytest temporary folder (:func:`session_base`).
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 600


def session_base(tmp_path_factory) -> Path:
    """Where this session's builds and venvs go (pytest removes old sessions' folders)."""
    base = tmp_path_factory.getbasetemp() / "hlsp-install"
    base.mkdir(exist_ok=True)
    return base


def run(
    *cmd: str | os.PathLike, cwd: str | os.PathLike | None = None, env: dict | None = None, check: bool = True
) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [os.fspath(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )
    if check and done.returncode:
        raise AssertionError(
            f"{' '.join(map(str, cmd))} exited {done.returncode}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return done


def offline_pip_env(wheels: Path, **extra: str) -> dict[str, str]:
    """pip (and anything that runs pip) installs from ``wheels`` only: no index, no network."""
    env = {
        **os.environ,
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": os.fspath(wheels),
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        **extra,
    }
    for name in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME"):
        env.pop(name, None)
    return env


@functools.cache
def source_copy(base: Path, name: str = "src") -> Path:
    """A copy of the working tree at ``base/name`` (one per build: setuptools
    keeps what it compiled in the tree's build/ folder)."""
    listed = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", cwd=ROOT).stdout
    dest = base / name
    for rel in filter(None, listed.split("\0")):
        src = ROOT / rel
        if src.is_file():  # (a deleted, not yet committed file is still listed)
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)
    return dest


@functools.cache
def wheelhouse(base: Path) -> Path:
    """A folder with hlsp's wheel (built from :func:`source_copy`), the core
    dependencies' wheels and setuptools: enough to install hlsp offline."""
    wheels = base / "wheels"
    pip = (sys.executable, "-m", "pip")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIP_NO_INDEX")}
    run(*pip, "wheel", "--quiet", "--wheel-dir", wheels, source_copy(base), env=env)
    run(*pip, "download", "--quiet", "--only-binary", ":all:", "--dest", wheels, "setuptools>=77", env=env)
    return wheels


def hlsp_wheel(wheels: Path) -> Path:
    (wheel,) = wheels.glob("hlsp-*.whl")
    return wheel


def fresh_venv(where: Path) -> Path:
    """A new venv at ``where`` (pip from ensurepip: offline); its bin/ folder."""
    venv.create(where, with_pip=True, clear=True)
    return where / "bin"


def distributions(bin_dir: Path) -> set[str]:
    """The normalised names of the distributions installed in a venv."""
    code = (
        "import importlib.metadata as m, json, re; "
        "print(json.dumps(sorted({re.sub(r'[-_.]+', '-', d.metadata['Name']).lower() for d in m.distributions()})))"
    )
    return set(json.loads(run(bin_dir / "python", "-I", "-c", code).stdout))  # -I: not the current folder's
