"""``--format markdown``: the same report reviewers read in the pull-request comment.

One renderer, :func:`render_report`, turns a :class:`~hlsp.findings.Report`
into Markdown with ``templates/report/comment.md.j2``: the verdict, the commit
when known, the counts, **errors first** (rule, where, problem, how to fix),
warnings folded (one row for a warning that several files share, the rest per
file), notes folded at the end.  ``hlsp validate --format
markdown`` and the pull-request comment (:func:`hlsp.gh.comment.render_comment`,
which adds the per-contribution table and the hidden marker) both call it.

Every string that comes from the validated files is made inert on its way into
the template by the environment itself (:func:`inert`: Markdown and HTML
escaped, ``@mentions`` and links broken, control and bidi characters replaced,
length capped), so a template edit cannot forget it.
"""

from __future__ import annotations

import os
import re
import subprocess
from functools import lru_cache
from typing import Any

from markupsafe import Markup, escape

from hlsp.errors import HlspError
from hlsp.findings import FileResult, Report, Severity
from hlsp.reporters.base import Reporter, location, ordered, plural

MAX_COMMENT = 65_536  # GitHub's limit on a comment body, in characters
MAX_SHOWN = 300  # characters of one contributor-controlled string shown


def md_escape(text: str) -> str:
    """Make contributor-controlled text inert in Markdown/HTML."""
    out = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]|#!":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_ZWSP = "&#8203;"


def _defuse(text: str) -> str:
    """Break what GitHub would turn into notifications or links, in escaped text."""
    text = text.replace("@", "@" + _ZWSP)  # no @mentions (nor e-mail autolinks)
    text = text.replace("://", ":" + _ZWSP + "//")  # no autolinked URLs
    return re.sub(r"(?i)\bwww\.", "www" + _ZWSP + ".", text)


def _clip(value: Any) -> str:
    text = _INVISIBLE.sub("\ufffd", str(value))
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "\u2026"


def inert(value: Any) -> Markup:
    """Contributor text made safe for Markdown (tables, prose)."""
    text = md_escape(_clip(value))
    for ch in "~$()":
        text = text.replace(ch, "\\" + ch)
    return Markup(_defuse(text))


def inert_html(value: Any) -> Markup:
    """Contributor text made safe inside raw HTML (``<summary>``), where Markdown is not parsed."""
    return Markup(_defuse(str(escape(" ".join(_clip(value).split())))))


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return inert(value)


@lru_cache(maxsize=1)
def environment():
    import jinja2

    from hlsp.pages.site import templates_dir

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir().parent / "report"),  # beside templates/site
        autoescape=True,
        finalize=_finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["html"] = inert_html
    env.filters["plural"] = plural
    return env


def verdict_of(report: Report) -> str:
    """failed (errors), needs-review (warnings), passed (nothing, or only notes)."""
    s = report.summary
    return "failed" if s.errors else "needs-review" if s.warnings else "passed"


def _rows(
    results: list[FileResult], severity: Severity, budget: list[int], skip: set[tuple] = frozenset()
) -> list[dict[str, Any]]:
    files = []
    for r in results:
        shown = []
        for f in ordered(r.findings):
            if f.severity is not severity or (skip and (f.rule, location(f), f.message, f.hint) in skip):
                continue
            if budget[0] <= 0:
                break
            budget[0] -= 1
            shown.append({"rule": f.rule, "where": location(f), "message": f.message, "hint": f.hint})
        if shown:
            files.append({"path": r.path, "findings": shown, "count": len(shown)})
    return files


SHOWN_FILES = 3  # file names listed for a warning repeated in several files


def _repeated(results: list[FileResult], budget: list[int]) -> tuple[set[tuple], list[dict[str, Any]]]:
    """Warnings that several files share (same rule, place, message and hint): folded into one row each."""
    files_of: dict[tuple, list[str]] = {}
    for r in results:
        for f in ordered(r.findings):
            if f.severity is Severity.WARNING:
                key = (f.rule, location(f), f.message, f.hint)
                if r.path not in files_of.setdefault(key, []):
                    files_of[key].append(r.path)
    keys = {k for k, paths in files_of.items() if len(paths) > 1}
    rows = []
    for key, paths in files_of.items():
        if key not in keys or budget[0] <= 0:
            continue
        budget[0] -= 1
        names = ", ".join(p.rsplit("/", 1)[-1] for p in paths[:SHOWN_FILES])
        more = f" and {len(paths) - SHOWN_FILES} more" if len(paths) > SHOWN_FILES else ""
        rule, where, message, hint = key
        rows.append(
            {"rule": rule, "where": where, "message": message, "hint": hint, "count": len(paths), "files": names + more}
        )
    return keys, rows


def _shown(report: Report, rows: int, repeated: list[dict[str, Any]]) -> int:
    """Findings shown by ``rows`` table rows: a folded row stands for every finding it folds."""
    keys = {(r["rule"], r["where"], r["message"], r["hint"]) for r in repeated}
    folded = sum(
        1
        for r in report.files
        for f in r.findings
        if f.severity is Severity.WARNING and (f.rule, location(f), f.message, f.hint) in keys
    )
    return rows - len(repeated) + folded


def render_report(
    report: Report,
    *,
    head: str | None = None,
    contributions: list[dict[str, Any]] | None = None,
    other: dict[str, int] | None = None,
    run_url: str | None = None,
    marker: str = "",
    max_chars: int = MAX_COMMENT,
) -> str:
    """The report as Markdown of at most ``max_chars`` characters (see the module docstring).

    ``head``: the commit (shown shortened); ``contributions``: rows of the
    per-contribution table (None: no table); ``run_url``: a checked http(s)
    link to the full report.  When every finding does not fit, as many as fit
    are shown (errors first) and the rest counted.
    """
    template = environment().get_template("comment.md.j2")
    total = sum(len(r.findings) for r in report.files)
    limit = total
    while True:
        budget = [limit]
        errors = _rows(report.files, Severity.ERROR, budget)
        folded, repeated = _repeated(report.files, budget)
        warnings = _rows(report.files, Severity.WARNING, budget, skip=folded)
        notes = _rows(report.files, Severity.INFO, budget)
        body = template.render(
            marker=Markup(marker),
            verdict=verdict_of(report),
            summary=report.summary,
            head=head[:12] if head else None,
            run_url=Markup(run_url) if run_url else None,
            contributions=contributions,
            other=other,
            errors=errors,
            warnings=warnings,
            repeated=repeated,
            notes=notes,
            hidden=total - _shown(report, limit - budget[0], repeated),
        )
        if len(body) <= max_chars:
            return body
        if limit == 0:
            raise HlspError(f"the report does not fit in {max_chars} characters even without findings")
        limit = max(min(limit - 1, int(limit * max_chars / len(body) * 0.95)), 0)


def current_commit() -> str | None:
    """The commit being validated: ``$GITHUB_SHA`` under Actions, else ``git rev-parse HEAD`` here."""
    sha = os.environ.get("GITHUB_SHA", "").strip()
    if re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", sha):
        return sha
    try:
        run = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, timeout=10, text=True)
    except (OSError, subprocess.TimeoutExpired):
        return None
    out = run.stdout.strip()
    return out if run.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", out) else None


class MarkdownReporter(Reporter):
    """For $GITHUB_STEP_SUMMARY or a review by hand: the pull-request comment's rendering."""

    def begin(self) -> None:
        self._results: list[FileResult] = []

    def file(self, result: FileResult) -> None:
        self._results.append(result)

    def end(self) -> None:
        self.stream.write(render_report(Report(self._results), head=current_commit(), max_chars=10 * MAX_COMMENT))
