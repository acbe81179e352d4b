"""Is a string a valid FITS unit?  The grammar: a complete check in pure Python (no astropy).

FITS Standard 4.0 sec. 4.3 defines unit strings: the base units of tables
13-15, which take the SI prefixes of table 13 (``km``, ``mJy``, ``GHz``), the
units that take no prefix (``deg``, ``d``, ``AU``, ``Angstrom``, ``pixel``),
products (``.``, ``*`` or a space), division (``/``), powers (``m2``,
``m-2``, ``m**2``, ``m^2``, ``m(2)``, ``m**(-2)``, ``m(1/2)``, ``m(1.5)``),
parentheses, the functions ``log()``, ``ln()``, ``exp()``, ``sqrt()``, and a
scale factor ``10**k`` in front (``10**-17 erg/s/cm2/Angstrom``, ``10^(3)``,
``10+3``, ``10-3``).

The verdict is the one astropy gives (``astropy.units.Unit(s, format="fits")``,
which archives, TOPCAT-like tools and the ingest use to convert units), checked
string for string by tests/fits/test_units.py on real headers, the units of FITS
files shipped on PyPI and a generated grammar corpus.  That means following
astropy where it is stricter or looser than the standard's text:

* ``log()``, ``ln()`` and ``exp()`` are recognised, but astropy does not
  convert them (so the finding says so); ``sqrt()`` is converted.
  ``mag(...)``, ``dex(...)``, ``dB(...)`` are function units FITS readers
  do not support.
* A numeric factor other than ``10**k`` (``100 m``, ``1e-17 erg``) is refused.
* Comma-separated lists (``m, s``) are astropy's structured units: accepted.
* A unit whose scale leaves the floating-point range (``yJy10``, ``Ym99``,
  ``10**400 m``) cannot be represented and is refused, exactly where astropy's
  arithmetic (left to right, float) under- or overflows.

The grammar and the token rules below are those of astropy's FITS parser
(``astropy/units/format/generic.py``), rewritten as a small recursive-descent
parser over the same tokens; the arithmetic that decides the scale cases uses
each unit's scale in SI, from :data:`SI_SCALE`.

Why a string is not a valid unit, with a suggestion, is :mod:`hlsp.units`.
"""

from __future__ import annotations

import math
import re

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from fractions import Fraction
    from typing import Any, Union

    Power = Union[int, Fraction, float]

# --------------------------------------------------------------------------- names
# FITS Standard 4.0 table 13 (SI prefixes) and tables 13-15 (units); astropy's
# FITS format knows the same names.
PREFIXES = {
    "y": -24, "z": -21, "a": -18, "f": -15, "p": -12, "n": -9, "u": -6, "m": -3, "c": -2, "d": -1,
    "": 0, "da": 1, "h": 2, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18, "Z": 21, "Y": 24,
}  # fmt: skip

_PI = math.pi
_C = 299792458.0  # m/s
_JULIAN_YEAR = 365.25 * 86400.0
_AU = 149597870700.0  # IAU 2012, m
# Each name's scale in SI (m, kg, s, A, K, mol, cd, rad, and the irreducible
# counting units), before its prefix.  Only extreme products of these decide a
# verdict (a unit beyond the float range); tests/fits/test_units.py checks every
# value against astropy.
_PREFIXABLE_SI: dict[str, float] = {
    "m": 1.0, "g": 1e-3, "s": 1.0, "rad": 1.0, "sr": 1.0, "K": 1.0, "A": 1.0, "mol": 1.0, "cd": 1.0,
    "Hz": 1.0, "J": 1.0, "W": 1.0, "V": 1.0, "N": 1.0, "Pa": 1.0, "C": 1.0, "Ohm": 1.0, "S": 1.0,
    "F": 1.0, "Wb": 1.0, "T": 1.0, "H": 1.0, "lm": 1.0, "lx": 1.0,
    "a": _JULIAN_YEAR, "yr": _JULIAN_YEAR,  # annum: the Julian year
    "eV": 1.602176634e-19,  # SI 2019, exact
    "pc": _AU * 648000.0 / _PI,
    "Jy": 1e-26,
    "mag": -0.4,  # astropy: one magnitude is -0.4 dex
    "R": 1e10 / (4 * _PI),  # rayleigh: 10**10 / 4 pi photon m-2 s-1 sr-1
    "bit": 1.0, "byte": 8.0, "G": 1e-4, "barn": 1e-28,
}  # fmt: skip
_PLAIN_SI: dict[str, float] = {
    "deg": _PI / 180, "arcmin": _PI / 180 / 60, "arcsec": _PI / 180 / 3600, "mas": _PI / 180 / 3600 / 1000,
    "min": 60.0, "h": 3600.0, "d": 86400.0,
    "Ry": 6.62607015e-34 * _C * 10973731.568157,  # h c R_inf (CODATA 2022)
    "solMass": 1.3271244e20 / 6.6743e-11,  # IAU 2015 nominal GM_sun / G (CODATA 2018)
    "u": 1.66053906892e-27,  # atomic mass unit (CODATA 2022)
    "solLum": 3.828e26, "solRad": 6.957e8, "AU": _AU, "lyr": _C * _JULIAN_YEAR,
    "count": 1.0, "ct": 1.0, "photon": 1.0, "ph": 1.0, "pixel": 1.0, "pix": 1.0,
    "D": 1e-29 / 3,  # debye, as astropy defines it
    "Sun": 1.0, "chan": 1.0, "bin": 1.0, "voxel": 1.0, "adu": 1.0, "beam": 1.0,
    "erg": 1e-7, "Angstrom": 1e-10, "angstrom": 1e-10, "Celsius": 1.0,
}  # fmt: skip

SI_SCALE: dict[str, float] = {}
for _base, _si in _PREFIXABLE_SI.items():
    for _prefix, _exp in PREFIXES.items():
        SI_SCALE.setdefault(_prefix + _base, float(f"1e{_exp}") * _si if _exp else _si)
SI_SCALE.update(_PLAIN_SI)
SI_SCALE["ha"] = 1e4  # astropy reads "ha" as the hectare (10**4 m2), not a hecto-annum
# Names that read two ways keep their unprefixed meaning or the first reading
# (astropy: "Pa" pascal, "cd" candela, "as" attosecond, "dbyte" decibyte ...):
# setdefault above keeps the first; the plain names overwrite prefixed ones
# ("h" hour, "d" day, "min" minute, "mas" milliarcsecond, "ph" photon).
FITS_NAMES = frozenset(SI_SCALE) | {"deg C"}  # "deg C": the whole string only
# Two names of one unit (a power of both is one power: "angstrom-30 Angstrom-2"
# is Angstrom**-32), and the names astropy sorts a unit's terms by.
_SAME_UNIT = {"count": "ct", "photon": "ph", "pixel": "pix", "angstrom": "Angstrom"}
_SORT_NAME = {"voxel": "vox", "Celsius": "deg_C"}

# ------------------------------------------------------------------------- tokens
# astropy's lexer, token for token and in its order: the first pattern that
# matches at a position wins; spaces between tokens are skipped.
_TOKEN = re.compile(
    r"(?P<UFLOAT>((\d+\.?\d*)|(\.\d+))([eE][+-]?\d+)?)"
    r"|(?P<SIGN>[+-](?=\d))"
    r"|(?P<FUNCNAME>((sqrt)|(ln)|(exp)|(log)|(mag)|(dB)|(dex))(?=\ *\())"
    r"|(?P<UNIT>[^\s\d+\-\./\*\^\(\)\,]+)"
    r"|(?P<POWER>\^|(\*\*))"
    r"|(?P<PRODUCT>[*.])"
    r"|(?P<OPEN>\()|(?P<CLOSE>\))|(?P<COMMA>,)"
    r"|(?P<DIVISION>/)",
    re.UNICODE,
)
_FLOATISH = re.compile(r"[eE\.]")


class UnitError(ValueError):
    """Why a string is not a FITS unit (one line)."""


class _Tok:
    __slots__ = ("kind", "value", "col")

    def __init__(self, kind: str, value: Any, col: int):
        self.kind = kind
        self.value = value
        self.col = col


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos, n = 0, len(text)
    while pos < n:
        if text[pos] == " ":
            pos += 1
            continue
        m = _TOKEN.match(text, pos)
        if m is None:
            raise UnitError(f"invalid character {text[pos]!r} at col {pos}")
        kind, raw = m.lastgroup, m.group()
        value: Any
        if kind == "UFLOAT":  # astropy's t_UFLOAT: "2" and "2." are integers
            if not _FLOATISH.search(raw):
                kind, value = "UINT", int(raw)
            elif raw.endswith("."):
                kind, value = "UINT", int(raw[:-1])
            else:
                value = float(raw)
        elif kind == "SIGN":
            value = -1 if raw == "-" else 1
        elif kind == "UNIT":
            if raw not in SI_SCALE:
                raise UnitError(f"Unit '{raw}' not supported by the FITS standard.")
            value = _SAME_UNIT.get(raw, raw)
        else:
            value = raw
        out.append(_Tok(kind, value, pos))
        pos = m.end()
    return out


# ------------------------------------------------------------------------- values
# A power (Power) is an int, a float or a fractions.Fraction: fractions (and
# decimal, which it imports: ~3 ms) are imported only when a power is a fraction.
def _fraction(*args: Any) -> Fraction:
    from fractions import Fraction

    return Fraction(*args)


class _Unit:
    """A parsed unit: its scale (the factors, as astropy multiplies them) and its named bases.

    ``func`` marks ``mag(...)``: "phys" for a function unit of a physical
    unit (no arithmetic allowed), "plain" for ``mag(<dimensionless>)``.
    """

    __slots__ = ("scale", "bases", "func", "named")

    def __init__(
        self, scale: Any = 1.0, bases: dict[str, Power] | None = None, func: str | None = None, named: bool = False
    ):
        self.scale = scale
        self.bases = {} if bases is None else bases
        self.func = func
        self.named = named  # a single named unit, not a composite


class _Structured:
    """astropy's structured unit: ``a, b`` (a list) or ``(a, b)`` (a parenthesised list)."""

    __slots__ = ("parts", "paren")

    def __init__(self, parts: tuple, paren: bool = False):
        self.parts = parts
        self.paren = paren


def _sanitize(scale: Any) -> Any:
    """astropy's sanitize_scale: a float (or complex), never 0."""
    if not isinstance(scale, complex):
        try:
            scale = float(scale)
        except OverflowError:
            raise UnitError("the scale factor is too large for a floating-point number") from None
    if scale == 0:
        raise UnitError("the unit's scale underflows to 0 (its powers of ten leave the floating-point range)")
    return scale


def _power_value(p: Any) -> Power:
    """astropy's sanitize_power: integers stay integers, floats become close simple fractions."""
    if isinstance(p, float):
        if math.isinf(p) or math.isnan(p):
            raise UnitError("a power must be a finite number")
        if p == int(p):
            return int(p)
        f = _fraction(p).limit_denominator(100)
        return f if abs(float(f) / p - 1) < 4 * 2.0**-52 else p
    if isinstance(p, int):
        return p
    return int(p) if p.denominator == 1 else p  # a Fraction


def _pow(x: Any, p: Power) -> Any:
    try:
        return x ** (p if isinstance(p, int) else float(p))
    except OverflowError:
        raise UnitError("the unit's scale overflows (its powers of ten leave the floating-point range)") from None
    except ZeroDivisionError:
        raise UnitError("the unit's scale is 0") from None


def _decomposed_scale(u: _Unit) -> Any:
    """The scale in SI, multiplied in astropy's order (bases sorted by falling power, then name)."""
    scale = u.scale
    for name, p in sorted(u.bases.items(), key=lambda kv: (-kv[1], _SORT_NAME.get(kv[0], kv[0]))):
        scale *= _pow(SI_SCALE[name], p)
    return _sanitize(scale)


def _is_unity(u: _Unit) -> bool:
    """astropy's is_unity: decomposes (which may fail) a composite; named units never are."""
    if u.named or u.func:
        return False
    si = _decomposed_scale(u)
    return not u.bases and si == 1.0


def _combine(a: _Unit, b: _Unit, sign: int) -> _Unit:
    scale = 1
    bases: dict[str, Power] = {}
    for u, s in ((a, 1), (b, sign)):
        if not u.named:
            scale *= _pow(u.scale, s) if s != 1 else u.scale
        for name, p in u.bases.items():
            bases[name] = bases.get(name, 0) + p * s
    return _Unit(_sanitize(scale), {k: _power_value(v) for k, v in bases.items() if v != 0})


def _plain(u: _Unit) -> _Unit:
    if u.func == "phys":
        raise UnitError("a function unit (mag(...)) cannot be combined with other units")
    if u.func == "plain":
        return _Unit(1.0, {"mag": 1}, named=True)
    return u


def _mul(a: Any, b: Any) -> _Unit:
    a, b = _plain(a), _plain(b)
    if _is_unity(b):
        return a
    if _is_unity(a):
        return b
    return _combine(a, b, 1)


def _div(a: Any, b: Any) -> _Unit:
    a, b = _plain(a), _plain(b)
    if _is_unity(b):
        return a
    return _combine(a, b, -1)


def _raise(u: _Unit, p: Power) -> _Unit:
    u = _plain(u)
    p = _power_value(p)
    if u.named:
        return _Unit(1.0, {} if p == 0 else {next(iter(u.bases)): p})
    if p == 0:
        return _Unit(1.0, {})
    return _Unit(_sanitize(_pow(u.scale, p)), {k: _power_value(v * p) for k, v in u.bases.items()})


def _as_unit(x: Any) -> Any:
    """astropy's ``Unit(x)`` at the top of the ``unit`` rule: a number, or a unit whose SI scale must exist."""
    if isinstance(x, _Unit):
        if not x.named and x.func is None and x.bases:
            _decomposed_scale(x)
        return x
    # a bare scale factor
    try:
        scale = float(x)
    except OverflowError:
        raise UnitError("the scale factor is too large for a floating-point number") from None
    return _Unit(_sanitize(scale), {})


# ------------------------------------------------------------------------- parser
class _Parser:
    """astropy's FITS unit grammar (generic.py), top-down.  Values are :class:`_Unit`."""

    def __init__(self, tokens: list[_Tok], text: str):
        self.t = tokens
        self.i = 0
        self.text = text

    # -- helpers
    def kind(self, k: int = 0) -> str | None:
        j = self.i + k
        return self.t[j].kind if j < len(self.t) else None

    def take(self, kind: str) -> _Tok:
        if self.kind() != kind:
            self.fail()
        tok = self.t[self.i]
        self.i += 1
        return tok

    def fail(self):
        if self.i < len(self.t):
            tok = self.t[self.i]
            raise UnitError(f"syntax error at col {tok.col} ({self.text[tok.col : tok.col + 12]!r})")
        raise UnitError("syntax error: the unit ends too early")

    # -- grammar
    def main(self) -> Any:
        """main : unit | structured_unit | structured_subunit"""
        first = self.subunit()
        if self.kind() != "COMMA":
            return first
        parts = [first]
        while self.kind() == "COMMA":
            self.i += 1
            if self.kind() in (None, "CLOSE", "COMMA"):
                continue
            parts.append(self.subunit())
        for part in parts:  # astropy's StructuredUnit takes the physical type of each part
            if isinstance(part, _Unit) and not part.named and part.func is None:
                _decomposed_scale(part)
        return _Structured(tuple(parts))

    def subunit(self) -> Any:
        """A unit, or a parenthesised structured unit ``(a, b)``."""
        if self.kind() == "OPEN":
            start = self.i
            try:
                return self.unit()
            except UnitError:
                self.i = start
            self.i += 1
            inner = self.main()
            if not isinstance(inner, _Structured) or inner.paren:  # structured_subunit: "(" structured_unit ")"
                self.fail()
            self.take("CLOSE")
            return _Structured((inner,), paren=True)
        return self.unit()

    def unit(self) -> Any:
        """unit : [factor [PRODUCT]] (product_of_units | division_product_of_units | inverse_unit) | factor"""
        factor = None
        if self.kind() in ("UINT", "UFLOAT", "SIGN"):
            factor = self.factor()
            if self.kind() == "PRODUCT":
                self.i += 1
                if self.kind() not in ("UNIT", "FUNCNAME", "OPEN", "DIVISION"):
                    self.fail()
            elif self.kind() not in ("UNIT", "FUNCNAME", "OPEN", "DIVISION"):
                return _as_unit(factor)
        if self.kind() == "DIVISION":
            self.i += 1
            value = _raise(self.unit_expression(), -1)
        else:
            value = self.product_of_units()
            while self.kind() == "DIVISION":
                self.i += 1
                value = _as_unit(_div(value, self.product_of_units()))
        if factor is None:
            return _as_unit(value)
        if value.func is not None:
            raise UnitError("a scale factor cannot multiply a function unit (mag(...))")
        try:
            scale = factor * value.scale
        except OverflowError:
            raise UnitError("the scale factor is too large for a floating-point number") from None
        return _Unit(_sanitize(scale), dict(value.bases))

    def factor(self) -> Any:
        """factor_fits : 10 (POWER (UINT | signed_int | "(" signed_int | UINT ")") | SIGN UINT | "(" signed_int ")")

        Other numbers (factor_int, factor_float) are refused by FITS.
        """
        if self.kind() != "UINT":
            self._numeric_factor()
        base = self.t[self.i].value
        nxt = self.kind(1)
        if nxt == "POWER":
            if self.kind(2) == "UINT":
                exp = self.t[self.i + 2].value
                self.i += 3
            elif self.kind(2) == "SIGN" and self.kind(3) == "UINT":
                exp = self.t[self.i + 2].value * self.t[self.i + 3].value
                self.i += 4
            elif self.kind(2) == "OPEN":
                if self.kind(3) == "UINT" and self.kind(4) == "CLOSE":
                    exp = self.t[self.i + 3].value
                    self.i += 5
                elif self.kind(3) == "SIGN" and self.kind(4) == "UINT" and self.kind(5) == "CLOSE":
                    exp = self.t[self.i + 3].value * self.t[self.i + 4].value
                    self.i += 6
                else:
                    self._numeric_factor()
            else:
                self.i += 1
                self.fail()
        elif nxt == "SIGN" and self.kind(2) == "UINT":
            exp = self.t[self.i + 1].value * self.t[self.i + 2].value
            self.i += 3
        elif nxt == "OPEN" and self.kind(2) == "SIGN" and self.kind(3) == "UINT" and self.kind(4) == "CLOSE":
            exp = self.t[self.i + 2].value * self.t[self.i + 3].value
            self.i += 5
        else:
            self._numeric_factor()
        if base != 10:
            raise UnitError(f"a scale factor must be a power of 10 (10**k), not of {base}")
        return 10**exp

    def _numeric_factor(self):
        raise UnitError("a numeric factor is not allowed in FITS units; only a power of ten, e.g. 10**-17")

    def product_of_units(self) -> _Unit:
        """product_of_units : unit_expression [PRODUCT] product_of_units | unit_expression (right-recursive)"""
        first = self.unit_expression()
        if self.kind() == "PRODUCT":
            self.i += 1
            return _mul(first, self.product_of_units())
        if self.kind() in ("UNIT", "FUNCNAME", "OPEN"):
            return _mul(first, self.product_of_units())
        return first

    def unit_expression(self) -> _Unit:
        """unit_expression : function | unit_with_power | "(" product_of_units ")" """
        k = self.kind()
        if k == "FUNCNAME":
            return self.function()
        if k == "OPEN":
            self.i += 1
            value = self.product_of_units()
            self.take("CLOSE")
            return value
        tok = self.take("UNIT")
        value = _Unit(1.0, {tok.value: 1}, named=True)
        if self.kind() == "POWER":
            self.i += 1
            return _raise(value, self.numeric_power())
        # after a name, "(" always opens a power (astropy's parser shifts it): "s (m)" is an error
        if self.kind() in ("SIGN", "UINT", "OPEN"):
            return _raise(value, self.numeric_power())
        return value

    def numeric_power(self) -> Power:
        """numeric_power : [SIGN] UINT | "(" ([SIGN] UINT | [SIGN] UFLOAT | [SIGN] UINT "/" [SIGN] UINT) ")" """
        if self.kind() == "OPEN":
            self.i += 1
            num = self._signed_number()
            if self.kind() == "DIVISION":
                if not isinstance(num, int):
                    self.fail()
                self.i += 1
                den = self._signed_number()
                if not isinstance(den, int):
                    self.i -= 1
                    self.fail()
                if den == 0:
                    raise UnitError("a fractional power has a zero denominator")
                num = _fraction(num, den)
            self.take("CLOSE")
            return num
        sign = 1
        if self.kind() == "SIGN":
            sign = self.t[self.i].value
            self.i += 1
        return sign * self.take("UINT").value

    def _signed_number(self) -> int | float:
        sign = 1
        if self.kind() == "SIGN":
            sign = self.t[self.i].value
            self.i += 1
        if self.kind() == "UFLOAT":
            return sign * self.take("UFLOAT").value
        return sign * self.take("UINT").value

    def function(self) -> _Unit:
        """function : FUNCNAME "(" main ")" """
        name = self.take("FUNCNAME").value
        self.take("OPEN")
        arg = self.main()
        self.take("CLOSE")
        if name == "sqrt":
            if isinstance(arg, _Structured):
                raise UnitError("sqrt() of a list of units")
            return _raise(arg, 0.5)
        if name in ("dB", "dex"):
            raise UnitError(f"Unit '{name}' not supported by the FITS standard.")
        if name == "mag":
            if isinstance(arg, _Structured):
                raise UnitError("mag() of a list of units")
            arg = _plain(arg)
            if not arg.named:
                _decomposed_scale(arg)  # the function unit takes its argument's physical type
            dimensionless = not arg.named and not arg.bases and arg.scale == 1
            return _Unit(1.0, {}, func="plain" if dimensionless else "phys")
        raise UnitError(
            f"{name}() is a FITS Standard function form, but astropy and most readers do not convert it; "
            f"write the unit itself and name the logarithm in the column name or comment"
        )


def check(text: str) -> None:
    """Raise :class:`UnitError` (with the reason) unless ``text`` is a valid FITS unit string."""
    if not text.strip() or text in FITS_NAMES:
        return
    parser = _Parser(_tokens(text), text)
    if not parser.t:
        parser.fail()
    value = parser.main()
    if parser.i != len(parser.t):
        parser.fail()
    if isinstance(value, _Unit) and value.func is not None:
        raise UnitError("Function units (mag(...)) are not supported in FITS unit strings.")


def is_valid(text: str) -> bool:
    """True when ``text`` is a valid FITS unit string (astropy's verdict, without astropy)."""
    try:
        check(text)
    except UnitError:
        return False
    return True


def surely_valid(text: str) -> bool:
    """Former name of :func:`is_valid` (the check is no longer partial)."""
    return is_valid(text)
