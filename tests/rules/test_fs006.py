"""FS006 mandatory-keywords: structural keywords missing, misplaced, repeated, wrong or not in fixed format."""

import pytest

from fitsgen import bintable_cards, card, hdu_bytes, image_ext_cards, primary_cards

from _helpers import empty_primary, findings_for, image_hdu, write_fits


def _one(tmp_path, *hdus):
    found = findings_for(write_fits(tmp_path / "x.fits", *hdus), "FS006")
    assert len(found) == 1, found
    return found[0]


def test_missing_bitpix(tmp_path):
    f = _one(tmp_path, hdu_bytes([("SIMPLE", True), ("NAXIS", 0)]))
    assert (f.rule, f.hdu, f.keyword) == ("FS006", 0, "BITPIX") and "missing" in f.message


def test_wrong_value(tmp_path):
    f = _one(tmp_path, hdu_bytes([("SIMPLE", True), ("BITPIX", 12), ("NAXIS", 0)]))
    assert (f.hdu, f.keyword) == (0, "BITPIX")


def test_simple_false(tmp_path):
    f = _one(tmp_path, hdu_bytes([("SIMPLE", False), ("BITPIX", 8), ("NAXIS", 0)]))
    assert (f.hdu, f.keyword) == (0, "SIMPLE")


@pytest.mark.parametrize(
    "raw",
    ["XTENSION= 'PICTURE '", "XTENSION= 'IMAGE'", "XTENSION= 'image   '", "XTENSION=  'IMAGE   '"],
    ids=["unregistered", "not-padded", "lowercase", "not-column-11"],
)
def test_xtension_value(tmp_path, raw):
    cards = [card("", raw=raw)] + image_ext_cards(-32, [2, 2])[1:]
    f = _one(tmp_path, empty_primary(), hdu_bytes(cards, bytes(16)))
    assert (f.hdu, f.keyword) == (1, "XTENSION")


def test_integer_not_in_fixed_format(tmp_path):
    f = _one(tmp_path, hdu_bytes([("SIMPLE", True), card("", raw="BITPIX  = 8"), ("NAXIS", 0)]))
    assert (f.hdu, f.keyword) == (0, "BITPIX") and "column 30" in f.message


def test_naxisn_beyond_naxis_and_repeated_keyword(tmp_path):
    path = write_fits(tmp_path / "x.fits", image_hdu(extra=[("NAXIS3", 1), ("BITPIX", -32)]))
    found = findings_for(path, "FS006")
    assert {(f.hdu, f.keyword) for f in found} == {(0, "NAXIS3"), (0, "BITPIX")}


def test_table_without_tform(tmp_path):
    cards = [c for c in bintable_cards([("A", "J"), ("B", "E")], 1, 8) if c[0] != "TFORM2"]
    f = _one(tmp_path, empty_primary(), hdu_bytes(cards, bytes(8)))
    assert (f.hdu, f.keyword) == (1, "TFORM2")


def test_extend_false_with_extensions(tmp_path):
    primary = hdu_bytes([("SIMPLE", True), ("BITPIX", 8), ("NAXIS", 0), ("EXTEND", False)])
    f = _one(tmp_path, primary, image_hdu(primary=False))
    assert (f.hdu, f.keyword) == (0, "EXTEND")


def test_well_formed_headers_pass(tmp_path):
    table = hdu_bytes(bintable_cards([("A", "J")], 2, 4), bytes(8))
    path = write_fits(tmp_path / "x.fits", hdu_bytes(primary_cards()), image_hdu(primary=False), table)
    assert findings_for(path, "FS006") == []
