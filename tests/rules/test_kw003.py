"""KW003 suggested-keyword."""

from _helpers import COMMON_CARDS, findings_for, image_hdu, write_fits

NAME = "hlsp_demo_hst_acs_m31_f814w_v1_model.fits"  # a type with the common profile only
SUGGESTED = [("PROPOSID", 12345), ("REFERENC", "2019ApJ...887..123S"), ("MJD-BEG", 1.0), ("MJD-END", 2.0)]
SUGGESTED += [("MJD-MID", 1.5), ("TELAPSE", 86400.0), ("EXPTIME", 3600.0)]


def test_all_suggested_present(tmp_path):
    path = write_fits(tmp_path / NAME, image_hdu(extra=COMMON_CARDS + SUGGESTED))
    assert findings_for(path, "KW003") == []


def test_missing_proposid(tmp_path):
    cards = COMMON_CARDS + [c for c in SUGGESTED if c[0] != "PROPOSID"]
    (f,) = findings_for(write_fits(tmp_path / NAME, image_hdu(extra=cards)), "KW003")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW003", 0, "PROPOSID", "info")
