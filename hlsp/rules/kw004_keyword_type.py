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

*Example:* fails::

    XPOSURE = '300'

fixed::

    XPOSURE =                300.0
"""

from __future__ import annotations

from hlsp.judge import FileView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._util import shown
from hlsp.rules.kw010_license import LICENSE_KEYWORDS

TYPE_CHECKING = False
if TYPE_CHECKING:  # (not typing: ~4 ms to import at every start)
    from hlsp.profiles import Profile

RULE = Rule(
    id="KW004",
    name="keyword-type",
    category=Category.KEYWORDS,
    severity=Severity.ERROR,
    source="MAST Common Metadata; validators/profiles/*.yaml",
)

_TYPES = {  # type in a profile -> (in words, the value types of that type)
    "string": ("a string", frozenset({"str"})),
    "date": ("a date string", frozenset({"str"})),
    "number": ("a number", frozenset({"int", "float"})),
    "int": ("an integer", frozenset({"int"})),
    "bool": ("a logical (T or F)", frozenset({"bool"})),
}


@RULE.check_headers
def check(file: FileView):
    profile = file.profile
    if profile is None:
        return ()
    wanted = _wanted(profile, file.is_product)
    found = []  # (profile order, HDU, finding): reported keyword by keyword, then HDU by HDU
    for hdu in file.hdus:
        vtypes = hdu.value_types()
        seen = set()
        for pos, keyword in enumerate(hdu.layout):
            if keyword not in wanted or keyword in seen:
                continue
            seen.add(keyword)  # the first card of a keyword counts
            vtype = vtypes[pos]
            if vtype == "undefined" or vtype == "invalid" or vtype == "none":
                continue  # missing: KW001-3; unparseable: FS007
            order, want_type, want_value = wanted[keyword]
            if want_type is not None and vtype not in want_type[1]:
                card = hdu.card_at(pos)
                message = f"{keyword} = {shown(card)} is {_describe(vtype)}; the profile requires {want_type[0]}"
            elif want_value is not None and not _same((card := hdu.card_at(pos)).value, want_value):
                message = f"{keyword} = {shown(card)}; the profile requires {want_value!r}"
            else:
                continue
            found.append((order, hdu.index, RULE.finding(message, hdu=hdu.index, keyword=keyword)))
    found.sort(key=lambda f: f[:2])
    return [finding for _, _, finding in found]


def _wanted(profile: Profile, check_values: bool) -> dict[str, tuple[int, tuple | None, object]]:
    """What the profile requires of each keyword it gives a type or a value: name -> (profile order, _TYPES entry, exact value)."""
    wanted = {}
    for order, spec in enumerate(profile.keywords):
        want_type = _TYPES.get(spec.type) if spec.type else None
        want_value = spec.value if check_values and spec.name not in LICENSE_KEYWORDS else None
        if want_type is not None or want_value is not None:
            wanted.setdefault(spec.name, (order, want_type, want_value))
    return wanted


def _describe(vtype: str) -> str:
    return {
        "str": "a string",
        "bool": "a logical",
        "int": "an integer",
        "float": "a number",
        "complex": "a complex number",
    }.get(vtype, vtype)


def _same(value, wanted) -> bool:
    if isinstance(wanted, str):
        return isinstance(value, str) and value.strip() == wanted.strip()
    if isinstance(wanted, bool) or isinstance(value, bool):
        return value is wanted
    return value == wanted
