"""What a rule is, and what it is given.

A rule lives in one module, ``hlsp/rules/<id>_<name>.py`` (``fs006_mandatory_keywords.py``
holds rule ``FS006``).  The module defines ``RULE = Rule(...)`` and decorates
one check function with ``@RULE.check``; its docstring is the user
documentation (first line: what; then *Why* and *How to fix* paragraphs), and
``hlsp rules ID`` and ``docs/rules.md`` are generated from it.

The rule's text is written once, in the docstring:

* the first paragraph is the summary (``hlsp rules``, the table of docs/rules.md);
* ``*Why:*`` says why the archive cares;
* ``*How to fix:*`` is one paragraph, the hint every finding of the rule carries;
* ``*Example:*`` shows what fails and its fix: ``*Example:* fails::``, an
  indented block, ``fixed::``, an indented block.  Without a label the blocks
  are header cards, one per line (a note may follow a card after two or
  more blanks, in parentheses; a line that is only a note names no card); a label
  says what else they show: ``*Example (file name):*``, ``*Example
  (hlsp.yaml):*``, ``*Example (folder):*``, ``*Example (changed paths):*``,
  ``*Example (file):*`` (a description of the bytes) ... (:func:`example_of`).

A check is a plain judgement of what it reads -- no caches in rule modules.
Two kinds:

* ``@RULE.check_hdu``: a judgement of one HDU's header, seen through a
  :class:`hlsp.judge.HduView`; ``@RULE.check_headers``: of all headers of a
  file at once (a :class:`hlsp.judge.FileView`).  The views record what the
  check reads, and the engine reuses its findings for headers that read the
  same (:mod:`hlsp.judge`).  Prefer these for rules about header cards.
* ``@RULE.check``: a judgement of a whole :class:`FileContext` (the parsed
  file with its data, name, profile and vocabulary), with
  ``scope="collection"`` of a :class:`CollectionContext`, with
  ``scope="pull-request"`` of a :class:`PullRequestContext`; run every time.

Either returns an iterable of findings (a generator, or a list).  Rules never
open files themselves.
"""

from __future__ import annotations

import re
import sys

from hlsp.findings import Category, Finding, Severity
from hlsp.record import Record

# Plain classes, not dataclasses, and no typing at run time: `hlsp validate` of one
# file imports this module, and dataclasses (with inspect) and typing cost ~14 ms.
TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only: the registry can be listed without loading the reader
    from typing import Any, Callable, Iterable, Iterator, TypeVar, Union

    from hlsp.collection_facts import PreviousVersion, ProductCheck
    from hlsp.contribution import Contribution
    from hlsp.fits import HDU, FitsFile
    from hlsp.gh.changes import Changes
    from hlsp.judge import FileView, HduView
    from hlsp.metadata import YamlLoadError
    from hlsp.names import ParsedName
    from hlsp.profiles import Profile, Vocabulary

__all__ = ["Rule", "FileContext", "CollectionContext", "PullRequestContext", "Category", "Severity", "Finding"]


class FileContext:
    """Everything a file-level rule may look at. Built once per file by the engine."""

    __slots__ = ("path", "name", "fits", "product_type", "profile", "vocab", "expected")

    def __init__(
        self,
        path: str,  # as given on the command line (used in reports)
        name: ParsedName,  # the parsed file name
        fits: FitsFile | None = None,  # None for non-FITS files (README, PNG ...)
        product_type: str | None = None,  # from the name, or --product-type
        profile: Profile | None = None,  # the keyword profile for the product type
        vocab: Vocabulary | None = None,
        expected: dict[str, Any] | None = None,  # e.g. from hlsp.yaml: hlspid, version (None: {})
    ):
        self.path = path
        self.name = name
        self.fits = fits
        self.product_type = product_type
        self.profile = profile
        self.vocab = vocab
        self.expected = {} if expected is None else expected

    def hdus(self) -> Iterator[HDU]:
        return iter(self.fits.hdus if self.fits else ())


class CollectionContext:
    """Everything a collection rule (``scope="collection"``) may look at.

    Built once per contribution folder by :mod:`hlsp.collection_facts`, which does
    all reading (hlsp.yaml, README, folder listing, product hashes, remote
    fetches, git) beforehand; rules only judge these facts.  Their findings are
    reported under ``metadata_path``.
    """

    __slots__ = (
        "root",
        "metadata_path",
        "contribution",
        "load_error",
        "checks",
        "folder_files",
        "readme",
        "readme_path",
        "previous",
        "vocab",
    )

    def __init__(
        self,
        root: str,  # the collection folder as given (used in messages)
        metadata_path: str,  # display path of hlsp.yaml: the FileResult of the collection
        contribution: Contribution | None = None,  # None when hlsp.yaml is unusable
        load_error: YamlLoadError | None = None,  # why hlsp.yaml is unusable
        checks: list[ProductCheck] | None = None,  # one per manifest entry (None: [])
        folder_files: list[str] | None = None,  # POSIX paths (relative) of files in the folder (None: [])
        readme: str | None = None,  # README.md text; None when absent or unreadable
        readme_path: str = "",  # display path of README.md
        previous: PreviousVersion | None = None,  # the collection on the base branch
        vocab: Vocabulary | None = None,
    ):
        self.root = root
        self.metadata_path = metadata_path
        self.contribution = contribution
        self.load_error = load_error
        self.checks = [] if checks is None else checks
        self.folder_files = [] if folder_files is None else folder_files
        self.readme = readme
        self.readme_path = readme_path
        self.previous = previous
        self.vocab = vocab

    def at(self, doc_path: tuple = (), key: bool = False) -> dict[str, Any]:
        """Keyword arguments locating a finding at a value of hlsp.yaml (line, column, path)."""
        line, column = (1, 1)
        if self.contribution is not None:
            line, column = self.contribution.document.position(doc_path, key=key)
        return {"line": line, "column": column, "path": self.metadata_path}


class PullRequestContext:
    """Everything a pull-request rule (``scope="pull-request"``) may look at.

    Built once per pull request by :mod:`hlsp.gh.check` from git alone (no
    API call): what the pull request changes and the git mode of every file of
    the contributions it keeps.  Each finding names, in ``path``, the
    repository-relative file or folder it is about.
    """

    __slots__ = ("changes", "labels", "tracked")

    def __init__(
        self,
        changes: Changes,  # the touched contributions (added, modified, renamed, deleted) and the paths outside them
        labels: tuple[str, ...] = (),  # the pull request's labels
        # contribution id -> (git mode, repository-relative path) of every file at HEAD, for the kept contributions
        tracked: dict[str, list[tuple[str, str]]] | None = None,
    ):
        self.changes = changes
        self.labels = labels
        self.tracked = {} if tracked is None else tracked


if TYPE_CHECKING:
    Context = Union[FileContext, CollectionContext, PullRequestContext]  # what a ``@RULE.check`` is given

    # The check functions, by what they are given (the scope of the rule: fits/file, collection, pull-request).
    FileCheck = Callable[[FileContext], Iterable[Finding]]
    CollectionCheck = Callable[[CollectionContext], Iterable[Finding]]
    PullRequestCheck = Callable[[PullRequestContext], Iterable[Finding]]
    HduCheck = Callable[["HduView"], Iterable[Finding]]
    HeadersCheck = Callable[["FileView"], Iterable[Finding]]
    ContextCheck = TypeVar("ContextCheck", FileCheck, CollectionCheck, PullRequestCheck)
    AnyCheck = Union[FileCheck, CollectionCheck, PullRequestCheck, HduCheck, HeadersCheck]

_PARAGRAPHS = re.compile(r"\n\s*\n")
_FIX = "*How to fix:*"
_EXAMPLE = re.compile(r"\*Example(?: \(([^)]+)\))?:\* fails::\Z")
CARDS = "header cards"  # the kind of an example without a label


# summary_of and hint_of run for every rule when the registry loads: they read the
# docstring as it stands.  A rule's docstring is a module docstring, flush left, so
# its paragraphs are those of inspect.cleandoc(doc) (which imports ast, dis and
# tokenize: ~8 ms) up to the indentation their text is joined over
# (tests/test_registry.py checks every rule).
def summary_of(doc: str) -> str:
    """The first paragraph of a rule's docstring, on one line: the rule's summary."""
    return " ".join(_PARAGRAPHS.split(doc.strip(), 1)[0].split())


def hint_of(doc: str) -> str:
    """The ``*How to fix:*`` paragraph of a rule's docstring, on one line: the hint of its findings."""
    for para in _PARAGRAPHS.split(doc.strip()):
        if para.startswith(_FIX):
            return " ".join(para[len(_FIX) :].split())
    return ""


class Example(Record):
    """A rule's ``*Example:*``: what fails and its fix, as written (dedented; immutable)."""

    __slots__ = ("kind", "fails", "fixed")

    def __init__(self, kind: str, fails: str, fixed: str):
        set_ = object.__setattr__  # (frozen: __setattr__ refuses)
        set_(self, "kind", kind)  # CARDS, or the label: "file name", "hlsp.yaml", "folder", "changed paths", "file" ...
        set_(self, "fails", fails)
        set_(self, "fixed", fixed)


def example_of(doc: str) -> Example | None:
    """The ``*Example:*`` of a rule's docstring, or None when it has none (or it is malformed)."""
    import inspect  # (only `hlsp rules`, the docs and the tests read examples)

    paras = _PARAGRAPHS.split(inspect.cleandoc(doc))
    for i, para in enumerate(paras):
        m = _EXAMPLE.match(para)
        if m is None:
            continue
        fails, rest = _block(paras[i + 1 :])
        if not rest or rest[0] != "fixed::":
            return None
        fixed, _ = _block(rest[1:])
        return Example(m.group(1) or CARDS, fails, fixed) if fails and fixed else None
    return None


def _block(paras: list[str]) -> tuple[str, list[str]]:
    """The indented paragraphs at the start of ``paras`` (dedented, joined), and the paragraphs after them."""
    import inspect

    n = 0
    while n < len(paras) and paras[n].startswith(" "):
        n += 1
    return inspect.cleandoc("\n\n".join(paras[:n])) if n else "", paras[n:]


class Rule:
    """One rule: its ID, name, category, severity, source and scope, its text and its check."""

    __slots__ = (
        "id",
        "name",
        "category",
        "severity",
        "source",
        "scope",
        "doc",
        "summary",
        "hint",
        "module",
        "func",
        "reads",
    )

    def __init__(
        self,
        id: str,  # stable, e.g. "FS006"
        name: str,  # kebab-case, e.g. "mandatory-keywords"
        category: Category,
        severity: Severity,
        source: str = "",  # where the requirement comes from
        scope: str = "fits",  # fits: needs a readable FITS file; file: any file; collection; pull-request
        # from the module docstring, when the check is registered:
        doc: str = "",  # the whole text
        summary: str = "",  # its first paragraph: what the rule checks
        hint: str = "",  # its *How to fix:* paragraph: the default hint of the rule's findings
        module: str = "",  # dotted module name
        func: AnyCheck | None = None,
        reads: str = "context",  # what func is given: "context" (the Context of its scope), "hdu" (an HduView) or "headers" (a FileView)
    ):
        self.id = id
        self.name = name
        self.category = category
        self.severity = severity
        self.source = source
        self.scope = scope
        self.doc = doc
        self.summary = summary
        self.hint = hint
        self.module = module
        self.func = func
        self.reads = reads

    def __repr__(self) -> str:
        return f"<Rule {self.id} {self.name} ({self.scope})>"

    def check(self, func: ContextCheck) -> ContextCheck:
        """Decorator: register ``func(ctx)`` as this rule's check: of a :class:`FileContext` (scope
        ``fits`` or ``file``), a :class:`CollectionContext` or a :class:`PullRequestContext`."""
        self._register(func, "context")
        return func

    def check_hdu(self, func: HduCheck) -> HduCheck:
        """Decorator: register ``func(hdu)`` as this rule's judgement of one HDU's header (see :mod:`hlsp.judge`)."""
        self._register(func, "hdu")
        return func

    def check_headers(self, func: HeadersCheck) -> HeadersCheck:
        """Decorator: register ``func(file)`` as this rule's judgement of all headers of a file (see :mod:`hlsp.judge`)."""
        self._register(func, "headers")
        return func

    def _register(self, func: AnyCheck, reads: str) -> None:
        if reads != "context" and self.scope != "fits":
            raise RuntimeError(f"{self.id}: a header check needs scope 'fits'")
        self.func = func
        self.reads = reads
        self.module = func.__module__
        module = sys.modules.get(func.__module__)
        self.doc = (module.__doc__ if module is not None else None) or ""
        # written once, in the docstring (a Rule(summary=..., hint=...) is only a fallback)
        self.summary = summary_of(self.doc) or self.summary
        self.hint = hint_of(self.doc) or self.hint

    def finding(
        self,
        message: str,
        *,
        hdu: int | None = None,
        keyword: str | None = None,
        hint: str | None = None,
        severity: Severity | None = None,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
    ) -> Finding:
        return Finding(
            rule=self.id,
            category=self.category,
            severity=severity or self.severity,
            message=message,
            hint=self.hint if hint is None else hint,
            hdu=hdu,
            keyword=keyword,
            line=line,
            column=column,
            path=path,
        )

    @property
    def example(self) -> Example | None:
        """The ``*Example:*`` of the docstring: what fails and its fix."""
        return example_of(self.doc)

    @property
    def text(self) -> str:
        """The documentation after the summary (why, how to fix, example), dedented."""
        import inspect

        parts = _PARAGRAPHS.split(inspect.cleandoc(self.doc), 1) if self.doc else []
        return parts[1].strip() if len(parts) > 1 else ""

    def describe(self) -> str:
        import textwrap  # only `hlsp rules ID` needs it

        lines = [
            f"{self.id} {self.name} ({self.category.value}, {self.severity.value})",
            "",
            textwrap.fill(self.summary, 79),
        ]
        if self.text:
            lines += ["", self.text]
        if self.source:
            lines += ["", "Source: " + self.source]
        return "\n".join(lines)
