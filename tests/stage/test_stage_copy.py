"""The one-pass copy: every byte copied once, hashed twice and read by the FITS reader, whatever the chunking."""

from __future__ import annotations

import hashlib
import importlib.util
import io
import random
from pathlib import Path

import pytest

from hlsp.fits import read_fits
from hlsp.stage.copy import copy_hashed, read_copy

ROOT = Path(__file__).resolve().parents[2]

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


# ------------------------------------------------------------- the one-read pass
def _fits_key(ff):
    """Everything the rules read of a FitsFile."""
    return (
        [
            (h.index, h.kind, h.data_sum, h.any_finite, h.fill_ok, h.data_read, h.truncated,
             [(c.keyword, c.value, c.vtype) for c in h.header.cards], repr(getattr(h, "value_problems", None)))
            for h in ff.hdus
        ],
        [repr(i) for i in ff.issues], ff.is_fits, ff.trailing_bytes, ff.compression, ff.size,
    )  # fmt: skip


def _check_read_copy(path, chunk=CHUNK * 16):
    data = path.read_bytes()
    sink = Collect()
    ff, digest = read_copy(str(path), sink, fits=True, chunk=chunk)
    assert bytes(sink.data) == data
    assert (digest.size, digest.sha256, digest.md5) == (
        len(data), hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest()
    )  # fmt: skip
    assert _fits_key(ff) == _fits_key(read_fits(path))


def test_read_copy_reads_what_the_reader_reads_from_real_files(realdata):
    """One pass gives validation the same FitsFile as hlsp.fits.read_fits, plus the digests and the copy."""
    files = sorted(p for p in realdata.iterdir() if ".fits" in p.name)
    assert any(p.name.endswith(".gz") for p in files)  # compressed: hashed as stored, read decompressed
    for path in files:
        _check_read_copy(path)


@pytest.mark.parametrize("chunk", [2880, 4096, 1 << 20])
def test_read_copy_of_a_multi_chunk_file_matches_the_direct_reader(tmp_path, chunk):
    """A file bigger than the reader's in-memory limit: read_fits takes its positioned-read path, the pass a stream."""
    spec = importlib.util.spec_from_file_location("make_data", ROOT / "benchmarks" / "make_data.py")
    make_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_data)
    make_data.make_big(tmp_path, 1, 6)  # 6 MiB: above SMALL_FILE
    (path,) = tmp_path.glob("*.fits")
    _check_read_copy(path, chunk)


def test_read_copy_of_a_damaged_and_a_non_fits_file(tmp_path):
    good = ROOT / "contributions" / "example" / "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"
    cut = tmp_path / "cut.fits"
    cut.write_bytes(good.read_bytes()[:-5000])  # truncated inside the data
    _check_read_copy(cut, 4096)
    text = tmp_path / "notes.txt"
    text.write_bytes(b"not a FITS file\n" * 1000)
    ff, digest = read_copy(str(text), None, fits=None, chunk=4096)
    assert ff is None and digest.sha256 == hashlib.sha256(text.read_bytes()).hexdigest()


@pytest.mark.parametrize("stream", [io.BytesIO, Trickle], ids=["file-like", "short-reads"])
def test_tee_reader_serves_every_byte_once_to_reader_hashes_and_sink(stream):
    """Reads of any size (what the FITS reader and the decompressors ask), a rest left unread."""
    from hlsp.stage.copy import TeeReader

    data = random.Random(7).randbytes(5 * CHUNK + 123)
    sink = Collect()
    tee = TeeReader(stream(data), sink, chunk=CHUNK)
    assert tee.peek(9) == data[:9]
    sizes = random.Random(8).choices([1, 7, 2880, CHUNK, 3 * CHUNK + 5], k=6)
    served = b"".join(tee.read(n) for n in sizes)
    assert served == data[: len(served)]
    digest = tee.finish()  # the rest is read, hashed and copied, not served
    assert bytes(sink.data) == data
    assert (digest.size, digest.sha256, digest.md5) == (
        len(data), hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest()
    )  # fmt: skip
