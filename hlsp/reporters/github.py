from __future__ import annotations

from hlsp.findings import FileResult, Severity
from hlsp.reporters.base import Reporter, location, summary_line

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    """GitHub Actions workflow commands: one annotation per finding, on its file and line."""

    def file(self, result: FileResult) -> None:
        for f in result.findings:
            props = [f"file={escape_property(f.path or result.path)}"]
            if f.line is not None:
                props.append(f"line={f.line}")
                if f.column is not None:
                    props.append(f"col={f.column}")
            loc = location(f)
            props.append(f"title={escape_property(f.rule + (' ' + loc if loc else ''))}")
            msg = f.message + (f" -- fix: {f.hint}" if f.hint and f.severity is not Severity.INFO else "")
            self.stream.write(f"::{_LEVEL[f.severity]} {','.join(props)}::{escape_data(msg)}\n")

    def end(self) -> None:
        self.stream.write(summary_line(self.summary) + "\n")
