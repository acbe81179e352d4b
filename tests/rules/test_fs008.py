"""FS008 reserved-placement: reserved keywords in an HDU type where FITS forbids them."""

import numpy as np
import pytest

from fitsgen import bintable_cards, hdu_bytes

from _helpers import empty_primary, findings_for, image_hdu, write_fits


def _table(extra=()):
    return hdu_bytes(bintable_cards([("A", "J")], 2, 4, list(extra)), bytes(8))


@pytest.mark.parametrize(
    "hdus, keyword, hdu",
    [
        (lambda: [empty_primary(), image_hdu([("SIMPLE", True)], primary=False)], "SIMPLE", 1),
        (lambda: [image_hdu([("XTENSION", "IMAGE")])], "XTENSION", 0),
        (lambda: [empty_primary(), _table([("BUNIT", "Jy")])], "BUNIT", 1),
        (lambda: [empty_primary(), _table([("DATAMIN", 0.0)])], "DATAMIN", 1),
        (lambda: [image_hdu([("TTYPE1", "FLUX")])], "TTYPE1", 0),
        (lambda: [image_hdu([("BLANK", -1)])], "BLANK", 0),
        (lambda: [image_hdu([("PCOUNT", 0)])], "PCOUNT", 0),
        (lambda: [empty_primary(), _table([("TBCOL1", 1)])], "TBCOL1", 1),
    ],
    ids=[
        "simple-in-ext",
        "xtension-in-primary",
        "bunit-in-table",
        "datamin-in-table",
        "ttype-in-image",
        "blank-float-image",
        "pcount-in-primary",
        "tbcol-in-bintable",
    ],
)
def test_misplaced(tmp_path, hdus, keyword, hdu):
    (f,) = findings_for(write_fits(tmp_path / "x.fits", *hdus()), "FS008")
    assert (f.rule, f.hdu, f.keyword) == ("FS008", hdu, keyword)


def test_allowed_places_pass(tmp_path):
    path = write_fits(tmp_path / "x.fits", image_hdu([("BUNIT", "Jy"), ("EXTEND", True)]), _table([("TUNIT1", "Jy")]))
    assert findings_for(path, "FS008") == []


def test_compressed_image_may_carry_array_keywords(tmp_path):
    from astropy.io import fits

    path = tmp_path / "x.fits.fz"
    comp = fits.CompImageHDU(np.zeros((32, 32), "f4"))
    comp.header["BUNIT"] = "adu"
    fits.HDUList([fits.PrimaryHDU(), comp]).writeto(path)
    assert findings_for(path, "FS008") == []
