"""KW017 catalog-columns."""

from _helpers import COMMON_CARDS, empty_primary, findings_for, image_hdu, table_hdu, write_fits

NAME = "hlsp_demo_hst_acs_m31_f814w_v1_cat.fits"


def _catalog(tmp_path, columns, name=NAME):
    rows = [tuple(1 if dt != "S8" else b"x" for _, _, dt in columns)]
    return write_fits(tmp_path / name, empty_primary(COMMON_CARDS), table_hdu(columns, rows))


def test_complete_catalog(tmp_path):
    path = _catalog(tmp_path, [("ra", "1D", "f8"), ("dec", "1D", "f8"), ("source", "8A", "S8")])
    assert findings_for(path, "KW017") == []


def test_single_precision_ra(tmp_path):
    path = _catalog(tmp_path, [("RA", "1E", "f4"), ("DEC", "1D", "f8"), ("SOURCE", "8A", "S8")])
    (f,) = findings_for(path, "KW017")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW017", 1, "TFORM1", "error")


def test_missing_columns(tmp_path):
    found = findings_for(_catalog(tmp_path, [("RA", "1D", "f8")]), "KW017")
    assert [(f.hdu, f.keyword, f.severity.value) for f in found] == [(1, "DEC", "error"), (1, "SOURCE", "warning")]


def test_catalog_without_table(tmp_path):
    (f,) = findings_for(write_fits(tmp_path / NAME, image_hdu(extra=COMMON_CARDS)), "KW017")
    assert (f.hdu, f.severity.value) == (0, "error") and "no table HDU" in f.message


def test_only_catalogs(tmp_path):
    path = _catalog(tmp_path, [("X", "1E", "f4")], name="hlsp_demo_hst_acs_m31_f814w_v1_img.fits")
    assert findings_for(path, "KW017") == []
    assert len(findings_for(path, "KW017", product_type="catalog")) == 3
