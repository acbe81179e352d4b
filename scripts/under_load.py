"""Run `make test` on a fresh clone, several times in a row, under a CPU hog.

    python scripts/under_load.py                 # 3 runs of HEAD, one hog per core
    python scripts/under_load.py --runs 5 --hogs 4 --rev main

A test that depends on timing or on how busy the machine is fails here sooner
than in CI.  The clone is made from the committed revision (not the working
tree), in a new folder beside this repository, and `CI=true` is set as `.ci/run` does, so
nothing skips.  The hogs are plain busy loops at normal priority, one per
core unless told otherwise; they are stopped whatever happens.  The script
stops at the first failing run and exits with its status; it prints one line
per run (seconds, pytest's summary line) and keeps every run's log in the
folder beside the clone (printed at the end).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOG = "while True:\n    pass\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs in a row (default 3)")
    parser.add_argument("--hogs", type=int, default=os.cpu_count() or 1, help="busy loops (default: one per core)")
    parser.add_argument("--rev", default="HEAD", help="revision to clone (default HEAD)")
    parser.add_argument(
        "--clone", type=Path, help="where to clone (a new folder; default: one made beside this repository)"
    )
    args = parser.parse_args(argv)

    rev = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--verify", args.rev + "^{commit}"],
        capture_output=True,
        text=True,
    )
    if rev.returncode:
        print(f"under_load: no such revision: {args.rev}", file=sys.stderr)
        return 2
    sha = rev.stdout.strip()
    # Beside the repository by default, so that the clone's ../shared/ is this
    # repository's (the realdata tests fail under CI=true without it).
    clone = args.clone or Path(tempfile.mkdtemp(prefix="hlsp-under-load-", dir=ROOT.parent))
    if clone.exists() and any(clone.iterdir()):
        print(f"under_load: {clone} is not empty", file=sys.stderr)
        return 2
    logs = clone.with_name(clone.name + "-logs")
    logs.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "clone", "--quiet", "--no-checkout", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", sha], check=True)
    print(f"under_load: {sha[:10]} in {clone}, {args.hogs} hog(s), {args.runs} run(s)", flush=True)

    hogs = [subprocess.Popen([sys.executable, "-c", HOG]) for _ in range(args.hogs)]
    status = 0
    try:
        for n in range(1, args.runs + 1):
            log = logs / f"run{n}.log"
            start = time.monotonic()
            with log.open("wb") as out:
                rc = subprocess.run(
                    ["bash", ".ci/run"],
                    cwd=clone,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env={**os.environ, "CI": "true"},
                ).returncode
            took = time.monotonic() - start
            summary = _summary(log)
            print(f"run {n}: exit {rc} in {took:.0f} s: {summary}", flush=True)
            if rc:
                status = rc
                break
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    print(f"under_load: logs in {logs}", flush=True)
    return status


def _summary(log: Path) -> str:
    """pytest's last '== N passed ... ==' line, or the log's last line."""
    lines = log.read_text(errors="replace").splitlines()
    for line in reversed(lines):
        if re.search(r"\d+ (passed|failed|error)", line):
            return line.strip("= ")
    return lines[-1] if lines else "(empty log)"


if __name__ == "__main__":
    sys.exit(main())
