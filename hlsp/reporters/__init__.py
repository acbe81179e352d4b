"""Reporters turn validation results into text for people and machines.

A reporter receives results one file at a time (so a run over millions of
files streams) and the summary at the end; it never computes findings.
"""

from __future__ import annotations

import importlib

from hlsp.errors import HlspError
from hlsp.reporters.base import Reporter

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from typing import IO

# format -> (module in hlsp.reporters, class); a run imports only the one it writes.
FORMATS: dict[str, tuple[str, str]] = {
    "text": ("text", "TextReporter"),
    "json": ("json", "JsonReporter"),
    "markdown": ("markdown", "MarkdownReporter"),
    "github": ("github", "GithubReporter"),
    "junit": ("junit", "JunitReporter"),
}


def make_reporter(fmt: str, stream: IO[str], **options) -> Reporter:
    try:
        module, name = FORMATS[fmt]
    except KeyError:
        raise HlspError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    cls = getattr(importlib.import_module(f"hlsp.reporters.{module}"), name)
    return cls(stream, **options)


__all__ = ["FORMATS", "Reporter", "make_reporter"]
