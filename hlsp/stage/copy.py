"""Copy a stream once, computing its size, SHA-256 and MD5 on the way.

Staging reads every byte of a product exactly once: the bytes go to the
destination, through both hashes and (:func:`read_copy`) through the FITS
reader whose result the validation judges, all in the same pass.  The two hashes run in
two worker threads on the same chunk while the calling thread writes that
chunk and reads the next one into a second buffer; ``hashlib`` releases the
GIL for large buffers, so on two or more cores the pass costs about as much as
the slower hash alone (MD5, without hardware support), not the sum of all three.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

from hlsp.fits import FitsFile, Inflated, read_full, read_stream

CHUNK = 8 * 1024 * 1024  # large enough to amortise thread hand-offs, small enough for memory


@dataclass(frozen=True, slots=True)
class Digest:
    size: int
    sha256: str
    md5: str


class Sink(Protocol):
    def write(self, data: memoryview) -> object: ...


def _fill(src: BinaryIO, buf: bytearray) -> int:
    """Read into ``buf`` until it is full or the stream ends (sockets return short reads)."""
    view = memoryview(buf)
    got = 0
    while got < len(buf):
        n = src.readinto(view[got:])
        if not n:
            break
        got += n
    return got


def copy_hashed(src: BinaryIO, sink: Sink | None, chunk: int = CHUNK) -> Digest:
    """Copy ``src`` to ``sink`` (``None``: only hash) and return the digest of the bytes copied.

    ``sink.write`` must have consumed (written or copied) the data when it
    returns: the buffer is reused for the chunk after next.
    """
    sha, md5 = hashlib.sha256(), hashlib.md5()
    first = read_full(src, chunk)
    if len(first) < chunk:  # the whole stream fits one chunk: threads would cost more than they save
        sha.update(first)
        md5.update(first)
        if sink is not None and first:
            sink.write(memoryview(first))
        return Digest(len(first), sha.hexdigest(), md5.hexdigest())
    buffers = (bytearray(first), bytearray(chunk))  # two buffers, reused: no allocation per chunk
    n = len(first)
    size = 0
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="hlsp-hash") as pool:
        current = 0
        while n:
            view = memoryview(buffers[current])[:n]
            hashing = (pool.submit(sha.update, view), pool.submit(md5.update, view))
            if sink is not None:
                sink.write(view)
            size += n
            current ^= 1
            n = _fill(src, buffers[current])  # overlaps with the hashing of the previous chunk
            for job in hashing:
                job.result()
    return Digest(size, sha.hexdigest(), md5.hexdigest())


class TeeReader:
    """A read-only stream over ``src`` that sends every byte it reads, once, to the hashes and a sink.

    ``src`` is read ``chunk`` bytes at a time into two reused buffers; each
    chunk is hashed (SHA-256 and MD5 on two worker threads) and written to
    ``sink`` as it arrives, and ``read()`` serves the caller (the FITS reader,
    or a decompressor in front of it) from it.  The next chunk is read while
    the hashes of the last one run.  :meth:`finish` reads what the caller left
    (bytes after the last HDU, or a whole non-FITS file) and returns the digest.
    """

    def __init__(self, src: BinaryIO, sink: Sink | None, chunk: int = CHUNK):
        self.src, self.sink, self.chunk = src, sink, chunk
        self.sha, self.md5 = hashlib.sha256(), hashlib.md5()
        self.buffers = (bytearray(chunk), bytearray(chunk))
        self.current = 1
        self.view = memoryview(b"")
        self.pos = 0
        self.size = 0
        self.ended = False
        self.hashing: tuple = ()
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="hlsp-hash")

    # -- the stream interface the reader and the decompressors use
    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        parts = []
        while n != 0:
            if self.pos >= len(self.view) and not self._next():
                break
            avail = len(self.view) - self.pos
            take = avail if n < 0 else min(n, avail)
            parts.append(self.view[self.pos : self.pos + take].tobytes())
            self.pos += take
            if n > 0:
                n -= take
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def peek(self, n: int) -> bytes:
        """The next ``n`` bytes (fewer at the end) without consuming them (at the start only)."""
        if self.pos >= len(self.view):
            self._next()
        return self.view[self.pos : self.pos + n].tobytes()

    def close(self) -> None:  # the reader closes its stream; the source stays open for finish()
        pass

    # -- the pass
    def _next(self) -> bool:
        if self.ended:
            return False
        other = self.current ^ 1  # not being hashed: its hashes were awaited before it was served
        got = _fill(self.src, self.buffers[other])
        self._wait()
        if not got:
            self.ended = True
            self.view, self.pos = memoryview(b""), 0
            return False
        self.current = other
        self.view, self.pos = memoryview(self.buffers[other])[:got], 0
        self.hashing = (self.pool.submit(self.sha.update, self.view), self.pool.submit(self.md5.update, self.view))
        if self.sink is not None:
            self.sink.write(self.view)
        self.size += got
        if got < self.chunk:
            self.ended = True  # (a regular file reads short only at its end)
        return True

    def _wait(self) -> None:
        for job in self.hashing:
            job.result()
        self.hashing = ()

    def finish(self) -> Digest:
        """Read the rest, wait for the hashes; the digest of every byte of ``src``."""
        try:
            self.pos = len(self.view)
            while self._next():
                self.pos = len(self.view)
            self._wait()
        finally:
            self.pool.shutdown(wait=True)
        return Digest(self.size, self.sha.hexdigest(), self.md5.hexdigest())

    def abandon(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


FITS_MAGIC = b"SIMPLE  ="


def read_copy(
    path: str, sink: Sink | None, fits: bool | None = None, chunk: int = CHUNK
) -> tuple[FitsFile | None, Digest]:
    """Read ``path`` once: its FITS structure (what validation judges), digest, and a copy to ``sink``.

    ``fits``: read it as FITS (True), not (False), or when its first bytes
    are FITS's ``SIMPLE  =`` (None, as the validation engine decides).  Errors reading the
    source (OSError) are raised; bad FITS content never is (it is recorded
    in the FitsFile for the rules, as :func:`hlsp.fits.read_fits` does).
    """
    import bz2
    import gzip
    import os

    with open(path, "rb") as fh:
        tee = TeeReader(fh, sink, chunk)
        try:
            head = tee.peek(3)
            compression = "gzip" if head[:2] == b"\x1f\x8b" else "bzip2" if head == b"BZh" else None
            if fits is None:
                fits = tee.peek(len(FITS_MAGIC)) == FITS_MAGIC
            ff = None
            if fits:
                stream: Any = tee
                size = os.fstat(fh.fileno()).st_size
                if compression == "gzip":  # (bounded as hlsp.fits.open_stream bounds it)
                    stream = Inflated(gzip.GzipFile(fileobj=tee, mode="rb"), "gzip", size)
                elif compression == "bzip2":
                    stream = Inflated(bz2.BZ2File(tee, mode="rb"), "bzip2", size)
                ff = read_stream(stream, path, size, compression)
            return ff, tee.finish()
        except BaseException:
            tee.abandon()
            raise
