"""A profile keyword has the wrong value type (e.g. XPOSURE as a string) or not the exact
value required.

The profiles (``validators/profiles/*.yaml``) give many archive keywords a type:
``XPOSURE``, ``EXPTIME``, ``RA_TARG`` numbers; ``HLSPID``, ``DOI``, ``FILTER``
strings; ``DATE-BEG`` a date string.  The type is checked in every HDU where
the keyword appears, in every FITS file (``EXPTIME = '300'`` is wrong in a
mission file too).  An exact ``value:`` of the profile is checked for HLSP
products only; ``LICENSE`` and ``LICENURL`` are KW010's.  Types fixed by the
FITS standard (``TELESCOP``, ``EQUINOX`` ...) are FS012's.

*Why:* programs read ``XPOSURE`` as a number; a quoted ``'300'`` breaks
exposure-time sums and the archive's database load, and no common FITS tool
reports it.

*How to fix:* Write numbers without quotes and strings in quotes, with the value the
profile requires.

Write numbers without quotes and strings in quotes: ``XPOSURE = 300.0``, ``HLSPVER =
'v1.0'``.
"""

import functools
from dataclasses import dataclass

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import by_object, first_positions, is_int, is_number, is_product, shown, value_types
from hlsp.rules.kw010_license import LICENSE_KEYWORDS

RULE = Rule(
    id="KW004",
    name="keyword-type",
    category=Category.KEYWORDS,
    severity=Severity.ERROR,
    source="MAST Common Metadata; validators/profiles/*.yaml",
)

_TYPES = {  # type -> (in words, test of a card, the value types that pass the test)
    "string": ("a string", lambda c: c.vtype == "str", frozenset({"str"})),
    "date": ("a date string", lambda c: c.vtype == "str", frozenset({"str"})),
    "number": ("a number", lambda c: is_number(c.value) and c.vtype in ("int", "float"), frozenset({"int", "float"})),
    "int": ("an integer", lambda c: is_int(c.value), frozenset({"int"})),
    "bool": ("a logical (T or F)", lambda c: c.vtype == "bool", frozenset({"bool"})),
}


@RULE.check
def check(ctx: FileContext):
    if ctx.profile is None:
        return ()
    wanted = _wanted(ctx.profile, is_product(ctx))
    found = []  # (profile order, HDU, finding): reported keyword by keyword, then HDU by HDU
    for hdu in ctx.hdus():
        header = hdu.header
        cards = header.cards
        for pos in _suspects(header.layout, value_types(header), wanted):
            card = cards[pos]
            if not card.has_value:
                continue  # missing: KW001-3
            order, want_type, want_value = wanted.by_name[card.keyword]
            if want_type and not want_type[1](card):
                message = f"{card.keyword} = {shown(card)} is {_describe(card)}; the profile requires {want_type[0]}"
            elif want_value is not None and not _same(card.value, want_value):
                message = f"{card.keyword} = {shown(card)}; the profile requires {want_value!r}"
            else:
                continue
            found.append((order, hdu.index, RULE.finding(message, hdu=hdu.index, keyword=card.keyword)))
    found.sort(key=lambda f: f[:2])
    return [finding for _, _, finding in found]


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity: a key of _suspects
class _Wanted:
    """What the profile requires of each keyword it gives a type or a value."""

    by_name: dict[str, tuple[int, tuple | None, object]]  # name -> (profile order, _TYPES entry, exact value)
    names: frozenset[str]


def _wanted(profile, check_values: bool) -> _Wanted:
    """:class:`_Wanted` of ``profile``, built once per profile object (a run uses a handful)."""
    return by_object(profile, ("kw004", check_values), lambda: _build_wanted(profile, check_values))


def _build_wanted(profile, check_values: bool) -> _Wanted:
    by_name = {}
    for order, spec in enumerate(profile.keywords):
        want_type = _TYPES.get(spec.type) if spec.type else None
        want_value = spec.value if check_values and spec.name not in LICENSE_KEYWORDS else None
        if want_type is not None or want_value is not None:
            by_name.setdefault(spec.name, (order, want_type, want_value))
    return _Wanted(by_name, frozenset(by_name))


@functools.lru_cache(maxsize=1024)  # the distinct (layout, value types) of a delivery x a few profiles
def _suspects(layout: tuple[str, ...], vtypes: tuple[str, ...], wanted: _Wanted) -> tuple[int, ...]:
    """Positions of the first cards of ``wanted`` keywords that may be wrong, in card order.

    Whether a value has the required type follows from its value type alone,
    so only cards of another type, and those whose exact value is required,
    need a look.  Undefined and unparseable values are skipped (FS007 reports those).
    """
    out = []
    for pos in first_positions(layout, wanted.names):
        vtype = vtypes[pos]
        if vtype == "undefined" or vtype == "invalid":
            continue
        _, want_type, want_value = wanted.by_name[layout[pos]]
        if want_value is not None or (want_type is not None and vtype not in want_type[2]):
            out.append(pos)
    return tuple(out)


def _describe(card) -> str:
    return {"str": "a string", "bool": "a logical", "int": "an integer", "float": "a number", "complex": "a complex number"}.get(
        card.vtype, card.vtype
    )


def _same(value, wanted) -> bool:
    if isinstance(wanted, str):
        return isinstance(value, str) and value.strip() == wanted.strip()
    if isinstance(wanted, bool) or isinstance(value, bool):
        return value is wanted
    return value == wanted
