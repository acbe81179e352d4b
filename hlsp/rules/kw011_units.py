"""BUNIT (images) or TUNITn (tables) does not parse as a FITS unit (e.g. 'e-/s', 'COUNTS',
'pixels').

Checked in every FITS file: ``BUNIT`` of image HDUs and ``TUNITn`` of table
HDUs must parse as FITS units (FITS Standard sec. 4.3, the IAU style):
``count`` not ``COUNTS``, ``pixel`` not ``pixels``, ``d`` for days.  A column
in days since an epoch says so in its ``TTYPE``/comment and uses ``d``.  The
common ``e-/s`` and ``electron/s`` are not FITS units either (the standard has
no electron); a reviewer may accept them.  (``CUNITi`` of the WCS are WC004's;
``BUNIT`` in a table header is a placement error, FS008's.)  One finding per
distinct unit string and file lists every card that uses it, so that 20
columns in ``e-/s`` do not drown the errors.

*Why:* astropy, TOPCAT and the archive's ingest convert units from these
strings; an unparseable one silently becomes "unknown unit", and users get
wrong numbers or no plot axis labels.

*How to fix:* Write FITS units: ct/s, adu, pixel, d, mag, Jy, erg/s/cm2/Angstrom (units
are case-sensitive).

Write a FITS unit: ``Jy``, ``erg/s/cm2/Angstrom``, ``ct/s``, ``adu``, ``mag``, ``d``,
``pixel``; a dimensionless column gets no ``TUNITn`` (or ``''``).

*Example:* fails::

    TUNIT2  = 'e-/s    '
    BUNIT   = 'COUNTS  '

fixed::

    TUNIT2  = 'electron/s'   (a reviewer may accept it) or 'ct/s'
    BUNIT   = 'count   '
"""

from hlsp.judge import FileView
from hlsp.rules._base import Category, Rule, Severity
from hlsp.rules._util import indexed, unit_problem

RULE = Rule(
    id="KW011",
    name="units",
    category=Category.KEYWORDS,
    severity=Severity.WARNING,
    source="FITS Standard 4.0 sec. 4.3; MAST Common Metadata; HLSP-RULES sec. 3",
)


def _unit_keyword(keyword: str) -> bool:
    """BUNIT or TUNITn: the keywords this rule reads."""
    return keyword == "BUNIT" or indexed(keyword, "TUNIT") is not None


@RULE.check_headers
def check(file: FileView):
    bad: dict[str, list[tuple[int, str]]] = {}  # unit string -> (hdu, keyword), in file order
    problems: dict[str, str | None] = {}
    for hdu in file.hdus:
        table = hdu.is_table and not hdu.is_compressed_image
        for card in hdu.cards_where(_unit_keyword):
            if card.vtype != "str" or not card.value.strip():
                continue
            kw = card.keyword
            if not (kw == "BUNIT" and not table) and not (table and indexed(kw, "TUNIT") is not None):
                continue
            unit = card.value.strip()
            if unit not in problems:
                problems[unit] = unit_problem(unit)
            if problems[unit]:
                bad.setdefault(unit, []).append((hdu.index, kw))
    for unit, where in bad.items():
        hdu, kw = where[0]
        also = ""
        if len(where) > 1:
            listed = ", ".join(f"{k} (HDU {h})" for h, k in where[1:6])
            more = f" and {len(where) - 6} more" if len(where) > 6 else ""
            also = f"; also used by {listed}{more}"
        yield RULE.finding(f"{kw} = '{unit}' is not a valid FITS unit: {problems[unit]}{also}", hdu=hdu, keyword=kw)
