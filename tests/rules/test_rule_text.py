"""Each rule's text is written once, in its module docstring, and rules hold no caches.

The summary is the docstring's first paragraph and the hint of its findings
the ``*How to fix:*`` paragraph (hlsp/rules/_base.py derives both); every rule
shows what fails and its fix under ``*Example:*`` (header cards, a file name,
an hlsp.yaml snippet, a folder, changed paths ...), which ``hlsp rules ID`` and
docs/rules.md print.  test_rule_examples.py runs the examples through their rules.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from hlsp.rules import FILE_MODULES, all_rules
from hlsp.rules._base import CARDS, Example, example_of

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


def test_every_rule_shows_an_example():
    for rule in all_rules().values():
        example = rule.example
        assert example is not None, f"{rule.id}: no *Example:* fails:: ... fixed:: ... in its docstring"
        assert example.fails.strip() and example.fixed.strip() and example.fails != example.fixed, rule.id
        text = rule.describe()
        assert "fails::" in text and "\nfixed::\n" in text and example.fixed.splitlines()[0] in text, rule.id


def test_example_kinds_fit_the_rule_family():
    """Header cards for the header rules, file names for FN, hlsp.yaml and folders for MD/CO, changed paths for GH."""
    kinds = {
        "FS": {CARDS, "file"},
        "KW": {CARDS, "file"},
        "WC": {CARDS},
        "CK": {"checksum cards"},
        "DA": {"file"},
        "FN": {"file name"},
        "MD": {"hlsp.yaml"},
        "CO": {"hlsp.yaml", "folder", "README.md"},
        "GH": {"changed paths"},
    }
    for rule in all_rules().values():
        assert rule.example.kind in kinds[rule.id[:2]], (rule.id, rule.example.kind)


def test_example_parser():
    doc = """Summary.

    *How to fix:* Do it.

    *Example (file name):* fails::

        hlsp_A.fits

    fixed::

        hlsp_a.fits

        (second paragraph of the block)

    *Source:* after the example.
    """
    assert example_of(doc) == Example("file name", "hlsp_A.fits", "hlsp_a.fits\n\n(second paragraph of the block)")
    assert example_of("Summary.\n\n*Example:* fails::\n\n    A = 1\n") is None  # no fixed block
    assert example_of("Summary.\n\n*Example:* fails::\n\n    A = 1\n\nfixed::\n\n    A = 2\n").kind == CARDS


def test_rule_modules_keep_no_caches():
    """Reuse is the engine's (hlsp.judge): no cache in a rule module (helpers of one string may keep one in _util/_wcs)."""
    pattern = re.compile(r"lru_cache|functools\.cache|_cache\b|cache *=|_VERDICTS|by_object|\.derived\(")
    modules = sorted(RULES_DIR.glob("[a-z][a-z][0-9]*_*.py"))
    assert len(modules) >= len(FILE_MODULES)
    for path in modules:
        found = pattern.search(path.read_text())
        assert found is None, f"{path.name}: {found.group() if found else ''}"
