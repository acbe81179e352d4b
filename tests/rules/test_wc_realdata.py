"""The WC rules on real mission and HLSP files: no false errors, and the same verdicts as astropy.wcs."""

import pytest
from _helpers import astropy_wcs_verdict, wc_verdict

from hlsp.engine import Options, validate_file
from hlsp.fits import read_fits
from hlsp.judge import hdu_views
from hlsp.rules._wcs import wcs_sets

pytestmark = pytest.mark.realdata


def _fits_files(folder):
    return sorted(p for p in folder.iterdir() if ".fits" in p.name)


def test_no_wcs_error_on_real_files(realdata):
    files = _fits_files(realdata)
    assert len(files) >= 20
    for path in files:
        result = validate_file(str(path), Options(select=["WC"]))
        errors = [f for f in result.findings if f.severity.value == "error" or "internal error" in f.message]
        assert errors == [], path.name


def test_verdicts_match_astropy_on_real_headers(realdata):
    compared = 0
    for path in _fits_files(realdata):
        findings = validate_file(str(path), Options(select=["WC"])).findings
        for hdu in hdu_views(read_fits(path)):
            for ws in wcs_sets(hdu):
                ours = wc_verdict(findings, hdu.index, ws.alt)
                assert ours == astropy_wcs_verdict(path, hdu.index, ws.alt), (path.name, hdu.index, ws.alt)
                compared += 1
    assert compared >= 20  # the real files hold primary and alternate ('P', 'A', 'O') WCSs
