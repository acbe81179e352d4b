"""The rule registry and its documentation stay consistent."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from hlsp.docs import rules_markdown
from hlsp.findings import Category, Severity
from hlsp.rules import MODULES, all_rules, get_rule, select_rules
from hlsp.rules._base import hint_of, summary_of
from hlsp.errors import HlspError

ROOT = Path(__file__).resolve().parent.parent


def test_ids_unique_and_stable_form():
    rules = all_rules()
    assert len(rules) == len({r.id for r in rules.values()})
    names = [r.name for r in rules.values()]
    assert len(names) == len(set(names)), "rule names must be unique too"
    for r in rules.values():
        assert re.fullmatch(r"[A-Z]{2}[0-9]{3}", r.id), r.id
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.name), r.name
        assert isinstance(r.category, Category) and isinstance(r.severity, Severity)


def test_every_module_is_registered():
    on_disk = {p.stem for p in (ROOT / "hlsp" / "rules").glob("[a-z][a-z][0-9][0-9][0-9]_*.py")}
    assert on_disk == set(MODULES), "a rule module exists that is not in MODULES (or the reverse)"


@pytest.mark.parametrize("rule_id", sorted(all_rules()))
def test_rule_documented(rule_id):
    r = all_rules()[rule_id]
    assert r.summary and len(r.summary) < 200 and "\n" not in r.summary
    assert r.hint, f"{rule_id} has no fix hint"
    assert r.source, f"{rule_id} names no source"
    assert "Why" in r.text and "How to fix" in r.text, f"{rule_id}: docstring needs *Why:* and *How to fix:*"


@pytest.mark.parametrize("rule_id", sorted(all_rules()))
def test_rule_text_as_inspect_cleandoc_reads_it(rule_id):
    """The registry reads each rule's summary and hint from its docstring as it stands (no
    inspect at start-up): they must be what the docstring cleaned by inspect.cleandoc gives."""
    r = all_rules()[rule_id]
    paragraphs = re.split(r"\n\s*\n", inspect.cleandoc(r.doc))
    assert r.summary == " ".join(paragraphs[0].split())
    fix = [p for p in paragraphs if p.startswith("*How to fix:*")]
    assert r.hint == " ".join(fix[0][len("*How to fix:*") :].split())


def test_summary_and_hint_of_a_docstring():
    doc = "\n  Checks a thing\n  in two lines.\n\n*Why:* because.\n\n*How to fix:* do\n   this.\n\n"
    assert summary_of(doc) == "Checks a thing in two lines."
    assert hint_of(doc) == "do this."
    assert hint_of("Summary only.") == ""


@pytest.mark.parametrize("rule_id", sorted(all_rules()))
def test_rule_has_its_own_test(rule_id):
    """A newcomer adds a rule in one file plus one test: the test must exist."""
    assert (ROOT / "tests" / "rules" / f"test_{rule_id.lower()}.py").is_file()


def test_docs_current():
    """docs/rules.md is generated from the rules' text; run `make docs` after changing a rule."""
    assert (ROOT / "docs" / "rules.md").read_text() == rules_markdown()


def test_lookup_by_id_and_name():
    assert get_rule("fs006").id == "FS006"
    assert get_rule("mandatory-keywords").id == "FS006"
    with pytest.raises(HlspError, match="no rule"):
        get_rule("ZZ999")


def test_select_and_ignore():
    fits_rules = select_rules(["fits"])
    assert fits_rules and all(r.category is Category.FITS for r in fits_rules)
    assert [r.id for r in select_rules(["FS006"])] == ["FS006"]
    no_ck = select_rules(ignore=["checksum"])
    assert not any(r.category is Category.CHECKSUM for r in no_ck)
    assert len(select_rules(["FS"])) == len(fits_rules)
    with pytest.raises(HlspError, match="matches no rule"):
        select_rules(["nonsense"])


def test_file_rules_are_the_rules_about_one_file():
    """`hlsp validate FILE` loads only FILE_MODULES; the registry checks each rule's scope fits its list."""
    from hlsp.rules import FILE_MODULES, WHOLE_MODULES, file_rules

    assert list(file_rules()) == [r.id for r in all_rules().values() if r.scope in ("fits", "file")]
    assert MODULES == FILE_MODULES + WHOLE_MODULES and not set(FILE_MODULES) & set(WHOLE_MODULES)
