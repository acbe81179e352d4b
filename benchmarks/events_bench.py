"""Objects validated per second from upload to report (SeaweedFS), against `hlsp validate` on local disk.

    python benchmarks/events_bench.py               # 1,000 set-A products (~30 KB: images and light curves)
    python benchmarks/events_bench.py --count 200   # quicker
    python benchmarks/events_bench.py --tess 50     # only: a real 2 MB TESS light curve (../shared/realdata), per object

Measured in one run on the same files (``make_data.make_small``, in a
temporary folder):

- ``local``      ``hlsp validate DIR --no-cache`` (whole process, one worker
                 per core): files per second, CPU seconds per file;
- ``per object`` in this process, one object after another: the CPU seconds
                 and the bytes read per file for ``validate_file`` on local
                 disk (``rchar`` of /proc/self/io) and for
                 ``hlsp.events.core.process`` against SeaweedFS (response
                 bodies, and response headers counted by a botocore hook;
                 request bytes are not counted), the store's requests per
                 object and the CPU the store spent on them;
- ``sweep``      ``hlsp watch --once`` over a bucket holding the files
                 (list, validate, write reports): objects per second;
- ``upload``     ``hlsp watch`` fed by SeaweedFS' filer webhook while the files
                 are uploaded by 8 threads: objects per second from the first
                 upload to the last report line (the watcher is started and
                 ready before the clock starts).

SeaweedFS runs on this machine (``weed mini``, tests/servers.py) and shares
its cores with hlsp: a store elsewhere would leave hlsp more CPU.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT / "tests"), str(ROOT / "tests" / "events")]

HLSP = str(Path(sys.executable).parent / "hlsp")


def rchar() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    return 0


def proc_cpu(pid: int) -> float:
    """utime + stime of a running process, seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def upload_all(client, bucket: str, prefix: str, files: list[Path]) -> None:
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda p: client.put_object(Bucket=bucket, Key=prefix + p.name, Body=p.read_bytes()), files))


TESS = ROOT.parent / "shared" / "realdata" / "hlsp_tess-data-alerts_tess_phot_00055652896-s01_tess_v1_lc.fits"


def tess_section(count: int) -> dict:
    """A real 2 MB TESS light curve (../shared/realdata), ``count`` copies: per-object cost in one process."""
    from servers import seaweedfs

    from hlsp.engine import Options, validate_file

    data = TESS.read_bytes()
    options = Options()
    rules = options.rules()
    validate_file(str(TESS), options, rules)
    c0, t0 = time.process_time(), time.perf_counter()
    for _ in range(count):
        validate_file(str(TESS), options, rules)
    local = {"cpu_s": (time.process_time() - c0) / count, "wall_s": (time.perf_counter() - t0) / count}
    with seaweedfs() as weed:
        os.environ.update(weed.server.env())
        from hlsp.events.core import process
        from hlsp.events.records import ObjectEvent
        from hlsp.events.store import Store

        client, bucket = weed.server.client(), weed.server.new_bucket()
        keys = [f"up/{i:04d}/{TESS.name}" for i in range(count + 1)]
        upload = client.put_object(Bucket=bucket, Key=keys[0], Body=data)
        for k in keys[1:]:
            client.put_object(Bucket=bucket, Key=k, Body=data)
        store = Store()
        etag = upload["ETag"].strip('"')
        process(ObjectEvent(bucket, keys[0], etag, len(data)), store)
        c0, s0, t0 = time.process_time(), proc_cpu(weed.proc.pid), time.perf_counter()
        requests = 0
        for k in keys[1:]:
            out = process(ObjectEvent(bucket, k, etag, len(data)), store)  # as from an S3 event: ETag and size known
            assert out.status == "validated" and out.bytes_read == len(data)
            requests += out.requests
        events = {
            "cpu_s": (time.process_time() - c0) / count,
            "wall_s": (time.perf_counter() - t0) / count,
            "store_cpu_s": (proc_cpu(weed.proc.pid) - s0) / count,
            "requests": requests / count,
        }
    return {"size": len(data), "local": local, "events": events}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument(
        "--tess",
        type=int,
        default=0,
        metavar="N",
        help="only: N copies of a real 2 MB TESS light curve, per-object cost",
    )
    args = ap.parse_args(argv)
    if args.tess:
        r = tess_section(args.tess)
        print(json.dumps(r, indent=1))
        lo, ev = r["local"], r["events"]
        print(
            f"\nTESS light curve, {r['size'] / 1e6:.1f} MB, one process: local {lo['cpu_s'] * 1e3:.2f} ms CPU "
            f"({lo['wall_s'] * 1e3:.2f} ms wall); from SeaweedFS {ev['cpu_s'] * 1e3:.2f} ms CPU ({ev['wall_s'] * 1e3:.2f} ms wall), "
            f"{ev['requests']:.1f} requests, store {ev['store_cpu_s'] * 1e3:.2f} ms CPU"
        )
        return 0

    from events_support import Watch, env_for
    from make_data import make_small
    from servers import free_port, seaweedfs

    work = Path(tempfile.mkdtemp(prefix="hlsp-events-bench-"))
    folder = work / "A"
    make_small(folder, args.count)
    files = sorted(p for p in folder.iterdir() if p.name.endswith(".fits"))
    n = len(files)
    total_bytes = sum(p.stat().st_size for p in files)
    results: dict = {"objects": n, "mean_size": total_bytes / n, "cores": os.cpu_count()}
    env0 = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "HLSP_EXPECT_"))}

    # ---------------------------------------------------------------- local
    for p in files:  # page cache warm
        p.read_bytes()
    cpu0, t0 = children_cpu(), time.perf_counter()
    subprocess.run(
        [HLSP, "validate", str(folder), "--no-cache", "--format", "json", "-o", os.devnull], env=env0, check=False
    )
    wall = time.perf_counter() - t0
    results["local"] = {"wall_s": wall, "per_s": n / wall, "cpu_s_per_file": (children_cpu() - cpu0) / n}

    port = free_port()
    with seaweedfs(
        {"WEED_NOTIFICATION_WEBHOOK_ENABLED": "true", "WEED_NOTIFICATION_WEBHOOK_ENDPOINT": f"http://127.0.0.1:{port}/"}
    ) as weed:
        env = env_for(weed.server)
        os.environ.update(weed.server.env())
        client = weed.server.client()

        # ------------------------------------------------------- per object
        from hlsp.engine import Options, validate_file
        from hlsp.events.core import process
        from hlsp.events.records import ObjectEvent
        from hlsp.events.store import Store

        options = Options()
        rules = options.rules()
        validate_file(str(files[0]), options, rules)  # warm: imports, profiles
        r0, c0 = rchar(), time.process_time()
        for p in files:
            validate_file(str(p), options, rules)
        local_cpu, local_read = (time.process_time() - c0) / n, (rchar() - r0) / n

        bucket = weed.server.new_bucket()
        upload_all(client, bucket, "up/", files)
        store = Store()
        process(ObjectEvent(bucket, "up/" + files[0].name), store)  # warm: client, connections
        header_bytes = [0]

        def count_headers(http_response=None, **_):
            if http_response is not None:
                header_bytes[0] += 17 + sum(len(k) + len(v) + 4 for k, v in http_response.headers.items())

        store.s3.meta.events.register("after-call.s3", count_headers)
        r0, c0, s0, t0 = rchar(), time.process_time(), proc_cpu(weed.proc.pid), time.perf_counter()
        requests = read = 0
        for p in files[1:]:
            out = process(ObjectEvent(bucket, "up/" + p.name), store)
            assert out.status == "validated", out
            requests += out.requests
            read += out.bytes_read
        m = n - 1
        wall = time.perf_counter() - t0
        results["per_object"] = {
            "local_cpu_s": local_cpu,
            "local_rchar": local_read,
            "events_cpu_s": (time.process_time() - c0) / m,
            "events_header_bytes": header_bytes[0] / m,
            "events_body_bytes": read / m,
            "requests": requests / m,
            "store_cpu_s": (proc_cpu(weed.proc.pid) - s0) / m,
            "one_process_per_s": m / wall,
            "report_bytes": client.head_object(Bucket=bucket, Key=out.line["report"].split("/", 3)[3])["ContentLength"],
        }

        # ----------------------------------------------------------- sweep
        bucket = weed.server.new_bucket()
        upload_all(client, bucket, "up/", files)
        cpu0, s0, t0 = children_cpu(), proc_cpu(weed.proc.pid), time.perf_counter()
        r = subprocess.run([HLSP, "watch", f"s3://{bucket}/up/", "--once"], env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t0
        assert r.returncode == 0 and len(r.stdout.splitlines()) == n, r.stderr[-2000:]
        results["sweep"] = {
            "wall_s": wall,
            "per_s": n / wall,
            "cpu_s_per_object": (children_cpu() - cpu0) / n,
            "store_cpu_s_per_object": (proc_cpu(weed.proc.pid) - s0) / n,
        }

        # ---------------------------------------------------------- upload
        bucket = weed.server.new_bucket()
        w = Watch([f"s3://{bucket}/up/", "--listen", f"127.0.0.1:{port}", "--interval", "3600"], env)
        try:
            w.listening()
            # the start sweep (an empty prefix) and the pool are ready once a first object came back
            client.put_object(Bucket=bucket, Key="up/" + files[0].name, Body=files[0].read_bytes())
            w.lines(1)
            t0 = time.perf_counter()
            uploader = threading.Thread(target=upload_all, args=(client, bucket, "up/", files[1:]))
            uploader.start()
            w.lines(n - 1)
            wall = time.perf_counter() - t0
            uploader.join()
            code, rest = w.stop()
        finally:
            w.kill()
        assert code == 0 and rest == []
        t0 = time.perf_counter()
        upload_all(client, weed.server.new_bucket(), "up/", files[1:])
        upload_only = time.perf_counter() - t0
        results["upload"] = {"wall_s": wall, "per_s": (n - 1) / wall, "upload_only_s": upload_only}

    print(json.dumps(results, indent=1))
    lo, po, sw, up = results["local"], results["per_object"], results["sweep"], results["upload"]
    print(
        f"\n{n} objects of {results['mean_size'] / 1024:.0f} KB on {results['cores']} cores\n"
        f"hlsp validate (local disk)      {lo['per_s']:8.0f} files/s   {lo['cpu_s_per_file'] * 1e3:6.2f} ms CPU/file\n"
        f"hlsp watch --once (sweep)       {sw['per_s']:8.0f} objects/s {sw['cpu_s_per_object'] * 1e3:6.2f} ms CPU/object + store {sw['store_cpu_s_per_object'] * 1e3:.2f} ms\n"
        f"hlsp watch, upload -> report    {up['per_s']:8.0f} objects/s (uploads alone: {(n - 1) / up['upload_only_s']:.0f}/s)\n"
        f"per object, one process: local {po['local_cpu_s'] * 1e3:.2f} ms CPU, {po['local_rchar'] / 1024:.1f} KiB read; "
        f"events {po['events_cpu_s'] * 1e3:.2f} ms CPU, {po['events_body_bytes'] / 1024:.1f} KiB of bodies "
        f"+ {po['events_header_bytes'] / 1024:.2f} KiB of response headers, {po['requests']:.1f} requests, "
        f"store {po['store_cpu_s'] * 1e3:.2f} ms CPU, report {po['report_bytes']} bytes"
    )
    import shutil

    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
