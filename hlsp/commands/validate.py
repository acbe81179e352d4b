"""hlsp validate PATH... -- check FITS products against the archive's rules."""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import nullcontext

from hlsp.engine import Options, iter_validate
from hlsp.findings import Severity
from hlsp.reporters import FORMATS, make_reporter


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def add_parser(sub, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name,
        help="validate FITS files or folders",
        description="Validate HLSP products (FITS files, or folders walked recursively). "
        "Exit status: 0 no errors, 1 findings at --fail-on level, 2 usage error.",
    )
    p.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a file, a folder, or a remote file's https:// or s3:// URL (streamed, not stored)",
    )
    p.add_argument("--format", choices=list(FORMATS), help="report format (default: text; github under GitHub Actions)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of standard output")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        metavar="N",
        help="worker processes (default 0: as many as the work is worth, at most one per core; 1: none)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on a Dask cluster at tcp://HOST:PORT (default: $DASK_SCHEDULER_ADDRESS, else local processes)",
    )
    p.add_argument(
        "--no-cache",
        dest="cache",
        action="store_false",
        help="validate every file again instead of reusing results of unchanged files ($HLSP_CACHE_DIR)",
    )
    p.add_argument(
        "--select",
        type=_csv,
        action="extend",
        metavar="IDS",
        help="only these rule IDs, ID prefixes, names or categories (comma-separated)",
    )
    p.add_argument(
        "--ignore", type=_csv, action="extend", metavar="IDS", help="skip these rule IDs, prefixes, names or categories"
    )
    p.add_argument(
        "--fail-on",
        choices=["error", "warning"],
        default="error",
        help="lowest severity that fails the run (default: error)",
    )
    p.add_argument(
        "--product-type",
        metavar="TYPE",
        help="product type or profile (image, spectrum, lightcurve, catalog) instead of the one in the file name",
    )
    p.add_argument("--show-clean", action="store_true", help="text format: also list files without findings")
    p.add_argument("--verbose", "-v", action="store_true", help="text format: also list info notes")
    p.add_argument(
        "--whole-collection",
        action="store_true",
        help="validate the whole contribution folder holding each PATH (for pre-commit and CI, which pass changed files)",
    )
    p.add_argument(
        "--revalidate",
        action="store_true",
        help="download and validate s3:// products even when their upload report (hlsp watch / Lambda) is current",
    )
    p.add_argument(
        "--base",
        metavar="REF",
        help="git ref with the previous version of a contribution (default: origin/main, else main)",
    )
    p.add_argument(
        "--progress",
        choices=["auto", "always", "never"],
        default="auto",
        help="progress bar on standard error (default auto: text format to a terminal, not in CI, runs over a second)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    fmt = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    options = Options(
        select=args.select,
        ignore=args.ignore,
        product_type=args.product_type,
        jobs=args.jobs,
        scheduler=args.scheduler,
        cache=args.cache,
        base=args.base,
    )
    if args.revalidate:
        from hlsp.remote import RemoteOptions

        options.remote = RemoteOptions.from_env(use_reports=False)
    if args.whole_collection:
        from hlsp.contribution import whole_contributions  # only here: it loads the metadata schema code

        paths = whole_contributions(args.paths)
    else:
        paths = args.paths
    results = iter_validate(paths, options)
    bar = None
    if args.progress == "always" or (args.progress == "auto" and _auto_progress(fmt)):
        from hlsp.progress import CLI_DELAY, Bar, known_total, track

        bar = Bar(file=sys.stderr, delay=CLI_DELAY if args.progress == "auto" else 0.0, notebook=False)
        results = track(results, bar, known_total(paths))
    if args.output:
        from hlsp.atomic import atomic_open  # tempfile, shutil ...: only when writing a file

        target = atomic_open(args.output)
    else:
        target = nullcontext(sys.stdout)
    with target as stream:
        color = fmt == "text" and not args.output and stream.isatty() and "NO_COLOR" not in os.environ
        if bar is not None and not args.output and stream.isatty():
            from hlsp.progress import AroundBar

            stream = AroundBar(stream, bar)  # the report and the bar share the terminal
        reporter = make_reporter(fmt, stream, color=color, show_clean=args.show_clean, show_info=args.verbose)
        summary = reporter.run(results)
    fail_on = Severity(args.fail_on)
    failed = summary.errors > 0 or (fail_on is Severity.WARNING and summary.warnings > 0)
    return 1 if failed else 0


def _auto_progress(fmt: str) -> bool:
    try:
        if not sys.stderr.isatty():
            return False  # (as cli_wants_bar says, without importing hlsp.progress: scripts, hooks, CI)
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False
    from hlsp.progress import cli_wants_bar

    return cli_wants_bar(fmt, sys.stderr)
