"""Run rules over what was read: the one rule loop, the one crash wrapper, the memo.

:func:`run_rules` runs a list of rules over a :class:`~hlsp.rules._base.FileContext`
(one file), a :class:`~hlsp.rules._base.CollectionContext` (one contribution)
or a :class:`~hlsp.rules._base.PullRequestContext` (one pull request) and
returns their findings; a rule that raises becomes one warning saying so,
and the other rules still run.  The file pipeline (:mod:`hlsp.pipeline`) and
the collection checks (:mod:`hlsp.engine`) and the pull-request check
(:mod:`hlsp.gh.check`) call it.

Reuse lives here, not in the rules.  A header check (``@RULE.check_hdu``:
one HDU; ``@RULE.check_headers``: all HDUs of a file) sees the headers through
views (:class:`HduView`, :class:`FileView`) that record every read: the first
card of a keyword, the card at a position, the value types of all cards, the
number of HDUs, the file's profile ...  Its findings are kept per (rule, HDU
index, kind, keyword layout) together with the reads and the values they gave.
Another header with the same layout whose reads give the same values gets the
same findings without running the rule: a rule is a pure judgement of what it
reads, so it would read the same things and judge the same.  The rule writes no cache key, so it cannot write a wrong one; a check
edited to read one more keyword is keyed on it from then on.

The memo is per process and bounded (emptied when full); a delivery of
thousands of files repeats a handful of header layouts and structural values,
which is where it pays.
"""

from __future__ import annotations

import itertools
import operator
import re

from hlsp.findings import Finding, Severity

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: judging a collection needs no FITS reader (nor typing, ~4 ms to import)
    from typing import Any, Callable, Iterable, Sequence

    from hlsp.fits import HDU, Card, FitsFile, Header
    from hlsp.profiles import Profile
    from hlsp.rules._base import Context, FileContext, Rule

# What a view read, as (kind of read, argument); the memo re-reads these on other HDUs.
KEYWORD = 0  # the first card of a keyword (its 80 characters, or None)
POSITION = 1  # the card at a position of the layout
ALL_CARDS = 2  # every card
VALUE_TYPES = 3  # the value type of every card
HDU_COUNT = 4  # the number of HDUs in the file
ISSUES = 5  # the reader's issues of one code in this HDU
PROFILE = 6  # the keyword profile the file is held to (compared by identity: profiles are loaded once)
PRODUCT = 7  # whether the archive's profile applies (hlsp.rules._util.is_product)
DATA_SIZE = 8  # the bytes of data the header declares
BLANKS = 9  # the positions of the cards holding an empty (or all-blank) string
EXPECTED = 10  # a value the run was told (hlsp.yaml's folder, doi, targets ...), as JSON
FILE_PATH = 11  # the file's path as reported

MEMO_LIMIT = 16384  # memoised verdicts kept per process before the memo is emptied
_VTYPE = operator.attrgetter("vtype")
_RAW = operator.attrgetter("raw")


def run_rules(rules: Sequence[Rule], ctx: Context, usable: bool = True) -> list[Finding]:
    """The findings of ``rules`` on ``ctx``, in rule order.

    ``usable``: the file is readable FITS (rules of scope ``fits`` run only then).
    For collection contexts the crash finding is placed at ``metadata_path``.
    """
    findings: list[Finding] = []
    facts = None
    for rule in rules:
        if rule.scope == "fits" and not usable:
            continue
        try:
            if rule.reads == "context":
                findings.extend(rule.func(ctx))
                continue
            if facts is None:
                facts = _FileFacts(ctx)
            if rule.reads == "hdu":
                for hdu in facts.hdus:
                    findings.extend(MEMO.findings(rule, hdu.memo, facts, hdu.hdu.index))
            else:  # "headers": all HDUs of the file at once
                findings.extend(MEMO.findings(rule, facts.memo, facts, None))
        except Exception as exc:  # a bug in a rule must not hide the other findings
            findings.append(crash_finding(rule, exc, getattr(ctx, "metadata_path", None)))
    return findings


def crash_finding(rule: Rule, exc: Exception, path: str | None = None) -> Finding:
    what = "the file was not fully checked by this rule" if path is None else "the collection was not fully checked"
    return rule.finding(
        f"internal error in rule {rule.id} ({type(exc).__name__}: {exc}); {what} -- please report it",
        severity=Severity.WARNING,
        hint="Report this at the project's issue tracker with the file if you can.",
        path=path,
    )


# ------------------------------------------------------------------- the memo
class _Same:
    """An object compared by identity (a profile: equal by value, but costly to hash).

    The memo keeps it alive, so no other object can take its ``id`` meanwhile.
    """

    __slots__ = ("obj",)

    def __init__(self, obj: Any):
        self.obj = obj

    def __hash__(self) -> int:
        return id(self.obj)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Same) and other.obj is self.obj


class _HduFacts:
    """One HDU of one file, as the memo reads it (built once per HDU per file)."""

    __slots__ = ("hdu", "header", "base", "memo", "shared", "_vtypes", "_blanks", "_ids")

    def __init__(self, hdu: HDU, layout_id: int):
        self.hdu = hdu
        self.header = hdu.header
        self.base = (hdu.index, hdu.kind, layout_id)
        self.memo = MEMO.trees(self.base)  # rule id -> decision tree, for HDUs like this one
        self.shared: dict[Callable, tuple[Any, tuple]] = {}  # HduView.shared: helper -> (result, its reads)
        self._vtypes: tuple[str, ...] | None = None
        self._blanks: tuple[int, ...] | None = None
        self._ids: dict[int, int] = {}  # read kind -> the number standing for its value (Memo.number)

    def number(self, what: int) -> int:
        """The memo's number for the value of a whole-header read (the value types, the blank
        strings, all cards): a long tuple is hashed once per HDU, not once per rule."""
        found = self._ids.get(what)
        if found is None:
            if what == VALUE_TYPES:
                value = self.value_types()
            elif what == BLANKS:
                value = self.blank_strings()
            else:
                value = tuple(map(_RAW, self.header.cards))
            found = self._ids[what] = MEMO.number((what, value))
        return found

    def blank_strings(self) -> tuple[int, ...]:
        if self._blanks is None:
            self._blanks = tuple(
                [i for i, c in enumerate(self.header.cards) if c.vtype == "str" and not c.value.strip()]
            )
        return self._blanks

    def value_types(self) -> tuple[str, ...]:
        if self._vtypes is None:
            self._vtypes = tuple(map(_VTYPE, self.header.cards))
        return self._vtypes


class _FileFacts:
    """One file: its HDUs' facts and the file-level facts a view may read."""

    __slots__ = ("ctx", "fits", "hdus", "base", "memo")

    def __init__(self, ctx: FileContext | None, fits: FitsFile | None = None):
        self.ctx = ctx
        self.fits = fits = ctx.fits if ctx is not None else fits
        hdus = fits.hdus if fits is not None else []
        self.hdus = [_HduFacts(hdu, MEMO.layout_id(hdu.header.layout)) for hdu in hdus]
        self.base = tuple([h.base for h in self.hdus])
        self.memo = MEMO.trees(self.base)  # rule id -> decision tree, for files like this one

    def read(self, at: int, what: int, arg: Any) -> Any:
        """The value of one read (as a view recorded it: HDU index or -1, kind, argument)."""
        if at >= 0:
            facts = self.hdus[at]
            if what == KEYWORD:
                card = facts.header.card(arg)
                return None if card is None else card.raw
            if what == POSITION:
                return facts.header.cards[arg].raw
            if what == VALUE_TYPES or what == ALL_CARDS or what == BLANKS:
                return facts.number(what)
            if what == DATA_SIZE:
                return facts.hdu.data_size
            if what == ISSUES:
                return tuple((i.message, i.keyword) for i in self.fits.issues if i.code == arg and i.hdu == at)
        elif what == HDU_COUNT:
            return len(self.hdus)
        elif what == PROFILE:
            return _Same(self.ctx.profile)
        elif what == PRODUCT:
            return self.ctx.name.is_hlsp or self.ctx.product_type is not None
        elif what == EXPECTED:
            import json  # (only for the rules that read hlsp.yaml's values)

            value = self.ctx.expected if arg is None else self.ctx.expected.get(arg)
            return json.dumps(value, sort_keys=True, default=repr)
        elif what == FILE_PATH:
            return self.ctx.path
        raise ValueError(f"unknown read {(at, what, arg)!r}")


def keyword_positions(header: Header, test: Callable[[str], Any]) -> list[int]:
    """For a check of the context: the positions of ``header``'s keywords passing ``test``, in card
    order, found once per layout when ``test`` is a function of the keyword alone (as for
    :meth:`HduView.positions_where`)."""
    return MEMO.positions(MEMO.layout_id(header.layout), header.layout, test)


def view_of(ctx: FileContext) -> FileView:
    """A view of a file for a context check that shares helpers with header checks (reads are not kept)."""
    return FileView(_FileFacts(ctx), [])


def hdu_views(fits: FitsFile) -> list[HduView]:
    """Views of the HDUs of ``fits`` outside a run (for tests and tools; reads are not kept)."""
    return FileView(_FileFacts(None, fits), []).hdus


class _Node:
    """A step of the memo's decision tree: the next read, and where each of its values leads."""

    __slots__ = ("read", "next")

    def __init__(self, read: tuple[int, int, Any]):
        self.read = read
        self.next: dict[Any, _Node | _Verdict] = {}


class _Verdict:
    """A leaf of the decision tree: the findings."""

    __slots__ = ("findings",)

    def __init__(self, findings: tuple[Finding, ...]):
        self.findings = findings


class _Trees(dict):
    """Rule id -> decision tree, for the headers of one base; ``counts``: verdicts per rule;
    ``visits``: headers (or files) of this base judged so far."""

    __slots__ = ("counts", "visits")

    def __init__(self) -> None:
        super().__init__()
        self.counts: dict[str, int] = {}
        self.visits = 0


class Memo:
    """Findings of header checks, by (rule, HDU index, kind, layout) and the values of the rule's reads.

    Per key, a decision tree: its root is the check's first read; each value
    read leads to the next read the check made after seeing that value, and
    finally to the findings.  A lookup follows one path (as many reads as the
    check made), however many verdicts are kept.  Trees are kept by rule ID:
    a rule's code is fixed for the life of a process (a test that swaps a
    check clears the memo).  Findings are shared between the files that get
    them; nothing modifies a finding once made.
    """

    def __init__(self, limit: int = MEMO_LIMIT, per_key: int = 256):
        self.limit = limit  # verdicts in all
        self.per_key = per_key  # verdicts per key: values that differ in every file do not crowd out the rest
        self.size = 0
        self._layouts: dict[tuple[str, ...], int] = {}
        self._numbers: dict[tuple, int] = {}  # whole-header read values -> numbers (Memo.number)
        # (layout id, keyword test) -> positions of the keywords passing the test (HduView.cards_where)
        self._where: dict[tuple[int, Any], tuple[int, ...]] = {}
        # keyword fact -> {keyword: what the fact says of it} (HduView.keyword_facts); and per layout
        self._said: dict[Any, dict[str, Any]] = {}
        self._facts: dict[tuple[int, Any], tuple] = {}
        # base (an HDU's index, kind, layout id; or a tuple of those) -> {rule id: decision tree}
        self._trees: dict[tuple, _Trees] = {}

    def clear(self) -> None:
        self.size = 0
        for trees in self._trees.values():  # emptied in place: the files being judged hold them
            trees.clear()
            trees.counts.clear()
            trees.visits = 0
        if len(self._trees) >= self.limit:  # the distinct layouts seen: bounded too
            self._trees = {}
        if len(self._layouts) >= self.limit:  # ids are never reused: an old id cannot match by accident
            self._layouts = {}
        self._where = {}
        self._said = {}
        self._facts = {}

    def number(self, value: tuple) -> int:
        """A number standing for ``value`` (equal values, equal numbers; never reused)."""
        found = self._numbers.get(value)
        if found is None:
            if len(self._numbers) >= self.limit:
                self._numbers = {}
            found = self._numbers[value] = next(_IDS)
        return found

    def layout_id(self, layout: tuple[str, ...]) -> int:
        """A small number standing for ``layout`` (the tuple is hashed once per HDU, not once per rule)."""
        found = self._layouts.get(layout)
        if found is None:
            found = self._layouts[layout] = next(_IDS)
        return found

    def positions(self, layout_id: int, layout: tuple[str, ...], test: Callable[[str], Any]) -> list[int]:
        """The positions in ``layout`` of the keywords passing ``test``, found once per layout
        and test when the test is a function of the keyword alone (see :func:`_keyword_test`),
        which is then asked once per keyword."""
        key = _keyword_test(test)
        if key is None:
            return [pos for pos, kw in enumerate(layout) if test(kw)]
        found = self._where.get((layout_id, key))
        if found is None:
            if len(self._where) >= self.limit:
                self._where = {}
            facts = self.keyword_facts(layout_id, layout, test)
            found = self._where[(layout_id, key)] = tuple([pos for pos, fact in enumerate(facts) if fact])
        return list(found)

    def keyword_facts(self, layout_id: int, layout: tuple[str, ...], fact: Callable[[str], Any]) -> tuple:
        """``fact(keyword)`` for each keyword of ``layout``, in card order.  When ``fact`` is a
        function of the keyword alone (:func:`_keyword_test`), it is asked once per keyword
        whatever the layouts it appears in, and the answer is shared: it must not be modified."""
        key = _keyword_test(fact)
        if key is None:
            return tuple(map(fact, layout))
        found = self._facts.get((layout_id, key))
        if found is None:
            said = self._said.get(key)
            if said is None or len(said) >= self.limit:
                said = self._said[key] = {}
            if len(self._facts) >= self.limit:
                self._facts = {}
            found = tuple([said[kw] if kw in said else said.setdefault(kw, fact(kw)) for kw in layout])
            self._facts[(layout_id, key)] = found
        return found

    def trees(self, base: tuple) -> _Trees:
        """The decision trees of every rule for headers of ``base`` (looked up once per HDU or file)."""
        trees = self._trees.get(base)
        if trees is None:
            trees = self._trees[base] = _Trees()
        trees.visits += 1
        return trees

    def findings(self, rule: Rule, trees: _Trees, facts: _FileFacts, hdu: int | None) -> tuple[Finding, ...]:
        """``rule``'s findings on one HDU (``hdu``: its index) or on all (None), reused when the reads agree.

        ``trees``: :meth:`trees` of the HDU's or the file's base.
        """
        node = trees.get(rule.id)
        if node is not None:
            hdus = facts.hdus
            read = facts.read
            while True:
                if type(node) is _Verdict:
                    return node.findings
                at, what, arg = node.read
                if what == KEYWORD:  # the common read, inline
                    card = hdus[at].header.card(arg)
                    node = node.next.get(None if card is None else card.raw)
                else:
                    node = node.next.get(read(at, what, arg))
                if node is None:
                    break
        recorded: list[tuple[int, int, Any]] = []
        view: HduView | FileView = FileView(facts, recorded) if hdu is None else HduView(facts, hdu, recorded)
        found = tuple(rule.func(view))
        if trees.visits > 1:  # (a base seen once so far, as most of a varied delivery's are, is not kept)
            self._store(trees, rule.id, tuple(dict.fromkeys(recorded)), facts, found)
        return found

    def _store(self, trees: _Trees, rule_id: str, reads: tuple, facts: _FileFacts, found: tuple[Finding, ...]) -> None:
        if self.size >= self.limit:
            self.clear()
        if trees.counts.get(rule_id, 0) >= self.per_key:
            self.size -= trees.counts[rule_id]
            trees.counts[rule_id] = 0
            trees.pop(rule_id, None)
        leaf = _Verdict(found)
        if not reads:
            trees[rule_id] = leaf
        else:
            node = trees.get(rule_id)
            if type(node) is not _Node or node.read != reads[0]:
                node = trees[rule_id] = _Node(reads[0])
            for i, r in enumerate(reads):
                value = facts.read(*r)
                if i + 1 == len(reads):
                    node.next[value] = leaf
                    break
                child = node.next.get(value)
                if type(child) is not _Node or child.read != reads[i + 1]:
                    child = node.next[value] = _Node(reads[i + 1])
                node = child
        trees.counts[rule_id] = trees.counts.get(rule_id, 0) + 1
        self.size += 1


def _keyword_test(test: Callable[[str], Any]) -> Any:
    """What stands for ``test`` in :meth:`Memo.positions`, or None when its answer may depend on
    more than the keyword: a module-level function (no closure, no defaults: its code object) or
    a compiled pattern's bound method (itself)."""
    code = getattr(test, "__code__", None)
    if code is not None:
        if test.__closure__ is None and not test.__defaults__ and not test.__kwdefaults__:
            return code
        return None
    if isinstance(getattr(test, "__self__", None), re.Pattern):
        return test
    return None


_IDS = itertools.count(1)
MEMO = Memo()


# ------------------------------------------------------------------- the views
class HduView:
    """One HDU as a header check sees it (``@RULE.check_hdu``, or one of ``FileView.hdus``).

    ``index``, ``kind`` and ``layout`` (the keywords in card order) are free:
    they are part of every memo key.  Everything else is read through the
    methods below, which record the read.  Cards handed out are the reader's
    :class:`~hlsp.fits.Card` objects: a card is a function of its 80
    characters and its position, both of which the memo compares.
    """

    __slots__ = ("_facts", "_header", "_reads", "index", "kind", "layout")

    def __init__(self, facts: _FileFacts, index: int, reads: list):
        hdu = facts.hdus[index]
        self._facts = facts
        self._header: Header = hdu.header
        self._reads = reads
        self.index: int = index
        self.kind: str = hdu.hdu.kind
        self.layout: tuple[str, ...] = hdu.header.layout

    # --- facts that follow from the kind
    @property
    def is_image(self) -> bool:
        return self.kind in ("primary", "image", "groups")

    @property
    def is_table(self) -> bool:
        return self.kind in ("bintable", "table")

    @property
    def is_compressed_image(self) -> bool:
        return self.kind == "bintable" and self.get("ZIMAGE") is True

    # --- cards by keyword (the first card of a keyword, as Header does)
    def card(self, keyword: str) -> Card | None:
        self._reads.append((self.index, KEYWORD, keyword))
        return self._header.card(keyword)

    def get(self, keyword: str, default: Any = None) -> Any:
        """The value of the first card of ``keyword``; ``default`` when absent, undefined or invalid."""
        self._reads.append((self.index, KEYWORD, keyword))
        return self._header.get(keyword, default)

    def __contains__(self, keyword: str) -> bool:
        self._reads.append((self.index, KEYWORD, keyword))
        return keyword in self._header

    def long_string(self, keyword: str) -> str | None:
        """The value of a string keyword joined with its CONTINUE cards (None when it is no string)."""
        card = self.card(keyword)
        value, taken = self._header.long_string_of(keyword)
        if card is not None:
            self._reads.extend([(self.index, POSITION, pos) for pos in range(card.index, card.index + taken)])
        return value

    # --- cards by position
    def card_at(self, position: int) -> Card:
        """The card at ``position`` (0-based) of the layout."""
        self._reads.append((self.index, POSITION, position))
        return self._header.cards[position]

    def cards_at(self, positions: Iterable[int]) -> list[Card]:
        """The cards at ``positions`` (0-based) of the layout, in that order."""
        cards = self._header.cards
        out = []
        for pos in positions:
            self._reads.append((self.index, POSITION, pos))
            out.append(cards[pos])
        return out

    def cards_where(self, test: Callable[[str], Any]) -> list[Card]:
        """The cards whose keyword passes ``test``, in card order (which ones follows from the layout).

        ``test`` must be a function of the keyword alone; a module-level one (or a
        compiled pattern's ``match``) is asked once per keyword, not once per header.
        """
        return self.cards_at(self.positions_where(test))

    def positions_where(self, test: Callable[[str], Any]) -> list[int]:
        """The positions (0-based) of the keywords passing ``test``, in card order (no card is read:
        they follow from the layout).  ``test`` as for :meth:`cards_where`."""
        return MEMO.positions(self._facts.hdus[self.index].base[2], self.layout, test)

    def keyword_facts(self, fact: Callable[[str], Any]) -> tuple:
        """``fact(keyword)`` for each keyword of the layout, in card order (no card is read).

        ``fact`` must be a function of the keyword alone; a module-level one (or a
        compiled pattern's ``match``) is asked once per distinct keyword, whatever the
        header, and its answers are shared: return immutable values (None, str, tuples).
        """
        return MEMO.keyword_facts(self._facts.hdus[self.index].base[2], self.layout, fact)

    def shared(self, helper: Callable[[HduView], Any]) -> Any:
        """``helper(view)``, computed once per HDU for all the checks that ask for it (the WCS
        descriptions several WC rules judge, say).  ``helper`` must be a pure function of what
        it reads through the view it is given; each check that asks is keyed on those reads,
        as if it had made them.  The result is shared between the checks: never modify it."""
        kept = self._facts.hdus[self.index].shared
        got = kept.get(helper)
        if got is None:
            reads: list = []
            got = kept[helper] = (helper(HduView(self._facts, self.index, reads)), tuple(reads))
        self._reads.extend(got[1])
        return got[0]

    def blank_strings(self) -> tuple[int, ...]:
        """The positions of the cards whose value is an empty (or all-blank) string; no other text is read."""
        self._reads.append((self.index, BLANKS, None))
        return self._facts.hdus[self.index].blank_strings()

    @property
    def data_size(self) -> int:
        """The bytes of data the header declares (unpadded)."""
        self._reads.append((self.index, DATA_SIZE, None))
        return self._facts.hdus[self.index].hdu.data_size

    def cards(self) -> list[Card]:
        """Every card (the verdict is then reused only for the very same header)."""
        self._reads.append((self.index, ALL_CARDS, None))
        return self._header.cards

    def value_types(self) -> tuple[str, ...]:
        """The ``vtype`` of every card, in card order (str, int, float, bool, complex, undefined, invalid, none)."""
        self._reads.append((self.index, VALUE_TYPES, None))
        return self._facts.hdus[self.index].value_types()

    def issues(self, code: str) -> tuple[tuple[str, str | None], ...]:
        """(message, keyword) of the reader's issues of ``code`` in this HDU."""
        self._reads.append((self.index, ISSUES, code))
        return self._facts.read(self.index, ISSUES, code)

    # --- facts of the file
    @property
    def hdu_count(self) -> int:
        self._reads.append((-1, HDU_COUNT, None))
        return len(self._facts.hdus)

    @property
    def profile(self) -> Profile | None:
        """The keyword profile the file is held to (hlsp.profiles.Profile)."""
        self._reads.append((-1, PROFILE, None))
        return self._facts.ctx.profile

    @property
    def is_product(self) -> bool:
        """Whether the archive's keyword profile applies (see ``hlsp.rules._util.is_product``)."""
        self._reads.append((-1, PRODUCT, None))
        return self._facts.read(-1, PRODUCT, None)


class FileView:
    """Every HDU of one file as a header check sees them (``@RULE.check_headers``).

    ``hdus`` are :class:`HduView` objects recording into one list of reads;
    ``profile`` and ``is_product`` as there.
    """

    __slots__ = ("_facts", "_reads", "hdus")

    def __init__(self, facts: _FileFacts, reads: list):
        self._facts = facts
        self._reads = reads
        self.hdus = [HduView(facts, i, reads) for i in range(len(facts.hdus))]

    @property
    def profile(self) -> Profile | None:
        self._reads.append((-1, PROFILE, None))
        return self._facts.ctx.profile

    def expected(self, key: str | None = None) -> Any:
        """What the run was told about the file (``Options.expected``: hlsp.yaml's folder, doi, targets ...; all with no key)."""
        self._reads.append((-1, EXPECTED, key))
        return self._facts.ctx.expected if key is None else self._facts.ctx.expected.get(key)

    @property
    def path(self) -> str:
        """The file's path as reported (read only when a message or hint names it: it differs in every file)."""
        self._reads.append((-1, FILE_PATH, None))
        return self._facts.ctx.path

    @property
    def is_product(self) -> bool:
        self._reads.append((-1, PRODUCT, None))
        return self._facts.read(-1, PRODUCT, None)
