"""WC001 celestial-pair: verdicts compared with astropy.wcs on the same headers."""

import pytest
from _helpers import astropy_wcs_verdict, empty_primary, findings_for, image_hdu, wc_verdict, write_fits

from hlsp.engine import Options, validate_file

TAN = [("CTYPE1", "RA---TAN"), ("CTYPE2", "DEC--TAN"), ("CRVAL1", 10.0), ("CRVAL2", 20.0)]

# (case, CTYPE cards, image axes, the keyword WC001 must name -- None: no WC001 finding)
CASES = [
    ("tan pair", {"CTYPE1": "RA---TAN", "CTYPE2": "DEC--TAN"}, (4, 4), None),
    ("galactic pair", {"CTYPE1": "GLON-CAR", "CTYPE2": "GLAT-CAR"}, (4, 4), None),
    ("helioprojective", {"CTYPE1": "HPLN-TAN", "CTYPE2": "HPLT-TAN"}, (4, 4), None),
    ("latitude first", {"CTYPE1": "DEC--SIN", "CTYPE2": "RA---SIN"}, (4, 4), None),
    ("sip suffix", {"CTYPE1": "RA---TAN-SIP", "CTYPE2": "DEC--TAN-SIP"}, (4, 4), None),
    ("cube with spectral axis", {"CTYPE1": "RA---TAN", "CTYPE2": "DEC--TAN", "CTYPE3": "WAVE"}, (4, 4, 2), None),
    ("linear RA alone", {"CTYPE1": "RA", "CTYPE2": "LINEAR"}, (4, 4), None),
    ("RA without DEC", {"CTYPE1": "RA---TAN", "CTYPE2": "LINEAR"}, (4, 4), "CTYPE1"),
    ("projection mismatch", {"CTYPE1": "RA---TAN", "CTYPE2": "DEC--SIN"}, (4, 4), "CTYPE2"),
    ("different systems", {"CTYPE1": "GLON-CAR", "CTYPE2": "DEC--CAR"}, (4, 4), "CTYPE2"),
    ("two longitudes", {"CTYPE1": "RA---TAN", "CTYPE2": "RA---TAN"}, (4, 4), "CTYPE2"),
    ("third celestial axis", {"CTYPE1": "RA---TAN", "CTYPE2": "DEC--TAN", "CTYPE3": "RA---TAN"}, (4, 4, 2), "CTYPE3"),
    ("not a celestial type", {"CTYPE1": "FOO--TAN", "CTYPE2": "LINEAR"}, (4, 4), "CTYPE1"),
    ("7-character RA is linear", {"CTYPE1": "RA--TAN", "CTYPE2": "DEC--TAN"}, (4, 4), "CTYPE2"),
    ("two spectral axes", {"CTYPE1": "WAVE", "CTYPE2": "FREQ-W2F"}, (4, 4), "CTYPE2"),
    ("two cube faces", {"CTYPE1": "CUBEFACE", "CTYPE2": "CUBEFACE"}, (4, 4), "CTYPE2"),
]


@pytest.mark.parametrize("case,ctypes,naxes,keyword", CASES, ids=[c[0] for c in CASES])
def test_verdict_matches_astropy(tmp_path, case, ctypes, naxes, keyword):
    path = write_fits(tmp_path / "wcs.fits", image_hdu(extra=list(ctypes.items()) + [("RESTFRQ", 1.0e9)], naxes=naxes))
    found = findings_for(path, "WC001")
    assert [f.keyword for f in found][:1] == ([keyword] if keyword else [])
    assert all(f.hdu == 0 for f in found)
    assert astropy_wcs_verdict(path, 0) == ("ctype" if keyword else "ok")


def test_unmatched_message_names_the_partner(tmp_path):
    path = write_fits(tmp_path / "wcs.fits", image_hdu(extra=[("CTYPE1", "RA---TAN"), ("CTYPE2", "LINEAR")]))
    (f,) = findings_for(path, "WC001")
    assert "no partner" in f.message and "'DEC--TAN'" in f.message


def test_mismatch_message_says_what_differs(tmp_path):
    path = write_fits(tmp_path / "wcs.fits", image_hdu(extra=[("CTYPE1", "RA---TAN"), ("CTYPE2", "DEC--SIN")]))
    (f,) = findings_for(path, "WC001")
    assert "projections differ (SIN vs TAN)" in f.message and "expected 'DEC--TAN'" in f.message


def test_extension_and_alternate_wcs(tmp_path):
    """The primary WCS of the extension is fine, its alternate 'A' lacks DEC: only 'A' is reported."""
    cards = TAN + [("CTYPE1A", "RA---TAN"), ("CTYPE2A", "LINEAR")]
    path = write_fits(tmp_path / "wcs.fits", empty_primary(), image_hdu(extra=cards, primary=False))
    (f,) = findings_for(path, "WC001")
    assert (f.hdu, f.keyword) == (1, "CTYPE1A")
    assert astropy_wcs_verdict(path, 1, "A") == "ctype"
    assert astropy_wcs_verdict(path, 1) == "ok"
    result = validate_file(str(path), Options(select=["WC"]))
    assert wc_verdict(result.findings, 1, "A") == "ctype" and wc_verdict(result.findings, 1) == "ok"


def test_table_pixel_list_keywords_are_not_read(tmp_path):
    """TCTYPn / iCTYPn of a table's pixel list are not image WCS keywords."""
    from _helpers import table_hdu

    table = table_hdu([("X", "1E", "f4")], [(1.0,)], extra=[("TCTYP1", "RA---TAN"), ("1CTYP1", "RA---TAN")])
    path = write_fits(tmp_path / "events.fits", empty_primary(), table)
    assert findings_for(path, "WC001") == []
