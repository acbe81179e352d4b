"""Small helpers shared by several rules (no checks live here)."""

from __future__ import annotations

import functools
import operator
import re
from dataclasses import dataclass
from typing import Any, Callable

from hlsp.fitsfile import HDU, Card, FitsFile
from hlsp.profiles import LEVELS
from hlsp.units import unit_problem  # noqa: F401 -- KW011 and WC004 import it from here

DATE_RE = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})"
    r"(?:(?P<sep>[T ])(?P<H>\d{2}):(?P<M>\d{2}):(?P<S>\d{2})(?:\.\d+)?)?(?P<z>Z)?\Z"
)
OLD_DATE_RE = re.compile(r"\d{2}/\d{2}/\d{2}\Z")


def shown(card: Any) -> str:
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
def is_product(ctx: Any) -> bool:
    """Does the archive's keyword profile apply to this file?

    Yes for files named like HLSP products (``hlsp_...``), and for any file
    when the user named a product type (``--product-type``).  Mission files
    (HST, JWST, TESS ...) are not held to the HLSP profile: they fail FN001
    already, and a list of missing HLSP keywords would only bury the findings
    that matter for them.
    """
    return ctx.name.is_hlsp or ctx.product_type is not None


def expected(ctx: Any, *keys: str) -> str | None:
    """The first non-empty value of ``keys`` in ``ctx.expected`` (from hlsp.yaml), as text."""
    for key in keys:
        value = ctx.expected.get(key)
        if value not in (None, ""):
            return str(value)
    return None


def hdu_kind(hdu: HDU) -> str:
    """``image`` or ``table``: what the HDU holds for the archive (a tile-compressed image is an image)."""
    return "image" if hdu.is_image or hdu.is_compressed_image else "table"


# ------------------------------------------------------------------- memos
def checksum_status(hdu: HDU) -> tuple[str, str]:
    """``hdu.checksum_status``, computed once per HDU: CK001-CK004 all ask for it."""
    return hdu.header.derived("checksum_status", lambda: hdu.checksum_status)


def by_object(obj: Any, key: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()``, remembered for ``obj`` (by identity) and ``key``.

    For look-up tables rules derive from a profile or the vocabulary: those
    objects live for the whole run (they are loaded once) but are costly or
    impossible to hash.  ``key`` starts with a name of the caller's own so
    that callers do not collide.  Bounded: the memo is emptied when full.
    """
    k = (id(obj), *key)
    hit = _BY_OBJECT.get(k)
    if hit is not None and hit[0] is obj:
        return hit[1]
    value = compute()
    if len(_BY_OBJECT) >= 4096:
        _BY_OBJECT.clear()
    _BY_OBJECT[k] = (obj, value)
    return value


_BY_OBJECT: dict[tuple, tuple[Any, Any]] = {}


# ------------------------------------------------------------------- vocabulary
@dataclass(frozen=True, slots=True)
class VocabIndex:
    """Flat look-up sets of a :class:`hlsp.profiles.Vocabulary`."""

    observatories: frozenset[str]  # names and aliases
    instruments: frozenset[str]
    filters: frozenset[str]
    product_types: frozenset[str]


def vocab_index(vocab: Any) -> VocabIndex:
    """The look-up sets of ``vocab``, built once per vocabulary object."""
    return by_object(vocab, ("vocab_index",), lambda: _vocab_index(vocab))


def _vocab_index(vocab: Any) -> VocabIndex:
    instruments: set[str] = set()
    filters: set[str] = set()
    for insts in vocab.observatories.values():
        instruments.update(insts)
        for f in insts.values():
            filters.update(f)
    return VocabIndex(
        frozenset(vocab.observatories) | frozenset(vocab.aliases),
        frozenset(instruments),
        frozenset(filters),
        frozenset(vocab.product_types),
    )


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


def profile_gaps(ctx: Any, level: str) -> tuple[tuple[Any, int, str], ...]:
    """Profile keywords of ``level`` that the file lacks: (spec, HDU to report, message).

    A keyword counts as present when it, or one of its ``alternatives``, has a
    value in one of the HDUs the entry names (see validators/profiles/common.yaml).
    KW001-KW003 ask for the three levels of the same file: all three are
    computed together, once per file and profile.
    """
    fits = ctx.fits
    primary = fits.primary
    if primary is None:
        return ()
    profile = ctx.profile
    # the per-file memo: {id(profile): (profile, gaps by level)}, on the primary header
    memo = primary.header.derived("profile_gaps", dict)
    hit = memo.get(id(profile))
    if hit is None or hit[0] is not profile:
        hit = memo[id(profile)] = (profile, _file_gaps(profile, fits, primary))
    return hit[1].get(level, ())


def _file_gaps(profile: Any, fits: FitsFile, primary: HDU) -> dict[str, tuple]:
    """The gaps of every level, cached per profile and which profile keywords have values where.

    Whether an entry is satisfied depends only on which of the profile's
    keywords have a value (or only an empty one) in the primary and the
    science header, and files of a delivery agree on that.
    """
    science = science_hdu(fits)
    names = by_object(
        profile, ("profile_names",), lambda: frozenset(n for spec in profile.keywords for n in (spec.name, *spec.alternatives))
    )
    in_primary = _values_of(primary.header, names)
    in_science = in_primary if science is primary else _values_of(science.header, names)
    key = (hdu_kind(science), science.index, in_primary, in_science)
    table = by_object(profile, ("profile_gaps",), dict)
    gaps = table.get(key)
    if gaps is None:
        if len(table) >= 1024:  # bounded: the distinct header contents of a delivery are few
            table.clear()
        gaps = table[key] = _gaps(profile, *key)
    return gaps


def _values_of(header: Any, names: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(keywords of ``names`` with a value, those with only an empty one) in ``header``, first cards only."""
    full = []
    empty = []
    for card in first_cards_named(header, names):
        if not card.has_value:
            continue
        vtype = card.vtype
        if vtype == "undefined" or vtype == "invalid" or (vtype == "str" and not card.value.strip()):
            empty.append(card.keyword)
        else:
            full.append(card.keyword)
    return tuple(full), tuple(empty)


def _gaps(profile: Any, kind: str, science: int, in_primary: tuple, in_science: tuple) -> dict[str, tuple]:
    """:func:`_file_gaps` from its cache key: level -> ((spec, HDU, message) ...)."""
    at = {  # the (with value, empty) keyword sets of the places an entry may name
        "primary": (in_primary,),
        "science": (in_science,),
        "any": (in_primary,) if science == 0 else (in_primary, in_science),
    }
    out: dict[str, tuple] = {}
    for level in LEVELS:
        found = []
        for spec, where, names, if_missing, if_empty in _profile_entries(profile, level, kind):
            places = at[where]
            if any(n in full for full, _ in places for n in names):
                continue
            empty = any(n in blank for _, blank in places for n in names)
            found.append((spec, science if where == "science" else 0, if_empty if empty else if_missing))
        out[level] = tuple(found)
    return out


def _profile_entries(profile: Any, level: str, kind: str) -> tuple:
    """The entries of ``profile`` at ``level`` that apply to a science HDU of ``kind``.

    Each as (spec, where: primary|science|any, names to look for, message if
    missing, message if empty).  Computed once per profile object: a run
    checks every file against the same few profiles.
    """
    return by_object(profile, ("profile_entries", level, kind), lambda: _entries(profile, level, kind))


def _entries(profile: Any, level: str, kind: str) -> tuple:
    entries = []
    for spec in profile.keywords:
        if spec.level != level or (spec.only and spec.only != kind):
            continue
        names = spec.name + (f" (or {', '.join(spec.alternatives)})" if spec.alternatives else "")
        where = _WHERE.get(spec.hdu, spec.hdu)
        place = spec.hdu if spec.hdu in ("primary", "science") else "any"
        entries.append(
            (spec, place, (spec.name, *spec.alternatives), f"{names} is missing from {where}", f"{names} is in {where} but has no value")
        )
    return tuple(entries)


# ------------------------------------------------------------- per-card rules
def cards_where(header: Any, wanted: Callable[[str], Any]) -> list[Card]:
    """The cards of ``header`` whose keyword satisfies ``wanted``, in card order.

    For rules that look at a few keywords of every header: which cards those
    are depends only on the keywords, and the files of a delivery repeat the
    same header layouts, so the answer is computed once per layout instead of
    walking every card of every file.  ``wanted`` must be a module-level
    function of the keyword alone (it is part of the cache key).
    """
    cards = header.cards
    return [cards[i] for i in _positions(header.layout, wanted)]


@functools.lru_cache(maxsize=8192)  # ~12 callers x the distinct layouts of a delivery
def _positions(layout: tuple[str, ...], wanted: Callable[[str], Any]) -> tuple[int, ...]:
    return tuple([i for i, keyword in enumerate(layout) if wanted(keyword)])


def first_cards_named(header: Any, names: frozenset[str]) -> list[Card]:
    """The first card of each keyword in ``names`` that ``header`` holds, in card order.

    What ``header.card(name)`` gives for every name, without a look-up per
    name: positions are cached per (header layout, ``names``) like
    :func:`cards_where`.  ``names`` should be one long-lived set (a rule's
    table of keywords), so that its hash is computed once.
    """
    cards = header.cards
    return [cards[i] for i in first_positions(header.layout, names)]


@functools.lru_cache(maxsize=1024)  # a few callers x the distinct layouts of a delivery
def first_positions(layout: tuple[str, ...], names: frozenset[str]) -> tuple[int, ...]:
    """Positions in ``layout`` of the first card of each keyword in ``names`` (:func:`first_cards_named`)."""
    seen: set[str] = set()
    out = []
    for i, keyword in enumerate(layout):
        if keyword in names and keyword not in seen:
            seen.add(keyword)
            out.append(i)
    return tuple(out)


_VTYPE = operator.attrgetter("vtype")


def value_types(header: Any) -> tuple[str, ...]:
    """The ``vtype`` of every card of ``header``, in card order (computed once per header).

    With the layout, a key for verdicts that depend only on which kind of
    value each card holds (FS007, FS012): those repeat across the files of a
    delivery even where the values differ, so such verdicts are cached per
    (layout, value types) instead of judged card by card.
    """
    return header.derived("value_types", lambda: tuple(map(_VTYPE, header.cards)))
