"""Where a delivery is staged: a local folder or an S3 bucket, behind one small interface.

Keys are POSIX paths relative to the destination root
(``<proj-id>/<version>/<file>``).  Both targets promise the same things:

- ``upload(key)`` returns an :class:`Upload`; what is written to it stays
  invisible under ``key`` until ``commit()``.  Locally the bytes go to a hidden
  temporary file (``.<name>.<random>.part``) in the same folder, fsynced and then
  hard-linked to the final name; on S3 they go to a multipart upload (or, when
  small, one PUT at commit).  A process killed mid-copy leaves no visible
  partial file: a hidden temporary locally, an unfinished multipart upload on
  S3; :meth:`Target.discard_partials` removes both on the next run.
- ``commit(replace=False)`` never overwrites: an existing object under the key
  raises :class:`Exists` (locally ``link()`` fails atomically; on S3 the
  completion carries ``If-None-Match: *``).
- ``stat(key)`` answers "is it there, how big" without reading it;
  ``digest(key)`` reads it back and hashes it (used only to finish an
  interrupted run, to prove that what is already there is what we would write).

S3 configuration is the usual AWS one (environment variables such as
``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``,
``AWS_PROFILE``, or ``~/.aws/config``).  Path-style addressing is used unless the
configuration asks for another style, so S3-compatible servers on a bare host
name or IP address work.  These settings are the archive destination's only:
contributor products listed by ``s3://`` URL are fetched by :mod:`hlsp.remote`
anonymously or with ``HLSP_S3_*`` credentials, never with these.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path, PurePosixPath
from typing import BinaryIO, Iterator
from urllib.parse import urlparse

from hlsp.errors import HlspError
from hlsp.stage.copy import Digest, copy_hashed

PART_PREFIX, PART_SUFFIX = ".", ".part"  # local temporaries: hidden, recognisable
S3_PART_SIZE = 16 * 1024 * 1024  # above the 5 MiB S3 minimum; fewer requests for big files


class Exists(Exception):
    """commit() found something already under the key."""


class Upload:
    """A write in progress; invisible under its key until :meth:`commit`."""

    def write(self, data: memoryview) -> None:
        raise NotImplementedError

    def commit(self, replace: bool = False) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError


class Target:
    """A staging destination.  ``url`` is how it is shown and recorded."""

    url: str

    def stat(self, key: str) -> int | None:
        """Size in bytes, or None when nothing is under ``key``."""
        raise NotImplementedError

    def upload(self, key: str) -> Upload:
        raise NotImplementedError

    def open(self, key: str) -> BinaryIO:
        raise NotImplementedError

    def list(self, prefix: str) -> list[str]:
        """Every visible key under ``prefix`` (a folder, ending with ``/``)."""
        raise NotImplementedError

    def discard_partials(self, prefix: str) -> int:
        """Remove what interrupted runs left under ``prefix``; return how many."""
        raise NotImplementedError

    def location(self, key: str) -> str:
        """A URL of the object under ``key`` (for ObsCore access_url)."""
        raise NotImplementedError

    def display(self, key: str) -> str:
        """How ``key`` is shown to people: a path locally, a URL on S3."""
        return self.location(key)

    # ---- conveniences built on the primitives above
    def digest(self, key: str) -> Digest:
        with self.open(key) as fh:
            return copy_hashed(fh, None)

    def read_bytes(self, key: str) -> bytes:
        with self.open(key) as fh:
            return fh.read()

    def put_bytes(self, key: str, data: bytes, replace: bool = False) -> None:
        up = self.upload(key)
        try:
            up.write(memoryview(data))
            up.commit(replace=replace)
        except BaseException:
            up.abort()
            raise


# ----------------------------------------------------------------------------- local
class LocalUpload(Upload):
    """A file written under a temporary ``.part`` name and renamed (or linked) when complete.

    A write that the system refuses (a full disk, a quota, a file-size limit)
    is a one-line :class:`HlspError` naming the file, and the partial file is
    removed -- also when closing it fails too, as it does on a full disk.
    """

    def __init__(self, final: Path):
        self.final = final
        try:
            final.parent.mkdir(parents=True, exist_ok=True)
            self.tmp = final.parent / f"{PART_PREFIX}{final.name}.{secrets.token_hex(4)}{PART_SUFFIX}"
            self.fh = open(self.tmp, "xb")
        except OSError as exc:
            raise self._refused(exc) from None

    def _refused(self, exc: OSError) -> HlspError:
        hint = " (is the disk full?)" if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) else ""
        return HlspError(f"cannot write {self.final}: {exc.strerror or exc}{hint}; nothing was staged under that name")

    def write(self, data: memoryview) -> None:
        try:
            self.fh.write(data)
        except OSError as exc:
            raise self._refused(exc) from None

    def commit(self, replace: bool = False) -> None:
        try:
            self.fh.flush()
            os.fsync(self.fh.fileno())  # the bytes are on disk before the name appears
            self.fh.close()
            os.chmod(self.tmp, 0o644)
        except OSError as exc:
            self.abort()
            raise self._refused(exc) from None
        try:
            if replace:
                os.replace(self.tmp, self.final)
            else:
                try:
                    os.link(self.tmp, self.final)  # fails atomically if the name exists
                except FileExistsError:
                    raise Exists(str(self.final)) from None
                os.unlink(self.tmp)
        except OSError as exc:
            raise self._refused(exc) from None
        finally:
            self.abort()
        _fsync_dir(self.final.parent)

    def abort(self) -> None:
        try:
            self.fh.close()  # (flushes what is buffered: on a full disk that fails too)
        except OSError:
            pass
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.tmp)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class LocalTarget(Target):
    def __init__(self, root: str | os.PathLike, create: bool = True):
        self.root = Path(root).absolute()
        self.url = str(self.root)
        if self.root.exists() and not self.root.is_dir():
            raise HlspError(f"staging destination {self.root} exists and is not a folder")
        if not create:
            if not self.root.is_dir():
                raise HlspError(f"{self.root}: no such folder")
            return
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HlspError(f"cannot create the staging folder {self.root}: {exc.strerror}") from None
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise HlspError(f"the staging folder {self.root} is not writable")

    def path(self, key: str) -> Path:
        return self.root.joinpath(*PurePosixPath(key).parts)

    def stat(self, key: str) -> int | None:
        try:
            return self.path(key).stat().st_size
        except FileNotFoundError:
            return None

    def upload(self, key: str) -> Upload:
        return LocalUpload(self.path(key))

    def open(self, key: str) -> BinaryIO:
        return open(self.path(key), "rb")

    def list(self, prefix: str) -> list[str]:
        base = self.path(prefix)
        if not base.is_dir():
            return []
        out = []
        for folder, dirs, files in os.walk(base):
            dirs.sort()
            rel = PurePosixPath(prefix, Path(folder).relative_to(base).as_posix())
            out += [str(rel / f) for f in sorted(files)]
        return out

    def discard_partials(self, prefix: str) -> int:
        base = self.path(prefix)
        n = 0
        for folder, _dirs, files in os.walk(base):
            for name in files:
                if name.startswith(PART_PREFIX) and name.endswith(PART_SUFFIX):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(os.path.join(folder, name))
                        n += 1
        return n

    def location(self, key: str) -> str:
        return self.path(key).as_uri()

    def display(self, key: str) -> str:
        return str(self.path(key)) + ("/" if key.endswith("/") else "")


# -------------------------------------------------------------------------------- s3
class S3Upload(Upload):
    """Buffers up to one part; small objects become one PUT, larger ones a multipart upload."""

    def __init__(self, target: "S3Target", key: str):
        self.t, self.key = target, key
        self.buf = bytearray()
        self.upload_id: str | None = None
        self.parts: list[dict] = []

    def write(self, data: memoryview) -> None:
        self.buf += data
        while len(self.buf) >= S3_PART_SIZE:
            self._send_part(self.buf[:S3_PART_SIZE])
            del self.buf[:S3_PART_SIZE]

    def _send_part(self, body: bytes | bytearray) -> None:
        c, bucket = self.t.client, self.t.bucket
        with self.t.errors():
            if self.upload_id is None:
                self.upload_id = c.create_multipart_upload(Bucket=bucket, Key=self.key)["UploadId"]
            number = len(self.parts) + 1
            r = c.upload_part(Bucket=bucket, Key=self.key, UploadId=self.upload_id, PartNumber=number, Body=bytes(body))
        self.parts.append({"PartNumber": number, "ETag": r["ETag"]})

    def commit(self, replace: bool = False) -> None:
        import botocore.exceptions

        c, bucket = self.t.client, self.t.bucket
        cond = {} if replace else {"IfNoneMatch": "*"}
        try:
            with self.t.errors(passthrough=("PreconditionFailed",)):
                if self.upload_id is None:
                    c.put_object(Bucket=bucket, Key=self.key, Body=bytes(self.buf), **cond)
                else:
                    if self.buf:
                        self._send_part(self.buf)
                    c.complete_multipart_upload(
                        Bucket=bucket,
                        Key=self.key,
                        UploadId=self.upload_id,
                        MultipartUpload={"Parts": self.parts},
                        **cond,
                    )
                    self.upload_id = None
        except botocore.exceptions.ClientError:  # only PreconditionFailed gets here
            raise Exists(f"s3://{bucket}/{self.key}") from None
        finally:
            self.abort()

    def abort(self) -> None:
        if self.upload_id is not None:
            upload_id, self.upload_id = self.upload_id, None
            with contextlib.suppress(Exception):
                self.t.client.abort_multipart_upload(Bucket=self.t.bucket, Key=self.key, UploadId=upload_id)
        self.buf = bytearray()


class S3Target(Target):
    def __init__(self, url: str):
        import boto3
        import botocore.config
        import botocore.session

        u = urlparse(url)
        if not u.netloc:
            raise HlspError(f"{url}: an S3 destination needs a bucket: s3://BUCKET[/PREFIX]")
        self.bucket, self.prefix = u.netloc, u.path.strip("/")
        self.url = f"s3://{self.bucket}/{self.prefix}".rstrip("/")
        core = botocore.session.get_session()
        style = (core.get_scoped_config().get("s3") or {}).get("addressing_style", "path")
        session = boto3.session.Session(botocore_session=core)
        self.client = session.client(
            "s3",
            config=botocore.config.Config(
                s3={"addressing_style": style},
                retries={"max_attempts": 3, "mode": "standard"},
                connect_timeout=10,
                read_timeout=60,
            ),
        )
        self.endpoint = self.client.meta.endpoint_url
        with self.errors():
            self.client.list_objects_v2(Bucket=self.bucket, Prefix=self._key(""), MaxKeys=1)

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    @contextlib.contextmanager
    def errors(self, passthrough: tuple[str, ...] = ()) -> Iterator[None]:
        """Turn client errors into one-line :class:`HlspError` messages."""
        import botocore.exceptions as bx

        where = f"S3 {self.endpoint} bucket {self.bucket!r}"
        try:
            yield
        except bx.NoCredentialsError:
            raise HlspError(
                f"{where}: no S3 credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE)"
            ) from None
        except bx.ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in passthrough:
                raise
            message = {
                "SignatureDoesNotMatch": "the S3 secret key is wrong (the server rejected the request signature)",
                "InvalidAccessKeyId": "the S3 access key id is unknown to the server",
                "AccessDenied": "access denied by the server (check the credentials' permissions)",
                "NoSuchBucket": "the bucket does not exist",
                "403": "access denied by the server (check the access key and secret)",
                "404": "not found",
            }.get(code, exc.response.get("Error", {}).get("Message") or code)
            raise HlspError(f"{where}: {message}") from None
        except (bx.EndpointConnectionError, bx.ConnectTimeoutError, bx.ReadTimeoutError) as exc:
            raise HlspError(f"{where}: cannot reach the server ({type(exc).__name__})") from None
        except bx.BotoCoreError as exc:
            raise HlspError(f"{where}: {exc}") from None

    def stat(self, key: str) -> int | None:
        head = self._head(key)
        return None if head is None else head["ContentLength"]

    def _head(self, key: str) -> dict | None:
        import botocore.exceptions

        try:
            with self.errors(passthrough=("404", "NoSuchKey")):
                return self.client.head_object(Bucket=self.bucket, Key=self._key(key))
        except botocore.exceptions.ClientError:
            return None

    def upload(self, key: str) -> Upload:
        return S3Upload(self, self._key(key))

    def open(self, key: str) -> BinaryIO:
        with self.errors():
            return self.client.get_object(Bucket=self.bucket, Key=self._key(key))["Body"]

    def list(self, prefix: str) -> list[str]:
        full = self._key(prefix)
        cut = len(self._key(""))
        out = []
        with self.errors():
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=full):
                out += [obj["Key"][cut:] for obj in page.get("Contents", [])]
        return sorted(out)

    def discard_partials(self, prefix: str) -> int:
        n = 0
        with self.errors():
            pages = self.client.get_paginator("list_multipart_uploads").paginate(
                Bucket=self.bucket, Prefix=self._key(prefix)
            )
            for page in pages:
                for up in page.get("Uploads", []):
                    self.client.abort_multipart_upload(Bucket=self.bucket, Key=up["Key"], UploadId=up["UploadId"])
                    n += 1
        return n

    def location(self, key: str) -> str:
        return f"s3://{self.bucket}/{self._key(key)}"


def open_target(dest: str | os.PathLike, create: bool = True) -> Target:
    """A :class:`Target` for ``dest``: ``s3://bucket[/prefix]`` or a local folder.

    ``create=False`` (for checking a delivery) refuses a local folder that does
    not exist instead of creating it.
    """
    text = os.fspath(dest)
    scheme = urlparse(text).scheme
    if scheme == "s3":
        return S3Target(text)
    if scheme == "file":
        return LocalTarget(urlparse(text).path, create)
    if scheme and len(scheme) > 1:  # (a one-letter "scheme" is a Windows drive)
        raise HlspError(f"{text}: unsupported destination; use a local folder or s3://BUCKET/PREFIX")
    return LocalTarget(text, create)
