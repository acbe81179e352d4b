"""The one-pass copy: every byte copied once and hashed twice, whatever the chunking and read sizes."""

from __future__ import annotations

import hashlib
import io
import random

import pytest

from hlsp.stage.copy import copy_hashed

CHUNK = 4096


class Collect:
    def __init__(self):
        self.data = bytearray()

    def write(self, view):
        self.data += view


class Trickle(io.RawIOBase):
    """A stream that returns short reads, as sockets and HTTP bodies do."""

    def __init__(self, data: bytes, step: int = 1000):
        self.view, self.pos, self.step = memoryview(data), 0, step

    def readable(self):
        return True

    def readinto(self, buf):
        n = min(len(buf), self.step, len(self.view) - self.pos)
        buf[:n] = self.view[self.pos : self.pos + n]
        self.pos += n
        return n


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 7, 50_000])
@pytest.mark.parametrize("stream", [io.BytesIO, Trickle], ids=["file-like", "short-reads"])
def test_copy_and_digests_match_the_source(size, stream):
    data = random.Random(size).randbytes(size)
    sink = Collect()
    digest = copy_hashed(stream(data), sink, chunk=CHUNK)
    assert bytes(sink.data) == data
    assert (digest.size, digest.sha256, digest.md5) == (
        size,
        hashlib.sha256(data).hexdigest(),
        hashlib.md5(data).hexdigest(),
    )


def test_hash_only_without_a_sink():
    data = bytes(range(256)) * 100
    assert copy_hashed(io.BytesIO(data), None, chunk=CHUNK).sha256 == hashlib.sha256(data).hexdigest()
