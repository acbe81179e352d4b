"""Where batches of files are validated: here, in a local process pool, or on a Dask cluster.

The engine cuts the files into batches (lists of paths, in discovery order),
``submit``s them and collects each batch's results with ``results`` in the
same order, keeping at most ``capacity`` batches in flight so memory stays
bounded however many files there are.  The work itself is one picklable
callable, ``work(paths) -> list[FileResult]`` (the engine passes
``functools.partial(_validate_batch, options=...)``), so every scheduler runs
exactly the same code.  (The items of a batch need only be picklable: the
landing pages' previews, :func:`hlsp.pages.previews.build_previews`, run
``(task, output)`` pairs through :class:`LocalPool` the same way, and their
``on_crash`` gives the product's warning instead of a ``FileResult``.)

A worker that dies (killed, out of memory, a crash in native code) loses no
result: its batch is submitted again, up to ``RETRIES`` times; a batch that
keeps killing workers is split into single files, and a single file that still
kills its worker gets a finding (``on_crash``) instead of taking the run down.

* :class:`InProcess` -- no workers; used for one batch or ``--jobs 1``.
* :class:`LocalPool` -- worker processes, each with a pipe of its own; on Linux
  the workers are forked, so they start with everything the parent has
  imported and loaded (profiles, vocabularies) instead of importing it again.
* :class:`DaskCluster` -- a ``distributed`` scheduler at ``tcp://HOST:PORT``;
  ``hlsp`` must be importable on the workers and the files readable there
  under the same paths.  Dask itself retries tasks of dead workers
  (``distributed.scheduler.allowed-failures``) before this module does.
"""

from __future__ import annotations

import os
from collections import deque

from hlsp.errors import HlspError, MissingExtra, missing_extra
from hlsp.findings import FileResult

TYPE_CHECKING = False
if TYPE_CHECKING:  # annotations only (typing costs ~4 ms to import)
    from typing import Any, Callable

    Work = Callable[[list[str]], list[FileResult]]

RETRIES = 2  # resubmissions of a whole batch after its worker died


class NotJudged(FileResult):
    """The result of a file whose worker kept dying: not the file's verdict, so never cached."""

    __slots__ = ()
    cacheable = False


class Job:
    """One submitted batch: its paths, the scheduler's handle, how often it was submitted."""

    __slots__ = ("paths", "handle", "attempts")

    def __init__(self, paths: list[str], handle: Any, attempts: int = 1):
        self.paths = paths
        self.handle = handle
        self.attempts = attempts


class Scheduler:
    """Runs ``work`` on batches; subclasses say where."""

    workers = 1
    lost: tuple[type[BaseException], ...] = ()  # exceptions that mean "the worker died"

    def __init__(self, work: Work, on_crash: Callable[[str], FileResult]):
        self.work = work
        self.on_crash = on_crash

    @property
    def capacity(self) -> int:
        """Batches to keep in flight: enough to keep every worker busy."""
        return 2 * self.workers

    def submit(self, paths: list[str]) -> Job:
        return Job(paths, self._submit(paths))

    def done(self, job: Job) -> bool:
        return self._done(job.handle)

    def results(self, job: Job) -> list[FileResult]:
        """The results of ``job``, one per path, in order; retries lost batches."""
        while True:
            try:
                return self._wait(job.handle)
            except self.lost:
                if job.attempts <= RETRIES:
                    job.attempts += 1
                    job.handle = self._submit(job.paths)
                    continue
                if len(job.paths) == 1:
                    crash = self.on_crash(job.paths[0])
                    if isinstance(crash, FileResult):
                        crash = NotJudged(crash.path, crash.findings)
                    return [crash]
                # a file in this batch kills workers: find it by running them one by one
                return [r for p in job.paths for r in self.results(self.submit([p]))]

    def close(self) -> None:
        pass

    def __enter__(self) -> "Scheduler":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- what subclasses provide
    def _submit(self, paths: list[str]) -> Any:
        raise NotImplementedError

    def _done(self, handle: Any) -> bool:
        return handle.done()

    def _wait(self, handle: Any) -> list[FileResult]:
        return handle.result()


class InProcess(Scheduler):
    """Validate in this process, at submission."""

    def _submit(self, paths: list[str]) -> list[FileResult]:
        return self.work(paths)

    def _done(self, handle) -> bool:
        return True

    def _wait(self, handle) -> list[FileResult]:
        return handle


class WorkerLost(Exception):
    """The local worker running a batch died before its whole result arrived."""


class _Task:
    """One batch handed to :class:`LocalPool`: queued, running, then done (ok, error or lost)."""

    __slots__ = ("paths", "state", "value")

    def __init__(self, paths: list[str]):
        self.paths = paths
        self.state = "queued"
        self.value: Any = None

    def done(self) -> bool:
        return self.state in ("ok", "error", "lost")


def _serve(conn, work: Work) -> None:
    """A worker's loop: batches in, results out, on its own pipe, until told to stop."""
    while True:
        try:
            paths = conn.recv()
        except (EOFError, OSError):  # the parent went away
            return
        if paths is None:
            return
        try:
            out = ("ok", work(paths))
        except BaseException as exc:  # a bug: the parent re-raises it
            out = ("error", exc)
        try:
            conn.send(out)
        except (OSError, ValueError):
            return
        except Exception as exc:  # e.g. an exception that does not pickle
            conn.send(("error", RuntimeError(f"{type(exc).__name__}: {exc}")))


class _Worker:
    """One worker process and the parent's end of its private pipe."""

    def __init__(self, ctx, work: Work):
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_serve, args=(child, work), daemon=True)
        self.process.start()
        child.close()  # the worker holds the only other end: its death is an EOF here
        self.task: _Task | None = None

    def stop(self) -> None:
        if self.task is None and self.process.is_alive():
            try:
                self.conn.send(None)
            except OSError:
                pass
        else:
            self.process.kill()  # its batch is not wanted any more
        self.process.join(10)
        if self.process.is_alive():  # (an idle worker that does not stop when told: never waited on for ever)
            self.process.kill()
            self.process.join()
        self.conn.close()


class LocalPool(Scheduler):
    """A pool of ``jobs`` worker processes on this machine.

    Each worker has a pipe of its own, and the parent watches every pipe and
    every process together (``multiprocessing.connection.wait``).  A worker
    killed at any moment -- idle, working, or half-way through writing its
    result -- shows as an end of file on its own pipe or as its process
    ending: its batch is lost (and submitted again by :meth:`Scheduler.results`)
    and a new worker takes its place.  Nothing waits on a pipe another process
    still holds, which is how ``concurrent.futures.ProcessPoolExecutor`` hangs
    when a worker is SIGKILLed in the middle of writing a result (issue 17).
    """

    def __init__(self, work: Work, on_crash: Callable[[str], FileResult], jobs: int):
        super().__init__(work, on_crash)
        import multiprocessing

        self.lost = (WorkerLost,)
        self.workers = max(1, jobs)
        methods = multiprocessing.get_all_start_methods()
        # forked on Linux: workers start with everything the parent has loaded
        self._ctx = multiprocessing.get_context("fork" if "fork" in methods and os.name == "posix" else None)
        self._queue: deque[_Task] = deque()
        self._pool = [_Worker(self._ctx, self.work) for _ in range(self.workers)]
        self.replaced = 0  # workers that died and were replaced (for tests and reports)

    def _submit(self, paths: list[str]) -> _Task:
        task = _Task(paths)
        self._queue.append(task)
        self._dispatch()
        return task

    def _done(self, task: _Task) -> bool:
        if not task.done():
            self._pump(0)
        return task.done()

    def _wait(self, task: _Task) -> list[FileResult]:
        while not task.done():
            self._pump(None)
        if task.state == "lost":
            raise WorkerLost(f"the worker running a batch of {len(task.paths)} file(s) died")
        if task.state == "error":
            raise task.value
        return task.value

    def _dispatch(self) -> None:
        for i, w in enumerate(self._pool):
            if not self._queue:
                return
            if w.task is not None:
                continue
            task = self._queue.popleft()
            try:
                w.conn.send(task.paths)
            except OSError:  # died while idle: the batch never reached it
                self._queue.appendleft(task)
                self._replace(i)
                continue
            w.task, task.state = task, "running"

    def _pump(self, timeout: float | None) -> None:
        """Take in whatever results and deaths are there (waiting up to ``timeout``)."""
        from multiprocessing.connection import wait

        self._dispatch()
        watched: dict[Any, int] = {}
        for i, w in enumerate(self._pool):
            watched[w.process.sentinel] = i
            if w.task is not None:
                watched[w.conn] = i
        if not any(w.task is not None for w in self._pool):
            return  # nothing running: nothing to wait for
        seen = set()
        for ready in wait(list(watched), timeout):
            i = watched[ready]
            if i in seen:
                continue
            seen.add(i)
            self._take(i)
        self._dispatch()

    def _take(self, i: int) -> None:
        w = self._pool[i]
        task = w.task
        message = None
        if task is not None and w.conn.poll(0):
            try:
                message = w.conn.recv()  # a writer killed mid-message: EOF, not a hang
            except (EOFError, OSError):
                message = None
            except Exception as exc:  # a result that does not unpickle: a bug, raised to the caller
                message = ("error", RuntimeError(f"a worker's result could not be read ({type(exc).__name__}: {exc})"))
        if message is not None:
            task.state, task.value = message
            w.task = None
            if w.process.is_alive():
                return
        elif w.process.is_alive() and task is not None:
            # readable but no whole message: the worker is closing its end as it dies
            w.process.kill()
        if task is not None and w.task is task:
            task.state = "lost"
        self._replace(i)

    def _replace(self, i: int) -> None:
        old = self._pool[i]
        if old.process.is_alive():
            old.process.kill()
        old.process.join()
        old.conn.close()
        self.replaced += 1
        self._pool[i] = _Worker(self._ctx, self.work)

    def close(self) -> None:
        self._queue.clear()
        for w in self._pool:
            w.stop()


class DaskCluster(Scheduler):
    """Batches run as tasks on a Dask distributed cluster."""

    def __init__(self, work: Work, on_crash: Callable[[str], FileResult], address: str):
        super().__init__(work, on_crash)
        try:
            from distributed import Client
            from distributed.scheduler import KilledWorker
        except ImportError as exc:  # not installed: the extra hlsp[dask]
            raise MissingExtra(missing_extra("dask", exc.name or "distributed", "--scheduler")) from None
        self.lost = (KilledWorker,)
        self.address = address
        try:
            # (connection timeout: Dask's distributed.comm.timeouts.connect)
            self._client = Client(address, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise HlspError(f"cannot connect to the Dask scheduler at {address}: {exc}") from None
        try:
            info = self._client.scheduler_info(n_workers=-1)  # newer versions list 5 by default
        except TypeError:
            info = self._client.scheduler_info()
        self.workers = max(1, sum(w.get("nthreads", 1) for w in info.get("workers", {}).values()))

    def _submit(self, paths: list[str]):
        return self._client.submit(self.work, paths, pure=False)

    def _wait(self, handle) -> list[FileResult]:
        from concurrent.futures import CancelledError

        try:
            return handle.result()
        except CancelledError:  # the scheduler went away (or cancelled the run)
            raise HlspError(f"the Dask scheduler at {self.address} cancelled the work (did it stop?)") from None

    def close(self) -> None:
        self._client.close()


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def make_scheduler(
    work: Work,
    on_crash: Callable[[str], FileResult],
    jobs: int = 1,
    address: str | None = None,
) -> Scheduler:
    """The scheduler for a run: Dask when an address is given (or in
    ``DASK_SCHEDULER_ADDRESS``), else a local pool of ``jobs`` processes
    (0: one per core), else this process."""
    address = address or os.environ.get("DASK_SCHEDULER_ADDRESS") or None
    if address:
        return DaskCluster(work, on_crash, address)
    if jobs <= 0:
        jobs = cores()
    if jobs == 1:
        return InProcess(work, on_crash)
    return LocalPool(work, on_crash, jobs)
