"""A mandatory FITS keyword is missing, out of order, or has a wrong value.

*Why:* every header must begin with its structural keywords in a fixed order:
``SIMPLE BITPIX NAXIS NAXISn`` in the primary HDU; ``XTENSION BITPIX NAXIS
NAXISn PCOUNT GCOUNT`` in an extension (``TFIELDS`` next in tables), with
values of fixed types and ranges; tables also need ``TFORMn`` (and ``TBCOLn``
in ASCII tables) for every column.  Readers compute the data size from them, so
an error here corrupts everything after it.

*How to fix:* write the file with a FITS library instead of assembling headers
by hand; if a pipeline copies header cards between files, let it skip the
structural ones.
"""

from hlsp.fitsfile import HDU
from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import is_int

RULE = Rule(
    id="FS006",
    name="mandatory-keywords",
    category=Category.FITS,
    severity=Severity.ERROR,
    summary="A mandatory keyword (SIMPLE, BITPIX, NAXIS, NAXISn, XTENSION, PCOUNT, GCOUNT, TFIELDS, TFORMn) is missing, misplaced or wrong.",
    hint="Let a FITS library write the structural keywords; do not copy them between headers by hand.",
    source="FITS Standard 4.0, sec. 4.4.1 and 7",
)

_BITPIX = (8, 16, 32, 64, -32, -64)


def _sequence(hdu: HDU) -> list[tuple[str, object, str]]:
    """(keyword, test, expectation) in the mandatory order."""
    h = hdu.header
    seq: list[tuple[str, object, str]] = []
    if hdu.index == 0:
        seq.append(("SIMPLE", lambda v: v is True, "T"))
    else:
        seq.append(("XTENSION", lambda v: isinstance(v, str) and v.strip() != "", "an extension type such as 'IMAGE'"))
    table = hdu.kind in ("bintable", "table")
    if table:
        seq.append(("BITPIX", lambda v: v == 8, "8 in a table"))
        seq.append(("NAXIS", lambda v: v == 2, "2 in a table"))
    else:
        seq.append(("BITPIX", lambda v: v in _BITPIX and is_int(v), "one of 8, 16, 32, 64, -32, -64"))
        seq.append(("NAXIS", lambda v: is_int(v) and 0 <= v <= 999, "an integer from 0 to 999"))
    naxis = h.get("NAXIS")
    if is_int(naxis) and 0 <= naxis <= 999:
        for i in range(1, naxis + 1):
            seq.append((f"NAXIS{i}", lambda v: is_int(v) and v >= 0, "a non-negative integer"))
    if hdu.index > 0:
        if hdu.kind in ("image", "table"):
            seq.append(("PCOUNT", lambda v: v == 0, "0"))
        else:
            seq.append(("PCOUNT", lambda v: is_int(v) and v >= 0, "a non-negative integer"))
        seq.append(("GCOUNT", lambda v: v == 1 if hdu.kind != "unknown" else is_int(v) and v >= 1, "1"))
        if table:
            seq.append(("TFIELDS", lambda v: is_int(v) and 0 <= v <= 999, "an integer from 0 to 999"))
    return seq


@RULE.check
def check(ctx: FileContext):
    for hdu in ctx.hdus():
        h = hdu.header
        cards = h.cards
        for pos, (kw, test, expect) in enumerate(_sequence(hdu)):
            card = h.card(kw)
            if card is None or not card.has_value:
                yield RULE.finding(f"mandatory keyword {kw} is missing (expected as card {pos + 1})", hdu=hdu.index, keyword=kw)
                continue
            if card.index != pos + 1:
                found = cards[pos].keyword if pos < len(cards) else "nothing"
                yield RULE.finding(
                    f"{kw} must be card {pos + 1} but is card {card.index} (card {pos + 1} is {found or 'blank'})",
                    hdu=hdu.index,
                    keyword=kw,
                )
            if card.vtype not in ("invalid",) and not test(card.value):
                yield RULE.finding(f"{kw} = {card.value_text or 'nothing'}: expected {expect}", hdu=hdu.index, keyword=kw)
        if hdu.kind in ("bintable", "table"):
            n = h.get("TFIELDS")
            if is_int(n) and 0 <= n <= 999:
                needed = ("TFORM", "TBCOL") if hdu.kind == "table" else ("TFORM",)
                for i in range(1, n + 1):
                    for prefix in needed:
                        if f"{prefix}{i}" not in h:
                            yield RULE.finding(
                                f"column {i} has no {prefix}{i} (TFIELDS = {n})", hdu=hdu.index, keyword=f"{prefix}{i}"
                            )
