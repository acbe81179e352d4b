"""``pip install hlsp`` as a user gets it: the wheel, the core install without
extras in a fresh venv, the extras and their one-line "install hlsp[EXTRA]" errors.

The tests marked ``install`` build the wheel from a copy of the working tree
and install it, offline, into fresh venvs (tests/install_support.py): 2-3 min
together on 2 cores, most of it pip (the first build fills the session's wheel
folder from pip's configured indexes).  They are part of ``make test``;
``-m 'not install'`` leaves them out while working on something else.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions, requires
from pathlib import Path

import pytest

from hlsp.errors import EXTRAS
from install_support import (
    ROOT,
    distributions,
    fresh_venv,
    hlsp_wheel,
    offline_pip_env,
    run,
    session_base,
    source_copy,
    wheelhouse,
)

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
CORE_LIMIT = 15  # issue 11: the core install at most 15 packages (hlsp included)
EXAMPLE = ROOT / "contributions" / "example"
EXTRA_COMMANDS = [  # (arguments, the extra the message must name)
    (["pages", "example", "--out", "site"], "pages"),
    (["stage", "example", "--to", "staged"], "stage"),
    (["ingest-check", "staged/example/v1"], "stage"),
    (["github", "report", "--artifact", "artifact", "--repo", "o/r", "--sha", "0" * 40], "github"),
    (["github", "find-review", "--repo", "o/r", "--sha", "0" * 40], "github"),
    (["github", "pending", "--repo", "o/r", "--fallback-base", "HEAD", "--out", "plan"], "github"),
    (["validate", "--scheduler", "tcp://127.0.0.1:8786", "example"], "dask"),
    (["watch", "s3://uploads/example/", "--once"], "remote"),
]


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9._-]+", requirement).group(0)).lower()


def _extra_requirements(extra: str) -> list[str]:
    return PYPROJECT["project"]["optional-dependencies"][extra]


def _brings(extra: str) -> set[str]:
    """The distributions ``extra`` names, with those of their own extras
    (``dask[distributed]`` brings ``distributed``), hlsp's self-references left out."""
    out = set()
    for req in _extra_requirements(extra):
        name = _name(req)
        if name == "hlsp":
            continue
        out.add(name)
        wanted = re.search(r"\[(.*?)\]", req)
        for dep in (requires(name) or []) if wanted else []:
            marker = re.search(r"extra\s*==\s*[\"']([^\"']+)", dep)
            if marker and marker.group(1) in wanted.group(1).replace(" ", "").split(","):
                out.add(_name(dep))
    return out


def _included(extra: str) -> set[str]:
    """The extras named by hlsp[...] self-references in ``extra``."""
    out = set()
    for req in _extra_requirements(extra):
        if _name(req) == "hlsp":
            out |= set(re.search(r"\[(.*)\]", req).group(1).replace(" ", "").split(","))
    return out


# ----------------------------------------------------------------- fast checks of the configuration
def test_every_extra_module_comes_from_its_extra_and_back():
    """hlsp.errors.EXTRAS (what require_extra looks for) and pyproject.toml's extras agree."""
    providers = packages_distributions()  # module -> distributions, in this (all extras) venv
    for extra, modules in EXTRAS.items():
        names = _brings(extra)
        for module in modules:
            dists = {_name(d) for d in providers.get(module, [])}
            assert dists & names, (
                f"{module} (EXTRAS[{extra!r}]) comes from {dists or 'nothing installed'}, not from hlsp[{extra}]"
            )
        for name in {_name(r) for r in _extra_requirements(extra)} - {"hlsp"}:
            provided = {m for m, ds in providers.items() if name in {_name(d) for d in ds}}
            assert provided & set(modules), f"hlsp[{extra}] requires {name}, which provides none of EXTRAS[{extra!r}]"


def test_all_and_test_extras_hold_every_extra_and_core_holds_none():
    assert _included("all") == set(EXTRAS)
    assert _included("test") == {"all"}
    assert _included("pages") == _included("stage") == {"remote"}
    core = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    for extra in EXTRAS:
        assert not core & ({_name(r) for r in _extra_requirements(extra)} - {"hlsp"}), extra
    assert "pre-commit" not in core and "pre-commit" in {_name(r) for r in _extra_requirements("test")}


def test_every_package_and_data_folder_is_listed():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    code = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "hlsp").rglob("__init__.py")}
    data = {
        ".".join(("hlsp", *d.relative_to(ROOT).parts))
        for top in ("validators", "templates")
        for d in [ROOT / top, *(ROOT / top).rglob("*")]
        if d.is_dir() and any(f.is_file() for f in d.iterdir())
    }
    assert listed == code | data | {"hlsp.validators", "hlsp.templates"}
    assert PYPROJECT["tool"]["setuptools"]["package-dir"] == {
        "hlsp.validators": "validators",
        "hlsp.templates": "templates",
    }


# ----------------------------------------------------------------- the wheel, installed for real
@pytest.fixture(scope="session")
def wheels(tmp_path_factory) -> Path:
    return wheelhouse(session_base(tmp_path_factory))


@pytest.fixture(scope="session")
def core(tmp_path_factory, wheels) -> tuple[Path, set[str]]:
    """A fresh venv with ``pip install hlsp`` (no extras, offline from the wheel
    folder); (its bin folder, the distributions the install added)."""
    bin_dir = fresh_venv(session_base(tmp_path_factory) / "core-venv")
    before = distributions(bin_dir)
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", "hlsp", env=offline_pip_env(wheels))
    return bin_dir, distributions(bin_dir) - before


@pytest.fixture
def workdir(tmp_path) -> Path:
    """Another working directory (not the repository) with a copy of the example."""
    shutil.copytree(EXAMPLE, tmp_path / "example")
    return tmp_path


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HLSP_", "PYTHON", "DASK_", "GITHUB_"))}
    return {
        **env,
        "HLSP_CACHE_DIR": str(tmp_path / "cache"),
        "HLSP_CACHE": str(tmp_path / "downloads"),
        "NO_COLOR": "1",
    }


def hlsp(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return run(bin_dir / "hlsp", *args, cwd=cwd, env=_env(cwd), check=False)


@pytest.mark.install
def test_the_wheel_holds_the_rule_data_the_templates_and_the_c_extension(wheels):
    names = set(zipfile.ZipFile(hlsp_wheel(wheels)).namelist())
    tracked = run("git", "ls-files", "validators", "templates", cwd=ROOT).stdout.split()
    assert tracked
    for rel in tracked:
        assert f"hlsp/{rel}" in names, f"{rel} is not in the wheel"
    assert not any(n.startswith(("validators/", "templates/", "tests/", "contributions/")) for n in names)
    built = [n for n in names if re.fullmatch(r"hlsp/_speedups\..*\.so", n)]
    if not built and not os.environ.get("CI") and not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler here: the wheel has no hlsp._speedups (see the next test)")
    assert built, "the C extension did not build into the wheel"


@pytest.mark.install
def test_core_install_is_small_and_has_no_optional_package(core):
    bin_dir, added = core
    assert "hlsp" in added
    assert len(added) <= CORE_LIMIT, f"{len(added)} packages: {sorted(added)}"
    optional = sorted({m for modules in EXTRAS.values() for m in modules})
    code = f"import importlib.util as u; print([m for m in {optional!r} if u.find_spec(m)])"
    assert run(bin_dir / "python", "-I", "-c", code).stdout.strip() == "[]"  # none is installed


@pytest.mark.install
def test_core_commands_work_from_another_folder(core, workdir):
    bin_dir, _ = core
    where = run(
        bin_dir / "python",
        "-I",
        "-c",
        "import hlsp, hlsp.profiles as p; print(hlsp.__file__); print(p.validators_dir())",
        cwd=workdir,
        env=_env(workdir),
    ).stdout.split("\n")
    site = str(bin_dir.parent / "lib")
    assert where[0].startswith(site) and where[1].startswith(site) and where[1].endswith("hlsp/validators")

    ok = hlsp(bin_dir, "validate", "--format", "json", "example", cwd=workdir)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    summary = json.loads(ok.stdout)["summary"]
    assert summary["errors"] == 0 and summary["files"] >= 4

    made = hlsp(bin_dir, "init", "new-survey", cwd=workdir)
    assert made.returncode == 0, made.stderr
    meta = workdir / "contributions" / "new-survey" / "hlsp.yaml"
    assert "proj_id: new-survey" in meta.read_text() and (meta.parent / "README.md").is_file()

    listing = workdir / "example" / "hlsp.yaml"
    before = listing.read_text()
    listing.write_text(re.sub(r"size: \d+", "size: 1", before, count=1))
    fixed = hlsp(bin_dir, "manifest", "example", cwd=workdir)
    assert fixed.returncode == 0, fixed.stderr
    assert listing.read_text() == before  # the wrong size was measured again

    product = next((workdir / "example").glob("*_img.fits"))
    shown = hlsp(bin_dir, "fix", str(product), "--metadata", "example/hlsp.yaml", cwd=workdir)
    assert shown.returncode == 0 and "nothing to change" in shown.stdout + shown.stderr, shown.stdout + shown.stderr

    rule = hlsp(bin_dir, "rules", "FN001", cwd=workdir)
    assert rule.returncode == 0 and "FN001" in rule.stdout


@pytest.mark.install
@pytest.mark.parametrize("args, extra", EXTRA_COMMANDS, ids=[" ".join(a[:2]) for a, _ in EXTRA_COMMANDS])
def test_a_command_without_its_extra_says_which_to_install(core, workdir, args, extra):
    bin_dir, _ = core
    done = hlsp(bin_dir, *args, cwd=workdir)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"needs hlsp[{extra}]" in lines[0] and lines[0].endswith(f"pip install 'hlsp[{extra}]'"), lines[0]
    assert not (workdir / "site").exists() and not (workdir / "staged").exists()  # nothing half-written


@pytest.mark.install
def test_a_remote_product_without_the_remote_extra_is_a_finding(core, workdir):
    bin_dir, _ = core
    listing = workdir / "example" / "hlsp.yaml"
    product = next((workdir / "example").glob("*_img.fits"))
    # a loopback URL (allowed for tests) that nothing serves: no fetch is attempted without fsspec
    listing.write_text(
        listing.read_text().replace(f"path: {product.name}", f'url: "http://127.0.0.1:9/{product.name}"')
    )
    product.unlink()
    env = {**_env(workdir), "HLSP_ALLOW_PRIVATE_URLS": "1"}
    done = run(bin_dir / "hlsp", "validate", "--format", "json", "example", cwd=workdir, env=env, check=False)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    findings = [f for r in json.loads(done.stdout)["files"] for f in r["findings"]]
    (remote,) = [f for f in findings if product.name in f["message"]]
    assert (
        remote["rule"] == "CO004"
        and "needs hlsp[remote]" in remote["message"]
        and "pip install 'hlsp[remote]'" in remote["message"]
    )


@pytest.mark.install
def test_the_wheel_built_without_a_compiler_installs_and_validates(tmp_path_factory, wheels, workdir):
    """The C loops are optional: with no working C compiler the wheel has no
    hlsp._speedups and the pure-Python twins give the same result."""
    base = session_base(tmp_path_factory)
    plain = base / "wheels-no-compiler"
    # CC is what setuptools calls to compile; `false` fails like a missing compiler
    run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--quiet",
        "--no-deps",
        "--wheel-dir",
        plain,
        source_copy(base, "src-no-compiler"),
        env=offline_pip_env(wheels, CC="false"),
    )
    wheel = hlsp_wheel(plain)
    assert not any("_speedups" in n and n.endswith(".so") for n in zipfile.ZipFile(wheel).namelist())
    bin_dir = fresh_venv(base / "no-compiler-venv")
    run(bin_dir / "python", "-m", "pip", "install", "--quiet", wheel, env=offline_pip_env(wheels))
    twins = run(bin_dir / "python", "-I", "-c", "from hlsp.fits import speedups; print(speedups.C)", cwd=workdir).stdout
    assert twins.strip() == "None"
    ok = hlsp(bin_dir, "validate", "--format", "json", "example", cwd=workdir)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert json.loads(ok.stdout)["summary"]["errors"] == 0


@pytest.mark.install
def test_the_result_cache_fingerprint_covers_the_installed_rule_data(core, tmp_path):
    """hlsp.cache.sources_digest() hashes the validators files inside the installed
    package: editing one there changes it (cached results are not reused)."""
    bin_dir, _ = core
    code = (
        "import json, hlsp.cache as c; files, note = c._source_files(); "
        "print(json.dumps([note, files, c.sources_digest()]))"
    )

    def listing() -> tuple[str, list, str]:
        return json.loads(run(bin_dir / "python", "-I", "-c", code, cwd=tmp_path, env=_env(tmp_path)).stdout)

    note, files, before = listing()
    assert note == ""
    names = [name for name, _ in files]
    assert len(names) == len(set(names))
    data = {name: path for name, path in files if name.startswith("validators/")}
    profile = Path(data["validators/profiles/common.yaml"])
    assert profile.is_relative_to(bin_dir.parent / "lib")
    assert {n.split("/", 1)[1] for n in data} == {
        str(p.relative_to(ROOT / "validators")) for p in (ROOT / "validators").rglob("*") if p.is_file()
    }
    text = profile.read_text()
    try:
        profile.write_text(text + "# an archive's edit\n")
        assert listing()[2] != before
    finally:
        profile.write_text(text)
    assert listing()[2] == before


@pytest.mark.install
def test_the_pull_request_check_and_merge_gate_run_on_the_core_install(core, tmp_path):
    """validate.yml's job (hlsp github changes / check) and stage.yml's verify-merge
    need no extra: a workflow can install hlsp alone for them."""
    from gh_support import GitRepo

    bin_dir, _ = core
    repo = GitRepo(tmp_path / "repo")
    repo.write("README.md", "# archive contributions\n")
    repo.commit("initial")
    repo.copy_example()
    head = repo.commit("add example")
    git = ["--base", "HEAD~1", "--head", head, "--repo-dir", str(repo.path)]
    changes = hlsp(bin_dir, "github", "changes", *git, cwd=tmp_path)
    assert changes.returncode == 0, changes.stderr
    assert [c["id"] for c in json.loads(changes.stdout)["contributions"]] == ["example"]
    checked = hlsp(bin_dir, "github", "check", *git, "--out", "artifact", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "HLSP validation passed" in (tmp_path / "artifact" / "comment.md").read_text()
    merged = hlsp(
        bin_dir, "github", "verify-merge", *git, "--reviewed", "artifact", "--reviewed-sha", head, cwd=tmp_path
    )
    assert merged.returncode == 0, merged.stdout + merged.stderr
    assert "identical to the review: example" in merged.stdout
