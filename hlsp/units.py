"""Which FITS unit strings are valid, without importing astropy for the common ones.

``astropy.units`` is the judge of what a valid FITS unit string is (FITS
Standard sec. 4.3), but importing it costs 0.25-0.45 s -- more than checking
a small file.  :func:`surely_valid` recognises, in pure Python, a *subset* of
what ``astropy.units.Unit(s, format="fits")`` accepts: the strings real
products write (``Jy``, ``erg/s/cm**2/Angstrom``, ``W m-2``,
``10**-17 erg/s/cm2/Angstrom``, ``ct/s``, ``deg``).  It never says "valid" for
a string astropy rejects; anything it does not recognise goes to astropy
(:func:`hlsp.rules._util.unit_problem`), which also writes the message.

The grammar accepted here (a subset of astropy's "generic" parser with the
FITS names)::

    unit   = [factor " "] term {op term}
    factor = "10" ("**" | "^") exponent            e.g. 10**-17, 10^(3)
    term   = NAME [power]                          NAME from FITS_NAMES
    power  = ["-"] digits | ("**" | "^") exponent  e.g. m2, s-1, cm**2, m^(-1)
    op     = "/" or "." or "*" (spaces around allowed) | one or more spaces
    exponent = ["+" | "-"] digits | "(" ["+" | "-"] digits ")"

and the powers of ten of all terms must stay far from the float range (see
MAX_SIZE).  Left to astropy on purpose: ``m(2)`` (``mag(2)`` is a function
unit astropy refuses), fractional powers, parentheses around products.

tests/test_units_fastpath.py holds this to astropy: every name in
FITS_NAMES, and every string the fast path accepts from a large generated
and real-world list, must parse in astropy.
"""

from __future__ import annotations

import re

# The unit names astropy's FITS format knows (astropy/units/format/fits.py,
# itself FITS Standard 4.0 tables 14-16): SI-prefixable bases, and names
# that take no prefix.
_PREFIXES = {
    "y": -24, "z": -21, "a": -18, "f": -15, "p": -12, "n": -9, "u": -6, "m": -3, "c": -2, "d": -1,
    "": 0, "da": 1, "h": 2, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18, "Z": 21, "Y": 24,
}  # fmt: skip
_PREFIXABLE = (
    "m", "g", "s", "rad", "sr", "K", "A", "mol", "cd", "Hz", "J", "W", "V", "N", "Pa", "C", "Ohm", "S",
    "F", "Wb", "T", "H", "lm", "lx", "a", "yr", "eV", "pc", "Jy", "mag", "R", "bit", "byte", "G", "barn",
)  # fmt: skip
_PLAIN = (
    "deg", "arcmin", "arcsec", "mas", "min", "h", "d", "Ry", "solMass", "u", "solLum", "solRad", "AU",
    "lyr", "count", "ct", "photon", "ph", "pixel", "pix", "D", "Sun", "chan", "bin", "voxel", "adu",
    "beam", "erg", "Angstrom", "angstrom", "Celsius",
)  # fmt: skip
# For each name, the size of its prefix's power of ten (the largest, when a
# name reads two ways: "Pa" is pascal and peta-annum).
_PREFIX_SIZE: dict[str, int] = dict.fromkeys(_PLAIN, 0)
for _b in _PREFIXABLE:
    for _p, _e in _PREFIXES.items():
        _PREFIX_SIZE[_p + _b] = max(_PREFIX_SIZE.get(_p + _b, 0), abs(_e))
FITS_NAMES = frozenset(_PREFIX_SIZE)

# astropy multiplies the scales of the terms in floating point and rejects a
# unit whose scale under- or overflows (``yJy10 u2``: "scale of 0").  Every
# name is within 10**+-BASE_SIZE of SI before its prefix (the debye, 3e-30,
# and the solar mass, 2e30, are the extremes; the tests check every name),
# so a string whose powers of ten cannot add up to more than MAX_SIZE stays
# far from the float range (1e+-308) and is left to astropy otherwise.
BASE_SIZE = 31
MAX_SIZE = 290

_EXPONENT = r"(?:[+-]?\d+|\([+-]?\d+\))"
_POWER = rf"(?:-?\d+|(?:\*\*|\^){_EXPONENT})"
_TERM = rf"[A-Za-z]+{_POWER}?"
_OP = r"(?: *[/.*] *| +)"
_FACTOR = rf"10(?:\*\*|\^)(?P<factor>{_EXPONENT}) "
_UNIT = re.compile(rf"(?:{_FACTOR})?{_TERM}(?:{_OP}{_TERM})*\Z")
_TERMS = re.compile(rf"([A-Za-z]+)({_POWER})?")


def surely_valid(text: str) -> bool:
    """True only when ``text`` is certainly a valid FITS unit string.

    False means "not recognised here", not "invalid": ask astropy then.
    The grammar keeps letters only in unit names, so the terms are exactly
    the letter runs of the string and the powers after them.
    """
    m = _UNIT.match(text)
    if not m:
        return False
    size = abs(_power(m["factor"])) if m["factor"] else 0
    for name, power in _TERMS.findall(text):
        if name not in FITS_NAMES:
            return False
        size += abs(_power(power) if power else 1) * (_PREFIX_SIZE[name] + BASE_SIZE)
    return size <= MAX_SIZE


def _power(text: str) -> int:
    """``-2`` from ``-2``, ``**-2``, ``^(-2)`` or ``(-2)``."""
    return int(text.lstrip("*^").strip("()"))
