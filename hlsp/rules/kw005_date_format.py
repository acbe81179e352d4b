"""A date keyword ends in 'Z' or has a blank instead of 'T'.

FITS dates are ``CCYY-MM-DD`` or ``CCYY-MM-DDThh:mm:ss[.sss]`` in the time
scale of ``TIMESYS``.  A blank instead of ``T`` (what astropy's ``Time.iso``
writes) is not a FITS date: error.  A trailing ``Z`` was dropped from FITS by
the Y2K agreement, but real TESS and Kepler files carry it: warning.  Checked
in every FITS file for ``DATE``, ``DATE-OBS``, ``DATE-BEG``, ``DATE-END``,
``DATE-AVG`` and ``DATE-REF``; other syntax errors are FS013's.

*Why:* date parsers of the archive and of FITS libraries reject the blank
form; the ``Z`` claims UTC while ``TIMESYS`` may say otherwise.

*How to fix:* write ``Time(...).isot`` (with ``T``) and drop the ``Z``.
"""

import re

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import cards_where, parse_date

RULE = Rule(
    id="KW005",
    name="date-format",
    category=Category.KEYWORDS,
    severity=Severity.ERROR,
    summary="A DATE/DATE-OBS/DATE-BEG/DATE-END value has a blank instead of 'T' (error) or a trailing 'Z' (warning).",
    hint="Write CCYY-MM-DDThh:mm:ss (astropy: Time(...).isot), without a trailing Z.",
    source="FITS Standard 4.0 sec. 9.1.1; MAST Common Metadata; HLSP-RULES sec. 3",
)

_DATE_KW = re.compile(r"DATE(-OBS|-BEG|-END|-AVG|-REF)?\Z")


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        for card in cards_where(hdu.header, _DATE_KW.match):
            if card.vtype != "str":
                continue
            valid, problem = parse_date(card.value)
            if not valid or problem is None:
                continue
            if problem == "space":
                yield RULE.finding(
                    f"{card.keyword} = '{card.value}' has a blank between date and time; FITS requires 'T'",
                    hdu=hdu.index,
                    keyword=card.keyword,
                )
            else:
                yield RULE.finding(
                    f"{card.keyword} = '{card.value}' ends in 'Z', which FITS dates do not carry (TIMESYS gives the time scale)",
                    hdu=hdu.index,
                    keyword=card.keyword,
                    severity=Severity.WARNING,
                    hint="Drop the trailing Z; give the time scale in TIMESYS.",
                )
