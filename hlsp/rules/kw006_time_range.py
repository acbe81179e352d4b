"""MJD-BEG > MJD-END or DATE-BEG > DATE-END, or an MJD-* value in the future (error) or
before 1970 (warning).

Checked in every FITS file: ``MJD-BEG`` must not exceed ``MJD-END`` nor
``DATE-BEG`` exceed ``DATE-END`` (a keyword missing from an extension is
taken from the primary header).  ``MJD-OBS``, ``MJD-BEG``, ``MJD-END``,
``MJD-AVG`` and ``MJD-MID`` must not lie more than a year in the future
(error; a value near 2 400 000 is a JD, not an MJD).  A value before MJD 40587
(1970-01-01) is a warning: ESO Phase 3 rejects it, MAST states no limit, and
historical (photographic) data can be older -- but 0 is usually a fill value.

*Why:* the archive's time search and the ObsCore ``t_min``/``t_max`` columns
come from these keywords; reversed or absurd times hide the product from
every time query.

*How to fix:* Put the start in MJD-BEG/DATE-BEG and the end in MJD-END/DATE-END; MJD =
JD - 2400000.5.

Write the start in ``*-BEG`` and the end in ``*-END``, as MJD (JD - 2400000.5) in the
time scale of ``TIMESYS``.

*Example:* fails::

    MJD-BEG =              59300.5
    MJD-END =              59300.2

fixed::

    MJD-BEG =              59300.2
    MJD-END =              59300.5
"""

import time

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import is_number, parse_date

RULE = Rule(
    id="KW006",
    name="time-range",
    category=Category.KEYWORDS,
    severity=Severity.ERROR,
    source="ESO Phase 3 standard (MJD-END >= MJD-OBS >= 40587); FITS Standard 4.0 sec. 9.2; HLSP-RULES sec. 3, 6",
)

MJD_KEYWORDS = ("MJD-OBS", "MJD-BEG", "MJD-END", "MJD-AVG", "MJD-MID")
MJD_1970 = 40587.0  # 1970-01-01, the Unix epoch


def _mjd_now() -> float:
    return MJD_1970 + time.time() / 86400.0


def _date(value) -> str | None:
    """A date string in a form that compares correctly as text, or None."""
    if not isinstance(value, str):
        return None
    valid, _ = parse_date(value)
    return value.strip().replace(" ", "T").rstrip("Z") if valid else None


@RULE.check
def check(ctx: FileContext):
    latest = _mjd_now() + 366.0
    primary = ctx.fits.primary
    for hdu in ctx.hdus():
        h = hdu.header
        for kw in MJD_KEYWORDS:
            v = h.get(kw)
            if not is_number(v):
                continue
            if v > latest:
                jd = " (it looks like a JD; MJD = JD - 2400000.5)" if v > 2_400_000 else ""
                yield RULE.finding(f"{kw} = {v} lies in the future{jd}", hdu=hdu.index, keyword=kw)
            elif v < MJD_1970:
                yield RULE.finding(
                    f"{kw} = {v} is before 1970-01-01 (MJD 40587); check it is not a fill value",
                    hdu=hdu.index,
                    keyword=kw,
                    severity=Severity.WARNING,
                    hint="Write the real observation time; ESO Phase 3 rejects MJD < 40587.",
                )
        for beg_kw, end_kw, conv in (("MJD-BEG", "MJD-END", _number), ("DATE-BEG", "DATE-END", _date)):
            beg, end = h.get(beg_kw), h.get(end_kw)
            own = beg is not None or end is not None
            if hdu is not primary:
                beg = primary.header.get(beg_kw) if beg is None else beg
                end = primary.header.get(end_kw) if end is None else end
            b, e = conv(beg), conv(end)
            if own and b is not None and e is not None and b > e:
                yield RULE.finding(
                    f"{beg_kw} = {beg!r} is later than {end_kw} = {end!r}", hdu=hdu.index, keyword=beg_kw
                )


def _number(value) -> float | None:
    return float(value) if is_number(value) else None
