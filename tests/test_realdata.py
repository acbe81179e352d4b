"""The fits and checksum verdicts hold on real files written by other people.

For every file of ``../shared/realdata`` (see its INDEX.md):

- we report a `fits` error exactly when HEASARC fitsverify prints ``*** Error:``
  (and in the same HDUs);
- we report CK001 / CK002 exactly in the HDUs whose raw CHECKSUM / DATASUM
  CFITSIO finds wrong (fitsio's low-level ``verify_checksum``, an independent
  implementation of the checksum convention -- not ``hlsp.fits``);
- the files INDEX.md calls clean get no fits, checksum or wcs error.

The known facts of INDEX.md are asserted too, so that a change of either tool
cannot make both sides wrong in the same way unnoticed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hlsp.engine import Options, validate_file
from hlsp.findings import Category, Severity
from fitsverify_support import run_fitsverify

# name -> clean?  ("clean" = INDEX.md reports neither fitsverify errors nor bad checksums)
FILES = {
    "HAT-P-11_Kepler_Q0_snippet.fits": False,
    "SPCB-GD-A.msa.fits.gz": True,
    "WFC3.IR.G102.sky.V1.0.fits": True,
    "hlsp_ellie_tess_ffi_198591153_v1_lc.fits": False,
    "hlsp_k2sff_k2_lightcurve_201367065-c01_kepler_v1_llc.fits": True,
    "hlsp_tess-3i_tess_ffi_3iatlas-s1751-cam2-ccd3_tess_v1.0_lc.fits": True,
    "hlsp_tess-3i_tess_ffi_3iatlas-s1751-cam2-ccd3_tess_v1.1_lc.fits": True,
    "hlsp_tess-3i_tess_ffi_3iatlas-s1751-cam2-ccd3_tess_v1.2_lc.fits": True,
    "hlsp_tess-data-alerts_tess_phot_00055652896-s01_tess_v1_lc.fits": True,
    "hlsp_tess-data-alerts_tess_phot_00160148385-s02_tess_v1_lc.fits": True,
    "hlsp_tglc_tess_ffi_gaiaid-5707485527450614656-s0007-cam2-ccd3_tess_v1_llc.fits": True,
    "hlsp_tglc_tess_ffi_gaiaid-5707485527450614656-s0007-cam2-ccd3_tess_v2_llc.fits": True,
    "hlsp_tglc_tess_ffi_gaiaid-5707485527450614656-s0034-cam2-ccd3_tess_v2_llc.fits": True,
    "hlsp_tglc_tess_ffi_gaiaid-6399196263939178880-s0001-cam2-ccd1_tess_v1_llc.fits": True,
    "jw01075001001_03105_00009_nrca2_uncal.fits": True,
    "ktwo211436265-c05_llc.fits": True,
    "o4er06llq_raw.fits": True,
    "o4er06llq_spt.fits": True,
    "ocmv0lw6q_raw.fits": True,
    "ocmv0lw6q_spt.fits": True,
    "postage_stamp_header.fits": True,
    "spec_ich901adqpn.fits": False,
    "test1_cal.fits": True,
    "wasp18b.fits": False,
}
NAMES = sorted(FILES)
CLEAN = [n for n in NAMES if FILES[n]]


def _errors(path: Path, *categories: Category):
    result = validate_file(str(path), Options())
    return [f for f in result.findings if f.severity is Severity.ERROR and f.category in categories]


def test_the_list_covers_the_folder(realdata):
    on_disk = {p.name for p in realdata.iterdir() if p.name != "INDEX.md"}
    assert on_disk == set(FILES)
    index = (realdata / "INDEX.md").read_text()
    for name in FILES:
        assert name in index


@pytest.mark.system
@pytest.mark.parametrize("name", NAMES)
def test_fits_errors_where_fitsverify_finds_them(name, realdata, system_tool):
    path = realdata / name
    fv = run_fitsverify(system_tool("fitsverify"), path)
    ours = _errors(path, Category.FITS)
    assert bool(ours) == bool(fv.errors), fv.text
    assert fv.localised
    assert {f.hdu for f in ours} == set(fv.errors), fv.text


def _raw_checksum_status(path: Path) -> list[dict]:
    """CFITSIO's verdict per HDU: {'hduok': 1|0|-1, 'dataok': 1|0|-1} (ok / missing / bad)."""
    import fitsio

    with fitsio.FITS(str(path)) as f:
        return [f._FITS.verify_checksum(i + 1) for i in range(len(f))]


@pytest.mark.parametrize("name", NAMES)
def test_checksum_errors_where_the_raw_sums_are_bad(name, realdata):
    path = realdata / name
    status = _raw_checksum_status(path)
    ours = _errors(path, Category.CHECKSUM)
    assert {f.hdu for f in ours if f.rule == "CK001"} == {i for i, s in enumerate(status) if s["hduok"] == -1}
    assert {f.hdu for f in ours if f.rule == "CK002"} == {i for i, s in enumerate(status) if s["dataok"] == -1}
    assert {f.rule for f in ours} <= {"CK001", "CK002"}


@pytest.mark.parametrize("name", CLEAN)
def test_clean_files_have_no_structural_error(name, realdata):
    assert _errors(realdata / name, Category.FITS, Category.CHECKSUM, Category.WCS) == []


def _found(name: str, realdata: Path):
    return validate_file(str(realdata / name), Options()).findings


def test_known_hat_p_11(realdata):
    found = {(f.rule, f.hdu, f.keyword) for f in _found("HAT-P-11_Kepler_Q0_snippet.fits", realdata)}
    assert {("FS008", 1, "SIMPLE"), ("FS008", 1, "EXTEND"), ("CK001", 1, "CHECKSUM")} <= found


def test_known_spec_ich901adqpn(realdata):
    found = {(f.rule, f.keyword) for f in _found("spec_ich901adqpn.fits", realdata) if f.hdu == 1}
    for name in ("BEGIN MA", "BEGIN EX", "B+1ST", "M+1ST", "B+2ND", "M+2ND"):
        assert ("FS005", name) in found
    assert ("FS008", "BUNIT") in found and ("FS014", "WCSAXES") in found


def test_known_wasp18b(realdata):
    errors = _errors(realdata / "wasp18b.fits", Category.FITS, Category.CHECKSUM)
    assert [(f.rule, f.hdu, f.keyword) for f in errors] == [("FS012", 0, "INSTRUME")]
    assert "null value" in errors[0].message


def test_known_ellie_primary_checksum(realdata):
    errors = _errors(realdata / "hlsp_ellie_tess_ffi_198591153_v1_lc.fits", Category.FITS, Category.CHECKSUM)
    assert [(f.rule, f.hdu) for f in errors] == [("CK001", 0)]


@pytest.mark.parametrize(
    "name",
    [n for n in NAMES if re.match(r"hlsp_tess-data-alerts|ktwo", n)],
)
def test_checksum_without_datasum_does_not_fail(name, realdata):
    found = _found(name, realdata)
    assert not [f for f in found if f.category is Category.CHECKSUM and f.severity is not Severity.INFO]
    infos = [f for f in found if f.rule == "CK004"]
    assert infos and all(f.keyword == "DATASUM" for f in infos)
