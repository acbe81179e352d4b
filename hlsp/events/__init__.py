"""Validate products as they land in an object store: event-driven, at-least-once safe.

One core, thin adapters:

* :func:`hlsp.events.core.process` validates one object named by an
  :class:`~hlsp.events.records.ObjectEvent` (bucket, key, ETag or version id):
  streams it from the store, runs the rules of ``hlsp validate``, and writes
  the report beside it (``<key>.<etag>.hlsp-report.json``).  Redelivered and
  duplicated events do nothing; the report object is the idempotency record
  (why that is enough: :mod:`hlsp.events.core`).
* :func:`lambda_handler` -- AWS Lambda, triggered by S3 notifications
  directly or through SQS (partial batch response).
* ``hlsp watch s3://BUCKET/PREFIX`` (:mod:`hlsp.events.watch`) -- a local
  runner fed by SeaweedFS' filer webhook and by sweeps of the prefix.
* :func:`hlsp.events.reports.verdict_for` -- ``hlsp validate`` of a collection
  whose manifest lists ``s3://`` products reads their reports instead of
  downloading them when ETag, sha256 and code match.

botocore (from the ``remote`` extra) is imported only when the store is
first used: ``import hlsp`` and ``import hlsp.events`` stay light.
"""

from __future__ import annotations

import time
from typing import Any

__all__ = ["lambda_handler", "handle"]

# Leave this much of the invocation's time unused: a record is started only
# when the time left exceeds it plus the slowest record seen so far.
SAFETY_MS = 10_000


class EventFailed(Exception):
    """Raised by a direct (not SQS) invocation when an object could not be
    processed, so that Lambda retries the event (and its on-failure
    destination records it when the retries are spent)."""


def handle(event: Any, remaining_ms=None, store=None) -> dict:
    """The Lambda contract without Lambda: ``remaining_ms()`` gives the time left (or None)."""
    from hlsp.events import core
    from hlsp.events.records import ObjectEvent, from_lambda_event

    results: list[dict] = []
    failures: list[str] = []
    failed_direct: list[str] = []
    slowest = 0.0
    store_obj = store
    for item in from_lambda_event(event):
        if not isinstance(item, ObjectEvent):
            continue  # s3:TestEvent, deletes, bodies that are no S3 event: nothing to do
        if item.message_id in failures:
            continue  # one failed record fails its whole message
        if remaining_ms is not None and remaining_ms() < SAFETY_MS + slowest * 1000:
            # Out of time: hand the rest back for redelivery.
            if item.message_id:
                failures.append(item.message_id)
            else:
                failed_direct.append(f"{item.url}: not started, the invocation ran out of time")
            continue
        started = time.monotonic()
        try:
            if store_obj is None:
                from hlsp.events.store import Store

                store_obj = Store()
            out = core.process(item, store_obj)
        except Exception as exc:  # StoreError, or a bug: either way the record is retried, not lost
            reason = str(exc) or type(exc).__name__
            if item.message_id:
                failures.append(item.message_id)
            else:
                failed_direct.append(f"{item.url}: {reason}")
            continue
        finally:
            slowest = max(slowest, time.monotonic() - started)
        if out.line is not None:
            results.append(out.line)
    if failed_direct:
        raise EventFailed("; ".join(failed_direct))
    return {"batchItemFailures": [{"itemIdentifier": m} for m in dict.fromkeys(failures)], "results": results}


def lambda_handler(event: Any, context: Any = None) -> dict:
    """AWS Lambda entry point (``hlsp.events.lambda_handler``).

    ``event``: an S3 notification (``{"Records": [{"s3": ...}]}``) or an SQS
    batch whose bodies hold one.  Returns ``{"batchItemFailures":
    [{"itemIdentifier": messageId}], "results": [{"key", "etag", "errors",
    "warnings", "report"}]}`` -- enable ``ReportBatchItemFailures`` on the SQS
    trigger so that only failed messages come back (and reach the dead-letter
    queue after ``maxReceiveCount``).  A direct invocation that could not
    process an object raises :class:`EventFailed` (Lambda retries it).
    Records are started only while ``context.get_remaining_time_in_millis()``
    leaves room; nothing is written to /tmp.
    """
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    return handle(event, remaining if callable(remaining) else None)
