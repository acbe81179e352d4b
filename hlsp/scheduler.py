"""Where batches of files are validated: here, in a local process pool, or on a Dask cluster.

The engine cuts the files into batches (lists of paths, in discovery order),
``submit``s them and collects each batch's results with ``results`` in the
same order, keeping at most ``capacity`` batches in flight so memory stays
bounded however many files there are.  The work itself is one picklable
callable, ``work(paths) -> list[FileResult]`` (the engine passes
``functools.partial(_validate_batch, options=...)``), so every scheduler runs
exactly the same code.

A worker that dies (killed, out of memory, a crash in native code) loses no
result: its batch is submitted again, up to ``RETRIES`` times; a batch that
keeps killing workers is split into single files, and a single file that still
kills its worker gets a finding (``on_crash``) instead of taking the run down.

* :class:`InProcess` -- no workers; used for one batch or ``--jobs 1``.
* :class:`LocalPool` -- ``concurrent.futures.ProcessPoolExecutor``; on Linux
  the workers are forked, so they start with everything the parent has
  imported and loaded (profiles, vocabularies) instead of importing it again.
* :class:`DaskCluster` -- a ``distributed`` scheduler at ``tcp://HOST:PORT``;
  ``hlsp`` must be importable on the workers and the files readable there
  under the same paths.  Dask itself retries tasks of dead workers
  (``distributed.scheduler.allowed-failures``) before this module does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Callable

from hlsp.errors import HlspError, MissingExtra, missing_extra
from hlsp.findings import FileResult

RETRIES = 2  # resubmissions of a whole batch after its worker died

Work = Callable[[list[str]], list[FileResult]]


@dataclass(slots=True)
class Job:
    paths: list[str]
    handle: Any
    attempts: int = 1


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
                    return [self.on_crash(job.paths[0])]
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


class LocalPool(Scheduler):
    """A pool of ``jobs`` worker processes on this machine."""

    def __init__(self, work: Work, on_crash: Callable[[str], FileResult], jobs: int):
        super().__init__(work, on_crash)
        from concurrent.futures.process import BrokenProcessPool

        self.lost = (BrokenProcessPool,)
        self.workers = max(1, jobs)
        self._pool = self._new_pool()

    def _new_pool(self):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods and os.name == "posix" else None)
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx)

    def _submit(self, paths: list[str]):
        try:
            return self._pool.submit(self.work, paths)
        except self.lost:  # one dead worker breaks the whole executor: replace it
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(self.work, paths)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


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
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if jobs == 1:
        return InProcess(work, on_crash)
    return LocalPool(work, on_crash, jobs)
