"""Reporters turn validation results into text for people and machines.

A reporter receives results one file at a time (so a run over millions of
files streams) and the summary at the end; it never computes findings.
"""

from __future__ import annotations

from typing import IO

from hlsp.errors import HlspError
from hlsp.reporters.base import Reporter
from hlsp.reporters.github import GithubReporter
from hlsp.reporters.json import JsonReporter
from hlsp.reporters.junit import JunitReporter
from hlsp.reporters.markdown import MarkdownReporter
from hlsp.reporters.text import TextReporter

FORMATS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "markdown": MarkdownReporter,
    "github": GithubReporter,
    "junit": JunitReporter,
}


def make_reporter(fmt: str, stream: IO[str], **options) -> Reporter:
    try:
        cls = FORMATS[fmt]
    except KeyError:
        raise HlspError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}") from None
    return cls(stream, **options)


__all__ = ["FORMATS", "Reporter", "make_reporter"]
