from __future__ import annotations

from hlsp.findings import FileResult, Severity
from hlsp.reporters.base import Reporter, location, ordered, summary_line

_COLORS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


class TextReporter(Reporter):
    """For people at a terminal: files with findings, errors first, each with its fix.

    Info notes are counted but only listed with ``show_info`` (``-v``), so that
    they never drown errors.
    """

    def __init__(self, stream, *, show_info: bool = False, **kw):
        super().__init__(stream, **kw)
        self.show_info = show_info

    def _c(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.color else text

    def file(self, result: FileResult) -> None:
        if not result.findings:
            if self.show_clean:
                self.stream.write(f"{result.path}: ok\n")
            return
        w = self.stream.write
        shown = [f for f in ordered(result.findings) if self.show_info or f.severity is not Severity.INFO]
        hidden = len(result.findings) - len(shown)
        w(self._c(_BOLD, result.path) + "\n")
        for f in shown:
            loc = location(f)
            sev = self._c(_COLORS[f.severity], f"{f.severity.value:<7}")
            w(f"  {sev} {f.rule} {('[' + loc + '] ') if loc else ''}{f.message}\n")
            if f.hint and f.severity is not Severity.INFO:
                w(self._c(_DIM, f"          fix: {f.hint}") + "\n")
        if hidden:
            w(self._c(_DIM, f"  ({hidden} info note{'s' if hidden > 1 else ''} not shown; -v shows them)") + "\n")

    def end(self) -> None:
        s = self.summary
        line = summary_line(s)
        if self.color:
            line = self._c(_COLORS[Severity.ERROR] if s.errors else "\033[32m", line)
        self.stream.write(line + "\n")
