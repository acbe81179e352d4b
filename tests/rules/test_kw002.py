"""KW002 recommended-keyword."""

from _helpers import COMMON_CARDS, IMAGE_CARDS, IMAGE_NAME, findings_for, image_hdu, write_fits

RECOMMENDED = [
    ("HLSPLEAD", "A. Person"),
    ("HLSPNAME", "A demonstration"),
    ("DATE-BEG", "2020-01-01T00:00:00"),
    ("DATE-END", "2020-01-01T01:00:00"),
    ("TIMESYS", "UTC"),
    ("EXPTIME", 3600.0),  # an alternative of XPOSURE
    ("PSFSIZE", 0.1),
    ("WCSAXES", 2),
]


def test_all_recommended_present(tmp_path):
    path = write_fits(
        tmp_path / IMAGE_NAME, image_hdu(extra=[("WCSAXES", 2)] + COMMON_CARDS + IMAGE_CARDS + RECOMMENDED[:-1])
    )
    assert findings_for(path, "KW002") == []


def test_missing_lead_and_time(tmp_path):
    cards = (
        [("WCSAXES", 2)]
        + COMMON_CARDS
        + IMAGE_CARDS
        + [c for c in RECOMMENDED[:-1] if c[0] not in ("HLSPLEAD", "DATE-END")]
    )
    found = findings_for(write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=cards)), "KW002")
    assert [(f.rule, f.hdu, f.keyword, f.severity.value) for f in found] == [
        ("KW002", 0, "HLSPLEAD", "warning"),
        ("KW002", 0, "DATE-END", "warning"),
    ]
    assert found[1].message == "DATE-END (or MJD-END) is missing from the primary or the science HDU"


def test_alternative_satisfies_the_entry(tmp_path):
    cards = [("WCSAXES", 2)] + COMMON_CARDS + IMAGE_CARDS + RECOMMENDED[:-1]
    cards = [c for c in cards if c[0] != "DATE-END"] + [("MJD-END", 58849.04)]
    assert findings_for(write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=cards)), "KW002") == []
