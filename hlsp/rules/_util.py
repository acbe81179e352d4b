"""Small helpers shared by several rules (no checks live here).

Pure functions only.  A helper of one string (a date, a unit) may keep an
``lru_cache`` here; rules keep none, and verdicts are reused by the engine
(:mod:`hlsp.judge`).
"""

from __future__ import annotations

import functools
import re

from hlsp.fits import HDU, FitsFile
from hlsp.profiles import KeywordSpec, VocabIndex, Vocabulary
from hlsp.units import unit_problem  # noqa: F401 -- KW011 and WC004 import it from here

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from typing import Any

    from hlsp.fits import Card
    from hlsp.judge import FileView, HduView
    from hlsp.rules._base import FileContext

__all__ = ["VocabIndex"]

DATE_RE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:(?P<sep>[T ])(?P<H>\d{2}):(?P<M>\d{2}):(?P<S>\d{2})(?:\.\d+)?)?(?P<z>Z)?\Z"
)
OLD_DATE_RE = re.compile(r"\d{2}/\d{2}/\d{2}\Z")


def shown(card: Card) -> str:
    """A card's value as written, for messages: strings quoted without their padding."""
    return f"'{card.value.rstrip()}'" if card.vtype == "str" else card.value_text


def is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def science_hdu(fits: FitsFile) -> HDU | None:
    """The first HDU that holds the product's data (an image array or a table)."""
    for hdu in fits.hdus:
        if hdu.data_size > 0 and (hdu.is_image or hdu.is_table):
            return hdu
    return fits.hdus[0] if fits.hdus else None


def indexed(keyword: str, prefix: str) -> int | None:
    """``indexed("TFORM12", "TFORM") == 12``; None when it is not that keyword."""
    if keyword.startswith(prefix) and keyword[len(prefix) :].isdigit():
        return int(keyword[len(prefix) :])
    return None


@functools.lru_cache(maxsize=4096)
def parse_date(text: str) -> tuple[bool, str | None]:
    """(valid calendar date, problem). problem is "Z", "space" or None (cached: dates recur)."""
    m = DATE_RE.match(text.strip())
    if not m:
        return False, None
    mo, d = int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return False, None
    if m["H"] is not None and not (int(m["H"]) <= 23 and int(m["M"]) <= 59 and int(m["S"]) <= 60):
        return False, None
    if m["z"]:
        return True, "Z"
    if m["sep"] == " ":
        return True, "space"
    return True, None


# ------------------------------------------------------------- archive products
def is_product(ctx: FileContext) -> bool:
    """Does the archive's keyword profile apply to this file?

    Yes for files named like HLSP products (``hlsp_...``), and for any file
    when the user named a product type (``--product-type``).  Mission files
    (HST, JWST, TESS ...) are not held to the HLSP profile: they fail FN001
    already, and a list of missing HLSP keywords would only bury the findings
    that matter for them.
    """
    return ctx.name.is_hlsp or ctx.product_type is not None


def expected(ctx: FileContext, *keys: str) -> str | None:
    """The first non-empty value of ``keys`` in ``ctx.expected`` (from hlsp.yaml), as text."""
    for key in keys:
        value = ctx.expected.get(key)
        if value not in (None, ""):
            return str(value)
    return None


def hdu_kind(hdu: HDU) -> str:
    """``image`` or ``table``: what the HDU holds for the archive (a tile-compressed image is an image)."""
    return "image" if hdu.is_image or hdu.is_compressed_image else "table"


# ------------------------------------------------------------------- vocabulary
def vocab_index(vocab: Vocabulary) -> VocabIndex:
    """The look-up sets of ``vocab`` (built when the vocabulary is loaded: ``vocab.index``)."""
    return vocab.index


def split_values(value: str, known: frozenset[str] | set[str]) -> tuple[list[str], list[str]]:
    """Split a multi-valued name field (``hst-fuse``, ``f606w-f814w``) into values.

    Values may contain ``-`` themselves (``hawk-i``, ``fqch4n-a``), so the
    ``-``-separated tokens are grouped to cover as many tokens as possible
    with known values.  Returns (values in order, the tokens no known value covers).
    """
    tokens = value.split("-")
    n = len(tokens)
    # best[i] = (unknown tokens in tokens[i:], groups) -- a small dynamic programme
    best: list[tuple[int, list[tuple[str, bool]]]] = [(0, [])] * (n + 1)
    for i in range(n - 1, -1, -1):
        cand = (best[i + 1][0] + 1, [(tokens[i], False)] + best[i + 1][1])
        for j in range(i + 1, n + 1):
            joined = "-".join(tokens[i:j])
            if joined in known and best[j][0] < cand[0]:
                cand = (best[j][0], [(joined, True)] + best[j][1])
        best[i] = cand
    groups = best[0][1]
    return [g for g, _ in groups], [g for g, ok in groups if not ok]


# ------------------------------------------------------------ keyword profiles
_WHERE = {"primary": "the primary HDU", "science": "the science HDU", "any": "the primary or the science HDU"}


def science_view(file: FileView) -> HduView | None:
    """:func:`science_hdu` of a file seen through a view."""
    for hdu in file.hdus:
        if (hdu.is_image or hdu.is_table) and hdu.data_size > 0:
            return hdu
    return file.hdus[0] if file.hdus else None


def profile_gaps(file: FileView, level: str) -> list[tuple[KeywordSpec, int, str]]:
    """Profile keywords of ``level`` that the file lacks: (spec, HDU to report, message).

    A keyword counts as present when it, or one of its ``alternatives``, has a
    value in one of the HDUs the entry names (see validators/profiles/common.yaml).
    """
    profile = file.profile
    if not file.hdus or profile is None:
        return []
    primary = file.hdus[0]
    science = science_view(file)
    kind = "image" if science.is_image or science.is_compressed_image else "table"
    names = {n for spec in profile.keywords for n in (spec.name, *spec.alternatives)}
    in_primary = _values_of(primary, names)
    in_science = in_primary if science is primary else _values_of(science, names)
    places_of = {  # the (with value, empty) keyword sets of the places an entry may name
        "primary": (in_primary,),
        "science": (in_science,),
        "any": (in_primary,) if science.index == 0 else (in_primary, in_science),
    }
    found = []
    for spec in profile.keywords:
        if spec.level != level or (spec.only and spec.only != kind):
            continue
        where = spec.hdu if spec.hdu in ("primary", "science") else "any"
        places = places_of[where]
        alternatives = (spec.name, *spec.alternatives)
        if any(n in full for full, _ in places for n in alternatives):
            continue
        listed = spec.name + (f" (or {', '.join(spec.alternatives)})" if spec.alternatives else "")
        shown_where = _WHERE.get(spec.hdu, spec.hdu)
        empty = any(n in blank for _, blank in places for n in alternatives)
        message = (
            f"{listed} is in {shown_where} but has no value" if empty else f"{listed} is missing from {shown_where}"
        )
        found.append((spec, science.index if where == "science" else 0, message))
    return found


def _values_of(hdu: HduView, names: set[str]) -> tuple[set[str], set[str]]:
    """(keywords of ``names`` with a value, those with only an empty one) in ``hdu``, first cards only."""
    full: set[str] = set()
    empty: set[str] = set()
    seen: set[str] = set()
    vtypes = hdu.value_types()
    blanks = hdu.blank_strings()
    for pos, keyword in enumerate(hdu.layout):
        if keyword not in names or keyword in seen:
            continue
        seen.add(keyword)
        vtype = vtypes[pos]
        if vtype == "none":
            continue  # no value indicator: as if absent
        if vtype == "undefined" or vtype == "invalid" or (vtype == "str" and pos in blanks):
            empty.add(keyword)
        else:
            full.add(keyword)
    return full, empty
