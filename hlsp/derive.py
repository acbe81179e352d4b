"""Values a product's missing keywords can take, and where they come from.

``hlsp fix`` adds them; KW001-KW003 say in their hint when it can.  The
sources, in order:

1. an equivalent keyword the file already holds (``RA_OBJ`` -> ``RA_TARG``,
   ``TELESCOP`` -> ``OBSERVAT``, ``CCD`` -> ``DETECTOR`` ...): the table is
   data, ``validators/vocab/keyword-sources.yaml``;
2. ``hlsp.yaml``: the HLSP keywords (``HLSPID`` ... ``REFERENC``), the
   ``ra``/``dec`` of the ``targets`` entry named like the file's target, and
   the ``keywords:`` mapping for anything only the team knows (``APERTURE``);
3. the file name (``TELESCOP`` from the observatory field, ``FILTER`` from
   the opt-elem field ...), for single values (not ``multi`` or ``a-b``).

Nothing is invented: a keyword with none of these sources stays missing and
its finding says what to write.
"""

from __future__ import annotations

import functools
import os

from hlsp.names import parse_name
from hlsp.profiles import _load_yaml, validators_folder
from hlsp.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from typing import Any, Iterable, Mapping

FILE = "keyword-sources.yaml"


class Derived(Record):
    """A value for a missing keyword, and where it comes from (immutable, compared by value)."""

    __slots__ = ("keyword", "value", "source")

    def __init__(self, keyword: str, value: Any, source: str):
        set_ = object.__setattr__  # (frozen: __setattr__ refuses)
        set_(self, "keyword", keyword)
        set_(self, "value", value)
        # "RA_OBJ in HDU 0", "hlsp.yaml targets[1].ra", "the file name's observatory field"
        set_(self, "source", source)


class Sources:
    """The parsed ``keyword-sources.yaml`` (loaded once; compared by identity)."""

    __slots__ = ("equivalents", "file_name", "metadata")

    def __init__(
        self,
        equivalents: dict[str, tuple[dict, ...]],  # keyword -> ({"from": [...], "format": str|None}, ...)
        file_name: dict[str, str],
        metadata: frozenset[str],
    ):
        self.equivalents = equivalents
        self.file_name = file_name
        self.metadata = metadata


@functools.lru_cache(maxsize=1)
def load_sources() -> Sources:
    data = _load_yaml(os.path.join(validators_folder(), "vocab", FILE)) or {}
    eq: dict[str, tuple[dict, ...]] = {}
    for kw, entries in (data.get("equivalents") or {}).items():
        out = []
        for e in entries or ():
            if isinstance(e, str):
                out.append({"from": [e], "format": None})
            elif isinstance(e, dict):
                out.append({"from": list(e.get("from") or ()), "format": e.get("format")})
        eq[str(kw)] = tuple(out)
    return Sources(
        eq, {str(k): str(v) for k, v in (data.get("file_name") or {}).items()}, frozenset(data.get("metadata") or ())
    )


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def from_keywords(keyword: str, headers: Iterable[tuple[int, Mapping[str, Any]]]) -> Derived | None:
    """The value of ``keyword`` from an equivalent keyword in ``headers`` ((HDU index, values) pairs)."""
    headers = list(headers)
    for entry in load_sources().equivalents.get(keyword, ()):
        for index, values in headers:
            got = {k: values.get(k) for k in entry["from"]}
            if not entry["from"] or not all(_present(v) for v in got.values()):
                continue
            names = ", ".join(entry["from"])
            if entry["format"]:
                fmt_values = {k: (v.strip() if isinstance(v, str) else v) for k, v in got.items()}
                try:
                    from string import Formatter  # (only for the sources that give a format)

                    value = Formatter().vformat(entry["format"], (), fmt_values)
                except (KeyError, IndexError, ValueError):
                    continue
            else:
                value = got[entry["from"][0]]
                value = value.strip() if isinstance(value, str) else value
            return Derived(keyword, value, f"{names} in HDU {index}")
    return None


def from_file_name(keyword: str, filename: str) -> Derived | None:
    field = load_sources().file_name.get(keyword)
    name = parse_name(filename)
    value = name.get(field) if field and name.fields else None
    if not value or value == "multi" or "-" in value:
        return None
    return Derived(keyword, value.upper(), f"the file name's {field.replace('_', '-')} field")


def target_entry(metadata: Mapping[str, Any] | None, filename: str) -> tuple[int, dict] | None:
    """(index, entry) of hlsp.yaml's target named like the file's target field (or the only target)."""
    if not metadata:
        return None
    targets = [t for t in (metadata.get("targets") or []) if isinstance(t, dict)]
    name = parse_name(filename).get("target") if parse_name(filename).fields else None
    for i, t in enumerate(metadata.get("targets") or []):
        if isinstance(t, dict) and name and str(t.get("name", "")).lower() == name.lower():
            return i, t
    if len(targets) == 1 and not name:
        return 0, targets[0]
    return None


def from_metadata(keyword: str, metadata: Mapping[str, Any] | None, filename: str) -> Derived | None:
    """RA_TARG/DEC_TARG from the file's target in hlsp.yaml, anything else from ``keywords:``."""
    if not metadata:
        return None
    if keyword in ("RA_TARG", "DEC_TARG"):
        hit = target_entry(metadata, filename)
        if hit:
            i, t = hit
            key = "ra" if keyword == "RA_TARG" else "dec"
            value = t.get(key)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return Derived(keyword, float(value), f"hlsp.yaml targets[{i + 1}].{key}")
    extra = metadata.get("keywords")
    if isinstance(extra, dict) and _present(extra.get(keyword)) and isinstance(extra[keyword], (str, int, float, bool)):
        return Derived(keyword, extra[keyword], f"hlsp.yaml keywords.{keyword}")
    return None


def derive(
    keyword: str,
    headers: Iterable[tuple[int, Mapping[str, Any]]],
    filename: str,
    metadata: Mapping[str, Any] | None = None,
) -> Derived | None:
    """The value ``hlsp fix`` gives a missing ``keyword``, with its source; None when it has none."""
    return (
        from_keywords(keyword, headers)
        or from_metadata(keyword, metadata, filename)
        or from_file_name(keyword, filename)
    )


def fix_can_add(
    keyword: str, headers: Iterable[tuple[int, Mapping[str, Any]]], filename: str, metadata=None
) -> str | None:
    """Where ``hlsp fix`` would take ``keyword`` from (for hints), or None."""
    if keyword in load_sources().metadata:
        return "hlsp.yaml"
    d = derive(keyword, headers, filename, metadata)
    return d.source if d else None
