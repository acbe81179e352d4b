"""KW009 reference."""

import pytest
from _helpers import findings_for, image_hdu, write_fits


@pytest.mark.parametrize(
    "ref",
    [
        "2019ApJ...887..123S",
        "2016A&A...595A...1G",
        "2020arXiv200112345X",
        "10.3847/1538-4357/ab1234",
        "https://doi.org/10.3847/1538-4357/ab1234",
        "2019ApJ...887..123S, 2020AJ....160..155H",
    ],
)
def test_bibcodes_and_dois(tmp_path, ref):
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=[("REFERENC", ref)])), "KW009") == []


@pytest.mark.parametrize("ref", ["Smith et al. 2020, ApJ 887, 123", "2019ApJ..887..123S"])
def test_free_text(tmp_path, ref):
    (f,) = findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=[("REFERENC", ref)])), "KW009")
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW009", 0, "REFERENC", "warning")
