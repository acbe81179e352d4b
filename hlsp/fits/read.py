"""Reading a FITS file: every HDU's header and data, straight from the bytes.

It reads every header once (no astropy), computes the FITS checksums of every
HDU while streaming the data in bounded chunks, and records what it saw --
including everything that is *wrong* with the bytes -- as plain facts for the
rules to judge (:mod:`hlsp.fits.header`).  It never raises on a malformed
file: problems become :class:`~hlsp.fits.header.ReadIssue` entries.

The stream comes from :mod:`hlsp.fits.file` (plain, gzip, bzip2) or from a
remote file (``hlsp/remote/stream.py`` ``read_url``); tile-compressed files (``.fz``)
are plain FITS whose headers and checksums are read as stored, like fitsverify
does.  The cards are parsed by :mod:`hlsp.fits.card`, the sums by
:mod:`hlsp.fits.checksum`, the table rows checked by :mod:`hlsp.fits.tables`.
"""

from __future__ import annotations

import io
import math
import os
import re
import zlib

from hlsp import limits
from hlsp.fits import speedups
from hlsp.fits.card import BLOCK, CARD, _parse_cards
from hlsp.fits.checksum import ones_fold, ones_sum
from hlsp.fits.file import LimitExceeded, open_stream, read_full
from hlsp.fits.header import HDU, FitsFile, Header, ReadIssue
from hlsp.fits.tables import RowScanner, plan_table

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from typing import Any, BinaryIO

# The inner loops run in C when hlsp._speedups is built, else in their
# pure-Python twins (here, and in hlsp.fits.card, hlsp.fits.checksum and
# hlsp.fits.tables): the switch is hlsp.fits.speedups.C.
# numpy is imported only by the twins: it costs ~75 ms to import.

# Data are streamed in chunks of this many bytes (a multiple of 2880 and of 8).
CHUNK = BLOCK * 364  # ~1 MiB
# Data units at least this big are summed by two threads (the sum releases the GIL).
PARALLEL_DATA = 64 * 1024 * 1024


def any_finite(buf, size: int) -> bool:
    """Is any big-endian IEEE float of ``size`` (4 or 8) bytes in ``buf`` finite?

    Whole values only: a partial value at the end of ``buf`` is ignored.
    """
    if speedups.C is not None:
        return speedups.C.any_finite(buf, size)
    return py_any_finite(buf, size)


def py_any_finite(buf, size: int) -> bool:
    """Pure-Python twin of ``hlsp._speedups.any_finite``."""
    import numpy as np

    count = len(buf) // size
    if not count:
        return False
    return bool(np.isfinite(np.frombuffer(buf, dtype=">f4" if size == 4 else ">f8", count=count)).any())


def warm_up() -> None:
    """Import what reading needs, once (before worker processes are forked)."""
    if speedups.C is None:
        import numpy  # noqa: F401


# -------------------------------------------------------------------------- reading
def read_fits(path: str | os.PathLike, scan_data: bool = True) -> FitsFile:
    """Read every HDU of ``path``.  Never raises for bad *content*.

    OSError (unreadable file) is raised to the caller, which turns it into a
    finding; the content itself is judged by rules from what is recorded here.
    """
    path = os.fspath(path)
    stream, compression, size = open_stream(path)
    return read_stream(stream, path, size, compression, scan_data)


def read_stream(
    stream: BinaryIO, path: str, size: int, compression: str | None = None, scan_data: bool = True
) -> FitsFile:
    """:func:`read_fits` of an open stream (closed on return): a remote file, read as it arrives."""
    ff = FitsFile(path=path, size=size, compression=compression)
    try:
        _read_hdus(ff, stream, scan_data)
    except LimitExceeded as exc:  # a bound of hlsp.limits: what was read stands
        ff.issues.append(ReadIssue("limit", str(exc), ff.hdus[-1].index if ff.hdus else None))
    except (EOFError, OSError, zlib.error, ValueError) as exc:
        # corrupt gzip/bzip2 stream: what was read stands, the rest is an issue
        if compression is None:
            raise
        last = ff.hdus[-1] if ff.hdus else None
        where = last.index if last is not None and last.truncated else None  # broke inside its data
        ff.issues.append(ReadIssue("compression-corrupt", f"the {compression} stream is corrupt: {exc}", where))
    finally:
        stream.close()
    return ff


def _read_hdus(ff: FitsFile, stream: BinaryIO, scan_data: bool) -> None:
    offset = 0
    index = 0
    max_hdus = limits.get_int("hdus")
    cards_left = limits.get_int("header_cards")  # kept for the whole file (memory: ~0.6 KB each)
    while True:
        first = read_full(stream, BLOCK)
        if not first:
            if index == 0:
                ff.is_fits = False
                ff.issues.append(ReadIssue("not-fits", "the file is empty"))
            return
        if index == 0 and not first.startswith(b"SIMPLE  "):
            ff.is_fits = False
            ff.issues.append(ReadIssue("not-fits", "the file does not start with SIMPLE = T: it is not a FITS file"))
            return
        if index > 0 and not _looks_like_header(first):
            # bytes after the last HDU
            rest = len(first) + _drain(stream)
            ff.trailing_bytes = rest
            ff.issues.append(
                ReadIssue(
                    "trailing-bytes",
                    f"{rest} bytes after the end of the last HDU are not a valid extension header",
                )
            )
            return
        if index >= max_hdus:
            raise LimitExceeded(
                f"the file has more than {max_hdus} HDUs -- reading stopped there (limit: HLSP_MAX_HDUS)"
            )
        if cards_left <= 0:
            raise LimitExceeded(_cards_message())
        hdu = _read_header(ff, stream, first, index, offset, -(-cards_left // (BLOCK // CARD)))
        ff.hdus.append(hdu)
        cards_left -= len(hdu.header.cards)
        if hdu.over_budget:
            raise LimitExceeded(_cards_message())
        if not hdu.end_found or not hdu.size_known:
            return  # where this HDU's data end is unknown: the rest of the file cannot be judged
        _read_data(ff, stream, hdu, scan_data)
        if hdu.truncated:
            ff.issues.append(
                ReadIssue(
                    "truncated",
                    f"the data are truncated: the header declares {hdu.padded_data_size} bytes "
                    f"(with padding), the file holds {hdu.data_read}",
                    hdu.index,
                )
            )
            return
        offset += hdu.header_size + hdu.padded_data_size
        index += 1


_MAX_HEADER_BLOCKS = 10_000  # 360,000 cards: beyond this it is not a header
MAX_DATA_SIZE = 2**63 - 1  # bytes: the largest file offset; a header declaring more is broken


def _cards_message() -> str:
    n = limits.get_int("header_cards")
    return f"the headers hold more than {n} cards in all -- reading stopped there (limit: HLSP_MAX_HEADER_CARDS)"


def _drain(stream: BinaryIO) -> int:
    n = 0
    while True:
        b = stream.read(CHUNK)
        if not b:
            return n
        n += len(b)


def _looks_like_header(block: bytes) -> bool:
    return block[:8] == b"XTENSION" or (block[:8].isascii() and block[8:10] == b"= " and block[:8] != b"        ")


def _read_header(
    ff: FitsFile, stream: BinaryIO, first: bytes, index: int, offset: int, budget: int = _MAX_HEADER_BLOCKS
) -> HDU:
    """The header starting with block ``first``, read up to ``budget`` blocks
    (the cards the file may still keep); ``over_budget`` when it is longer."""
    blocks = [first]
    end_at = -1
    over = False
    while True:  # each block is searched once: a file without END costs linear time
        if len(blocks[-1]) % BLOCK:
            ff.issues.append(ReadIssue("truncated", "the file ends inside a header block", index))
            break
        pos = _find_end(blocks[-1])
        if pos >= 0:
            end_at = (len(blocks) - 1) * BLOCK + pos
            break
        if len(blocks) >= _MAX_HEADER_BLOCKS:
            break
        if len(blocks) >= budget:
            over = True
            break
        nxt = read_full(stream, BLOCK)
        if not nxt:
            break
        blocks.append(nxt)
    raw = b"".join(blocks) if len(blocks) > 1 else first
    n_cards = (end_at // CARD) if end_at >= 0 else len(raw) // CARD
    head = raw[: n_cards * CARD]
    if first_unprintable(head) >= 0:
        _report_bad_bytes(ff, head, index)
    cards, first = _parse_cards(head.decode("latin-1"), n_cards)
    hdu = HDU(index=index, offset=offset, header=Header(cards, first), header_size=len(raw) - len(raw) % BLOCK)
    hdu.end_found = end_at >= 0
    hdu.over_budget = over
    if not hdu.end_found:
        if not len(raw) % BLOCK and not over:  # (a cut-off header block is reported as truncated)
            ff.issues.append(ReadIssue("no-end", "the header has no END card", index))
        return hdu
    if not _only(raw, end_at + CARD, len(raw), 32):
        hdu.header_fill_ok = False
    if not _only(raw, end_at + 3, end_at + CARD, 32):
        ff.issues.append(ReadIssue("end-card", "the END card has characters after END", index, "END"))
    hdu.header_sum = ones_fold(ones_sum(raw))
    _classify(hdu)
    if hdu.data_size > MAX_DATA_SIZE:  # e.g. NAXIS = 999 with every NAXISn = 2**62
        ff.issues.append(
            ReadIssue(
                "truncated",
                f"the header declares more than {MAX_DATA_SIZE} bytes of data (BITPIX x NAXIS1 x ... x NAXISn): "
                "no file can hold them",
                index,
            )
        )
        hdu.data_size, hdu.size_known = 0, False  # (a number of thousands of digits is no size)
    return hdu


def _find_end(buf: bytes) -> int:
    """Byte offset of the END card in ``buf`` (on a card boundary), or -1."""
    if speedups.C is not None:
        return speedups.C.find_end(buf)
    return py_find_end(buf)


def py_find_end(buf: bytes) -> int:
    """Pure-Python twin of ``hlsp._speedups.find_end``."""
    pos = buf.find(b"END")
    while pos >= 0:
        if pos % CARD == 0 and buf[pos + 3 : pos + 8] == b"     ":
            return pos
        pos = buf.find(b"END", pos + 1)
    return -1


_FILLS = {0: bytes(CARD * 36), 32: b" " * (CARD * 36)}  # a block of each fill byte


def _only(buf: bytes, lo: int, hi: int, fill: int) -> bool:
    """Whether ``buf[lo:hi]`` holds only the byte ``fill`` (0 or 32): compared with a block of it,
    which is cheaper than strip()'s test of each byte."""
    block = _FILLS[fill]
    while hi - lo > len(block):
        if buf[lo : lo + len(block)] != block:
            return False
        lo += len(block)
    return buf[lo:hi] == block[: max(hi - lo, 0)]


_CTRL = re.compile(rb"[\x00-\x1f\x7f-\xff]")  # a byte no header may hold


def first_unprintable(buf: bytes) -> int:
    """The offset of the first byte of ``buf`` outside printable ASCII (0x20-0x7e), or -1."""
    if speedups.C is not None:
        return speedups.C.first_unprintable(buf)
    return py_first_unprintable(buf)


def py_first_unprintable(buf: bytes) -> int:
    """Pure-Python twin of ``hlsp._speedups.first_unprintable``."""
    m = _CTRL.search(buf)
    return -1 if m is None else m.start()


def _report_bad_bytes(ff: FitsFile, raw: bytes, index: int) -> None:
    seen = 0
    for m in _CTRL.finditer(raw):
        card_no = m.start() // CARD + 1
        kw = raw[(card_no - 1) * CARD : (card_no - 1) * CARD + 8].decode("latin-1").rstrip()
        ff.issues.append(
            ReadIssue(
                "illegal-char",
                f"card {card_no} ({kw or 'blank keyword'}) holds the byte 0x{m.group()[0]:02x}; "
                "headers may hold only printable ASCII (0x20-0x7e)",
                index,
                kw or None,
            )
        )
        seen += 1
        if seen >= 10:
            break


def _as_int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None


_KINDS = {"IMAGE": "image", "BINTABLE": "bintable", "TABLE": "table", "A3DTABLE": "bintable"}
_BITPIXES = frozenset({8, 16, 32, 64, -32, -64})
_NAXIS_KEYS = tuple(f"NAXIS{i}" for i in range(1, 1000))


def _classify(hdu: HDU) -> None:
    """The HDU's kind and the size of its data (``size_known`` False when
    BITPIX, NAXIS, NAXISn, PCOUNT or GCOUNT are too broken to size them)."""
    h = hdu.header
    if hdu.index == 0:
        groups = h.get("GROUPS") is True and (naxes := hdu.naxes) and naxes[0] == 0
        hdu.kind = "groups" if groups else "primary"
    else:
        xt = h.get("XTENSION")
        hdu.kind = _KINDS.get(xt.strip().upper(), "unknown") if isinstance(xt, str) else "unknown"
    bitpix = _as_int(h.get("BITPIX"))
    naxis = _as_int(h.get("NAXIS"))
    if bitpix not in _BITPIXES or naxis is None or not 0 <= naxis <= 999:
        hdu.size_known = False
        return
    naxes = [_as_int(h.get(k)) for k in _NAXIS_KEYS[:naxis]]
    pcount = _as_int(h.get("PCOUNT", 0))
    gcount = _as_int(h.get("GCOUNT", 1))
    if pcount is None or pcount < 0 or gcount is None or gcount < 0 or any(n is None or n < 0 for n in naxes):
        hdu.size_known = False
        return
    if not naxes:
        nelem = 0
    elif hdu.kind == "groups":
        nelem = math.prod(naxes[1:])
    else:
        nelem = math.prod(naxes)
    if hdu.kind == "primary":
        pcount, gcount = 0, 1
    if nelem == 0 and hdu.kind != "groups":
        hdu.data_size = abs(bitpix) // 8 * pcount * gcount if hdu.is_table else 0
    else:
        hdu.data_size = abs(bitpix) // 8 * gcount * (pcount + nelem)


def _read_data(ff: FitsFile, stream: BinaryIO, hdu: HDU, scan_data: bool) -> None:
    remaining = hdu.padded_data_size
    if remaining == 0:
        return
    h = hdu.header
    float_size = 0  # bytes per value of a floating-point image, 0 for other data
    bitpix = h.get("BITPIX")
    if scan_data and hdu.kind in ("primary", "image") and bitpix in (-32, -64):
        float_size = -bitpix // 8
        hdu.any_finite = False
    fill_char = b" " if hdu.kind == "table" else b"\x00"
    plan = plan_table(hdu) if scan_data and hdu.is_table else None
    if plan is not None and plan.ascii_fields and plan.row_len > limits.get_int("row_buffer"):
        ff.issues.append(
            ReadIssue(
                "row-limit",
                f"rows of {plan.row_len} bytes are longer than the {limits.get_int('row_buffer')}-byte row buffer: "
                "the fields of this ASCII table were not checked (limit: HLSP_MAX_ROW_BUFFER)",
                hdu.index,
            )
        )
        plan = None
    if isinstance(stream, io.BufferedReader):  # a plain file on disk, too big to have been read whole
        _read_data_direct(ff, stream, hdu, float_size, fill_char, plan)
        return
    rows = RowScanner(plan) if plan is not None else None
    data_left = hdu.data_size  # unpadded bytes still to come
    total = 0
    while remaining > 0:
        chunk = read_full(stream, min(CHUNK, remaining))
        if not chunk:
            break
        n = len(chunk)
        real = min(n, max(data_left, 0))
        total += _take_chunk(memoryview(chunk + b"\x00" * (-n % 4)), n, real, float_size, hdu, rows)
        if real < n and not _only(chunk, real, n, fill_char[0]):
            hdu.fill_ok = False
        want = min(CHUNK, remaining)
        data_left -= n
        remaining -= n
        hdu.data_read += n
        if n < want:  # end of file
            break
    hdu.data_sum = ones_fold(total)
    if rows is not None:
        _take_problems(ff, hdu, rows)


def _take_problems(ff: FitsFile, hdu: HDU, rows: RowScanner) -> None:
    hdu.value_problems = rows.problems()
    if rows.heap is not None and rows.heap.overflow:
        ff.issues.append(
            ReadIssue(
                "row-limit",
                f"more than {rows.heap.cap} variable-length logical arrays: the values of those after the first "
                f"{rows.heap.cap} were not checked (limit: HLSP_MAX_HEAP_ARRAYS)",
                hdu.index,
            )
        )


def _read_data_direct(
    ff: FitsFile, stream: io.BufferedReader, hdu: HDU, float_size: int, fill_char: bytes, plan
) -> None:
    """The data of a plain file: positioned reads into reused 1 MiB buffers, no copies.

    Big data units are split in two halves summed by two threads: the ones'-
    complement sum is associative, and the sum releases the GIL while it runs,
    so this runs near the speed of the page cache (see benchmarks/).
    """
    fd = stream.fileno()
    start = stream.tell()
    avail = max(0, min(hdu.padded_data_size, os.fstat(fd).st_size - start))
    data_end = start + min(hdu.data_size, avail)  # end of the values, before the padding
    half = (avail // 2) // CHUNK * CHUNK if avail >= PARALLEL_DATA else 0
    if plan is not None and (plan.row_len > limits.get_int("row_buffer") or plan.heap_logicals):
        half = 0  # rows streamed column by column, or a heap checked from the rows' descriptors: one pass
    parts = [(start, start + half), (start + half, start + avail)] if half else [(start, start + avail)]
    scanners = [RowScanner(plan, lo - start) if plan is not None else None for lo, _ in parts]
    if len(parts) == 1:
        total = _sum_range(fd, *parts[0], data_end, float_size, hdu, scanners[0])
    else:  # (a plain thread: concurrent.futures would import logging, ~20 ms of start-up)
        import threading

        second: list = []

        def run_second() -> None:
            try:
                second.append(_sum_range(fd, *parts[1], data_end, float_size, hdu, scanners[1]))
            except BaseException as exc:  # raised in this thread below, as pool.map would
                second.append(exc)

        thread = threading.Thread(target=run_second, name="hlsp-sum", daemon=True)
        thread.start()
        try:
            total = _sum_range(fd, *parts[0], data_end, float_size, hdu, scanners[0])
        finally:
            thread.join()
        if isinstance(second[0], BaseException):
            raise second[0]
        total += second[0]
    if plan is not None:
        for later in scanners[1:]:
            scanners[0].join(later)
        _take_problems(ff, hdu, scanners[0])
    pad_len = start + avail - data_end
    pad = os.pread(fd, pad_len, data_end) if pad_len > 0 else b""
    if not _only(pad, 0, len(pad), fill_char[0]):
        hdu.fill_ok = False
    hdu.data_read = avail
    hdu.data_sum = ones_fold(total)
    stream.seek(start + avail)


def _sum_range(fd: int, lo: int, hi: int, data_end: int, float_size: int, hdu: HDU, rows: RowScanner | None) -> int:
    """The ``ones_sum`` of bytes [lo, hi) of ``fd`` (zero-padded to 4), read
    into one reused buffer; each chunk goes through :func:`_take_chunk`
    (``data_end``: where the values end and the fill begins)."""
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    total = 0
    off = lo
    while off < hi:
        want = min(CHUNK, hi - off)
        n = 0
        while n < want:  # (a regular file reads short only at its end)
            got = os.preadv(fd, [view[n:want]], off + n)
            if got <= 0:
                break
            n += got
        if n == 0:
            break
        m = n + (-n % 4)
        view[n:m] = bytes(m - n)
        total += _take_chunk(view[:m], n, min(n, data_end - off), float_size, hdu, rows)
        off += n
    return total


def _take_chunk(words: memoryview, n: int, real: int, float_size: int, hdu: HDU, rows: RowScanner | None) -> int:
    """What the reader does with each chunk of a data unit; returns its ``ones_sum``.

    ``words``: the ``n`` bytes read, zero-padded to a multiple of 4; ``real``:
    how many of them are values (the rest is the fill after the data).  Notes
    in ``hdu.any_finite`` whether a finite float of ``float_size`` bytes is
    among the values (until one is found), and feeds the bytes to the table's
    row scanner.
    """
    if float_size and not hdu.any_finite and real >= float_size and any_finite(words[:real], float_size):
        hdu.any_finite = True
    if rows is not None:
        rows.feed(words[:n])
    return ones_sum(words)
