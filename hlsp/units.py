"""Unit strings for the rules: :func:`unit_problem` says why a string is not a
valid FITS unit (:mod:`hlsp.unit_grammar` decides), with the unit to write
instead when one is known.

Suggestions for common non-standard units (``ELECTRONS/S``, ``e-/s``,
``counts``, ``Angstroms``, ``erg/s/cm^2/A``) come from the table
``validators/vocab/units.yaml``, read only when a unit is wrong.
"""

from __future__ import annotations

import functools
import re

from hlsp.unit_grammar import SI_SCALE, UnitError, check, is_valid


@functools.lru_cache(maxsize=1024)
def unit_problem(text: str) -> str | None:
    """None when ``text`` is a valid FITS unit string, else why not, with a suggestion (one line)."""
    try:
        check(text)
    except UnitError as exc:
        reason = str(exc)
        hint = suggestion(text)
        if hint is None:
            return reason
        if hint == "":
            return f"{reason} A dimensionless quantity has no unit: leave the value empty ('')."
        return f"{reason} Did you mean {hint}?"
    return None


# --------------------------------------------------------------------- suggestions
_TABLE: dict[str, dict[str, str]] | None = None


def _table() -> dict[str, dict[str, str]]:
    """validators/vocab/units.yaml: whole strings and single names -> the FITS unit to write."""
    global _TABLE
    if _TABLE is None:
        import os

        from hlsp.profiles import _load_yaml, validators_folder

        data = _load_yaml(os.path.join(validators_folder(), "vocab", "units.yaml")) or {}
        whole = {str(k): str(v) for k, v in (data.get("strings") or {}).items()}
        names = {str(k): str(v) for k, v in (data.get("names") or {}).items()}
        _TABLE = {
            "strings": {k.lower(): v for k, v in whole.items()} | whole,
            "names": {k.lower(): v for k, v in names.items()} | names,
        }
    return _TABLE


_BY_LOWER: dict[str, list[str]] = {}
for _name in sorted(SI_SCALE):
    _BY_LOWER.setdefault(_name.lower(), []).append(_name)
_NAME_RUN = re.compile(r"[A-Za-z]+")


def suggestion(text: str) -> str | None:
    """The FITS unit to write instead of ``text`` (from the table, or a name that differs in case only)."""
    table = _table()
    key = text.strip()
    for k in (key, key.lower()):
        if k in table["strings"]:
            return table["strings"][k]
    replaced, changed = [], False
    parts = re.split(r"(\s*[/.*]\s*|\s+)", key)
    for part in parts:
        m = re.fullmatch(r"(?P<name>[^\d\s+\-./*^(),]+|e-)(?P<power>.*)", part)
        if not m or m["name"] in SI_SCALE:
            replaced.append(part)
            continue
        name = m["name"]
        new = table["names"].get(name) or table["names"].get(name.lower())
        if new is None:
            close = _BY_LOWER.get(name.lower()) or _BY_LOWER.get(name.lower().rstrip("s"))
            new = close[0] if close and len(close) == 1 else None
            if new is None and close:
                return " or ".join(close)
        if new is None:
            return None
        replaced.append(new + m["power"])
        changed = True
    if not changed:
        return None
    candidate = "".join(replaced)
    return candidate if is_valid(candidate) else None
