"""hlsp init PROJ_ID -- start a new contribution folder from the template."""

from __future__ import annotations

import argparse

from hlsp.skeleton import init_contribution


def add_parser(sub, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name,
        help="start a new contribution folder",
        description="Write contributions/PROJ_ID/ with a commented hlsp.yaml, a README template and an empty "
        "manifest. It validates except for 'no products yet'.",
    )
    p.add_argument("proj_id", metavar="PROJ_ID", help="the collection's short id, e.g. my-survey")
    p.add_argument("--dir", default="contributions", metavar="DIR", help="parent folder (default: contributions)")
    return p


def run(args: argparse.Namespace) -> int:
    folder = init_contribution(args.proj_id, args.dir)
    print(f"wrote {folder}/hlsp.yaml and {folder}/README.md")
    print(f"next: copy your FITS products (and a PNG preview per product) into {folder}/, then run")
    print(f"  hlsp fix {folder} --write     # header keywords from hlsp.yaml and the files")
    print(f"  hlsp manifest {folder}        # sizes and sha256 of every file")
    print(f"  hlsp validate {folder}        # each finding says what to change")
    return 0
