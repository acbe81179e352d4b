"""What the reader records of a FITS file: its HDUs (:class:`HDU`), the cards
of each header (:class:`Header`) and what is wrong with the bytes
(:class:`ReadIssue`), in a :class:`FitsFile`.

Plain facts, filled in by :mod:`hlsp.fits.read` and judged by the rules; the
only arithmetic here is the data size with padding and the CHECKSUM/DATASUM
verdicts (:attr:`HDU.checksum_status`).
"""

from __future__ import annotations

from hlsp.fits.card import BLOCK, Card
from hlsp.fits.checksum import ones_add

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from typing import Any, Iterator

    from hlsp.fits.tables import ValueProblem


# -------------------------------------------------------------------------- header
class Header:
    """The cards of one HDU.  Lookups return the *first* card of a keyword."""

    __slots__ = ("cards", "_first", "_layout")

    def __init__(self, cards: list[Card], first: dict[str, Card] | None = None):
        """``first``: the first card of each keyword, when the caller has it already."""
        self.cards = cards
        if first is None:
            first = {}
            for c in cards:
                if c.keyword not in first:
                    first[c.keyword] = c
        self._first = first
        self._layout: tuple[str, ...] | None = None

    def __contains__(self, keyword: str) -> bool:
        c = self._first.get(keyword)
        return c is not None and c.has_value

    def card(self, keyword: str) -> Card | None:
        return self._first.get(keyword)

    def get(self, keyword: str, default: Any = None) -> Any:
        c = self._first.get(keyword)
        if c is None or not c.has_value or c.vtype in ("undefined", "invalid"):
            return default
        return c.value

    def keywords(self) -> Iterator[str]:
        return iter(self._first)

    @property
    def layout(self) -> tuple[str, ...]:
        """The keywords in card order.  Headers of one delivery share layouts: the
        engine reuses rule findings per layout (``hlsp.judge``)."""
        if self._layout is None:
            self._layout = tuple([c.keyword for c in self.cards])
        return self._layout

    def long_string(self, keyword: str) -> str | None:
        """The value of a string keyword joined with its CONTINUE cards."""
        return self.long_string_of(keyword)[0]

    def long_string_of(self, keyword: str) -> tuple[str | None, int]:
        """(:meth:`long_string`, how many CONTINUE cards it took from the cards after the keyword's)."""
        c = self._first.get(keyword)
        if c is None or c.vtype != "str":
            return None, 0
        parts = [c.value]
        i = c.index  # the next card (0-based index == 1-based index of this card)
        while parts[-1].endswith("&") and i < len(self.cards) and self.cards[i].keyword == "CONTINUE":
            parts[-1] = parts[-1][:-1]
            nxt = self.cards[i]
            parts.append(nxt.value if nxt.vtype == "str" else "")
            i += 1
        return "".join(parts), i - c.index

    def __len__(self) -> int:
        return len(self.cards)


# ----------------------------------------------------------------------------- hdu
class ReadIssue:
    """Something wrong with the bytes, seen while reading. Rules judge it."""

    __slots__ = ("code", "message", "hdu", "keyword")

    def __init__(self, code: str, message: str, hdu: int | None = None, keyword: str | None = None):
        self.code = code  # stable code; each is owned by one rule
        self.message = message
        self.hdu = hdu
        self.keyword = keyword

    def _values(self) -> tuple:
        return (self.code, self.message, self.hdu, self.keyword)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __repr__(self) -> str:
        return f"ReadIssue(code={self.code!r}, message={self.message!r}, hdu={self.hdu!r}, keyword={self.keyword!r})"


class HDU:
    """One HDU as read: where it is, its header, its data's size and sums, what the reader saw."""

    __slots__ = (
        "index",
        "offset",
        "header",
        "header_size",
        "data_size",
        "data_read",
        "kind",
        "end_found",
        "header_sum",
        "data_sum",
        "fill_ok",
        "header_fill_ok",
        "any_finite",
        "size_known",
        "value_problems",
        "over_budget",
    )

    def __init__(
        self,
        index: int,
        offset: int,  # byte offset of the header
        header: Header,
        header_size: int,  # bytes, a multiple of 2880
        data_size: int = 0,  # bytes the header declares (unpadded)
        data_read: int = 0,  # bytes actually present (incl. padding)
        kind: str = "unknown",  # primary|image|bintable|table|groups|unknown
        end_found: bool = True,
        header_sum: int = 0,  # ones'-complement sum of the header blocks
        data_sum: int = 0,  # ones'-complement sum of the data blocks (incl. padding)
        fill_ok: bool = True,  # data padding bytes as the standard requires
        header_fill_ok: bool = True,  # blanks after END
        any_finite: bool | None = None,  # floating-point image: a finite value seen?
        size_known: bool = True,  # False: BITPIX/NAXIS/NAXISn/PCOUNT/GCOUNT too broken to size the data
        value_problems: list[ValueProblem] | None = None,  # table rows (hlsp.fits.tables)
        over_budget: bool = False,  # the header went past the cards the file may keep (hlsp.limits)
    ):
        self.index = index
        self.offset = offset
        self.header = header
        self.header_size = header_size
        self.data_size = data_size
        self.data_read = data_read
        self.kind = kind
        self.end_found = end_found
        self.header_sum = header_sum
        self.data_sum = data_sum
        self.fill_ok = fill_ok
        self.header_fill_ok = header_fill_ok
        self.any_finite = any_finite
        self.size_known = size_known
        self.value_problems = [] if value_problems is None else value_problems
        self.over_budget = over_budget

    def __repr__(self) -> str:
        return f"<HDU {self.index} {self.kind} at {self.offset}: {len(self.header)} cards, {self.data_size} data bytes>"

    @property
    def padded_data_size(self) -> int:
        return -(-self.data_size // BLOCK) * BLOCK

    @property
    def truncated(self) -> bool:
        return self.data_read < self.padded_data_size

    @property
    def is_image(self) -> bool:
        return self.kind in ("primary", "image", "groups")

    @property
    def is_table(self) -> bool:
        return self.kind in ("bintable", "table")

    @property
    def is_compressed_image(self) -> bool:
        return self.kind == "bintable" and self.header.get("ZIMAGE") is True

    @property
    def naxes(self) -> list[int]:
        n = self.header.get("NAXIS", 0)
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n <= 999:
            return []
        out = []
        for i in range(1, n + 1):
            v = self.header.get(f"NAXIS{i}", 0)
            out.append(v if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else 0)
        return out

    @property
    def checksum_status(self) -> tuple[str, str]:
        """(CHECKSUM status, DATASUM status): each ok|bad|missing|unverifiable."""
        if self.truncated or not self.end_found or not self.size_known:
            return ("unverifiable", "unverifiable")
        hc = self.header.card("CHECKSUM")
        dc = self.header.card("DATASUM")
        if hc is None or hc.vtype != "str":
            chk = "missing"
        else:
            chk = "ok" if ones_add(self.header_sum, self.data_sum) == 0xFFFFFFFF else "bad"
        if dc is None or dc.vtype != "str":
            dat = "missing"
        else:
            try:
                dat = "ok" if int(dc.value.strip()) == self.data_sum else "bad"
            except ValueError:
                dat = "bad"
        return chk, dat


class FitsFile:
    """A file as read: its HDUs and what is wrong with its bytes."""

    __slots__ = ("path", "size", "compression", "hdus", "issues", "is_fits", "trailing_bytes")

    def __init__(
        self,
        path: str,
        size: int,  # bytes on disk
        compression: str | None = None,  # gzip|bzip2|None
        hdus: list[HDU] | None = None,
        issues: list[ReadIssue] | None = None,
        is_fits: bool = True,  # False: does not start with SIMPLE (text file, HTML ...)
        trailing_bytes: int = 0,
    ):
        self.path = path
        self.size = size
        self.compression = compression
        self.hdus = [] if hdus is None else hdus
        self.issues = [] if issues is None else issues
        self.is_fits = is_fits
        self.trailing_bytes = trailing_bytes

    def __repr__(self) -> str:
        return f"<FitsFile {self.path}: {len(self.hdus)} HDUs, {len(self.issues)} issues>"

    @property
    def primary(self) -> HDU | None:
        return self.hdus[0] if self.hdus else None

    def issues_of(self, *codes: str) -> Iterator[ReadIssue]:
        return (i for i in self.issues if i.code in codes)
