"""Every rule's ``*Example:*`` is true: what it shows failing fails, and its fix passes.

Each example whose blocks can be written out is run through its rule (alone,
as ``hlsp validate --select ID`` would), once with the fails block and once
with the fixed block:

* header cards (FS, KW, WC; no label): the cards are written, byte for byte,
  at the end of the primary header of a complete HLSP image product
  (``_helpers.COMMON_CARDS + IMAGE_CARDS``, named ``IMAGE_NAME``) from which
  the keywords the two blocks name are first removed.  A block that starts
  with ``SIMPLE`` is the whole primary header; one that starts with
  ``XTENSION= 'BINTABLE'`` begins a two-column table extension after that
  product.  A note after a card (two or more blanks, then parentheses) is not
  written; a line that is only a note names no card.  The fails block must
  give a finding about a keyword the blocks name (or about the whole file).
* file name (FN): that product, under the failing name and the fixed one.
* hlsp.yaml (MD, CO): the real example collection (``contributions/example``,
  which validates cleanly) with the top-level fields the block gives
  replaced by the block; README.md (CO010): the block as its README.md.
* changed paths (GH): a git repository whose base commit holds the paths the
  two blocks modify (``M``) or delete (``D``), and a pull-request branch that
  makes the changes of one block (``A`` adds a file, or a symbolic link when
  the line names a target), checked by ``check_pull_request`` as the
  pull-request job does.
* checksum cards (CK): the fails block written as header cards are; the fix
  is the ``hlsp fix`` command of the fixed block, run on that product.

The fails block must give a finding of the rule, the fixed block none.

Not run this way, and why (each rule's own test file covers it):

* ``file`` examples (FS001-FS003, FS009, FS010, FS015, FS017, FS019, FS020,
  KW017, DA001-DA003) describe bytes, data or whole files in words: broken
  structure, compressed streams and data values are not header cards;
* the ``folder`` listing of CO007: the fix is a command (``hlsp manifest``);
* the examples in ``NOT_RUN`` below, for the reason given there.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from contribution_support import copy_example, findings
from _helpers import COMMON_CARDS, IMAGE_CARDS, IMAGE_NAME, findings_for, image_hdu, table_hdu, write_fits
from fitsgen import card, header_bytes, pad_data, primary_cards

from gh_support import GitRepo
from hlsp.gh.check import check_pull_request
from hlsp.rules import all_rules
from hlsp.rules._base import CARDS

RUN_KINDS = (CARDS, "file name", "hlsp.yaml", "README.md", "changed paths", "checksum cards")
# Examples of a kind that is run, which cannot be run as the others, and why.
NOT_RUN = {
    "KW011": "its TUNIT2 belongs to a table extension's second column",
    "FS014": "WCSAXES must precede every WCS card, and the product's header has more of them than the example shows",
    "CO003": "its fixed URL would be fetched over the network",
    "CO012": "it compares with the collection's hlsp.yaml on the base branch, in git history",
    "CO013": "it compares with the collection's hlsp.yaml on the base branch, in git history",
    "CK002": "its fix is a copy of the pipeline's original file",
    "CK004": "a valid CHECKSUM is a sum over the exact bytes of a file; the example's value stands for one",
}
_NOTE = re.compile(r"\s{2,}\(.*\)\s*\Z")


def examples(kinds=RUN_KINDS):
    return [
        pytest.param(rule, id=rule.id)
        for rule in all_rules().values()
        if rule.example is not None and rule.example.kind in kinds and rule.id not in NOT_RUN
    ]


def cards_of(block: str) -> list[str]:
    """The 80-character cards a header-card block shows (notes dropped)."""
    out = []
    for line in block.splitlines():
        line = _NOTE.sub("", line)
        if line.strip() and not line.lstrip().startswith("("):
            out.append(line.ljust(80))
    return out


def keywords_of(cards: list[str]) -> set[str]:
    return {c.partition("=")[0].strip() if c.startswith("HIERARCH") else c[:8].strip() for c in cards}


def product_with(tmp_path, cards: list[str], drop: set[str]):
    """The complete image product without the keywords ``drop``, with ``cards`` at the end of its primary header."""
    if cards and cards[0].startswith("SIMPLE"):
        return write_fits(tmp_path / IMAGE_NAME, header_bytes(cards))
    if cards and cards[0].startswith("XTENSION= 'BINTABLE'"):
        table = table_hdu([("WAVE", "E", "f4"), ("FLUX", "E", "f4")], [(5000.0, 1.5), (5001.0, 1.6)], extra=cards[1:])
        return write_fits(tmp_path / IMAGE_NAME, image_hdu(extra=COMMON_CARDS + IMAGE_CARDS), table)
    base = primary_cards(bitpix=-32, naxes=[4, 4], extra=[c for c in COMMON_CARDS + IMAGE_CARDS if c[0] not in drop])
    header = [card(*c) for c in base] + cards
    data = pad_data(np.zeros((4, 4), ">f4").tobytes())
    return write_fits(tmp_path / IMAGE_NAME, header_bytes(header) + data)


def about(findings, keywords: set[str]):
    return [f for f in findings if f.keyword is None or f.keyword in keywords]


@pytest.mark.parametrize("rule", examples((CARDS,)))
def test_header_card_example_fails_and_its_fix_passes(tmp_path, rule):
    fails, fixed = cards_of(rule.example.fails), cards_of(rule.example.fixed)
    keywords = keywords_of(fails + fixed)
    (tmp_path / "fails").mkdir()
    (tmp_path / "fixed").mkdir()
    failing = product_with(tmp_path / "fails", fails, keywords)
    passing = product_with(tmp_path / "fixed", fixed, keywords)
    assert about(findings_for(failing, rule.id), keywords), f"{rule.id}: the failing example gives no finding"
    assert about(findings_for(passing, rule.id), keywords) == [], f"{rule.id}: the fixed example still fails"


@pytest.mark.parametrize("rule", examples(("file name",)))
def test_file_name_example_fails_and_its_fix_passes(tmp_path, rule):
    (fails,), (fixed,) = rule.example.fails.splitlines(), rule.example.fixed.splitlines()
    product = image_hdu(extra=COMMON_CARDS + IMAGE_CARDS)
    assert findings_for(write_fits(tmp_path / fails, product), rule.id), f"{rule.id}: {fails} gives no finding"
    assert findings_for(write_fits(tmp_path / fixed, product), rule.id) == [], f"{rule.id}: {fixed} still fails"


@pytest.mark.parametrize("rule", examples(("hlsp.yaml", "README.md")))
def test_collection_example_fails_and_its_fix_passes(tmp_path, rule):
    for which, block, wanted in (("fails", rule.example.fails, True), ("fixed", rule.example.fixed, False)):
        root = copy_example(tmp_path / which)
        if rule.example.kind == "README.md":
            (root / "README.md").write_text(block + "\n")
        else:
            (root / "hlsp.yaml").write_text(with_fields((root / "hlsp.yaml").read_text(), block))
        got = findings(root, rule.id)
        assert bool(got) is wanted, f"{rule.id}: the {which} example gives {[f.message for f in got]}"


def with_fields(text: str, block: str) -> str:
    """hlsp.yaml ``text`` with the top-level fields that ``block`` gives replaced by ``block``."""
    keys = {m.group(1) for m in re.finditer(r"^([a-z_]+):", block, re.M)}
    out, skipping = [], False
    for line in text.splitlines():
        if line[:1] not in (" ", "") and not line.startswith("#"):
            skipping = line.partition(":")[0] in keys
        if not skipping:
            out.append(line)
    return "\n".join(out) + "\n" + block + "\n"


@pytest.mark.parametrize("rule", examples(("changed paths",)))
def test_changed_paths_example_fails_and_its_fix_passes(tmp_path, rule):
    for which, block, wanted in (("fails", rule.example.fails, True), ("fixed", rule.example.fixed, False)):
        repo = GitRepo(tmp_path / which)
        for letter, path, _ in changes_of(rule.example.fails) + changes_of(rule.example.fixed):
            if letter != "A":  # present at the base: modified or deleted by one of the blocks
                repo.write(path)
        repo.commit("base")
        repo.branch("pr")
        for letter, path, link in changes_of(block):
            if letter == "D":
                repo.remove(path)
            elif link:
                (repo.path / path).parent.mkdir(parents=True, exist_ok=True)
                (repo.path / path).symlink_to(link)
            else:
                repo.write(path, "changed\n")
        repo.commit()
        got = [f for _, f in check_pull_request("main", "pr", repo.path).report.findings() if f.rule == rule.id]
        assert bool(got) is wanted, f"{rule.id}: the {which} example gives {[f.message for f in got]}"


def changes_of(block: str) -> list[tuple[str, str, str | None]]:
    """(A/M/D, path, symbolic link target or None) of a changed-paths block."""
    out: list[tuple[str, str, str | None]] = []
    for line in block.splitlines():
        if "git mode 120000" in line and out:
            letter, path, target = out[-1]
            out[-1] = (letter, path, target or "missing")
        line = _NOTE.sub("", line).strip()
        if line[:1] in ("A", "M", "D") and line[1:3] == "  ":
            path, _, target = line[3:].partition(" -> ")
            out.append((line[0], path, target or None))
    assert all(target is None or letter == "A" for letter, _, target in out), block
    return out


@pytest.mark.parametrize("rule", examples(("checksum cards",)))
def test_checksum_example_fails_and_its_command_fixes_it(tmp_path, run_cli, rule):
    fails = cards_of(rule.example.fails)
    path = product_with(tmp_path, fails, keywords_of(fails))
    assert about(findings_for(path, rule.id), {"CHECKSUM", "DATASUM"}), (
        f"{rule.id}: the failing example gives no finding"
    )
    (command,) = [_NOTE.sub("", line).split() for line in rule.example.fixed.splitlines() if line.startswith("hlsp ")]
    assert command[:2] == ["hlsp", "fix"] and command[-1] == "contributions/example", command
    result = run_cli(*command[1:-1], path)
    assert result.code == 0, result.err
    assert findings_for(path, rule.id) == [], f"{rule.id}: `{' '.join(command)}` does not fix it"


def test_every_runnable_example_is_run_or_says_why_not():
    ran = {p.id for p in examples()}
    runnable = {r.id for r in all_rules().values() if r.example.kind in RUN_KINDS}
    assert ran == runnable - set(NOT_RUN) and set(NOT_RUN) <= runnable
    # every FS/KW/WC header-card example, every FN and most MD/CO examples
    assert {r.id for r in all_rules().values() if r.id[:2] in ("WC", "FN", "MD", "GH")} <= ran
    assert len(ran) == 60
