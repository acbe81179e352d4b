"""Findings and reports: the contract between rules, reporters and other tools.

A rule yields :class:`Finding` objects; the engine groups them per file into
:class:`FileResult`; reporters receive :class:`Report`.  The JSON form of a
report is specified by ``validators/schemas/report.schema.json``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Iterable


class Severity(str, enum.Enum):
    """How serious a finding is.  error = FAIL, warning = NEEDS REVIEW."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


class Category(str, enum.Enum):
    FILENAME = "filename"
    FITS = "fits"
    CHECKSUM = "checksum"
    WCS = "wcs"
    KEYWORDS = "keywords"
    DATA = "data"
    METADATA = "metadata"
    COLLECTION = "collection"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    category: Category
    severity: Severity
    message: str
    hint: str = ""
    hdu: int | None = None
    keyword: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None  # set when a finding concerns another file than its FileResult

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "rule": self.rule,
            "category": self.category.value,
            "severity": self.severity.value,
            "hdu": self.hdu,
            "keyword": self.keyword,
            "message": self.message,
            "hint": self.hint,
        }
        if self.line is not None:
            d["line"] = self.line
        if self.column is not None:
            d["column"] = self.column
        if self.path is not None:
            d["path"] = self.path
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Finding":
        return cls(
            rule=d["rule"],
            category=Category(d["category"]),
            severity=Severity(d["severity"]),
            message=d["message"],
            hint=d.get("hint", ""),
            hdu=d.get("hdu"),
            keyword=d.get("keyword"),
            line=d.get("line"),
            column=d.get("column"),
            path=d.get("path"),
        )

    def sort_key(self) -> tuple:
        return (-self.severity.rank, self.hdu if self.hdu is not None else -1, self.rule, self.keyword or "")


@dataclass(slots=True)
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            c[f.severity.value] += 1
        return c

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "findings": [f.to_dict() for f in sorted(self.findings, key=Finding.sort_key)]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "FileResult":
        return cls(d["path"], [Finding.from_dict(f) for f in d["findings"]])


@dataclass(slots=True)
class Summary:
    files: int = 0
    errors: int = 0
    warnings: int = 0
    infos: int = 0

    def add(self, result: FileResult) -> None:
        self.files += 1
        for f in result.findings:
            if f.severity is Severity.ERROR:
                self.errors += 1
            elif f.severity is Severity.WARNING:
                self.warnings += 1
            else:
                self.infos += 1

    def to_dict(self) -> dict[str, int]:
        return {"files": self.files, "errors": self.errors, "warnings": self.warnings, "infos": self.infos}


@dataclass(slots=True)
class Report:
    """All results of one validation run."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def summary(self) -> Summary:
        s = Summary()
        for r in self.files:
            s.add(r)
        return s

    def findings(self) -> Iterable[tuple[str, Finding]]:
        for r in self.files:
            for f in r.findings:
                yield r.path, f

    def failed(self, fail_on: Severity = Severity.ERROR) -> bool:
        return any(f.severity.rank >= fail_on.rank for _, f in self.findings())

    def to_dict(self) -> dict[str, Any]:
        return {"summary": self.summary.to_dict(), "files": [r.to_dict() for r in self.files]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Report":
        return cls([FileResult.from_dict(x) for x in d["files"]])
