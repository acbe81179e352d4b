"""Findings and reports: the contract between rules, reporters and other tools.

A rule yields :class:`Finding` objects; the engine groups them per file into
:class:`FileResult`; reporters receive :class:`Report`.  The JSON form of a
report is specified by ``validators/schemas/report.schema.json``.

For notebooks and scripts, reports and results also have a short, stable
``repr`` (a summary line, no memory addresses), an HTML view
(``_repr_html_``: every value from a file or ``hlsp.yaml`` escaped, no
scripts), :meth:`Report.to_table` (astropy), :meth:`Report.to_pandas` and
:meth:`Report.render` (the text, markdown, json, github or junit report as a
string).
"""

from __future__ import annotations

import enum
import io

from hlsp.record import Record
from hlsp.severity import Severity, Summary  # noqa: F401 (part of this module's contract)

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import); astropy and pandas are imported lazily
    from typing import Any, Iterable

    import pandas
    from astropy.table import Table

# Plain classes, not dataclasses: `dataclasses` imports `inspect` (~10 ms of a ~90 ms
# one-file run); tests/test_imports.py keeps them out of `hlsp validate`'s start-up.
_FINDING_FIELDS = ("rule", "category", "severity", "message", "hint", "hdu", "keyword", "line", "column", "path")


class Category(str, enum.Enum):
    FILENAME = "filename"
    FITS = "fits"
    CHECKSUM = "checksum"
    WCS = "wcs"
    KEYWORDS = "keywords"
    DATA = "data"
    METADATA = "metadata"
    COLLECTION = "collection"


class Finding(Record):
    """One finding: immutable, hashable, compared by value (picklable: workers send them back)."""

    __slots__ = _FINDING_FIELDS

    rule: str
    category: Category
    severity: Severity
    message: str
    hint: str
    hdu: int | None
    keyword: str | None
    line: int | None
    column: int | None
    path: str | None  # set when a finding concerns another file than its FileResult

    def __init__(
        self,
        rule: str,
        category: Category,
        severity: Severity,
        message: str,
        hint: str = "",
        hdu: int | None = None,
        keyword: str | None = None,
        line: int | None = None,
        column: int | None = None,
        path: str | None = None,
    ):
        set_ = object.__setattr__  # (frozen: __setattr__ refuses)
        set_(self, "rule", rule)
        set_(self, "category", category)
        set_(self, "severity", severity)
        set_(self, "message", message)
        set_(self, "hint", hint)
        set_(self, "hdu", hdu)
        set_(self, "keyword", keyword)
        set_(self, "line", line)
        set_(self, "column", column)
        set_(self, "path", path)

    def _values(self) -> tuple:
        return (
            self.rule,
            self.category,
            self.severity,
            self.message,
            self.hint,
            self.hdu,
            self.keyword,
            self.line,
            self.column,
            self.path,
        )

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a Finding (use .replace)")

    def replace(self, **changes: Any) -> "Finding":
        """A copy with ``changes`` (field name -> value), as ``dataclasses.replace`` did."""
        return self.__class__(**{**dict(zip(_FINDING_FIELDS, self._values())), **changes})

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

    def where(self) -> str:
        """Where in its file: ``line 12``, ``HDU 1``, ``HDU 1, EXPTIME`` (empty for the whole file)."""
        parts = []
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.hdu is not None:
            parts.append(f"HDU {self.hdu}")
        if self.keyword:
            parts.append(self.keyword)
        return ", ".join(parts)

    def __repr__(self) -> str:
        where = self.where()
        return (
            f"<Finding {self.rule} {self.severity.value}{' [' + where + ']' if where else ''}: {_clip(self.message)}>"
        )


class FileResult:
    """The findings of one file (picklable: workers send them back)."""

    __slots__ = ("path", "findings")

    def __init__(self, path: str, findings: list[Finding] | None = None):
        self.path = path
        self.findings = [] if findings is None else findings

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (self.path, self.findings) == (other.path, other.findings)

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

    def __repr__(self) -> str:
        c = self.counts()
        return f"<FileResult {self.path}: {_counts_text(c['error'], c['warning'], c['info'])}>"

    def render(self, fmt: str = "text", **options: Any) -> str:
        """This file's report as a string; see :meth:`Report.render`."""
        return Report([self]).render(fmt, **options)

    def _repr_html_(self) -> str:
        return _html([self], title=self.path)


class Report:
    """All results of one validation run."""

    __slots__ = ("files",)

    def __init__(self, files: list[FileResult] | None = None):
        self.files = [] if files is None else files

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self.files == other.files

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

    @property
    def verdict(self) -> str:
        """``FAIL`` (errors), ``NEEDS REVIEW`` (warnings, no errors) or ``PASS``."""
        return _verdict(self.summary)

    def __repr__(self) -> str:
        s = self.summary
        return f"<Report {_verdict(s)}: {_plural(s.files, 'file')}, {_counts_text(s.errors, s.warnings, s.infos)}>"

    def render(self, fmt: str = "text", **options: Any) -> str:
        """The report in ``fmt`` as a string: ``text`` (what ``hlsp validate`` prints), ``markdown``,
        ``json`` (the contract in ``validators/schemas/report.schema.json``), ``github`` or ``junit``.

        ``options`` go to the reporter: ``show_info=True`` lists info notes in the text
        report (``-v``), ``show_clean=True`` also lists files without findings.
        """
        from hlsp.reporters import make_reporter  # the reporters import this module

        out = io.StringIO()
        make_reporter(fmt, out, **options).render(self)
        return out.getvalue()

    def to_table(self) -> "Table":
        """The findings as an astropy :class:`~astropy.table.Table`, one row per finding.

        Columns are named as in the JSON report: ``path`` (the file the finding is
        about: the finding's own ``path`` when it has one, else its file's),
        ``rule``, ``category``, ``severity``, ``hdu``, ``keyword``, ``message``,
        ``hint``, ``line``, ``column``.  Empty values (``null`` in the JSON report)
        are masked.  Rows are in report order (file by file, errors first).
        """
        from astropy.table import MaskedColumn, Table

        rows = [(f.path or r.path, f) for r in self.files for f in sorted(r.findings, key=Finding.sort_key)]
        table = Table()
        for name in TABLE_COLUMNS:
            values = [_column_value(name, path, f) for path, f in rows]
            missing = [v is None for v in values]
            fill = 0 if name in _INT_COLUMNS else ""
            dtype = "int64" if name in _INT_COLUMNS else str
            table[name] = MaskedColumn([fill if v is None else v for v in values], dtype=dtype, mask=missing)
        return table

    def to_pandas(self) -> "pandas.DataFrame":
        """The findings as a pandas ``DataFrame`` (the columns of :meth:`to_table`; masked values
        are missing: ``isna()``).  Needs pandas (``pip install pandas``)."""
        try:
            import pandas  # noqa: F401
        except ImportError:
            raise ImportError("Report.to_pandas() needs pandas, which is not installed: pip install pandas") from None
        return self.to_table().to_pandas()

    def _repr_html_(self) -> str:
        return _html(self.files, title="")


# --------------------------------------------------------------------- notebook views
TABLE_COLUMNS = ("path", "rule", "category", "severity", "hdu", "keyword", "message", "hint", "line", "column")
_INT_COLUMNS = ("hdu", "line", "column")

# HTML view: each severity's first FOLD findings are shown, the rest folded in <details>;
# past MAX_ROWS per severity they are counted only (a page of megabytes would stall the browser).
FOLD = 25
MAX_ROWS = 1000
_CLIP = 120


def _column_value(name: str, path: str, f: Finding) -> Any:
    if name == "path":
        return path
    value = getattr(f, name)
    return value.value if isinstance(value, enum.Enum) else value


def _clip(text: str, n: int = _CLIP) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[: n - 3] + "..."


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _counts_text(errors: int, warnings: int, infos: int) -> str:
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}, {_plural(infos, 'info')}"


def _verdict(s: Summary) -> str:
    return "FAIL" if s.errors else "NEEDS REVIEW" if s.warnings else "PASS"


_SEVERITY_TITLES = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info notes"}
_HEAD = ("file", "HDU", "keyword", "rule", "severity", "message", "fix")


def _e(value: Any) -> str:
    """Escape anything that may come from a file or hlsp.yaml for HTML text or attribute values."""
    import html  # (only for notebooks' HTML tables)

    return html.escape("" if value is None else str(value), quote=True)


def _row(path: str, f: Finding) -> str:
    where = f"{path}:{f.line}" if f.line is not None else path
    cells = (where, f.hdu, f.keyword, f.rule, f.severity.value, f.message, f.hint)
    return "<tr>" + "".join(f'<td style="text-align:left;vertical-align:top">{_e(c)}</td>' for c in cells) + "</tr>"


def _table(rows: list[str]) -> str:
    head = "".join(f'<th style="text-align:left">{h}</th>' for h in _HEAD)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _html(files: list[FileResult], title: str) -> str:
    """The HTML view of results: verdict and counts, then one table per severity, errors first.

    Errors are shown (and warnings when there are no errors); every other
    section, and the rows of any section beyond :data:`FOLD`, are folded in
    ``<details>``; beyond :data:`MAX_ROWS` a note points to ``to_table()``.
    Every value from a file is escaped; there are no scripts.
    """
    s = Summary()
    for r in files:
        s.add(r)
    verdict = _verdict(s)
    color = {"FAIL": "#b00020", "NEEDS REVIEW": "#8a6d00", "PASS": "#1b7f3b"}[verdict]
    out = ['<div class="hlsp-report">']
    heading = f'<strong style="color:{color}">{verdict}</strong>'
    if title:
        heading += f" <code>{_e(title)}</code>"
    out.append(f"<p>{heading}: {_plural(s.files, 'file')} checked, {_counts_text(s.errors, s.warnings, s.infos)}</p>")
    by_severity: dict[Severity, list[str]] = {sev: [] for sev in _SEVERITY_TITLES}
    counts = {Severity.ERROR: s.errors, Severity.WARNING: s.warnings, Severity.INFO: s.infos}
    for r in files:
        for f in sorted(r.findings, key=Finding.sort_key):
            if len(by_severity[f.severity]) < MAX_ROWS:
                by_severity[f.severity].append(_row(f.path or r.path, f))
    for sev, rows in by_severity.items():
        n = counts[sev]
        if not n:
            continue
        label = f"{n} {_SEVERITY_TITLES[sev] if n != 1 else _SEVERITY_TITLES[sev].rstrip('s')}"
        shown, rest = rows[:FOLD], rows[FOLD:]
        body = _table(shown)
        if rest:
            body += f"<details><summary>{n - FOLD} more</summary>{_table(rest)}"
            if n > len(rows):
                body += f"<p>{n - len(rows)} more not shown: <code>report.to_table()</code> has them all</p>"
            body += "</details>"
        opened = sev is Severity.ERROR or (sev is Severity.WARNING and not s.errors)
        out.append(f"<details{' open' if opened else ''}><summary>{label}</summary>{body}</details>")
    out.append("</div>")
    return "".join(out)
