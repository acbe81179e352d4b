"""A WCS keyword numbers an axis beyond WCSAXES, CDELTi = 0, CRDERi/CSYERi < 0, or PCi_j is
combined with CDi_j or CROTA2.

*Why:* once ``WCSAXES`` (or ``WCSAXESa``) is given, no WCS keyword may number
an axis beyond it; ``CDELTi`` must not be 0 (the axis would have no scale);
the errors ``CRDERi``/``CSYERi`` cannot be negative; the ``PCi_j`` matrix
excludes both ``CDi_j`` and the old ``CROTA2`` (a reader cannot know which to
apply).  fitsverify reports each as an error.  (Whether the resulting WCS can
be used at all -- projections, singular matrices -- is judged by the ``wcs``
rules.)

*How to fix:* Keep WCS axis numbers within WCSAXES, give CDELTi its real non-zero value,
and use only one of PCi_j, CDi_j and CROTA2.

Raise ``WCSAXES`` or drop the extra keywords; write the real pixel scale; keep one of
``PCi_j``+``CDELTi``, ``CDi_j`` or ``CROTA2``.
"""

import functools

from hlsp.rules._base import Category, FileContext, Rule, Severity
from hlsp.rules._util import is_int, value_types
from hlsp.rules.fs014_wcsaxes_order import wcs_indices

RULE = Rule(
    id="FS018",
    name="wcs-structure",
    category=Category.FITS,
    severity=Severity.ERROR,
    source="FITS Standard 4.0, sec. 8.2 and 8.3 (fitsverify errors)",
)

_STRING_PREFIXES = ("CTYPE", "CUNIT", "CNAME", "PS")


@functools.lru_cache(maxsize=1024)  # the distinct layouts of a delivery
def _wcs_cards(layout: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[tuple[int, str, tuple[int, ...], str], ...]]:
    """Positions of the WCSAXESa cards, and (position, prefix, axes, alternate) of the indexed WCS cards.

    Both depend only on the keywords: computed once per header layout.
    """
    wcsaxes = tuple(pos for pos, kw in enumerate(layout) if kw.startswith("WCSAXES"))
    indexed = []
    for pos, kw in enumerate(layout):
        parts = wcs_indices(kw)
        if parts is not None:
            indexed.append((pos, *parts))
    return wcsaxes, tuple(indexed)


@RULE.check
def check(ctx: FileContext):
    found = []
    for hdu in ctx.hdus():
        h = hdu.header
        cards = h.cards
        wcsaxes_at, indexed = _wcs_cards(h.layout)
        if not indexed:
            continue  # no indexed WCS keyword: nothing to check (no PCi_j either)
        wcsaxes = max(
            (c.value for c in (cards[pos] for pos in wcsaxes_at) if c.vtype == "int" and is_int(c.value)),
            default=None,
        )
        steps, pairs = _plan(h.layout, value_types(h), wcsaxes)
        for pos, outside, test in steps:
            card = cards[pos]
            if outside:
                found.append(RULE.finding(outside, hdu=hdu.index, keyword=card.keyword))
            if test == "CDELT" and card.value == 0:
                message = f"card {card.index}: {card.keyword} = 0: an axis needs a non-zero scale"
                found.append(RULE.finding(message, hdu=hdu.index, keyword=card.keyword))
            elif test == "error" and card.value < 0:
                found.append(RULE.finding(f"card {card.index}: {card.keyword} is negative", hdu=hdu.index, keyword=card.keyword))
        found += [RULE.finding(message, hdu=hdu.index, keyword=keyword) for message, keyword in pairs]
    return found


@functools.lru_cache(maxsize=1024)  # the distinct (layout, value types) of a delivery
def _plan(layout: tuple[str, ...], vtypes: tuple[str, ...], wcsaxes: int | None) -> tuple[tuple, tuple]:
    """What :func:`check` must look at in a header, from its keywords and value types alone.

    (steps, pairs): steps are (position, message if the card numbers an axis
    beyond ``wcsaxes``, value test: "CDELT" for = 0, "error" for < 0, or None)
    for the cards that need either; pairs are (message, keyword) of the
    PCi_j/CDi_j and PCi_j/CROTA2 conflicts.  Only the value tests need the
    values, so a delivery's headers are planned once.
    """
    steps = []
    first = {"PC": None, "CD": None}
    for pos, prefix, axes, alt in _wcs_cards(layout)[1]:
        vtype = vtypes[pos]
        typed = vtype == "str" if prefix in _STRING_PREFIXES else vtype in ("int", "float")
        if not typed:
            continue  # no value (vtype "none"), or FS012 reports the type
        kw = layout[pos]
        outside = None
        if wcsaxes is not None and any(not 1 <= a <= wcsaxes for a in axes):
            outside = f"card {pos + 1}: {kw} numbers an axis outside 1-{wcsaxes} (WCSAXES)"
        test = "CDELT" if prefix == "CDELT" else "error" if prefix in ("CRDER", "CSYER") else None
        if outside or test:
            steps.append((pos, outside, test))
        if prefix in first and not alt and first[prefix] is None:
            first[prefix] = pos
    pairs = []
    pc, cd = first["PC"], first["CD"]
    if pc is not None and cd is not None:
        pairs.append(
            (f"{layout[pc]} (card {pc + 1}) and {layout[cd]} (card {cd + 1}): PCi_j and CDi_j exclude each other", layout[cd])
        )
    rot = layout.index("CROTA2") if "CROTA2" in layout else None
    if pc is not None and rot is not None and vtypes[rot] != "none":
        pairs.append((f"{layout[pc]} (card {pc + 1}) and CROTA2 (card {rot + 1}): PCi_j and CROTA2 exclude each other", "CROTA2"))
    return tuple(steps), tuple(pairs)
