"""What CO014 and CO015 compare: hlsp.yaml's lists against the products' names and headers."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from hlsp.placeholders import load_placeholders

if TYPE_CHECKING:
    from hlsp.fits import Header

Headers = list[tuple[int, "Header"]]  # (HDU index, header) of a product's first HDUs (ProductCheck.headers)
Metadata = dict[str, Any]  # hlsp.yaml as loaded

LISTS = {
    "observatories": "observatory",
    "instruments": "instrument",
    "filters": "opt_elem",
    "product_types": "product_type",
}
SINGULAR = {
    "observatories": "observatory",
    "instruments": "instrument",
    "filters": "filter",
    "product_types": "product type",
}


def listed(metadata: Metadata, key: str) -> list[str]:
    value = metadata.get(key)
    return [str(v).lower() for v in value] if isinstance(value, list) else []


def is_skeleton_default(metadata: Metadata, key: str) -> bool:
    """Is the list exactly what `hlsp init` writes (MD006 reports it)?"""
    default = load_placeholders().skeleton.get(key)
    return bool(default) and listed(metadata, key) == [str(d).lower() for d in default]


def name_values(fields: dict[str, str], key: str) -> list[str]:
    """The values a file name gives for a list of hlsp.yaml (``hst-fuse`` -> hst, fuse; ``multi`` -> none)."""
    value = fields.get(LISTS[key]) or ""
    if key == "product_types":
        return [value] if value else []
    return [v for v in value.split("-") if v and v != "multi"]


def target_matches(target: str, names: list[str]) -> bool:
    """A file's target is one of hlsp.yaml's targets, or a per-epoch/per-sector part of one (``star-s0007``)."""
    t = target.lower()
    return any(t == n or t.startswith(n + "-") for n in names)


def target_names(metadata: Metadata) -> list[str]:
    return [str(t["name"]).lower() for t in metadata.get("targets") or [] if isinstance(t, dict) and t.get("name")]


def header_value(headers: Headers, *keywords: str) -> tuple[Any, str] | None:
    """(value, "KEYWORD in HDU n") of the first of ``keywords`` with a value in ``headers``."""
    for kw in keywords:
        for index, header in headers:
            card = header.card(kw)
            if card is None or card.vtype in ("undefined", "invalid"):
                continue
            value = card.value
            if isinstance(value, str):
                value = value.strip()
                if not value:
                    continue
            return value, f"{kw} in HDU {index}"
    return None


def position(headers: Headers) -> tuple[float, float, str] | None:
    """(ra, dec, "RA_TARG/DEC_TARG in HDU n") from the headers, target keywords first."""
    for ra_kw, dec_kw in (("RA_TARG", "DEC_TARG"), ("RA_OBJ", "DEC_OBJ")):
        for index, header in headers:
            ra, dec = header.card(ra_kw), header.card(dec_kw)
            if ra is None or dec is None:
                continue
            if (
                isinstance(ra.value, (int, float))
                and isinstance(dec.value, (int, float))
                and not isinstance(ra.value, bool)
            ):
                if math.isfinite(ra.value) and math.isfinite(dec.value):
                    return float(ra.value), float(dec.value), f"{ra_kw}/{dec_kw} in HDU {index}"
    return None


def separation_deg(ra1: float, dec1: float, ra2: float, dec2: float) -> float:
    """Angle between two ICRS positions in degrees (haversine)."""
    r1, d1, r2, d2 = map(math.radians, (ra1, dec1, ra2, dec2))
    h = math.sin((d2 - d1) / 2) ** 2 + math.cos(d1) * math.cos(d2) * math.sin((r2 - r1) / 2) ** 2
    return math.degrees(2 * math.asin(min(1.0, math.sqrt(h))))


def normalise(value: str) -> str:
    """Header text as a file-name value: ``'TESS'`` -> ``tess``, ``'HST ACS'`` -> ``hst-acs``."""
    return "-".join(str(value).lower().split())


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
