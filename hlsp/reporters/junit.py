from __future__ import annotations

from hlsp.findings import FileResult, Severity
from hlsp.reporters.base import Reporter, location, ordered


def _xml_text(text: str) -> str:
    # xml.sax.saxutils is imported when a JUnit report is written: it pulls
    # in urllib.request and http.client (~25 ms), for every `hlsp validate`.
    from xml.sax.saxutils import escape

    # XML 1.0 cannot hold most control characters, even escaped
    return escape("".join(ch if ch >= " " or ch in "\t\n" else "\ufffd" for ch in str(text)))


class JunitReporter(Reporter):
    """JUnit XML: one test case per file; errors are failures, warnings go to system-out."""

    def begin(self) -> None:
        self._cases: list[str] = []

    def file(self, result: FileResult) -> None:
        from xml.sax.saxutils import quoteattr

        errs = [f for f in ordered(result.findings) if f.severity is Severity.ERROR]
        other = [f for f in ordered(result.findings) if f.severity is not Severity.ERROR]
        name = quoteattr(_xml_text(result.path))
        body = []
        if errs:
            text = "\n".join(f"{f.rule} [{location(f)}] {f.message} (fix: {f.hint})" for f in errs)
            msg = quoteattr(_xml_text(f"{len(errs)} error(s): {errs[0].rule} {errs[0].message}"))
            body.append(f'<failure message={msg} type="hlsp">{_xml_text(text)}</failure>')
        if other:
            text = "\n".join(f"{f.severity.value} {f.rule} [{location(f)}] {f.message}" for f in other)
            body.append(f"<system-out>{_xml_text(text)}</system-out>")
        self._cases.append(f'  <testcase classname="hlsp.validate" name={name}>{"".join(body)}</testcase>')

    def end(self) -> None:
        s = self.summary
        w = self.stream.write
        w('<?xml version="1.0" encoding="UTF-8"?>\n')
        failures = sum(1 for c in self._cases if "<failure" in c)
        w(f'<testsuite name="hlsp validate" tests="{s.files}" failures="{failures}" errors="0" skipped="0">\n')
        for c in self._cases:
            w(c + "\n")
        w("</testsuite>\n")
