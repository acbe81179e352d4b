"""A DATE/DATE-OBS/DATExxxx value is not a valid CCYY-MM-DD[Thh:mm:ss] (or DD/MM/YY) date.

*Why:* every keyword whose name starts with ``DATE`` (``DATE``, ``DATE-OBS``,
``DATE-BEG``, ``DATE-END``, ``DATEREF`` ...) must hold ``CCYY-MM-DD`` or
``CCYY-MM-DDThh:mm:ss[.sss]`` with a real calendar date (no 30 February) and
time, or the old ``DD/MM/YY`` form; readers compute times from it.  A blank
instead of the ``T`` (what astropy's ``Time.iso`` writes), a missing seconds
field or a time-zone offset are not FITS dates.  These are the rules of
CFITSIO's date parser, which fitsverify applies (each a fitsverify error).

One deliberate leniency: a trailing ``Z`` is accepted here (the archive rule
KW005 warns about it), because real mission files carry it; fitsverify
accepts it only after fractional seconds (``...:42.708Z``).

*How to fix:* Write the date as CCYY-MM-DDThh:mm:ss (astropy: Time(...).isot).

Write ISO-8601 dates, e.g. ``astropy.time.Time(t).isot``.

*Example:* fails::

    DATE-OBS= '2021-02-30'
    DATE-OBS= '2021-02-03 12:00:00'

fixed::

    DATE-OBS= '2021-02-28'
    DATE-OBS= '2021-02-03T12:00:00'
"""

import re

from hlsp.judge import keyword_positions
from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS013",
    name="date-syntax",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 4.4.2.1 and 9.1.1 (fitsverify errors)",
)

_OLD = re.compile(r"(\d\d)/(\d\d)/(\d\d)\Z")
_DAY = re.compile(r"(\d{4})-(\d\d)-(\d\d)")
_TIME = re.compile(r"(\d\d):(\d\d):(\d\d(?:\.\d*)?)")
_TIME_ONLY = re.compile(r"(\d\d):(\d\d):(\d\d(?:\.\d*)?)\Z")


def date_problem(text: str) -> str | None:
    """Why ``text`` is not a FITS date string, or None when it is one."""
    if text.endswith("Z") and len(text) > 1:
        text = text[:-1]  # the deliberate leniency (see the rule text)
    m = _OLD.match(text)
    if m:
        return _calendar(1900 + int(m[3]), int(m[2]), int(m[1]))
    m = _TIME_ONLY.match(text)
    if m:
        return _clock(int(m[1]), int(m[2]), float(m[3]))
    m = _DAY.match(text)
    if not m:
        return "not of the form CCYY-MM-DD[Thh:mm:ss[.sss]] or DD/MM/YY"
    problem = _calendar(int(m[1]), int(m[2]), int(m[3]))
    rest = text[10:]
    if problem or not rest:
        return problem
    if rest[0] != "T":
        return "the time must follow the date after a 'T' (CCYY-MM-DDThh:mm:ss)"
    t = _TIME.fullmatch(rest[1:])
    if not t:
        return "the time must be hh:mm:ss[.sss]"
    return _clock(int(t[1]), int(t[2]), float(t[3]))


def _calendar(year: int, month: int, day: int) -> str | None:
    if not 1 <= month <= 12:
        return f"month {month} does not exist"
    days = _days_in_month(year, month) if year > 0 else 31
    if not 1 <= day <= days:
        return f"day {day} does not exist in month {month} of {year}"
    return None


def _days_in_month(year: int, month: int) -> int:
    """Days of ``month`` in the Gregorian ``year`` (calendar.monthrange's, without its import of
    datetime and locale at every start)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _clock(hour: int, minute: int, second: float) -> str | None:
    if hour > 23 or minute > 59 or second >= 61:
        return f"time {hour:02d}:{minute:02d}:{second:g} is out of range"
    return None


def _is_date(keyword: str) -> bool:
    return keyword.startswith("DATE")


@RULE.check  # not a header check: dates differ from file to file, so no reuse would pay
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        cards = hdu.header.cards
        for pos in keyword_positions(hdu.header, _is_date):
            card = cards[pos]
            if card.vtype != "str":
                continue  # FS012 reports DATExxxx keywords that are not strings
            problem = date_problem(card.value)
            if problem:
                yield RULE.finding(
                    f"{card.keyword} = '{card.value}' is not a valid FITS date: {problem}",
                    hdu=hdu.index,
                    keyword=card.keyword,
                )
