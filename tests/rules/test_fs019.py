"""FS019 table-values: values a column's TFORM does not allow, found while streaming the rows."""

import struct

import numpy as np
import pytest
from fitsgen import bintable_cards, hdu_bytes

from _helpers import empty_primary, findings_for, write_fits
from hlsp import fitsfile


def _table(columns, nrows, row_len, data, extra=(), heap=b"", fill=b"\x00"):
    cards = bintable_cards(columns, nrows, row_len, extra)
    if heap:
        cards = [(k, len(heap)) if k == "PCOUNT" else (k, v) for k, v in cards]
    return hdu_bytes(cards, data + heap, fill=fill)


def _fs019(tmp_path, *hdus):
    return findings_for(write_fits(tmp_path / "t.fits", empty_primary(), *hdus), "FS019")


def test_bad_logical_values(tmp_path):
    (f,) = _fs019(tmp_path, _table([("FLAG", "2L")], 4, 2, b"TF" + b"T\0" + b"TX" + b"1F"))
    assert (f.hdu, f.keyword) == (1, "TFORM1")
    assert "column 1 (FLAG)" in f.message and "2 rows hold a logical value" in f.message and "row 3" in f.message


def test_text_that_is_not_ascii(tmp_path):
    rows = b"ok  " + "café".encode("latin-1") + b"ta\tb" + b"ab\0\x01"  # bytes after a NUL are not text
    (f,) = _fs019(tmp_path, _table([("NAME", "4A")], 4, 4, rows))
    assert "2 rows hold text that is not printable ASCII (first: row 2)" in f.message


def test_stray_bits_after_a_bit_array(tmp_path):
    (f,) = _fs019(tmp_path, _table([("MASK", "11X")], 3, 2, b"\xff\xe0" + b"\x00\x10" + b"\x00\x00"))
    assert "1 row holds set bits" in f.message and "row 2" in f.message


def test_descriptors_outside_the_heap_or_too_long(tmp_path):
    heap = np.arange(4, dtype=">f4").tobytes()  # 16 bytes
    rows = struct.pack(">II", 4, 0) + struct.pack(">II", 2, 12) + struct.pack(">II", 3, 0)  # fits, overruns, > max 2
    (f,) = _fs019(tmp_path, _table([("SPEC", "1PE(4)")], 3, 8, rows, heap=heap))
    assert "1 row holds a variable-length array descriptor" in f.message and "row 2" in f.message
    (g,) = _fs019(tmp_path, _table([("SPEC", "1PE(2)")], 3, 8, rows, heap=heap))
    assert "3 rows hold" in g.message  # rows 1 and 3 exceed the maximum length 2, row 2 the heap


def test_64_bit_descriptors(tmp_path):
    heap = b"\x00" * 16
    rows = struct.pack(">QQ", 2, 0) + struct.pack(">QQ", 2**62, 0)  # the second would overflow a naive sum
    (f,) = _fs019(tmp_path, _table([("V", "1QD")], 2, 16, rows, heap=heap))
    assert "first: row 2" in f.message


def test_ascii_table_fields_that_are_not_numbers(tmp_path):
    cards = [("XTENSION", "TABLE"), ("BITPIX", 8), ("NAXIS", 2), ("NAXIS1", 10), ("NAXIS2", 3), ("PCOUNT", 0),
             ("GCOUNT", 1), ("TFIELDS", 2), ("TTYPE1", "ID"), ("TFORM1", "I5"), ("TBCOL1", 1),
             ("TTYPE2", "MAG"), ("TFORM2", "F5.1"), ("TBCOL2", 6), ("TNULL2", "---")]
    rows = b"   12  1.5" + b"  1x2  ---" + b"       1E3"  # a blank integer and TNULL are fine
    (f,) = _fs019(tmp_path, hdu_bytes(cards, rows, fill=b" "))
    assert (f.keyword, f.hdu) == ("TFORM1", 1) and "row 2" in f.message and "not a number" in f.message


def test_clean_tables_pass(tmp_path):
    heap = np.arange(2, dtype=">f4").tobytes()
    assert _fs019(
        tmp_path,
        _table([("FLAG", "L"), ("NAME", "3A"), ("MASK", "3X")], 2, 5, b"Tab\0\xe0" + b"\0xyz\x20"),
        _table([("SPEC", "1PE(2)")], 2, 8, struct.pack(">II", 2, 0) + struct.pack(">II", 0, 8), heap=heap),
    ) == []


@pytest.mark.parametrize("pure", [False, True])
def test_rows_across_chunks_and_threads(tmp_path, monkeypatch, pure):
    """Rows that straddle the reader's chunks and its two threads are each checked once."""
    if pure:
        monkeypatch.setattr(fitsfile, "_speedups", None)
    monkeypatch.setattr(fitsfile, "SMALL_FILE", 0)  # read with positioned reads, like a big file
    monkeypatch.setattr(fitsfile, "CHUNK", 2880 * 4)
    monkeypatch.setattr(fitsfile, "PARALLEL_DATA", 2880 * 8)  # and split between two threads
    nrows, row_len = 20_000, 7  # 7-byte rows never line up with 2880-byte chunks
    rows = bytearray(b"Tabcdef" * nrows)
    bad = [0, 1645, 1646, 4114, 9874, 9875, 19_999]  # 1645 and 9874 straddle a chunk end and the threads' split
    for r in bad:
        rows[r * row_len] = ord("?")
    (f,) = _fs019(tmp_path, _table([("F", "L"), ("S", "6A")], nrows, row_len, bytes(rows)))
    assert f"{len(bad)} rows hold a logical value" in f.message and "(first: row 1)" in f.message
