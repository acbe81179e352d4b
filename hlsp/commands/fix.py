"""hlsp fix FOLDER|FILE... -- add or correct HLSP keywords, normalise dates, write checksums."""

from __future__ import annotations

import argparse
import os
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
        "missing) from the collection's hlsp.yaml; add the keywords the archive's profile asks for that can be "
        "derived from equivalent keywords of the file (RA_OBJ -> RA_TARG, TELESCOP -> OBSERVAT ...), from hlsp.yaml "
        "or from the file name (each shown with its source); drop trailing Z / spaces from dates, and write "
        "CHECKSUM/DATASUM. Data are never touched. Given a contribution folder, every FITS product in it is fixed "
        "with its hlsp.yaml. Without --write the changes are printed as a diff of the header cards. "
        "Exit status: 0 nothing to change (or written), 1 changes to make (without --write), 2 usage error.",
    )
    p.add_argument("files", nargs="+", metavar="FOLDER|FILE", help="a contribution folder, or FITS files")
    p.add_argument("--metadata", metavar="HLSP_YAML", help="the collection's hlsp.yaml when FITS files are given")
    p.add_argument("--write", action="store_true", help="write the changes (atomically) instead of showing them")
    return p


def _targets(args: argparse.Namespace) -> tuple[list[str], Path | None]:
    """(FITS files, contribution folder or None) from the command line."""
    if len(args.files) == 1 and os.path.isdir(args.files[0]):
        folder = Path(args.files[0])
        if not (folder / METADATA_FILE).is_file():
            raise HlspError(
                f"{folder}: no {METADATA_FILE} here; give a contribution folder (`hlsp init` makes one) or FITS files"
            )
        if args.metadata:
            raise HlspError("--metadata is for FITS files; a contribution folder uses its own hlsp.yaml")
        from hlsp.product_manifest import folder_files
        from hlsp.names import parse_name

        files = [str(folder / f) for f in folder_files(folder) if parse_name(os.path.basename(f)).is_fits]
        if not files:
            raise HlspError(f"{folder}: no FITS product in the folder yet; copy your products into it first")
        return files, folder
    for f in args.files:
        if os.path.isdir(f):
            raise HlspError(f"{f}: a folder; give one contribution folder alone, or FITS files")
    folder = None
    if args.metadata:
        meta = Path(args.metadata)
        if meta.name != METADATA_FILE:
            raise HlspError(f"--metadata {args.metadata}: give the collection's {METADATA_FILE}")
        folder = meta.parent
    return list(args.files), folder


def run(args: argparse.Namespace) -> int:
    files, folder = _targets(args)
    metadata = load_contribution(folder).metadata if folder is not None else None
    pending = 0
    for path in files:
        plan = plan_fix(path, metadata)
        for note in plan.skipped:
            print(f"{path}: {note}", file=sys.stderr)
        if not plan.changed:
            print(f"{path}: nothing to change", file=sys.stderr)
            continue
        for hdu, keyword, value, source in plan.sources:
            print(f"{path}: HDU {hdu}: {keyword} = {value!r}  (from {source})", file=sys.stderr)
        if args.write:
            apply_fix(plan)
            print(f"{path}: fixed", file=sys.stderr)
        else:
            sys.stdout.write(plan.diff())
            pending += 1
    where = str(folder) if folder is not None else None
    if pending:
        again = f"hlsp fix {where} --write" if where else "the same command with --write"
        print(f"{pending} file(s) would change; next: {again}", file=sys.stderr)
    elif where:
        print(f"next: hlsp manifest {where}", file=sys.stderr)
    return 1 if pending else 0
