"""Severities and the per-run counts: a leaf module.

:mod:`hlsp.findings` (the report contract) re-exports both; the reporters
count with :class:`Summary` without importing the findings module, which
itself renders through the reporters (``Report.render``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hlsp.findings import FileResult


class Severity(str, enum.Enum):
    """How serious a finding is.  error = FAIL, warning = NEEDS REVIEW."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


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
