from __future__ import annotations

from hlsp.severity import Severity, Summary

TYPE_CHECKING = False
if TYPE_CHECKING:  # hlsp.findings renders through the reporters: no import back at run time (nor typing: ~4 ms)
    from typing import IO, Iterable

    from hlsp.findings import FileResult, Finding, Report


class Reporter:
    """Base class: collect the summary while results stream through."""

    def __init__(self, stream: IO[str], *, color: bool = False, show_clean: bool = False, **_ignored):
        self.stream = stream
        self.color = color
        self.show_clean = show_clean
        self.summary = Summary()

    def begin(self) -> None:  # pragma: no cover - trivial default
        pass

    def add(self, result: FileResult) -> None:
        self.summary.add(result)
        self.file(result)

    def file(self, result: FileResult) -> None:
        raise NotImplementedError

    def end(self) -> None:  # pragma: no cover - trivial default
        pass

    def run(self, results: Iterable[FileResult]) -> Summary:
        self.begin()
        for r in results:
            self.add(r)
        self.end()
        return self.summary

    def render(self, report: Report) -> Summary:
        return self.run(report.files)


def ordered(findings: list[Finding]) -> list[Finding]:
    """Errors first, then warnings, then infos; within each by HDU and rule."""
    return sorted(findings, key=lambda f: f.sort_key())


def location(f: Finding) -> str:
    """Where in its file (:meth:`Finding.where`)."""
    return f.where()


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(s: Summary) -> str:
    return (
        f"{plural(s.files, 'file')} checked: {plural(s.errors, 'error')}, "
        f"{plural(s.warnings, 'warning')}, {plural(s.infos, 'info')}"
    )


SEVERITIES = (Severity.ERROR, Severity.WARNING, Severity.INFO)
