"""KW015 equinox-icrs."""

from _helpers import findings_for, image_hdu, write_fits


def test_fk5_with_equinox_passes(tmp_path):
    cards = [("RADESYS", "FK5"), ("EQUINOX", 2000.0), ("RADESYSA", "ICRS")]
    assert findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=cards)), "KW015") == []


def test_icrs_with_equinox(tmp_path):
    (f,) = findings_for(
        write_fits(tmp_path / "x.fits", image_hdu(extra=[("RADESYS", "ICRS"), ("EQUINOX", 2000.0)])), "KW015"
    )
    assert (f.rule, f.hdu, f.keyword, f.severity.value) == ("KW015", 0, "EQUINOX", "warning")


def test_alternate_wcs(tmp_path):
    cards = [("RADESYS", "FK5"), ("EQUINOX", 2000.0), ("RADESYSB", "ICRS"), ("EQUINOXB", 2000.0)]
    (f,) = findings_for(write_fits(tmp_path / "x.fits", image_hdu(extra=cards)), "KW015")
    assert f.keyword == "EQUINOXB"
