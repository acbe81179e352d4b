"""Copy a stream once, computing its size, SHA-256 and MD5 on the way.

Staging reads every byte of a product exactly once: the bytes go to the
destination and through both hashes in the same pass.  The two hashes run in
two worker threads on the same chunk while the calling thread writes that
chunk and reads the next one into a second buffer; ``hashlib`` releases the
GIL for large buffers, so on two or more cores the pass costs about as much as
the slower hash alone (MD5, without hardware support), not the sum of all three.
"""

from __future__ import annotations

import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO, Protocol

from hlsp.fitsfile import read_full

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
