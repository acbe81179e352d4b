"""The pure-Python unit check (hlsp.units) never disagrees with astropy.

``hlsp.units.surely_valid`` lets KW011/WC004 accept common FITS unit strings
without importing astropy.units (0.25-0.45 s).  It must never call valid a
string astropy rejects, and the rules' verdicts must stay astropy's.  These
tests hold it to the installed astropy, so an astropy upgrade that drops a
name or changes the grammar fails here rather than in users' reports.
"""

from __future__ import annotations

import importlib.util
import math
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hlsp.fitsfile import read_fits
from hlsp.rules._util import astropy_unit_problem, unit_problem
from hlsp.units import _PREFIX_SIZE, BASE_SIZE, FITS_NAMES, surely_valid

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "contributions" / "example"

# Strings real products write, right and wrong; the ones marked fast must not need astropy.
FAST = [
    "Angstrom", "angstrom", "erg/s/cm**2/Angstrom", "erg/s/cm2/Angstrom", "erg s-1 cm-2 Angstrom-1",
    "10**(-17) erg/s/cm**2/Angstrom", "10**-17 erg/s/cm2/Angstrom", "10^-16 erg/s/cm^2/Angstrom",
    "adu", "count", "ct", "count/s", "ct/s", "ct/s/pix", "mag", "mmag", "deg", "pixel", "pix", "d",
    "Jy", "mJy", "uJy", "MJy/sr", "mJy/beam", "Jy/beam", "W m-2", "W.m**-2", "W*m^-2", "km s-1", "km/s",
    "m / s", "s**-1", "Hz", "GHz", "nm", "um", "arcsec", "mas/yr", "arcsec**2", "mag/arcsec2",
    "solMass", "solLum", "AU", "pc", "kpc", "yr", "h", "min", "s", "K", "ph/s/cm2",
]  # fmt: skip
OTHER = [
    "e-/s", "electron/s", "electrons/s", "DEG", "BJD", "BJD - 2457000, days", "log(cm.s**-2)",
    "unitless", "UNITLESS", "COUNTS", "PIXEL", "pixels", "DN", "btjd", "Msun", "Gauss", "au", "dex",
    "(m/s)", "m/(s.Hz)", "m(2)", "mag(2)", "m**(1/2)", "m**0.5", "m+1", "10 m", "100 m", "0.1 m", "1e-17 erg",
    "10*m", "10**3m", "10+3 m", "10**3", "1/s", "/s", "m/", "m//s", "m..s", "m 2", "m2s", "'m'", "m_s",
    "yJy10 u2", "mJy10 u**2 K3", "YJy**9", "m**999", "m-99999", "deg C", "Celsius", "", " ", " m", "m ",
]  # fmt: skip


def astropy_accepts(text: str) -> bool:
    from astropy import units

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            units.Unit(text, format="fits")
    except Exception:  # noqa: BLE001 -- any refusal counts; the fast path must not accept it
        return False
    return True


def test_every_name_is_a_fits_unit_within_the_scale_bound():
    from astropy import units

    for name in sorted(FITS_NAMES):
        assert astropy_accepts(name), name
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            unit = units.Unit(name, format="fits")
        if name == "Celsius":  # an offset scale; 1 K per degree
            continue
        size = abs(math.log10(abs(unit.decompose().scale)))  # mag is -0.4 dex
        assert size <= _PREFIX_SIZE[name] + BASE_SIZE, (name, size)


@pytest.mark.parametrize("text", FAST)
def test_common_units_take_the_fast_path(text):
    assert surely_valid(text)
    assert astropy_accepts(text)


@pytest.mark.parametrize("text", FAST + OTHER)
def test_fast_path_only_accepts_what_astropy_accepts(text):
    if surely_valid(text):
        assert astropy_accepts(text)
    assert unit_problem(text) == astropy_unit_problem(text)


def test_wrong_units_still_get_astropys_message():
    assert not surely_valid("e-/s")
    assert unit_problem("e-/s") == "Unit 'e' not supported by the FITS standard."
    assert "Did you mean pixel" in unit_problem("PIXEL")


_NAMES = sorted(FITS_NAMES) + ["e", "DEG", "electron", "BJD", "mag", "Pa", "da", "dam", "as", "log", "x"]
_POWERS = ["", "2", "-1", "-2", "0", "02", "+1", "10", "99", "(2)", "(-1)", "**2", "**-2", "**(-2)", "**+2",
           "**(+2)", "^2", "^-1", "^(3)", "**0", "**2.5", "**(1/2)", "**40", "^(-30)"]  # fmt: skip
_OPS = ["/", ".", " ", "*", " / ", " /", "/ ", " . ", "  ", " * ", "**", "//", "-", "+", ", ", ""]
_FACTORS = ["", "10**-17 ", "10**(-17) ", "10^3 ", "10**+3 ", "10^(+3) ", "10**0 ", "10**300 ", "10**-300 ",
            "100 ", "10**3", "10 ", "10**-1  ", "1e-17 "]  # fmt: skip
_term = st.tuples(st.sampled_from(_NAMES), st.sampled_from(_POWERS)).map("".join)


@st.composite
def unit_strings(draw):
    terms = draw(st.lists(_term, min_size=1, max_size=5))
    text = draw(st.sampled_from(_FACTORS)) + terms[0]
    for term in terms[1:]:
        text += draw(st.sampled_from(_OPS)) + term
    return text


@settings(max_examples=400, deadline=None)
@given(unit_strings())
def test_generated_units_agree_with_astropy(text):
    if surely_valid(text):
        assert astropy_accepts(text), text
    assert unit_problem(text) == astropy_unit_problem(text)


def _header_units(path: Path) -> set[str]:
    units = set()
    for hdu in read_fits(path, scan_data=False).hdus:
        for card in hdu.header.cards:
            if card.vtype == "str" and re.fullmatch(r"BUNIT|TUNIT\d+|CUNIT\d+[A-Z]?", card.keyword):
                units.add(card.value.strip())
    return units - {""}


def test_real_headers_agree_with_astropy(realdata):
    units = set().union(*(_header_units(p) for p in sorted(realdata.glob("*.fits"))))
    assert {"deg", "pixel", "e-/s", "BJD - 2457000, days"} <= units  # the folder's known mix
    for text in units:
        if surely_valid(text):
            assert astropy_accepts(text), text
        assert unit_problem(text) == astropy_unit_problem(text), text


def _make_set_a(folder: Path) -> None:
    """Two products of the benchmarks' set A (an image and a light curve) via benchmarks/make_data.py."""
    spec = importlib.util.spec_from_file_location("make_data", ROOT / "benchmarks" / "make_data.py")
    make_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_data)
    make_data.make_small(folder, 2, lc_rows=10, side=8)


def test_example_and_benchmark_units_never_import_astropy(tmp_path):
    set_a = tmp_path / "A"
    set_a.mkdir()
    _make_set_a(set_a)
    units = set().union(*(_header_units(p) for p in [*EXAMPLE.glob("*.fits"), *set_a.glob("*.fits")]))
    assert units and all(surely_valid(u) for u in units), units
    code = (
        "import sys\n"
        "from hlsp.cli import main\n"
        "codes = [main(['validate', p, '--no-cache', '-j', '1']) for p in sys.argv[1:]]\n"
        "print(codes, 'astropy.units' in sys.modules, 'jsonschema' in sys.modules)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(set_a)], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[0] False False"  # no hlsp.yaml here: no jsonschema either
    run = subprocess.run(
        [sys.executable, "-c", code, str(EXAMPLE)], capture_output=True, text=True, cwd=tmp_path, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[-1] == "[0] False True"  # hlsp.yaml validated: jsonschema, not astropy
