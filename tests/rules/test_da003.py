"""DA003 empty-table: a table without rows."""

from fitsgen import bintable_cards, hdu_bytes

from _helpers import empty_primary, findings_for, write_fits


def test_table_without_rows(tmp_path):
    table = hdu_bytes(bintable_cards([("A", "J")], 0, 4, [("EXTNAME", "LIGHTCURVE")]))
    (f,) = findings_for(write_fits(tmp_path / "x.fits", empty_primary(), table), "DA003")
    assert (f.rule, f.hdu, f.keyword) == ("DA003", 1, "NAXIS2") and "LIGHTCURVE" in f.message


def test_table_with_rows_passes(tmp_path):
    table = hdu_bytes(bintable_cards([("A", "J")], 2, 4), bytes(8))
    assert findings_for(write_fits(tmp_path / "x.fits", empty_primary(), table), "DA003") == []
