"""Severities and the per-run counts: a leaf module.

:mod:`hlsp.findings` (the report contract) re-exports both; the reporters
count with :class:`Summary` without importing the findings module, which
itself renders through the reporters (``Report.render``).
"""

from __future__ import annotations

import enum

TYPE_CHECKING = False
if TYPE_CHECKING:  # (typing costs ~4 ms to import)
    from hlsp.findings import FileResult


class Severity(str, enum.Enum):
    """How serious a finding is.  error = FAIL, warning = NEEDS REVIEW."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


class Summary:
    """Files and findings per severity of a run (or of some results)."""

    __slots__ = ("files", "errors", "warnings", "infos")

    def __init__(self, files: int = 0, errors: int = 0, warnings: int = 0, infos: int = 0):
        self.files = files
        self.errors = errors
        self.warnings = warnings
        self.infos = infos

    def __repr__(self) -> str:
        return f"Summary(files={self.files}, errors={self.errors}, warnings={self.warnings}, infos={self.infos})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.to_dict() == other.to_dict()

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
