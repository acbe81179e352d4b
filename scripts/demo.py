#!/usr/bin/env python3
"""``make demo``: run the main job end to end on the example collection.

Runs on a fresh machine with only the project's venv: no network, no system
programs.  The demo is a list of steps (:data:`STEPS`); each step is a
function that takes a :class:`Demo` (where the outputs go) and returns a
one-line summary of what it produced.  To add a step, write a function and
decorate it with ``@step("title")`` -- steps run in the order they are
defined; the demo stops at the first step that raises, and exits non-zero
at the end when a step recorded a problem (``demo.problems``).

Outputs land in ``build/demo/`` (``--out`` to change).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EXAMPLE = ROOT / "contributions" / "example"


@dataclass
class Demo:
    """Shared state of a demo run: where things are and what was produced."""

    root: Path  # the repository
    out: Path  # build/demo
    example: Path  # contributions/example
    outputs: list[tuple[str, Path]] = field(default_factory=list)  # (what, where)
    problems: list[str] = field(default_factory=list)  # make the demo exit non-zero at the end

    def output(self, what: str, path: Path) -> Path:
        """Record an output file or folder so the final summary lists it."""
        self.outputs.append((what, path))
        return path


StepFn = Callable[[Demo], str]
STEPS: list[tuple[str, StepFn]] = []


def step(title: str) -> Callable[[StepFn], StepFn]:
    def register(fn: StepFn) -> StepFn:
        STEPS.append((title, fn))
        return fn

    return register


def _rel(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------------------- steps
@step("Validate the example collection (contributions/example)")
def validate_example(demo: Demo) -> str:
    """Every file rule on every product + metadata + collection rules; text and JSON reports."""
    from hlsp.atomic import atomic_open
    from hlsp.engine import Options, iter_validate
    from hlsp.reporters import make_reporter

    options = Options()
    results = list(iter_validate([_rel(demo.example)], options))
    print("--- text report " + "-" * 56)
    text = make_reporter("text", sys.stdout, show_clean=True)
    summary = text.run(results)
    print("-" * 72)
    report = demo.output("validation report (JSON)", demo.out / "report.json")
    with atomic_open(report) as fh:
        make_reporter("json", fh).run(results)
    verdict = "PASS" if summary.errors == 0 else "FAIL"
    if summary.errors:
        demo.problems.append(f"the example collection has {summary.errors} validation errors")
    return (
        f"{verdict}: {summary.files} files checked, {summary.errors} errors, "
        f"{summary.warnings} warnings, {summary.infos} infos"
    )


@step("Stage the example for archive ingest (build/staging) and run ingest-check")
def stage_example(demo: Demo) -> str:
    """Verified copy + manifest.json + CAOM XML + ObsCore rows (SQLite) + READY; then the archive's check."""
    from hlsp.errors import HlspError
    from hlsp.stage import stage
    from hlsp.stage.ingest_check import ingest_check

    dest = demo.out.parent / "staging"
    try:
        staged = stage(demo.example, dest)
    except HlspError as exc:
        demo.problems.append(f"staging refused: {exc} (build/ is scratch space: `make clean` resets it)")
        return "REFUSED"
    demo.output("staged delivery", dest / staged.proj_id / staged.version)
    demo.output("ObsCore catalog (SQLite)", dest / "catalog.sqlite")
    check = ingest_check(str(dest / staged.proj_id / staged.version))
    for problem in check.problems:
        demo.problems.append(f"ingest-check: {problem}")
    what = "already staged, nothing changed" if staged.already_staged else f"{len(staged.files)} files staged"
    verdict = "ingest-check ok" if check.ok else f"ingest-check FAILED ({len(check.problems)} problems)"
    return f"{what}; {check.files} files, {check.observations} CAOM observations, {check.rows} catalog rows; {verdict}"


@step("Build the example's landing pages (build/site)")
def pages_example(demo: Demo) -> str:
    """Static site: index + landing page with citation, product table, previews and sky map."""
    from hlsp.pages import build_site

    site = build_site([demo.example], demo.out.parent / "site")
    for warning in site.warnings:
        demo.problems.append(f"pages: {warning}")
    demo.output("landing pages (open in a browser)", site.index)
    print(f"    site index page: {site.index}")
    return f"{len(site.pages)} pages, {site.previews} previews ({site.cached} from the cache), {len(site.warnings)} warnings"


# ----------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "demo", help="output folder (default build/demo)")
    args = parser.parse_args(argv)
    demo = Demo(root=ROOT, out=args.out.resolve(), example=EXAMPLE)
    demo.out.mkdir(parents=True, exist_ok=True)
    print(f"hlsp demo: {len(STEPS)} step(s) on {_rel(demo.example)}; outputs in {_rel(demo.out)}\n")
    for number, (title, fn) in enumerate(STEPS, 1):
        print(f"[{number}/{len(STEPS)}] {title}")
        started = time.perf_counter()
        result = fn(demo)
        print(f"    -> {result} ({time.perf_counter() - started:.1f} s)\n")
    print("Done. Outputs:")
    for what, path in demo.outputs:
        print(f"  {what}: {_rel(path)}")
    for problem in demo.problems:
        print(f"PROBLEM: {problem}", file=sys.stderr)
    return 1 if demo.problems else 0


if __name__ == "__main__":
    sys.exit(main())
