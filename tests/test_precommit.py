"""pre-commit runs the hlsp-validate hook for real, in a throw-away git repository (no network).

The hook as another repository uses it (``.pre-commit-hooks.yaml``, ``language:
python``): pre-commit installs this repository with pip into its own venv --
the non-editable install, from the wheel folder of tests/install_support.py,
offline.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gh_support import GitRepo
from install_support import offline_pip_env, session_base, source_copy, wheelhouse

ROOT = Path(__file__).resolve().parent.parent


def isolated_env(home: Path) -> dict[str, str]:
    """The venv's hlsp on PATH, pre-commit's cache in ``home``, no user git configuration."""
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(home),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "T",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "T",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "NO_COLOR": "1",
    }
    env.pop("GITHUB_ACTIONS", None)
    return env


def pre_commit(repo: GitRepo, *args: str, home: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=repo.path,
        env=isolated_env(home),
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def repo(tmp_path):
    repo = GitRepo(tmp_path / "repo")
    repo.copy_example()
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo.path / ".pre-commit-config.yaml")
    repo.commit("example")
    return repo


def test_manifest_and_config_are_valid(tmp_path):
    for command, name in (
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ):
        run = subprocess.run(
            [sys.executable, "-m", "pre_commit", command, str(ROOT / name)], capture_output=True, text=True
        )
        assert run.returncode == 0, run.stdout + run.stderr


def test_hook_passes_on_the_example_and_fails_on_a_broken_readme(repo, tmp_path):
    ok = pre_commit(repo, "run", "--files", "contributions/example/hlsp.yaml", home=tmp_path / "pc")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "hlsp validate (changed contributions)" in ok.stdout and "Passed" in ok.stdout
    readme = repo.path / "contributions" / "example" / "README.md"
    readme.write_text(readme.read_text().replace("## References", "## Reading"))
    bad = pre_commit(repo, "run", "--files", "contributions/example/README.md", home=tmp_path / "pc")
    assert bad.returncode == 1
    assert "Failed" in bad.stdout and "CO010" in bad.stdout and "no 'References' section" in bad.stdout


def test_installed_hook_blocks_a_bad_commit(repo, tmp_path):
    assert pre_commit(repo, "install", home=tmp_path / "pc").returncode == 0
    meta = repo.path / "contributions" / "example" / "hlsp.yaml"
    meta.write_text(meta.read_text().replace("calibration_level: 3", "calibration_level: 9"))
    head = repo.git("rev-parse", "HEAD")
    repo.git("add", "-A")
    commit = subprocess.run(
        ["git", "commit", "-q", "-m", "bad"],
        cwd=repo.path,
        env=isolated_env(tmp_path / "pc"),
        capture_output=True,
        text=True,
    )
    assert commit.returncode != 0
    assert "calibration_level must be one of 3, 4" in commit.stdout + commit.stderr
    assert repo.git("rev-parse", "HEAD") == head


def test_files_outside_contributions_are_not_checked(repo, tmp_path):
    (repo.path / "notes.fits").write_bytes(b"not fits at all")
    run = pre_commit(repo, "run", "--files", "notes.fits", home=tmp_path / "pc")
    assert run.returncode == 0 and "(no files to check)Skipped" in run.stdout.replace(".", "")


@pytest.fixture(scope="session")
def hook_repository(tmp_path_factory) -> Path:
    """This repository's working tree, committed into a throw-away git repository
    (what another repository's ``repo:`` would point at)."""
    hooks = GitRepo(source_copy(session_base(tmp_path_factory), "hook-repository"))
    hooks.commit("hlsp as it is")
    return hooks.path


@pytest.mark.install
def test_try_repo_from_another_repository_offline(repo, tmp_path, tmp_path_factory, hook_repository):
    wheels = wheelhouse(session_base(tmp_path_factory))
    home = tmp_path / "pc"
    env = {**isolated_env(home), **offline_pip_env(wheels)}
    dev_bin = str(Path(sys.executable).parent)  # not the development venv's hlsp: the hook's own
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if p != dev_bin)
    env.pop("HLSP_VALIDATORS", None)
    env.pop("HLSP_TEMPLATES", None)

    assert shutil.which("hlsp", path=env["PATH"]) is None  # the hook must bring its own

    # One run (each try-repo installs the hook afresh, ~45 s): a README without its
    # References section is the only finding, so the rule data shipped with the install.
    readme = repo.path / "contributions" / "example" / "README.md"
    readme.write_text(readme.read_text().replace("## References", "## Reading"))
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "try-repo",
            str(hook_repository),
            "hlsp-validate",
            "--files",
            "contributions/example/README.md",
        ],
        cwd=repo.path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "hlsp validate (changed contributions)" in run.stdout and "Failed" in run.stdout
    assert "CO010" in run.stdout and "no 'References' section" in run.stdout
    assert re.search(r": 1 errors?, 0 warnings", run.stdout), run.stdout
