"""hlsp fix FILE... -- add or correct HLSP keywords, normalise dates, write checksums."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hlsp.contribution import METADATA_FILE, load_contribution
from hlsp.errors import HlspError
from hlsp.fixer import apply_fix, plan_fix


def add_parser(sub, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name,
        help="add or correct HLSP header keywords, normalise dates, write checksums",
        description="Set HLSPID, HLSPVER, HLSPNAME, HLSPLEAD, DOI, LICENSE, LICENURL, HLSPTARG (and REFERENC when "
        "missing) from the collection's hlsp.yaml, drop trailing Z / spaces from dates, and write CHECKSUM/DATASUM. "
        "Data are never touched. Without --write the changes are printed as a diff of the header cards. "
        "Exit status: 0 nothing to change (or written), 1 changes to make (without --write), 2 usage error.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="FITS files to fix")
    p.add_argument("--metadata", metavar="HLSP_YAML", help="the collection's hlsp.yaml (contributions/<id>/hlsp.yaml)")
    p.add_argument("--write", action="store_true", help="write the changes (atomically) instead of showing them")
    return p


def run(args: argparse.Namespace) -> int:
    metadata = None
    if args.metadata:
        meta = Path(args.metadata)
        if meta.name != METADATA_FILE:
            raise HlspError(f"--metadata {args.metadata}: give the collection's {METADATA_FILE}")
        metadata = load_contribution(meta.parent).metadata
    pending = 0
    for path in args.files:
        plan = plan_fix(path, metadata)
        if not plan.changed:
            print(f"{path}: nothing to change", file=sys.stderr)
            continue
        if args.write:
            apply_fix(plan)
            print(f"{path}: fixed", file=sys.stderr)
        else:
            sys.stdout.write(plan.diff())
            pending += 1
    if pending:
        print(f"{pending} file(s) would change; run again with --write to write them", file=sys.stderr)
    return 1 if pending else 0
