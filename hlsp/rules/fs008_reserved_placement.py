"""A reserved keyword stands in a kind of HDU where FITS forbids it.

*Why:* ``SIMPLE`` and ``EXTEND`` belong to the primary header only,
``XTENSION`` to extensions only; array keywords (``BUNIT``, ``BSCALE``,
``BZERO``, ``BLANK``) are not allowed in table headers, where units and
scaling are per column (``TUNITn``, ``TSCALn``, ``TZEROn``, ``TNULLn``); table
keywords are not allowed in image headers.  Such cards usually come from
copying a whole header into another HDU.

*How to fix:* remove the card; for tables move units to ``TUNITn`` of the
column they describe.
"""

import re

from hlsp.rules._base import Category, FileContext, Rule, Severity

RULE = Rule(
    id="FS008",
    name="reserved-placement",
    category=Category.FITS,
    severity=Severity.ERROR,
    summary="A reserved keyword is used in the wrong HDU type (SIMPLE in an extension, BUNIT in a table ...).",
    hint="Remove the card; in tables put units in TUNITn and scaling in TSCALn/TZEROn.",
    source="FITS Standard 4.0, sec. 4.4.1, 7.2, 7.3 (fitsverify errors)",
)

_PRIMARY_ONLY = ("SIMPLE", "EXTEND")
_EXTENSION_ONLY = ("XTENSION",)
_ARRAY_ONLY = ("BUNIT", "BSCALE", "BZERO", "BLANK")
_TABLE_ONLY = re.compile(r"(TFIELDS|THEAP|(TTYPE|TFORM|TUNIT|TNULL|TSCAL|TZERO|TDISP|TDIM|TBCOL)[0-9]+)\Z")


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        for card in hdu.header.cards:
            kw = card.keyword
            where = None
            if hdu.index > 0 and kw in _PRIMARY_ONLY:
                where = "an extension"
            elif hdu.index == 0 and kw in _EXTENSION_ONLY:
                where = "the primary header"
            elif hdu.is_table and not hdu.is_compressed_image and kw in _ARRAY_ONLY:
                where = "a table header (use TUNITn/TSCALn/TZEROn/TNULLn per column)"
            elif hdu.is_image and _TABLE_ONLY.match(kw):
                where = "an image header"
            if where:
                yield RULE.finding(f"card {card.index}: {kw} is not allowed in {where}", hdu=hdu.index, keyword=kw)
