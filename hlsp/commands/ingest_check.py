"""hlsp ingest-check DEST/<proj-id>/<version> -- verify a staged delivery as the archive receives it."""

from __future__ import annotations

import argparse

from hlsp.errors import require_extra


def add_parser(sub, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name,
        help="verify a staged delivery (files, checksums, CAOM XML, catalog rows)",
        description="Check a staged delivery folder: READY present, every file of manifest.json present with its "
        "size, sha256 and md5, nothing extra, the CAOM XML valid and matching, the ObsCore rows in the catalog "
        "equal to the manifest's.  Exit status: 0 all hold, 1 problems found, 2 usage or access error.",
    )
    p.add_argument("delivery", metavar="DELIVERY", help="DEST/<proj-id>/<version> (a local folder or s3://...)")
    p.add_argument(
        "--catalog",
        metavar="URL",
        help="sqlite:///PATH or postgresql://... (default: the catalog READY names, or DEST/catalog.sqlite)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    require_extra("stage")
    from hlsp.stage.ingest_check import ingest_check  # imported here: caom2 and lxml are slow to load

    r = ingest_check(args.delivery, catalog=args.catalog)
    if r.ok:
        print(
            f"ok: {r.delivery}: {r.files} files, {r.observations} CAOM observation(s), "
            f"{r.rows} catalog row(s) ({r.catalog}) verified"
        )
        return 0
    for problem in r.problems:
        print(f"FAIL {problem}")
    print(f"{r.delivery}: {len(r.problems)} problem(s); the delivery must not be ingested")
    return 1
