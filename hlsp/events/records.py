"""Object events in one shape, from whatever delivered them.

:class:`ObjectEvent` is what the core (:mod:`hlsp.events.core`) processes: a
bucket, a key (decoded), and when known the ETag, size and version id.  It is
built from

* an AWS S3 event record (``Records[].s3``; the key arrives URL-encoded and is
  decoded with ``urllib.parse.unquote_plus``) -- directly, or inside the body
  of an SQS message (:func:`from_lambda_event`);
* a SeaweedFS filer webhook notification (:func:`from_seaweedfs`), whose
  ``key`` is ``/buckets/<bucket>/<key>``;
* a listing of the bucket (the sweep, :mod:`hlsp.events.watch`).

Which keys are products: :func:`skip_reason` says why a key is *not* processed
(the service's own reports, folder markers, multipart parts, other files), or
None for a product.  The report of an object lives beside it, at
:func:`report_key` -- its name holds the ETag, so that (bucket, key, ETag) names
exactly one report and a listing tells which objects have a current one.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import asdict, dataclass
from typing import Any, Iterator
from urllib.parse import unquote_plus

REPORT_SUFFIX = ".hlsp-report.json"
FAILED_SUFFIX = ".hlsp-failed.json"


@dataclass(frozen=True, slots=True)
class ObjectEvent:
    bucket: str
    key: str
    etag: str | None = None  # without quotes; None: look it up (HEAD) before reading
    size: int | None = None
    version_id: str | None = None
    source: str = "s3"  # s3 | sqs | seaweedfs | sweep
    message_id: str | None = None  # the SQS message that carried it

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.key}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ObjectEvent":
        return cls(**d)


@dataclass(frozen=True, slots=True)
class Skipped:
    """A record that is not an object to validate, and why (test event, delete, ...)."""

    reason: str
    message_id: str | None = None
    key: str | None = None


def clean_etag(etag: str | None) -> str | None:
    if not etag:
        return None
    etag = etag.strip()
    if etag.startswith("W/"):
        etag = etag[2:]
    return etag.strip('"') or None


def report_key(key: str, etag: str) -> str:
    """Where the report of ``key`` at ``etag`` lives: beside the object."""
    return f"{key}.{etag}{REPORT_SUFFIX}"


def failed_key(key: str, etag: str) -> str:
    """Where an object that could not be processed is recorded (the dead letter)."""
    return f"{key}.{etag}{FAILED_SUFFIX}"


def parse_report_key(key: str) -> tuple[str, str] | None:
    """(object key, ETag) of a report key, or None."""
    if not key.endswith(REPORT_SUFFIX):
        return None
    name, _, etag = key[: -len(REPORT_SUFFIX)].rpartition(".")
    return (name, etag) if name and etag else None


def skip_reason(key: str) -> str | None:
    """Why ``key`` is not a product to validate, or None when it is one."""
    from hlsp.discover import is_candidate

    if key.endswith(REPORT_SUFFIX) or key.endswith(FAILED_SUFFIX):
        return "a report written by this service"
    if not key or key.endswith("/"):
        return "a folder marker"
    parts = key.split("/")
    if ".uploads" in parts[:-1] or key.endswith(".part"):
        return "a part of a multipart upload (the completed object is validated)"
    if any(p.startswith(".") for p in parts):
        return "a hidden file"
    if not is_candidate(parts[-1]):
        return "not a product (not a FITS file name)"
    return None


# ----------------------------------------------------------------------- AWS shapes
def from_s3_event(event: dict, message_id: str | None = None, source: str = "s3") -> Iterator[ObjectEvent | Skipped]:
    """The objects of one S3 event notification (``{"Records": [...]}``)."""
    if not isinstance(event, dict):
        yield Skipped("not an S3 event (not a JSON object)", message_id)
        return
    if event.get("Event") == "s3:TestEvent":
        yield Skipped("s3:TestEvent (sent when notifications are configured)", message_id)
        return
    records = event.get("Records")
    if not isinstance(records, list):
        yield Skipped("not an S3 event (no Records)", message_id)
        return
    for r in records:
        s3 = r.get("s3") if isinstance(r, dict) else None
        name = str(r.get("eventName", "")) if isinstance(r, dict) else ""
        if not isinstance(s3, dict):
            yield Skipped("a record without s3 (not an S3 event)", message_id)
            continue
        obj = s3.get("object") or {}
        key = unquote_plus(str(obj.get("key", "")))
        if name and not name.startswith("ObjectCreated"):
            yield Skipped(f"{name}: not an object creation", message_id, key)
            continue
        bucket = str((s3.get("bucket") or {}).get("name", ""))
        if not bucket or not key:
            yield Skipped("a record without bucket or key", message_id, key)
            continue
        size = obj.get("size")
        yield ObjectEvent(
            bucket,
            key,
            clean_etag(obj.get("eTag") or obj.get("etag")),
            size if isinstance(size, int) else None,
            obj.get("versionId") or None,
            source,
            message_id,
        )


def from_lambda_event(event: Any) -> Iterator[ObjectEvent | Skipped]:
    """A Lambda event: S3 notifications directly, or SQS messages whose body holds one."""
    records = event.get("Records") if isinstance(event, dict) else None
    if (
        isinstance(records, list)
        and records
        and all(isinstance(r, dict) and r.get("eventSource") == "aws:sqs" for r in records)
    ):
        for r in records:
            mid = r.get("messageId")
            try:
                body = json.loads(r.get("body") or "")
            except ValueError:
                yield Skipped("an SQS message whose body is not JSON", mid)
                continue
            if isinstance(body, dict) and "Message" in body and "Records" not in body:  # SNS -> SQS
                try:
                    body = json.loads(body["Message"])
                except (TypeError, ValueError):
                    yield Skipped("an SNS message whose Message is not JSON", mid)
                    continue
            yield from from_s3_event(body, mid, "sqs")
        return
    yield from from_s3_event(event)


# ------------------------------------------------------------------ SeaweedFS shape
def _b64text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        return base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def from_seaweedfs(payload: Any) -> ObjectEvent | Skipped:
    """One SeaweedFS filer webhook notification, in the AWS record shape.

    ``{"event_type": "create|update|delete|rename", "key": "/buckets/B/K",
    "message": {"new_entry": {...}, "old_entry": {...}}}``.  The ETag comes
    from the entry's ``Seaweed-X-Amz-ETag`` attribute when present (else it is
    looked up before reading); folders and deletes are skipped.
    """
    if not isinstance(payload, dict):
        return Skipped("not a SeaweedFS notification (not a JSON object)")
    kind = payload.get("event_type")
    path = payload.get("key")
    message = payload.get("message") if isinstance(payload.get("message"), dict) else {}
    entry = message.get("new_entry") if isinstance(message.get("new_entry"), dict) else None
    if kind == "rename" and entry is not None:
        path = (
            message.get("new_parent_path", "") + "/" + str(entry.get("name", ""))
            if message.get("new_parent_path")
            else path
        )
    if kind not in ("create", "update", "rename") or entry is None:
        return Skipped(f"{kind}: not an object creation")
    if not isinstance(path, str) or not path.startswith("/buckets/"):
        return Skipped("not under /buckets/ (not an S3 object)")
    bucket, _, key = path[len("/buckets/") :].partition("/")
    if entry.get("is_directory"):
        return Skipped("a folder", key=key)
    if not bucket or not key:
        return Skipped("no bucket or key", key=key)
    attrs = entry.get("attributes") if isinstance(entry.get("attributes"), dict) else {}
    extended = entry.get("extended") if isinstance(entry.get("extended"), dict) else {}
    size = attrs.get("file_size")
    return ObjectEvent(
        bucket,
        key,
        clean_etag(_b64text(extended.get("Seaweed-X-Amz-ETag"))),
        size if isinstance(size, int) else None,
        None,
        "seaweedfs",
    )
