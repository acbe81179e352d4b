"""GitHub Actions workflow commands: annotations on the exact file and line.

GitHub keeps at most :data:`PER_STEP` error and :data:`PER_STEP` warning
annotations per step (and 50 per job) and silently drops the rest.  So this
reporter holds the findings until the end and then prints, within those limits,

1. errors first (file by file, each file's findings in the usual order), then
   warnings, then notes;
2. at most ``PER_STEP`` annotations of each level;
3. when anything was left out, a last annotation -- of the level of the most
   severe finding left out, which takes one of that level's places -- that
   says how many more findings there are and where to read them.

Where to read them: ``hlsp github check`` says "the pull-request comment and
this run's job summary" (it writes both).  Elsewhere, under Actions (when
``$GITHUB_STEP_SUMMARY`` is set), the findings left out are appended to the job
summary as a Markdown table; otherwise the annotation says to run ``hlsp
validate`` with another ``--format``.
"""

from __future__ import annotations

import os
from typing import IO

from hlsp.findings import FileResult, Finding, Severity
from hlsp.reporters.base import Reporter, location, ordered, plural, summary_line

PER_STEP = 10  # GitHub: 10 error and 10 warning annotations per step (notes: kept as tight)
PER_JOB = 50  # GitHub: 50 annotations per job; 3 levels x PER_STEP stay below it

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_NOUN = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def escape_data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(path: str, f: Finding) -> str:
    """One ``::error file=...,line=...,title=...::message`` command, every part escaped."""
    props = [f"file={escape_property(f.path or path)}"]
    if f.line is not None:
        props.append(f"line={f.line}")
        if f.column is not None:
            props.append(f"col={f.column}")
    loc = location(f)
    props.append(f"title={escape_property(f.rule + (' ' + loc if loc else ''))}")
    msg = f.message + (f" -- fix: {f.hint}" if f.hint and f.severity is not Severity.INFO else "")
    return f"::{_LEVEL[f.severity]} {','.join(props)}::{escape_data(msg)}\n"


class GithubReporter(Reporter):
    """Annotations within GitHub's per-step limits, errors first; see the module docstring."""

    def __init__(self, stream: IO[str], *, more_where: str | None = None, per_step: int = PER_STEP, **options):
        super().__init__(stream, **options)
        self.more_where = more_where
        self.per_step = per_step
        self._held: dict[Severity, list[tuple[str, Finding]]] = {s: [] for s in _ORDER}

    def file(self, result: FileResult) -> None:
        for f in ordered(result.findings):
            self._held[f.severity].append((f.path or result.path, f))

    def end(self) -> None:
        left_out = {s: max(0, len(self._held[s]) - self.per_step) for s in _ORDER}
        worst = next((s for s in _ORDER if left_out[s]), None)
        if worst is not None:
            left_out[worst] += 1  # its last place goes to the "N more" annotation
        shown: dict[Severity, list[tuple[str, Finding]]] = {}
        for s in _ORDER:
            shown[s] = self._held[s][: len(self._held[s]) - left_out[s]]
            for path, f in shown[s]:
                self.stream.write(annotation(path, f))
        if worst is not None:
            rest = [(p, f) for s in _ORDER for p, f in self._held[s][len(shown[s]) :]]
            counts = ", ".join(plural(left_out[s], _NOUN[s]) for s in _ORDER if left_out[s])
            where = self.more_where or self._write_step_summary(rest)
            message = (
                f"{plural(len(rest), 'more finding')} ({counts}) not shown as annotations "
                f"(GitHub shows at most {self.per_step} errors and {self.per_step} warnings per step): read them in {where}"
            )
            self.stream.write(
                f"::{_LEVEL[worst]} title=hlsp%3A {escape_property(plural(len(rest), 'more finding'))}::{escape_data(message)}\n"
            )
        self.stream.write(summary_line(self.summary) + "\n")

    def _write_step_summary(self, rest: list[tuple[str, Finding]]) -> str:
        path = os.environ.get("GITHUB_STEP_SUMMARY")
        if not path:
            return "the full report: run `hlsp validate` with --format text, markdown or json"
        from hlsp.reporters.markdown import md_escape

        lines = [
            f"### hlsp: {plural(len(rest), 'finding')} not shown as annotations\n\n",
            "| file | rule | where | severity | problem |\n|---|---|---|---|---|\n",
        ]
        for p, f in rest:
            cells = (p, f.rule, location(f), f.severity.value, f.message)
            lines.append("| " + " | ".join(md_escape(" ".join(str(c).split())) for c in cells) + " |\n")
        with open(path, "a", encoding="utf-8") as fh:
            fh.writelines(lines)
        return "this run's job summary"
