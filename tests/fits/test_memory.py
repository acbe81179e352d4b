"""Reading big files: bounded memory, and the fast data path agrees with the plain one.

Properties, not timings: ``tracemalloc`` counts Python and numpy allocations
(numpy reports its buffers to it), so its peak says how much the reader holds
at once, whatever the file size.
"""

from __future__ import annotations

import gzip
import os
import tempfile
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hlsp.fits.file as fits_file
import hlsp.fits.read as fits_read
from fitsgen import MiB, card, header_bytes, primary_cards, sparse_image
from hlsp.fits import read_fits
from hlsp.fits.card import BLOCK


def test_reading_a_200_mb_file_holds_a_few_mib(tmp_path):
    size = 200 * MiB
    words = {0: 0x3F800000, 4: 0x7FC00000, size // 2 - 4: 0xDEADBEEF, size // 2: 0x01020304, size - 4: 0xFFFFFFFF}
    path = tmp_path / "big.fits"
    expected = sparse_image(path, size, words)
    tracemalloc.start()
    try:
        f = read_fits(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    hdu = f.hdus[0]
    padded = -(-size // BLOCK) * BLOCK
    assert (hdu.data_sum, hdu.data_read, hdu.truncated, hdu.fill_ok, hdu.any_finite) == (
        expected,
        padded,
        False,
        True,
        True,
    )
    assert hdu.checksum_status == ("missing", "missing")
    assert peak < 8 * MiB, f"peak {peak / MiB:.1f} MiB while reading {size // MiB} MiB"


def test_reading_a_big_gzip_file_holds_a_few_mib(tmp_path):
    n = 64 * MiB
    raw = header_bytes(primary_cards(-32, [n // 4])) + bytes(-(-n // BLOCK) * BLOCK)
    path = tmp_path / "big.fits.gz"
    path.write_bytes(gzip.compress(raw, compresslevel=1))
    del raw
    tracemalloc.start()
    try:
        f = read_fits(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert f.compression == "gzip" and not f.hdus[0].truncated and f.hdus[0].data_sum == 0
    assert peak < 12 * MiB, f"peak {peak / MiB:.1f} MiB"


def _facts(fits) -> list:
    return [
        (h.header_sum, h.data_sum, h.data_read, h.truncated, h.fill_ok, h.any_finite, h.end_found) for h in fits.hdus
    ] + sorted((i.code, i.hdu) for i in fits.issues)


@st.composite
def image_files(draw):
    bitpix = draw(st.sampled_from([-32, -64, 8, 16, 32]))
    itemsize = abs(bitpix) // 8
    n = draw(st.integers(0, 40_000 // itemsize))  # up to 14 blocks: several chunks, split in two
    kind = draw(st.sampled_from(["zeros", "nan", "random", "nan-then-value"]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    data = rng.integers(0, 256, n * itemsize, dtype=np.uint8).tobytes() if kind == "random" else bytes(n * itemsize)
    if bitpix < 0 and kind.startswith("nan") and n:
        arr = np.full(n, np.nan, ">f4" if bitpix == -32 else ">f8")
        if kind == "nan-then-value":
            arr[draw(st.integers(0, n - 1))] = 1.5
        data = arr.tobytes()
    cards = primary_cards(bitpix, [n] if n else [])
    body = data + b"\0" * (-len(data) % BLOCK)
    if draw(st.booleans()) and len(body) > len(data):
        body = body[:-1] + b"\x07"  # a non-zero byte in the padding
    raw = header_bytes(cards) + body
    if draw(st.booleans()):
        raw += header_bytes(
            [card("XTENSION", "IMAGE"), ("BITPIX", 8), ("NAXIS", 1), ("NAXIS1", 100), ("PCOUNT", 0), ("GCOUNT", 1)]
        )
        raw += b"\x05" * 100 + b"\0" * (BLOCK - 100)
    cut = draw(st.one_of(st.none(), st.integers(BLOCK, max(BLOCK, len(raw)))))
    return raw if cut is None else raw[:cut]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=image_files())
def test_direct_threaded_path_agrees_with_the_stream_path(raw):
    """Positioned reads in two threads give the same facts as reading the bytes in order."""
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.fits"
        path.write_bytes(raw)
        saved = fits_file.SMALL_FILE, fits_read.PARALLEL_DATA, fits_read.CHUNK
        try:
            fits_read.CHUNK = 2 * BLOCK  # small chunks: many of them, and a split between threads
            fits_file.SMALL_FILE = 10**12  # the whole file read at once, then streamed from memory
            reference = _facts(read_fits(path))
            fits_file.SMALL_FILE, fits_read.PARALLEL_DATA = 0, 0  # plain file: pread path, always split in two
            assert _facts(read_fits(path)) == reference
        finally:
            fits_file.SMALL_FILE, fits_read.PARALLEL_DATA, fits_read.CHUNK = saved


@pytest.mark.parametrize("cut", [0, 1, 2, 3, 5, 2880])
def test_truncated_big_file_is_reported_by_both_paths(tmp_path, cut, monkeypatch):
    path = tmp_path / "t.fits"
    nbytes = 6 * BLOCK
    sparse_image(path, nbytes, {8: 0x12345678, nbytes - 8: 0x9ABCDEF0})
    with open(path, "r+b") as fh:
        fh.truncate(os.path.getsize(path) - cut)
    monkeypatch.setattr(fits_file, "SMALL_FILE", 10**12)
    reference = _facts(read_fits(path))
    monkeypatch.setattr(fits_file, "SMALL_FILE", 0)
    monkeypatch.setattr(fits_read, "PARALLEL_DATA", 0)
    monkeypatch.setattr(fits_read, "CHUNK", 2 * BLOCK)
    got = read_fits(path)
    assert _facts(got) == reference
    assert got.hdus[0].truncated == (cut > 0)


def test_an_error_in_the_second_thread_reaches_the_caller(tmp_path, monkeypatch):
    """A read error in the thread summing the second half is raised, not lost (the sum would be wrong)."""
    path = tmp_path / "t.fits"
    sparse_image(path, 6 * BLOCK, {8: 0x12345678})
    monkeypatch.setattr(fits_file, "SMALL_FILE", 0)
    monkeypatch.setattr(fits_read, "PARALLEL_DATA", 0)
    monkeypatch.setattr(fits_read, "CHUNK", 2 * BLOCK)
    start = read_fits(path).hdus[0].header_size  # where the data, and so the first half, begins
    real = fits_read._sum_range

    def failing_second_half(fd, lo, hi, *rest):
        if lo > start:
            raise OSError(5, "Input/output error")
        return real(fd, lo, hi, *rest)

    monkeypatch.setattr(fits_read, "_sum_range", failing_second_half)
    with pytest.raises(OSError, match="Input/output error"):
        read_fits(path)
