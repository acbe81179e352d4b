"""The ``hlsp`` command: argument parsing only.

Each subcommand is one module in ``hlsp/commands/`` with ``add_parser`` and
``run``; ``run`` calls the library and returns the exit status.  Library
errors (:class:`hlsp.errors.HlspError`) become a one-line message and exit 2.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys

from hlsp import __version__
from hlsp.errors import HlspError

# name -> module in hlsp.commands (explicit, ordered as in --help)
COMMANDS = {
    "validate": "validate",
    "rules": "rules",
    "pages": "pages",
    "github": "github",
    "stage": "stage",
    "ingest-check": "ingest_check",
    "init": "init",
    "manifest": "manifest",
    "fix": "fix",
}


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or only of command ``only`` (start-up time:
    some commands import heavy libraries)."""
    parser = argparse.ArgumentParser(
        prog="hlsp",
        description="Validate, describe and stage High-Level Science Products for an astronomy archive.",
    )
    parser.add_argument("--version", action="version", version=f"hlsp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, module in COMMANDS.items():
        if only in COMMANDS and name != only:
            continue
        mod = importlib.import_module(f"hlsp.commands.{module}")
        p = mod.add_parser(sub, name)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    as_program = argv is None  # the console script / python -m hlsp: the process ends after this
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(next((a for a in argv if not a.startswith("-")), None))
    args = parser.parse_args(argv)
    try:
        from hlsp.limits import check_all

        check_all()  # a bad HLSP_* bound is a usage error here, not a surprise in a worker
        return int(args._run(args) or 0)
    except HlspError as exc:
        print(f"hlsp {args.command}: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"hlsp {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    finally:
        if as_program:
            # The interpreter's last garbage collection walks every object the imports
            # made (astropy, numpy ...): ~0.1 s of a short run, for nothing.
            gc.freeze()
