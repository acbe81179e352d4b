"""A date keyword does not hold a valid FITS date.

*Why:* ``DATE``, ``DATE-OBS``, ``DATE-BEG``, ``DATE-END`` and the other
``DATExxxx`` keywords must be strings of the form ``CCYY-MM-DD`` or
``CCYY-MM-DDThh:mm:ss[.sss]`` with a real calendar date and time.  (A
trailing ``Z`` is judged by the archive rule KW005, not here.)

*How to fix:* write ISO-8601 dates, e.g. ``astropy.time.Time(t).isot``;
``Time.iso`` puts a blank instead of ``T`` and is not valid.
"""

import re

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import OLD_DATE_RE, parse_date

RULE = Rule(
    id="FS013",
    name="date-syntax",
    category=Category.FITS,
    severity=Severity.ERROR,
    summary="A DATE/DATE-OBS/DATExxxx value is not a valid CCYY-MM-DD[Thh:mm:ss] date.",
    hint="Write the date as CCYY-MM-DDThh:mm:ss (astropy: Time(...).isot).",
    source="FITS Standard 4.0, sec. 9.1.1",
)

_DATE_KW = re.compile(r"DATE(-OBS|-BEG|-END|-AVG|-REF)?\Z")


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        for card in hdu.header.cards:
            if not _DATE_KW.match(card.keyword) or card.vtype != "str":
                continue
            text = card.value.strip()
            valid, problem = parse_date(text)
            if valid or OLD_DATE_RE.match(text):
                continue
            yield RULE.finding(
                f"{card.keyword} = '{card.value}' is not a valid date (CCYY-MM-DD[Thh:mm:ss])",
                hdu=hdu.index,
                keyword=card.keyword,
            )
