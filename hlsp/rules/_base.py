"""What a rule is, and what it is given.

A rule lives in one module, ``hlsp/rules/<id>_<name>.py`` (``fs006_mandatory_keywords.py``
holds rule ``FS006``).  The module defines ``RULE = Rule(...)`` and decorates
one check function with ``@RULE.check``; its docstring is the user
documentation (first line: what; then *Why* and *How to fix* paragraphs), and
``hlsp rules ID`` and ``docs/rules.md`` are generated from it.

A check returns an iterable of findings: a generator, or -- where a cheap
test shows that there is nothing to report, which is the common case --
a plain function returning ``()`` early and a list otherwise (the engine
runs ~60 checks per file, and a generator that yields nothing still costs
more than the test).

Rules receive a :class:`FileContext` holding the already-parsed file (or,
with ``scope="collection"``, a :class:`CollectionContext`); they never open
files themselves.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from hlsp.findings import Category, Finding, Severity

if TYPE_CHECKING:  # annotations only: the registry can be listed without loading the reader
    from hlsp.fitsfile import HDU, FitsFile
    from hlsp.names import ParsedName

__all__ = ["Rule", "FileContext", "CollectionContext", "Category", "Severity", "Finding"]


@dataclass(slots=True)
class FileContext:
    """Everything a file-level rule may look at. Built once per file by the engine."""

    path: str  # as given on the command line (used in reports)
    name: ParsedName  # the parsed file name
    fits: FitsFile | None = None  # None for non-FITS files (README, PNG ...)
    product_type: str | None = None  # from the name, or --product-type
    profile: Any = None  # hlsp.profiles.Profile for the product type (or None)
    vocab: Any = None  # hlsp.profiles.Vocabulary
    expected: dict[str, Any] = field(default_factory=dict)  # e.g. from hlsp.yaml: hlspid, version

    def hdus(self) -> Iterator[HDU]:
        return iter(self.fits.hdus if self.fits else ())


@dataclass(slots=True)
class CollectionContext:
    """Everything a collection rule (``scope="collection"``) may look at.

    Built once per contribution folder by :mod:`hlsp.collection`, which does
    all reading (hlsp.yaml, README, folder listing, product hashes, remote
    fetches, git) beforehand; rules only judge these facts.  Their findings are
    reported under ``metadata_path``.
    """

    root: str  # the collection folder as given (used in messages)
    metadata_path: str  # display path of hlsp.yaml: the FileResult of the collection
    contribution: Any = None  # hlsp.contribution.Contribution; None when hlsp.yaml is unusable
    load_error: Any = None  # hlsp.metadata.YamlLoadError when hlsp.yaml is unusable
    checks: list[Any] = field(default_factory=list)  # hlsp.collection.ProductCheck per manifest entry
    folder_files: list[str] = field(default_factory=list)  # POSIX paths (relative) of files in the folder
    readme: str | None = None  # README.md text; None when absent or unreadable
    readme_path: str = ""  # display path of README.md
    previous: Any = None  # hlsp.collection.PreviousVersion on the base branch, or None
    vocab: Any = None  # hlsp.profiles.Vocabulary

    def at(self, doc_path: tuple = (), key: bool = False) -> dict[str, Any]:
        """Keyword arguments locating a finding at a value of hlsp.yaml (line, column, path)."""
        line, column = (1, 1)
        if self.contribution is not None:
            line, column = self.contribution.document.position(doc_path, key=key)
        return {"line": line, "column": column, "path": self.metadata_path}


CheckFn = Callable[[FileContext], Iterable[Finding]]


@dataclass(slots=True)
class Rule:
    id: str  # stable, e.g. "FS006"
    name: str  # kebab-case, e.g. "mandatory-keywords"
    category: Category
    severity: Severity
    summary: str  # one line: what the rule checks
    hint: str = ""  # one line: how to fix (default hint of its findings)
    source: str = ""  # where the requirement comes from
    scope: str = "fits"  # fits: needs a readable FITS file; file: any file; collection; pull-request
    doc: str = ""  # the long text (module docstring), filled by the registry
    module: str = ""  # dotted module name, filled by the registry
    func: CheckFn | None = None

    def check(self, func: CheckFn) -> CheckFn:
        """Decorator: register ``func`` as this rule's check."""
        self.func = func
        return func

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
    def text(self) -> str:
        """The long documentation (why / how to fix), dedented."""
        return inspect.cleandoc(self.doc) if self.doc else self.summary

    def describe(self) -> str:
        import textwrap  # only `hlsp rules ID` needs it

        lines = [
            f"{self.id} {self.name} ({self.category.value}, {self.severity.value})",
            "",
            textwrap.fill(self.summary, 79),
            "",
            self.text,
        ]
        if self.hint:
            lines += ["", "Fix: " + self.hint]
        if self.source:
            lines += ["", "Source: " + self.source]
        return "\n".join(lines)
