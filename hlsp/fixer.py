"""``hlsp fix``: repair the HLSP header keywords of FITS products, data untouched.

:func:`plan_fix` works out what a file's headers should say and returns a
:class:`FixPlan` (old and new cards per HDU, and the new file bytes); nothing
is written.  :func:`apply_fix` writes the new bytes atomically (temporary file,
then rename), so an interruption leaves the original intact.

What is fixed:

* from the collection's ``hlsp.yaml`` (primary header): ``HLSPID``,
  ``HLSPVER``, ``HLSPNAME``, ``HLSPLEAD``, ``DOI`` (unless ``pending``: then
  a ``DOI`` card that is not a DOI is removed -- no DOI card while pending),
  ``LICENSE``, ``LICENURL``, ``HLSPTARG`` (the file name's target field, or
  the collection's only target) and, when missing, ``REFERENC``.  A value
  that is still a stand-in of the skeleton (MD006) is not written;
* keywords the archive's profile asks for (required or recommended) and the
  file lacks, from the sources of :mod:`hlsp.derive`: an equivalent keyword
  of the file (``RA_OBJ`` -> ``RA_TARG``, ``TELESCOP`` -> ``OBSERVAT`` ...),
  ``hlsp.yaml`` (target coordinates, ``keywords:``) or the file name.  Each
  added value is listed with its source (:attr:`FixPlan.sources`);
* date values in every HDU (``DATE``, ``DATE-OBS``, ``DATE-BEG`` ...): a
  trailing ``Z`` is dropped and a space between date and time becomes ``T``;
* ``CHECKSUM``/``DATASUM`` are (re)written in every HDU.

Only the cards that change are rewritten; every other card keeps its bytes.
The data units are copied byte for byte: only the headers may grow (by whole
2880-byte blocks), never the data.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from typing import Any

from hlsp.atomic import atomic_open
from hlsp.fits.card import CardError, format_card, header_bytes, sealed_cards
from hlsp.errors import HlspError
from hlsp.fits import parse_card, read_fits
from hlsp.fits.card import CARD
from hlsp.names import parse_name
from hlsp.rules._util import parse_date

LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
_STRUCTURAL = ("truncated", "no-end", "not-fits", "compression-corrupt")


@dataclass(slots=True)
class HduChange:
    index: int
    before: list[str]  # the header cards (80 characters each, END excluded)
    after: list[str]


@dataclass(slots=True)
class FixPlan:
    path: str
    hdus: list[HduChange] = field(default_factory=list)
    original: bytes = b""
    new: bytes = b""
    sources: list[tuple[int, str, Any, str]] = field(default_factory=list)  # (HDU, keyword, value, where from)
    skipped: list[str] = field(default_factory=list)  # what was not written, and why

    @property
    def changed(self) -> bool:
        return self.new != self.original

    def diff(self) -> str:
        """The header changes as a unified diff, one section per changed HDU."""
        out: list[str] = []
        for h in self.hdus:
            if h.before == h.after:
                continue
            out += difflib.unified_diff(
                [c.rstrip() for c in h.before],
                [c.rstrip() for c in h.after],
                fromfile=f"a/{self.path} [HDU {h.index}]",
                tofile=f"b/{self.path} [HDU {h.index}]",
                lineterm="",
                n=1,
            )
        return "\n".join(out) + ("\n" if out else "")


def _stand_ins(metadata: dict[str, Any]) -> set[tuple]:
    from hlsp.placeholders import problems

    return {p.path for p in problems(metadata)}


def keywords_from_metadata(metadata: dict[str, Any], filename: str, skipped: list[str] | None = None) -> dict[str, str]:
    """The primary-header keywords the metadata determines for one file (stand-ins left out)."""
    stand_ins = _stand_ins(metadata)

    def text(key: str) -> str | None:
        v = metadata.get(key)
        return v if isinstance(v, str) and v else None

    out: dict[str, str] = {}
    for kw, key in (("HLSPID", "proj_id"), ("HLSPVER", "version"), ("HLSPNAME", "title")):
        if text(key) and (key,) in stand_ins:
            if skipped is not None:
                skipped.append(f"{kw} not written: hlsp.yaml's {key} is still a stand-in")
        elif text(key):
            out[kw] = text(key)
    lead = metadata.get("lead")
    if isinstance(lead, dict) and isinstance(lead.get("name"), str):
        if ("lead", "name") in stand_ins:
            if skipped is not None:
                skipped.append("HLSPLEAD not written: hlsp.yaml's lead.name is still a stand-in")
        else:
            out["HLSPLEAD"] = lead["name"]
    if text("doi") and text("doi") != "pending":
        out["DOI"] = text("doi")
    if text("license"):
        out["LICENSE"] = text("license")
        out["LICENURL"] = text("license_url") or LICENSE_URL
    target = parse_name(filename).get("target")
    targets = metadata.get("targets")
    if not target and isinstance(targets, list) and len(targets) == 1 and isinstance(targets[0], dict):
        target = targets[0].get("name") if isinstance(targets[0].get("name"), str) else None
    if target:
        out["HLSPTARG"] = target
    return out


def _first_reference(metadata: dict[str, Any]) -> str | None:
    refs = metadata.get("references")
    if ("references", 0) in _stand_ins(metadata):
        return None
    return refs[0] if isinstance(refs, list) and refs and isinstance(refs[0], str) else None


def _doi_pending(metadata: dict[str, Any] | None) -> bool:
    return bool(metadata) and str(metadata.get("doi", "")).strip().lower() == "pending"


def _remove(cards: list[str], keyword: str) -> bool:
    index = next((i for i, c in enumerate(cards) if c[:8].rstrip() == keyword), None)
    if index is None:
        return False
    del cards[index : index + _card_span(cards, index)]
    return True


def _profile_of(filename: str):
    from hlsp.profiles import load_profile, load_vocabulary

    name = parse_name(filename)
    ptype = name.product_type if name.fields else None
    profile = load_vocabulary().profile_for(ptype) if ptype else None
    return load_profile(profile) if profile else None


def _has_value(fits, keyword: str) -> bool:
    for hdu in fits.hdus:
        card = hdu.header.card(keyword)
        if (
            card is not None
            and card.vtype not in ("undefined", "invalid")
            and not (card.vtype == "str" and not card.value.strip())
        ):
            return True
    return False


def derived_keywords(fits, filename: str, metadata: dict[str, Any] | None) -> list:
    """:class:`hlsp.derive.Derived` values for the profile keywords the file lacks (primary header)."""
    from hlsp.derive import derive

    profile = _profile_of(filename)
    wanted: list[tuple[str, ...]] = []  # each: the keyword and its alternatives, any of which will do
    if profile is not None:
        for spec in profile.keywords:
            if spec.level in ("required", "recommended") and spec.hdu in ("primary", "any"):
                names = (spec.name, *spec.alternatives)
                if not any(_has_value(fits, n) for n in names) and names not in wanted:
                    wanted.append(names)
    extra = (metadata or {}).get("keywords")
    if isinstance(extra, dict):
        wanted += [(str(k),) for k in extra if not _has_value(fits, str(k)) and (str(k),) not in wanted]
    headers = [(h.index, h.header) for h in fits.hdus[:8]]
    out, added = [], set()
    for names in wanted:
        if names[0] in _METADATA_KEYWORDS:
            continue  # written from hlsp.yaml above
        for kw in names:
            d = derive(kw, headers, filename, metadata)
            if d is not None and kw not in added:
                out.append(d)
                added.add(kw)
                break
    return out


_METADATA_KEYWORDS = frozenset(
    {"HLSPID", "HLSPVER", "HLSPNAME", "HLSPLEAD", "DOI", "LICENSE", "LICENURL", "HLSPTARG", "REFERENC"}
)


def _card_span(cards: list[str], i: int) -> int:
    """Number of cards the keyword at ``i`` occupies (itself + CONTINUE cards)."""
    n = 1
    while i + n < len(cards) and cards[i + n][:8].rstrip() == "CONTINUE" and cards[i + n - 1].rstrip().endswith("&'"):
        n += 1
    return n


def _value(cards: list[str], i: int) -> tuple[Any, str]:
    """(value with CONTINUE parts joined, comment) of the card at ``i``."""
    first = parse_card(i + 1, cards[i])
    value = first.value
    if first.vtype == "str":
        parts = [value]
        for j in range(1, _card_span(cards, i)):
            parts[-1] = parts[-1][:-1]
            nxt = parse_card(i + j + 1, cards[i + j])
            parts.append(nxt.value if nxt.vtype == "str" else "")
        value = "".join(parts)
    return value, first.comment


def _set(cards: list[str], keyword: str, value: Any, only_if_missing: bool = False) -> None:
    index = next((i for i, c in enumerate(cards) if c[:8].rstrip() == keyword), None)
    if index is not None:
        if only_if_missing:
            return
        current, comment = _value(cards, index)
        if current == value and type(current) is type(value):
            return
        cards[index : index + _card_span(cards, index)] = format_card(keyword, value, comment)
        return
    at = next((i for i, c in enumerate(cards) if c[:8].rstrip() in ("CHECKSUM", "DATASUM")), len(cards))
    cards[at:at] = format_card(keyword, value)


def _normalise_dates(cards: list[str]) -> None:
    for i, raw in enumerate(cards):
        keyword = raw[:8].rstrip()
        if not keyword.startswith("DATE"):
            continue
        card = parse_card(i + 1, raw)
        if card.vtype != "str":
            continue
        valid, problem = parse_date(card.value)
        if valid and problem:
            fixed = card.value.strip().rstrip("Z").replace(" ", "T")
            cards[i : i + 1] = format_card(keyword, fixed, card.comment)


def _ensure_longstrn(cards: list[str]) -> None:
    uses_continue = any(c[:8].rstrip() == "CONTINUE" for c in cards)
    if uses_continue and not any(c[:8].rstrip() == "LONGSTRN" for c in cards):
        _set(cards, "LONGSTRN", "OGIP 1.0")


def plan_fix(path: str | os.PathLike, metadata: dict[str, Any] | None = None) -> FixPlan:
    """Work out the fixed bytes of one FITS file.  Raises :class:`HlspError` when it cannot."""
    path = os.fspath(path)
    try:
        fits = read_fits(path)
        with open(path, "rb") as fh:
            original = fh.read()
    except OSError as exc:
        raise HlspError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if fits.compression:
        raise HlspError(f"{path}: {fits.compression}-compressed; decompress it, fix it, compress it again")
    broken = [i.message for i in fits.issues if i.code in _STRUCTURAL]
    if broken or not fits.hdus:
        raise HlspError(f"{path}: not repairable by hlsp fix ({broken[0] if broken else 'no HDU'})")
    plan = FixPlan(path, original=original)
    parts: list[bytes] = []
    for hdu in fits.hdus:
        header = original[hdu.offset : hdu.offset + hdu.header_size]
        n_cards = len(hdu.header.cards)
        before = [header[k * CARD : (k + 1) * CARD].decode("latin-1") for k in range(n_cards)]
        before = [c for c in before if c[:8].rstrip() != "END"]
        after = list(before)
        try:
            if hdu.index == 0 and metadata:
                for keyword, value in keywords_from_metadata(metadata, os.path.basename(path), plan.skipped).items():
                    _set(after, keyword, value)
                reference = _first_reference(metadata)
                if reference:
                    _set(after, "REFERENC", reference, only_if_missing=True)
                if _doi_pending(metadata):
                    doi = hdu.header.card("DOI")
                    if doi is not None and not (doi.vtype == "str" and doi.value.strip().startswith("10.")):
                        if _remove(after, "DOI"):
                            plan.skipped.append(
                                "DOI card removed: hlsp.yaml says `doi: pending` (no DOI card until the archive mints it)"
                            )
            if hdu.index == 0:
                for d in derived_keywords(fits, os.path.basename(path), metadata):
                    _set(after, d.keyword, d.value)
                    plan.sources.append((0, d.keyword, d.value, d.source))
            _normalise_dates(after)
            _ensure_longstrn(after)
        except CardError as exc:
            raise HlspError(f"{path}: HDU {hdu.index}: {exc}") from None
        start = hdu.offset + hdu.header_size
        data = original[start : start + hdu.padded_data_size]
        after = sealed_cards(after, data)
        plan.hdus.append(HduChange(hdu.index, before, after))
        parts.append(header_bytes(after) + data)
    end = fits.hdus[-1].offset + fits.hdus[-1].header_size + fits.hdus[-1].padded_data_size
    plan.new = b"".join(parts) + original[end:]  # bytes after the last HDU (if any) are kept as they are
    return plan


def apply_fix(plan: FixPlan) -> bool:
    """Write the plan's bytes over the file atomically; False when nothing changes."""
    if not plan.changed:
        return False
    with atomic_open(plan.path, "wb") as fh:
        fh.write(plan.new)
    return True
