"""Robustness: no bytes make the reader or the rules crash.

Hypothesis feeds random bytes, valid files with bytes flipped, inserted,
deleted or cut off, headers of random cards, and gzip streams of all of
these.  ``read_fits`` may raise only OSError (an unreadable file); it must
return a FitsFile for anything it could open.  ``validate_file`` must always
return a FileResult, and no rule may hit an internal error (the engine turns a
crashing rule into a warning saying so: the fuzzing must never see one).
"""

from __future__ import annotations

import gzip

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fitsgen import bintable_cards, card, hdu_bytes, header_bytes, image_ext_cards, primary_cards
from hlsp.engine import Options, validate_file
from hlsp.findings import FileResult
from hlsp.fits import FitsFile, read_fits

SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
OPTIONS = Options()  # every rule


def _valid_file() -> bytes:
    """A small MEF with checksums: primary, float image with WCS, binary table."""
    wcs = [
        ("WCSAXES", 2),
        ("CTYPE1", "RA---TAN"),
        ("CTYPE2", "DEC--TAN"),
        ("CRPIX1", 2.0),
        ("CRPIX2", 2.0),
        ("CRVAL1", 10.0),
        ("CRVAL2", 20.0),
        ("CDELT1", -0.001),
        ("CDELT2", 0.001),
        ("DATE-OBS", "2020-01-01T00:00:00"),
    ]
    rec = np.zeros(5, dtype=[("TIME", ">f8"), ("FLUX", ">f4")])
    rec["TIME"] = np.arange(5)
    return b"".join(
        [
            hdu_bytes(primary_cards(8, [], [("TELESCOP", "TESS"), ("OBJECT", "x")]), checksum=True),
            hdu_bytes(image_ext_cards(-32, [3, 3], wcs), np.arange(9, dtype=">f4").tobytes(), checksum=True),
            hdu_bytes(
                bintable_cards([("TIME", "D"), ("FLUX", "E")], 5, 12, [("TUNIT1", "d")]), rec.tobytes(), checksum=True
            ),
        ]
    )


VALID = _valid_file()


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def _survives(path) -> None:
    """The properties every input must keep."""
    try:
        ff = read_fits(path)
    except OSError:
        pass
    else:
        assert isinstance(ff, FitsFile)
    result = validate_file(str(path), OPTIONS)
    assert isinstance(result, FileResult)
    crashed = [f for f in result.findings if "internal error in rule" in f.message]
    assert not crashed, crashed
    result.to_dict()  # reportable


@SETTINGS
@given(data=st.binary(max_size=8000))
def test_random_bytes(folder, data):
    path = folder / "random.fits"
    path.write_bytes(data)
    _survives(path)


@SETTINGS
@given(data=st.binary(max_size=3000))
def test_random_bytes_after_simple(folder, data):
    path = folder / "simple.fits"
    path.write_bytes(b"SIMPLE  =                    T" + data)
    _survives(path)


_MUTATION = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, len(VALID) - 1), st.integers(1, 255)),
    st.tuples(st.just("insert"), st.integers(0, len(VALID)), st.binary(min_size=1, max_size=100)),
    st.tuples(st.just("delete"), st.integers(0, len(VALID) - 1), st.integers(1, 3000)),
    st.tuples(st.just("cut"), st.integers(0, len(VALID)), st.just(0)),
)


def _mutate(data: bytes, mutations) -> bytes:
    buf = bytearray(data)
    for kind, pos, arg in mutations:
        pos = min(pos, len(buf))
        if kind == "flip" and pos < len(buf):
            buf[pos] ^= arg
        elif kind == "insert":
            buf[pos:pos] = arg
        elif kind == "delete":
            del buf[pos : pos + arg]
        elif kind == "cut":
            del buf[pos:]
    return bytes(buf)


@SETTINGS
@given(mutations=st.lists(_MUTATION, min_size=1, max_size=6))
def test_mutated_valid_file(folder, mutations):
    path = folder / "mutated.fits"
    path.write_bytes(_mutate(VALID, mutations))
    _survives(path)


_KEYWORDS = st.sampled_from(
    [
        "SIMPLE",
        "BITPIX",
        "NAXIS",
        "NAXIS1",
        "NAXIS2",
        "NAXIS3",
        "EXTEND",
        "XTENSION",
        "PCOUNT",
        "GCOUNT",
        "TFIELDS",
        "TFORM1",
        "TTYPE1",
        "TDISP1",
        "TDIM1",
        "TNULL1",
        "TSCAL1",
        "TBCOL1",
        "THEAP",
        "BUNIT",
        "BLANK",
        "BSCALE",
        "DATE-OBS",
        "DATE",
        "WCSAXES",
        "CTYPE1",
        "CRVAL1",
        "CDELT1",
        "PC1_1",
        "CD1_1",
        "CROTA2",
        "CHECKSUM",
        "DATASUM",
        "GROUPS",
        "END",
        "CONTINUE",
        "COMMENT",
        "HIERARCH",
        "EXTNAME",
        "INSTRUME",
        "ZIMAGE",
        "RADESYS",
        "EQUINOX",
    ]
)
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
)
_CARD = st.one_of(
    st.builds(lambda k, v: card(k, v), _KEYWORDS, _VALUES),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=255), min_size=0, max_size=80).map(
        lambda t: card("", raw=t)
    ),
)


@SETTINGS
@given(
    head=st.sampled_from([primary_cards(8, []), primary_cards(-32, [3, 3]), [("SIMPLE", True)]]),
    cards=st.lists(_CARD, max_size=40),
    extension=st.lists(_CARD, max_size=40),
    data=st.binary(max_size=6000),
)
def test_random_cards(folder, head, cards, extension, data):
    raw = header_bytes(list(head) + cards) + data + header_bytes([("XTENSION", "BINTABLE")] + extension) + data
    path = folder / "cards.fits"
    path.write_bytes(raw)
    _survives(path)


@SETTINGS
@given(data=st.binary(max_size=4000), mutations=st.lists(_MUTATION, max_size=3), cut=st.integers(0, 4000))
def test_gzip(folder, data, mutations, cut):
    gz = folder / "fuzz.fits.gz"
    gz.write_bytes(b"\x1f\x8b" + data)  # a gzip magic number before random bytes
    _survives(gz)
    packed = gzip.compress(_mutate(VALID, mutations), mtime=0)
    gz.write_bytes(packed[: max(2, len(packed) - cut)])  # valid or cut gzip of a mutated file
    _survives(gz)
