"""Reading a remote FITS file by URL as it arrives, without storing it.

A single remote file given to ``hlsp validate`` / ``hlsp.validate`` by URL
(not through a manifest, so there is no size or sha256 to check it against)
is read by :func:`read_url`: the same policy, credentials, redirect checks,
timeouts, retries (of the connection), ``HLSP_REMOTE_MAX_BYTES`` and
``HLSP_REMOTE_DEADLINE``, but the bytes stream through the FITS reader in
``CHUNK`` pieces and are never written to disk.
"""

from __future__ import annotations

import io
import time
from typing import TYPE_CHECKING

from hlsp.remote.options import RemoteError, RemoteOptions
from hlsp.remote.policy import url_problem
from hlsp.remote.transport import _chunks, _describe, _is_permanent

if TYPE_CHECKING:
    from hlsp.fits import FitsFile


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
    """Read the remote FITS file at ``url`` (``https://``, ``s3://``) with :mod:`hlsp.fits`'s reader.

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
