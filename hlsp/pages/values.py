"""Metadata values as display text: coerced defensively, never a crash.

Everything taken from ``hlsp.yaml`` is contributor text.  Contexts hold plain
strings; the templates autoescape them; links are made only from what
:mod:`hlsp.pages.safe` accepts.  Metadata is loaded without the schema check
(``hlsp validate`` is the gate), so every value is coerced defensively here:
a field of the wrong type shows up as text, never as a crash.
"""

from __future__ import annotations

import re
from typing import Any

from hlsp.pages import safe


def text(value: Any) -> str:
    """Any metadata value as display text ("" for missing)."""
    if value is None:
        return ""
    return safe.clean_text(value if isinstance(value, str) else str(value))


def texts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [text(v) for v in value if v is not None]
    return [text(value)] if value not in (None, "") else []


def number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def filesize(n: Any) -> str:
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        return "unknown"
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{n} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover -- loop always returns


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


# ------------------------------------------------------------------- contexts
def people(meta: dict) -> list[dict]:
    """The lead, then the team (lead not repeated), as display records."""
    out = []
    lead = _dict(meta.get("lead"))
    team = meta.get("team") if isinstance(meta.get("team"), list) else []
    for i, person in enumerate([lead] + [_dict(p) for p in team]):
        name = text(person.get("name"))
        if not name or (i > 0 and name == text(lead.get("name"))):
            continue
        out.append(
            {
                "name": name,
                "email": text(person.get("email")),
                "affiliation": text(person.get("affiliation")),
                "orcid": text(person.get("orcid")),
                "orcid_url": safe.orcid_url(person.get("orcid")),
                "lead": i == 0,
            }
        )
    return out


def targets(meta: dict) -> list[dict]:
    out = []
    for t in meta.get("targets") if isinstance(meta.get("targets"), list) else []:
        t = _dict(t)
        name = text(t.get("name"))
        if name:
            out.append({"name": name, "ra": number(t.get("ra")), "dec": number(t.get("dec"))})
    return out


def year_of(meta: dict) -> str:
    m = re.match(r"\d{4}", text(meta.get("release_date")))
    return m.group() if m else ""
