"""The logical values inside the heap of PL/QL columns, checked as the heap streams past.

Against a reference that holds the whole heap and looks at every array: the
streamed check must give the same (bad rows, first bad row) per column, however
the data unit is cut into chunks and however the arrays overlap.
"""

import struct
import subprocess
import sys

from fitsgen import bintable_cards, hdu_bytes, primary_cards
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hlsp.fits.tables import RowScanner, TablePlan, py_scan_rows


def _reference(rows: bytes, row_len: int, columns: list, heap: bytes) -> dict:
    found: dict = {}
    for k, (off, code) in enumerate(columns):
        fmt = ">II" if code == "P" else ">QQ"
        for r in range(len(rows) // row_len):
            nelem, first = struct.unpack_from(fmt, rows, r * row_len + off)
            if nelem == 0 or first + nelem > len(heap):
                continue  # outside the heap: the descriptor check's finding
            if heap[first : first + nelem].translate(None, b"TF\x00"):
                count, row = found.get(k, (0, r))
                found[k] = (count + 1, min(row, r))
    return found


@st.composite
def _tables(draw):
    codes = draw(st.lists(st.sampled_from("PQ"), min_size=1, max_size=3))
    columns, off = [], 0
    for code in codes:
        columns.append((off, code))
        off += 8 if code == "P" else 16
    row_len = off + draw(st.integers(0, 3))
    heap_len = draw(st.integers(0, 60))
    heap = bytes(draw(st.lists(st.sampled_from(b"TTTTFF\x00?X\x01"), min_size=heap_len, max_size=heap_len)))
    nrows = draw(st.integers(0, 12))
    rows = bytearray()
    for _ in range(nrows):
        row = bytearray(row_len)
        for off, code in columns:
            nelem = draw(st.integers(0, heap_len + 2))
            first = draw(st.integers(0, heap_len + 2))
            struct.pack_into(">II" if code == "P" else ">QQ", row, off, nelem, first)
        rows += row
    gap = draw(st.integers(0, 5))  # THEAP beyond the rows
    cuts = draw(st.lists(st.integers(1, 12), max_size=16))
    return bytes(rows), row_len, columns, heap, gap, cuts


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_tables())
def test_streamed_heap_check_equals_looking_at_every_array(case):
    rows, row_len, columns, heap, gap, cuts = case
    checks = tuple((off, code, 1, 0, -1) for off, code in columns)
    plan = TablePlan(
        row_len,
        len(rows),
        checks,
        tuple((k + 1, f"1{code}L") for k, (_, code) in enumerate(columns)),
        len(heap),
        heap_logicals=tuple(range(len(columns))),
        heap_start=len(rows) + gap,
    )
    data = rows + b"\x00" * gap + heap
    scanner = RowScanner(plan, kernel=py_scan_rows)
    pos = 0
    for c in [*cuts, len(data)]:
        scanner.feed(data[pos : pos + c])
        pos += c
    assert scanner.heap.problems() == _reference(rows, row_len, columns, heap)


def test_an_array_whose_last_byte_is_in_the_next_chunk():
    rows = struct.pack(">II", 3, 0) + struct.pack(">II", 1, 3)
    heap = b"TT?T"  # row 1's array ends with '?', one byte into the second chunk; row 2 is clean
    plan = TablePlan(8, len(rows), ((0, "P", 1, 0, -1),), ((1, "1PL"),), 4, heap_logicals=(0,), heap_start=16)
    scanner = RowScanner(plan, kernel=py_scan_rows)
    data = rows + heap
    scanner.feed(data[:18])
    scanner.feed(data[18:])
    assert scanner.heap.problems() == {0: (1, 0)}


def test_the_cap_keeps_the_first_arrays_and_says_it_overflowed(monkeypatch):
    monkeypatch.setenv("HLSP_MAX_HEAP_ARRAYS", "2")
    rows = b"".join(struct.pack(">II", 1, i) for i in range(4))
    heap = b"TX?T"  # rows 2 and 3 are bad; only rows 1-2 are kept
    plan = TablePlan(8, len(rows), ((0, "P", 1, 0, -1),), ((1, "1PL"),), 4, heap_logicals=(0,), heap_start=32)
    scanner = RowScanner(plan, kernel=py_scan_rows)
    scanner.feed(rows + heap)
    assert scanner.heap.overflow
    assert scanner.heap.problems() == {0: (1, 1)}


def test_checking_a_heap_imports_no_numpy(tmp_path):
    """numpy costs more to import (~60 ms per process) than checking most heaps."""
    heap = b"TFT?"
    rows = struct.pack(">II", 2, 0) + struct.pack(">II", 2, 2)
    cards = [(k, len(heap)) if k == "PCOUNT" else (k, v) for k, v in bintable_cards([("F", "1PL(2)")], 2, 8)]
    path = tmp_path / "t.fits"
    path.write_bytes(hdu_bytes(primary_cards()) + hdu_bytes(cards, rows + heap))
    code = (
        "import sys; from hlsp.fits import read_fits; ff = read_fits(sys.argv[1]); "
        "print([(p.code, p.count, p.first_row) for p in ff.hdus[1].value_problems], 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True).stdout
    assert out.split()[-1] == "False", out
    assert out.split("]")[0] == "[('H', 1, 2)", out  # row 2 holds '?'
