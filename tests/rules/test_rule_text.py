"""Each rule's text is written once, in its module docstring, and rules hold no caches.

The summary is the docstring's first paragraph and the hint of its findings
the ``*How to fix:*`` paragraph (hlsp/rules/_base.py derives both); the FITS
and keyword rules show a failing card and its fix under ``*Example:*``, which
``hlsp rules ID`` and docs/rules.md print.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from hlsp.rules import FILE_MODULES, all_rules

RULES_DIR = Path(__file__).resolve().parents[2] / "hlsp" / "rules"


def _rule_call(module: str) -> ast.Call:
    tree = ast.parse((RULES_DIR / f"{module}.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "RULE" for t in node.targets):
            return node.value
    raise AssertionError(f"{module}: no RULE = Rule(...)")


def test_summary_and_hint_come_from_the_docstring_only():
    for rule in all_rules().values():
        module = rule.module.rpartition(".")[2]
        given = {k.arg for k in _rule_call(module).keywords}
        assert not given & {"summary", "hint", "doc"}, f"{rule.id}: text given twice ({given & {'summary', 'hint'}})"
        assert rule.summary and rule.summary in " ".join(rule.doc.split()), rule.id
        if rule.hint:
            assert f"*How to fix:* {rule.hint}" in " ".join(rule.doc.split()), rule.id


def test_fits_and_keyword_rules_show_an_example():
    for rule in all_rules().values():
        if rule.id[:2] in ("FS", "KW"):
            text = rule.describe()
            assert "*Example:* fails::" in text and "\nfixed::\n" in text, rule.id


def test_rule_modules_keep_no_caches():
    """Reuse is the engine's (hlsp.judge): no cache in a rule module (helpers of one string may keep one in _util/_wcs)."""
    pattern = re.compile(r"lru_cache|functools\.cache|_cache\b|cache *=|_VERDICTS|by_object|\.derived\(")
    modules = sorted(RULES_DIR.glob("[a-z][a-z][0-9]*_*.py"))
    assert len(modules) >= len(FILE_MODULES)
    for path in modules:
        found = pattern.search(path.read_text())
        assert found is None, f"{path.name}: {found.group() if found else ''}"
