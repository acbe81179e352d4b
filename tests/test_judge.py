"""The engine's reuse of header-check findings (hlsp.judge): right for any rule body, bounded.

The first test is the experiment of issue 15: FS006 once kept its own verdicts
keyed on the cards it judged; a check added to it that reads one more keyword
(``OBSERVER = 'nobody'``) then gave file b the verdict of file a, which has the
same layout, when a was validated first.  Now a rule writes no key: the view
records what the check reads, and the memo compares exactly that.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from fitsgen import hdu_bytes, primary_cards

import hlsp.rules.fs006_mandatory_keywords as fs006
from hlsp import judge
from hlsp.engine import Options, validate_file
from hlsp.fits import read_fits
from hlsp.rules import file_rules

NOBODY = "OBSERVER = 'nobody'"


def _write(path: Path, observer: str) -> Path:
    path.write_bytes(hdu_bytes(primary_cards(bitpix=16, naxes=[], extra=[("OBSERVER", observer)])))
    return path


def _fs006_messages(path: Path) -> list[str]:
    return [f.message for f in validate_file(str(path), Options(select=["FS006"])).findings]


@pytest.fixture
def fs006_reading_observer(monkeypatch):
    """FS006 edited as in the issue: its HDU check also flags OBSERVER = 'nobody'."""
    original = fs006.check

    def edited(hdu):
        yield from original(hdu)
        if hdu.index == 0 and hdu.get("OBSERVER") == "nobody":
            yield fs006.RULE.finding(NOBODY, hdu=0, keyword="OBSERVER")

    monkeypatch.setattr(fs006.RULE, "func", edited)
    judge.MEMO.clear()
    yield
    judge.MEMO.clear()


def test_an_edited_check_reading_another_keyword_gets_the_right_verdict(tmp_path, fs006_reading_observer):
    a = _write(tmp_path / "a.fits", "somebody")
    b = _write(tmp_path / "b.fits", "nobody")
    assert [h.header.layout for h in read_fits(a).hdus] == [h.header.layout for h in read_fits(b).hdus]
    assert _fs006_messages(b) == [NOBODY]  # b alone
    judge.MEMO.clear()
    assert _fs006_messages(a) == []
    assert _fs006_messages(b) == [NOBODY]  # b after a, same layout: a per-rule cache gave []
    assert _fs006_messages(a) == []  # and a after b


def test_reuse_happens_and_is_the_same_findings(tmp_path):
    """Files of one layout and equal structural cards: once the layout is met again, its verdicts
    are kept, and the next file is served from the memo."""
    judge.MEMO.clear()
    a = _write(tmp_path / "a.fits", "somebody")
    b = _write(tmp_path / "b.fits", "nobody")
    first = validate_file(str(a), Options()).findings
    assert judge.MEMO.size == 0  # a layout met once is not kept (most of a varied delivery's are one-offs)
    assert validate_file(str(a), Options()).findings == first
    size = judge.MEMO.size
    assert size > 0
    second = validate_file(str(b), Options()).findings
    assert judge.MEMO.size == size  # nothing new to remember: every header check was reused
    header_rules = {r.id for r in file_rules().values() if r.reads != "context"}
    assert [f.to_dict() for f in first if f.rule in header_rules] == [
        f.to_dict() for f in second if f.rule in header_rules
    ]


def test_the_memo_is_bounded(tmp_path):
    memo = judge.Memo(limit=5, per_key=2)
    rule = file_rules()["FS016"]
    for i in range(12):
        path = tmp_path / f"f{i}.fits"
        path.write_bytes(hdu_bytes(primary_cards(bitpix=16, naxes=[], extra=[(f"KEY{i}", None)])))
        facts = judge._FileFacts(None, read_fits(str(path)))
        memo.trees(facts.hdus[0].base)  # (a layout met once is not kept: this is its second header)
        found = memo.findings(rule, memo.trees(facts.hdus[0].base), facts, 0)
        assert [f.keyword for f in found] == [f"KEY{i}"]
        assert 0 < memo.size <= 5


def test_header_checks_see_only_views():
    """Rules reading headers through views cannot reach the file (its data, its path) by accident."""
    view_rules = [r for r in file_rules().values() if r.reads != "context"]
    assert len(view_rules) >= 15
    assert not hasattr(judge.HduView, "header") and not hasattr(judge.HduView, "fits")


def _starts_with_n(keyword: str) -> bool:
    return keyword.startswith("N")


def test_cards_where_reuses_positions_only_for_tests_of_the_keyword_alone(tmp_path):
    """HduView.cards_where finds a module-level test's positions once per layout; a test that
    closes over other values (or has defaults) is asked again every time."""
    import re

    assert judge._keyword_test(_starts_with_n) is _starts_with_n.__code__
    pattern = re.compile("NAXIS")
    assert judge._keyword_test(pattern.match) == pattern.match
    wanted = "OBSERVER"
    assert judge._keyword_test(lambda kw: kw == wanted) is None
    assert judge._keyword_test(lambda kw, w=wanted: kw == w) is None

    a = read_fits(str(_write(tmp_path / "a.fits", "somebody")))
    (view,) = judge.hdu_views(a)
    naxis = [c.keyword for c in view.cards_where(_starts_with_n)]
    assert naxis == [k for k in view.layout if k.startswith("N")] and naxis
    assert [c.keyword for c in view.cards_where(_starts_with_n)] == naxis  # (the kept positions)

    def equal_to(value: str):
        return lambda kw: kw == value

    for name in ("OBSERVER", "BITPIX"):  # one closure per value: each answered afresh
        assert [c.keyword for c in view.cards_where(equal_to(name))] == [name]


ASKED: list[str] = []


def _counted_fact(keyword: str) -> str | None:
    ASKED.append(keyword)
    return keyword[:5] if keyword.startswith("NAXIS") else None


def test_keyword_facts_ask_a_keyword_once_whatever_the_layouts(tmp_path):
    """HduView.keyword_facts answers for every card in order, asking a module-level fact once per
    distinct keyword across headers of different layouts; positions_where follows it and reads no card."""
    judge.MEMO.clear()
    ASKED.clear()
    a = read_fits(str(_write(tmp_path / "a.fits", "somebody")))
    (view,) = judge.hdu_views(a)
    facts = view.keyword_facts(_counted_fact)
    assert facts == tuple(_counted_fact(k) for k in view.layout)
    assert sorted(ASKED[: len(set(view.layout))]) == sorted(set(view.layout))
    ASKED.clear()
    other = tmp_path / "b.fits"
    other.write_bytes(hdu_bytes(primary_cards(extra=[("OBJECT", "M31"), ("ORIGIN", "here")])))
    (view_b,) = judge.hdu_views(read_fits(str(other)))
    assert view_b.layout != view.layout
    assert view_b.keyword_facts(_counted_fact) == tuple(_counted_fact(k) for k in view_b.layout)
    new = set(view_b.layout) - set(view.layout)
    assert sorted(ASKED[: len(new)]) == sorted(new)  # only the keywords not seen before were asked
    reads: list = []
    counted = judge.HduView(judge._FileFacts(None, a), 0, reads)
    assert counted.positions_where(_starts_with_n) == [i for i, k in enumerate(view.layout) if k.startswith("N")]
    assert reads == []  # the positions follow from the layout, part of every memo key
    closure = [0]
    assert view.keyword_facts(lambda kw: closure.append(kw)) == (None,) * len(view.layout)
    assert len(closure) == 1 + len(view.layout)  # a closure is asked for every card, every time


CALLS: list[int] = []


def _observer_helper(view) -> str | None:
    CALLS.append(view.index)
    return view.get("OBSERVER")


def test_a_shared_helper_runs_once_per_hdu_and_each_check_is_keyed_on_its_reads(tmp_path):
    """HduView.shared: the WCS sets and the like are worked out once per HDU for every check that
    asks, and each asking check records the helper's reads, so the memo keys it on them."""
    CALLS.clear()
    facts = judge._FileFacts(None, read_fits(str(_write(tmp_path / "a.fits", "somebody"))))
    first_reads: list = []
    second_reads: list = []
    first = judge.HduView(facts, 0, first_reads).shared(_observer_helper)
    second = judge.HduView(facts, 0, second_reads).shared(_observer_helper)
    assert first == second == "somebody"
    assert CALLS == [0]
    assert first_reads == second_reads == [(0, judge.KEYWORD, "OBSERVER")]
    # through a run: a verdict that depends on the helper's read is not reused for another value
    judge.MEMO.clear()
    for name in ("alice", "bob", "alice"):
        other = judge._FileFacts(None, read_fits(str(_write(tmp_path / f"{name}.fits", name))))
        rule = SimpleNamespace(id="TEST1", func=lambda hdu: [hdu.shared(_observer_helper)])
        trees = judge.MEMO.trees(other.hdus[0].base)
        assert judge.MEMO.findings(rule, trees, other, 0) == (name,)


def test_a_long_string_is_read_with_its_continue_cards(tmp_path):
    """HduView.long_string records the CONTINUE cards it joins: headers of one layout whose
    continued text differs get their own verdicts from the memo (KW009 here)."""
    from fitsgen import card

    def write(name: str, rest: str) -> str:
        path = tmp_path / name
        cards = [*primary_cards(bitpix=16, naxes=[]), card("", raw="REFERENC= '2020ApJ...900....1X, &'")]
        path.write_bytes(hdu_bytes([*cards, card("", raw=f"CONTINUE  '{rest}'")]))
        return str(path)

    good, bad = write("good.fits", "2021AJ....161....2Y"), write("bad.fits", "not a bibcode")
    judge.MEMO.clear()
    for path in (good, bad, good, bad, good):
        messages = [f.message for f in validate_file(path, Options(select=["KW009"])).findings]
        if path == good:
            assert messages == []
        else:
            assert len(messages) == 1 and "not a bibcode" in messages[0]


def test_keyword_positions_for_checks_of_the_context(tmp_path):
    """judge.keyword_positions gives a context check what HduView.positions_where gives a header check."""
    ff = read_fits(str(_write(tmp_path / "a.fits", "somebody")))
    header = ff.hdus[0].header
    want = [i for i, kw in enumerate(header.layout) if kw.startswith("N")]
    assert want and judge.keyword_positions(header, _starts_with_n) == want
    assert judge.keyword_positions(header, _starts_with_n) == want  # (from the positions kept for the layout)
    (view,) = judge.hdu_views(ff)
    assert view.positions_where(_starts_with_n) == want
