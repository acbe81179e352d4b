"""Write FITS header cards and seal HDUs with CHECKSUM/DATASUM, byte-exactly.

The writing counterpart of :mod:`hlsp.fitsfile` (which reads).  Used by
``hlsp fix`` to rewrite headers without touching data, and by
``scripts/make_example.py`` to build the example products deterministically
(no library-version-dependent formatting, no timestamps in CHECKSUM comments).
"""

from __future__ import annotations

import math
from typing import Any

from hlsp.fitsfile import BLOCK, CARD, encode_checksum, ones_add, ones_fold, ones_sum, parse_card

VALUE_WIDTH = CARD - 10  # columns 11-80
_STRING_CHUNK = 67  # characters of a long string per card (quotes and '&' take 3)


class CardError(ValueError):
    """A value cannot be written as a FITS card."""


def format_value(value: Any) -> str:
    """The value field of a card (without the ``= `` indicator)."""
    if value is True or value is False:
        return f"{'T' if value else 'F':>20}"
    if isinstance(value, int):
        return f"{value:>20}"
    if isinstance(value, float):
        if not math.isfinite(value):
            raise CardError(f"{value!r} cannot be written in a FITS header")
        text = repr(value).upper()
        mantissa, _, exponent = text.partition("E")
        if "." not in mantissa:
            mantissa += ".0"
        text = mantissa + (f"E{exponent}" if exponent else "")
        return f"{text:>20}"
    if isinstance(value, str):
        if any(not (32 <= ord(c) <= 126) for c in value):
            raise CardError(f"{value!r}: FITS header text must be printable ASCII")
        # at least 8 characters inside the quotes, 20 in all (fixed format, as astropy writes)
        return ("'" + value.replace("'", "''").ljust(8) + "'").ljust(20)
    raise CardError(f"cannot write a {type(value).__name__} value in a FITS header")


def format_card(keyword: str, value: Any, comment: str = "") -> list[str]:
    """One card, or a string card followed by CONTINUE cards when it is long."""
    keyword = keyword.upper()
    if len(keyword) > 8:
        raise CardError(f"keyword {keyword!r} is longer than 8 characters")
    head = f"{keyword:<8}= "
    if isinstance(value, str) and len(format_value(value).rstrip()) > VALUE_WIDTH:
        return _long_string(head, value, comment)
    text = head + format_value(value)
    if comment and len(text.rstrip()) + 3 < CARD:
        text += " / " + comment
    return [_pad(text)]


def commentary_card(keyword: str, text: str) -> str:
    return _pad(f"{keyword:<8}{text}")


def _pad(text: str) -> str:
    if len(text) > CARD:
        text = text[:CARD]
    return text.ljust(CARD)


def _long_string(head: str, value: str, comment: str) -> list[str]:
    """The CONTINUE long-string convention: 'part1&' then CONTINUE  'part2'."""
    escaped_chunks: list[str] = []
    chunk = ""
    for ch in value:
        piece = "''" if ch == "'" else ch
        if len(chunk) + len(piece) > _STRING_CHUNK:
            escaped_chunks.append(chunk)
            chunk = ""
        chunk += piece
    escaped_chunks.append(chunk)
    cards = []
    for i, part in enumerate(escaped_chunks):
        last = i == len(escaped_chunks) - 1
        text = (head if i == 0 else "CONTINUE  ") + "'" + part + ("" if last else "&") + "'"
        if last and comment and len(text) + 3 < CARD:
            text += " / " + comment
        cards.append(_pad(text))
    return cards


def header_bytes(cards: list[str]) -> bytes:
    """Cards + END, blank-padded to a multiple of 2880 bytes."""
    text = "".join(cards) + "END".ljust(CARD)
    text += " " * (-len(text) % BLOCK)
    return text.encode("ascii")


def pad_data(data: bytes) -> bytes:
    """Data padded with zero bytes to a multiple of 2880 (as stored in the file)."""
    return data + b"\0" * (-len(data) % BLOCK)


def sealed_cards(cards: list[str], stored_data: bytes) -> list[str]:
    """``cards`` with fresh CHECKSUM/DATASUM for data ``stored_data`` (as stored, padding included).

    Existing CHECKSUM and DATASUM cards keep their place and comment; missing
    ones are appended.
    """
    datasum = ones_fold(ones_sum(stored_data))
    cards = list(cards)
    positions: dict[str, int] = {}
    comments = {"CHECKSUM": "HDU checksum", "DATASUM": "data unit checksum"}
    for i, c in enumerate(cards):
        keyword = c[:8].rstrip()
        if keyword in comments and keyword not in positions:
            positions[keyword] = i
            comments[keyword] = parse_card(i + 1, c).comment or comments[keyword]  # keep the writer's comment
    for keyword, value in (("CHECKSUM", "0" * 16), ("DATASUM", str(datasum))):
        card = format_card(keyword, value, comments[keyword])[0]
        if keyword in positions:
            cards[positions[keyword]] = card
        else:
            positions[keyword] = len(cards)
            cards.append(card)
    hsum = ones_fold(ones_sum(header_bytes(cards)))
    checksum = encode_checksum(ones_add(hsum, datasum))
    cards[positions["CHECKSUM"]] = format_card("CHECKSUM", checksum, comments["CHECKSUM"])[0]
    return cards


def seal(cards: list[str], stored_data: bytes) -> bytes:
    """Header (with fresh CHECKSUM/DATASUM) + ``stored_data`` for one HDU.

    ``stored_data`` are the data bytes exactly as they stand in the file
    (padding included); they are returned unchanged.
    """
    return header_bytes(sealed_cards(cards, stored_data)) + stored_data
