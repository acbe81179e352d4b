"""The `fits` and `checksum` rules agree with HEASARC fitsverify on a crafted corpus.

Every case below writes one FITS file with exact bytes (``fitsgen``) or with
astropy, and states the findings we must report: a set of ``(rule, hdu)``
pairs of *error* severity in the fits and checksum categories (``hdu`` is
0-based; ``None`` for file-level findings).  A case that expects nothing is a
clean file, on which no wcs error may appear either.  Two tests use the corpus:

- ``test_expected_findings`` checks our findings against that expectation; it
  needs nothing but the package, so it runs everywhere.
- ``test_fitsverify_parity`` runs the real ``fitsverify`` on the same bytes and
  asserts that we report a fits error exactly when it prints ``*** Error:``
  (also per HDU), and a checksum error exactly where it warns that CHECKSUM or
  DATASUM disagree.  Where we deliberately differ, the case says why in
  ``deviation`` and the test asserts that fitsverify really does differ, so
  the documentation cannot silently go stale.

fitsverify's exit status is not used (it counts warnings too).
"""

from __future__ import annotations

import bz2
import gzip
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pytest

from fitsgen import bintable_cards, card, hdu_bytes, header_bytes, image_ext_cards, pad_data, primary_cards
from fitsverify_support import run_fitsverify
from hlsp.engine import Options, validate_file
from hlsp.findings import Category, Severity

OURS = (Category.FITS, Category.CHECKSUM)  # the categories these rules own


# ----------------------------------------------------------------- building blocks
_DTYPES = {8: "u1", 16: ">i2", 32: ">i4", 64: ">i8", -32: ">f4", -64: ">f8"}


def image_data(bitpix: int = 16, naxes=(4, 3)) -> bytes:
    n = int(np.prod(naxes)) if naxes else 0
    return np.arange(n).astype(_DTYPES[bitpix]).tobytes()


def primary(extra=(), bitpix=16, naxes=(4, 3), data=None, checksum=False, cards=None) -> bytes:
    cards = primary_cards(bitpix, list(naxes), extra) if cards is None else cards
    return hdu_bytes(cards, image_data(bitpix, naxes) if data is None else data, checksum=checksum)


def empty_primary(extra=(), checksum=False) -> bytes:
    return hdu_bytes(primary_cards(8, [], extra), checksum=checksum)


def image_ext(extra=(), bitpix=-32, naxes=(3, 2), cards=None, checksum=False) -> bytes:
    cards = image_ext_cards(bitpix, list(naxes), extra) if cards is None else cards
    return hdu_bytes(cards, image_data(bitpix, naxes), checksum=checksum)


BIN_COLUMNS = [("TIME", "D"), ("FLUX", "E"), ("NAME", "4A")]
BIN_ROW = 16
BIN_ROWS = 3


def bintable_data(nrows: int = BIN_ROWS) -> bytes:
    rec = np.zeros(nrows, dtype=[("TIME", ">f8"), ("FLUX", ">f4"), ("NAME", "S4")])
    rec["TIME"] = np.arange(nrows) + 0.5
    rec["FLUX"] = 2.0
    rec["NAME"] = b"star"
    return rec.tobytes()


def bintable(extra=(), cards=None, data=None, checksum=False) -> bytes:
    cards = bintable_cards(BIN_COLUMNS, BIN_ROWS, BIN_ROW, extra) if cards is None else cards
    return hdu_bytes(cards, bintable_data() if data is None else data, checksum=checksum)


def ascii_table_cards(extra=(), tbcol2: int = 7, naxis1: int = 14) -> list:
    return [
        ("XTENSION", "TABLE"),
        ("BITPIX", 8),
        ("NAXIS", 2),
        ("NAXIS1", naxis1),
        ("NAXIS2", 2),
        ("PCOUNT", 0),
        ("GCOUNT", 1),
        ("TFIELDS", 2),
        ("TTYPE1", "ID"),
        ("TBCOL1", 1),
        ("TFORM1", "I5"),
        ("TTYPE2", "MAG"),
        ("TBCOL2", tbcol2),
        ("TFORM2", "F8.2"),
        *extra,
    ]


def ascii_table(extra=(), cards=None, fill=b" ") -> bytes:
    cards = ascii_table_cards(extra) if cards is None else cards
    rows = "".join(f"{i:5d} {10.5 + i:8.2f}" for i in range(2)).encode("ascii")
    return hdu_bytes(cards, rows, fill=fill)


def raw(text: str) -> str:
    """A card written exactly as given (padded to 80 characters)."""
    return card("", raw=text)


def mef(*hdus: bytes) -> bytes:
    return b"".join(hdus)


def std_mef() -> bytes:
    return mef(empty_primary(), image_ext(), bintable(), ascii_table())


# ----------------------------------------------------------------------- the corpus
@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path], Path]
    expect: frozenset  # {(rule, hdu)} of error findings in fits/checksum
    deviation: str | None = None  # why fitsverify's error verdict differs from ours


CASES: list[Case] = []


def case(*expect: tuple[str, int | None], deviation: str | None = None, suffix: str = ".fits"):
    """Register a builder returning the bytes of one file (or a path it wrote)."""

    def register(fn):
        def build(folder: Path) -> Path:
            out = fn(folder)
            if isinstance(out, Path):
                return out
            path = folder / (fn.__name__ + suffix)
            path.write_bytes(out)
            return path

        CASES.append(Case(fn.__name__, build, frozenset(expect), deviation))
        return fn

    return register


# --- clean files ---------------------------------------------------------------
@case()
def clean_primary_image(d):
    return primary(extra=[("OBJECT", "M31"), ("DATE-OBS", "2020-01-01T12:00:00.5"), ("DATE", "2021-02-03")])


@case()
def clean_mef_all_hdu_types(d):
    return std_mef()


@case()
def clean_checksums_everywhere(d):
    return mef(empty_primary(checksum=True), image_ext(checksum=True), bintable(checksum=True))


@case()
def clean_checksum_without_datasum(d):
    # CHECKSUM alone covers the whole HDU (real TESS and K2 files look like this)
    hdu = hdu_bytes(image_ext_cards(-32, [3, 2]), image_data(-32, (3, 2)), checksum=True, datasum=False)
    return mef(empty_primary(), hdu)


@case()
def clean_old_and_new_dates(d):
    return primary(extra=[("DATE", "31/12/99"), ("DATE-OBS", "1999-12-31"), ("DATE-END", "2000-01-01T00:00:00")])


@case()
def clean_date_with_trailing_z(d):
    return primary(extra=[("DATE-OBS", "2018-07-25T19:29:42.708Z")])


@case()
def clean_long_string_and_hierarch(d):
    return primary(
        extra=[
            ("LONGSTRN", "OGIP 1.0"),
            raw("TITLE   = 'a long string value that goes on and on and on and on and on and on&'"),
            raw("CONTINUE  'and ends here'"),
            raw("HIERARCH ESO DET CHIP NAME = 'CCD-1' / a HIERARCH card"),
            ("COMMENT", "free text: with any [printable] characters ~!"),
        ]
    )


@case()
def clean_wcs_in_order(d):
    return primary(
        extra=[
            ("WCSAXES", 2),
            ("CTYPE1", "RA---TAN"),
            ("CTYPE2", "DEC--TAN"),
            ("CRPIX1", 2.0),
            ("CRPIX2", 1.5),
            ("CRVAL1", 10.0),
            ("CRVAL2", -5.0),
            ("CDELT1", -0.001),
            ("CDELT2", 0.001),
            ("RADESYS", "ICRS"),
            ("EQUINOX", 2000.0),
        ]
    )


@case()
def clean_empty_table(d):
    cards = bintable_cards(BIN_COLUMNS, 0, BIN_ROW)
    return mef(empty_primary(), hdu_bytes(cards))


@case()
def clean_zero_length_axis_image(d):
    return mef(empty_primary(), hdu_bytes(image_ext_cards(-32, [0, 5])))


@case(suffix=".fits.gz")
def clean_gzip(d):
    return gzip.compress(std_mef(), mtime=0)


@case(suffix=".fits.bz2")
def clean_bzip2(d):
    return bz2.compress(std_mef())


@case()
def clean_astropy_checksum_mef(d):
    from astropy.io import fits

    path = d / "clean_astropy_checksum_mef.fits"
    img = fits.ImageHDU(np.arange(12, dtype="f4").reshape(3, 4), name="SCI")
    img.header["BUNIT"] = "electron/s"
    tab = fits.BinTableHDU.from_columns(
        [fits.Column("TIME", "D", array=np.arange(5.0)), fits.Column("FLAG", "J", array=np.arange(5))], name="LC"
    )
    fits.HDUList([fits.PrimaryHDU(), img, tab]).writeto(path, checksum=True)
    return path


@case(suffix=".fits.fz")
def clean_tile_compressed(d):
    from astropy.io import fits

    path = d / "clean_tile_compressed.fits.fz"
    comp = fits.CompImageHDU(np.arange(64 * 64, dtype="f4").reshape(64, 64), compression_type="RICE_1")
    comp.header["BUNIT"] = "adu"
    fits.HDUList([fits.PrimaryHDU(), comp]).writeto(path, checksum=True)
    return path


@case()
def clean_random_groups(d):
    from astropy.io import fits

    path = d / "clean_random_groups.fits"
    data = fits.GroupData(
        np.arange(2 * 3 * 4, dtype="f4").reshape(2, 1, 3, 4),
        parnames=["UU", "VV"],
        pardata=[np.array([0.1, 0.2], "f4"), np.array([0.3, 0.4], "f4")],
        bitpix=-32,
    )
    fits.GroupsHDU(data).writeto(path)
    return path


@case()
def clean_astropy_table_with_units_and_tdisp(d):
    from astropy.io import fits
    from astropy.table import Table

    path = d / "clean_astropy_table_with_units_and_tdisp.fits"
    t = Table(
        {"TIME": np.arange(4.0), "FLUX": np.ones(4, "f4"), "FLAG": np.zeros(4, "i2"), "NAME": ["a", "bb", "c", "d"]}
    )
    t["TIME"].unit, t["FLUX"].unit = "d", "count / s"
    t["TIME"].format, t["FLUX"].format, t["FLAG"].format = "{:.6f}", "{:10.4e}", "{:5d}"
    hdu = fits.table_to_hdu(t)
    hdu.header["DATE-OBS"] = "2020-01-01T00:00:00.000"
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(path, checksum=True)
    return path


@case()
def clean_fitsio_image_and_table(d):
    import fitsio

    path = d / "clean_fitsio_image_and_table.fits"
    with fitsio.FITS(str(path), "rw", clobber=True) as f:
        f.write(np.arange(20, dtype="i4").reshape(4, 5), header={"OBJECT": "M31", "EQUINOX": 2000.0})
        f.write({"X": np.arange(3.0), "ID": np.arange(3, dtype="i8")}, extname="CAT")
        for hdu in f:
            hdu.write_checksum()
    return path


# --- mandatory keywords ------------------------------------------------------------
@case(("FS006", 0))
def primary_missing_bitpix(d):
    return hdu_bytes([("SIMPLE", True), ("NAXIS", 0)])


@case(("FS001", None))  # the first card must be SIMPLE: not a FITS file at all
def primary_bitpix_before_simple(d):
    return hdu_bytes([("BITPIX", 8), ("SIMPLE", True), ("NAXIS", 0)])


@case(("FS006", 0))
def primary_bitpix_string(d):
    return primary(cards=[("SIMPLE", True), ("BITPIX", "16"), ("NAXIS", 2), ("NAXIS1", 4), ("NAXIS2", 3)])


@case(("FS006", 0))
def primary_bitpix_illegal_value(d):
    return hdu_bytes([("SIMPLE", True), ("BITPIX", 12), ("NAXIS", 0)])


@case(("FS006", 0))
def primary_naxis_float(d):
    return hdu_bytes([("SIMPLE", True), ("BITPIX", 8), ("NAXIS", 0.0)])


@case(("FS006", 0))
def primary_missing_naxis2(d):
    return primary(cards=[("SIMPLE", True), ("BITPIX", 16), ("NAXIS", 2), ("NAXIS1", 12)], naxes=(12,))


@case(("FS006", 0))
def primary_naxis_keywords_swapped(d):
    return primary(cards=[("SIMPLE", True), ("BITPIX", 16), ("NAXIS", 2), ("NAXIS2", 3), ("NAXIS1", 4)])


@case(("FS006", 0))
def primary_naxisn_beyond_naxis(d):
    return primary(cards=primary_cards(16, [4, 3], [("NAXIS3", 1)]))


@case(("FS006", 0))
def primary_bitpix_repeated_later(d):
    return primary(extra=[("OBJECT", "x"), ("BITPIX", 16)])


@case(
    ("FS006", 0),
    deviation="fitsverify only warns that SIMPLE = F 'may not conform'; a file that declares "
    "itself non-standard cannot be archived, so FS006 fails it",
)
def primary_simple_false(d):
    return hdu_bytes([("SIMPLE", False), ("BITPIX", 8), ("NAXIS", 0)])


@case(("FS006", 1))
def image_missing_pcount(d):
    return mef(
        empty_primary(),
        image_ext(
            cards=[("XTENSION", "IMAGE"), ("BITPIX", -32), ("NAXIS", 2), ("NAXIS1", 3), ("NAXIS2", 2), ("GCOUNT", 1)]
        ),
    )


@case(("FS006", 1))
def image_gcount_before_pcount(d):
    return mef(
        empty_primary(),
        image_ext(
            cards=[
                ("XTENSION", "IMAGE"),
                ("BITPIX", -32),
                ("NAXIS", 2),
                ("NAXIS1", 3),
                ("NAXIS2", 2),
                ("GCOUNT", 1),
                ("PCOUNT", 0),
            ]
        ),
    )


@case(("FS006", 1))
def image_pcount_nonzero(d):
    cards = [("XTENSION", "IMAGE"), ("BITPIX", 8), ("NAXIS", 1), ("NAXIS1", 4), ("PCOUNT", 4), ("GCOUNT", 1)]
    return mef(empty_primary(), hdu_bytes(cards, bytes(8)))


@case(("FS006", 1))
def image_xtension_unregistered(d):
    cards = image_ext_cards(-32, [3, 2])
    cards[0] = ("XTENSION", "PICTURE")
    return mef(empty_primary(), image_ext(cards=cards))


@case(("FS006", 1))
def image_xtension_not_first(d):
    cards = image_ext_cards(-32, [3, 2])
    return mef(empty_primary(), image_ext(cards=[cards[1], cards[0]] + cards[2:]))


@case(("FS006", 1))
def bintable_missing_tfields(d):
    cards = [c for c in bintable_cards(BIN_COLUMNS, BIN_ROWS, BIN_ROW) if c[0] != "TFIELDS"]
    return mef(empty_primary(), bintable(cards=cards))


@case(("FS006", 1))
def bintable_bitpix_16(d):
    cards = bintable_cards(BIN_COLUMNS, BIN_ROWS, BIN_ROW)
    cards[1] = ("BITPIX", 16)
    return mef(empty_primary(), hdu_bytes(cards, bintable_data() * 2))


@case(("FS006", 1))
def bintable_missing_tform(d):
    cards = [c for c in bintable_cards(BIN_COLUMNS, BIN_ROWS, BIN_ROW) if c[0] != "TFORM2"]
    return mef(empty_primary(), bintable(cards=cards))


@case(("FS006", 1))
def ascii_table_missing_tbcol(d):
    cards = [c for c in ascii_table_cards() if c[0] != "TBCOL2"]
    return mef(empty_primary(), ascii_table(cards=cards))


@case(("FS006", 1))
def ascii_table_naxis_3(d):
    cards = ascii_table_cards()
    cards[2:4] = [("NAXIS", 3), ("NAXIS1", 14)]
    cards.insert(5, ("NAXIS3", 1))
    return mef(empty_primary(), ascii_table(cards=cards))


@case(("FS006", 0))
def extend_false_with_extensions(d):
    # (fitsverify skips this test when EXTEND sorts first among the other keywords: DATE avoids that)
    cards = [("SIMPLE", True), ("BITPIX", 8), ("NAXIS", 0), ("EXTEND", False), ("DATE", "2020-01-01")]
    return mef(hdu_bytes(cards), image_ext())


@case(("FS006", 1))
def xtension_value_not_padded(d):
    return mef(empty_primary(), image_ext(cards=[raw("XTENSION= 'IMAGE'")] + image_ext_cards(-32, [3, 2])[1:]))


@case(("FS006", 1))
def xtension_value_padded_too_far(d):
    return mef(empty_primary(), image_ext(cards=[raw("XTENSION= 'IMAGE    '")] + image_ext_cards(-32, [3, 2])[1:]))


@case(("FS006", 1))
def xtension_value_lowercase(d):
    return mef(empty_primary(), image_ext(cards=[raw("XTENSION= 'image   '")] + image_ext_cards(-32, [3, 2])[1:]))


@case(("FS006", 1))
def xtension_value_not_in_column_11(d):
    return mef(empty_primary(), image_ext(cards=[raw("XTENSION=   'IMAGE   '")] + image_ext_cards(-32, [3, 2])[1:]))


@case()
def xtension_a3dtable(d):
    return mef(
        empty_primary(), bintable(cards=[("XTENSION", "A3DTABLE")] + bintable_cards(BIN_COLUMNS, BIN_ROWS, BIN_ROW)[1:])
    )


@case(("FS006", 0))
def simple_not_fixed_format(d):
    return hdu_bytes([raw("SIMPLE  = T"), ("BITPIX", 8), ("NAXIS", 0)])


@case(("FS006", 0))
def bitpix_not_fixed_format(d):
    return hdu_bytes([("SIMPLE", True), raw("BITPIX  = 8"), ("NAXIS", 0)])


@case(("FS006", 0))
def naxis1_not_fixed_format(d):
    return primary(cards=[("SIMPLE", True), ("BITPIX", 16), ("NAXIS", 2), raw("NAXIS1  = 4"), ("NAXIS2", 3)])


@case(("FS006", 1))
def tfields_not_fixed_format(d):
    cards = bintable_cards(BIN_COLUMNS, BIN_ROWS, BIN_ROW)
    cards[7] = raw("TFIELDS = 3")
    return mef(empty_primary(), bintable(cards=cards))


@case(("FS006", 1))
def tbcol_not_fixed_format(d):
    cards = ascii_table_cards()
    cards[9] = raw("TBCOL1  = 1")
    return mef(empty_primary(), ascii_table(cards=cards))


@case()
def integer_with_plus_sign_fixed(d):
    return hdu_bytes([("SIMPLE", True), raw("BITPIX  =                   +8"), ("NAXIS", 0)])


# --- keyword names and header bytes ------------------------------------------------
@case(("FS005", 0))
def keyword_name_plus(d):
    return primary(extra=[raw("B+1ST   =                  1.5 / illegal name")])


@case(("FS005", 0))
def keyword_name_embedded_blank(d):
    return primary(extra=[raw("BEGIN MA= 'x'")])


@case(("FS005", 0))
def keyword_name_lowercase(d):
    return primary(extra=[raw("object  = 'M31'")])


@case(("FS005", 0))
def keyword_name_not_left_justified(d):
    return primary(extra=[raw(" OBJECT = 'M31'")])


@case(("FS004", 0))
def header_non_ascii_in_comment(d):
    text = "OBSERVER= 'Jose' / Jos\xe9 Pe\xf1a"
    return primary(extra=[text.ljust(80)])


@case(("FS004", 0))
def header_non_ascii_in_string(d):
    return primary(extra=["OBSERVER= 'Ang\xe9lique'".ljust(80)])


@case(("FS004", 0))
def header_tab_in_comment_card(d):
    return primary(extra=["COMMENT a\ttab".ljust(80)])


@case(("FS004", 0))
def header_nul_byte(d):
    return primary(extra=["OBJECT  = 'M31'  / nul\x00here".ljust(80)])


# --- value syntax --------------------------------------------------------------------
@case(("FS007", 0))
def value_unquoted_string(d):
    return primary(extra=[raw("OBJECT  = M31 / unquoted")])


@case(("FS007", 0))
def value_missing_closing_quote(d):
    return primary(extra=[raw("OBJECT  = 'M31 / no closing quote")])


@case(("FS007", 0))
def value_text_after_string(d):
    return primary(extra=[raw("OBJECT  = 'M31' no slash")])


@case(("FS007", 0))
def value_lowercase_exponent(d):
    return primary(extra=[raw("EXPTIME =               1.5e3 / lower-case exponent")])


@case(("FS007", 0))
def value_bad_logical(d):
    return primary(extra=[raw("FLAG    =                    Tx")])


@case(("FS007", 0))
def value_bad_number(d):
    return primary(extra=[raw("EXPTIME =                 12s / seconds")])


@case(("FS007", 0))
def value_complex_without_paren(d):
    return primary(extra=[raw("CPLX    = (1.0, 2.0")])


# --- END card and fill -----------------------------------------------------------------
@case(("FS003", 0))
def missing_end(d):
    return header_bytes(primary_cards(8, []), end=False)


@case(("FS003", 1))
def missing_end_in_extension(d):
    return mef(empty_primary(), header_bytes(image_ext_cards(8, []), end=False))


@case(("FS003", 0))
def end_card_not_blank(d):
    return header_bytes(primary_cards(8, []) + [raw("END     junk")], end=False)


@case(("FS009", 0))
def junk_after_end(d):
    h = bytearray(empty_primary())
    end = h.find(b"END" + b" " * 77)
    h[end + 80 : end + 86] = b"JUNK!!"
    return bytes(h)


@case(("FS009", 0))
def data_fill_not_zero(d):
    body = image_data(16, (4, 3))
    return header_bytes(primary_cards(16, [4, 3])) + pad_data(body, b"\x01")


@case(("FS009", 1))
def ascii_table_fill_not_blank(d):
    return mef(empty_primary(), ascii_table(fill=b"\x00"))


# --- sizes -----------------------------------------------------------------------------
@case(("FS002", 0))
def truncated_data(d):
    return primary()[: 2880 + 100]


@case(("FS002", 3))
def truncated_last_block(d):
    return std_mef()[:-1000]


@case(("FS002", 1))
def truncated_header_block(d):
    return mef(empty_primary(), image_ext())[: 2880 + 1000]


@case(("FS010", None))
def size_not_multiple_of_2880(d):
    return std_mef() + b"\x00" * 100


@case(("FS010", None))
def trailing_garbage_block(d):
    return std_mef() + b"garbage " * 360


# --- reserved keywords in the wrong HDU -------------------------------------------------------
@case(("FS008", 1))
def simple_in_extension(d):
    return mef(empty_primary(), image_ext(extra=[("SIMPLE", True)]))


@case(("FS008", 1))
def extend_in_extension(d):
    return mef(empty_primary(), bintable(extra=[("EXTEND", True)]))


@case(("FS008", 0))
def xtension_in_primary(d):
    return primary(extra=[("XTENSION", "IMAGE")])


@case(("FS008", 0))
def pcount_in_primary(d):
    return primary(extra=[("PCOUNT", 0), ("GCOUNT", 1)])


@case(("FS008", 1))
def bunit_in_bintable(d):
    return mef(empty_primary(), bintable(extra=[("BUNIT", "e-/s")]))


@case(("FS008", 1))
def bscale_bzero_in_bintable(d):
    return mef(empty_primary(), bintable(extra=[("BSCALE", 1.0), ("BZERO", 0.0)]))


@case(("FS008", 1))
def blank_in_ascii_table(d):
    return mef(empty_primary(), ascii_table(extra=[("BLANK", -1)]))


@case(("FS008", 1))
def datamax_in_bintable(d):
    return mef(empty_primary(), bintable(extra=[("DATAMAX", 5.0)]))


@case(("FS008", 0))
def table_keywords_in_primary_image(d):
    return primary(extra=[("TTYPE1", "FLUX"), ("TFIELDS", 1)])


@case(("FS008", 1))
def table_keywords_in_image_extension(d):
    return mef(empty_primary(), image_ext(extra=[("TFORM1", "E")]))


@case(("FS008", 1))
def tbcol_in_bintable(d):
    return mef(empty_primary(), bintable(extra=[("TBCOL1", 1)]))


@case(("FS008", 1))
def tdim_in_ascii_table(d):
    return mef(empty_primary(), ascii_table(extra=[("TDIM1", "(5)")]))


@case(("FS008", 1))
def blank_with_float_image(d):
    return mef(empty_primary(), image_ext(extra=[("BLANK", -999)]))


@case(("FS008", 1))
def groups_keyword_in_extension(d):
    return mef(empty_primary(), image_ext(extra=[("PTYPE1", "UU")]))


# --- reserved keyword value types ------------------------------------------------------------
@case(("FS012", 0))
def instrume_null_value(d):
    return primary(extra=[raw("INSTRUME=                      / no value")])


@case(("FS012", 0))
def telescop_not_string(d):
    return primary(extra=[("TELESCOP", 42)])


@case(("FS012", 0))
def creator_not_string(d):
    return primary(extra=[("CREATOR", True)])


@case(("FS012", 0))
def equinox_as_string(d):
    return primary(extra=[("EQUINOX", "2000.0")])


@case(("FS012", 1))
def extver_float(d):
    return mef(empty_primary(), image_ext(extra=[("EXTNAME", "SCI"), ("EXTVER", 1.5)]))


@case(("FS012", 0))
def crval_as_string(d):
    return primary(extra=[("CTYPE1", "RA---TAN"), ("CRVAL1", "10.0")])


@case(("FS012", 0))
def restfrq_as_string(d):
    return primary(extra=[("RESTFRQ", "1.4e9")])


@case(("FS012", 1))
def ttype_not_string(d):
    cards = bintable_cards(BIN_COLUMNS, BIN_ROWS, BIN_ROW)
    cards[8] = ("TTYPE1", 5)
    return mef(empty_primary(), bintable(cards=cards))


@case(("FS012", 1))
def tnull_float_in_bintable(d):
    return mef(
        empty_primary(),
        bintable(
            cards=bintable_cards([("ID", "J")], 2, 4, [("TNULL1", 1.5)]), data=np.arange(2, dtype=">i4").tobytes()
        ),
    )


@case(("FS012", 0))
def date_obs_not_string(d):
    return primary(extra=[("DATE-OBS", 2020)])


@case(("FS012", 1))
def extname_null_value(d):
    return mef(empty_primary(), image_ext(extra=[raw("EXTNAME =")]))


@case(("FS012", 0))
def date_keyword_without_value_indicator(d):
    return primary(extra=[raw("DATE    2020-01-01 (no value indicator)")])


@case(("FS012", 0))
def extend_as_string(d):
    return hdu_bytes([("SIMPLE", True), ("BITPIX", 8), ("NAXIS", 0), ("DATE", "2020-01-01"), ("EXTEND", "T")])


@case(("FS012", 0))
def wcsaxes_float(d):
    return primary(extra=[("WCSAXES", 2.0)])


@case(("FS012", 0))
def bscale_string(d):
    return primary(extra=[("BSCALE", "1.0")])


@case(("FS012", 0))
def dateref_number(d):
    return primary(extra=[("DATEREF", 5)])


@case()
def inherit_as_string(d):  # fitsverify 4.20 does not check INHERIT's type
    return mef(empty_primary(), image_ext(extra=[("INHERIT", "T")]))


# --- dates -------------------------------------------------------------------------------------
@case(("FS013", 0))
def date_impossible_month_day(d):
    return primary(extra=[("DATE-OBS", "2020-13-45")])


@case(("FS013", 0))
def date_space_instead_of_t(d):
    return primary(extra=[("DATE-OBS", "2020-01-01 12:00:00")])


@case(("FS013", 0))
def date_two_digit_year_dashes(d):
    return primary(extra=[("DATE", "20-01-01")])


@case(("FS013", 0))
def date_old_format_impossible(d):
    return primary(extra=[("DATE", "45/13/99")])


@case(("FS013", 0))
def date_other_date_keyword(d):
    return primary(extra=[("DATE-BEG", "yesterday")])


@case(("FS013", 0))
def date_february_30(d):
    return primary(extra=[("DATE", "2020-02-30")])


@case()
def date_february_29_leap_year(d):
    return primary(extra=[("DATE", "2020-02-29"), ("DATE-OBS", "2020-02-29T23:59:60.5")])


@case(("FS013", 0))
def date_time_out_of_range(d):
    return primary(extra=[("DATE-END", "2020-02-03T25:61:61")])


@case(("FS013", 0))
def date_time_without_seconds(d):
    return primary(extra=[("DATE", "2020-02-03T23:59")])


@case(("FS013", 0))
def date_time_zone_offset(d):
    return primary(extra=[("DATE", "2020-02-03T10:00:00+01:00")])


@case(("FS013", 0))
def date_leading_blank(d):
    return primary(extra=[("DATE", " 2020-02-03")])


@case(("FS013", 0))
def date_empty_string(d):
    return primary(extra=[("DATE", "")])


@case(("FS013", 0))
def date_old_format_day_zero(d):
    return primary(extra=[("DATE", "00/01/99")])


@case(("FS013", 0))
def date_old_format_one_digit(d):
    return primary(extra=[("DATE", "1/2/99")])


@case(("FS013", 0))
def date_five_digit_year(d):
    return primary(extra=[("DATE", "12020-02-03")])


@case(
    deviation="fitsverify accepts a trailing Z only after fractional seconds; FS013 tolerates it "
    "everywhere because real mission files carry it (the archive rule KW005 warns)"
)
def date_trailing_z_whole_seconds(d):
    return primary(extra=[("DATE-OBS", "2020-01-01T00:00:00Z")])


@case()
def date_time_only(d):  # CFITSIO accepts a bare hh:mm:ss
    return primary(extra=[("DATE-OBS", "2020-01-01"), ("DATE-BEG", "12:30:00")])


# --- WCS keyword structure ---------------------------------------------------------------------
@case(("FS014", 0))
def wcsaxes_after_ctype(d):
    return primary(extra=[("CTYPE1", "RA---TAN"), ("CTYPE2", "DEC--TAN"), ("WCSAXES", 2)])


@case(("FS014", 0))
def wcsaxes_after_alternate_crpix(d):
    return primary(extra=[("CRPIX1O", 1.0), ("WCSAXES", 2)])


@case(("FS018", 0))
def wcs_index_beyond_wcsaxes(d):
    return primary(extra=[("WCSAXES", 2), ("CTYPE3", "FREQ")])


@case(("FS018", 0))
def wcs_pc_and_cd(d):
    return primary(extra=[("PC1_1", 1.0), ("CD1_1", 0.001)])


@case(("FS018", 0))
def wcs_cdelt_zero(d):
    return primary(extra=[("CDELT1", 0.0)])


# --- table columns -----------------------------------------------------------------------------
@case(("FS015", 1))
def tform_invalid_code(d):
    cards = bintable_cards([("TIME", "D"), ("FLUX", "Y"), ("NAME", "4A")], BIN_ROWS, BIN_ROW)
    return mef(empty_primary(), bintable(cards=cards))


@case(("FS015", 1))
def tform_widths_differ_from_naxis1(d):
    cards = bintable_cards(BIN_COLUMNS, BIN_ROWS, BIN_ROW + 4)
    return mef(empty_primary(), hdu_bytes(cards, bytes((BIN_ROW + 4) * BIN_ROWS)))


@case(("FS015", 1))
def tform_lowercase(d):
    cards = bintable_cards([("TIME", "d"), ("FLUX", "E"), ("NAME", "4A")], BIN_ROWS, BIN_ROW)
    return mef(empty_primary(), bintable(cards=cards))


@case(("FS015", 1))
def ascii_tform_invalid(d):
    cards = ascii_table_cards()
    cards[13] = ("TFORM2", "X8")
    return mef(empty_primary(), ascii_table(cards=cards))


@case(("FS015", 1))
def ascii_tbcol_outside_row(d):
    return mef(empty_primary(), ascii_table(cards=ascii_table_cards(tbcol2=20)))


@case(("FS015", 1))
def column_keyword_index_beyond_tfields(d):
    return mef(empty_primary(), bintable(extra=[("TUNIT4", "s")]))


@case(("FS015", 1))
def tscal_on_string_column(d):
    return mef(empty_primary(), bintable(extra=[("TSCAL3", 2.0)]))


@case(("FS015", 1))
def tnull_on_float_column(d):
    return mef(empty_primary(), bintable(extra=[("TNULL2", -1)]))


@case(("FS015", 1))
def theap_without_heap(d):
    return mef(empty_primary(), bintable(extra=[("THEAP", 48)]))


@case(("FS015", 1))
def tdisp_wrong_for_column(d):
    return mef(empty_primary(), bintable(extra=[("TDISP3", "F8.2")]))


@case(("FS015", 1))
def tdisp_float_without_decimals(d):
    return mef(empty_primary(), bintable(extra=[("TDISP2", "E14")]))


@case(("FS015", 1))
def tdisp_too_narrow(d):
    return mef(empty_primary(), bintable(extra=[("TDISP1", "E10.7")]))


@case(("FS015", 1))
def tdisp_unknown_code(d):
    return mef(empty_primary(), bintable(extra=[("TDISP1", "X10")]))


@case(("FS015", 1))
def tdisp_integer_for_float_column(d):
    return mef(empty_primary(), bintable(extra=[("TDISP2", "I10")]))


@case(("FS015", 1))
def tdim_wrong_size(d):
    cards = bintable_cards([("IMG", "6E")], 2, 24, [("TDIM1", "(2,2)")])
    return mef(empty_primary(), hdu_bytes(cards, bytes(48)))


@case(("FS015", 1))
def tdim_not_parenthesised(d):
    cards = bintable_cards([("IMG", "6E")], 2, 24, [("TDIM1", "2,3")])
    return mef(empty_primary(), hdu_bytes(cards, bytes(48)))


@case()
def tdim_valid(d):
    cards = bintable_cards([("IMG", "6E")], 2, 24, [("TDIM1", "(2,3)")])
    return mef(empty_primary(), hdu_bytes(cards, bytes(48)))


@case(("FS015", 1))
def tform_leading_blank(d):
    cards = bintable_cards(BIN_COLUMNS, BIN_ROWS, BIN_ROW)
    cards[9] = raw("TFORM1  = ' D'")
    return mef(empty_primary(), bintable(cards=cards))


@case(("FS015", 1))
def ascii_tscal_on_string_column(d):
    cards = ascii_table_cards()
    cards[10] = ("TFORM1", "A5")
    return mef(empty_primary(), ascii_table(cards=cards + [("TSCAL1", 2.0)]))


@case()
def variable_length_array_column(d):
    from astropy.io import fits

    path = d / "variable_length_array_column.fits"
    col = fits.Column("SPEC", "PE()", array=np.array([np.arange(3.0), np.arange(5.0)], dtype=object))
    fits.HDUList([fits.PrimaryHDU(), fits.BinTableHDU.from_columns([col])]).writeto(path)
    return path


@case()
def tdisp_valid(d):
    return mef(empty_primary(), bintable(extra=[("TDISP1", "D25.17"), ("TDISP2", "E14.7"), ("TDISP3", "A4")]))


@case(("FS019", 1))  # (was a documented deviation until FS019 read the rows)
def table_row_contents_invalid(d):
    cards = bintable_cards([("FLAG", "L"), ("NAME", "4A")], 2, 5)
    return mef(empty_primary(), hdu_bytes(cards, b"Xabcd" + b"T\xe9\x00\x00\x00"))


# --- values inside table rows (FS019) ------------------------------------------------------------
def _rows_table(columns, nrows, row_len, data, heap=b""):
    cards = bintable_cards(columns, nrows, row_len)
    if heap:
        cards = [(k, len(heap)) if k == "PCOUNT" else (k, v) for k, v in cards]
    return mef(empty_primary(), hdu_bytes(cards, data + heap))


@case()
def rows_clean_logical_text_bits_and_descriptors(d):
    heap = np.arange(3, dtype=">f4").tobytes()
    row = [
        b"T\0" + b"ab\0\xff" + b"\xe0" + struct.pack(">II", 2, 0),
        b"F\0" + b"abcd" + b"\x00" + struct.pack(">II", 1, 8),
    ]
    return _rows_table([("F", "2L"), ("S", "4A"), ("B", "3X"), ("V", "1PE(3)")], 2, 15, b"".join(row), heap)


@case(("FS019", 1))
def rows_logical_not_t_f_or_zero(d):
    return _rows_table([("F", "L")], 3, 1, b"TF1")


@case(("FS019", 1))
def rows_text_with_control_characters(d):
    return _rows_table([("S", "4A")], 2, 4, b"ab\tc" + b"abcd")


@case(("FS019", 1))
def rows_text_with_latin1_accents(d):
    return _rows_table([("S", "4A")], 1, 4, "café".encode("latin-1"))


@case(("FS019", 1))
def rows_bit_array_not_left_justified(d):
    return _rows_table([("B", "5X")], 2, 1, b"\xf8\xfc")


@case(("FS019", 1))
def rows_descriptor_beyond_the_heap(d):
    return _rows_table([("V", "1PE(2)")], 1, 8, struct.pack(">II", 2, 4), heap=b"\0" * 8)


@case(("FS019", 1))
def rows_descriptor_longer_than_its_maximum(d):
    return _rows_table([("V", "1PB(2)")], 1, 8, struct.pack(">II", 3, 0), heap=b"\0" * 8)


@case(("FS019", 1))
def rows_ascii_table_field_not_a_number(d):
    cards = ascii_table_cards()
    rows = f"{1:5d} {10.5:8.2f}".encode() + b"  1x2    11.50"
    return mef(empty_primary(), hdu_bytes(cards, rows, fill=b" "))


@case(
    ("FS019", 1),
    deviation="fitsverify measures a descriptor against PCOUNT from the end of the rows; "
    "hlsp against the heap where THEAP puts it, so an array running past the heap's end is caught",
)
def rows_descriptor_past_a_heap_placed_by_theap(d):
    cards = [(k, 16) if k == "PCOUNT" else (k, v) for k, v in bintable_cards([("V", "1PE(3)")], 1, 8, [("THEAP", 16)])]
    rows = struct.pack(">II", 3, 0)  # 12 bytes, but the heap holds 8 (bytes 16-23 of the data)
    return mef(empty_primary(), hdu_bytes(cards, rows + b"\0" * 8 + b"\0" * 8))


@case(("FS019", 1), deviation="fitsverify sizes a 1PX array of n bits as n // 8 bytes; hlsp as ceil(n / 8)")
def rows_bit_array_descriptor_one_byte_short(d):
    return _rows_table([("V", "1PX(16)")], 1, 8, struct.pack(">II", 9, 0), heap=b"\0")


@case()
def rows_ascii_table_blank_fields(d):
    cards = ascii_table_cards()
    return mef(empty_primary(), hdu_bytes(cards, b"    1    1.5E1" + b"              ", fill=b" "))


# --- duplicates ------------------------------------------------------------------------------------
@case()  # fitsverify: a warning only, like FS011
def duplicate_ordinary_keyword(d):
    return primary(extra=[("OBJECT", "a"), ("OBJECT", "b")])


@case(("FS006", 1))
def duplicate_naxis_keyword(d):
    return mef(empty_primary(), image_ext(extra=[("NAXIS", 2)]))


# --- compression ------------------------------------------------------------------------------------
def _noisy_mef() -> bytes:
    """A primary HDU and a 16 KiB image of random bits (which deflate cannot shrink)."""
    noise = np.random.default_rng(7).integers(0, 256, 64 * 64 * 4, dtype="u1").tobytes()
    return mef(empty_primary(), hdu_bytes(image_ext_cards(32, [64, 64]), noise))


@case(("FS017", 1), suffix=".fits.gz")
def gzip_truncated(d):
    z = gzip.compress(_noisy_mef(), mtime=0)
    return z[: len(z) // 2]  # cut inside the image's data


@case(("FS017", None), suffix=".fits.gz")
def gzip_corrupt_bytes(d):
    z = bytearray(gzip.compress(_noisy_mef(), mtime=0))
    z[10:30] = b"\xff" * 20  # the first deflate block header: nothing can be read
    return bytes(z)


@case(("FS017", None), suffix=".fits.gz")
def gzip_of_random_bytes(d):
    return b"\x1f\x8b" + bytes(np.random.default_rng(3).integers(0, 256, 3000, dtype="u1"))


# --- checksums -----------------------------------------------------------------------------------------
@case(("CK001", 1))
def checksum_bad_after_header_edit(d):
    hdu = image_ext(checksum=True, extra=[("OBJECT", "M31")])
    return mef(empty_primary(checksum=True), hdu.replace(b"'M31     '", b"'M32     '"))


@case(("CK001", 1), ("CK002", 1))
def checksum_and_datasum_bad_after_data_edit(d):
    hdu = bytearray(image_ext(checksum=True))
    hdu[2880 + 5] ^= 0x10
    return mef(empty_primary(checksum=True), bytes(hdu))


@case(("CK002", 1))
def datasum_wrong_checksum_right(d):
    hdu = hdu_bytes(image_ext_cards(-32, [3, 2]), image_data(-32, (3, 2)), checksum=True, datasum="12345")
    return mef(empty_primary(), hdu)


@case(("CK001", 0), suffix=".fits.gz")
def checksum_bad_in_primary_of_gzip(d):
    p = empty_primary(checksum=True, extra=[("OBJECT", "M31")]).replace(b"'M31     '", b"'M32     '")
    return gzip.compress(p + image_ext(checksum=True))


# ---------------------------------------------------------------------- running both tools
def errors(path: Path, categories=OURS) -> list:
    """Our error findings for ``path`` in ``categories``, with every rule enabled."""
    result = validate_file(str(path), Options())
    return [f for f in result.findings if f.severity is Severity.ERROR and f.category in categories]


# ----------------------------------------------------------------------------------- tests
def test_case_names_are_unique():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 150


@pytest.mark.parametrize("c", CASES, ids=lambda c: c.name)
def test_expected_findings(c: Case, tmp_path):
    path = c.build(tmp_path)
    found = errors(path, OURS + (Category.WCS,))
    assert {(f.rule, f.hdu) for f in found if f.category in OURS} == set(c.expect)
    if not c.expect:
        assert found == []


@pytest.mark.system
@pytest.mark.parametrize("c", CASES, ids=lambda c: c.name)
def test_fitsverify_parity(c: Case, tmp_path, system_tool):
    tool = system_tool("fitsverify")
    path = c.build(tmp_path)
    fv = run_fitsverify(tool, path)
    ours = errors(path)
    ours_fits = [f for f in ours if f.category is Category.FITS]
    if c.deviation:
        assert bool(fv.errors) != bool(ours_fits), f"documented deviation no longer holds:\n{fv.text}"
        return
    assert bool(ours_fits) == bool(fv.errors), fv.text
    # per HDU, where fitsverify could localise its errors (not after CFITSIO gave up)
    if fv.localised:
        assert {f.hdu for f in ours_fits} == set(fv.errors), fv.text
    ours_sums = {(f.keyword, f.hdu) for f in ours if f.category is Category.CHECKSUM}
    assert ours_sums == fv.checksum_warnings, fv.text


@pytest.mark.system
def test_ascii_table_number_verdicts_agree_with_fitsverify(tmp_path, system_tool):
    """The ASCII-table number verdicts tests/rules/test_fs019.py states are fitsverify's."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))
    from test_fs019 import ASCII_FIELDS, ascii_field_table

    tool = system_tool("fitsverify")
    for field, bad_int, bad_real in ASCII_FIELDS:
        for form, bad in (("I8", bad_int), ("F8.2", bad_real), ("E8.2", bad_real)):
            path = tmp_path / "a.fits"
            path.write_bytes(empty_primary() + ascii_field_table(field, form))
            fv = run_fitsverify(tool, path)
            ours = [f for f in errors(path) if f.rule == "FS019"]
            assert bool(fv.errors) is bad, (field, form, fv.text)
            assert bool(ours) is bad, (field, form, ours)
