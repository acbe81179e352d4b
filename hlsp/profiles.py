"""Load the rule sets held as data in ``validators/``.

``validators/profiles/<name>.yaml`` are the keyword profiles per product type,
``validators/vocab/*.yaml`` the vocabularies.  They are read once per process.
Point ``HLSP_VALIDATORS`` at another folder to use an archive's own copy.
"""

from __future__ import annotations

import functools
import os

from hlsp.cachedir import RACY_SECONDS, default_folder
from hlsp.errors import HlspError
from hlsp.record import Record

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import; pathlib, with urllib, ~3 ms)
    from pathlib import Path
    from typing import Any

LEVELS = ("required", "recommended", "suggested")


def validators_dir() -> Path:
    """The rule data: ``$HLSP_VALIDATORS``, else the package's own copy.

    An installed package (wheel, ``pip install hlsp``) holds it as
    ``hlsp/validators``; in a source checkout (editable install, or the
    repository on ``sys.path``) it is the top-level ``validators/`` beside
    ``hlsp/`` (pyproject.toml maps the one to the other).
    """
    from pathlib import Path

    return Path(validators_folder())


def validators_folder() -> str:
    """:func:`validators_dir` as a string, for what every ``hlsp validate`` loads at its start."""
    env = os.environ.get("HLSP_VALIDATORS")
    if env:
        return env
    here = os.path.dirname(os.path.realpath(__file__))
    for candidate in (os.path.join(here, "validators"), os.path.join(os.path.dirname(here), "validators")):
        if os.path.isdir(os.path.join(candidate, "profiles")):
            return candidate
    raise HlspError(f"cannot find the validators folder in or next to {here}; reinstall hlsp or set HLSP_VALIDATORS")


def _load_yaml(path: str | Path) -> Any:
    """The content of a validators YAML file, from its parsed copy when that is current."""
    where = _copy_path(path)  # stamped before the file is read
    data = _parsed_copy(path, where)
    if data is _MISSING:
        data = _parse_yaml(path)
        _keep_parsed_copy(path, data, where)
    return data


def _parse_yaml(path: str | Path) -> Any:
    import yaml  # ~20 ms to import, ~8 ms to parse all validators: see _parsed_copy

    try:
        with open(path, "rb") as fh:
            return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except OSError as exc:
        raise HlspError(f"{path}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise HlspError(f"{path}: not valid YAML: {exc}") from None


# Parsed copies of the validators files.  Importing yaml and parsing the
# profiles and vocabularies costs ~30 ms, a quarter of a one-file run (and the
# pre-commit hook runs on every commit); reading the same data as JSON costs
# ~3 ms.  Like Python's __pycache__, a copy is keyed by its source's stat stamp
# (device, inode, size, mtime_ns, ctime_ns: any write changes ctime) and only
# written for a file older than RACY_SECONDS, so an edit made within one
# timestamp tick of the copy cannot hide.  They live in the cache folder
# (hlsp.cachedir.default_dir(), under validators/); --no-cache is about results
# and does not bypass them.  Any failure to read or write a copy just means
# parsing the YAML.
_MISSING = object()


def _copy_path(path: str | Path) -> tuple[str, list[int]] | None:
    """(where the parsed copy of ``path`` lives, ``path``'s stat stamp), or None
    when ``path`` cannot be stat'ed."""
    import zlib  # (not hashlib, ~4 ms to import: the copy names its source, checked on reading)

    try:
        source = os.path.realpath(path)
        st = os.stat(source)
    except OSError:
        return None
    key = os.fsencode(source)
    name = f"{zlib.crc32(key):08x}{zlib.adler32(key):08x}.json"
    return os.path.join(default_folder(), "validators", name), [
        st.st_dev,
        st.st_ino,
        st.st_size,
        st.st_mtime_ns,
        st.st_ctime_ns,
    ]


def _parsed_copy(path: str | Path, where: tuple[str, list[int]] | None) -> Any:
    import json

    if where is None:
        return _MISSING
    copy, stamp = where
    try:
        with open(copy, encoding="utf-8") as fh:
            stored = json.load(fh)
        if stored["source"] == os.path.realpath(path) and stored["stamp"] == stamp:
            return stored["data"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return _MISSING


def _keep_parsed_copy(path: str | Path, data: Any, where: tuple[str, list[int]] | None) -> None:
    """Store ``data`` under the stamp taken before it was parsed, if the file still has it."""
    import json
    import time

    if where is None or _copy_path(path) != where:  # (replaced while it was parsed: keep nothing)
        return
    copy, stamp = where
    if max(stamp[3], stamp[4]) >= time.time_ns() - int(RACY_SECONDS * 1e9):
        return  # changed moments ago: it could change again within the same tick
    try:
        text = json.dumps({"source": os.path.realpath(path), "stamp": stamp, "data": data})
        if json.loads(text)["data"] != data:  # (int keys, tuples ...: JSON would change the data)
            return
    except (TypeError, ValueError):  # (dates ...: not JSON)
        return
    from hlsp.atomic import atomic_open

    try:
        os.makedirs(os.path.dirname(copy), exist_ok=True)
        with atomic_open(copy) as fh:
            fh.write(text)
    except OSError:
        pass  # a read-only cache folder: parse the YAML next time too


class KeywordSpec(Record):
    """One keyword of a profile (immutable, compared by value)."""

    __slots__ = ("name", "hdu", "level", "type", "value", "alternatives", "only", "profile", "source")

    def __init__(
        self,
        name: str,
        hdu: str = "primary",  # primary | science | any
        level: str = "required",
        type: str | None = None,  # string | number | int | bool | date
        value: Any = None,
        alternatives: tuple[str, ...] = (),
        only: str | None = None,  # image | table: applies only when the science HDU is of this kind
        profile: str = "common",
        source: str = "",
    ):
        set_ = object.__setattr__  # (frozen: __setattr__ refuses)
        set_(self, "name", name)
        set_(self, "hdu", hdu)
        set_(self, "level", level)
        set_(self, "type", type)
        set_(self, "value", value)
        set_(self, "alternatives", alternatives)
        set_(self, "only", only)
        set_(self, "profile", profile)
        set_(self, "source", source)


class ColumnSpec(Record):
    """One table column of a profile (immutable, compared by value)."""

    __slots__ = ("name", "level", "format")

    def __init__(self, name: str, level: str = "required", format: str | None = None):
        set_ = object.__setattr__  # (frozen: __setattr__ refuses)
        set_(self, "name", name)
        set_(self, "level", level)
        set_(self, "format", format)  # first letter of TFORM code (D, E, A, J ...)


class Profile(Record):
    """A keyword profile: the keywords and columns a product type must have (immutable, compared by value)."""

    __slots__ = ("name", "keywords", "columns")

    def __init__(self, name: str, keywords: tuple[KeywordSpec, ...] = (), columns: tuple[ColumnSpec, ...] = ()):
        set_ = object.__setattr__  # (frozen: __setattr__ refuses)
        set_(self, "name", name)
        set_(self, "keywords", keywords)
        set_(self, "columns", columns)


class VocabIndex(Record):
    """Flat look-up sets of a :class:`Vocabulary` (built with it; immutable)."""

    __slots__ = ("observatories", "instruments", "filters", "product_types")

    def __init__(
        self,
        observatories: frozenset[str],  # names and aliases
        instruments: frozenset[str],
        filters: frozenset[str],
        product_types: frozenset[str],
    ):
        set_ = object.__setattr__  # (frozen: __setattr__ refuses)
        set_(self, "observatories", observatories)
        set_(self, "instruments", instruments)
        set_(self, "filters", filters)
        set_(self, "product_types", product_types)


class Vocabulary:
    """The vocabularies (file names, observatories, instruments, filters, product types)."""

    __slots__ = (
        "max_name_length",
        "field_lengths",
        "extensions",
        "product_types",
        "observatories",
        "aliases",
        "profile_of_type",
        "index",
    )

    def __init__(
        self,
        max_name_length: int,
        field_lengths: dict[str, int],
        extensions: frozenset[str],
        product_types: frozenset[str],
        observatories: dict[str, dict],  # observatory -> {instrument -> set(filters)}
        aliases: dict[str, str] | None = None,
        profile_of_type: dict[str, str] | None = None,
        index: VocabIndex | None = None,  # flat look-up sets, filled by load_vocabulary
    ):
        self.max_name_length = max_name_length
        self.field_lengths = field_lengths
        self.extensions = extensions
        self.product_types = product_types
        self.observatories = observatories
        self.aliases = {} if aliases is None else aliases
        self.profile_of_type = {} if profile_of_type is None else profile_of_type
        self.index = index

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in Vocabulary.__slots__)

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
    base = os.path.join(validators_folder(), "profiles")
    common = _load_yaml(os.path.join(base, "common.yaml")) or {}
    specs = {s.name: s for s in _keyword_specs(common, "common")}
    columns: tuple[ColumnSpec, ...] = ()
    if name:
        path = os.path.join(base, f"{name}.yaml")
        if not os.path.isfile(path):
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
    base = os.path.join(validators_folder(), "vocab")
    fn = _load_yaml(os.path.join(base, "filename.yaml")) or {}
    oif = _load_yaml(os.path.join(base, "observatories.yaml")) or {}
    types = _load_yaml(os.path.join(base, "product-types.yaml")) or {}
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
    instruments: set[str] = set()
    filters: set[str] = set()
    for insts in observatories.values():
        instruments.update(insts)
        for f in insts.values():
            filters.update(f)
    product_types = frozenset(str(t) for t in fn.get("product_types") or [])
    index = VocabIndex(
        frozenset(observatories) | frozenset(aliases), frozenset(instruments), frozenset(filters), product_types
    )
    return Vocabulary(
        index=index,
        max_name_length=int(fn.get("max_name_length", 90)),
        field_lengths={k: int(v) for k, v in (fn.get("field_lengths") or {}).items()},
        extensions=frozenset(str(e) for e in fn.get("extensions") or []),
        product_types=product_types,
        observatories=observatories,
        aliases=aliases,
        profile_of_type=profile_of_type,
    )
