"""hlsp stage to a real S3-compatible server (SeaweedFS on 127.0.0.1, started by the s3_server fixture)."""

from __future__ import annotations

import hashlib
import json
import os
import signal

import pytest
from stage_support import CAT, IMG, PRODUCTS, copy_example, enlarge_image, run_until_paused

from hlsp.stage import stage
from hlsp.stage.ingest_check import ingest_check


@pytest.fixture
def s3(s3_server, monkeypatch):
    """A fresh bucket, with the AWS_* environment pointing at the server."""
    for k, v in s3_server.env().items():
        monkeypatch.setenv(k, v)
    return s3_server, s3_server.new_bucket()


@pytest.fixture
def collection(tmp_path):
    return copy_example(tmp_path / "src")


def keys(client, bucket: str, prefix: str = "") -> list[str]:
    return sorted(o["Key"] for o in client.list_objects_v2(Bucket=bucket, Prefix=prefix).get("Contents", []))


def test_stage_to_s3_uploads_verified_objects_and_ingest_check_passes(s3, collection, tmp_path, run_cli):
    server, bucket = s3
    catalog = f"sqlite:///{tmp_path / 'catalog.sqlite'}"
    r = run_cli("stage", collection, "--to", f"s3://{bucket}/archive", "--catalog", catalog)
    assert r.code == 0, r
    client = server.client()
    staged = keys(client, bucket)
    assert staged[-1] == "archive/example/v1/manifest.json" and "archive/example/v1/READY" in staged
    for name in PRODUCTS:
        body = client.get_object(Bucket=bucket, Key=f"archive/example/v1/{name}")["Body"].read()
        assert body == (collection / name).read_bytes()
    doc = json.loads(client.get_object(Bucket=bucket, Key="archive/example/v1/manifest.json")["Body"].read())
    img = next(f for f in doc["files"] if f["file"] == IMG)
    assert img["obscore"]["access_url"] == f"s3://{bucket}/archive/example/v1/{IMG}"

    r = run_cli("ingest-check", f"s3://{bucket}/archive/example/v1", "--catalog", catalog)
    assert r.code == 0, r
    r = run_cli("stage", collection, "--to", f"s3://{bucket}/archive", "--catalog", catalog)
    assert r.code == 0 and "nothing changed" in r.out
    assert keys(client, bucket) == staged


def test_ingest_check_on_s3_finds_a_replaced_object(s3, collection, tmp_path):
    server, bucket = s3
    catalog = f"sqlite:///{tmp_path / 'catalog.sqlite'}"
    stage(collection, f"s3://{bucket}", catalog=catalog)
    server.client().put_object(Bucket=bucket, Key=f"example/v1/{CAT}", Body=b"not the catalog")
    result = ingest_check(f"s3://{bucket}/example/v1", catalog=catalog)
    assert [p.file for p in result.problems] == [CAT]


def test_wrong_s3_secret_is_a_one_line_error(s3, collection, tmp_path, monkeypatch, run_cli):
    server, bucket = s3
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wrong-secret")
    r = run_cli("stage", collection, "--to", f"s3://{bucket}/x", "--catalog", f"sqlite:///{tmp_path / 'c.sqlite'}")
    assert r.code == 2, r
    assert len(r.err.strip().splitlines()) == 1 and "secret key is wrong" in r.err and "Traceback" not in r.err
    assert keys(server.client(), bucket) == []


def test_missing_bucket_and_missing_catalog_option_are_one_line_errors(s3, collection, run_cli):
    r = run_cli("stage", collection, "--to", "s3://no-such-bucket-here/x", "--catalog", "sqlite:///c.sqlite")
    assert r.code == 2 and "bucket does not exist" in r.err
    _, bucket = s3
    r = run_cli("stage", collection, "--to", f"s3://{bucket}")
    assert r.code == 2 and "needs --catalog" in r.err


PAUSE_IN_UPLOAD = """
import sys, time
from hlsp.stage import stage, targets

targets.S3_PART_SIZE = 5 * 1024 * 1024  # the S3 minimum, so a 12 MB file is a multipart upload
send = targets.S3Upload._send_part

def send_then_pause(self, body):
    send(self, body)
    if self.key.endswith(sys.argv[3]):
        print("PARTIAL", self.upload_id, flush=True)
        time.sleep(600)

targets.S3Upload._send_part = send_then_pause
stage(sys.argv[1], sys.argv[2], catalog=sys.argv[4])
"""


def test_a_process_killed_mid_upload_leaves_no_visible_object_and_a_rerun_completes(s3, collection, tmp_path):
    server, bucket = s3
    enlarge_image(collection, 12)
    catalog = f"sqlite:///{tmp_path / 'catalog.sqlite'}"
    dest = f"s3://{bucket}/a"
    proc, upload_id = run_until_paused(PAUSE_IN_UPLOAD, [collection, dest, IMG, catalog], env={**os.environ})
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    client = server.client()
    staged = keys(client, bucket)
    assert f"a/example/v1/{IMG}" not in staged and "a/example/v1/READY" not in staged
    pending = client.list_multipart_uploads(Bucket=bucket).get("Uploads", [])
    assert [u["UploadId"] for u in pending] == [upload_id]  # the partial upload exists, invisible

    result = stage(collection, dest, catalog=catalog)
    assert result.partials_removed == 1 and result.files[IMG] == "copied"
    assert client.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    body = client.get_object(Bucket=bucket, Key=f"a/example/v1/{IMG}")["Body"].read()
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256((collection / IMG).read_bytes()).hexdigest()
    assert ingest_check(f"{dest}/example/v1", catalog=catalog).ok
