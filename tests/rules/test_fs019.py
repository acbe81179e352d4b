"""FS019 table-values: values a column's TFORM does not allow, found while streaming the rows."""

import struct

import numpy as np
import pytest
from fitsgen import bintable_cards, card, hdu_bytes
from hypothesis import given, settings
from hypothesis import strategies as st

from _helpers import empty_primary, findings_for, write_fits
from hlsp.fits import file as fits_file
from hlsp.fits import read as fits_read
from hlsp.fits import speedups
from hlsp.fits.tables import RowScanner, TablePlan, py_scan_rows


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
    cards = [
        ("XTENSION", "TABLE"),
        ("BITPIX", 8),
        ("NAXIS", 2),
        ("NAXIS1", 10),
        ("NAXIS2", 3),
        ("PCOUNT", 0),
        ("GCOUNT", 1),
        ("TFIELDS", 2),
        ("TTYPE1", "ID"),
        ("TFORM1", "I5"),
        ("TBCOL1", 1),
        ("TTYPE2", "MAG"),
        ("TFORM2", "F5.1"),
        ("TBCOL2", 6),
        ("TNULL2", "---"),
    ]
    rows = b"   12  1.5" + b"  1x2---  " + b"     1.5E3"  # a blank integer and TNULL (left-aligned) are fine
    (f,) = _fs019(tmp_path, hdu_bytes(cards, rows, fill=b" "))
    assert (f.keyword, f.hdu) == ("TFORM1", 1) and "row 2" in f.message and "not a number" in f.message


def test_clean_tables_pass(tmp_path):
    heap = np.arange(2, dtype=">f4").tobytes()
    assert (
        _fs019(
            tmp_path,
            _table([("FLAG", "L"), ("NAME", "3A"), ("MASK", "3X")], 2, 5, b"Tab\0\xe0" + b"\0xyz\x20"),
            _table([("SPEC", "1PE(2)")], 2, 8, struct.pack(">II", 2, 0) + struct.pack(">II", 0, 8), heap=heap),
        )
        == []
    )


@pytest.mark.parametrize("pure", [False, True])
def test_rows_across_chunks_and_threads(tmp_path, monkeypatch, pure):
    """Rows that straddle the reader's chunks and its two threads are each checked once."""
    if pure:
        monkeypatch.setattr(speedups, "C", None)
    monkeypatch.setattr(fits_file, "SMALL_FILE", 0)  # read with positioned reads, like a big file
    monkeypatch.setattr(fits_read, "CHUNK", 2880 * 4)
    monkeypatch.setattr(fits_read, "PARALLEL_DATA", 2880 * 8)  # and split between two threads
    nrows, row_len = 20_000, 7  # 7-byte rows never line up with 2880-byte chunks
    rows = bytearray(b"Tabcdef" * nrows)
    bad = [0, 1645, 1646, 4114, 9874, 9875, 19_999]  # 1645 and 9874 straddle a chunk end and the threads' split
    for r in bad:
        rows[r * row_len] = ord("?")
    (f,) = _fs019(tmp_path, _table([("F", "L"), ("S", "6A")], nrows, row_len, bytes(rows)))
    assert f"{len(bad)} rows hold a logical value" in f.message and "(first: row 1)" in f.message


# CFITSIO's reading of ASCII-table numbers, and fitsverify's two extra rules for
# F/E/D fields (a '.' and no inner blank).  Each verdict below was checked with
# fitsverify 4.20; tests/fits/test_fitsverify_parity.py re-checks them live.
ASCII_FIELDS = [  # (field, bad as I8, bad as F8.2)
    ("12", False, True),
    ("+12", False, True),
    (" 1 2", False, True),
    ("1.5", False, False),
    ("1E3", False, True),
    ("12.", False, False),
    (".", False, False),
    ("-", False, True),
    ("E", False, True),
    ("1,5", False, True),
    ("1.5E", False, False),
    ("1.5e3", True, True),
    ("1.5+3", True, True),
    ("1.5D3", False, False),
    ("1.2.3", True, True),
    ("1 .5", False, True),
    ("0x1", True, True),
    ("nan", True, True),
    ("--1", True, True),
    ("  1.5", False, False),
    ("1.5E+03", False, False),
]


def ascii_field_table(field: str, form: str, tnull: str | None = None) -> bytes:
    """A one-row ASCII table whose 8-character field holds ``field`` (right-aligned if shorter)."""
    cards = [
        ("XTENSION", "TABLE"),
        ("BITPIX", 8),
        ("NAXIS", 2),
        ("NAXIS1", 8),
        ("NAXIS2", 1),
        ("PCOUNT", 0),
        ("GCOUNT", 1),
        ("TFIELDS", 1),
        ("TTYPE1", "V"),
        ("TFORM1", form),
        ("TBCOL1", 1),
    ]
    if tnull is not None:
        cards.append(card("", raw=f"TNULL1  = '{tnull}'"))
    return hdu_bytes(cards, field.rjust(8).encode(), fill=b" ")


@pytest.mark.parametrize("field,bad_int,bad_real", ASCII_FIELDS)
def test_ascii_numbers_as_cfitsio_and_fitsverify_read_them(tmp_path, field, bad_int, bad_real):
    assert bool(_fs019(tmp_path, ascii_field_table(field, "I8"))) is bad_int
    assert bool(_fs019(tmp_path, ascii_field_table(field, "F8.2"))) is bad_real


@pytest.mark.parametrize(
    "field,tnull,bad",
    [
        ("N/A     ", "N/A", False),
        ("     N/A", "N/A", True),  # TNULL is matched from the field's first column
        ("  N/A   ", "  N/A", False),
        ("-999    ", "-999", False),
    ],
)
def test_ascii_null_strings(tmp_path, field, tnull, bad):
    assert len(field) == 8  # the whole field, blanks included
    assert bool(_fs019(tmp_path, ascii_field_table(field, "I8", tnull))) is bad


def test_huge_maximum_lengths_and_heaps_are_no_crash(tmp_path):
    rows = struct.pack(">II", 2, 0)
    for extra, tform in (([], "1PE(99999999999999999999)"), ([("THEAP", -(10**19))], "1PE(2)"), ([], "1PE(2)")):
        cards = bintable_cards([("V", tform)], 1, 8, extra)
        if not extra and tform == "1PE(2)":
            cards = [(k, 10**19) if k == "PCOUNT" else (k, v) for k, v in cards]
        result = _fs019(tmp_path, hdu_bytes(cards, rows + b"\0" * 8))
        assert all("internal error" not in f.message for f in result)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(1, 7 * 300 - 1), max_size=5), st.lists(st.sampled_from(range(300)), max_size=20))
def test_scanners_joined_left_to_right_equal_one_scanner(cuts, bad_rows):
    """The reader may split a data unit among threads: joined scanners must find what one finds."""
    plan = TablePlan(
        row_len=7,
        rows_end=7 * 300,
        checks=((0, "L", 1, 0, -1), (1, "A", 6, 0, -1)),
        columns=((1, "L"), (2, "6A")),
        heap_size=0,
    )
    data = bytearray(b"Tabcdef" * 300 + b"\0" * 60)
    for r in bad_rows:
        data[r * 7] = ord("?")
    whole = RowScanner(plan, 0, py_scan_rows)
    whole.feed(bytes(data))
    bounds = [0, *sorted(set(cuts)), len(data)]
    parts = []
    for lo, hi in zip(bounds, bounds[1:]):
        scanner = RowScanner(plan, lo, py_scan_rows)
        for i in range(lo, hi, 50):  # in chunks, as the reader feeds them
            scanner.feed(bytes(data[i : min(i + 50, hi)]))
        parts.append(scanner)
    for later in parts[1:]:
        parts[0].join(later)
    assert parts[0].problems() == whole.problems()
    assert len(whole.problems()) == (1 if bad_rows else 0)


# ---------------------------------------------- logical values inside the heap (issue 17, item 12)
def test_logical_values_in_the_heap_of_pl_columns(tmp_path):
    heap = b"TF\x00" + b"TX" + b"FFQ"  # row 1: T F 0 (good); row 2: T X (bad); row 3: F F Q (bad)
    rows = struct.pack(">II", 3, 0) + struct.pack(">II", 2, 3) + struct.pack(">II", 3, 5)
    (f,) = _fs019(tmp_path, _table([("FLAGS", "1PL(3)")], 3, 8, rows, heap=heap))
    assert (
        f.keyword == "TFORM1"
        and "2 rows hold a logical value other than 'T', 'F' or 0 in its variable-length array" in f.message
    )
    assert "first: row 2" in f.message


def test_logical_values_in_the_heap_of_ql_columns_and_shared_arrays(tmp_path):
    heap = b"T" * 10 + b"\x01"  # rows 1-2 share the clean part, row 3 reaches the bad byte
    rows = struct.pack(">QQ", 10, 0) + struct.pack(">QQ", 4, 2) + struct.pack(">QQ", 2, 9)
    (f,) = _fs019(tmp_path, _table([("FLAGS", "1QL")], 3, 16, rows, heap=heap))
    assert "1 row holds" in f.message and "first: row 3" in f.message


def test_clean_heap_logicals_and_other_heap_types_pass(tmp_path):
    heap = b"TTF\x00"
    rows = struct.pack(">II", 4, 0) + struct.pack(">II", 0, 0)
    assert _fs019(tmp_path, _table([("FLAGS", "1PL(4)")], 2, 8, rows, heap=heap)) == []
    # bytes that would be bad logicals are fine in a PB column
    assert _fs019(tmp_path, _table([("B", "1PB(4)")], 1, 8, struct.pack(">II", 4, 0), heap=b"\x01\x02\x03\x04")) == []


def test_heap_logicals_in_compressed_and_big_files(tmp_path, monkeypatch):
    """The same verdict through every reading path: gzip stream, plain file read in chunks."""
    import gzip

    import hlsp.fits.file
    import hlsp.fits.read

    n = 5000
    heap = bytearray(b"T" * (2 * n))
    heap[2 * 4321 + 1] = ord("?")  # row 4322's second value
    rows = b"".join(struct.pack(">II", 2, 2 * i) for i in range(n))
    data = _table([("FLAGS", "1PL(2)")], n, 8, rows, heap=bytes(heap))
    monkeypatch.setattr(hlsp.fits.file, "SMALL_FILE", 0)  # the plain file is read in chunks
    monkeypatch.setattr(hlsp.fits.read, "CHUNK", 2880 * 3)
    (f,) = _fs019(tmp_path, data)
    assert "1 row holds" in f.message and "first: row 4322" in f.message
    gz = tmp_path / "z.fits.gz"
    gz.write_bytes(gzip.compress((tmp_path / "t.fits").read_bytes()))
    (g,) = findings_for(gz, "FS019")
    assert g.message == f.message
