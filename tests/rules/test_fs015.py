"""FS015 table-columns: invalid column keywords, or widths that do not add up to NAXIS1."""

import pytest

from fitsgen import bintable_cards, hdu_bytes

from _helpers import empty_primary, findings_for, write_fits

COLUMNS = [("TIME", "D"), ("FLUX", "E"), ("NAME", "4A")]


def _table(tmp_path, columns=COLUMNS, row=16, extra=()):
    return write_fits(
        tmp_path / "x.fits", empty_primary(), hdu_bytes(bintable_cards(columns, 2, row, list(extra)), bytes(2 * row))
    )


@pytest.mark.parametrize(
    "kwargs, keyword",
    [
        ({"row": 20}, "NAXIS1"),
        ({"columns": [("TIME", "D"), ("FLUX", "Y"), ("NAME", "4A")]}, "TFORM2"),
        ({"extra": [("TUNIT4", "s")]}, "TUNIT4"),
        ({"extra": [("TDISP3", "F8.2")]}, "TDISP3"),
        ({"extra": [("TDISP1", "E10.7")]}, "TDISP1"),
        ({"extra": [("TSCAL3", 2.0)]}, "TSCAL3"),
        ({"extra": [("TNULL2", -1)]}, "TNULL2"),
        ({"extra": [("THEAP", 48)]}, "THEAP"),
        ({"extra": [("TDIM1", "(2,2)")]}, "TDIM1"),
    ],
    ids=[
        "naxis1",
        "tform",
        "index-beyond-tfields",
        "tdisp-type",
        "tdisp-width",
        "tscal-string",
        "tnull-float",
        "theap",
        "tdim",
    ],
)
def test_broken_column_keywords(tmp_path, kwargs, keyword):
    (f,) = findings_for(_table(tmp_path, **kwargs), "FS015")
    assert (f.rule, f.hdu, f.keyword) == ("FS015", 1, keyword)


def test_ascii_table_tbcol_outside_row(tmp_path):
    cards = [
        ("XTENSION", "TABLE"),
        ("BITPIX", 8),
        ("NAXIS", 2),
        ("NAXIS1", 5),
        ("NAXIS2", 1),
        ("PCOUNT", 0),
        ("GCOUNT", 1),
        ("TFIELDS", 1),
        ("TBCOL1", 9),
        ("TFORM1", "I5"),
    ]
    path = write_fits(tmp_path / "x.fits", empty_primary(), hdu_bytes(cards, b"   42", fill=b" "))
    (f,) = findings_for(path, "FS015")
    assert (f.hdu, f.keyword) == (1, "TBCOL1")


def test_consistent_table_passes(tmp_path):
    extra = [("TDISP1", "D25.17"), ("TDISP2", "E14.7"), ("TDISP3", "A4"), ("TUNIT1", "d"), ("TSCAL1", 1.0)]
    assert findings_for(_table(tmp_path, extra=extra), "FS015") == []
