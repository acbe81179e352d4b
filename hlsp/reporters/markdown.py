from __future__ import annotations

from hlsp.findings import FileResult, Severity
from hlsp.reporters.base import Reporter, location, ordered, plural

_ICON = {Severity.ERROR: "\u274c", Severity.WARNING: "\u26a0\ufe0f", Severity.INFO: "\u2139\ufe0f"}


def md_escape(text: str) -> str:
    """Make contributor-controlled text inert in Markdown/HTML."""
    out = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]|#!":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


class MarkdownReporter(Reporter):
    """For a pull-request comment or $GITHUB_STEP_SUMMARY: errors first, the rest folded."""

    def begin(self) -> None:
        self._sections: list[str] = []

    def file(self, result: FileResult) -> None:
        if not result.findings:
            return
        c = result.counts()
        rows = ["| | rule | where | message | how to fix |", "|---|---|---|---|---|"]
        errs = [f for f in ordered(result.findings) if f.severity is Severity.ERROR]
        rest = [f for f in ordered(result.findings) if f.severity is not Severity.ERROR]

        def row(f):
            return (
                f"| {_ICON[f.severity]} | `{f.rule}` | {md_escape(location(f))} | {md_escape(f.message)} "
                f"| {md_escape(f.hint) if f.severity is not Severity.INFO else ''} |"
            )

        # no code span around the path: escapes are not decoded inside one
        head = f"#### {md_escape(result.path)}: {plural(c['error'], 'error')}, {plural(c['warning'], 'warning')}"
        parts = [head, ""]
        if errs:
            parts += rows + [row(f) for f in errs] + [""]
        if rest:
            parts += [
                f"<details><summary>{plural(c['warning'], 'warning')}, {plural(c['info'], 'note')}</summary>",
                "",
                *rows,
                *[row(f) for f in rest],
                "",
                "</details>",
                "",
            ]
        self._sections.append("\n".join(parts))

    def end(self) -> None:
        s = self.summary
        verdict = "\u274c **Validation failed**" if s.errors else "\u2705 **Validation passed**"
        w = self.stream.write
        w(f"{verdict}\n\n| files | errors | warnings | notes |\n|---:|---:|---:|---:|\n")
        w(f"| {s.files} | {s.errors} | {s.warnings} | {s.infos} |\n\n")
        for sec in self._sections:
            w(sec + "\n")
