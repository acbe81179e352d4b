"""Load the rule sets held as data in ``validators/``.

``validators/profiles/<name>.yaml`` are the keyword profiles per product type,
``validators/vocab/*.yaml`` the vocabularies.  They are read once per process.
Point ``HLSP_VALIDATORS`` at another folder to use an archive's own copy.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hlsp.errors import HlspError

LEVELS = ("required", "recommended", "suggested")


def validators_dir() -> Path:
    env = os.environ.get("HLSP_VALIDATORS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "validators", here / "_validators"):
        if candidate.is_dir():
            return candidate
    raise HlspError(f"cannot find the validators folder next to {here}; set HLSP_VALIDATORS")


def _load_yaml(path: Path) -> Any:
    import yaml  # ~13 ms: only when the data are read, not for validators_dir() (the cache)

    try:
        with open(path, "rb") as fh:
            return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except OSError as exc:
        raise HlspError(f"{path}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise HlspError(f"{path}: not valid YAML: {exc}") from None


@dataclass(frozen=True, slots=True)
class KeywordSpec:
    name: str
    hdu: str = "primary"  # primary | science | any
    level: str = "required"
    type: str | None = None  # string | number | int | bool | date
    value: Any = None
    alternatives: tuple[str, ...] = ()
    only: str | None = None  # image | table: applies only when the science HDU is of this kind
    profile: str = "common"
    source: str = ""


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    name: str
    level: str = "required"
    format: str | None = None  # first letter of TFORM code (D, E, A, J ...)


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    keywords: tuple[KeywordSpec, ...] = ()
    columns: tuple[ColumnSpec, ...] = ()


@dataclass(slots=True)
class Vocabulary:
    max_name_length: int
    field_lengths: dict[str, int]
    extensions: frozenset[str]
    product_types: frozenset[str]
    observatories: dict[str, dict]  # observatory -> {instrument -> set(filters)}
    aliases: dict[str, str] = field(default_factory=dict)
    profile_of_type: dict[str, str] = field(default_factory=dict)

    def profile_for(self, product_type: str | None) -> str | None:
        if not product_type:
            return None
        for part in product_type.split("-"):
            if part in self.profile_of_type:
                return self.profile_of_type[part]
        return None


def _keyword_specs(data: dict, profile: str) -> tuple[KeywordSpec, ...]:
    out = []
    for i, kw in enumerate(data.get("keywords") or []):
        if not isinstance(kw, dict) or "name" not in kw:
            raise HlspError(f"profile {profile}: keyword entry {i + 1} has no name")
        level = kw.get("level", "required")
        if level not in LEVELS:
            raise HlspError(f"profile {profile}: keyword {kw['name']}: level must be one of {', '.join(LEVELS)}")
        out.append(
            KeywordSpec(
                name=str(kw["name"]).upper(),
                hdu=kw.get("hdu", "primary"),
                level=level,
                type=kw.get("type"),
                value=kw.get("value"),
                alternatives=tuple(kw.get("alternatives") or ()),
                only=kw.get("only"),
                profile=profile,
                source=data.get("source", ""),
            )
        )
    return tuple(out)


@functools.lru_cache(maxsize=None)
def load_profile(name: str | None) -> Profile:
    """The common profile merged with the named one (a later entry wins by name)."""
    base = validators_dir() / "profiles"
    common = _load_yaml(base / "common.yaml") or {}
    specs = {s.name: s for s in _keyword_specs(common, "common")}
    columns: tuple[ColumnSpec, ...] = ()
    if name:
        path = base / f"{name}.yaml"
        if not path.is_file():
            raise HlspError(f"no keyword profile {name!r} in {base}")
        data = _load_yaml(path) or {}
        for s in _keyword_specs(data, name):
            specs[s.name] = s
        columns = tuple(
            ColumnSpec(str(c["name"]), c.get("level", "required"), c.get("format")) for c in data.get("columns") or []
        )
    return Profile(name or "common", tuple(specs.values()), columns)


@functools.lru_cache(maxsize=None)
def load_vocabulary() -> Vocabulary:
    base = validators_dir() / "vocab"
    fn = _load_yaml(base / "filename.yaml") or {}
    oif = _load_yaml(base / "observatories.yaml") or {}
    types = _load_yaml(base / "product-types.yaml") or {}
    observatories: dict[str, dict] = {}
    aliases: dict[str, str] = {}
    for obs, spec in oif.items():
        obs = str(obs).lower()
        spec = spec or {}
        instruments = {}
        for inst, ispec in (spec.get("instruments") or {}).items():
            filters = (ispec or {}).get("filters") or []
            instruments[str(inst).lower()] = frozenset(str(f).lower() for f in filters)
        observatories[obs] = instruments
        for a in spec.get("aliases") or []:
            aliases[str(a).lower()] = obs
    profile_of_type = {}
    for profile, listed in types.items():
        for t in listed or []:
            profile_of_type[str(t)] = str(profile)
    return Vocabulary(
        max_name_length=int(fn.get("max_name_length", 90)),
        field_lengths={k: int(v) for k, v in (fn.get("field_lengths") or {}).items()},
        extensions=frozenset(str(e) for e in fn.get("extensions") or []),
        product_types=frozenset(str(t) for t in fn.get("product_types") or []),
        observatories=observatories,
        aliases=aliases,
        profile_of_type=profile_of_type,
    )
