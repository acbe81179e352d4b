"""hlsp watch s3://BUCKET/PREFIX -- validate products as they land in an object store."""

from __future__ import annotations

import argparse
from urllib.parse import urlsplit

from hlsp.errors import HlspError, require_extra


def add_parser(sub, name: str) -> argparse.ArgumentParser:
    p = sub.add_parser(
        name,
        help="validate products as they are uploaded to an object store",
        description="Validate every product uploaded under s3://BUCKET/PREFIX and write its report beside it "
        "(<key>.<etag>.hlsp-report.json). Events come from SeaweedFS' filer webhook "
        "(WEED_NOTIFICATION_WEBHOOK_ENDPOINT=http://LISTEN/) and from sweeps of the prefix (on start and every "
        "--interval seconds), which catch what the webhook lost. One JSON line per validated object. "
        "Exit status: 0 every object was processed (whatever its verdict), 1 some could not be "
        "(dead-lettered: <key>.<etag>.hlsp-failed.json and a line on stderr), 2 usage error.",
    )
    p.add_argument("url", metavar="s3://BUCKET/PREFIX", help="the upload area to watch")
    p.add_argument("--once", action="store_true", help="one sweep, then exit (no webhook)")
    p.add_argument(
        "--listen",
        default="127.0.0.1:8787",
        metavar="HOST:PORT",
        help="where the webhook is received (default 127.0.0.1:8787; port 0: any free one)",
    )
    p.add_argument("--interval", type=float, default=300.0, metavar="SECONDS", help="sweep every SECONDS (default 300)")
    p.add_argument("--jobs", "-j", type=int, default=0, metavar="N", help="worker processes (default 0: one per core)")
    p.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on a Dask cluster at tcp://HOST:PORT instead of local processes"
    )
    p.add_argument(
        "--retries",
        type=int,
        default=3,
        metavar="N",
        help="attempts after a failure before an object is dead-lettered (default 3)",
    )
    p.add_argument(
        "--metadata",
        metavar="FOLDER",
        help="the collection folder (its hlsp.yaml): check the products against it, as hlsp validate of the collection does, so that the pull request can use the reports",
    )
    p.add_argument(
        "--proj-id",
        metavar="ID",
        help="the collection's proj-id the products must carry (default $HLSP_EXPECT_PROJ_ID)",
    )
    p.add_argument(
        "--version", dest="hlsp_version", metavar="V", help="the collection's version (default $HLSP_EXPECT_VERSION)"
    )
    return p


def run(args: argparse.Namespace) -> int:
    require_extra("remote", "hlsp watch")  # the S3 client: botocore, with s3fs
    if args.scheduler:
        require_extra("dask", "hlsp watch --scheduler")
    from hlsp.events.core import expected_from_env
    from hlsp.events.watch import Watcher, install_signals

    parts = urlsplit(args.url)
    if parts.scheme != "s3" or not parts.netloc:
        raise HlspError(f"{args.url}: give the upload area as s3://BUCKET/PREFIX")
    if args.interval <= 0 or args.retries < 0 or args.jobs < 0:
        raise HlspError("--interval must be positive, --retries and --jobs not negative")
    host, sep, port = args.listen.rpartition(":")
    if not sep or not port.isdigit():
        raise HlspError(f"--listen {args.listen}: give HOST:PORT")
    expected = expected_from_env()
    if args.metadata:
        from hlsp.events.core import expected_of_metadata
        from hlsp.metadata import YamlLoadError

        try:
            expected = expected_of_metadata(args.metadata)
        except (OSError, YamlLoadError) as exc:
            raise HlspError(f"--metadata {args.metadata}: {exc}") from None
    if args.proj_id:
        expected["proj_id"] = args.proj_id
    if args.hlsp_version:
        expected["version"] = args.hlsp_version
    prefix = parts.path.lstrip("/")
    from hlsp.events.store import Store, StoreError

    try:  # a bucket we cannot list is a usage error, said before anything starts
        next(iter(Store().list(parts.netloc, prefix)), None)
    except StoreError as exc:
        raise HlspError(str(exc)) from None
    watcher = Watcher(
        parts.netloc,
        prefix,
        jobs=args.jobs,
        scheduler=args.scheduler,
        retries=args.retries,
        listen=args.listen,
        interval=args.interval,
        once=args.once,
        expected=expected,
    )
    install_signals(watcher)
    return watcher.run()
