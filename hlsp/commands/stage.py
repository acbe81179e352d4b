"""hlsp stage CONTRIBUTION --to DEST [--catalog URL] -- copy an accepted collection for archive ingest."""

from __future__ import annotations

import argparse

from hlsp.errors import require_extra

# The staging library (caom2, lxml, ...) is imported in run(), so that `hlsp --help`
# and the other commands do not pay for it; DEST's default is hlsp.stage.DEFAULT_DEST.


def add_parser(sub, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name,
        help="stage a collection for archive ingest (verified copy, manifest, CAOM, ObsCore)",
        description="Copy the products of contributions/<id> to DEST/<proj-id>/<version>/ -- each file streamed "
        "once and verified against hlsp.yaml -- with manifest.json, CAOM-2.4 XML per observation, ObsCore rows "
        "in the catalog, and a READY marker written last.  Safe to re-run: a finished delivery is left as it is, "
        "an interrupted one is completed, and staged files are never overwritten.  Exit status: 0 staged, "
        "1 refused (validation errors, changed files), 2 usage or access error.",
    )
    p.add_argument("contribution", metavar="CONTRIBUTION", help="the collection folder (contributions/<id>)")
    p.add_argument(
        "--to",
        dest="dest",
        metavar="DEST",
        help="a local folder or s3://BUCKET/PREFIX (default: build/staging); S3 settings come from the usual AWS_* variables",
    )
    p.add_argument(
        "--catalog",
        metavar="URL",
        help="ObsCore catalog: sqlite:///PATH or postgresql://... (default: DEST/catalog.sqlite for a local DEST)",
    )
    p.add_argument("--commit", metavar="SHA", help="the git commit to record (default: git rev-parse HEAD)")
    p.add_argument(
        "--doi",
        metavar="DOI",
        help="the DOI the archive minted at acceptance (10.17909/...), recorded in manifest.json, CAOM and ObsCore; "
        "required while hlsp.yaml says `doi: pending` (the reviewed files are not rewritten)",
    )
    return p


def run(args: argparse.Namespace) -> int:
    require_extra("stage")
    from hlsp.stage import DEFAULT_DEST, stage

    r = stage(args.contribution, args.dest or DEFAULT_DEST, catalog=args.catalog, commit=args.commit, doi=args.doi)
    if r.already_staged:
        print(
            f"{r.proj_id} {r.version}: already staged at {r.delivery}; nothing changed"
            + (f" (catalog {r.catalog}: {r.rows})" if r.rows.changed else "")
        )
        return 0
    copied = sum(1 for v in r.files.values() if v == "copied")
    print(f"{r.proj_id} {r.version} -> {r.delivery}")
    if r.partials_removed:
        print(f"  removed {r.partials_removed} partial file(s) left by an interrupted run")
    print(f"  files: {copied} copied, {len(r.files) - copied} already staged")
    written = sum(1 for v in r.caom.values() if v == "written")
    print(f"  caom: {len(r.caom)} observation(s), {written} written")
    print(f"  manifest.json: {r.manifest}")
    print(f"  catalog {r.catalog}: {r.rows}")
    print(f"  READY: {r.ready}")
    if not r.changed:
        print("  nothing changed")
    return 0
