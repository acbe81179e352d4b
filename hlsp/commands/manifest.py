"""hlsp manifest FOLDER -- write or refresh the file manifest of a contribution."""

from __future__ import annotations

import argparse

from hlsp.product_manifest import refresh_manifest


def add_parser(sub, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name,
        help="write or refresh the manifest (products) of hlsp.yaml",
        description="Hash every file of a contribution folder (and fetch every listed URL) and rewrite the "
        "products list of its hlsp.yaml; the rest of the file, comments included, is kept. "
        "Exit status: 0 done (or up to date), 1 with --check when the manifest is out of date, 2 usage error.",
    )
    p.add_argument("folder", metavar="FOLDER", help="the contribution folder, e.g. contributions/my-survey")
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 when the manifest is out of date")
    return p


def run(args: argparse.Namespace) -> int:
    change = refresh_manifest(args.folder, write=not args.check)
    for label, items in (("added", change.added), ("removed", change.removed), ("updated", change.updated)):
        for item in items:
            print(f"{label}: {item}")
    for item, why in change.refused:
        print(f"refused: {item}: {why}")
    for url, why in change.unreachable:
        print(f"unreachable (entry kept as it was): {why}")
    if args.check:
        print("manifest is out of date" if change.changed else "manifest is up to date")
        return 1 if change.changed else 0
    print(f"wrote {args.folder}/hlsp.yaml" if change.written else "manifest is up to date; nothing written")
    print(f"next: hlsp validate {args.folder}")
    return 0
