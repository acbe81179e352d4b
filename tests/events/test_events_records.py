"""Event shapes -> ObjectEvent, which keys are products, report names (no server needed)."""

from __future__ import annotations

import base64
import json

import pytest

from hlsp.events.records import (
    ObjectEvent,
    Skipped,
    from_lambda_event,
    from_s3_event,
    from_seaweedfs,
    parse_report_key,
    report_key,
    skip_reason,
)

PRODUCT = "hlsp_example_tess_ffi_ngc1234_tess_v1_lc.fits"


def record(key: str, name: str = "ObjectCreated:Put", **obj) -> dict:
    return {"eventSource": "aws:s3", "eventName": name, "s3": {"bucket": {"name": "b"}, "object": {"key": key, **obj}}}


def test_s3_record_key_is_url_decoded_and_etag_unquoted():
    [ev] = from_s3_event({"Records": [record("up%2Frun+1%2F" + PRODUCT, eTag='"abc-2"', size=10, versionId="v9")]})
    assert ev == ObjectEvent("b", f"up/run 1/{PRODUCT}", "abc-2", 10, "v9", "s3", None)


def test_test_event_deletes_and_garbage_are_skipped_with_a_reason():
    assert [type(x) for x in from_s3_event({"Service": "Amazon S3", "Event": "s3:TestEvent"})] == [Skipped]
    [s] = from_s3_event({"Records": [record(PRODUCT, "ObjectRemoved:Delete")]})
    assert isinstance(s, Skipped) and "ObjectRemoved" in s.reason
    assert all(isinstance(x, Skipped) for x in from_s3_event({"Records": [{"s3": None}, "x"]}))
    assert all(isinstance(x, Skipped) for x in from_s3_event("not a dict"))


def test_sqs_wrapped_and_sns_wrapped_events():
    body = json.dumps({"Records": [record(PRODUCT, eTag="e1")]})
    sns = json.dumps({"Type": "Notification", "Message": body})
    batch = {
        "Records": [
            {"messageId": "m1", "eventSource": "aws:sqs", "body": body},
            {"messageId": "m2", "eventSource": "aws:sqs", "body": sns},
            {"messageId": "m3", "eventSource": "aws:sqs", "body": "{not json"},
        ]
    }
    got = list(from_lambda_event(batch))
    assert [(g.message_id, type(g).__name__) for g in got] == [
        ("m1", "ObjectEvent"),
        ("m2", "ObjectEvent"),
        ("m3", "Skipped"),
    ]
    assert got[0].source == "sqs" and got[0].etag == "e1"


@pytest.mark.parametrize(
    "key,product",
    [
        (f"up/{PRODUCT}", True),
        (f"up/{PRODUCT}.gz", True),
        ("up/x.fits", True),
        ("up/", False),
        ("up/notes.txt", False),
        (report_key(f"up/{PRODUCT}", "e1"), False),
        (f"up/{PRODUCT}.e1.hlsp-failed.json", False),
        (".uploads/abc/0001_x.part", False),
        (f"up/.hidden/{PRODUCT}", False),
    ],
)
def test_which_keys_are_products(key, product):
    assert (skip_reason(key) is None) is product


def test_report_key_round_trip():
    key = f"up/a.b/{PRODUCT}"
    assert parse_report_key(report_key(key, "d41d8cd98f00b204e9800998ecf8427e-3")) == (
        key,
        "d41d8cd98f00b204e9800998ecf8427e-3",
    )
    assert parse_report_key(key) is None


def _weed(kind: str, path: str, directory: bool = False, etag: str | None = "abc") -> dict:
    entry = {"name": path.rsplit("/", 1)[1], "attributes": {"file_size": 7}}
    if directory:
        entry["is_directory"] = True
    if etag:
        entry["extended"] = {"Seaweed-X-Amz-ETag": base64.b64encode(etag.encode()).decode()}
    return {"event_type": kind, "key": path, "message": {"new_entry": entry}}


def test_seaweedfs_payload_in_the_aws_shape():
    assert from_seaweedfs(_weed("create", f"/buckets/b/up/{PRODUCT}")) == ObjectEvent(
        "b", f"up/{PRODUCT}", "abc", 7, None, "seaweedfs"
    )
    assert (
        from_seaweedfs(_weed("update", f"/buckets/b/up/{PRODUCT}", etag=None)).etag is None
    )  # looked up before reading
    assert isinstance(from_seaweedfs(_weed("create", "/buckets/b/up", directory=True)), Skipped)
    assert isinstance(
        from_seaweedfs({"event_type": "delete", "key": f"/buckets/b/{PRODUCT}", "message": {"old_entry": {}}}), Skipped
    )
    assert isinstance(from_seaweedfs(_weed("create", "/etc/x")), Skipped)
    assert isinstance(from_seaweedfs([1, 2]), Skipped)


def test_expected_values_from_the_environment(monkeypatch):
    from hlsp.events.core import expected_from_env, expected_of_metadata

    from events_support import EXAMPLE

    for k in ("HLSP_EXPECT", "HLSP_EXPECT_PROJ_ID", "HLSP_EXPECT_VERSION"):
        monkeypatch.delenv(k, raising=False)
    assert expected_from_env() == {}
    monkeypatch.setenv("HLSP_EXPECT_PROJ_ID", "example")
    assert expected_from_env() == {"proj_id": "example"}
    of_yaml = expected_of_metadata(str(EXAMPLE))
    assert of_yaml["proj_id"] == "example" and "folder" not in of_yaml
    monkeypatch.setenv("HLSP_EXPECT", json.dumps({**of_yaml, "folder": "anywhere"}))
    assert expected_from_env() == of_yaml  # (where the folder sits only shapes hints)
    monkeypatch.setenv("HLSP_EXPECT", "[1, 2]")
    with pytest.raises(ValueError, match="JSON object"):
        expected_from_env()
