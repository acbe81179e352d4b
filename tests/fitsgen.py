"""Build FITS files card by card, for tests that need exact (also broken) bytes.

    hdr = primary_cards(bitpix=-32, naxes=[4, 4], extra=[("HLSPID", "demo")])
    data = np.zeros((4, 4), ">f4").tobytes()
    path.write_bytes(hdu_bytes(hdr, data))

``card()`` formats one 80-character card; values are written as FITS does
(strings quoted, T/F, numbers); pass ``raw=`` to write anything at all.
Checksums: ``hdu_bytes(..., checksum=True)`` writes valid CHECKSUM/DATASUM.
"""

from __future__ import annotations

from typing import Any, Iterable

from hlsp.fits.card import BLOCK

from hlsp.fits.checksum import encode_checksum, ones_add, ones_fold, ones_sum
from pathlib import Path

Card = tuple  # (keyword, value[, comment]) or a raw 80-char str


def fmt_value(value: Any) -> str:
    if value is True:
        return f"{'T':>20}"
    if value is False:
        return f"{'F':>20}"
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value.replace("'", "''").ljust(8) + "'"
    if isinstance(value, float):
        return f"{value!r:>20}".upper() if "e" in repr(value) else f"{value!r:>20}"
    return f"{value!r:>20}"


def card(keyword: str, value: Any = None, comment: str = "", *, raw: str | None = None) -> str:
    if raw is not None:
        return raw.ljust(80)[:80]
    if keyword in ("COMMENT", "HISTORY", ""):
        return f"{keyword:<8}{value or ''}".ljust(80)[:80]
    text = f"{keyword:<8}= {fmt_value(value)}"
    if comment:
        text += f" / {comment}"
    return text.ljust(80)[:80]


def _cards(cards: Iterable) -> list[str]:
    out = []
    for c in cards:
        if isinstance(c, str):
            out.append(c.ljust(80)[:80])
        else:
            out.append(card(*c))
    return out


def header_bytes(cards: Iterable, end: bool = True) -> bytes:
    lines = _cards(cards)
    if end:
        lines.append("END".ljust(80))
    text = "".join(lines)
    text += " " * (-len(text) % BLOCK)
    return text.encode("latin-1")


def pad_data(data: bytes, fill: bytes = b"\x00") -> bytes:
    return data + fill * (-len(data) % BLOCK)


def primary_cards(bitpix: int = 8, naxes: list[int] | None = None, extra: Iterable = ()) -> list:
    naxes = naxes or []
    cards = [("SIMPLE", True), ("BITPIX", bitpix), ("NAXIS", len(naxes))]
    cards += [(f"NAXIS{i + 1}", n) for i, n in enumerate(naxes)]
    cards += [("EXTEND", True)]
    return cards + list(extra)


def image_ext_cards(bitpix: int = -32, naxes: list[int] | None = None, extra: Iterable = ()) -> list:
    naxes = naxes or []
    cards = [("XTENSION", "IMAGE"), ("BITPIX", bitpix), ("NAXIS", len(naxes))]
    cards += [(f"NAXIS{i + 1}", n) for i, n in enumerate(naxes)]
    cards += [("PCOUNT", 0), ("GCOUNT", 1)]
    return cards + list(extra)


def bintable_cards(columns: list[tuple[str, str]], nrows: int, row_bytes: int, extra: Iterable = ()) -> list:
    cards = [
        ("XTENSION", "BINTABLE"),
        ("BITPIX", 8),
        ("NAXIS", 2),
        ("NAXIS1", row_bytes),
        ("NAXIS2", nrows),
        ("PCOUNT", 0),
        ("GCOUNT", 1),
        ("TFIELDS", len(columns)),
    ]
    for i, (name, form) in enumerate(columns, 1):
        cards += [(f"TTYPE{i}", name), (f"TFORM{i}", form)]
    return cards + list(extra)


def hdu_bytes(
    cards: Iterable, data: bytes = b"", checksum: bool = False, fill: bytes = b"\x00", datasum: str | bool | None = None
) -> bytes:
    """One HDU.  With ``checksum``, CHECKSUM is valid for the bytes written and
    DATASUM is the true data sum -- or, to build broken files, the text
    ``datasum`` (CHECKSUM still valid), or absent with ``datasum=False``."""
    cards = list(cards)
    body = pad_data(data, fill) if data else b""
    if not checksum:
        return header_bytes(cards) + body
    dsum = ones_fold(ones_sum(body))
    cards = [c for c in cards if not (isinstance(c, tuple) and c[0] in ("CHECKSUM", "DATASUM"))]
    cards.append(("CHECKSUM", "0" * 16))
    at = len(cards) - 1
    if datasum is not False:
        cards.append(("DATASUM", str(dsum) if datasum is None else datasum))
    hsum = ones_fold(ones_sum(header_bytes(cards)))
    cards[at] = ("CHECKSUM", encode_checksum(ones_add(hsum, dsum)))
    return header_bytes(cards) + body


MiB = 1024 * 1024


def sparse_image(path: Path, nbytes: int, words: dict[int, int]) -> int:
    """A float32 image of ``nbytes`` data bytes, zero except big-endian ``words`` at byte offsets.

    The file is sparse (no disk space for the zeros).  Returns the data sum,
    computed here from the words alone.
    """
    n = nbytes // 4
    head = header_bytes(primary_cards(-32, [n]))
    padded = -(-nbytes // BLOCK) * BLOCK
    with open(path, "wb") as fh:
        fh.write(head)
        for off, w in words.items():
            fh.seek(len(head) + off)
            fh.write(w.to_bytes(4, "big"))
        fh.truncate(len(head) + padded)
    return ones_fold(sum(words.values()))
