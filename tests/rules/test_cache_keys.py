"""Reused verdicts must be the verdicts: files that share a header layout get their own findings.

The engine reuses a header check's findings for headers with the same layout
whose reads give the same values (``hlsp.judge``).  Had it missed something a
verdict depends on, the second file of a layout would get the first file's
verdict -- invisible to a test that validates one file per case.  (These cases
were written against the rules' own caches of an earlier design, each key
break of which they caught; they stay as the reference.)  So every
test here validates files that share a key (same layout, often the same value
types) but must get different findings, one after the other in this process,
in both orders, and states what each must get.  ``test_warm_verdicts_match_a_fresh_process``
checks a mixed batch against a fresh interpreter per file as the reference.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from _helpers import COMMON_CARDS, IMAGE_CARDS, IMAGE_NAME, empty_primary, image_hdu, write_fits
from fitsgen import bintable_cards, card, hdu_bytes, primary_cards

import hlsp
from hlsp.engine import Options, validate_file
from hlsp.profiles import load_profile, load_vocabulary, validators_dir


def findings(path: Path, rule: str, **options) -> list[tuple]:
    """(HDU, keyword, message) of ``rule``'s findings on ``path``, in report order."""
    result = validate_file(str(path), Options(select=[rule], **options))
    return [(f.hdu, f.keyword, f.message) for f in result.findings if f.rule == rule]


def same_key_cases(rule: str, cases: list[tuple[Path, list[tuple]]], **options) -> None:
    """Validate ``cases`` (path, expected findings) in order, in reverse order, and again: each must get its own."""
    for order in (cases, cases[::-1], cases):
        for path, expected in order:
            assert findings(path, rule, **options) == expected, path.name


def raw(keyword: str, value: str) -> str:
    """A card written exactly as given (``value`` starts in column 11)."""
    return card("", raw=f"{keyword:<8}= {value}")


def layout_of(path: Path) -> list[tuple[str, ...]]:
    """The header layouts of a file: the tests' premise is that they are equal."""
    from hlsp.fits import read_fits

    return [h.header.layout for h in read_fits(str(path)).hdus]


# ---------------------------------------------------------------------- FS006
def test_fs006_fixed_format_is_judged_per_file(tmp_path):
    right = tmp_path / "a" / "x.fits"
    left = tmp_path / "b" / "x.fits"
    right.parent.mkdir()
    left.parent.mkdir()
    write_fits(right, hdu_bytes(primary_cards(bitpix=16)))
    write_fits(left, hdu_bytes([("SIMPLE", True), raw("BITPIX", "16"), ("NAXIS", 0), ("EXTEND", True)]))
    assert layout_of(right) == layout_of(left)
    same_key_cases(
        "FS006",
        [(right, []), (left, [(0, "BITPIX", "card 2: BITPIX: the integer must end in column 30 (fixed format)")])],
    )


def test_fs006_extend_false_depends_on_the_number_of_hdus(tmp_path):
    """The primary header is the same; only the second file has an extension (``several`` in the key)."""
    head = hdu_bytes([("SIMPLE", True), ("BITPIX", 8), ("NAXIS", 0), ("EXTEND", False)])
    alone = write_fits(tmp_path / "alone.fits", head)
    with_ext = write_fits(tmp_path / "with_ext.fits", head, image_hdu(primary=False))
    assert layout_of(alone)[0] == layout_of(with_ext)[0]
    same_key_cases("FS006", [(alone, []), (with_ext, [(0, "EXTEND", "EXTEND = F but the file has extensions")])])


def test_fs006_naxis_value_decides_which_naxisn_are_allowed(tmp_path):
    two = write_fits(tmp_path / "two.fits", hdu_bytes(primary_cards(naxes=[0, 0])))
    one = write_fits(
        tmp_path / "one.fits",
        hdu_bytes([("SIMPLE", True), ("BITPIX", 8), ("NAXIS", 1), ("NAXIS1", 0), ("NAXIS2", 0), ("EXTEND", True)]),
    )
    assert layout_of(two) == layout_of(one)
    same_key_cases("FS006", [(two, []), (one, [(0, "NAXIS2", "card 5: NAXIS2 is not allowed with NAXIS = 1")])])


# ---------------------------------------------------------------------- FS007
def test_fs007_lower_case_exponent_with_the_same_value_types(tmp_path):
    upper = write_fits(tmp_path / "upper.fits", hdu_bytes(primary_cards(extra=[raw("EXPTIME", "1.5E3".rjust(20))])))
    lower = write_fits(tmp_path / "lower.fits", hdu_bytes(primary_cards(extra=[raw("EXPTIME", "1.5e3".rjust(20))])))
    assert layout_of(upper) == layout_of(lower)
    same_key_cases(
        "FS007", [(upper, []), (lower, [(0, "EXPTIME", "card 5: the exponent of '1.5e3' must be upper-case E or D")])]
    )


# ----------------------------------------------------------------- FS008 FS012
def test_fs012_value_type_of_a_reserved_keyword(tmp_path):
    good = write_fits(
        tmp_path / "good.fits", hdu_bytes(primary_cards(extra=[("TELESCOP", "HST"), ("EQUINOX", 2000.0)]))
    )
    bad = write_fits(tmp_path / "bad.fits", hdu_bytes(primary_cards(extra=[("TELESCOP", 3), ("EQUINOX", "J2000")])))
    assert layout_of(good) == layout_of(bad)
    same_key_cases(
        "FS012",
        [
            (good, []),
            (
                bad,
                [
                    (0, "TELESCOP", "card 5: TELESCOP = 3: expected a string"),
                    (0, "EQUINOX", "card 6: EQUINOX = 'J2000   ': expected a number"),
                ],
            ),
        ],
    )


def test_fs008_blank_depends_on_bitpix(tmp_path):
    integer = write_fits(tmp_path / "int.fits", hdu_bytes(primary_cards(bitpix=16, extra=[("BLANK", -1)])))
    floating = write_fits(tmp_path / "float.fits", hdu_bytes(primary_cards(bitpix=-32, extra=[("BLANK", -1)])))
    assert layout_of(integer) == layout_of(floating)
    same_key_cases(
        "FS008",
        [
            (integer, []),
            (
                floating,
                [(0, "BLANK", "card 5: BLANK is not allowed in a floating-point image (NaN marks undefined pixels)")],
            ),
        ],
    )


# ---------------------------------------------------------------------- FS015
def test_fs015_column_formats_with_the_same_layout(tmp_path):
    def table(form: str, tdisp: str) -> bytes:
        cards = bintable_cards([("FLUX", form)], nrows=0, row_bytes=4, extra=[("TDISP1", tdisp)])
        return hdu_bytes(cards)

    ok = write_fits(tmp_path / "ok.fits", empty_primary(), table("E", "F8.3"))
    wide = write_fits(tmp_path / "wide.fits", empty_primary(), table("D", "F8.3"))
    text = write_fits(tmp_path / "text.fits", empty_primary(), table("E", "A8"))
    assert layout_of(ok) == layout_of(wide) == layout_of(text)
    same_key_cases(
        "FS015",
        [
            (ok, []),
            (wide, [(1, "NAXIS1", "the columns' TFORMn add up to 8 bytes per row but NAXIS1 = 4")]),
            (text, [(1, "TDISP1", "card 11: 'A8' cannot display a column of format 'E'")]),
        ],
    )


# ---------------------------------------------------------------------- FS018
def test_fs018_values_with_the_same_layout_and_value_types(tmp_path):
    def image(wcsaxes: int, cdelt: float, crder: float) -> bytes:
        return image_hdu(extra=[("WCSAXES", wcsaxes), ("CTYPE2", "DEC--TAN"), ("CDELT1", cdelt), ("CRDER1", crder)])

    ok = write_fits(tmp_path / "ok.fits", image(2, 1.0, 1.0))
    zero = write_fits(tmp_path / "zero.fits", image(2, 0.0, 1.0))
    negative = write_fits(tmp_path / "negative.fits", image(2, 1.0, -1.0))
    narrow = write_fits(tmp_path / "narrow.fits", image(1, 1.0, 1.0))
    assert layout_of(ok) == layout_of(zero) == layout_of(negative) == layout_of(narrow)
    same_key_cases(
        "FS018",
        [
            (ok, []),
            (zero, [(0, "CDELT1", "card 9: CDELT1 = 0: an axis needs a non-zero scale")]),
            (negative, [(0, "CRDER1", "card 10: CRDER1 is negative")]),
            (narrow, [(0, "CTYPE2", "card 8: CTYPE2 numbers an axis outside 1-1 (WCSAXES)")]),
        ],
    )


# ---------------------------------------------------------------------- WC003
def test_wc003_matrix_values_with_the_same_layout(tmp_path):
    def image(pc22: float) -> bytes:
        wcs = [
            ("CTYPE1", "RA---TAN"),
            ("CTYPE2", "DEC--TAN"),
            ("PC1_1", 1.0),
            ("PC1_2", 1.0),
            ("PC2_1", 1.0),
            ("PC2_2", pc22),
        ]
        return image_hdu(extra=wcs)

    regular = write_fits(tmp_path / "regular.fits", image(2.0))
    singular = write_fits(tmp_path / "singular.fits", image(1.0))
    assert layout_of(regular) == layout_of(singular)
    message = (
        "the PCi_j x CDELTi matrix of axes 1, 2 is singular: its rows are not independent, "
        "so world coordinates cannot be converted back to pixels"
    )
    same_key_cases("WC003", [(regular, []), (singular, [(0, "PC1_1", message)])])


# -------------------------------------------------------------- KW001-KW004
def product(tmp_path: Path, folder: str, *hdus: bytes) -> Path:
    (tmp_path / folder).mkdir()
    return write_fits(tmp_path / folder / IMAGE_NAME, *hdus)


def test_kw001_to_kw003_empty_and_filled_values(tmp_path):
    def cards(hlspid, lead, proposid) -> list:
        return (
            [c if c[0] != "HLSPID" else ("HLSPID", hlspid) for c in COMMON_CARDS]
            + IMAGE_CARDS
            + [
                ("HLSPLEAD", lead),
                ("PROPOSID", proposid),
            ]
        )

    full = product(tmp_path, "full", image_hdu(extra=cards("demo", "A. Person", "1234")))
    empty = product(tmp_path, "empty", image_hdu(extra=cards("", "", "")))
    undefined = product(tmp_path, "undefined", image_hdu(extra=cards(None, None, None)))
    assert layout_of(full) == layout_of(empty) == layout_of(undefined)
    no_value = "is in the primary HDU but has no value"
    for rule, keyword in (("KW001", "HLSPID"), ("KW002", "HLSPLEAD"), ("KW003", "PROPOSID")):
        filled = [f for f in findings(full, rule) if f[1] == keyword]
        assert filled == [], rule
        for path in (empty, undefined, full, empty):
            got = [f for f in findings(path, rule) if f[1] == keyword]
            assert got == ([] if path is full else [(0, keyword, f"{keyword} {no_value}")]), (rule, path.parent.name)


def test_kw002_science_hdu_moves_with_the_data_size(tmp_path):
    """Same layouts; in the second file the extension holds no data, so the primary is the science HDU."""
    primary = empty_primary(COMMON_CARDS + IMAGE_CARDS)
    with_data = product(tmp_path, "data", primary, image_hdu(extra=[("XPOSURE", 10.0)], primary=False))
    no_data = product(tmp_path, "nodata", primary, image_hdu(extra=[("XPOSURE", 10.0)], naxes=(0, 4), primary=False))
    assert layout_of(with_data) == layout_of(no_data)
    missing = (0, "XPOSURE", "XPOSURE (or EXPTIME) is missing from the primary or the science HDU")
    for path, expected in ((with_data, []), (no_data, [missing]), (with_data, [])):
        assert [f for f in findings(path, "KW002") if f[1] == "XPOSURE"] == expected, path.parent.name


def test_kw001_profile_of_the_product_type(tmp_path):
    """One file, two profiles (``--product-type``): the per-file and per-profile memos must not mix them."""
    path = product(tmp_path, "p", image_hdu(extra=COMMON_CARDS))
    as_image = {f[1] for f in findings(path, "KW001", product_type="image")}
    as_catalog = {f[1] for f in findings(path, "KW001", product_type="catalog")}
    assert "BUNIT" in as_image and "BUNIT" not in as_catalog
    assert {f[1] for f in findings(path, "KW001", product_type="image")} == as_image
    assert {f[1] for f in findings(path, "KW001", product_type="catalog")} == as_catalog


def test_kw004_types_with_the_same_layout(tmp_path):
    number = product(tmp_path, "number", image_hdu(extra=COMMON_CARDS + IMAGE_CARDS + [("XPOSURE", 300.0)]))
    text = product(tmp_path, "text", image_hdu(extra=COMMON_CARDS + IMAGE_CARDS + [("XPOSURE", "300")]))
    assert layout_of(number) == layout_of(text)
    same_key_cases(
        "KW004", [(number, []), (text, [(0, "XPOSURE", "XPOSURE = '300' is a string; the profile requires a number")])]
    )


def _profile_requiring(tmp_path: Path, monkeypatch, folder: str, value: bool) -> None:
    """Point HLSP_VALIDATORS at a copy whose common profile requires SIMULATD = ``value``; reload the profiles."""
    copy = tmp_path / folder
    shutil.copytree(validators_dir(), copy)
    common = copy / "profiles" / "common.yaml"
    flag = "true" if value else "false"
    common.write_text(
        common.read_text() + f"  - {{name: SIMULATD, hdu: primary, level: suggested, type: bool, value: {flag}}}\n"
    )
    monkeypatch.setenv("HLSP_VALIDATORS", str(copy))
    load_profile.cache_clear()
    load_vocabulary.cache_clear()


def test_kw004_exact_value_follows_a_reloaded_profile(tmp_path, monkeypatch):
    """A new profile object (possibly at the address of a freed one) must not get the old one's table."""
    path = product(tmp_path, "p", image_hdu(extra=COMMON_CARDS + IMAGE_CARDS + [("SIMULATD", False)]))
    try:
        _profile_requiring(tmp_path, monkeypatch, "v1", True)
        assert findings(path, "KW004") == [(0, "SIMULATD", "SIMULATD = F; the profile requires True")]
        _profile_requiring(tmp_path, monkeypatch, "v2", False)
        gc.collect()
        assert findings(path, "KW004") == []
        # Exact values hold for products only: a product and a mission file with the same header and
        # the same (common) profile -- the product type "sky" has none of its own.
        header = image_hdu(extra=COMMON_CARDS + IMAGE_CARDS + [("SIMULATD", True)])
        sky = write_fits(tmp_path / "hlsp_demo_hst_acs_m31_f814w_v1_sky.fits", header)
        mission = write_fits(tmp_path / "jw0001_cal.fits", header)
        required = [(0, "SIMULATD", "SIMULATD = T; the profile requires False")]
        same_key_cases("KW004", [(sky, required), (mission, [])])
    finally:
        monkeypatch.delenv("HLSP_VALIDATORS")
        load_profile.cache_clear()
        load_vocabulary.cache_clear()


# ---------------------------------------------------------------------- FN009
def test_fn009_name_fields_with_the_same_content(tmp_path):
    """Same bytes, names that differ in the instrument only."""
    acs = product(tmp_path, "acs", image_hdu())
    nircam = write_fits(tmp_path / "hlsp_demo_hst_nircam_m31_f814w_v1_img.fits", image_hdu())
    wrong = [
        (None, None, "the instrument 'nircam' is not an instrument of hst in the vocabulary"),
        (None, None, "the filter (opt-elem) 'f814w' is not a filter of nircam in the vocabulary"),
    ]
    same_key_cases("FN009", [(acs, []), (nircam, wrong)])


# ------------------------------------------------------- against a fresh process
_FRESH = """
import json, sys
import hlsp
from hlsp.engine import Options, validate_file
result = validate_file(sys.argv[1], Options(product_type=sys.argv[2] or None))
print(json.dumps(sorted([f.rule, f.hdu, f.keyword, f.message] for f in result.findings)))
"""


def test_warm_verdicts_match_a_fresh_process(tmp_path):
    """Files sharing layouts, validated here one after another (all rules), against one fresh interpreter each."""

    def cards(**values) -> list:
        base = {"TELESCOP": "HST", "CDELT1": 1.0, "CRDER1": 1.0, "XPOSURE": 300.0, "HLSPID": "demo", "PC1_2": 0.0}
        base.update(values)
        common = [c for c in COMMON_CARDS if c[0] not in base]
        return common + [c for c in IMAGE_CARDS if c[0] not in base] + list(base.items())

    variants = [
        cards(),
        cards(TELESCOP=3, CDELT1=0.0),
        cards(XPOSURE="300", HLSPID=""),
        cards(CRDER1=-2.0, PC1_2=1.0),
    ]
    paths = [product(tmp_path, f"v{i}", image_hdu(extra=v)) for i, v in enumerate(variants)]
    assert len({tuple(map(tuple, layout_of(p))) for p in paths}) == 1
    env = {**os.environ, "PYTHONPATH": str(Path(hlsp.__file__).resolve().parents[1])}  # the hlsp under test
    for product_type in ("", "image"):
        warm = {}
        for path in paths + paths[::-1]:
            result = validate_file(str(path), Options(product_type=product_type or None))
            warm.setdefault(path, []).append(sorted([f.rule, f.hdu, f.keyword, f.message] for f in result.findings))
        for path in paths:
            argv = [sys.executable, "-c", _FRESH, str(path), product_type]
            out = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
            fresh = json.loads(out.stdout)
            assert warm[path] == [fresh, fresh], (path.parent.name, product_type)
