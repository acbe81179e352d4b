"""FN007 proj-id."""

import pytest
from _helpers import empty_primary, findings_for, write_fits


def _path(tmp_path, proj):
    return write_fits(tmp_path / f"hlsp_{proj}_hst_acs_m31_f814w_v1_img.fits", empty_primary())


@pytest.mark.parametrize("proj", ["demo", "tess-3i", "k2sff", "a1"])
def test_valid(tmp_path, proj):
    assert findings_for(_path(tmp_path, proj), "FN007") == []


@pytest.mark.parametrize("proj", ["3dhst", "demo-", "-demo", "x"])
def test_malformed(tmp_path, proj):
    (f,) = findings_for(_path(tmp_path, proj), "FN007")
    assert (f.rule, f.severity.value) == ("FN007", "error")
    assert f"'{proj}' must start with a letter" in f.message


def test_matches_the_collection(tmp_path):
    assert findings_for(_path(tmp_path, "demo"), "FN007", expected={"proj_id": "demo"}) == []


def test_differs_from_the_collection(tmp_path):
    (f,) = findings_for(_path(tmp_path, "demo"), "FN007", expected={"proj_id": "other"})
    assert f.message == "the proj-id 'demo' differs from the collection's proj-id 'other'"
