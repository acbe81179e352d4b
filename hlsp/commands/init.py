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
    print("next: edit both, add your files to the folder, then run")
    print(f"  hlsp manifest {folder}")
    print(f"  hlsp validate {folder}")
    return 0
