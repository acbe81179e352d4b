"""hlsp._speedups (C) gives the same answers as its pure-Python twins in hlsp.fits.

The reader uses the C module when it is built and the twins otherwise, so both
must agree bit for bit: on random buffers, on the special float patterns, on
random and real headers, and on whole files (every fact the rules read).
Under CI the module must be built: a compiler problem must not silently make
every run slower.
"""

from __future__ import annotations

import dataclasses
import gzip
import importlib
import os
import struct
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import need_system
from fitsgen import bintable_cards, card, hdu_bytes, header_bytes, image_ext_cards, primary_cards
from hlsp.fits import card as fits_card
from hlsp.fits import speedups as switch
from hlsp.fits import Card, read_fits
from hlsp.fits.card import py_parse_cards
from hlsp.fits.checksum import ones_fold, py_ones_sum
from hlsp.fits.read import py_any_finite, py_find_end, py_first_unprintable
from hlsp.fits.tables import py_clean_ascii_column, py_scan_rows

try:
    speedups = importlib.import_module("hlsp._speedups")
except ImportError:  # pragma: no cover - only where no C compiler was available
    speedups = None

# (under CI the module must exist: these tests then fail instead of skipping)
needs_c = pytest.mark.skipif(
    speedups is None and not os.environ.get("CI"), reason="hlsp._speedups is not built here (no C compiler?)"
)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_built_under_ci():
    if os.environ.get("CI"):
        assert speedups is not None, "hlsp._speedups did not build: `pip install -e .` needs a C compiler"
        assert switch.C is speedups, "the reader is not using the C module"
    else:
        # Locally the twins are a legitimate fallback; the reader must use whichever exists.
        assert switch.C is (None if os.environ.get("HLSP_PURE_PYTHON") else speedups)


# ------------------------------------------------------------------ ones_sum
@needs_c
@SETTINGS
@given(st.binary(max_size=4096).map(lambda b: b[: len(b) // 4 * 4]))
def test_ones_sum_matches_twin(buf):
    c = speedups.ones_sum(buf)
    assert ones_fold(c) == ones_fold(py_ones_sum(buf))
    assert (c == 0) == (py_ones_sum(buf) == 0)


@needs_c
@pytest.mark.parametrize("n_words", [0, 1, 7, 16_384, 16_385, 300_001])  # 300,001 words: over the GIL threshold
@pytest.mark.parametrize("fill", [0x00, 0xFF, 0x80, None])
def test_ones_sum_large_and_extreme(n_words, fill):
    if fill is None:
        buf = np.random.default_rng(n_words).integers(0, 256, 4 * n_words, dtype=np.uint8).tobytes()
    else:
        buf = bytes([fill]) * (4 * n_words)
    exact = sum(struct.unpack(f">{n_words}I", buf)) if n_words else 0
    assert ones_fold(speedups.ones_sum(buf)) == ones_fold(exact)
    assert ones_fold(py_ones_sum(buf)) == ones_fold(exact)


@needs_c
def test_ones_sum_accepts_buffers_and_rejects_ragged_lengths():
    data = bytearray(range(256)) * 4
    assert ones_fold(speedups.ones_sum(memoryview(data)[8:1000])) == ones_fold(py_ones_sum(bytes(data[8:1000])))
    with pytest.raises(ValueError, match="multiple of 4"):
        speedups.ones_sum(b"abc")
    with pytest.raises(ValueError, match="multiple of 4"):
        py_ones_sum(b"abc")


# ---------------------------------------------------------------- any_finite
_SPECIAL32 = [np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, 3.4e38, -1.0]
_SPECIAL64 = [np.nan, np.inf, -np.inf, 0.0, -0.0, 5e-324, 1.7e308, -1.0]


@needs_c
@SETTINGS
@given(st.sampled_from([4, 8]), st.data())
def test_any_finite_matches_twin(size, data):
    values = data.draw(st.lists(st.sampled_from(_SPECIAL32 if size == 4 else _SPECIAL64), max_size=40))
    tail = data.draw(st.binary(max_size=size - 1))  # a partial value at the end is ignored by both
    buf = np.array(values, dtype=">f4" if size == 4 else ">f8").tobytes() + tail
    assert speedups.any_finite(buf, size) == py_any_finite(buf, size)
    assert speedups.any_finite(buf, size) == any(np.isfinite(values))


@needs_c
@SETTINGS
@given(st.binary(max_size=512), st.sampled_from([4, 8]))
def test_any_finite_on_random_bytes(buf, size):
    assert speedups.any_finite(buf, size) == py_any_finite(buf, size)


# --------------------------------------------------------- first_unprintable
@needs_c
@SETTINGS
@given(st.binary(max_size=100), st.integers(0, 300), st.sampled_from(b"\x00\x1f\x7f\x80\xff\x09"))
def test_first_unprintable_matches_twin(buf, at, bad):
    """Random bytes, and printable text with one bad byte anywhere (inside and after the 16-byte runs)."""
    assert speedups.first_unprintable(buf) == py_first_unprintable(buf)
    text = bytearray(b"KEYWORD = 'value' / a comment ~ " * 10)[: max(at, 1) + 20]
    assert speedups.first_unprintable(bytes(text)) == py_first_unprintable(bytes(text)) == -1
    text[at % len(text)] = bad
    assert speedups.first_unprintable(bytes(text)) == py_first_unprintable(bytes(text)) == at % len(text)
    assert speedups.first_unprintable(b" ~") == -1 and speedups.first_unprintable(memoryview(b"ab\x1f")) == 2


@needs_c
@SETTINGS
@given(
    st.lists(
        st.sampled_from(["END", "END     ", "ENDX    ", "EXTEND  = T", "DATE-END= 'x'", "  END   ", "A"]), max_size=40
    ),
    st.integers(0, 85),
)
def test_find_end_matches_twin(names, cut):
    """The END card on a card boundary only, whatever precedes it (EXTEND, DATE-END, an END off the boundary)."""
    buf = "".join(n.ljust(80) for n in names).encode()
    buf = buf[: len(buf) - cut] if cut < len(buf) else buf
    assert speedups.find_end(buf) == py_find_end(buf)
    assert speedups.find_end(b"x" * 3 + buf) == py_find_end(b"x" * 3 + buf)


@needs_c
@SETTINGS
@given(
    st.lists(st.text(alphabet=" +-0123456789.EDe,x", max_size=7), min_size=1, max_size=12),
    st.integers(0, 3),
    st.booleans(),
)
def test_clean_ascii_column_matches_twin(fields, pad, integer):
    """ASCII-table fields: blanks and numbers of every shape, clean and not, at an offset in the row."""
    width = max(len(f) for f in fields) or 1
    row_len = width + pad
    buf = b"".join(("|" * pad + f.rjust(width)).encode() for f in fields)
    got = speedups.clean_ascii_column(buf, row_len, pad, width, integer)
    assert got == py_clean_ascii_column(buf, row_len, pad, width, integer)


@needs_c
def test_any_finite_big_nan_buffer_and_bad_size():
    nan = np.full(1 << 18, np.nan, dtype=">f4").tobytes()  # 1 MiB: the GIL is released
    assert speedups.any_finite(nan, 4) is False
    assert speedups.any_finite(nan[:-4] + np.array([2.5], ">f4").tobytes(), 4) is True
    with pytest.raises(ValueError, match="4 or 8"):
        speedups.any_finite(nan, 2)


# --------------------------------------------------------------- parse_cards
_KEYWORDS = ["SIMPLE", "BITPIX", "NAXIS", "OBJECT", "COMMENT", "HISTORY", "", "CONTINUE", "HIERARCH", "DATE-OBS"]
_VALUES = [
    "= T",
    "= F",
    "= 42",
    "= -1.5E3",
    "= 1.0D-2",
    "= 'text' / c",
    "= 'it''s'",
    "= 'open",
    "= (1.0, 2.0)",
    "= (1.0",
    "=",
    "= / only a comment",
    "= bad value",
    " not a value",
    "= 1 / x / y",
    "A.B = 3",
    "= 'x' junk",
]


def _raw(keyword: str, rest: str) -> str:
    return (keyword.ljust(8) + rest)[:80].ljust(80)


@dataclasses.dataclass
class PlainCard:  # no __slots__: parse_cards must call the class instead of filling slots
    index: int
    keyword: str
    raw: str
    has_value: bool
    value: object = None
    vtype: str = "none"
    comment: str = ""
    error: str | None = None


@needs_c
def test_parse_cards_fills_the_card_slots_directly(monkeypatch):
    """hlsp.fits.card.Card keeps the eight member slots the C loop fills without calling
    the class (hlsp._speedups slot_offsets); were they gone, it would call Card() per card."""
    calls = []
    init = Card.__init__
    monkeypatch.setattr(Card, "__init__", lambda self, *a, **k: calls.append(a) or init(self, *a, **k))
    text = _raw("SIMPLE", "=                    T") + _raw("BITPIX", "=                    8")
    cards, _ = speedups.parse_cards(text, 2, {}, fits_card._parse_fields, Card)
    assert [(c.keyword, c.value, c.vtype) for c in cards] == [("SIMPLE", True, "bool"), ("BITPIX", 8, "int")]
    assert calls == []
    Card(1, "SIMPLE", text[:80], True)  # (the counter sees a call of the class)
    assert len(calls) == 1


def _as_tuples(cards):
    return [(c.index, c.keyword, c.raw, c.has_value, c.value, c.vtype, c.comment, c.error) for c in cards]


@needs_c
@SETTINGS
@given(st.lists(st.tuples(st.sampled_from(_KEYWORDS), st.sampled_from(_VALUES)), max_size=30))
def test_parse_cards_matches_twin(pairs):
    text = "".join(_raw(k, v) for k, v in pairs)
    for card_type in (Card, PlainCard):
        c_cards, c_first = speedups.parse_cards(text, len(pairs), {}, fits_card._parse_fields, card_type)
        p_cards, p_first = py_parse_cards(text, len(pairs), {}, fits_card._parse_fields, card_type)
        assert all(type(c) is card_type for c in c_cards)
        assert _as_tuples(c_cards) == _as_tuples(p_cards)
        assert {k: v.index for k, v in c_first.items()} == {k: v.index for k, v in p_first.items()}
        assert list(c_first) == list(p_first)


@needs_c
def test_parse_cards_memo_is_shared_and_errors_are_clean():
    memo: dict = {}
    text = _raw("OBJECT", "= 'M31'") * 3
    cards, first = speedups.parse_cards(text, 3, memo, fits_card._parse_fields, Card)
    assert [c.index for c in cards] == [1, 2, 3] and first["OBJECT"] is cards[0]
    assert list(memo) == [text[:80]] and memo[text[:80]][2] == "M31"
    with pytest.raises(ValueError, match="shorter"):
        speedups.parse_cards(text, 4, memo, fits_card._parse_fields, Card)
    # no reference is leaked: the memo's entry is held as often before as after
    held = sys.getrefcount(memo[text[:80]])
    for _ in range(100):
        speedups.parse_cards(text, 3, memo, fits_card._parse_fields, Card)
        speedups.parse_cards(text, 3, memo, fits_card._parse_fields, PlainCard)
    after = sys.getrefcount(memo[text[:80]])  # (outside the assert: pytest's rewriting holds its operands)
    assert after == held
    wrong = {text[:80]: ("OBJECT",)}
    held = sys.getrefcount(wrong[text[:80]])
    for _ in range(100):
        with pytest.raises(TypeError):
            speedups.parse_cards(text, 1, wrong, fits_card._parse_fields, Card)
    after = sys.getrefcount(wrong[text[:80]])
    assert after == held
    with pytest.raises(TypeError, match="6-tuple"):
        speedups.parse_cards(text, 1, {}, lambda raw: ("OBJECT",), Card)
    with pytest.raises(ZeroDivisionError):  # an error inside parse() propagates, nothing leaks
        speedups.parse_cards(text, 1, {}, lambda raw: 1 / 0, Card)


# ------------------------------------------------------------- whole files
def _facts(ff):
    hdus = [
        (
            h.index,
            h.offset,
            h.kind,
            h.header_size,
            h.data_size,
            h.data_read,
            h.end_found,
            h.header_sum,
            h.data_sum,
            h.fill_ok,
            h.header_fill_ok,
            h.any_finite,
            h.size_known,
            h.checksum_status,
            _as_tuples(h.header.cards),
            list(h.header.keywords()),
            h.value_problems,
        )
        for h in ff.hdus
    ]
    return (ff.is_fits, ff.compression, ff.trailing_bytes, [(i.code, i.hdu, i.keyword) for i in ff.issues], hdus)


def _both(path, monkeypatch):
    fast = _facts(read_fits(path))
    with monkeypatch.context() as m:
        m.setattr(switch, "C", None)
        fits_card._CARD_MEMO.clear()
        slow = _facts(read_fits(path))
    fits_card._CARD_MEMO.clear()
    return fast, slow


def _sample_file() -> bytes:
    rows = np.zeros(7, dtype=[("TIME", ">f8"), ("FLUX", ">f4")])
    rows["FLUX"] = np.nan
    return b"".join(
        [
            hdu_bytes(primary_cards(8, [], [("OBJECT", "x"), ("HIERARCH ESO DET", 3)]), checksum=True),
            hdu_bytes(
                image_ext_cards(-32, [5, 3], [("BUNIT", "Jy")]), np.full(15, np.nan, ">f4").tobytes(), checksum=True
            ),
            hdu_bytes(image_ext_cards(-64, [2, 2]), np.array([np.inf, np.nan, 1.0, 2.0], ">f8").tobytes()),
            hdu_bytes(
                bintable_cards([("TIME", "D"), ("FLUX", "E")], 7, 12, [card("TUNIT1", "d")]),
                rows.tobytes(),
                checksum=True,
            ),
            hdu_bytes(
                bintable_cards([("F", "2L"), ("S", "3A"), ("B", "3X")], 4, 6, []), b"TFab\0\xe0" * 3 + b"TXab\x01\x10"
            ),
        ]
    )


@needs_c
@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(
    flips=st.lists(st.tuples(st.integers(0, 4 * 2880 * 3), st.integers(0, 255)), max_size=6),
    cut=st.integers(0, 5 * 2880 * 3),
    gz=st.booleans(),
)
def test_reader_facts_match_on_mutated_files(tmp_path, monkeypatch, flips, cut, gz):
    data = bytearray(_sample_file())
    for pos, byte in flips:
        if pos < len(data):
            data[pos] = byte
    data = bytes(data[:cut]) if cut else bytes(data)
    path = tmp_path / ("m.fits.gz" if gz else "m.fits")
    path.write_bytes(gzip.compress(data) if gz else data)
    fast, slow = _both(path, monkeypatch)
    assert fast == slow


@needs_c
def test_reader_facts_match_on_a_big_file(tmp_path, monkeypatch):
    """Over 64 MiB of data: the two-thread path, with a finite value only at the end."""
    n = 17 * 1024 * 1024  # float32 values: 68 MiB
    path = tmp_path / "big.fits"
    with open(path, "wb") as fh:
        fh.write(header_bytes(primary_cards(-32, [n])))
        nan = np.full(1 << 20, np.nan, ">f4").tobytes()
        for _ in range(n // (1 << 20) - 1):
            fh.write(nan)
        last = np.full(1 << 20, np.nan, ">f4")
        last[-1] = 7.0
        fh.write(last.tobytes())
        fh.write(b"\0" * (-(n * 4) % 2880))
    fast, slow = _both(path, monkeypatch)
    assert fast == slow
    hdu = fast[4][0]
    assert hdu[11] is True and hdu[5] == hdu[4] + (-hdu[4] % 2880)  # any_finite; every byte read


@pytest.mark.realdata
def test_reader_facts_match_on_real_files(realdata, monkeypatch):
    if speedups is None:
        need_system("hlsp._speedups is not built here (no C compiler?)")
    files = sorted(p for p in realdata.rglob("*") if p.is_file() and ".fits" in p.name.lower())
    assert files, "no FITS files in the real-data folder"
    for path in files:
        fast, slow = _both(path, monkeypatch)
        assert fast == slow, path.name


# ----------------------------------------------------------------- scan_rows
@st.composite
def _row_checks(draw):
    """A random row layout of L/A/X/P/Q columns and rows of random bytes."""
    checks, offset = [], 0
    for _ in range(draw(st.integers(1, 4))):
        code = draw(st.sampled_from("LAXPQ"))
        if code in "LA":
            repeat = draw(st.integers(1, 5))
            width, check = repeat, (offset, code, repeat, 0, -1)
        elif code == "X":
            repeat = draw(st.integers(1, 20).filter(lambda r: r % 8))
            width, check = (repeat + 7) // 8, (offset, code, repeat, 0, -1)
        else:
            width = 8 if code == "P" else 16
            check = (offset, code, 1, draw(st.sampled_from([0, 1, 4, 8, 16])), draw(st.integers(-1, 3)))
        checks.append(check)
        offset += width
    row_len = offset + draw(st.integers(0, 3))
    nrows = draw(st.integers(0, 12))
    alphabet = st.sampled_from([0, 1, 2, 3, 0x20, 0x41, 0x46, 0x54, 0x7E, 0x7F, 0xC3, 0xFF])
    rows = bytes(draw(st.lists(alphabet, min_size=row_len * nrows, max_size=row_len * nrows)))
    return rows, row_len, tuple(checks), draw(st.integers(0, 64))


@needs_c
@SETTINGS
@given(_row_checks())
def test_scan_rows_matches_twin(case):
    rows, row_len, checks, heap = case
    assert speedups.scan_rows(rows, row_len, checks, heap) == py_scan_rows(rows, row_len, checks, heap)


@needs_c
def test_scan_rows_rejects_checks_outside_the_row():
    with pytest.raises(ValueError, match="does not fit"):
        speedups.scan_rows(b"TTTT", 2, ((1, "A", 2, 0, -1),), 0)
    with pytest.raises(ValueError, match="row_len"):
        speedups.scan_rows(b"TTTT", 0, (), 0)
    assert speedups.scan_rows(b"TFX\0", 1, ((0, "L", 1, 0, -1),), 0) == [(0, 2, 1)]


# -------------------------------------------------------------- parse_fields
_CARD_TEXT = st.text(alphabet=st.sampled_from(list(" '/=()TFEeDd.+-,0123456789AXZ&\t\x00é")), max_size=80)


def _same(a, b) -> bool:
    return len(a) == len(b) and all(type(x) is type(y) and x == y for x, y in zip(a, b))


@needs_c
@SETTINGS
@given(
    st.sampled_from(["SIMPLE", "OBJECT", "COMMENT", "HISTORY", "", "HIERARCH", "CONTINUE", "DATE-OBS", "A B"]),
    st.sampled_from(["= ", "=", "  ", "= '"]),
    _CARD_TEXT,
)
def test_parse_fields_matches_parse_card(keyword, sep, rest):
    raw = (keyword.ljust(8) + sep + rest)[:80].ljust(80)
    fast = speedups.parse_fields(raw)
    if fast is not None:  # None: left to parse_card (HIERARCH, invalid values, non-ASCII ...)
        assert _same(fast, fits_card.py_parse_fields(raw)), raw


@needs_c
@pytest.mark.parametrize(
    "text",
    [
        "SIMPLE  =                    T / conforms",
        "BITPIX  =                  -32",
        "NAXIS1  =                 0064",
        "CRVAL1  =   -1.5D-03 / deg",
        "CRVAL2  = .5E+2",
        "EQUINOX =               2000.0",
        "OBJECT  = 'M31 ''x'' ' / t",
        "EMPTY   = ''",
        "BLANK   = '   '",
        "COMMENT   free text",
        "HISTORY = not a value",
        "        blank keyword",
        "DATE    =",
        "UNDEF   =   / only a comment",
        "BIG     = 123456789012345678901234567890",
    ],
)
def test_parse_fields_on_common_cards(text):
    raw = text.ljust(80)
    fast = speedups.parse_fields(raw)
    assert fast is not None and _same(fast, fits_card.py_parse_fields(raw))


@needs_c
@pytest.mark.parametrize(
    "text",
    [
        "HIERARCH ESO DET = 3",
        "CONTINUE  'more&'",
        "Z       = (1.0, 2.0)",
        "BAD     = 'open",
        "BAD     = 'x' junk",
        "BAD     = 1.2.3",
        "BAD     = TRUE",
        "TAB     = 1\t",
        "ACC     = 'café'",
    ],
)
def test_parse_fields_leaves_the_rest_to_python(text):
    assert speedups.parse_fields(text.ljust(80)) is None
