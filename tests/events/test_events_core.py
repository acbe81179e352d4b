"""hlsp.events core and Lambda handler against a real S3 server (SeaweedFS, the s3_server fixture)."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tracemalloc
from pathlib import Path

import jsonschema
import pytest
from events_support import CAT, IMG, LC, example_bytes, keys, local_findings, read_json, reports
from events_support import EXAMPLE as EXAMPLE_DIR

from hlsp.events import EventFailed, handle, lambda_handler
from hlsp.events.core import process, verdict_for
from hlsp.events.records import ObjectEvent, report_key
from hlsp.events.store import Store, StoreError

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "validators" / "schemas" / "report.schema.json").read_text())


@pytest.fixture
def s3(s3_server, monkeypatch):
    for k, v in s3_server.env().items():  # the service's credentials (hlsp.events)
        monkeypatch.setenv(k, v)
    env = s3_server.env()  # ... and those hlsp validate reads contributor data with (hlsp.remote)
    monkeypatch.setenv("HLSP_S3_ENDPOINT", env["AWS_ENDPOINT_URL"])
    monkeypatch.setenv("HLSP_S3_ACCESS_KEY_ID", env["AWS_ACCESS_KEY_ID"])
    monkeypatch.setenv("HLSP_S3_SECRET_ACCESS_KEY", env["AWS_SECRET_ACCESS_KEY"])
    for k in ("HLSP_EXPECT", "HLSP_EXPECT_PROJ_ID", "HLSP_EXPECT_VERSION"):
        monkeypatch.delenv(k, raising=False)
    return s3_server.client(), s3_server.new_bucket()


def s3_event(bucket: str, *keys_: str, etags: dict | None = None) -> dict:
    """An S3 notification as AWS sends it: keys URL-encoded (space as +)."""
    from urllib.parse import quote_plus

    return {
        "Records": [
            {
                "eventSource": "aws:s3",
                "eventName": "ObjectCreated:Put",
                "s3": {
                    "bucket": {"name": bucket},
                    "object": {"key": quote_plus(k, safe="/"), **({"eTag": etags[k]} if etags and k in etags else {})},
                },
            }
            for k in keys_
        ]
    }


def sqs_batch(*events: dict) -> dict:
    return {
        "Records": [
            {"messageId": f"m{i}", "eventSource": "aws:sqs", "body": json.dumps(e)} for i, e in enumerate(events)
        ]
    }


def put(client, bucket, key, data, **kw) -> str:
    return client.put_object(Bucket=bucket, Key=key, Body=data, **kw)["ETag"].strip('"')


def test_report_beside_the_object_has_the_verdict_of_hlsp_validate(s3, tmp_path):
    client, bucket = s3
    data = example_bytes(IMG)
    key = f"uploads/run 1/{IMG}"  # a space: URL-encoded as + in the event
    etag = put(client, bucket, key, data)
    out = handle(s3_event(bucket, key))
    assert out["batchItemFailures"] == []
    [line] = out["results"]
    rkey = report_key(key, etag)
    assert line == {"key": key, "etag": etag, "errors": 0, "warnings": 0, "report": f"s3://{bucket}/{rkey}"}
    doc = read_json(client, bucket, rkey)
    assert (doc["bucket"], doc["key"], doc["etag"], doc["size"]) == (bucket, key, etag, len(data))
    assert doc["sha256"] == hashlib.sha256(data).hexdigest()
    jsonschema.validate(doc["report"], SCHEMA)
    assert doc["report"]["files"][0]["path"] == f"s3://{bucket}/{key}"
    assert doc["report"]["files"][0]["findings"] == local_findings(tmp_path, IMG, data)


@pytest.mark.parametrize(
    "name,damage,rules",
    [
        (IMG, lambda d: d[:15000], {"FS002"}),  # truncated upload
        (IMG, lambda d: d[:12000] + bytes([d[12000] ^ 0xFF]) + d[12001:], {"CK001", "CK002"}),  # corrupted
        (LC, lambda d: gzip.compress(d), set()),  # compressed: streamed through gzip, same verdict
    ],
    ids=["truncated", "corrupted", "gzip"],
)
def test_damaged_uploads_get_the_findings_of_local_validation(s3, tmp_path, name, damage, rules):
    client, bucket = s3
    data = damage(example_bytes(name))
    key = f"up/{name}" + (".gz" if data[:2] == b"\x1f\x8b" else "")
    put(client, bucket, key, data)
    out = process(ObjectEvent(bucket, key))
    assert out.status == "validated"
    doc = read_json(client, bucket, out.line["report"].split("/", 3)[3])
    findings = doc["report"]["files"][0]["findings"]
    assert {f["rule"] for f in findings if f["severity"] == "error"} >= rules
    assert findings == local_findings(tmp_path, key.rsplit("/", 1)[1], data)
    assert doc["sha256"] == hashlib.sha256(data).hexdigest() and doc["size"] == len(data)
    assert out.line["errors"] == sum(f["severity"] == "error" for f in findings)


def test_the_same_event_twice_does_nothing_the_second_time(s3):
    client, bucket = s3
    key = f"up/{CAT}"
    put(client, bucket, key, example_bytes(CAT))
    event = s3_event(bucket, key)
    first = handle(event)
    before = {k: client.head_object(Bucket=bucket, Key=k)["ETag"] for k in keys(client, bucket)}
    second = handle(event)
    assert len(first["results"]) == 1 and second == {"batchItemFailures": [], "results": []}
    assert {k: client.head_object(Bucket=bucket, Key=k)["ETag"] for k in keys(client, bucket)} == before
    assert process(ObjectEvent(bucket, key)).status == "done-before"


def test_overwrite_gets_a_new_verdict_and_the_stale_event_is_superseded(s3):
    client, bucket = s3
    key = f"up/{IMG}"
    good = example_bytes(IMG)
    old = put(client, bucket, key, good)
    bad = good[:12000] + bytes([good[12000] ^ 0xFF]) + good[12001:]
    new = put(client, bucket, key, bad)
    assert new != old
    # The event of the first upload arrives late (events arrive out of order):
    # its version is gone, so nothing is validated or written for it.
    late = process(ObjectEvent(bucket, key, old))
    assert late.status == "superseded" and reports(client, bucket) == []
    now = handle(s3_event(bucket, key, etags={key: f'"{new}"'}))["results"]
    assert [(r["etag"], r["errors"]) for r in now] == [(new, 2)]
    # the good version again: a third ETag?  No -- same bytes, same ETag as the first, a new verdict for it
    again = put(client, bucket, key, good)
    assert again == old
    assert [(r["etag"], r["errors"]) for r in handle(s3_event(bucket, key))["results"]] == [(old, 0)]
    assert reports(client, bucket) == sorted([report_key(key, old), report_key(key, new)])


def test_what_is_not_a_product_is_ignored(s3):
    client, bucket = s3
    put(client, bucket, "up/notes.txt", b"hello")
    put(client, bucket, "up/folder/", b"")
    etag = put(client, bucket, f"up/{CAT}", example_bytes(CAT))
    own = report_key(f"up/{CAT}", etag)
    put(client, bucket, own, b"{}")
    event = s3_event(bucket, "up/notes.txt", "up/folder/", own)
    event["Records"].append(
        {"eventName": "ObjectRemoved:Delete", "s3": {"bucket": {"name": bucket}, "object": {"key": "up/x.fits"}}}
    )
    assert handle(event) == {"batchItemFailures": [], "results": []}
    assert handle({"Service": "Amazon S3", "Event": "s3:TestEvent", "Bucket": bucket}) == {
        "batchItemFailures": [],
        "results": [],
    }
    assert keys(client, bucket) == sorted(["up/notes.txt", "up/folder/", f"up/{CAT}", own])


def test_multipart_upload_is_validated_once_when_complete(s3, tmp_path):
    client, bucket = s3
    key = f"up/{IMG}"
    data = example_bytes(IMG)
    big = data + bytes(2880 * 2000)  # > 5 MiB: two parts (trailing zeros: a finding, the same as locally)
    mp = client.create_multipart_upload(Bucket=bucket, Key=key)
    parts = []
    for n, (lo, hi) in enumerate([(0, 5 * 1024 * 1024), (5 * 1024 * 1024, len(big))], 1):
        r = client.upload_part(Bucket=bucket, Key=key, UploadId=mp["UploadId"], PartNumber=n, Body=big[lo:hi])
        parts.append({"PartNumber": n, "ETag": r["ETag"]})
    # before completion there is nothing to validate
    assert process(ObjectEvent(bucket, key)).status == "superseded"
    client.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=mp["UploadId"], MultipartUpload={"Parts": parts})
    out = handle(s3_event(bucket, key))["results"]
    assert len(out) == 1 and out[0]["etag"].endswith("-2")
    doc = read_json(client, bucket, out[0]["report"].split("/", 3)[3])
    assert doc["report"]["files"][0]["findings"] == local_findings(tmp_path, IMG, big)
    assert handle(s3_event(bucket, key))["results"] == []


def test_a_big_object_is_streamed_not_held_in_memory(s3):
    client, bucket = s3
    import numpy as np

    from fitsgen import hdu_bytes, primary_cards

    n = 3000
    data = np.ones((n, n), ">f4").tobytes()  # 36 MB
    key = "up/hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"
    put(client, bucket, key, hdu_bytes(primary_cards(-32, [n, n]), data))
    del data
    tracemalloc.start()
    try:
        out = process(ObjectEvent(bucket, key))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert out.status == "validated" and out.bytes_read > 36_000_000
    assert peak < 12 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB for a 36 MB object"


def test_an_object_the_store_refuses_to_serve_fails_and_is_handed_back(s3):
    client, bucket = s3
    key = f"up/{CAT}"
    # SSE-C: the store keeps it encrypted with the uploader's key and refuses
    # every read without it (HTTP 400) -- a real refusal by a real store.
    put(client, bucket, key, example_bytes(CAT), SSECustomerAlgorithm="AES256", SSECustomerKey=os.urandom(32))
    good = f"up/{IMG}"
    put(client, bucket, good, example_bytes(IMG))
    with pytest.raises(StoreError, match="refuses to .* HTTP 400"):
        process(ObjectEvent(bucket, key))
    # through SQS: only the failed message comes back, the other is done
    out = handle(sqs_batch(s3_event(bucket, key), s3_event(bucket, good)))
    assert out["batchItemFailures"] == [{"itemIdentifier": "m0"}]
    assert [r["key"] for r in out["results"]] == [good]
    # directly from S3: the invocation fails, so that Lambda retries it
    with pytest.raises(EventFailed, match="refuses to"):
        lambda_handler(s3_event(bucket, key), None)
    assert reports(client, bucket) == [report_key(good, client.head_object(Bucket=bucket, Key=good)["ETag"].strip('"'))]


class _Context:
    def __init__(self, ms: int):
        self.ms = ms

    def get_remaining_time_in_millis(self) -> int:
        return self.ms


def test_records_are_handed_back_when_the_invocation_runs_out_of_time(s3):
    client, bucket = s3
    key = f"up/{CAT}"
    put(client, bucket, key, example_bytes(CAT))
    batch = sqs_batch(s3_event(bucket, key))
    assert lambda_handler(batch, _Context(3_000)) == {"batchItemFailures": [{"itemIdentifier": "m0"}], "results": []}
    assert reports(client, bucket) == []
    assert len(lambda_handler(batch, _Context(600_000))["results"]) == 1


def test_verdict_for_reads_only_a_current_matching_report(s3, monkeypatch):
    client, bucket = s3
    key = f"up/{CAT}"
    data = example_bytes(CAT)
    put(client, bucket, key, data)
    url, sha = f"s3://{bucket}/{key}", hashlib.sha256(data).hexdigest()
    assert verdict_for(url, len(data), sha) is None  # no report yet
    process(ObjectEvent(bucket, key))
    findings, size, headers = verdict_for(url, len(data), sha)
    assert (findings, size) == ([], len(data))
    # the headers it kept are those the reader gives for the file (CO015 compares them with hlsp.yaml)
    from hlsp.fits import read_fits

    local = read_fits(EXAMPLE_DIR / CAT, scan_data=False)
    assert [(i, [c.raw for c in h.cards]) for i, h in headers] == [
        (h.index, [c.raw for c in h.header.cards if c.keyword not in ("COMMENT", "HISTORY", "")]) for h in local.hdus
    ]
    assert headers[0][1].get("TELESCOP") == local.hdus[0].header.get("TELESCOP")
    assert verdict_for(url, len(data), sha, {"proj_id": "example", "version": "v1", "folder": "x"})[:2] == (
        [],
        len(data),
    )
    assert verdict_for(url, len(data), sha, {"proj_id": "other"}) is None  # checked against another collection
    assert (
        verdict_for(url, len(data), sha, {"proj_id": "example", "targets": [{"name": "ngc1234"}]}) is None
    )  # more known there
    assert verdict_for(url, len(data), "0" * 64) is None  # the manifest names other bytes
    # read as contributor data: anonymously without HLSP_S3_* keys, never with the service's AWS_* ones
    monkeypatch.delenv("HLSP_S3_ACCESS_KEY_ID")
    assert verdict_for(url, len(data), sha) is None
    monkeypatch.setenv("HLSP_S3_ACCESS_KEY_ID", os.environ["AWS_ACCESS_KEY_ID"])
    assert verdict_for(url, len(data), sha) is not None
    put(client, bucket, key, data + b"\0" * 2880)  # overwritten: the report is no longer current
    assert verdict_for(url, len(data), sha) is None
    assert Store().exists(bucket, report_key(key, hashlib.md5(data).hexdigest()))


def test_a_product_that_is_not_fits_gets_the_findings_of_local_validation(s3, tmp_path):
    client, bucket = s3
    name, data = "hlsp_example_hst_acs_ngc1234_f606w_v1_notes.txt", b"not a FITS file\n" * 100
    put(client, bucket, f"up/{name}", data)
    out = process(ObjectEvent(bucket, f"up/{name}"))
    assert out.status == "validated" and out.bytes_read == len(data)
    doc = read_json(client, bucket, out.line["report"].split("/", 3)[3])
    assert doc["report"]["files"][0]["findings"] == local_findings(tmp_path, name, data)
    assert doc["sha256"] == hashlib.sha256(data).hexdigest()
