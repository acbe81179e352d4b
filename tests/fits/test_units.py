"""hlsp.units and hlsp.unit_grammar: the pure-Python FITS unit check gives astropy's verdict on every string.

KW011 and WC004 judge unit strings with :func:`hlsp.units.unit_problem`, which
never imports astropy.  These tests hold its verdict (valid or not) to
``astropy.units.Unit(s, format="fits")`` of the installed astropy on

* every unit string of the real headers in ../shared/realdata (``realdata``),
* every unit string of the FITS files shipped in pinned PyPI wheels
  (``tests/data/pypi_units.txt``, made by ``benchmarks/realfiles.py units``),
* a generated grammar corpus (every form of FITS Standard 4.0 sec. 4.3 and
  the errors around them: prefixes, powers in each notation, 10**k factors,
  functions, parentheses, separators, scales beyond the float range),

so an astropy upgrade that changes a verdict fails here, not in users' reports.
"""

from __future__ import annotations

import importlib.util
import math
import random
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hlsp.fits import read_fits
from hlsp.unit_grammar import FITS_NAMES, SI_SCALE, is_valid
from hlsp.units import suggestion, unit_problem

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "contributions" / "example"
PYPI_UNITS = Path(__file__).resolve().parents[1] / "data" / "pypi_units.txt"


def astropy_accepts(text: str) -> bool:
    from astropy import units

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            units.Unit(text, format="fits")
    except Exception:  # noqa: BLE001 -- any refusal is a "not valid" verdict
        return False
    return True


def disagreements(strings) -> list[tuple[str, bool]]:
    return [(s, is_valid(s)) for s in strings if is_valid(s) != astropy_accepts(s)]


# ----------------------------------------------------------------- the names
def test_the_names_are_astropys_fits_names():
    from astropy.units.format import FITS

    assert FITS_NAMES == set(FITS._units)


def test_every_names_si_scale_is_astropys():
    """The scales decide only the far-out cases (a unit beyond the float range), but they must be right."""
    from astropy.units.format import FITS

    for name in sorted(SI_SCALE):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = FITS._units[name].decompose().scale
        assert math.isclose(SI_SCALE[name], want, rel_tol=1e-9), (name, SI_SCALE[name], want)


# ------------------------------------------------------------- the verdicts
WRITTEN = [
    # valid: what products write, and every notation of the standard
    "Angstrom", "angstrom", "erg/s/cm**2/Angstrom", "erg/s/cm2/Angstrom", "erg s-1 cm-2 Angstrom-1",
    "10**(-17) erg/s/cm**2/Angstrom", "10**-17 erg/s/cm2/Angstrom", "10^-16 erg/s/cm^2/Angstrom",
    "10+3 m", "10-3 m", "10(-3) m", "10^(+3) Hz", "adu", "count", "ct", "ct/s", "mag", "mmag", "deg",
    "pixel", "pix", "d", "Jy", "mJy/beam", "MJy/sr", "W m-2", "W.m**-2", "W*m^-2", "km s-1", "m / s",
    "m(2)", "m(-2)", "m**(1/2)", "m(1/2)", "m(1.5)", "m**(2.)", "sqrt(m)", "sqrt (Hz)", "m/(s.Hz)",
    "(m)", "m+1", "m 2", "deg C", "Celsius", "solMass", "mas/yr", "as", "dbyte", "", " ", " m", "m ",
    "erg/s/cm^2/A",  # erg per ampere: valid FITS, whatever was meant
    # not valid
    "e-/s", "electron/s", "ELECTRONS/S", "COUNTS", "PIXEL", "pixels", "DN", "BJD - 2457000, days",
    "log(cm.s**-2)", "ln(m)", "exp(m)", "mag(m)", "dex(m)", "dB(m)", "unitless", "(m/s)", "m/(s/Hz)",
    "100 m", "0.1 m", "1e-17 erg", "10*m", "2**3 m", "10 m", "m**0.5", "m-2.5", "m/", "m//s", "m..s",
    "/s m", "s (m)", "m()", "sqrt()", "m(1/0)", "m\ts", "'m'", "m_s", "yJy10 u2", "Ym99", "10**400 m",
    "10**-330 m", "m/s/", "sqrt(m, s)",
    # astropy's structured units
    "m, s", "(m, s), K", "m,,",
]  # fmt: skip


@pytest.mark.parametrize("text", WRITTEN)
def test_written_units_get_astropys_verdict(text):
    assert is_valid(text) == astropy_accepts(text)
    assert (unit_problem(text) is None) == is_valid(text)


def grammar_corpus(n: int, seed: int) -> list[str]:
    """Strings built from the grammar's parts, valid and not, deterministic for a seed."""
    r = random.Random(seed)
    names = [
        "m", "km", "s", "Hz", "GHz", "Jy", "mJy", "yJy", "YJy", "Ym", "ym", "erg", "Angstrom", "angstrom",
        "deg", "arcsec", "mag", "mmag", "ct", "count", "pixel", "pix", "adu", "d", "h", "min", "yr", "a",
        "Pa", "cd", "as", "dbyte", "Celsius", "u", "solMass", "R", "D", "eV", "kbyte", "G", "barn", "Sun",
        "sr", "rad", "W", "K", "photon", "lyr", "pc", "AU", "mas", "Ry", "Ohm", "voxel", "e", "DEG", "x",
    ]  # fmt: skip
    powers = [
        "", "2", "-1", "-2", "0", "02", "+1", "10", "99", "(2)", "(-1)", "**2", "**-2", "**(-2)", "**+2",
        "^2", "^-1", "^(3)", "**0", "**2.5", "**(1/2)", "**40", "^(-30)", "(1/2)", "(2.5)", "(-1.5)", "(1e2)",
        "(.5)", "(1/0)", "2.", "**(2.)", " 2", "(+1/-3)", "-99",
    ]  # fmt: skip
    ops = ["/", ".", " ", "*", " / ", " . ", "  ", " * ", "**", "//", "-", "+", ", ", "", ",", "^"]
    factors = [
        "", "10**-17 ", "10**(-17) ", "10^3 ", "10**+3 ", "10^(+3) ", "10**0 ", "10**300 ", "10**-300 ",
        "100 ", "10**3", "10 ", "1e-17 ", "10-3 ", "10+3 ", "10(-3) ", "10(3) ", "2**3 ", "10**400 ",
        "10**-330 ", "-10 ", "10**3 * ", "10**3.", "0.1 ",
    ]  # fmt: skip
    functions = ["sqrt", "log", "ln", "exp", "mag", "dex", "dB"]

    def term(depth: int) -> str:
        x = r.random()
        if depth < 2 and x < 0.12:
            return r.choice(functions) + r.choice(["(", " (", "( "]) + expr(depth + 1) + ")"
        if depth < 2 and x < 0.2:
            return "(" + expr(depth + 1, factor=False) + ")" + (r.choice(powers) if r.random() < 0.3 else "")
        return r.choice(names) + r.choice(powers)

    def expr(depth: int = 0, factor: bool = True) -> str:
        text = (r.choice(factors) if factor and r.random() < 0.4 else "") + term(depth)
        for _ in range(r.randint(0, 3)):
            text += r.choice(ops) + term(depth)
        if r.random() < 0.05:
            text = r.choice(["/", " ", "(", ","]) + text
        if r.random() < 0.05:
            text += r.choice(["/", " ", ")", ",", ".", "*"])
        return text

    return [expr() for _ in range(n)]


def test_generated_grammar_corpus_agrees_with_astropy():
    corpus = grammar_corpus(6000, seed=16)
    valid = sum(map(is_valid, corpus))
    assert 0.1 * len(corpus) < valid < 0.9 * len(corpus)  # the corpus tests both verdicts
    assert disagreements(corpus) == []


_term = st.tuples(
    st.sampled_from(sorted(FITS_NAMES - {"deg C"}) + ["e", "DEG", "electron", "log", "x"]),
    st.sampled_from(
        ["", "2", "-1", "(2)", "(-1)", "**2", "**-2", "**(-2)", "^2", "**(1/2)", "**40", "^(-30)", "**2.5"]
    ),
).map("".join)


@st.composite
def unit_strings(draw):
    terms = draw(st.lists(_term, min_size=1, max_size=5))
    text = draw(st.sampled_from(["", "10**-17 ", "10^3 ", "10**300 ", "10**-300 ", "100 ", "10 "])) + terms[0]
    for term in terms[1:]:
        text += draw(st.sampled_from(["/", ".", " ", "*", " / ", "**", "//", "-", ", ", ""])) + term
    return text


@settings(max_examples=300, deadline=None)
@given(unit_strings())
def test_hypothesis_units_agree_with_astropy(text):
    assert is_valid(text) == astropy_accepts(text), text


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
    assert disagreements(sorted(units)) == []


def test_pypi_corpus_units_agree_with_astropy():
    units = [line for line in PYPI_UNITS.read_text().splitlines() if line]
    assert len(units) > 50 and "ELECTRONS/S" in units
    assert disagreements(units) == []
    assert any(not is_valid(u) for u in units) and any(is_valid(u) for u in units)


# ----------------------------------------------------------- the messages
def test_messages_name_the_problem_and_suggest_from_the_table():
    assert unit_problem("e-/s") == "Unit 'e' not supported by the FITS standard. Did you mean ct/s?"
    assert unit_problem("ELECTRONS/S").endswith("Did you mean ct/s?")
    assert unit_problem("counts").endswith("Did you mean count?")
    assert unit_problem("COUNTS/S").endswith("Did you mean ct/s?")
    assert unit_problem("Angstroms").endswith("Did you mean Angstrom?")
    assert unit_problem("erg/s/cm^2/Angstroms").endswith("Did you mean erg/s/cm^2/Angstrom?")
    assert unit_problem("PIXEL").endswith("Did you mean pixel?")  # a name in another case
    assert "Mm or mm" in unit_problem("MM")
    assert "leave the value empty" in unit_problem("UNITLESS")
    assert "log()" in unit_problem("log(m)") and "not convert" in unit_problem("log(m)")
    assert "power of ten" in unit_problem("100 m")
    assert unit_problem("m/s/ /") == "syntax error at col 5 ('/')"
    assert "float" in unit_problem("yJy10")
    assert unit_problem("BJD - 2457000, days") == "Unit 'BJD' not supported by the FITS standard."


def test_the_suggestion_table_is_consistent():
    """Every entry replaces an invalid string by a valid one (else it is never shown, or misleads)."""
    from hlsp.profiles import _parse_yaml, validators_dir

    table = _parse_yaml(validators_dir() / "vocab" / "units.yaml")
    assert len(table["strings"]) > 50 and len(table["names"]) > 30
    for wrong, right in table["strings"].items():
        assert not is_valid(wrong), wrong
        assert is_valid(right), (wrong, right)
        assert suggestion(wrong) == right
    for wrong, right in table["names"].items():
        assert wrong not in FITS_NAMES and right in FITS_NAMES, (wrong, right)


# ------------------------------------------------------- no astropy to validate
def _make_set_a(folder: Path, units: str) -> None:
    spec = importlib.util.spec_from_file_location("make_data", ROOT / "benchmarks" / "make_data.py")
    make_data = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_data)
    make_data.make_small(folder, 2, lc_rows=10, side=8, units=units)


CODE = (
    "import sys\n"
    "from hlsp.cli import main\n"
    "codes = [main(['validate', p, '--no-cache', '-j', '1']) for p in sys.argv[1:]]\n"
    "print(codes, sorted(m for m in ('astropy', 'difflib', 'jsonschema') if m in sys.modules))\n"
)


def _validate_in_a_fresh_process(tmp_path: Path, *paths) -> tuple[int, str]:
    run = subprocess.run(
        [sys.executable, "-c", CODE, *map(str, paths)], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.splitlines()[-1]


@pytest.mark.parametrize("units", ["clean", "real"])
def test_validation_never_imports_astropy(tmp_path, units):
    folder = tmp_path / "A"
    folder.mkdir()
    _make_set_a(folder, units)
    found = set().union(*(_header_units(p) for p in folder.glob("*.fits")))
    assert ("ELECTRONS/S" in found) == (units == "real")
    # the real-units set has KW011 warnings, no errors: exit 0
    assert _validate_in_a_fresh_process(tmp_path, folder) == "[0] []"


def test_validating_the_example_and_real_files_never_imports_astropy(tmp_path, realdata):
    line = _validate_in_a_fresh_process(tmp_path, EXAMPLE, realdata)
    assert line.endswith("['jsonschema']"), line  # hlsp.yaml validated: jsonschema, never astropy or difflib
