"""Remote products over real servers on 127.0.0.1: HTTP (pytest-httpserver) and S3 (SeaweedFS).

Every test sets HLSP_ALLOW_PRIVATE_URLS=1 (the servers are on loopback, which
is refused by default) and its own HLSP_CACHE_DIR.
"""

from __future__ import annotations

import hashlib
import socket
import time

import pytest
from werkzeug import Response

from contribution_support import EXAMPLE, copy_example, edit
from hlsp import validate
from hlsp.remote import IntegrityError, RemoteError, RemoteOptions, cache_path, fetch, measure_url

IMG = "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"
DATA = (EXAMPLE / IMG).read_bytes()
SHA = hashlib.sha256(DATA).hexdigest()


@pytest.fixture
def remote_env(tmp_path, monkeypatch):
    monkeypatch.setenv("HLSP_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("HLSP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HLSP_RETRIES", "1")
    monkeypatch.setenv("HLSP_TIMEOUT", "5")
    return tmp_path / "cache"


def remote_collection(tmp_path, url: str, size: int = len(DATA), sha: str = SHA):
    """The example with its image moved to ``url`` (the local copy deleted)."""
    root = copy_example(tmp_path)
    meta = root / "hlsp.yaml"
    edit(meta, f"path: {IMG}", f'url: "{url}"')
    edit(meta, f"size: {len(DATA)}", f"size: {size}")
    edit(meta, f"sha256: {SHA}", f'sha256: "{sha}"')
    (root / IMG).unlink()
    return root


def findings_of(root):
    return [(f.rule, f.message) for _, f in validate([str(root)], jobs=1).findings()]


# ------------------------------------------------------------------------- https
def test_remote_product_validated_and_cached(tmp_path, remote_env, httpserver):
    httpserver.expect_request(f"/data/{IMG}").respond_with_data(DATA, content_type="application/fits")
    url = httpserver.url_for(f"/data/{IMG}")
    root = remote_collection(tmp_path, url)
    report = validate([str(root)], jobs=1)
    assert [(f.rule, f.message) for _, f in report.findings()] == []
    assert url in [r.path for r in report.files]  # the file-level result is named by its URL
    assert (remote_env / SHA[:2] / SHA / IMG).read_bytes() == DATA
    requests = len(httpserver.log)
    assert findings_of(root) == []
    assert len(httpserver.log) == requests  # second run: from the cache, no request


def test_wrong_sha256_is_a_finding_and_not_cached(tmp_path, remote_env, httpserver):
    httpserver.expect_request(f"/{IMG}").respond_with_data(DATA)
    url = httpserver.url_for(f"/{IMG}")
    wrong = "0" * 64
    got = findings_of(remote_collection(tmp_path, url, sha=wrong))
    assert ("CO006", f"{url}: sha256 is {SHA}, the manifest gives {wrong}") in got
    assert not remote_env.exists() or not any(p.is_file() and not p.name.startswith(".") for p in remote_env.rglob("*"))


def test_bigger_than_manifest_stops_transfer(tmp_path, remote_env, httpserver):
    httpserver.expect_request(f"/{IMG}").respond_with_data(DATA)
    url = httpserver.url_for(f"/{IMG}")
    got = findings_of(remote_collection(tmp_path, url, size=100))
    assert ("CO005", f"{url}: more than 100 bytes (transfer stopped), the manifest gives 100") in got


def test_smaller_than_manifest(tmp_path, remote_env, httpserver):
    httpserver.expect_request(f"/{IMG}").respond_with_data(DATA[:2880])
    url = httpserver.url_for(f"/{IMG}")
    got = findings_of(remote_collection(tmp_path, url))
    assert ("CO005", f"{url}: 2880 bytes, the manifest gives {len(DATA)}") in got


def test_not_found(tmp_path, remote_env, httpserver):
    url = httpserver.url_for(f"/gone/{IMG}")
    httpserver.expect_request(f"/gone/{IMG}").respond_with_data("gone", status=404)
    got = findings_of(remote_collection(tmp_path, url))
    assert ("CO004", f"cannot fetch {url}: not found (HTTP 404 or no such key)") in got


def test_transient_error_is_retried(tmp_path, remote_env, httpserver):
    calls = []

    def flaky(request):
        calls.append(1)
        return Response("busy", status=503) if len(calls) == 1 else Response(DATA)

    httpserver.expect_request(f"/{IMG}").respond_with_handler(flaky)
    path = fetch(httpserver.url_for(f"/{IMG}"), len(DATA), SHA, RemoteOptions.from_env(), name=IMG)
    assert path.read_bytes() == DATA and len(calls) == 2


def test_server_that_never_answers_times_out(tmp_path, monkeypatch, remote_env):
    """A real listening socket that accepts connections and never responds."""
    monkeypatch.setenv("HLSP_TIMEOUT", "0.5")
    monkeypatch.setenv("HLSP_RETRIES", "0")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/{IMG}"
        started = time.monotonic()
        got = findings_of(remote_collection(tmp_path, url))
        elapsed = time.monotonic() - started
    assert ("CO004", f"cannot fetch {url}: timed out") in got
    assert elapsed < 30  # bounded by the timeout, not a hang


def test_manifest_measures_urls(tmp_path, remote_env, httpserver, run_cli):
    httpserver.expect_request(f"/{IMG}").respond_with_data(DATA)
    url = httpserver.url_for(f"/{IMG}")
    root = remote_collection(tmp_path, url, size=1, sha="f" * 64)
    r = run_cli("manifest", root)
    assert r.code == 0 and f"updated: {url}" in r.out
    assert findings_of(root) == []


def test_manifest_keeps_unreachable_entries(tmp_path, remote_env, httpserver, run_cli):
    httpserver.expect_request("/x").respond_with_data("no", status=404)
    url = httpserver.url_for(f"/missing/{IMG}")
    root = remote_collection(tmp_path, url)
    before = (root / "hlsp.yaml").read_text()
    r = run_cli("manifest", root)
    assert r.code == 0 and f"unreachable (entry kept as it was): cannot fetch {url}" in r.out
    assert (root / "hlsp.yaml").read_text() == before


def test_policy_applies_before_any_request(tmp_path, httpserver, monkeypatch):
    monkeypatch.delenv("HLSP_ALLOW_PRIVATE_URLS", raising=False)
    monkeypatch.setenv("HLSP_CACHE_DIR", str(tmp_path / "cache"))
    httpserver.expect_request(f"/{IMG}").respond_with_data(DATA)
    url = httpserver.url_for(f"/{IMG}")
    got = findings_of(remote_collection(tmp_path, url))
    assert any(rule == "CO003" and "plain http:// is not allowed" in m for rule, m in got)
    assert len(httpserver.log) == 0
    with pytest.raises(RemoteError, match="plain http://"):
        measure_url(url)


def test_damaged_cache_entry_is_fetched_again(tmp_path, remote_env, httpserver):
    httpserver.expect_request(f"/{IMG}").respond_with_data(DATA)
    url = httpserver.url_for(f"/{IMG}")
    options = RemoteOptions.from_env()
    path = fetch(url, len(DATA), SHA, options, name=IMG)
    path.write_bytes(b"damaged" + DATA[7:])
    again = fetch(url, len(DATA), SHA, options, name=IMG)
    assert again.read_bytes() == DATA and len(httpserver.log) == 2
    assert again == cache_path(SHA, options, IMG)


def test_integrity_error_reports_actual_values(tmp_path, remote_env, httpserver):
    httpserver.expect_request("/f").respond_with_data(b"abc")
    with pytest.raises(IntegrityError) as info:
        fetch(httpserver.url_for("/f"), 3, "0" * 64)
    assert info.value.size == 3 and info.value.sha256 == hashlib.sha256(b"abc").hexdigest()


# ---------------------------------------------------------------------------- s3
@pytest.fixture
def s3_env(s3_server, remote_env, monkeypatch):
    """Contributor products on the S3 server, with the credentials meant for them (HLSP_S3_*)."""
    env = s3_server.env()
    monkeypatch.setenv("HLSP_S3_ENDPOINT", env["AWS_ENDPOINT_URL"])
    monkeypatch.setenv("HLSP_S3_ACCESS_KEY_ID", env["AWS_ACCESS_KEY_ID"])
    monkeypatch.setenv("HLSP_S3_SECRET_ACCESS_KEY", env["AWS_SECRET_ACCESS_KEY"])
    for key in ("AWS_DEFAULT_REGION", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"):
        monkeypatch.setenv(key, env[key])
    return s3_server


def test_s3_product_validated(tmp_path, s3_env):
    bucket = s3_env.new_bucket()
    s3_env.client().put_object(Bucket=bucket, Key=f"hlsp/{IMG}", Body=DATA)
    url = f"s3://{bucket}/hlsp/{IMG}"
    report = validate([str(remote_collection(tmp_path, url))], jobs=1)
    assert [(f.rule, f.message) for _, f in report.findings()] == []
    assert url in [r.path for r in report.files]


def test_s3_missing_key_and_wrong_secret(tmp_path, s3_env, monkeypatch):
    bucket = s3_env.new_bucket()
    s3_env.client().put_object(Bucket=bucket, Key=IMG, Body=DATA)
    missing = f"s3://{bucket}/nothing/{IMG}"
    got = findings_of(remote_collection(tmp_path / "a", missing))
    assert ("CO004", f"cannot fetch {missing}: not found (HTTP 404 or no such key)") in got
    monkeypatch.setenv("HLSP_S3_SECRET_ACCESS_KEY", "not-the-secret")
    url = f"s3://{bucket}/{IMG}"
    got = findings_of(remote_collection(tmp_path / "b", url))
    assert (
        "CO004",
        f"cannot fetch {url}: access denied (HTTP 403: the file is private, or the credentials are wrong)",
    ) in got


def test_redirects_are_followed_only_where_the_policy_allows(tmp_path, remote_env, httpserver):
    httpserver.expect_request("/old").respond_with_data("", status=302, headers={"Location": f"/new/{IMG}"})
    httpserver.expect_request(f"/new/{IMG}").respond_with_data(DATA)
    assert fetch(httpserver.url_for("/old"), len(DATA), SHA, RemoteOptions.from_env(), name=IMG).read_bytes() == DATA
    httpserver.expect_request("/sneaky").respond_with_data("", status=301, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(
        RemoteError, match="redirected to file:///etc/passwd, which is refused: file:// URLs are not allowed"
    ):
        fetch(httpserver.url_for("/sneaky"), 10, None, RemoteOptions.from_env())
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    with pytest.raises(RemoteError, match="more than 5 redirects"):
        fetch(httpserver.url_for("/loop"), 10, None, RemoteOptions.from_env())


def test_a_sha256_that_is_not_hex_never_names_a_folder(tmp_path, remote_env, httpserver):
    """A manifest's sha256 keys the cache: '../..' in it must not reach (and clean) other folders."""
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep me")
    httpserver.expect_request(f"/{IMG}").respond_with_data(DATA)
    url = httpserver.url_for(f"/{IMG}")
    options = RemoteOptions.from_env()
    evil = "../../victim"
    with pytest.raises(RemoteError, match="not a sha256"):
        fetch(url, len(DATA), evil, options, name=IMG)
    assert (victim / "precious.txt").read_text() == "keep me"
    assert len(httpserver.log) == 0, "refused before any request"
