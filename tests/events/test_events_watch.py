"""`hlsp watch` against real SeaweedFS servers whose filer posts its webhook.

Each test starts a SeaweedFS of its own (tests/servers.py ``seaweedfs``) with
``WEED_NOTIFICATION_WEBHOOK_ENABLED=true`` and the endpoint it needs, and runs
``hlsp watch`` as a real process.  Waits are on events (a line printed, a
notification received, a socket opened), never on the clock.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from events_support import (
    CAT,
    IMG,
    LC,
    Watch,
    children,
    connected_to,
    env_for,
    example_bytes,
    keys,
    read_json,
    reports,
    wait_for,
)
from servers import dask_local_cluster, free_port, seaweedfs

from hlsp.events.records import ObjectEvent, failed_key, from_seaweedfs, report_key


def webhook_env(port: int) -> dict[str, str]:
    return {
        "WEED_NOTIFICATION_WEBHOOK_ENABLED": "true",
        "WEED_NOTIFICATION_WEBHOOK_ENDPOINT": f"http://127.0.0.1:{port}/",
    }


def product(i: int) -> str:
    return f"hlsp_example_tess_ffi_tic{i:07d}_tess_v1_lc.fits"


def test_1000_concurrent_uploads_are_each_validated_exactly_once():
    """Webhook events and sweeps every 2 s both feed the watcher while the uploads
    run (each object is seen by both, some several times): one line, one report each."""
    port = free_port()
    with seaweedfs(webhook_env(port)) as weed:
        client, bucket = weed.server.client(), weed.server.new_bucket()
        w = Watch(
            [f"s3://{bucket}/up/", "--listen", f"127.0.0.1:{port}", "--jobs", "2", "--interval", "2"],
            env_for(weed.server),
        )
        try:
            assert w.listening() == f"http://127.0.0.1:{port}/"
            data = example_bytes(LC)
            names = [f"up/{product(i)}" for i in range(1000)]
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(lambda k: client.put_object(Bucket=bucket, Key=k, Body=data), names))
            lines = w.lines(1000)
            code, rest = w.stop()
        finally:
            w.kill()
        assert code == 0 and rest == [], w.drain_err()
        assert sorted(line["key"] for line in lines) == sorted(names)  # each once, none missing
        etag = client.head_object(Bucket=bucket, Key=names[0])["ETag"].strip('"')
        assert {(line["etag"], line["errors"]) for line in lines} == {(etag, lines[0]["errors"])}
        assert reports(client, bucket) == sorted(report_key(k, etag) for k in names)


def test_uploads_while_the_endpoint_is_down_are_caught_up_by_the_sweep():
    port = free_port()  # nothing listens there while the uploads happen: the webhook's events are lost
    with seaweedfs(webhook_env(port)) as weed:
        client, bucket = weed.server.client(), weed.server.new_bucket()
        env = env_for(weed.server)
        names = [f"up/{product(i)}" for i in range(40)]
        for k in names:
            client.put_object(Bucket=bucket, Key=k, Body=example_bytes(LC))
        client.put_object(Bucket=bucket, Key="up/README.txt", Body=b"not a product")
        client.put_object(Bucket=bucket, Key="other/" + product(1), Body=example_bytes(LC))  # outside the prefix
        import subprocess

        from events_support import HLSP

        first = subprocess.run(
            [HLSP, "watch", f"s3://{bucket}/up/", "--once", "--jobs", "2"],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert first.returncode == 0, first.stderr
        assert sorted(json.loads(x)["key"] for x in first.stdout.splitlines()) == names
        again = subprocess.run(
            [HLSP, "watch", f"s3://{bucket}/up/", "--once"], env=env, capture_output=True, text=True, timeout=600
        )
        assert (again.returncode, again.stdout) == (0, "")  # a sweep with nothing new prints nothing
        assert len(reports(client, bucket)) == 40 and reports(client, bucket, "other/") == []
        # the endpoint is back: the start sweep finds nothing new, the next uploads arrive by webhook --
        # a multipart one too, whose parts SeaweedFS announces as entries under .uploads/
        w = Watch([f"s3://{bucket}/up/", "--listen", f"127.0.0.1:{port}", "--interval", "3600"], env)
        try:
            w.listening()
            client.put_object(Bucket=bucket, Key=f"up/{product(99)}", Body=example_bytes(LC))
            [line] = w.lines(1)
            big = f"up/{product(98)}"
            data = example_bytes(LC) + bytes(2880 * 2000)  # > 5 MiB: two parts
            mp = client.create_multipart_upload(Bucket=bucket, Key=big)
            parts = []
            for n, (lo, hi) in enumerate([(0, 5 * 1024 * 1024), (5 * 1024 * 1024, len(data))], 1):
                r = client.upload_part(Bucket=bucket, Key=big, UploadId=mp["UploadId"], PartNumber=n, Body=data[lo:hi])
                parts.append({"PartNumber": n, "ETag": r["ETag"]})
            client.complete_multipart_upload(
                Bucket=bucket, Key=big, UploadId=mp["UploadId"], MultipartUpload={"Parts": parts}
            )
            [multipart] = w.lines(1)
            code, rest = w.stop()
        finally:
            w.kill()
        assert line["key"] == f"up/{product(99)}" and code == 0 and rest == []
        assert multipart["key"] == big and multipart["etag"].endswith("-2")


class _Capture:
    """An HTTP endpoint that keeps what SeaweedFS posts (to be forwarded when the test chooses)."""

    def __init__(self):
        self.got: queue.Queue = queue.Queue()
        got = self.got

        class H(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                got.put(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *a):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.port = self.server.server_address[1]

    def wait(self, bucket: str, key: str) -> bytes:
        while True:
            body = self.got.get(timeout=600)
            p = json.loads(body)
            if p.get("key") == f"/buckets/{bucket}/{key}" and p.get("event_type") in ("create", "update"):
                return body

    def close(self):
        self.server.shutdown()


def post(url: str, body: bytes) -> None:
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        assert r.status in (200, 204)


def test_a_worker_killed_mid_object_is_retried_and_the_object_validated_once():
    capture = _Capture()
    port = free_port()
    try:
        with seaweedfs(webhook_env(capture.port)) as weed:
            client, bucket = weed.server.client(), weed.server.new_bucket()
            w = Watch(
                [f"s3://{bucket}/up/", "--listen", f"127.0.0.1:{port}", "--jobs", "1", "--interval", "3600"],
                env_for(weed.server),
            )
            try:
                w.listening()
                key = f"up/{IMG}"
                etag = client.put_object(Bucket=bucket, Key=key, Body=example_bytes(IMG))["ETag"].strip('"')
                body = capture.wait(bucket, key)  # the real notification SeaweedFS sent
                assert from_seaweedfs(json.loads(body)) == ObjectEvent(
                    bucket, key, etag, len(example_bytes(IMG)), None, "seaweedfs"
                )
                # Freeze the store, deliver the notification: the worker connects and waits for an answer.
                os.kill(weed.proc.pid, signal.SIGSTOP)
                try:
                    post(f"http://127.0.0.1:{port}/", body)
                    s3_port = int(weed.server.endpoint.rsplit(":", 1)[1])
                    worker = wait_for(
                        lambda: next((c for c in children(w.proc.pid) if connected_to(c, s3_port)), None),
                        "a worker talking to the store",
                    )
                    os.kill(worker, signal.SIGKILL)  # killed in the middle of the object
                finally:
                    os.kill(weed.proc.pid, signal.SIGCONT)
                [line] = w.lines(1)
                code, rest = w.stop()
            finally:
                w.kill()
            assert (line["key"], line["etag"], line["errors"]) == (key, etag, 0)
            assert code == 0 and rest == [], w.drain_err()
            retries = [json.loads(x) for x in w.drain_err() if '"retry"' in x]
            assert [(x["key"], x["reason"]) for x in retries] == [(key, "the worker process died while processing it")]
            assert reports(client, bucket) == [report_key(key, etag)]
    finally:
        capture.close()


def test_an_object_the_store_refuses_is_dead_lettered_not_dropped():
    import subprocess

    from events_support import HLSP

    with seaweedfs() as weed:
        client, bucket = weed.server.client(), weed.server.new_bucket()
        secret = f"up/{CAT}"
        # SSE-C: readable only with the uploader's key -- the store refuses us (HTTP 400)
        etag = client.put_object(
            Bucket=bucket,
            Key=secret,
            Body=example_bytes(CAT),
            SSECustomerAlgorithm="AES256",
            SSECustomerKey=os.urandom(32),
        )["ETag"].strip('"')
        client.put_object(Bucket=bucket, Key=f"up/{IMG}", Body=example_bytes(IMG))
        args = [HLSP, "watch", f"s3://{bucket}/up/", "--once", "--retries", "1"]
        r = subprocess.run(args, env=env_for(weed.server), capture_output=True, text=True, timeout=600)
        assert r.returncode == 1
        assert [json.loads(x)["key"] for x in r.stdout.splitlines()] == [f"up/{IMG}"]
        logged = [json.loads(x) for x in r.stderr.splitlines()]
        assert [(x["key"], x["retry"]) for x in logged if "retry" in x] == [(secret, 1)]
        [dead] = [x for x in logged if "failed" in x]
        assert dead["key"] == secret and dead["attempts"] == 2 and "refuses" in dead["failed"]
        record = read_json(client, bucket, failed_key(secret, etag))
        assert record["reason"] == dead["failed"] and dead["record"] == f"s3://{bucket}/{failed_key(secret, etag)}"
        # not dropped: the next sweep tries it again (and says so again)
        again = subprocess.run(args, env=env_for(weed.server), capture_output=True, text=True, timeout=600)
        assert (again.returncode, again.stdout) == (1, "") and secret in again.stderr
        assert report_key(secret, etag) not in keys(client, bucket)


def test_dask_scheduler_validates_the_same_way(monkeypatch):
    import subprocess

    pytest.importorskip("distributed")
    from events_support import HLSP

    with seaweedfs() as weed:
        for k, v in weed.server.env().items():  # the cluster's workers read the store with these
            monkeypatch.setenv(k, v)
        cluster = dask_local_cluster()
        client, bucket = weed.server.client(), weed.server.new_bucket()
        names = [f"up/{product(i)}" for i in range(40)]  # more than one task's worth (watch.DASK_BATCH)
        for k in names:
            client.put_object(Bucket=bucket, Key=k, Body=example_bytes(LC))
        refused = f"up/{product(999)}"  # in a task with others: its failure is its own
        client.put_object(
            Bucket=bucket,
            Key=refused,
            Body=example_bytes(LC),
            SSECustomerAlgorithm="AES256",
            SSECustomerKey=os.urandom(32),
        )
        args = [
            HLSP,
            "watch",
            f"s3://{bucket}/up/",
            "--once",
            "--retries",
            "1",
            "--scheduler",
            cluster.scheduler_address,
        ]
        try:
            r = subprocess.run(args, env=env_for(weed.server), capture_output=True, text=True, timeout=600)
        finally:
            cluster.close()
        assert r.returncode == 1, r.stderr
        assert sorted(json.loads(x)["key"] for x in r.stdout.splitlines()) == names
        assert [x["key"] for x in map(json.loads, r.stderr.splitlines()) if "failed" in x] == [refused]
        assert len(reports(client, bucket)) == 40


def test_usage_errors_exit_2_with_one_line(s3_server, monkeypatch, run_cli):
    for k, v in s3_server.env().items():
        monkeypatch.setenv(k, v)
    r = run_cli("watch", "/local/folder", "--once")
    assert r.code == 2 and "s3://BUCKET/PREFIX" in r.err and len(r.err.strip().splitlines()) == 1
    r = run_cli("watch", "s3://no-such-bucket-here/up/", "--once")
    assert r.code == 2 and "cannot list s3://no-such-bucket-here/up/" in r.err and "Traceback" not in r.err
    r = run_cli("watch", f"s3://{s3_server.new_bucket()}/up/", "--once", "--listen", "nowhere")
    assert r.code == 2 and "HOST:PORT" in r.err
