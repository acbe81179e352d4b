"""Progress of a validation run: a callback per file result, and a progress bar.

A *progress callback* is any callable ``progress(done, total, result)``: it is
called once per file result, in report order, with the number of results so far,
the number of files the run will give (``None`` while it is not known: folders
are walked as they are validated) and the :class:`~hlsp.findings.FileResult`.
``hlsp.validate(paths, progress=callback)`` calls it; :func:`track` adds one to
any stream of results (``iter_validate``).  ``progress=True`` shows a
:class:`Bar`.

:class:`Bar` is a tqdm bar (files, errors so far): the notebook widget when
running in Jupyter *and* ``ipywidgets`` is installed, else tqdm's plain text
bar on standard error -- never tqdm's "IProgress not found" warning.

The CLI (``hlsp validate``) shows the bar on standard error only when
:func:`cli_wants_bar` says so: the text format, standard error is a terminal,
not in CI (``CI``, ``GITHUB_ACTIONS``) and only once a run has lasted
:data:`CLI_DELAY` seconds; ``--progress always|never`` overrides it.
"""

from __future__ import annotations

import os
import sys
from typing import IO, Any, Callable, Iterable, Iterator, Mapping

from hlsp.findings import FileResult

ProgressCallback = Callable[[int, "int | None", FileResult], Any]

# The CLI's bar appears only after a run has lasted this long (short runs never show it).
CLI_DELAY = 1.0


def known_total(paths: Iterable[str]) -> int | None:
    """The number of results when every path is a plain file (each gives one), else None."""
    paths = list(paths)
    if paths and all(os.path.isfile(p) for p in paths):
        return len(paths)
    return None


def track(results: Iterable[FileResult], progress: ProgressCallback, total: int | None = None) -> Iterator[FileResult]:
    """Yield ``results`` unchanged, calling ``progress(done, total, result)`` for each.

    When the results end (or the consumer stops early) and ``progress`` has a
    ``close`` method (a :class:`Bar`), it is closed.
    """
    done = 0
    try:
        for result in results:
            done += 1
            progress(done, total, result)
            yield result
    finally:
        close = getattr(progress, "close", None)
        if callable(close):
            close()


def in_notebook() -> bool:
    """True inside a Jupyter kernel (ipykernel's shell), without importing IPython."""
    shell_module = sys.modules.get("IPython")
    if shell_module is None:
        return False
    ip = getattr(shell_module, "get_ipython", lambda: None)()
    return type(ip).__name__ == "ZMQInteractiveShell"


def _has_ipywidgets() -> bool:
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


def tqdm_class(notebook: bool | None = None):
    """tqdm's notebook bar when in Jupyter with ``ipywidgets``, else the plain one (which never warns)."""
    notebook = in_notebook() if notebook is None else notebook
    if notebook and _has_ipywidgets():
        from tqdm.notebook import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm


class Bar:
    """A progress callback drawing a tqdm bar: files done (of the total when known), errors so far.

    ``Bar(file=sys.stderr, delay=0.0)``: ``delay`` seconds pass before it is drawn
    (short runs never show it); other keyword arguments go to tqdm.
    """

    def __init__(self, file: IO[str] | None = None, delay: float = 0.0, notebook: bool | None = None, **tqdm_options: Any):
        self._cls = tqdm_class(notebook)
        self._options = dict(unit="file", desc="hlsp validate", delay=delay, dynamic_ncols=True, leave=True)
        self._options.update(tqdm_options)
        if self._cls.__module__ == "tqdm.std":
            self._options["file"] = file if file is not None else sys.stderr
        self.errors = 0
        self._bar = None  # made at the first result, when the total is known

    def __call__(self, done: int, total: int | None, result: FileResult) -> None:
        if self._bar is None:
            self._bar = self._cls(total=total, **self._options)
        bar = self._bar
        if total is not None and bar.total != total:
            bar.total = total
        new_errors = sum(1 for f in result.findings if f.severity.value == "error")
        if new_errors:
            self.errors += new_errors
            bar.set_postfix_str(f"{self.errors} error{'' if self.errors == 1 else 's'}", refresh=False)
        bar.update(done - bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """True under a CI service: ``CI`` set to anything but false/0/empty, or ``GITHUB_ACTIONS``."""
    env = os.environ if environ is None else environ
    ci = env.get("CI", "").strip().lower()
    return (ci not in ("", "0", "false", "no")) or bool(env.get("GITHUB_ACTIONS"))


def cli_wants_bar(fmt: str, stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``hlsp validate --progress auto`` draws a bar on ``stream`` (its standard error)."""
    env = os.environ if environ is None else environ
    if fmt != "text" or in_ci(env) or env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False
