"""Shared fixtures.

- ``realdata``: the folder of real FITS files (../shared/realdata); tests using
  it skip where it is absent (a plain clone), and fail under CI=true, where
  ../shared/ is present.
- ``system_tool(name)``: the path of a system program; skips when missing,
  except under CI=true where a missing program is a failure.
- ``run_cli``: run ``hlsp`` in-process, capturing stdout/stderr and the exit status.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REALDATA = ROOT.parent / "shared" / "realdata"
IN_CI = os.environ.get("CI") == "true"


def need_system(reason: str):
    """Skip -- or, under CI=true, fail -- because a system part is missing."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def realdata() -> Path:
    if not (REALDATA / "INDEX.md").is_file():
        need_system(f"real data folder {REALDATA} is absent (plain clone)")
    return REALDATA


@pytest.fixture(scope="session", autouse=True)
def _private_result_cache(tmp_path_factory):
    """The CLI caches results (hlsp.cache): keep the tests' cache out of ~/.cache."""
    old = os.environ.get("HLSP_CACHE_DIR")
    os.environ["HLSP_CACHE_DIR"] = str(tmp_path_factory.mktemp("hlsp-cache"))
    yield
    if old is None:
        os.environ.pop("HLSP_CACHE_DIR", None)
    else:
        os.environ["HLSP_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def system_tool():
    def find(name: str) -> str:
        path = shutil.which(name)
        if not path:
            need_system(f"system program {name!r} is not installed (make test installs it as root on Debian)")
        return path

    return find


class CliResult:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"CliResult(code={self.code}, out={self.out[:400]!r}, err={self.err[:400]!r})"


@pytest.fixture
def run_cli(monkeypatch):
    from hlsp.cli import main

    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    def run(*args: str) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse usage errors
                code = exc.code if isinstance(exc.code, int) else 2
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


sys.path.insert(0, str(Path(__file__).resolve().parent))

# Session fixtures that start real servers on 127.0.0.1 (tests/servers.py).
pytest_plugins = ["servers"]
