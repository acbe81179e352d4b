"""Helpers for the contribution tests (tests/test_collection*.py, tests/rules/test_md*.py, test_co*.py).

Every test starts from a copy of the real example collection
(``contributions/example``, which validates cleanly) and breaks one thing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from hlsp.collection_facts import build_context
from hlsp.judge import run_rules
from hlsp.engine import Options
from hlsp.findings import Finding
from hlsp.rules import get_rule

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "contributions" / "example"


def copy_example(tmp_path: Path, name: str = "example") -> Path:
    """A private copy of the example collection, as ``<tmp>/<name>``."""
    dest = tmp_path / name
    shutil.copytree(EXAMPLE, dest)
    return dest


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` (which must occur) by ``new`` in a text file."""
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count))


def findings(root: Path, *rule_ids: str, **options) -> list[Finding]:
    """The findings of the given collection rules on the folder ``root``."""
    ctx = build_context(root, Options(**options))
    return run_rules([get_rule(r) for r in rule_ids], ctx)


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of ``path`` containing ``needle``."""
    for i, line in enumerate(path.read_text().splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path}")
