"""Run one job per item on a few threads, with the outcome of a plain ``for`` loop.

Staging copies several files at once: the copy of one file is bound by its
MD5 (one stream cannot be split across cores), so two files side by side use
two cores.  ``hashlib`` and file/socket I/O release the GIL, so threads suffice.

What must not change with the parallelism is what the user sees:

- results come back in item order, whatever order the jobs finish in;
- if jobs fail, the error raised is the one of the *first* failing item in
  item order -- the error the sequential loop would have raised.  Jobs start in
  item order, so every item before a failed one has started; those run to the
  end (their error, if any, wins), while jobs after the first failure are not
  started and running ones are asked to stop (``stop()`` turns true) so they
  can abort cleanly (discard their temporary) instead of finishing work that
  the run throws away.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Two files at a time: each copy already runs three threads (read/write, SHA-256,
# MD5), so more files than cores only adds memory (two 8 MiB buffers each) and seeks.
WORKERS = min(2, os.cpu_count() or 1)


class Stopped(Exception):
    """Raised by a job that gave up because an earlier item failed; never reaches the caller."""


def _never() -> bool:
    return False


def map_in_order(job: Callable[[T, Callable[[], bool]], R], items: Sequence[T], workers: int = WORKERS) -> list[R]:
    """``[job(item, stop) for item in items]`` on ``workers`` threads; see the module docstring.

    ``job`` should call ``stop()`` between units of work and raise :class:`Stopped`
    (after cleaning up) when it returns true.
    """
    if workers <= 1 or len(items) <= 1:
        return [job(item, _never) for item in items]
    first_failure = len(items)  # index of the first failed item so far (len: none)
    lock = threading.Lock()

    def run(index: int, item: T) -> R:
        nonlocal first_failure
        if index > first_failure:
            raise Stopped
        try:
            return job(item, lambda: index > first_failure)
        except Stopped:
            raise
        except BaseException:
            with lock:
                first_failure = min(first_failure, index)
            raise

    pool = ThreadPoolExecutor(workers, thread_name_prefix="hlsp-stage")
    try:
        futures = [pool.submit(run, i, item) for i, item in enumerate(items)]
        wait(futures)
    except BaseException:  # KeyboardInterrupt in the waiting thread: stop every job, then leave
        first_failure = -1
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    for f in futures:
        exc = f.exception()
        if exc is not None and not isinstance(exc, Stopped):
            raise exc
    return [f.result() for f in futures]
