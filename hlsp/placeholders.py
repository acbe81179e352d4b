"""Stand-in values: what ``hlsp init`` writes, and well-known example values.

The list is data, ``validators/vocab/placeholders.yaml``, shared by the
skeleton (:mod:`hlsp.skeleton` renders ``templates/contribution/`` with its
``skeleton`` values) and by rule MD006, which reports every one still present
in ``hlsp.yaml`` or ``README.md`` (:func:`problems`).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Iterator

from hlsp.profiles import _load_yaml, validators_dir

FILE = "placeholders.yaml"


@dataclass(frozen=True, slots=True, eq=False)  # hashed by identity (loaded once)
class Placeholders:
    skeleton: dict[str, Any]
    examples: dict[str, tuple[str, ...]]
    phrases: tuple[str, ...]
    domains: tuple[str, ...]

    def skeleton_values(self, proj_id: str) -> dict[str, Any]:
        """The skeleton's values for a new collection (``{proj_id}`` filled in)."""
        return {k: v.replace("{proj_id}", proj_id) if isinstance(v, str) else v for k, v in self.skeleton.items()}

    def phrase_in(self, text: str) -> str | None:
        """The first stand-in phrase or example domain in ``text`` (as found), or None."""
        for pattern in _patterns(self):
            m = pattern.search(text)
            if m:
                return m.group(0)
        return None

    def is_example(self, kind: str, value: Any) -> bool:
        return isinstance(value, str) and value.strip().lower() in {v.lower() for v in self.examples.get(kind, ())}


@functools.lru_cache(maxsize=1)
def load_placeholders() -> Placeholders:
    data = _load_yaml(validators_dir() / "vocab" / FILE) or {}
    return Placeholders(
        skeleton=dict(data.get("skeleton") or {}),
        examples={k: tuple(str(x) for x in v) for k, v in (data.get("examples") or {}).items()},
        phrases=tuple(str(p) for p in data.get("phrases") or ()),
        domains=tuple(str(d) for d in data.get("domains") or ()),
    )


@functools.lru_cache(maxsize=4)
def _patterns(p: Placeholders) -> tuple[re.Pattern, ...]:
    out = [re.compile(r"(?<!\w)" + re.escape(ph) + (r"(?!\w)" if ph[-1:].isalnum() else ""), re.I) for ph in p.phrases]
    out += [
        re.compile(r"(?<![\w.-])(?:[\w.+-]+@|https?://(?:[\w-]+\.)*)" + re.escape(d) + r"(?![\w-])", re.I)
        for d in p.domains
    ]
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Problem:
    path: tuple  # where in hlsp.yaml (for the line), () for README
    field: str  # the field as the message names it
    value: str  # the stand-in found
    hint: str


def _texts(value: Any, path: tuple) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _texts(v, path + (i,))


def _field(path: tuple) -> str:
    out = ""
    for p in path:
        out += f"[{p + 1}]" if isinstance(p, int) else (("." if out else "") + str(p))
    return out


def problems(metadata: dict[str, Any], used: dict[str, set[str]] | None = None) -> list[Problem]:
    """Every stand-in left in the metadata, one per field.

    ``used`` maps ``observatories``/``instruments``/``filters``/``product_types``
    to the values the products' file names use: a skeleton default list is a
    stand-in only while no product uses its values.
    """
    p = load_placeholders()
    sk = p.skeleton_values(str(metadata.get("proj_id", "")))
    found: dict[tuple, Problem] = {}

    def add(path: tuple, value: Any, hint: str) -> None:
        found.setdefault(path, Problem(path, _field(path), str(value), hint))

    # exact skeleton values and example values
    if isinstance(metadata.get("title"), str) and metadata["title"].strip() == sk.get("title"):
        add(("title",), metadata["title"], "Write the collection's title (it becomes HLSPNAME in every header).")
    lead = metadata.get("lead") if isinstance(metadata.get("lead"), dict) else {}
    people = [(("lead",), lead)] + [
        (("team", i), m) for i, m in enumerate(metadata.get("team") or []) if isinstance(m, dict)
    ]
    for where, person in people:
        if p.is_example("people", person.get("name")):
            add(where + ("name",), person["name"], "Write the person's name as it should be cited.")
        if p.is_example("orcid", person.get("orcid")):
            add(
                where + ("orcid",),
                person["orcid"],
                "This is an example ORCID iD; write the person's own (https://orcid.org).",
            )
    for i, ref in enumerate(metadata.get("references") or []):
        if p.is_example("references", ref):
            add(("references", i), ref, "Write the bibcode or DOI of the paper that describes the collection.")
    for i, t in enumerate(metadata.get("targets") or []):
        if isinstance(t, dict) and p.is_example("targets", t.get("name")):
            add(
                ("targets", i, "name"),
                t["name"],
                "Write the target as in the file names (HLSPTARG), with its ICRS ra/dec.",
            )
    for key in ("observatories", "instruments", "filters", "product_types"):
        value = metadata.get(key)
        default = sk.get(key)
        if isinstance(value, list) and default and [str(v) for v in value] == [str(d) for d in default]:
            if used is None or not (set(map(str, value)) & used.get(key, set())):
                shown = ", ".join(map(str, value))
                names = sorted(used.get(key, ())) if used else []
                use = f"; the products' file names use: {', '.join(names)}" if names else ""
                add((key,), f"[{shown}]", f"[{shown}] is the skeleton's example{use}.")
    # stand-in phrases and example domains in any text
    for path, text in _texts(metadata, ()):
        if path and (path[0] == "products" or str(path[0]).startswith("x-")):
            continue  # the manifest is written by `hlsp manifest`; x- keys are private notes
        hit = p.phrase_in(text)
        if hit:
            add(path, text if len(text) < 60 else hit, f"'{hit}' is a stand-in: write the real value.")
    return sorted(found.values(), key=lambda x: [str(s) for s in x.path])


def readme_problems(text: str) -> list[tuple[int, str]]:
    """(line, stand-in found) for every README line that still holds one."""
    p = load_placeholders()
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        hit = p.phrase_in(line)
        if hit is None:
            for kind in ("orcid", "references"):
                for v in p.examples.get(kind, ()):
                    if v.lower() in line.lower():
                        hit = v
        if hit:
            out.append((n, hit))
    return out
