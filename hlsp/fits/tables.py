"""The values inside table rows, checked while the reader streams the data.

fitsverify reads every row of a table and rejects values no reader can
interpret; so do we, without a second pass over the file:

- ``L`` (logical) columns: each byte must be ``T``, ``F`` or 0 (undefined);
- ``A`` (text) columns: printable ASCII up to the first NUL byte;
- ``X`` (bit) columns: the unused bits of the last byte must be zero;
- ``P``/``Q`` (variable-length array) descriptors: the array must lie inside
  the heap, and be no longer than the maximum given in ``TFORMn``;
- ``PL``/``QL`` arrays: each value in the heap is ``T``, ``F`` or 0, like an
  ``L`` column (the descriptors are kept as the rows pass, at most
  ``HLSP_MAX_HEAP_ARRAYS`` of them, and the heap is checked as it streams by);
- ASCII tables: numeric fields (``Iw``, ``Fw.d``, ``Ew.d``, ``Dw.d``) must hold a
  number, be blank, or equal ``TNULLn``.

The reader (:mod:`hlsp.fits.read`) feeds the data unit to a :class:`RowScanner`
chunk by chunk; what it finds becomes :class:`ValueProblem` facts on the HDU,
judged by rule FS019.  The per-row loop for binary tables runs in C
(``hlsp._speedups.scan_rows``) when it is built, else in :func:`py_scan_rows`.
Columns whose ``TFORMn`` cannot be read are left to FS015 and not scanned.
"""

from __future__ import annotations

import heapq
import re
import struct
import sys
from array import array

from hlsp.fits import speedups

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from typing import Any

_BIN_FORM = re.compile(r"\s*([0-9]*)([LXBIJKAEDCMPQ])(.*?)\s*\Z")
_VAR_FORM = re.compile(r"([LXBIJKAEDCM])(?:\(([0-9]+)\))?\Z")
_ASCII_FORM = re.compile(r"\s*([AIFED])([0-9]+)(?:\.[0-9]+)?\s*\Z")
# Bytes per element of each binary-table type (X: bits, see column_width).
SIZES = {"L": 1, "B": 1, "I": 2, "J": 4, "K": 8, "A": 1, "E": 4, "D": 8, "C": 8, "M": 16, "P": 8, "Q": 16}
_INT64_MAX = 2**63 - 1  # (the C loop takes 64-bit numbers: bigger ones mean "no limit" / "all of it")


def column_width(repeat: int, code: str) -> int:
    """Bytes a binary-table column of TFORM ``<repeat><code>`` takes in each row
    (``rP``/``rQ`` with r > 1 hold one descriptor, as fitsverify counts them)."""
    if code == "X":
        return (repeat + 7) // 8
    if code in "PQ":
        return SIZES[code] * min(repeat, 1)
    return SIZES[code] * repeat


# What CFITSIO reads as a number in an ASCII-table field, once every blank is
# removed (it ignores them): sign, digits, a '.' or ',' and an upper-case E/D
# exponent, each part optional.  fitsverify adds, for F/E/D fields, that the
# number has a '.' and no blank between its first and last characters.
_ASCII_NUMBER = re.compile(rb"[+-]?[0-9]*(?:[.,][0-9]*)?(?:[ED][+-]?[0-9]*)?\Z")
_PRINTABLE = bytes(range(0x20, 0x7F))

# What each check is about, in the words of FS019's findings.
WHAT = {
    "L": "a logical value other than 'T', 'F' or 0",
    "A": "text that is not printable ASCII",
    "X": "set bits after the last bit of the bit array",
    "P": "a variable-length array descriptor outside the heap or beyond the maximum length in TFORM",
    "Q": "a variable-length array descriptor outside the heap or beyond the maximum length in TFORM",
    "H": "a logical value other than 'T', 'F' or 0 in its variable-length array (in the heap)",
    "N": "a field that is not a number",
}


class ValueProblem:
    """Rows of one column whose values break the check of ``code`` (see WHAT)."""

    __slots__ = ("column", "tform", "code", "count", "first_row")

    def __init__(self, column: int, tform: str, code: str, count: int, first_row: int):
        self.column = column  # 1-based column number
        self.tform = tform
        self.code = code  # L|A|X|P|Q|N
        self.count = count  # rows with at least one bad value
        self.first_row = first_row  # 1-based

    def _values(self) -> tuple:
        return (self.column, self.tform, self.code, self.count, self.first_row)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __repr__(self) -> str:
        return (
            f"ValueProblem(column={self.column!r}, tform={self.tform!r}, code={self.code!r}, "
            f"count={self.count!r}, first_row={self.first_row!r})"
        )


class TablePlan:
    """What to check in the rows of one table HDU."""

    __slots__ = ("row_len", "rows_end", "checks", "columns", "heap_size", "ascii_fields", "heap_logicals", "heap_start")

    def __init__(
        self,
        row_len: int,
        rows_end: int,  # bytes of rows (NAXIS1 * NAXIS2); the heap follows
        checks: tuple,  # binary: (offset, code, repeat, elem_size, maxlen) per column checked
        columns: tuple,  # (column number, TFORM) per check, same order
        heap_size: int,
        ascii_fields: tuple = (),  # ASCII table: (column, tform, start, width, integer?, tnull)
        heap_logicals: tuple = (),  # indices into ``checks`` of PL/QL columns, whose heap values are checked
        heap_start: int = 0,  # byte offset of the heap in the data unit (THEAP)
    ):
        self.row_len = row_len
        self.rows_end = rows_end
        self.checks = checks
        self.columns = columns
        self.heap_size = heap_size
        self.ascii_fields = ascii_fields
        self.heap_logicals = heap_logicals
        self.heap_start = heap_start


def plan_table(hdu: Any) -> TablePlan | None:
    """The checks for ``hdu``'s rows, or None when there is nothing to check
    (no checkable column) or the header is too broken to locate the columns."""
    h = hdu.header
    n, row_len, nrows = h.get("TFIELDS"), h.get("NAXIS1"), h.get("NAXIS2")
    if not all(_is_int(v) and v >= 0 for v in (n, row_len, nrows)) or n > 999 or row_len == 0:
        return None
    if hdu.kind == "table":
        return _plan_ascii(h, n, row_len, nrows)
    checks, columns = [], []
    offset = 0
    for i in range(1, n + 1):
        form = h.get(f"TFORM{i}")
        m = _BIN_FORM.match(form) if isinstance(form, str) else None
        if m is None:
            return None  # FS015 reports it; without every width the columns cannot be found
        repeat, code, rest = int(m.group(1) or 1), m.group(2), m.group(3)
        width = column_width(repeat, code)
        check = None
        if code in "LA" and repeat:
            check = (offset, code, repeat, 0, -1)
        elif code == "X" and repeat % 8:
            check = (offset, code, repeat, 0, -1)
        elif code in "PQ" and repeat and (v := _VAR_FORM.match(rest)):  # (else FS015 reports the TFORM)
            elem, maxlen = v.group(1), v.group(2)
            maxlen = min(int(maxlen), _INT64_MAX) if maxlen else -1
            check = (offset, code, 1, 0 if elem == "X" else SIZES[elem], maxlen)
        if check is not None:
            checks.append(check)
            columns.append((i, form.strip()))
        offset += width
    if offset != row_len or not checks:
        return None  # FS015 reports widths that do not add up
    rows_end = row_len * nrows
    pcount = h.get("PCOUNT", 0)
    theap = h.get("THEAP", rows_end)
    heap_size = pcount - (theap - rows_end) if _is_int(pcount) and _is_int(theap) else -1
    if heap_size < 0:  # the heap cannot be located: descriptors are not checked
        keep = [k for k, c in enumerate(checks) if c[1] not in "PQ"]
        checks, columns = [checks[k] for k in keep], [columns[k] for k in keep]
        if not checks:
            return None
    logicals = tuple(
        k
        for k, (c, (_, form)) in enumerate(zip(checks, columns))
        if c[1] in "PQ" and _VAR_FORM.match(_BIN_FORM.match(form).group(3)).group(1) == "L"
    )
    return TablePlan(
        row_len,
        rows_end,
        tuple(checks),
        tuple(columns),
        min(max(heap_size, 0), _INT64_MAX),
        (),
        logicals,
        theap if logicals else 0,
    )


def _plan_ascii(h, n: int, row_len: int, nrows: int) -> TablePlan | None:
    fields = []
    for i in range(1, n + 1):
        form, tbcol = h.get(f"TFORM{i}"), h.get(f"TBCOL{i}")
        m = _ASCII_FORM.match(form) if isinstance(form, str) else None
        if m is None or not _is_int(tbcol):
            continue
        code, width = m.group(1), int(m.group(2))
        if code == "A" or tbcol < 1 or tbcol - 1 + width > row_len or width == 0:
            continue
        tnull = h.get(f"TNULL{i}")
        tnull = tnull.rstrip().encode("latin-1") if isinstance(tnull, str) else None
        fields.append((i, form.strip(), tbcol - 1, width, code == "I", tnull))
    if not fields:
        return None
    return TablePlan(row_len, row_len * nrows, (), (), 0, tuple(fields))


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


# ------------------------------------------------------------------- the row loop
def py_scan_rows(buf, row_len: int, checks: tuple, heap_size: int) -> list[tuple[int, int, int]]:
    """Pure-Python twin of ``hlsp._speedups.scan_rows``.

    ``buf`` holds whole rows.  Returns ``(check index, first bad row (0-based in
    buf), rows with a bad value)`` for every check that found something.
    """
    buf = bytes(buf)
    nrows = len(buf) // row_len
    out = []
    for k, (off, code, repeat, elem_size, maxlen) in enumerate(checks):
        first, count = -1, 0
        for r in range(nrows):
            base = r * row_len + off
            if code == "L":
                bad = bool(buf[base : base + repeat].translate(None, b"TF\0"))
            elif code == "A":
                bad = bool(buf[base : base + repeat].split(b"\0", 1)[0].translate(None, _PRINTABLE))
            elif code == "X":
                last = buf[base + (repeat + 7) // 8 - 1]
                bad = bool(last & ((1 << (8 - repeat % 8)) - 1))
            else:
                nelem, start = struct.unpack_from(">II" if code == "P" else ">QQ", buf, base)
                length = (nelem + 7) // 8 if elem_size == 0 else nelem * elem_size
                bad = (maxlen >= 0 and nelem > maxlen) or start + length > heap_size
            if bad:
                count += 1
                if first < 0:
                    first = r
        if count:
            out.append((k, first, count))
    return out


def scan_rows(buf, row_len: int, checks: tuple, heap_size: int) -> list[tuple[int, int, int]]:
    """The bad values in whole binary-table rows (C, else :func:`py_scan_rows`)."""
    if speedups.C is not None:
        return speedups.C.scan_rows(buf, row_len, checks, heap_size)
    return py_scan_rows(buf, row_len, checks, heap_size)


# A column whose every field (joined by newlines) matches one of these has nothing
# to report: each is a subset of what the per-field check below accepts (blank, or
# an integer / a number with a '.' and no inner space), checked in one call per column.
_CLEAN_INT_COLUMN = re.compile(rb"(?: *+(?:[+-]?[0-9]++ *+)?\n)*+ *+(?:[+-]?[0-9]++ *+)?")
_CLEAN_FLOAT_COLUMN = re.compile(
    rb"(?: *+(?:[+-]?[0-9]*+\.[0-9]*+(?:[ED][+-]?[0-9]*+)? *+)?\n)*+ *+(?:[+-]?[0-9]*+\.[0-9]*+(?:[ED][+-]?[0-9]*+)? *+)?"
)


def clean_ascii_column(buf: bytes, row_len: int, start: int, width: int, integer: bool) -> bool:
    """Does the field [start, start + width) of every whole row of ``buf`` hold blanks or a clean
    number (``Iw``: [+-]digits; ``Fw.d``/``Ew.d``/``Dw.d``: [+-]digits.digits[E|D[+-]digits])?
    A column that does needs no look at its fields one by one."""
    if speedups.C is not None:
        return speedups.C.clean_ascii_column(buf, row_len, start, width, integer)
    return py_clean_ascii_column(buf, row_len, start, width, integer)


def py_clean_ascii_column(buf: bytes, row_len: int, start: int, width: int, integer: bool) -> bool:
    """Pure-Python twin of ``hlsp._speedups.clean_ascii_column``: the column's fields joined by
    newlines, matched by one pattern."""
    nrows = len(buf) // row_len
    fields = [buf[i : i + width] for i in range(start, nrows * row_len, row_len)]
    if any(b"\n" in f for f in fields):  # (a newline inside a field would split it in the joined column)
        return False
    return bool((_CLEAN_INT_COLUMN if integer else _CLEAN_FLOAT_COLUMN).fullmatch(b"\n".join(fields)))


def _scan_ascii(buf: bytes, plan: TablePlan, first_row: int, found: dict) -> None:
    row_len = plan.row_len
    nrows = len(buf) // row_len
    for k, (_col, _form, start, width, integer, tnull) in enumerate(plan.ascii_fields):
        if nrows and clean_ascii_column(buf, row_len, start, width, integer):
            continue
        for r in range(nrows):
            field = buf[r * row_len + start : r * row_len + start + width]
            text = field.strip(b" ")
            if not text or field.rstrip(b" ") == tnull:  # (TNULL is matched from the field's first column)
                continue
            bad = not _ASCII_NUMBER.match(text.replace(b" ", b""))
            if not bad and not integer:
                bad = b"." not in text or b" " in text
            if bad:
                _note(found, k, first_row + r, 1)


def _note(found: dict, k: int, row: int, count: int) -> None:
    seen = found.get(k)
    if seen is None:
        found[k] = [count, row]
    else:
        seen[0] += count
        seen[1] = min(seen[1], row)


class _CheckState:
    """What one check has seen of the current row, when rows stream (see RowScanner)."""

    __slots__ = ("bad", "ended", "desc")

    def __init__(self):
        self.bad = False
        self.ended = False  # A: a NUL byte ended the text
        self.desc = b""  # P/Q: the descriptor's bytes so far


class RowScanner:
    """Checks the rows of one table as its data unit streams past.

    ``start`` is the byte offset (within the data unit) of the first byte fed.
    Bytes must be fed in order.  A scanner that starts or stops inside a row
    keeps those bytes (``head``, ``carry``) so that two scanners over adjacent
    ranges can be joined (:meth:`join`).

    Memory: a row is kept whole only up to ``row_buffer`` bytes (default
    ``HLSP_MAX_ROW_BUFFER``, :mod:`hlsp.limits`).  Longer rows of a binary
    table are checked column by column as they stream past, keeping a few
    bytes per column (:meth:`_feed_streaming`); such a scanner must start at
    the first row (the reader does not split those tables between threads).
    """

    def __init__(self, plan: TablePlan, start: int = 0, kernel=None, row_buffer: int | None = None):
        if row_buffer is None:
            from hlsp import limits

            row_buffer = limits.get_int("row_buffer")
        self.streaming = plan.row_len > row_buffer and not plan.ascii_fields
        if self.streaming and start:
            raise ValueError("a scanner of rows longer than the row buffer starts at the first row")
        self.state = [_CheckState() for _ in plan.checks] if self.streaming else []
        self.heap = _HeapLogicals(plan) if plan.heap_logicals else None
        self.plan = plan
        self.pos = start
        self.skip = -start % plan.row_len if start < plan.rows_end else 0
        self.head = bytearray()  # bytes of the row that began before ``start``
        self.carry = bytearray()  # bytes of the row still incomplete at ``pos``
        self.found: dict[int, list[int]] = {}  # check index -> [count, first row]
        if kernel is None:
            kernel = speedups.C.scan_rows if speedups.C is not None else py_scan_rows
        self.kernel = kernel

    def feed(self, data) -> None:
        pos = self.pos
        self._feed_rows(data)
        if self.heap is not None:  # (after the rows: a chunk may end the rows and begin the heap)
            self.heap.feed(data, pos)

    def _feed_rows(self, data) -> None:
        if self.streaming:
            self._feed_streaming(data)
            return
        plan = self.plan
        start = self.pos
        self.pos += len(data)
        n = min(len(data), plan.rows_end - start)
        if n <= 0:
            return
        data = memoryview(data)[:n]
        if self.skip:
            k = min(self.skip, n)
            self.head += data[:k]
            self.skip -= k
            data, start = data[k:], start + k
        if self.carry and len(data):
            k = min(plan.row_len - len(self.carry), len(data))
            self.carry += data[:k]
            data, start = data[k:], start + k
            if len(self.carry) == plan.row_len:
                self._scan(bytes(self.carry), start // plan.row_len - 1)
                self.carry = bytearray()
        whole = len(data) // plan.row_len * plan.row_len
        if whole:
            self._scan(data[:whole], start // plan.row_len)
        if whole < len(data):
            self.carry = bytearray(data[whole:])

    def _feed_streaming(self, data) -> None:
        """Check rows longer than the row buffer piece by piece: each check looks
        only at the bytes of its column and keeps a few bytes of state per row."""
        plan = self.plan
        row_len = plan.row_len
        start = self.pos
        self.pos += len(data)
        n = min(len(data), plan.rows_end - start)
        if n <= 0:
            return
        view = memoryview(data)[:n]
        i, pos = 0, start
        while i < n:
            row, col = divmod(pos, row_len)
            take = min(n - i, row_len - col)
            for k, (off, code, repeat, elem_size, maxlen) in enumerate(plan.checks):
                width = 8 if code == "P" else 16 if code == "Q" else column_width(repeat, code)
                lo, hi = max(off, col), min(off + width, col + take)
                if lo >= hi:
                    continue
                st = self.state[k]
                if st.bad:
                    continue
                seg = bytes(view[i + lo - col : i + hi - col])
                if code == "L":
                    st.bad = bool(seg.translate(None, b"TF\0"))
                elif code == "A":
                    if not st.ended:
                        nul = seg.find(b"\0")
                        if nul >= 0:
                            seg, st.ended = seg[:nul], True
                        st.bad = bool(seg.translate(None, _PRINTABLE))
                elif code == "X":
                    if hi == off + width:  # the last byte of the bit array is here
                        st.bad = bool(seg[-1] & ((1 << (8 - repeat % 8)) - 1))
                else:
                    st.desc += seg
                    if len(st.desc) == width:
                        nelem, first = struct.unpack(">II" if code == "P" else ">QQ", st.desc)
                        length = (nelem + 7) // 8 if elem_size == 0 else nelem * elem_size
                        st.bad = (maxlen >= 0 and nelem > maxlen) or first + length > plan.heap_size
                        if self.heap is not None and k in plan.heap_logicals:
                            self.heap.add_one(k, row, nelem, first)
            i += take
            pos += take
            if col + take == row_len:  # the row is complete
                for k, st in enumerate(self.state):
                    if st.bad:
                        _note(self.found, k, row, 1)
                self.state = [_CheckState() for _ in plan.checks]

    def _scan(self, rows, first_row: int) -> None:
        plan = self.plan
        if plan.ascii_fields:
            _scan_ascii(bytes(rows), plan, first_row, self.found)
            return
        for k, first, count in self.kernel(rows, plan.row_len, plan.checks, plan.heap_size):
            _note(self.found, k, first_row + first, count)
        if self.heap is not None:
            self.heap.add_rows(rows, first_row)

    def join(self, later: RowScanner) -> None:
        """Take in what the scanner over the bytes right after ours found, so that
        this scanner stands for both ranges (scanners are joined left to right)."""
        row_len = self.plan.row_len
        straddling = self.carry + later.head  # the row across the boundary, as far as it was read
        if len(straddling) == row_len:
            self._scan(bytes(straddling), (self.pos - len(self.carry)) // row_len)
            self.carry = later.carry
        elif later.skip or not later.head:  # the later range ended inside that row (or both were aligned)
            self.carry = straddling if later.skip else later.carry
        self.pos = later.pos
        for k, (count, row) in later.found.items():
            _note(self.found, k, row, count)

    def problems(self) -> list[ValueProblem]:
        plan = self.plan
        out = []
        for k in sorted(self.found):
            count, row = self.found[k]
            if plan.ascii_fields:
                col, form, code = plan.ascii_fields[k][0], plan.ascii_fields[k][1], "N"
            else:
                (col, form), code = plan.columns[k], plan.checks[k][1]
            out.append(ValueProblem(col, form, code, count, row + 1))
        if self.heap is not None:
            for k, (count, row) in sorted(self.heap.problems().items()):
                col, form = plan.columns[k]
                out.append(ValueProblem(col, form, "H", count, row + 1))
        return out


class _HeapLogicals:
    """The values in the heap of ``PL``/``QL`` columns: each must be T, F or 0.

    As the rows pass, the descriptors of these columns are kept as (start, end,
    row, check) -- at most ``HLSP_MAX_HEAP_ARRAYS`` of them, in flat arrays of
    26 bytes each; when the heap then streams by, they are taken in order of
    their start.  A chunk of heap without a bad byte (one C-level search) costs
    nothing more; in a chunk with one, each array open over the chunk is
    searched, and an array found bad is done.  Each array is so searched at most
    three times, whatever the chunking (it starts, covers or ends a chunk).
    Arrays outside the heap are the P/Q check's.  No numpy: importing it would
    cost more than checking most heaps.
    """

    def __init__(self, plan: TablePlan):
        from hlsp import limits

        self.plan = plan
        self.cap = limits.get_int("heap_arrays")
        self.starts, self.ends, self.rows = array("q"), array("q"), array("q")  # in data-unit offsets
        self.checks = array("H")
        self.count = 0
        self.overflow = False  # more arrays than the cap: the rest are not checked
        self.sorted = False
        self.next = 0  # the first array (in order of start) not yet open
        self.open: list[int] = []  # heap of end * count + array: arrays begun and not ended
        self.found: dict[int, list[int]] = {}  # check -> [bad arrays (one per row), first bad row]

    def _keep(self, k: int, row: int, nelem: int, first: int) -> bool:
        """Keep one array; False when the cap is reached."""
        if nelem <= 0 or first + nelem > self.plan.heap_size:
            return True  # empty, or outside the heap (the P/Q check's)
        if self.count >= self.cap:
            self.overflow = True
            return False
        start = first + self.plan.heap_start
        self.starts.append(start)
        self.ends.append(start + nelem)
        self.rows.append(row)
        self.checks.append(k)
        self.count += 1
        return True

    def add_rows(self, rows, first_row: int) -> None:
        plan = self.plan
        n = len(rows) // plan.row_len
        if not n or self.sorted:
            return
        data = bytes(rows)
        for k in plan.heap_logicals:
            off, code = plan.checks[k][0], plan.checks[k][1]
            size = 4 if code == "P" else 8
            # the descriptors' bytes, gathered from every row (strided copies), then read big-endian
            packed = bytearray(2 * size * n)
            for j in range(2 * size):
                packed[j :: 2 * size] = data[off + j : n * plan.row_len : plan.row_len]
            values = array("I" if size == 4 else "Q", packed)
            if sys.byteorder == "little":
                values.byteswap()
            for i in range(n):
                if not self._keep(k, first_row + i, values[2 * i], values[2 * i + 1]):
                    return

    def add_one(self, k: int, row: int, nelem: int, first: int) -> None:
        if not self.sorted:
            self._keep(k, row, nelem, first)

    def feed(self, data, pos: int) -> None:
        """Check the heap bytes among ``data`` (which starts at data-unit offset ``pos``)."""
        plan = self.plan
        lo, hi = max(pos, plan.heap_start), min(pos + len(data), plan.heap_start + plan.heap_size)
        if lo >= hi or not self.count:
            return
        if not self.sorted:  # the rows are over: order the arrays by start, once
            self._sort()
        starts, ends, n = self.starts, self.ends, self.count
        while self.next < n and starts[self.next] < hi:
            heapq.heappush(self.open, ends[self.next] * n + self.next)
            self.next += 1
        view = memoryview(data)
        if _NOT_LOGICAL.search(view, lo - pos, hi - pos) is not None:
            still = []
            for key in self.open:
                i = key % n
                s, e = max(starts[i], lo), min(ends[i], hi)
                if s < e and _NOT_LOGICAL.search(view, s - pos, e - pos) is not None:
                    found = self.found.setdefault(self.checks[i], [0, self.rows[i]])
                    found[0] += 1
                    found[1] = min(found[1], self.rows[i])
                else:
                    still.append(key)
            heapq.heapify(still)
            self.open = still
        while self.open and self.open[0] // n <= hi:  # ended in this chunk
            heapq.heappop(self.open)

    def _sort(self) -> None:
        n = self.count
        order = [start * n + i for i, start in enumerate(self.starts)]
        order.sort()  # (in place, and stable: equal starts keep their order)
        for j, key in enumerate(order):
            order[j] = key % n
        for name in ("starts", "ends", "rows", "checks"):
            old = getattr(self, name)
            setattr(self, name, array(old.typecode, map(old.__getitem__, order)))
        self.sorted = True

    def problems(self) -> dict[int, tuple[int, int]]:
        """check index -> (rows with a bad value, first such row)."""
        return {k: (count, row) for k, (count, row) in self.found.items()}


_NOT_LOGICAL = re.compile(rb"[^TF\x00]")  # a byte that is no logical value
