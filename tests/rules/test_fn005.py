"""FN005 version-format: beats the official checker (v1.2.2a valid; v01, vp1, v1..1 invalid)."""

import pytest
from _helpers import empty_primary, findings_for, write_fits


def _findings(tmp_path, version):
    path = write_fits(tmp_path / f"hlsp_demo_hst_acs_m31_f814w_{version}_img.fits", empty_primary())
    return findings_for(path, "FN005")


@pytest.mark.parametrize("version", ["v0", "v1", "v1.2", "v10.0.1", "v1.2.2a", "v99.99.zz", "V1.0"])
def test_valid_versions(tmp_path, version):
    assert _findings(tmp_path, version) == []  # (upper case is FN002's finding)


@pytest.mark.parametrize("version", ["v01", "vp1", "v1..1", "1.0", "v100", "v1.2.3.4", "v1.234", "v1.2.abc", "v"])
def test_invalid_versions(tmp_path, version):
    (f,) = _findings(tmp_path, version)
    assert (f.rule, f.severity.value) == ("FN005", "error")
    assert f"'{version}'" in f.message
