"""``hlsp init``: write the skeleton of a new contribution folder.

The skeleton -- a commented ``hlsp.yaml``, a README with every required
section, an empty manifest -- comes from ``templates/contribution/``.  Its
stand-in values (title, lead, ORCID iD, bibcode, the example observatory ...)
come from ``validators/vocab/placeholders.yaml``, the same list rule MD006
checks: each one left is an error naming its field, so nothing of the
skeleton can be published by mistake.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import jinja2

from hlsp.atomic import atomic_open
from hlsp.contribution import METADATA_FILE, README_FILE
from hlsp.errors import HlspError
from hlsp.names import PROJ_ID_RE
from hlsp.placeholders import load_placeholders

_HERE = Path(__file__).resolve().parent
# inside the installed package (hlsp/templates), else the source checkout's templates/
TEMPLATES = next(
    (d for d in (_HERE / "templates" / "contribution", _HERE.parent / "templates" / "contribution") if d.is_dir()),
    _HERE.parent / "templates" / "contribution",
)
MAX_PROJ_ID = 20


def init_contribution(
    proj_id: str, parent: str | os.PathLike = "contributions", today: datetime.date | None = None
) -> Path:
    """Create ``<parent>/<proj_id>/`` with hlsp.yaml and README.md; return the folder."""
    if not PROJ_ID_RE.match(proj_id) or len(proj_id) > MAX_PROJ_ID:
        raise HlspError(
            f"{proj_id!r} is not a valid proj-id: lowercase letters, digits and '-', starting with a letter, "
            f"not ending with '-', at most {MAX_PROJ_ID} characters"
        )
    folder = Path(parent) / proj_id
    if folder.exists() and any(folder.iterdir()):
        raise HlspError(f"{folder} already exists and is not empty; nothing was written")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES), keep_trailing_newline=True, undefined=jinja2.StrictUndefined
    )
    values = {
        "proj_id": proj_id,
        "folder": folder.as_posix(),
        "today": (today or datetime.date.today()).isoformat(),
        "ph": load_placeholders().skeleton_values(proj_id),
    }
    folder.mkdir(parents=True, exist_ok=True)
    for name in (METADATA_FILE, README_FILE):
        with atomic_open(folder / name) as fh:
            fh.write(env.get_template(name + ".j2").render(values))
    return folder
