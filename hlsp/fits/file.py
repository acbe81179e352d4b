"""Opening FITS files: the one place that opens them, and the containers they
come in.

Plain FITS, gzip (``.gz``) and bzip2 (``.bz2``), detected from the magic
bytes; gzip and bzip2 are decompressed as a stream, bounded by
:func:`inflate_cap` (:class:`Inflated`), small plain files are read in one
call.  Tile-compressed files (``.fz``) are plain FITS whose image lives in a
BINTABLE.  A remote file given by URL arrives as a stream through
``hlsp/remote/stream.py`` ``read_url``.  What the bytes hold is read by
:mod:`hlsp.fits.read`.
"""

from __future__ import annotations

import errno
import io
import os
import stat

from hlsp import limits

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from typing import BinaryIO

# Files up to this size are read in one call (fast path for many small files).
SMALL_FILE = 4 * 1024 * 1024


def open_stream(path: str) -> tuple[BinaryIO, str | None, int]:
    """(byte stream of the FITS content, compression or None, size on disk).

    gzip and bzip2 are recognised by their magic bytes and decompressed as a
    stream; small plain files are read in one call.  Used by the reader and by
    the previews, so that both see the same bytes.
    """
    st = os.stat(path)
    if stat.S_ISFIFO(st.st_mode) or stat.S_ISSOCK(st.st_mode) or stat.S_ISCHR(st.st_mode):
        # opening a pipe would wait for a writer forever
        raise OSError(errno.EINVAL, "not a regular file (a named pipe, socket or device)")
    size = st.st_size
    raw = open(path, "rb", buffering=0)
    try:
        if size <= SMALL_FILE:  # one read, no copy (a buffered reader would join its buffer to the rest)
            with raw:
                data = raw.readall()
            fh: BinaryIO = io.BytesIO(data)
            magic = data[:3]
        else:
            magic = raw.read(3)
            raw.seek(0)
            fh = io.BufferedReader(raw)  # (what open(path, "rb") gives; the reader reads big data from its fd)
        # (gzip and bz2 are imported for compressed files only: ~1.5 ms)
        if magic[:2] == b"\x1f\x8b":
            import gzip

            return Inflated(gzip.GzipFile(fileobj=fh, mode="rb"), "gzip", size, fh), "gzip", size
        if magic == b"BZh":
            import bz2

            return Inflated(bz2.BZ2File(fh, mode="rb"), "bzip2", size, fh), "bzip2", size
        return fh, None, size
    except BaseException:
        raw.close()
        raise


class LimitExceeded(Exception):
    """Reading a file would go past one of the bounds of :mod:`hlsp.limits`."""


def inflate_cap(compressed_size: int) -> int:
    """Bytes a compressed file of ``compressed_size`` bytes may inflate to (hlsp.limits)."""
    relative = max(limits.get_int("inflate_free"), limits.get_int("inflate_ratio") * compressed_size)
    return min(relative, limits.get_int("inflate_max"))


class Inflated:
    """A gzip/bzip2 stream that stops with :class:`LimitExceeded` past :func:`inflate_cap`.

    A decompression bomb (a few KB that inflate to terabytes) is cut off after
    at most ``inflate_cap`` bytes -- bounded time, not just bounded memory.
    """

    def __init__(self, stream, compression: str, compressed_size: int, source: BinaryIO | None = None):
        self._stream = stream
        self._source = source  # the compressed file, closed with the stream (a decompressor leaves it open)
        self.compression = compression
        self.compressed_size = compressed_size
        self.cap = inflate_cap(compressed_size)
        self.pos = 0  # position in the inflated bytes: what has been decompressed, at least

    def read(self, n: int = -1) -> bytes:
        left = self.cap - self.pos
        b = self._stream.read(left + 1 if n is None or n < 0 or n > left else n)
        self.pos += len(b)
        if self.pos > self.cap:
            raise self._exceeded()
        return b

    def seek(self, offset: int, whence: int = 0) -> int:
        if whence == 0 and offset > self.cap:
            raise self._exceeded()
        self.pos = self._stream.seek(offset, whence)
        if self.pos > self.cap:
            raise self._exceeded()
        return self.pos

    def tell(self) -> int:
        return self.pos

    def _exceeded(self) -> LimitExceeded:
        return LimitExceeded(
            f"the {self.compression} file inflates to more than {self.cap} bytes "
            f"({self.compressed_size} compressed; a decompression bomb?) -- reading stopped there "
            "(limits: HLSP_MAX_INFLATE_RATIO, HLSP_INFLATE_FREE, HLSP_MAX_INFLATED)"
        )

    def close(self) -> None:
        self._stream.close()
        if self._source is not None:
            self._source.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def read_full(stream: BinaryIO, n: int) -> bytes:
    """Read up to n bytes, looping over short reads (pipes, sockets, decompressors)."""
    chunks = []
    while n > 0:
        b = stream.read(n)
        if not b:
            break
        chunks.append(b)
        n -= len(b)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)
