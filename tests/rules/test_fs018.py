"""FS018 wcs-structure: WCS keywords that break the WCS standard's structural rules."""

import pytest

from _helpers import findings_for, image_hdu, write_fits


@pytest.mark.parametrize(
    "extra, keyword",
    [
        ([("WCSAXES", 2), ("CTYPE3", "FREQ")], "CTYPE3"),
        ([("WCSAXES", 2), ("PC1_3", 0.0)], "PC1_3"),
        ([("CDELT1", 0.0)], "CDELT1"),
        ([("CRDER1", -1.0)], "CRDER1"),
        ([("PC1_1", 1.0), ("CD1_1", 0.001)], "CD1_1"),
        ([("PC1_1", 1.0), ("CROTA2", 10.0)], "CROTA2"),
    ],
    ids=["ctype-beyond-wcsaxes", "pc-beyond-wcsaxes", "cdelt-zero", "crder-negative", "pc-and-cd", "pc-and-crota2"],
)
def test_broken_structure(tmp_path, extra, keyword):
    (f,) = findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=extra)), "FS018")
    assert (f.rule, f.hdu, f.keyword) == ("FS018", 0, keyword)


def test_consistent_wcs_passes(tmp_path):
    extra = [
        ("WCSAXES", 3),
        ("CTYPE3", "FREQ"),
        ("CDELT1", -0.001),
        ("CD1_1A", 0.001),
        ("PC1_1", 1.0),
        ("CROTA2A", 0.0),
        ("CTYPE3A", "WAVE"),
    ]
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=extra)), "FS018") == []
