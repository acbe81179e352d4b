"""How big and how slow is ``pip install hlsp``, without extras and with all of them?

    python benchmarks/install_bench.py                    # core and [all]
    python benchmarks/install_bench.py --only core        # one of them
    python benchmarks/install_bench.py --old-rev 60305f1  # also `pip install .` of an older commit

Each install runs in a fresh venv (``python -m venv``) with no pip cache
(``--no-cache-dir``, ``PIP_NO_CACHE_DIR=1`` for the build too), from a copy of
the working tree (tracked files and new ones git does not ignore), the way a
workflow job runs ``pip install .``: the package is built (C extension
included) and its dependencies are fetched from pip's configured indexes.  On
this machine those are local mirrors (``pip config list``), so the seconds are
mostly unpacking and building, not downloading; the network adds to them
elsewhere.  Installs run one after another, never side by side.

Reported per install:

- packages: the distributions the install added to the fresh venv (hlsp included;
  pip and setuptools that ``venv`` puts there are not counted);
- seconds: wall time of the ``pip install`` command; CPU: its user + system time
  (with its children: the build, the compiler), steadier on a shared machine;
- MB: what the install added to the venv on disk (allocated blocks, like ``du``).

The issue-11 baseline (``pip install .`` before the extras existed: 99 packages,
462 MB, 161 s) is printed beside the results; ``--old-rev`` measures such an
older commit again in the same run, which makes the ratio fair on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = {"packages": 99, "mb": 462, "seconds": 161}  # issue 11, `pip install .` of the old pyproject


def copy_tree(dest: Path, rev: str | None = None) -> Path:
    """The working tree (or commit ``rev``) copied to ``dest``."""
    dest.mkdir(parents=True)
    if rev:
        archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", dest], input=archive, check=True)
        return dest
    listed = subprocess.run(
        ["git", "ls-files", "-z", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    for rel in filter(None, listed.split("\0")):
        if (ROOT / rel).is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, dest / rel)
    return dest


def disk_bytes(folder: Path) -> int:
    total = 0
    for dirpath, _, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_blocks * 512
            except OSError:
                pass
    return total


def distributions(python: Path) -> set[str]:
    code = (
        "import importlib.metadata as m, json, re; "
        "print(json.dumps(sorted({re.sub(r'[-_.]+', '-', d.metadata['Name']).lower() for d in m.distributions()})))"
    )
    return set(
        json.loads(subprocess.run([python, "-I", "-c", code], capture_output=True, text=True, check=True).stdout)
    )


def measure(label: str, source: Path, extras: str, work: Path) -> dict:
    where = work / f"venv-{label}"
    venv.create(where, with_pip=True)
    python = where / "bin" / "python"
    before_names, before_bytes = distributions(python), disk_bytes(where)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PIP_NO_CACHE_DIR="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    target = f"{source}[{extras}]" if extras else str(source)
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-cache-dir", target], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    if done.returncode:
        sys.exit(f"{label}: pip install failed:\n{done.stderr[-3000:]}")
    added = sorted(distributions(python) - before_names)
    return {
        "install": label,
        "command": f"pip install --no-cache-dir {'.[' + extras + ']' if extras else '.'}",
        "packages": len(added),
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "mb": round((disk_bytes(where) - before_bytes) / 1e6),
        "names": added,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", choices=("core", "all"), help="measure only this install")
    ap.add_argument("--old-rev", metavar="REV", help="also measure `pip install .` of this git revision")
    ap.add_argument("--json", metavar="FILE", help="write the results as JSON too")
    args = ap.parse_args()

    results = []
    with tempfile.TemporaryDirectory(prefix="hlsp-install-bench-") as tmp:
        work = Path(tmp)
        source = copy_tree(work / "src")
        for label, extras in (("core", ""), ("all", "all")):
            if args.only in (None, label):
                results.append(measure(label, source, extras, work))
                shutil.rmtree(work / f"venv-{label}")
        if args.old_rev:
            old = copy_tree(work / "old", args.old_rev)
            results.append(measure(f"old {args.old_rev[:12]}", old, "", work))

    print(f"{'install':<18} {'packages':>8} {'seconds':>8} {'CPU s':>6} {'MB':>6}   command")
    for r in results:
        print(
            f"{r['install']:<18} {r['packages']:>8} {r['seconds']:>8} {r['cpu_seconds']:>6} {r['mb']:>6}   {r['command']}"
        )
    print(
        f"{'issue-11 baseline':<18} {BASELINE['packages']:>8} {BASELINE['seconds']:>8} {'':>6} {BASELINE['mb']:>6}   pip install . (before the extras)"
    )
    core = next((r for r in results if r["install"] == "core"), None)
    if core:
        for r in results:
            if r is not core:
                print(
                    f"core / {r['install']}: {core['packages'] / r['packages']:.2f} of the packages, "
                    f"{core['seconds'] / r['seconds']:.2f} of the time, {core['mb'] / r['mb']:.2f} of the disk"
                )
        print(
            f"core / baseline: {core['packages'] / BASELINE['packages']:.2f} of the packages, "
            f"{core['seconds'] / BASELINE['seconds']:.2f} of the time, {core['mb'] / BASELINE['mb']:.2f} of the disk"
        )
        print("core packages:", " ".join(core["names"]))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
