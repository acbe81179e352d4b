"""Issue 17, item 3: remote downloads are bounded in bytes and time, and leave no temporary files.

Against a real HTTP server on 127.0.0.1 (pytest-httpserver), including one
that drips a byte at a time.  No assertion is about elapsed time: a dripping
download that the deadline did not stop would end with a size mismatch instead
of the deadline error, and the test would fail, not hang.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from werkzeug import Response

from hlsp.remote import DeadlineError, RemoteError, RemoteOptions, fetch, measure_url

DATA = bytes(range(256)) * 90  # 23 KB, like the issue's
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def remote_env(tmp_path, monkeypatch):
    monkeypatch.setenv("HLSP_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("HLSP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HLSP_RETRIES", "0")
    monkeypatch.setenv("HLSP_TIMEOUT", "5")
    return tmp_path / "cache"


def leftovers(cache) -> list[str]:
    return sorted(p.name for p in cache.rglob(".download.*")) if cache.exists() else []


def dripping(count: int, every: float, stop: threading.Event | None = None, sent: threading.Event | None = None):
    """A handler sending one byte of DATA every ``every`` seconds, ``count`` bytes at most
    (``sent`` is set once a few bytes are out)."""

    def handler(request):
        def body():
            for i in range(count):
                if stop is not None and stop.is_set():
                    return
                yield DATA[i : i + 1]
                if i == 3 and sent is not None:
                    sent.set()
                time.sleep(every)

        return Response(body(), content_type="application/octet-stream", direct_passthrough=True)

    return handler


def test_no_fetch_without_a_valid_size(remote_env, httpserver):
    httpserver.expect_request("/x.fits").respond_with_data(DATA)
    url = httpserver.url_for("/x.fits")
    for size in (None, -1, "23040", 1.5, True):
        with pytest.raises(RemoteError, match="no valid size"):
            fetch(url, size, SHA)
    assert httpserver.log == []  # nothing was requested


def test_a_size_above_the_cap_is_refused_before_any_request(remote_env, httpserver, monkeypatch):
    httpserver.expect_request("/x.fits").respond_with_data(DATA)
    url = httpserver.url_for("/x.fits")
    with pytest.raises(RemoteError, match=r"10000000000000 bytes, more than the 10737418240 .*HLSP_REMOTE_MAX_BYTES"):
        fetch(url, 10**13, SHA)  # a contributor-chosen size bounds nothing: the cap does
    monkeypatch.setenv("HLSP_REMOTE_MAX_BYTES", "1000")
    with pytest.raises(RemoteError, match="more than the 1000"):
        fetch(url, len(DATA), SHA)
    assert httpserver.log == []
    monkeypatch.setenv("HLSP_REMOTE_MAX_BYTES", str(len(DATA)))
    assert fetch(url, len(DATA), SHA).read_bytes() == DATA  # at the cap: fetched


def test_measuring_a_url_stops_at_the_absolute_cap(remote_env, httpserver, monkeypatch):
    httpserver.expect_request("/big").respond_with_data(DATA)
    monkeypatch.setenv("HLSP_REMOTE_MAX_BYTES", "4096")
    with pytest.raises(RemoteError, match="more than 4096 bytes.*transfer stopped"):
        measure_url(httpserver.url_for("/big"), RemoteOptions.from_env())
    assert leftovers(remote_env) == []


def test_a_dripping_server_is_cut_off_at_the_deadline(remote_env, httpserver, monkeypatch):
    """The attack: one byte at a time keeps a 23 KB download alive (here 0.05 s a byte: 19 minutes)."""
    stop = threading.Event()
    httpserver.expect_request("/drip").respond_with_handler(dripping(len(DATA), 0.05, stop))
    monkeypatch.setenv("HLSP_REMOTE_DEADLINE", "1")
    try:
        with pytest.raises(DeadlineError, match=r"not fetched within 1 seconds \(limit: HLSP_REMOTE_DEADLINE\)"):
            fetch(httpserver.url_for("/drip"), len(DATA), SHA)
    finally:
        stop.set()
    assert leftovers(remote_env) == []


def test_the_deadline_is_a_finding_in_validation(tmp_path, remote_env, httpserver, monkeypatch):
    from test_remote import IMG, remote_collection, findings_of

    stop = threading.Event()
    httpserver.expect_request(f"/{IMG}").respond_with_handler(dripping(len(DATA), 0.05, stop))
    monkeypatch.setenv("HLSP_REMOTE_DEADLINE", "1")
    url = httpserver.url_for(f"/{IMG}")
    try:
        got = findings_of(remote_collection(tmp_path, url))
    finally:
        stop.set()
    assert any(rule == "CO004" and "HLSP_REMOTE_DEADLINE" in msg for rule, msg in got), got


_FETCH = """
import sys
from hlsp.remote import fetch
fetch(sys.argv[1], int(sys.argv[2]), None)
"""


def test_a_download_killed_half_way_leaves_no_temporary_file_behind(remote_env, httpserver):
    """SIGKILL cannot be caught: the next fetch into the same cache removes what the dead process left."""
    stop, sent = threading.Event(), threading.Event()
    httpserver.expect_request("/drip").respond_with_handler(dripping(len(DATA), 0.05, stop, sent))
    httpserver.expect_request("/ok").respond_with_data(DATA)
    proc = subprocess.Popen(
        [sys.executable, "-c", _FETCH, httpserver.url_for("/drip"), str(len(DATA))], env=os.environ.copy()
    )
    try:
        while not [n for n in leftovers(remote_env) if n.startswith(f".download.{proc.pid}.")]:
            assert proc.poll() is None, "the download ended before it was killed"
            time.sleep(0.01)  # wait for the event: its temporary file exists
        assert sent.wait(120), "the server never sent the first bytes"  # the transfer is under way
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        stop.set()
        if proc.poll() is None:
            proc.kill()
    assert len(leftovers(remote_env)) == 1  # what the kill left ...
    alive = remote_env / ".download.1.keep"  # (a running process's download is not touched)
    alive.write_bytes(b"")
    assert fetch(httpserver.url_for("/ok"), len(DATA), SHA).read_bytes() == DATA
    assert leftovers(remote_env) == [alive.name]  # ... is gone after the next fetch


# ------------------------------------------- item 5: contributor s3:// URLs and the archive's keys
def test_a_contributors_s3_url_never_gets_the_archives_credentials(s3_server, remote_env, monkeypatch):
    """The attack: at stage time the environment holds the archive's AWS_* keys (stage.yml sets
    them for the destination); a contributor's s3:// URL pointing at a bucket those keys can
    read must be fetched anonymously, and so be refused, not read with them."""
    from hlsp.contribution import Product
    from hlsp.stage import StageRefused, _fetch

    bucket = s3_server.new_bucket()  # private: only the archive's keys read it
    s3_server.client().put_object(Bucket=bucket, Key="secret.fits", Body=DATA)
    for key, value in s3_server.env().items():  # exactly what stage.yml gives `hlsp stage`
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("HLSP_S3_ENDPOINT", s3_server.endpoint)  # the contributor's store is this server
    url = f"s3://{bucket}/secret.fits"
    with pytest.raises(RemoteError, match=r"access denied"):
        fetch(url, len(DATA), SHA)
    with pytest.raises(StageRefused, match=r"access denied"):
        _fetch(Product(0, url=url, size=len(DATA), sha256=SHA))
    # with credentials given for contributor products, and only then, it is read
    monkeypatch.setenv("HLSP_S3_ACCESS_KEY_ID", s3_server.access_key)
    monkeypatch.setenv("HLSP_S3_SECRET_ACCESS_KEY", s3_server.secret_key)
    assert fetch(url, len(DATA), SHA).read_bytes() == DATA


def test_the_archive_endpoint_is_not_the_contributors(s3_server, monkeypatch):
    """AWS_ENDPOINT_URL (the archive's) neither becomes the endpoint of contributor products
    nor is picked up by botocore behind our back."""
    from hlsp.remote import _filesystem

    for key, value in s3_server.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("HLSP_S3_ENDPOINT", raising=False)
    options = RemoteOptions.from_env()
    assert options.s3_endpoint is None and options.s3_key is None
    fs = _filesystem("s3://bucket/key", options)
    assert fs.anon is True
    assert fs.client_kwargs.get("endpoint_url") is None and "endpoint_url" not in fs.kwargs
    assert fs.config_kwargs["ignore_configured_endpoint_urls"] is True


# ------------------------------------------------------------------ item 11: DNS rebinding
def test_dns_rebinding_cannot_reach_a_local_address(tmp_path, monkeypatch):
    """The attack: the host resolves to a public address when the policy checks it, and to
    127.0.0.1 when the HTTP client resolves it again to connect.

    The one stand-in here is the DNS answer: ``socket.getaddrinfo`` is wrapped to
    answer like a rebinding DNS server (no DNS server can be pointed at from a test).
    The listening socket on 127.0.0.1 is real: it must never see a connection.
    """
    import socket

    monkeypatch.delenv("HLSP_ALLOW_PRIVATE_URLS", raising=False)
    monkeypatch.setenv("HLSP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HLSP_RETRIES", "0")
    monkeypatch.setenv("HLSP_TIMEOUT", "2")
    real = socket.getaddrinfo
    answers: list[str] = []

    def rebinding(host, port, *args, **kwargs):
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        address = "93.184.216.34" if not answers else "127.0.0.1"  # public first, then local
        answers.append(address)
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port or 443)))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with socket.socket() as local:
        local.bind(("127.0.0.1", 0))
        local.listen(4)
        local.setblocking(False)
        url = f"https://rebind.test:{local.getsockname()[1]}/x.fits"
        with pytest.raises(RemoteError, match=r"resolves to the private or local address 127\.0\.0\.1"):
            fetch(url, len(DATA), SHA)
        assert answers[:2] == ["93.184.216.34", "127.0.0.1"]  # checked once, resolved again to connect
        with pytest.raises(BlockingIOError):
            local.accept()  # nobody connected to the local address


def test_a_manifest_entry_without_size_is_a_finding_and_fetches_nothing(tmp_path, remote_env, httpserver):
    """The attack: a URL product without `size` was fetched with no limit (9.5 GB in 60 s)."""
    from contribution_support import edit
    from test_remote import DATA as IMG_DATA
    from test_remote import IMG, findings_of, remote_collection

    httpserver.expect_request(f"/{IMG}").respond_with_data(IMG_DATA)
    root = remote_collection(tmp_path, httpserver.url_for(f"/{IMG}"))
    edit(root / "hlsp.yaml", f"    size: {len(IMG_DATA)}\n", "")
    got = findings_of(root)
    assert any(rule == "CO004" and "no valid size" in msg for rule, msg in got), got
    assert httpserver.log == []
    assert leftovers(remote_env) == []
