"""FN008 product-type."""

import pytest
from _helpers import empty_primary, findings_for, write_fits


def _findings(tmp_path, ptype):
    return findings_for(write_fits(tmp_path / f"hlsp_demo_hst_acs_m31_f814w_v1_{ptype}.fits", empty_primary()), "FN008")


@pytest.mark.parametrize("ptype", ["img", "spec-x1d", "1d", "llc"])
def test_known(tmp_path, ptype):
    assert _findings(tmp_path, ptype) == []


def test_unknown(tmp_path):
    (f,) = _findings(tmp_path, "lightcurve")
    assert (f.rule, f.severity.value) == ("FN008", "warning")
    assert f.message == "the product type 'lightcurve' is not in the vocabulary"


def test_each_element_of_a_compound_type(tmp_path):
    (f,) = _findings(tmp_path, "spec-9foo")
    assert "'9foo'" in f.message and "does not start with a letter" in f.message
