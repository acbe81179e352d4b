"""Remote products: fetch through fsspec, verify, cache by content hash.

A manifest may list files too large for git by URL (``https://`` or
``s3://``).  Before anything is fetched, :func:`url_problem` applies the
policy: only https and s3; no ``file://``; no plain ``http://``; no host that
resolves to a private, loopback or link-local address (validation runs on
untrusted pull requests and must not be usable to probe internal services).
Tests that run servers on 127.0.0.1 set ``HLSP_ALLOW_PRIVATE_URLS=1``, which
also admits ``http://`` to such hosts.

:func:`fetch` streams the file in bounded chunks into the cache, hashing as it
goes, stops as soon as more bytes arrive than the manifest says, and keeps the
file only when size and sha256 match; the cache is keyed by sha256, so a file
is downloaded once however often it is validated.  Timeouts apply to every
connection and read; transient failures are retried with back-off; a dead URL
ends as a :class:`RemoteError` naming the URL, never as a hang.

Bounds (issue 17; ``docs/limits.md``): nothing is fetched without a valid
size in the manifest, nor when that size is above ``HLSP_REMOTE_MAX_BYTES``
(default 10 GiB); a transfer stops as soon as more bytes arrive than the
manifest says, and when a product takes longer than ``HLSP_REMOTE_DEADLINE``
seconds (default 900, retries included: a server dripping a byte every few
seconds is cut off).  ``hlsp manifest``, which measures URLs before any size
is known, downloads at most ``HLSP_REMOTE_MAX_BYTES``.  Partial downloads are
temporary files that are always removed: at once on any error, and -- when the
process was killed -- by the next fetch into the same cache, which removes the
``.download.<pid>.*`` files of processes that no longer run.

A single remote file given to ``hlsp validate`` / ``hlsp.validate`` by URL
(not through a manifest, so there is no size or sha256 to check it against)
is read by :func:`read_url`: the same policy, credentials, redirect checks,
timeouts, retries (of the connection), ``HLSP_REMOTE_MAX_BYTES`` and
``HLSP_REMOTE_DEADLINE``, but the bytes stream through the FITS reader in
``CHUNK`` pieces and are never written to disk.

Configuration (environment, or :class:`RemoteOptions`): ``HLSP_CACHE_DIR`` (cache
folder, :mod:`hlsp.cachedir`), ``HLSP_TIMEOUT`` (seconds, default 30),
``HLSP_RETRIES`` (default 2), ``HLSP_ALLOW_PRIVATE_URLS``, ``HLSP_S3_ENDPOINT``
for S3-compatible stores.  ``use_reports`` (``hlsp validate --revalidate``
turns it off): an ``s3://`` product whose upload report (:mod:`hlsp.events`)
is current is not downloaded (see hlsp.collection).

Contributor products are read **anonymously**, or with the credentials given
for them alone (``HLSP_S3_ACCESS_KEY_ID`` and ``HLSP_S3_SECRET_ACCESS_KEY``):
never with the ``AWS_*`` variables, the AWS configuration files or
``AWS_ENDPOINT_URL``, which belong to the archive destination that ``hlsp
stage`` writes to (``hlsp.stage.targets``).  Otherwise a contributor's
``s3://`` URL would be fetched with the archive's keys at stage time (issue 17).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import ipaddress
import os
import re
import shutil
import socket
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterator
from urllib.parse import urljoin, urlsplit

from hlsp import limits
from hlsp.cachedir import default_dir

if TYPE_CHECKING:
    from hlsp.fits import FitsFile

_SHA256_RE = re.compile(r"[0-9a-f]{64}")

CHUNK = 1024 * 1024
ALLOWED_SCHEMES = ("https", "s3")


class RemoteError(Exception):
    """A remote product could not be fetched; the message names the URL and why."""


class IntegrityError(RemoteError):
    """The fetched bytes do not match the manifest (size or sha256)."""

    def __init__(self, message: str, size: int | None, sha256: str | None):
        super().__init__(message)
        self.size = size  # bytes received (may stop early when too large)
        self.sha256 = sha256  # None when the transfer was stopped early


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True, slots=True)
class RemoteOptions:
    cache_dir: Path = field(default_factory=default_dir)
    timeout: float = 30.0  # seconds per connection attempt and per read
    retries: int = 2  # extra attempts after a transient failure
    allow_private: bool = False  # admit loopback/private hosts and http:// to them (tests)
    s3_endpoint: str | None = None  # S3-compatible endpoint, e.g. http://127.0.0.1:8333
    s3_key: str | None = None  # credentials for contributor products only (default: anonymous)
    s3_secret: str | None = field(default=None, repr=False)
    max_bytes: int = field(default_factory=lambda: limits.get_int("remote_bytes"))  # per product
    deadline: float = field(default_factory=lambda: limits.get("remote_seconds"))  # seconds per product
    use_reports: bool = True  # s3:// products: use their upload report when current (hlsp.events); False: download

    @classmethod
    def from_env(cls, **overrides) -> "RemoteOptions":
        env = os.environ
        values = dict(
            cache_dir=default_dir(),
            timeout=float(env.get("HLSP_TIMEOUT") or 30.0),
            retries=int(env.get("HLSP_RETRIES") or 2),
            allow_private=_env_flag("HLSP_ALLOW_PRIVATE_URLS"),
            s3_endpoint=env.get("HLSP_S3_ENDPOINT") or None,  # (never the archive's AWS_ENDPOINT_URL)
            s3_key=env.get("HLSP_S3_ACCESS_KEY_ID") or None,
            s3_secret=env.get("HLSP_S3_SECRET_ACCESS_KEY") or None,
            max_bytes=limits.get_int("remote_bytes"),
            deadline=limits.get("remote_seconds"),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


# --------------------------------------------------------------------------- policy
def _host_problem(host: str | None, port: int | None, options: RemoteOptions) -> str | None:
    if not host:
        return "the URL has no host name"
    if options.allow_private:
        return None
    try:
        infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return None  # unknown host: the fetch will fail and say so
    for info in infos:
        problem = _address_problem(host, info[4][0])
        if problem:
            return problem
    return None


def _address_problem(host: str, address: str) -> str | None:
    addr = ipaddress.ip_address(address.split("%", 1)[0])
    if (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_reserved
        or addr.is_multicast
        or addr.is_unspecified
    ):
        return (
            f"host {host} resolves to the private or local address {addr}; remote products must be on a "
            "public server (set HLSP_ALLOW_PRIVATE_URLS=1 only for local testing)"
        )
    return None


class _RefusedAddress(OSError):
    """The connection's own resolution of a host gave an address the policy refuses."""


def _checked_resolver(allow_private: bool):
    """An aiohttp resolver that checks the very addresses the connection will use.

    The policy check above resolves the host once; the HTTP client would
    resolve it again to connect, and a DNS server that answers a public address
    the first time and 127.0.0.1 the second ("DNS rebinding") would slip past.
    This resolver is the only resolution the connection makes, and it refuses
    any address the policy refuses: what is checked is what is connected to.
    """
    import asyncio

    from aiohttp.abc import AbstractResolver

    class CheckedResolver(AbstractResolver):
        async def resolve(self, host: str, port: int = 0, family: int = socket.AF_INET) -> list:
            infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM, family=family)
            out = []
            for fam, _type, proto, _name, sockaddr in infos:
                problem = None if allow_private else _address_problem(host, sockaddr[0])
                if problem:
                    raise _RefusedAddress(problem)
                out.append(
                    {
                        "hostname": host,
                        "host": sockaddr[0],
                        "port": sockaddr[1],
                        "family": fam,
                        "proto": proto,
                        "flags": socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
                    }
                )
            return out

        async def close(self) -> None:
            pass

    return CheckedResolver()


def url_problem(url: str, options: RemoteOptions | None = None) -> str | None:
    """Why ``url`` may not be fetched, or None when it may."""
    options = options or RemoteOptions.from_env()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"the URL is malformed ({exc})"
    scheme = parts.scheme.lower()
    if scheme == "s3":
        if not parts.netloc:
            return "an s3:// URL needs a bucket: s3://bucket/key"
        if options.s3_endpoint:
            ep = urlsplit(options.s3_endpoint)
            return _host_problem(ep.hostname, ep.port, options)
        return None
    if scheme == "https":
        return _host_problem(parts.hostname, port, options)
    if scheme == "http":
        if options.allow_private and parts.hostname:
            return None
        return "plain http:// is not allowed: use https:// (or s3://) so the transfer cannot be altered on the way"
    if scheme == "file":
        return "file:// URLs are not allowed: put the file in the collection folder and list it by `path`"
    return f"the URL scheme {scheme + '://' if scheme else '(none)'} is not allowed: use https:// or s3://"


# --------------------------------------------------------------------------- access
def _filesystem(url: str, options: RemoteOptions):
    scheme = urlsplit(url).scheme.lower()
    _require_remote(scheme)
    import fsspec

    if scheme == "s3":
        kwargs: dict = {
            "skip_instance_cache": True,
            "config_kwargs": {
                "connect_timeout": options.timeout,
                "read_timeout": options.timeout,
                "retries": {"max_attempts": 1},
                "s3": {"addressing_style": "path"},
                "ignore_configured_endpoint_urls": True,  # AWS_ENDPOINT_URL is the archive's
            },
        }
        if options.s3_endpoint:
            kwargs["endpoint_url"] = options.s3_endpoint
        if options.s3_key and options.s3_secret:
            kwargs["key"], kwargs["secret"] = options.s3_key, options.s3_secret
        else:
            kwargs["anon"] = True  # no credentials looked up: not AWS_*, not ~/.aws
        return fsspec.filesystem("s3", **kwargs)
    import aiohttp

    timeout = aiohttp.ClientTimeout(
        total=None, connect=options.timeout, sock_connect=options.timeout, sock_read=options.timeout
    )

    async def get_client(**kwargs):
        connector = aiohttp.TCPConnector(resolver=_checked_resolver(options.allow_private))
        return aiohttp.ClientSession(connector=connector, **kwargs)

    return fsspec.filesystem(
        scheme, skip_instance_cache=True, client_kwargs={"timeout": timeout}, get_client=get_client
    )


def _require_remote(scheme: str) -> None:
    """A :class:`RemoteError` (a finding, never a crash) when the extra hlsp[remote] is missing."""
    from importlib.util import find_spec

    from hlsp.errors import missing_extra

    for module in ("fsspec", "s3fs" if scheme == "s3" else "aiohttp"):
        if find_spec(module) is None:
            raise RemoteError(missing_extra("remote", module, f"fetching {scheme}:// URLs"))


def _status(exc: BaseException) -> int | None:
    """The HTTP status behind an aiohttp or botocore error, if any."""
    status = getattr(exc, "status", None)
    if isinstance(status, int):
        return status
    response = getattr(exc, "response", None)  # botocore ClientError
    if isinstance(response, dict):
        status = response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return status if isinstance(status, int) else None
    return None


def _is_permanent(exc: BaseException) -> bool:
    """Not worth retrying: the file is not there, we may not read it, or the policy refuses it."""
    if isinstance(exc, RemoteError):
        return True
    if isinstance(exc, _RefusedAddress) or isinstance(getattr(exc, "os_error", None), _RefusedAddress):
        return True
    if isinstance(exc, (FileNotFoundError, PermissionError)):
        cause = exc.__cause__  # fsspec wraps connection errors in FileNotFoundError
        return cause is None or _is_permanent(cause)
    status = _status(exc)
    return status is not None and 400 <= status < 500 and status not in (408, 429)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, RemoteError):
        return str(exc)
    if isinstance(exc, (FileNotFoundError, PermissionError)) and exc.__cause__ is not None:
        exc = exc.__cause__
    if isinstance(getattr(exc, "os_error", None), _RefusedAddress):
        exc = exc.os_error
    if isinstance(exc, _RefusedAddress):
        return f"refused: {exc}"
    if isinstance(exc, FileNotFoundError):
        return "not found (HTTP 404 or no such key)"
    status = _status(exc)
    if isinstance(exc, PermissionError) or status in (401, 403):
        return "access denied (HTTP 403: the file is private, or the credentials are wrong)"
    if status == 404:
        return "not found (HTTP 404 or no such key)"
    if status is not None:
        return f"HTTP status {status}"
    if isinstance(exc, (TimeoutError, socket.timeout)) or "timeout" in type(exc).__name__.lower():
        return "timed out"
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


MAX_REDIRECTS = 5
_REDIRECTS = (301, 302, 303, 307, 308)


def _open_http(fs, url: str, options: RemoteOptions):
    """Open ``url`` for streaming, following redirects only to URLs the policy allows.

    (Redirects are followed here, not by the HTTP library, so that a public
    URL cannot redirect the validator to a private address or a file:// URL.)
    """
    for _ in range(MAX_REDIRECTS + 1):
        # block_size=0 streams one GET; a size skips fsspec's HEAD request,
        # which would report every failure as FileNotFoundError.
        fh = fs.open(url, "rb", block_size=0, size=1, allow_redirects=False)
        response = getattr(fh, "r", None)
        if getattr(response, "status", 200) not in _REDIRECTS:
            return fh
        location = response.headers.get("Location", "")
        fh.close()
        target = urljoin(url, location)
        problem = url_problem(target, options) if location else "a redirect without a Location"
        if problem:
            raise RemoteError(f"redirected to {target or '(nowhere)'}, which is refused: {problem}")
        url = target
    raise RemoteError(f"more than {MAX_REDIRECTS} redirects")


class DeadlineError(RemoteError):
    """A product took longer than its wall-clock deadline (HLSP_REMOTE_DEADLINE)."""


def _chunks(url: str, options: RemoteOptions) -> Iterator[bytes]:
    fs = _filesystem(url, options)
    if urlsplit(url).scheme.lower() == "s3":
        fh = fs.open(url[len("s3://") :], "rb", block_size=CHUNK)
    else:
        fh = _open_http(fs, url, options)
    with fh:
        while chunk := fh.read(CHUNK):
            yield chunk


def _download(url: str, options: RemoteOptions, dest: Path, max_size: int | None) -> tuple[int, str]:
    """Stream ``url`` into ``dest``; (size, sha256).  Stops early beyond ``max_size``
    (the manifest's) or ``options.max_bytes``, and at ``options.deadline`` seconds."""
    last: BaseException | None = None
    deadline = time.monotonic() + options.deadline

    def over_time() -> None:
        if time.monotonic() > deadline:
            raise DeadlineError(
                f"{url}: not fetched within {options.deadline:g} seconds (limit: HLSP_REMOTE_DEADLINE); transfer stopped"
            )

    for attempt in range(options.retries + 1):
        if attempt:
            time.sleep(min(0.5 * 2 ** (attempt - 1), 5.0, max(0.0, deadline - time.monotonic())))
            over_time()
        h = hashlib.sha256()
        size = 0
        try:
            with open(dest, "wb") as out:
                for chunk in _chunks(url, options):
                    size += len(chunk)
                    if max_size is not None and size > max_size:
                        raise IntegrityError(
                            f"{url}: more than the {max_size} bytes the manifest gives; transfer stopped", size, None
                        )
                    if size > options.max_bytes:
                        raise RemoteError(
                            f"{url}: more than {options.max_bytes} bytes, the most a remote product may have "
                            "(limit: HLSP_REMOTE_MAX_BYTES); transfer stopped"
                        )
                    over_time()
                    h.update(chunk)
                    out.write(chunk)
            return size, h.hexdigest()
        except (IntegrityError, DeadlineError):
            raise
        except Exception as exc:  # network libraries raise many types; all end here
            last = exc
            if _is_permanent(exc):
                break
    attempts = f" (after {options.retries + 1} attempts)" if options.retries and not _is_permanent(last) else ""
    raise RemoteError(f"cannot fetch {url}: {_describe(last)}{attempts}")


def _safe_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name or name.startswith(".") or "/" in name or "\\" in name or "\0" in name or len(name) > 200:
        return "data"
    return name


def cache_path(sha256: str, options: RemoteOptions, name: str | None = None) -> Path:
    """``<cache>/<sha[:2]>/<sha>/<file name>``: keyed by content, named like the product
    (file-level rules read the name).

    The sha256 comes from a contributor's manifest: anything but 64 lowercase hex
    digits is refused, so that it can never name a folder outside the cache.
    """
    if not isinstance(sha256, str) or not _SHA256_RE.fullmatch(sha256):
        raise RemoteError(f"{str(sha256)[:80]!r} is not a sha256 (64 lowercase hex digits); nothing was fetched")
    return options.cache_dir / sha256[:2] / sha256 / _safe_name(name)


def _verified(path: Path, sha256: str) -> bool:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest() == sha256


def _cached(sha256: str, size: int | None, options: RemoteOptions, name: str | None) -> Path | None:
    folder = cache_path(sha256, options).parent
    if not folder.is_dir():
        return None
    for entry in sorted(folder.iterdir()):
        if not entry.is_file() or entry.name.startswith("."):
            continue
        if (size is not None and entry.stat().st_size != size) or not _verified(entry, sha256):
            with contextlib.suppress(OSError):  # a damaged cache entry: drop it
                entry.unlink()
            continue
        target = cache_path(sha256, options, name)
        if entry != target:
            with contextlib.suppress(FileExistsError):
                try:
                    os.link(entry, target)
                except OSError:
                    shutil.copyfile(entry, target)
        return target
    return None


def _store(tmp: Path, sha256: str, options: RemoteOptions, name: str | None) -> Path:
    path = cache_path(sha256, options, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, path)
    return path


def _tempfile(options: RemoteOptions) -> Path:
    options.cache_dir.mkdir(parents=True, exist_ok=True)
    _remove_orphans(options.cache_dir)
    fd, name = tempfile.mkstemp(prefix=f".download.{os.getpid()}.", dir=options.cache_dir)
    os.close(fd)
    return Path(name)


def _remove_orphans(folder: Path) -> None:
    """Remove the partial downloads of processes that were killed (they could not clean up)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for e in entries:
        parts = e.name.split(".")
        if not e.name.startswith(".download.") or len(parts) < 4 or not parts[2].isdigit():
            continue
        pid = int(parts[2])
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
            continue  # still running (or not ours to signal): its download may be in progress
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        with contextlib.suppress(OSError):
            os.unlink(e.path)


def _check_size(url: str, size, options: RemoteOptions) -> int:
    """The manifest's size, if it is one that may be fetched; else RemoteError (nothing is fetched)."""
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise RemoteError(
            f"{url}: the manifest gives no valid size (a whole number of bytes), so it is not fetched: "
            "add the size (`hlsp manifest` measures it)"
        )
    if size > options.max_bytes:
        raise RemoteError(
            f"{url}: the manifest gives {size} bytes, more than the {options.max_bytes} a remote product may have "
            "(limit: HLSP_REMOTE_MAX_BYTES); nothing was fetched"
        )
    return size


def fetch(
    url: str, size: int | None, sha256: str | None, options: RemoteOptions | None = None, name: str | None = None
) -> Path:
    """The verified local copy of ``url`` (from the cache, or downloaded into it).

    Raises :class:`RemoteError` (refused, unreachable) or :class:`IntegrityError`
    (wrong size or sha256; nothing is kept).  ``name`` is the file name the
    copy gets (the product's), so that file-level rules see the real name.
    """
    options = options or RemoteOptions.from_env()
    problem = url_problem(url, options)
    if problem:
        raise RemoteError(f"{url}: {problem}")
    size = _check_size(url, size, options)
    if sha256:
        hit = _cached(sha256, size, options, name)
        if hit is not None:
            return hit
    tmp = _tempfile(options)
    try:
        got_size, got_sha = _download(url, options, tmp, size)
        if size is not None and got_size != size:
            raise IntegrityError(f"{url}: {got_size} bytes received, the manifest gives {size}", got_size, got_sha)
        if sha256 and got_sha != sha256:
            raise IntegrityError(f"{url}: sha256 is {got_sha}, the manifest gives {sha256}", got_size, got_sha)
        return _store(tmp, got_sha, options, name)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def measure_url(url: str, options: RemoteOptions | None = None, name: str | None = None) -> tuple[int, str]:
    """(size, sha256) of a remote file (for ``hlsp manifest``); the copy lands in the cache."""
    options = options or RemoteOptions.from_env()
    problem = url_problem(url, options)
    if problem:
        raise RemoteError(f"{url}: {problem}")
    tmp = _tempfile(options)
    try:
        size, digest = _download(url, options, tmp, None)
        _store(tmp, digest, options, name)
        return size, digest
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


# --------------------------------------------------------------------------- streaming
class UrlStream(io.RawIOBase):
    """A remote file as a read-only byte stream, fetched ``CHUNK`` by ``CHUNK`` as it is read.

    Opening fetches the first chunk (so that a refused, missing or unreachable
    file fails at once, with retries and back-off for transient errors); a
    failure later in the transfer raises ``OSError`` naming the URL.
    ``received`` counts the bytes so far.
    """

    def __init__(self, url: str, options: RemoteOptions | None = None):
        super().__init__()
        self.url = url
        options = options or RemoteOptions.from_env()
        problem = url_problem(url, options)
        if problem:
            raise RemoteError(f"{url}: {problem}")
        self.received = 0
        self.failure: str | None = None  # why the transfer broke off, if it did
        self._max_bytes = options.max_bytes
        self._deadline_s = options.deadline
        self._deadline = time.monotonic() + options.deadline
        last: BaseException | None = None
        for attempt in range(options.retries + 1):
            if attempt:
                time.sleep(min(0.5 * 2 ** (attempt - 1), 5.0, max(0.0, self._deadline - time.monotonic())))
                if self._over():
                    break
            self._chunks = _chunks(url, options)
            try:
                first = next(self._chunks, b"")
                while 0 < len(first) < 16:  # (a short read: the magic bytes must be in ``head``)
                    more = next(self._chunks, b"")
                    if not more:
                        break
                    first += more
            except Exception as exc:  # network libraries raise many types; all end here
                last = exc
                self._chunks.close()
                if _is_permanent(exc):
                    break
                continue
            last = None
            break
        if last is not None:
            if self._over():
                raise RemoteError(self._over())
            attempts = f" (after {options.retries + 1} attempts)" if options.retries and not _is_permanent(last) else ""
            raise RemoteError(f"cannot fetch {url}: {_describe(last)}{attempts}")
        self.head = bytes(first[:16])  # the magic bytes (gzip, bzip2, SIMPLE)
        self._take(first)
        if self._over():
            self.close()
            raise RemoteError(self._over())

    def _take(self, chunk: bytes) -> None:
        self.received += len(chunk)
        self._view = memoryview(chunk)

    def _over(self) -> str | None:
        """Why the transfer must stop (HLSP_REMOTE_MAX_BYTES, HLSP_REMOTE_DEADLINE), or None."""
        if self.received > self._max_bytes:
            return (
                f"{self.url}: more than {self._max_bytes} bytes, the most a remote product may have "
                "(limit: HLSP_REMOTE_MAX_BYTES); transfer stopped"
            )
        if time.monotonic() > self._deadline:
            return f"{self.url}: not fetched within {self._deadline_s:g} seconds (limit: HLSP_REMOTE_DEADLINE); transfer stopped"
        return None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if not self._view:
            try:
                chunk = next(self._chunks, b"")
            except Exception as exc:
                self.failure = f"cannot fetch {self.url}: {_describe(exc)} after {self.received} bytes"
                raise OSError(self.failure) from exc
            self._take(chunk)
            self.failure = self._over()
            if self.failure:
                raise OSError(self.failure)
        n = min(len(buffer), len(self._view))
        buffer[:n] = self._view[:n]
        self._view = self._view[n:]
        return n

    def close(self) -> None:
        if not self.closed and hasattr(self, "_chunks"):
            self._chunks.close()  # ends the transfer (closes the connection)
        super().close()


def read_url(url: str, options: RemoteOptions | None = None, scan_data: bool = True) -> "FitsFile":
    """Read the remote FITS file at ``url`` (``https://``, ``s3://``) with :mod:`hlsp.fitsfile`'s reader.

    The bytes stream through the reader as they arrive (gzip and bzip2 are
    decompressed on the way) and are never written to disk.  Raises
    ``OSError`` naming the URL when it is refused by the policy or cannot be
    fetched; what is wrong *in* the file is recorded, as for a local file.
    """
    import bz2
    import gzip

    from hlsp.fits import Inflated, inflate_cap, read_stream

    class _Inflated(Inflated):
        """The local reader's inflate bounds (a decompression bomb stops with FS020), with the
        compressed size taken as what has arrived so far: a URL gives no size ahead."""

        def __init__(self, stream, compression: str, raw: UrlStream):
            super().__init__(stream, compression, raw.received)
            self._raw = raw

        def read(self, n: int = -1) -> bytes:
            self.compressed_size = self._raw.received
            self.cap = inflate_cap(self.compressed_size)
            return super().read(n)

    try:
        raw = UrlStream(url, options)
    except RemoteError as exc:
        raise OSError(str(exc)) from exc
    stream: io.RawIOBase | _Inflated = raw
    compression = None
    if raw.head[:2] == b"\x1f\x8b":
        stream, compression = _Inflated(gzip.GzipFile(fileobj=raw, mode="rb"), "gzip", raw), "gzip"
    elif raw.head[:3] == b"BZh":
        stream, compression = _Inflated(bz2.BZ2File(raw, mode="rb"), "bzip2", raw), "bzip2"
    try:
        ff = read_stream(stream, url, 0, compression, scan_data)
    finally:
        raw.close()
    if raw.failure:  # (inside gzip or bzip2 it would pass for a corrupt stream)
        raise OSError(raw.failure)
    ff.size = raw.received
    return ff
