"""FITS header cards: reading them (:func:`parse_card`, and a whole header at once
with :func:`_parse_cards`) and writing them byte-exactly (:func:`format_card`),
up to sealing an HDU with CHECKSUM/DATASUM (:func:`seal`).

Reading: the reader (:mod:`hlsp.fits.read`) splits each header into 80-character
cards and parses every distinct card once (a memo); the common cards are parsed
in C when ``hlsp._speedups`` is built (:mod:`hlsp.fits.speedups` is the
switch), the rest by :func:`parse_card`, which is the reference for both.

Writing: used by ``hlsp fix`` to rewrite headers without touching data, and by
``scripts/make_example.py`` to build the example products deterministically
(no library-version-dependent formatting, no timestamps in CHECKSUM comments).
"""

from __future__ import annotations

import math
import re

from hlsp.fits import speedups
from hlsp.fits.checksum import encode_checksum, ones_add, ones_fold, ones_sum

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from typing import Any, Callable

BLOCK = 2880
CARD = 80

_KEYWORD_OK = re.compile(r"[A-Z0-9_-]*\Z")
_INT_RE = re.compile(r"[+-]?[0-9]+\Z")
_FLOAT_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[EeDd][+-]?[0-9]+)?\Z")
_COMMENTARY = frozenset({"COMMENT", "HISTORY", ""})


# ------------------------------------------------------------------- reading cards
class Card:
    """One 80-character header card, parsed.

    hlsp._speedups.parse_cards fills the eight slots of new cards directly (in
    this order) when they are plain member slots of this class, as here.
    """

    __slots__ = ("index", "keyword", "raw", "has_value", "value", "vtype", "comment", "error")

    def __init__(
        self,
        index: int,  # 1-based position in the header, as fitsverify counts
        keyword: str,  # stripped keyword name ("" for a blank keyword)
        raw: str,  # the 80 characters (latin-1 decoded)
        has_value: bool,  # "= " in columns 9-10 (or a HIERARCH / CONTINUE value)
        value: Any = None,  # str, bool, int, float, complex; None if undefined
        vtype: str = "none",  # str|bool|int|float|complex|undefined|none|invalid
        comment: str = "",
        error: str | None = None,  # value syntax problem, in words
    ):
        self.index = index
        self.keyword = keyword
        self.raw = raw
        self.has_value = has_value
        self.value = value
        self.vtype = vtype
        self.comment = comment
        self.error = error

    def _values(self) -> tuple:
        return (self.index, self.keyword, self.raw, self.has_value, self.value, self.vtype, self.comment, self.error)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __repr__(self) -> str:
        names = ("index", "keyword", "raw", "has_value", "value", "vtype", "comment", "error")
        return "Card(" + ", ".join(f"{n}={v!r}" for n, v in zip(names, self._values())) + ")"

    @property
    def value_text(self) -> str:
        return self.raw[10:].split("/", 1)[0].strip() if self.has_value else ""


def _parse_string(text: str) -> tuple[str | None, int]:
    """Parse a FITS string starting at text[0] == "'". Return (value, end index)."""
    n = len(text)
    i = 1
    while True:
        j = text.find("'", i)
        if j < 0:
            return None, n  # no closing quote
        if j + 1 < n and text[j + 1] == "'":  # '' is an escaped quote
            i = j + 2
            continue
        return text[1:j].replace("''", "'").rstrip(), j + 1


def parse_card(index: int, raw: str) -> Card:
    keyword = raw[:8].rstrip()
    if keyword == "HIERARCH":
        eq = raw.find("=", 8)
        if eq < 0:
            return Card(index, keyword, raw, False)
        name = "HIERARCH " + " ".join(raw[8:eq].split())
        card = Card(index, name, raw, True)
        _parse_value(card, raw[eq + 1 :])
        return card
    if keyword == "CONTINUE":
        card = Card(index, keyword, raw, True)
        _parse_value(card, raw[8:])
        return card
    if raw[8:10] != "= " or keyword in _COMMENTARY:
        return Card(index, keyword, raw, False, comment=raw[8:].rstrip())
    card = Card(index, keyword, raw, True)
    _parse_value(card, raw[10:])
    return card


def _parse_value(card: Card, text: str) -> None:
    s = text.lstrip()
    if not s:
        card.vtype = "undefined"
        return
    if s[0] == "'":
        value, end = _parse_string(s)
        if value is None:
            card.vtype, card.error = "invalid", "string value has no closing quote"
            return
        card.value, card.vtype = value, "str"
        rest = s[end:].lstrip()
        if rest and rest[0] != "/":
            card.vtype, card.error = "invalid", "text after the closing quote of a string value"
        card.comment = rest[1:].strip() if rest else ""
        return
    if s[0] == "/":
        card.vtype = "undefined"
        card.comment = s[1:].strip()
        return
    if s[0] == "(":
        close = s.find(")")
        if close < 0:
            card.vtype, card.error = "invalid", "complex value has no closing parenthesis"
            return
        parts = s[1:close].split(",")
        rest = s[close + 1 :].lstrip()
        card.comment = rest[1:].strip() if rest.startswith("/") else ""
        try:
            re_, im = (float(p.strip().replace("D", "E").replace("d", "e")) for p in parts)
            card.value, card.vtype = complex(re_, im), "complex"
        except ValueError:
            card.vtype, card.error = "invalid", f"malformed complex value {s[: close + 1]!r}"
        return
    token, _, comment = s.partition("/")
    token = token.strip()
    card.comment = comment.strip()
    if token in ("T", "F"):
        card.value, card.vtype = token == "T", "bool"
    elif _INT_RE.match(token):
        card.value, card.vtype = int(token), "int"
    elif _FLOAT_RE.match(token):
        card.value, card.vtype = float(token.replace("D", "E").replace("d", "e")), "float"
    else:
        card.vtype = "invalid"
        card.error = f"value {token!r} is not a valid FITS value (strings need single quotes)"


# Parsed cards by their 80 characters.  The files of one delivery repeat most
# cards (SIMPLE, BITPIX, TELESCOP, LICENSE, TTYPEn ...), so parsing each distinct
# card once makes reading thousands of headers several times faster.  Values
# are immutable; the memo is emptied when it grows past _MEMO_MAX entries.
_CARD_MEMO: dict[str, tuple] = {}
_MEMO_MAX = 50_000


def _parse_fields(raw: str) -> tuple:
    """What a card's 80 characters say, as the memo keeps it:
    (keyword, has_value, value, vtype, comment, error).

    The C module parses the common cards; it leaves the rest (HIERARCH,
    CONTINUE, complex or invalid values, bytes outside printable ASCII) to
    ``parse_card``, which is the reference for both."""
    if speedups.C is not None:
        fields = speedups.C.parse_fields(raw)
        if fields is not None:
            return fields
    return py_parse_fields(raw)


def py_parse_fields(raw: str) -> tuple:
    """Pure-Python twin of ``hlsp._speedups.parse_fields`` (for every card)."""
    c = parse_card(0, raw)
    return (c.keyword, c.has_value, c.value, c.vtype, c.comment, c.error)


def _parse_cards(text: str, n_cards: int) -> tuple[list[Card], dict[str, Card]]:
    """The cards of a header (``text``: n_cards x 80 characters) and the first
    card of each keyword."""
    if len(_CARD_MEMO) > _MEMO_MAX:
        _CARD_MEMO.clear()
    if speedups.C is not None:
        return speedups.C.parse_cards(text, n_cards, _CARD_MEMO, _parse_fields, Card)
    return py_parse_cards(text, n_cards, _CARD_MEMO, _parse_fields, Card)


def py_parse_cards(text: str, n_cards: int, memo: dict, parse: Callable, card_type: type) -> tuple[list, dict]:
    """Pure-Python twin of ``hlsp._speedups.parse_cards``."""
    cards = []
    first: dict = {}
    for i in range(n_cards):
        raw = text[i * CARD : (i + 1) * CARD]
        p = memo.get(raw)
        if p is None:
            p = memo[raw] = parse(raw)
        card = card_type(i + 1, p[0], raw, p[1], p[2], p[3], p[4], p[5])
        cards.append(card)
        first.setdefault(p[0], card)
    return cards, first


# ------------------------------------------------------------------- writing cards
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
