"""The pull request uses the verdicts: `hlsp validate` of a collection whose manifest
lists s3:// products reads their upload reports instead of downloading them
(real SeaweedFS; the reports written by hlsp.events)."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from events_support import EXAMPLE, IMG, read_json

from hlsp.engine import validate
from hlsp.events.core import expected_of_metadata, process
from hlsp.events.records import ObjectEvent, report_key
from hlsp.remote import RemoteOptions, cache_path


@pytest.fixture
def s3(s3_server, tmp_path, monkeypatch):
    for k, v in s3_server.env().items():  # the service's credentials (hlsp.events)
        monkeypatch.setenv(k, v)
    env = s3_server.env()  # ... and those hlsp validate reads contributor data with (hlsp.remote)
    monkeypatch.setenv("HLSP_S3_ENDPOINT", env["AWS_ENDPOINT_URL"])
    monkeypatch.setenv("HLSP_S3_ACCESS_KEY_ID", env["AWS_ACCESS_KEY_ID"])
    monkeypatch.setenv("HLSP_S3_SECRET_ACCESS_KEY", env["AWS_SECRET_ACCESS_KEY"])
    monkeypatch.setenv("HLSP_ALLOW_PRIVATE_URLS", "1")  # the store is on loopback
    monkeypatch.setenv("HLSP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HLSP_RETRIES", "0")
    for k in ("HLSP_EXPECT_PROJ_ID", "HLSP_EXPECT_VERSION"):
        monkeypatch.delenv(k, raising=False)
    return s3_server.client(), s3_server.new_bucket()


def remote_collection(tmp_path, client, bucket, data: bytes):
    """The example with its image uploaded to the store and listed by URL (the local copy deleted)."""
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root)
    key = f"uploads/{IMG}"
    client.put_object(Bucket=bucket, Key=key, Body=data)
    sha = hashlib.sha256(data).hexdigest()
    meta = root / "hlsp.yaml"
    text = meta.read_text()
    old = (EXAMPLE / IMG).read_bytes()
    text = text.replace(f"path: {IMG}", f'url: "s3://{bucket}/{key}"')
    text = text.replace(f"size: {len(old)}", f"size: {len(data)}").replace(hashlib.sha256(old).hexdigest(), sha)
    meta.write_text(text)
    (root / IMG).unlink()
    return root, key, sha


def product_findings(report, url: str) -> list[tuple]:
    [result] = [r for r in report.files if r.path == url]
    return sorted((f.rule, f.severity.value, f.hdu, f.keyword, f.message) for f in result.findings)


def downloaded(sha: str) -> bool:
    return cache_path(sha, RemoteOptions.from_env()).parent.is_dir()


def test_validate_reads_the_current_report_instead_of_downloading(tmp_path, s3, run_cli):
    client, bucket = s3
    good = (EXAMPLE / IMG).read_bytes()
    data = good[:12000] + bytes([good[12000] ^ 0xFF]) + good[12001:]  # checksum errors: a verdict worth reading
    root, key, sha = remote_collection(tmp_path, client, bucket, data)
    url = f"s3://{bucket}/{key}"

    before = validate(str(root), jobs=1)  # no report yet: downloaded and validated
    assert downloaded(sha)
    expected = product_findings(before, url)
    assert {r for r, sev, *_ in expected if sev == "error"} == {"CK001", "CK002"}
    shutil.rmtree(tmp_path / "cache")

    # the upload is validated as it lands, against the collection's hlsp.yaml (hlsp watch --metadata)
    out = process(ObjectEvent(bucket, key), expected=expected_of_metadata(str(root)))
    assert out.status == "validated"
    after = validate(str(root), jobs=1)
    assert not downloaded(sha)  # the report stood for the file
    assert product_findings(after, url) == expected
    assert [(p, f.rule) for p, f in after.findings() if p != url] == [
        (p, f.rule) for p, f in before.findings() if p != url
    ]

    r = run_cli("validate", str(root), "--format", "json", "--revalidate", "--no-cache")
    assert r.code == 1 and downloaded(sha)  # --revalidate: downloaded again, same verdict
    files = {f["path"]: f for f in json.loads(r.out)["files"]}
    assert (
        sorted((f["rule"], f["severity"], f["hdu"], f["keyword"], f["message"]) for f in files[url]["findings"])
        == expected
    )


def test_a_report_of_other_code_or_other_bytes_is_not_used(tmp_path, s3):
    client, bucket = s3
    data = (EXAMPLE / IMG).read_bytes()
    root, key, sha = remote_collection(tmp_path, client, bucket, data)
    process(ObjectEvent(bucket, key))  # without the collection's hlsp.yaml: its targets, DOI ... were not checked
    validate(str(root), jobs=1)
    assert downloaded(sha)
    shutil.rmtree(tmp_path / "cache")
    etag = client.head_object(Bucket=bucket, Key=key)["ETag"].strip('"')
    client.delete_object(Bucket=bucket, Key=report_key(key, etag))
    process(ObjectEvent(bucket, key), expected=expected_of_metadata(str(root)))
    doc = read_json(client, bucket, report_key(key, etag))
    doc["code"] = "0" * 64  # made by other rules
    client.put_object(Bucket=bucket, Key=report_key(key, etag), Body=json.dumps(doc).encode())
    validate(str(root), jobs=1)
    assert downloaded(sha)


def test_watch_with_metadata_makes_reports_the_pull_request_uses(tmp_path, s3, s3_server):
    import subprocess

    from events_support import HLSP, env_for

    client, bucket = s3
    data = (EXAMPLE / IMG).read_bytes()
    root, key, sha = remote_collection(tmp_path, client, bucket, data)
    env = env_for(s3_server, HLSP_ALLOW_PRIVATE_URLS="1", HLSP_CACHE_DIR=str(tmp_path / "cache"))
    r = subprocess.run(
        [HLSP, "watch", f"s3://{bucket}/uploads/", "--once", "--metadata", str(root)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    [line] = [json.loads(x) for x in r.stdout.splitlines()]
    assert read_json(client, bucket, line["report"].split("/", 3)[3])["expected"] == expected_of_metadata(str(root))
    report = validate(str(root), jobs=1)
    assert not downloaded(sha) and product_findings(report, f"s3://{bucket}/{key}") == []
    bad = subprocess.run(
        [HLSP, "watch", f"s3://{bucket}/uploads/", "--once", "--metadata", str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert bad.returncode == 2 and "hlsp.yaml" in bad.stderr and "Traceback" not in bad.stderr
