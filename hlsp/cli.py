"""The ``hlsp`` command: argument parsing only.

Each subcommand is one module in ``hlsp/commands/`` with ``add_parser`` and
``run``; ``run`` calls the library and returns the exit status.  Library
errors (:class:`hlsp.errors.HlspError`) become a one-line message and exit 2.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
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
    "watch": "watch",
}


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help layout, as wide as the terminal, measured without importing
    shutil (argparse imports it for every argument added: with bz2, lzma and
    fnmatch, ~2 ms of each start)."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        if width is None:
            width = _terminal_columns() - 2  # (what argparse does with shutil's measure)
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``: $COLUMNS, else the terminal of standard output, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _Parser(argparse.ArgumentParser):
    """An argparse parser with :class:`_HelpFormatter`; the subcommands' parsers are of this class too."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or only of command ``only`` (start-up time:
    some commands import heavy libraries)."""
    parser = _Parser(
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
