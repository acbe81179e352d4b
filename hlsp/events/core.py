"""Validate one object from the store: the core every adapter calls.

:func:`process` takes an :class:`~hlsp.events.records.ObjectEvent` and

1. skips keys that are not products (:func:`~hlsp.events.records.skip_reason`);
2. finds the object's ETag when the event did not carry one (one HEAD);
3. returns at once when the report of (bucket, key, ETag) exists -- a
   redelivered or duplicated event does nothing (one HEAD);
4. streams exactly that version (GET with ``If-Match: ETag``, or the version
   id): a GET that fails because the object changed or went away means a
   newer event (or the sweep) covers it -- nothing to do;
5. reads it with the same reader (:func:`hlsp.fits.read_stream`), in
   bounded chunks (never the whole object in memory, nothing on local disk),
   hashing what passes (sha256), and runs the same rules as ``hlsp validate``
   (:func:`hlsp.engine.validate_file`);
6. writes the report beside the object with ``If-None-Match: *``.

The report object (JSON): ``format``, ``bucket``, ``key``, ``etag``,
``version_id``, ``size``, ``sha256`` (of every byte of the object, read once),
``hlsp_version``, ``code`` (digest of the rules and their data: a verdict is
reused only by the same code), ``expected`` (what the file rules were told
about the collection -- proj-id, version, targets, DOI, keywords from its
hlsp.yaml, as ``hlsp validate`` tells them: ``hlsp watch --metadata FOLDER``,
``HLSP_EXPECT`` (JSON) or ``HLSP_EXPECT_PROJ_ID``/``HLSP_EXPECT_VERSION``;
empty when unknown), ``validated_at``, ``headers`` (the non-commentary cards
of the first 8 HDUs: the collection rule CO015 compares them with hlsp.yaml
when the pull request reads the report instead of the file), and ``report``:
a report in the ``hlsp validate --format json`` contract
(``validators/schemas/report.schema.json``) with one file, named by its
``s3://`` URL.  The pull request uses a report only when its ``expected``
is the collection's (or empty, for a collection that gives nothing but the
proj-id and version of the file's own name).

Why the report object is enough as the idempotency record: its key is a pure
function of (bucket, key, ETag) and it is written once, after the whole
verdict is known, by a conditional PUT that S3 (strongly consistent since
2020; conditional writes since 2024) and SeaweedFS apply atomically -- of two
workers racing on the same event exactly one write succeeds, the other gets
412 and reports nothing.  A worker that dies before the PUT leaves no report,
so the redelivery or the sweep does the work again: at-least-once delivery,
one recorded verdict per (key, ETag).  No table, lease or lock is needed; the
price is one HEAD per event, and at worst a repeated validation, never a
repeated or half-written report.

Trust: the pull request believes a report because only this service can
write it.  Uploaders must not be able to write ``*.hlsp-report.json`` (nor
``*.hlsp-failed.json``) under the upload prefix -- on AWS a bucket policy
statement denying ``s3:PutObject`` on ``arn:aws:s3:::BUCKET/*.hlsp-report.json``
to every principal but the function's role; in SeaweedFS an identity for
uploaders without ``Write`` on the bucket's report keys, or reports kept in a
bucket only the service writes.  Where that cannot be ensured, validate the
pull request with ``--revalidate``.  (The pull-request job holds no secret,
so it cannot check a signature made with one.)

Failures the object is not to blame for (the store refuses or breaks off)
raise :class:`~hlsp.events.store.StoreError`: the caller retries, then
dead-letters.  Everything wrong *in* the object is a finding, as for a local file.
"""

from __future__ import annotations

import datetime as _dt
import functools
import hashlib
import json
import os
from dataclasses import dataclass, field
from typing import Any

from hlsp.events.records import ObjectEvent, failed_key, report_key, skip_reason
from hlsp.events.reports import FORMAT, _comparable, code_digest, verdict_for  # noqa: F401 (verdict_for: public here too)
from hlsp.events.store import Precondition, Store, StoreError, describe

CHUNK = 1024 * 1024


@dataclass(slots=True)
class Outcome:
    """What happened to one event."""

    status: str  # validated | done-before | lost-race | superseded | skipped
    bucket: str
    key: str
    etag: str | None = None
    reason: str = ""
    line: dict[str, Any] | None = None  # {"key","etag","errors","warnings","report"} when validated
    bytes_read: int = 0
    requests: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "bucket": self.bucket,
            "key": self.key,
            "etag": self.etag,
            "reason": self.reason,
            "line": self.line,
            "bytes_read": self.bytes_read,
            "requests": self.requests,
        }


class _Reader:
    """A read-only byte stream over an S3 body: hashes and counts every byte
    that passes, turns any transport error into StoreError (so that the FITS
    reader never mistakes a broken download for a broken file), and can give
    back the first bytes it was asked for (magic sniffing)."""

    def __init__(self, body, url: str):
        self.body = body
        self.url = url
        self.sha = hashlib.sha256()
        self.size = 0
        self._pushed = b""

    def _raw(self, n: int) -> bytes:
        try:
            b = self.body.read(n)
        except Exception as exc:
            raise StoreError(f"the download of {self.url} broke off after {self.size} bytes: {describe(exc)}") from exc
        self.sha.update(b)
        self.size += len(b)
        return b

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            raise ValueError("unbounded reads are not allowed: read in chunks")
        if self._pushed:
            b, self._pushed = self._pushed[:n], self._pushed[n:]
            return b + (self._raw(n - len(b)) if len(b) < n else b"")
        return self._raw(n) if n else b""

    def peek(self, n: int) -> bytes:
        while len(self._pushed) < n:
            b = self._raw(n - len(self._pushed))
            if not b:
                break
            self._pushed += b
        return self._pushed[:n]

    def drain(self) -> int:
        """Read (and hash) what the reader left; the number of bytes."""
        n = len(self._pushed)
        self._pushed = b""
        while b := self._raw(CHUNK):
            n += len(b)
        return n

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        pass  # the body is closed by process()


def _content_stream(reader: _Reader):
    """(stream of the FITS content, compression): gzip and bzip2 by magic, as hlsp.fits.open_stream."""
    import bz2
    import gzip

    magic = reader.peek(3)
    if magic[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=reader, mode="rb"), "gzip"
    if magic == b"BZh":
        return bz2.BZ2File(reader, mode="rb"), "bzip2"
    return reader, None


def expected_from_env() -> dict:
    """What the products are checked against: ``HLSP_EXPECT`` (a JSON object, as
    ``hlsp watch --metadata`` derives from hlsp.yaml), else ``HLSP_EXPECT_PROJ_ID``
    and ``HLSP_EXPECT_VERSION``; empty when none is set."""
    if os.environ.get("HLSP_EXPECT"):
        try:
            value = json.loads(os.environ["HLSP_EXPECT"])
        except ValueError:
            value = None
        if not isinstance(value, dict):
            raise ValueError("HLSP_EXPECT must hold a JSON object")
        return _comparable(value)
    out = {}
    for name, var in (("proj_id", "HLSP_EXPECT_PROJ_ID"), ("version", "HLSP_EXPECT_VERSION")):
        if os.environ.get(var):
            out[name] = os.environ[var]
    return out


def expected_of_metadata(folder: str) -> dict:
    """What ``hlsp validate`` tells the file rules about the collection in ``folder`` (its hlsp.yaml)."""
    from pathlib import Path

    from hlsp.collection import expected_of
    from hlsp.contribution import Contribution, load_metadata

    c = Contribution.from_document(Path(folder), load_metadata(Path(folder)))
    return _comparable(expected_of(c, folder))


# The headers a report keeps, for the collection rules that compare them with
# hlsp.yaml (CO015) when the PR reads the report instead of the file.
HEADER_HDUS = 8
_COMMENTARY = ("COMMENT", "HISTORY", "")


@functools.lru_cache(maxsize=4)
def _rules(select: tuple | None, ignore: tuple | None):
    from hlsp.engine import Options

    return Options(select=list(select) if select else None, ignore=list(ignore) if ignore else None).rules()


def validate_stream(body, url: str, size: int | None, expected: dict | None = None):
    """(FileResult, sha256, bytes read, headers) of an object body, streamed once."""
    from hlsp.engine import Options, validate_file
    from hlsp.fits import read_stream

    from hlsp.names import parse_name

    options = Options(expected=dict(expected or {}))
    reader = _Reader(body, url)
    fits = None
    # As validate_file decides for a local file: read as FITS when the name
    # says so or the bytes start like FITS (else only the file-name rules run).
    if parse_name(url).is_fits or reader.peek(9) == b"SIMPLE  =":
        stream, compression = _content_stream(reader)
        fits = read_stream(stream, url, size if size is not None else 0, compression)
    if reader.peek(1):
        # The reader stopped early (no END card, bytes after the last HDU ...):
        # read the rest so that the sha256 covers the whole object.
        reader.drain()
    result = validate_file(url, options, _rules(None, None), fits=fits)
    headers = [
        [h.index, [[c.index, c.raw] for c in h.header.cards if c.keyword not in _COMMENTARY]]
        for h in (fits.hdus[:HEADER_HDUS] if fits is not None and fits.is_fits else [])
    ]
    return result, reader.sha.hexdigest(), reader.size, headers


def process(event: ObjectEvent, store: Store | None = None, expected: dict | None = None) -> Outcome:
    """Validate one object event; see the module docstring.  Raises StoreError to be retried."""
    out = Outcome("skipped", event.bucket, event.key, event.etag)
    expected = expected_from_env() if expected is None else _comparable(expected)
    reason = skip_reason(event.key)
    if reason:
        out.reason = reason
        return out
    store = store or Store()
    etag, size = event.etag, event.size
    if not etag:
        head = store.head(event.bucket, event.key, version_id=event.version_id)
        out.requests += 1
        if head is None:
            out.status, out.reason = "superseded", "the object is gone"
            return out
        etag, size = head["etag"], head["size"]
        out.etag = etag
    rkey = report_key(event.key, etag)
    out.requests += 1
    if store.exists(event.bucket, rkey):
        out.status, out.reason = "done-before", "its report exists"
        return out
    try:
        body, response = store.open(event.bucket, event.key, etag, event.version_id)
    except Precondition as exc:
        out.status, out.reason = "superseded", str(exc)
        return out
    finally:
        out.requests += 1
    try:
        size = response.get("ContentLength", size)
        result, sha, nread, headers = validate_stream(body, event.url, size, expected)
    finally:
        body.close()
    out.bytes_read = nread
    if size is not None and nread != size:
        raise StoreError(f"{event.url}: {nread} bytes received of the {size} the store announced")
    exp = dict(expected)
    summary = result.counts()
    from hlsp.version import __version__

    doc = {
        "format": FORMAT,
        "bucket": event.bucket,
        "key": event.key,
        "etag": etag,
        "version_id": event.version_id or response.get("VersionId"),
        "size": nread,
        "sha256": sha,
        "hlsp_version": __version__,
        "code": code_digest(),
        "expected": exp,
        "validated_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "headers": headers,
        "report": {
            "files": [result.to_dict()],
            "summary": {
                "files": 1,
                "errors": summary["error"],
                "warnings": summary["warning"],
                "infos": summary["info"],
            },
        },
    }
    out.requests += 1
    written = store.put_new(event.bucket, rkey, json.dumps(doc, ensure_ascii=False, indent=1).encode())
    if not written:
        out.status, out.reason = "lost-race", "another worker wrote the report first"
        return out
    out.status = "validated"
    out.line = {
        "key": event.key,
        "etag": etag,
        "errors": summary["error"],
        "warnings": summary["warning"],
        "report": f"s3://{event.bucket}/{rkey}",
    }
    return out


def dead_letter(event: ObjectEvent, reason: str, attempts: int, store: Store | None = None) -> str | None:
    """Record that ``event`` could not be processed; the record's URL, or None when the store refused it too."""
    etag = event.etag or "unknown"
    key = failed_key(event.key, etag)
    doc = {
        "format": "hlsp-object-failure/1",
        "bucket": event.bucket,
        "key": event.key,
        "etag": event.etag,
        "reason": reason,
        "attempts": attempts,
        "failed_at": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
    }
    try:
        (store or Store()).put(event.bucket, key, json.dumps(doc, ensure_ascii=False).encode())
    except StoreError:
        return None
    return f"s3://{event.bucket}/{key}"


# ------------------------------------------------------------------- PR side
