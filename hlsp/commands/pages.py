"""hlsp pages [COLLECTION...] --out DIR -- build the static landing-page site."""

from __future__ import annotations

import argparse
import sys

from hlsp.errors import require_extra


def add_parser(sub, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name,
        help="build landing pages (a static site) for collections",
        description="Build a static site: an index of the collections and one landing page per collection "
        "with citation, products and previews. Prints the path of the index page. "
        "Products listed by URL are downloaded (verified, cached) for their previews unless --no-fetch is given. "
        "Products that cannot be previewed get a placeholder and a warning; the build still succeeds.",
    )
    p.add_argument(
        "collections",
        nargs="*",
        metavar="COLLECTION",
        help="collection folders (default: every folder under contributions/ holding hlsp.yaml)",
    )
    p.add_argument("--out", "-o", default="build/site", metavar="DIR", help="output folder (default: build/site)")
    p.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=0,
        metavar="N",
        help="preview worker processes (default 0: drawn in this process for a few previews, up to one "
        "worker per core for many)",
    )
    p.add_argument(
        "--cache",
        metavar="DIR",
        help="preview cache folder (default: $HLSP_CACHE_DIR/previews, else DIR/.cache/previews)",
    )
    p.add_argument(
        "--download-base",
        metavar="URL",
        help="https URL serving <proj-id>/<file>; without it local products are copied into the site",
    )
    p.add_argument(
        "--no-fetch",
        dest="fetch",
        action="store_false",
        help="offline build: do not download products listed by URL (they get a placeholder); by default they are "
        "fetched, verified against hlsp.yaml's size and sha256 and cached by sha256 ($HLSP_CACHE_DIR) to draw their previews",
    )
    return p


def run(args: argparse.Namespace) -> int:
    require_extra("pages")
    from hlsp.pages import build_site

    result = build_site(
        args.collections,
        args.out,
        jobs=args.jobs,
        cache_dir=args.cache,
        download_base=args.download_base,
        fetch=args.fetch,
    )
    for warning in result.warnings:
        print(f"hlsp pages: warning: {warning}", file=sys.stderr)
    print(
        f"hlsp pages: {len(result.pages)} pages, {result.previews} previews ({result.cached} from the cache), "
        f"{len(result.warnings)} warnings",
        file=sys.stderr,
    )
    print(result.index)
    return 0
