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
bar on standard error -- never tqdm's "IProgress not found" warning.  tqdm
comes with ``pip install 'hlsp[progress]'``; without it a bar is a one-line
:class:`hlsp.errors.MissingExtra` error (the callback needs nothing).

The CLI (``hlsp validate``) shows the bar on standard error only when
:func:`cli_wants_bar` says so: the text format (json, github, junit and
markdown are read by programs), standard error is a terminal, not in CI
(``CI``, ``GITHUB_ACTIONS``), and only once a run has lasted :data:`CLI_DELAY`
seconds; ``--progress always|never`` overrides it.  When the report goes to
the same terminal, :class:`AroundBar` lifts the bar out of the way of each
line.
"""

from __future__ import annotations

import io
import os
import sys
import time

from hlsp.findings import FileResult

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from typing import IO, Any, Callable, Iterable, Iterator, Mapping

    ProgressCallback = Callable[[int, "int | None", FileResult], Any]

# The CLI's bar appears only after a run has lasted this long (short runs never show it).
CLI_DELAY = 1.0


def known_total(paths: Iterable[str]) -> int | None:
    """The number of results when every path is a plain file or a URL (each gives one), else None."""
    paths = list(paths)
    if paths and all(p[:8].lower().startswith(_URL_PREFIXES) or os.path.isfile(p) for p in paths):
        return len(paths)
    return None


_URL_PREFIXES = ("https://", "http://", "s3://")  # as hlsp.engine._is_url: one remote file each


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
    """tqdm's notebook bar when in Jupyter with ``ipywidgets``, else the plain one (which never warns).

    Raises :class:`hlsp.errors.MissingExtra` (one line) without tqdm (``hlsp[progress]``).
    """
    from hlsp.errors import require_extra

    require_extra("progress", "a progress bar")
    notebook = in_notebook() if notebook is None else notebook
    if notebook and _has_ipywidgets():
        from tqdm.notebook import tqdm
    else:
        from tqdm.std import tqdm
    return tqdm


class Bar:
    """A progress callback drawing a tqdm bar: files done (of the total when known), errors so far.

    ``Bar(file=sys.stderr, delay=0.0)``: the bar is drawn at the first result
    after ``delay`` seconds (so short runs never show it); ``notebook``: force
    (True/False) the Jupyter widget, default when in Jupyter with ipywidgets.
    Other keyword arguments go to tqdm.
    """

    def __init__(
        self, file: IO[str] | None = None, delay: float = 0.0, notebook: bool | None = None, **tqdm_options: Any
    ):
        self._cls = tqdm_class(notebook)
        self._options = dict(unit=" files", desc="hlsp validate", leave=True)
        self._options.update(tqdm_options)
        if self._cls.__module__ == "tqdm.std":
            file = file if file is not None else sys.stderr
            self._options["file"] = file
            if _columns(file) == 0:  # a terminal that tells no size (a bare pty): tqdm would draw nothing
                self._options.setdefault("ncols", 80)
                self._options.setdefault("nrows", 24)
        self.delay = delay
        self._start = time.monotonic()
        self.errors = 0
        self._bar = None  # made at the first result after the delay, when the total is known

    @property
    def shown(self) -> bool:
        return self._bar is not None

    def __call__(self, done: int, total: int | None, result: FileResult) -> None:
        self.errors += sum(1 for f in result.findings if f.severity.value == "error")
        if self._bar is None:
            if self.delay > 0 and time.monotonic() - self._start < self.delay:
                return
            self._bar = self._cls(total=total, **self._options)
        bar = self._bar
        if total is not None and bar.total != total:
            bar.total = total
        if self.errors:
            bar.set_postfix_str(f"{self.errors} error{'' if self.errors == 1 else 's'}", refresh=False)
        bar.update(done - bar.n)

    def clear(self) -> None:
        if self._bar is not None:
            self._bar.clear()

    def refresh(self) -> None:
        if self._bar is not None:
            self._bar.refresh()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def _columns(file: IO[str]) -> int | None:
    try:
        return os.get_terminal_size(file.fileno()).columns
    except (AttributeError, ValueError, OSError, io.UnsupportedOperation):
        return None


class AroundBar:
    """A text stream whose writes lift ``bar`` out of the way (for a report and a bar on one terminal)."""

    def __init__(self, stream: IO[str], bar: Bar):
        self.stream = stream
        self.bar = bar

    def write(self, text: str) -> int:
        if not self.bar.shown:
            return self.stream.write(text)
        self.bar.clear()
        n = self.stream.write(text)
        self.stream.flush()
        self.bar.refresh()
        return n

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


def in_ci(environ: Mapping[str, str] | None = None) -> bool:
    """True under a CI service: ``CI`` set to anything but false/0/empty, or ``GITHUB_ACTIONS``."""
    env = os.environ if environ is None else environ
    ci = env.get("CI", "").strip().lower()
    return (ci not in ("", "0", "false", "no")) or bool(env.get("GITHUB_ACTIONS"))


def cli_wants_bar(fmt: str, stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``hlsp validate --progress auto`` draws a bar on ``stream`` (its standard error).

    Never without tqdm (``hlsp[progress]``): ``auto`` then quietly draws none.
    """
    from importlib.util import find_spec

    env = os.environ if environ is None else environ
    if fmt != "text" or in_ci(env) or env.get("TERM") == "dumb":
        return False
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):  # a closed or replaced stream
        return False
    return tty and find_spec("tqdm") is not None  # (looked for only on a terminal: it walks sys.path)
