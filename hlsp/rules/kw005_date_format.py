"""A DATE/DATE-OBS/DATE-BEG/DATE-END value ends in 'Z' (a blank instead of 'T' is FS013's
error).

FITS dates are ``CCYY-MM-DD`` or ``CCYY-MM-DDThh:mm:ss[.sss]`` in the time
scale of ``TIMESYS``.  A trailing ``Z`` was dropped from FITS by the Y2K
agreement, but real TESS and Kepler files carry it, and fitsverify accepts
it: a warning, for a reviewer to decide.  Checked in every FITS file for
``DATE``, ``DATE-OBS``, ``DATE-BEG``, ``DATE-END``, ``DATE-AVG`` and
``DATE-REF``.  A blank instead of ``T`` (what astropy's ``Time.iso`` writes)
and every other syntax error is not a FITS date at all: FS013 reports it,
once, as an error.

*Why:* the ``Z`` claims UTC while ``TIMESYS`` may say otherwise, and the
archive's date parsers expect the FITS form.

*How to fix:* Drop the trailing Z (`hlsp fix --write` does); give the time scale in
TIMESYS.

Drop the ``Z`` (``hlsp fix`` does it) and give the time scale in ``TIMESYS``.

*Example:* fails::

    DATE-OBS= '2021-02-03T12:00:00Z'

fixed::

    DATE-OBS= '2021-02-03T12:00:00'
    TIMESYS = 'UTC     '
"""

import re

from hlsp.judge import keyword_positions
from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import parse_date

RULE = Rule(
    id="KW005",
    name="date-format",
    category=Category.KEYWORDS,
    severity=Severity.WARNING,
    source="FITS Standard 4.0 sec. 9.1.1; MAST Common Metadata; HLSP-RULES sec. 3",
)

_DATE_KW = re.compile(r"DATE(-OBS|-BEG|-END|-AVG|-REF)?\Z")


@RULE.check  # not a header check: dates differ from file to file, so no reuse would pay
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        cards = hdu.header.cards
        for pos in keyword_positions(hdu.header, _DATE_KW.match):
            card = cards[pos]
            if card.vtype != "str":
                continue
            valid, problem = parse_date(card.value)
            if valid and problem == "Z":  # "space" is not a FITS date: FS013 reports it
                yield RULE.finding(
                    f"{card.keyword} = '{card.value}' ends in 'Z', which FITS dates do not carry (TIMESYS gives the time scale)",
                    hdu=hdu.index,
                    keyword=card.keyword,
                )
