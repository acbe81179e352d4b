"""The object store, through botocore (imported here, not by ``import hlsp``).

Two kinds of client: the service's own (:func:`client`: the AWS credential
chain and ``AWS_ENDPOINT_URL``; path-style addressing unless the AWS config
says otherwise), and the one ``hlsp validate`` reads contributor data with
(:func:`contributor_client`: the policy of :mod:`hlsp.remote`).  One client per process (botocore
clients are thread-safe, and cost ~50 ms to make).  botocore comes with
s3fs (``pip install 'hlsp[remote]'``); boto3 is not needed.
"""

from __future__ import annotations

import os
import threading
from typing import Any, Iterator

_LOCK = threading.Lock()
_CLIENTS: dict[tuple, Any] = {}


class StoreError(Exception):
    """The store did not do what was asked (refused, unreachable, broke mid-read): retry later."""


class Precondition(Exception):
    """A conditional request did not hold (the object changed, or the report exists)."""


def _botocore():
    try:  # botocore: installed with s3fs (the remote extra); boto3 is not needed
        import botocore
        import botocore.config
        import botocore.credentials
        import botocore.session
    except ImportError as exc:  # an install without the S3 client
        from hlsp.errors import missing_extra

        raise StoreError(missing_extra("remote", exc.name or "botocore", "reading the object store")) from exc
    return botocore


def client(timeout: float | None = None):
    """The service's own client (``hlsp watch``, the Lambda function): the usual
    AWS credential chain and ``AWS_ENDPOINT_URL`` -- it reads the uploads and
    writes the reports, with the rights the deployment gives it."""
    timeout = timeout or float(os.environ.get("HLSP_TIMEOUT") or 30.0)
    k = ("service", timeout, os.getpid())
    with _LOCK:
        if k not in _CLIENTS:
            botocore = _botocore()
            core = botocore.session.get_session()
            style = (core.get_scoped_config().get("s3") or {}).get("addressing_style", "path")
            _CLIENTS[k] = core.create_client(
                "s3",
                config=botocore.config.Config(
                    s3={"addressing_style": style},
                    retries={"max_attempts": 3, "mode": "standard"},
                    connect_timeout=timeout,
                    read_timeout=timeout,
                    max_pool_connections=32,
                ),
            )
        return _CLIENTS[k]


def contributor_client(options):
    """A client for reading contributor data in ``hlsp validate`` (the reports
    beside the products), with the same credentials policy as
    :mod:`hlsp.remote`: anonymous, or ``HLSP_S3_ACCESS_KEY_ID``/``SECRET``,
    at ``HLSP_S3_ENDPOINT`` -- never the archive's ``AWS_*`` settings."""
    k = ("contributor", options.s3_endpoint, options.s3_key, options.s3_secret, options.timeout, os.getpid())
    with _LOCK:
        if k not in _CLIENTS:
            botocore = _botocore()

            config = dict(
                s3={"addressing_style": "path"},
                retries={"max_attempts": 2, "mode": "standard"},
                connect_timeout=options.timeout,
                read_timeout=options.timeout,
                ignore_configured_endpoint_urls=True,
            )
            session = botocore.session.Session()
            session.set_config_variable("config_file", os.devnull)
            session.set_config_variable("credentials_file", os.devnull)
            kw = {}
            if options.s3_key and options.s3_secret:
                kw = {"aws_access_key_id": options.s3_key, "aws_secret_access_key": options.s3_secret}
            else:
                config["signature_version"] = botocore.UNSIGNED
            _CLIENTS[k] = session.create_client(
                "s3",
                region_name=os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
                endpoint_url=options.s3_endpoint,
                config=botocore.config.Config(**config),
                **kw,
            )
        return _CLIENTS[k]


def status_of(exc: BaseException) -> tuple[int | None, str]:
    """(HTTP status, error code) of a botocore ClientError."""
    response = getattr(exc, "response", None)
    if not isinstance(response, dict):
        return None, ""
    status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return (status if isinstance(status, int) else None), str((response.get("Error") or {}).get("Code", ""))


def describe(exc: BaseException) -> str:
    status, code = status_of(exc)
    if status is not None:
        return f"HTTP {status}" + (f" {code}" if code and code != str(status) else "")
    text = str(exc).strip() or type(exc).__name__
    return f"{type(exc).__name__}: {text.splitlines()[0][:200]}"


class Store:
    """The few S3 calls the event service makes."""

    def __init__(self, s3=None):
        self.s3 = s3 or client()

    def head(self, bucket: str, key: str, etag: str | None = None, version_id: str | None = None) -> dict | None:
        """{"etag", "size", "version_id"} of the object, None when it is gone or changed from ``etag``."""
        kw: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version_id:
            kw["VersionId"] = version_id
        elif etag:
            kw["IfMatch"] = f'"{etag}"'
        try:
            r = self.s3.head_object(**kw)
        except Exception as exc:
            status, _ = status_of(exc)
            if status in (404, 412):
                return None
            raise StoreError(f"the store refuses to look up s3://{bucket}/{key}: {describe(exc)}") from exc
        return {
            "etag": (r.get("ETag") or "").strip('"'),
            "size": r.get("ContentLength"),
            "version_id": r.get("VersionId"),
        }

    def exists(self, bucket: str, key: str) -> bool:
        try:
            self.s3.head_object(Bucket=bucket, Key=key)
            return True
        except Exception as exc:
            if status_of(exc)[0] == 404:
                return False
            raise StoreError(f"cannot look up s3://{bucket}/{key}: {describe(exc)}") from exc

    def open(self, bucket: str, key: str, etag: str | None, version_id: str | None = None):
        """(streaming body, response) of exactly that version; raises Precondition when it is gone or changed."""
        kw: dict[str, Any] = {"Bucket": bucket, "Key": key}
        if version_id:
            kw["VersionId"] = version_id
        if etag:
            kw["IfMatch"] = f'"{etag}"'
        try:
            r = self.s3.get_object(**kw)
        except Exception as exc:
            status, code = status_of(exc)
            if status in (404, 412) or code in ("NoSuchKey", "PreconditionFailed"):
                raise Precondition(f"s3://{bucket}/{key} is gone or changed ({describe(exc)})") from exc
            raise StoreError(f"the store refuses to serve s3://{bucket}/{key}: {describe(exc)}") from exc
        return r["Body"], r

    def get_json(self, bucket: str, key: str) -> Any | None:
        import json

        try:
            r = self.s3.get_object(Bucket=bucket, Key=key)
            data = r["Body"].read(16 * 1024 * 1024 + 1)
        except Exception as exc:
            if status_of(exc)[0] == 404:
                return None
            raise StoreError(f"cannot read s3://{bucket}/{key}: {describe(exc)}") from exc
        try:
            return json.loads(data)
        except ValueError:
            return None

    def put_new(self, bucket: str, key: str, body: bytes, conditional: bool = True) -> bool:
        """Write ``key`` unless it exists (If-None-Match: *); False when it already did."""
        kw: dict[str, Any] = {"Bucket": bucket, "Key": key, "Body": body, "ContentType": "application/json"}
        if conditional:
            kw["IfNoneMatch"] = "*"
        try:
            self.s3.put_object(**kw)
            return True
        except Exception as exc:
            status, code = status_of(exc)
            if status == 412 or code == "PreconditionFailed":
                return False
            if status == 409 and code == "ConditionalRequestConflict":  # a concurrent writer on AWS
                return False
            raise StoreError(f"cannot write s3://{bucket}/{key}: {describe(exc)}") from exc

    def put(self, bucket: str, key: str, body: bytes) -> None:
        self.put_new(bucket, key, body, conditional=False)

    def list(self, bucket: str, prefix: str) -> Iterator[dict]:
        """Every object under ``prefix`` in key order: {"key", "etag", "size"} (pages of 1,000)."""
        token = None
        while True:
            kw: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix, "MaxKeys": 1000}
            if token:
                kw["ContinuationToken"] = token
            try:
                page = self.s3.list_objects_v2(**kw)
            except Exception as exc:
                raise StoreError(f"cannot list s3://{bucket}/{prefix}: {describe(exc)}") from exc
            for o in page.get("Contents") or ():
                yield {"key": o["Key"], "etag": (o.get("ETag") or "").strip('"'), "size": o.get("Size")}
            token = page.get("NextContinuationToken")
            if not page.get("IsTruncated") or not token:
                return
