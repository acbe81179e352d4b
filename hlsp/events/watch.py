"""``hlsp watch``: validate objects as they land, fed by a webhook and by sweeps.

Two sources of :class:`~hlsp.events.records.ObjectEvent`:

* SeaweedFS' filer webhook (``WEED_NOTIFICATION_WEBHOOK_ENDPOINT`` pointing at
  ``--listen``): each POST is translated into the AWS record shape
  (:func:`~hlsp.events.records.from_seaweedfs`).  The webhook is sent once and
  never retried -- an event sent while this endpoint is down is lost -- so:
* sweeps: on start and every ``--interval`` seconds the prefix is listed (in
  key order, page by page) and every product without a report of its current
  ETag becomes an event.  A report key sorts right after its object's key
  (``<key>.<etag>.hlsp-report.json``), so the sweep decides each product
  while holding only the keys that share its prefix: memory stays bounded
  however many objects the prefix holds.

Events go to a pool of worker processes (or a Dask cluster with
``--scheduler``) running :func:`hlsp.events.core.process`: at most two
objects per local worker process, or two tasks of up to ``DASK_BATCH``
objects per Dask thread, are in flight; each worker reads one object at a
time in 1 MiB chunks, so memory is bounded whatever the object sizes.  One key is never processed twice at the
same time (a later event for a key in flight is handled after it).  An object
that cannot be processed (the store refuses it, the download breaks, the
worker dies) is retried ``--retries`` times with back-off, then dead-lettered:
recorded beside the object (``<key>.<etag>.hlsp-failed.json``) and as a JSON
line on standard error, and the exit status is 1.

Output: one JSON line per validated object on standard output (``key``,
``etag``, ``errors``, ``warnings``, ``report``); objects that already had a
report print nothing.
"""

from __future__ import annotations

import collections
import heapq
import itertools
import json
import os
import queue
import signal
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, Iterator, TextIO

from hlsp.events.records import ObjectEvent, from_seaweedfs, parse_report_key, skip_reason

BACKOFF = (0.5, 2.0, 5.0, 10.0)
SWEEP_WINDOW = 1000  # sweep events waiting or in flight at once
DONE_MEMORY = 100_000  # (key, etag) pairs remembered as done (beyond: the report HEAD decides)


def work(event: dict, expected: dict | None) -> dict:
    """What a worker runs for one event (module level: picklable for processes and Dask)."""
    from hlsp.events.core import process

    return process(ObjectEvent.from_dict(event), expected=expected).to_dict()


# On a Dask cluster a task costs ~1-3 ms of scheduler time (hlsp.engine): one
# task per object would cap a cluster at a few hundred objects per second, so
# there a task carries up to this many objects (one after another, each with
# its own outcome or error).
DASK_BATCH = 32


def work_many(events: list[dict], expected: dict | None) -> list[dict]:
    """Several events in one task: [{"ok": outcome} or {"error": reason}], in order."""
    out = []
    for event in events:
        try:
            out.append({"ok": work(event, expected)})
        except Exception as exc:  # noqa: BLE001 -- StoreError or a bug: retried by the watcher, per object
            out.append({"error": str(exc) or type(exc).__name__})
    return out


def sweep(store, bucket: str, prefix: str) -> Iterator[ObjectEvent]:
    """Products under ``prefix`` without a report of their current ETag, in key order."""
    stack: list[tuple[dict, set[str]]] = []  # products whose report can still come, with the report ETags seen

    def decided(entry: tuple[dict, set[str]]) -> Iterator[ObjectEvent]:
        o, etags = entry
        if not o["etag"] or o["etag"] not in etags:
            yield ObjectEvent(bucket, o["key"], o["etag"] or None, o["size"], None, "sweep")

    for o in store.list(bucket, prefix):
        key = o["key"]
        while stack and not key.startswith(stack[-1][0]["key"]):  # nothing later can be its report
            yield from decided(stack.pop())
        parsed = parse_report_key(key)
        if parsed is not None:
            for entry in reversed(stack):
                if entry[0]["key"] == parsed[0]:
                    entry[1].add(parsed[1])
                    break
        elif skip_reason(key) is None:
            stack.append((o, set()))
    while stack:
        yield from decided(stack.pop())


@dataclass
class _Job:
    event: ObjectEvent
    attempt: int = 0
    from_sweep: bool = False


class Watcher:
    def __init__(
        self,
        bucket: str,
        prefix: str,
        *,
        jobs: int = 0,
        scheduler: str | None = None,
        retries: int = 3,
        listen: str | None = None,
        interval: float = 300.0,
        once: bool = False,
        expected: dict | None = None,
        out: TextIO = sys.stdout,
        err: TextIO = sys.stderr,
    ):
        self.bucket, self.prefix = bucket, prefix
        self.jobs = jobs or os.cpu_count() or 1
        self.scheduler = scheduler
        self.retries = retries
        self.listen = listen
        self.interval = interval
        self.once = once
        self.expected = expected or {}
        self.out, self.err = out, err
        self.inbox: queue.Queue = queue.Queue()
        self.sweep_slots = threading.Semaphore(SWEEP_WINDOW)
        self.inflight: dict[str, tuple[_Job, Any, Any]] = {}  # key -> (job, future, executor)
        self.later: dict[str, _Job] = {}  # key -> an event that arrived while the key was in flight
        self.waiting: collections.deque[_Job] = collections.deque()
        self.delayed: list[tuple[float, int, _Job]] = []
        self._tick = itertools.count()
        self.done: collections.OrderedDict[tuple[str, str], None] = collections.OrderedDict()
        self.dead: set[tuple[str, str | None]] = set()
        self.sweeping = False
        self.stopping = False
        self.validated = 0
        self.dead_letters = 0
        self.executor = None
        self.client = None
        self.server = None
        self.sweep_failed = False
        self.workers = 0
        self.batch: list[_Job] = []  # Dask: jobs waiting to go out in one task

    # ----------------------------------------------------------------- sources
    def _sweep_thread(self) -> None:
        from hlsp.events.store import Store, StoreError

        n = 0
        try:
            for ev in sweep(Store(), self.bucket, self.prefix):
                self.sweep_slots.acquire()
                self.inbox.put(("event", _Job(ev, from_sweep=True)))
                n += 1
        except StoreError as exc:
            self._log({"sweep": "failed", "reason": str(exc)})
            self.inbox.put(("sweep-done", -1))
            return
        self.inbox.put(("sweep-done", n))

    def _start_sweep(self) -> None:
        if self.sweeping:
            return
        self.sweeping = True
        threading.Thread(target=self._sweep_thread, name="hlsp-sweep", daemon=True).start()

    def _serve(self) -> str:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        watcher = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                n = int(self.headers.get("Content-Length") or 0)
                try:
                    payload = json.loads(self.rfile.read(n) or b"null")
                except ValueError:
                    self.send_response(400)
                    self.end_headers()
                    return
                for p in payload if isinstance(payload, list) else [payload]:
                    item = from_seaweedfs(p)
                    if (
                        isinstance(item, ObjectEvent)
                        and item.key.startswith(watcher.prefix)
                        and item.bucket == watcher.bucket
                    ):
                        watcher.inbox.put(("event", _Job(item)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        host, _, port = (self.listen or "127.0.0.1:0").rpartition(":")
        self.server = ThreadingHTTPServer((host or "127.0.0.1", int(port or 0)), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, name="hlsp-webhook", daemon=True).start()
        h, p = self.server.server_address[:2]
        return f"http://{h}:{p}/"

    # ------------------------------------------------------------------ workers
    def _make_executor(self) -> None:
        if self.scheduler:
            from distributed import Client

            self.client = Client(self.scheduler, set_as_default=False)
            workers = self.client.scheduler_info().get("workers", {})
            self.workers = sum(int(w.get("nthreads", 1)) for w in workers.values()) or 1  # threads: objects at once
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self.executor = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"))

    @property
    def capacity(self) -> int:
        return 2 * (self.workers * DASK_BATCH if self.client is not None else self.jobs)

    def _submit(self, job: _Job) -> None:
        key = job.event.key
        if key in self.inflight:
            prev = self.later.get(key)
            if prev is not None and prev.from_sweep:
                self.sweep_slots.release()
            self.later[key] = job
            return
        if job.event.etag and (key, job.event.etag) in self.done:
            self._finish_job(job)
            return
        if len(self.inflight) >= self.capacity:
            self.waiting.append(job)
            return
        args = (job.event.to_dict(), self.expected)
        if self.client is not None:
            self.inflight[key] = (job, None, None)  # goes out with the next task (_flush)
            self.batch.append(job)
            if len(self.batch) >= DASK_BATCH:
                self._flush()
            return
        else:
            from concurrent.futures.process import BrokenProcessPool

            try:
                fut = self.executor.submit(work, *args)
            except BrokenProcessPool:  # broken before its failures came back: renew now
                self._renew_pool(self.executor)
                fut = self.executor.submit(work, *args)
        self.inflight[key] = (job, fut, self.executor)
        fut.add_done_callback(lambda f, key=key: self.inbox.put(("done", key, f)))

    def _flush(self) -> None:
        """Send the waiting Dask jobs as one task."""
        if not self.batch:
            return
        jobs, self.batch = self.batch, []
        keys = [j.event.key for j in jobs]
        fut = self.client.submit(work_many, [j.event.to_dict() for j in jobs], self.expected, pure=False)
        for j in jobs:
            self.inflight[j.event.key] = (j, fut, None)
        fut.add_done_callback(lambda f, keys=keys: self.inbox.put(("done-many", keys, f)))

    def _completed_many(self, keys: list[str], fut) -> None:
        try:
            results, error = fut.result(), None
        except BaseException as exc:  # noqa: BLE001 -- a lost worker (KilledWorker ...): every object is retried
            results, error = None, exc
        for i, key in enumerate(keys):
            entry = self.inflight.get(key)
            if entry is None or entry[1] is not fut:
                continue
            if error is not None:
                self._settle(key, None, error)
            elif "error" in results[i]:
                self._settle(key, None, RuntimeError(results[i]["error"]))
            else:
                self._settle(key, results[i]["ok"], None)

    def _finish_job(self, job: _Job) -> None:
        if job.from_sweep:
            self.sweep_slots.release()

    def _completed(self, key: str, fut) -> None:
        entry = self.inflight.get(key)
        if entry is None or entry[1] is not fut:
            return
        try:
            result = fut.result()
            error = None
        except BaseException as exc:  # noqa: BLE001 -- a dead worker, StoreError, a bug: all retried
            result, error = None, exc
        self._settle(key, result, error)

    def _settle(self, key: str, result: dict | None, error: BaseException | None) -> None:
        """One object's work came back: print its line, or retry / dead-letter it."""
        job, _, executor = self.inflight.pop(key)
        if error is not None:
            self._failed(job, error, executor)
        else:
            if result["etag"]:
                self.done[(key, result["etag"])] = None
                if len(self.done) > DONE_MEMORY:
                    self.done.popitem(last=False)
            if result["line"] is not None:
                self.validated += 1
                self.out.write(json.dumps(result["line"], ensure_ascii=False) + "\n")
                self.out.flush()
            self._finish_job(job)
        nxt = self.later.pop(key, None)
        if nxt is not None:
            self._submit(nxt)
        while self.waiting and len(self.inflight) < self.capacity:
            self._submit(self.waiting.popleft())

    def _failed(self, job: _Job, exc: BaseException, executor=None) -> None:
        from concurrent.futures.process import BrokenProcessPool

        reason = str(exc) or type(exc).__name__
        if isinstance(exc, BrokenProcessPool):
            reason = "the worker process died while processing it"
            self._renew_pool(executor)
        job.attempt += 1
        if job.attempt <= self.retries:
            delay = BACKOFF[min(job.attempt - 1, len(BACKOFF) - 1)]
            self._log({"key": job.event.key, "etag": job.event.etag, "retry": job.attempt, "reason": reason})
            heapq.heappush(self.delayed, (time.monotonic() + delay, next(self._tick), job))
            return
        from hlsp.events.core import dead_letter

        ev = job.event
        try:
            record = dead_letter(ev, reason, job.attempt)
        except Exception:  # noqa: BLE001 -- the record is also printed below
            record = None
        self.dead.add((ev.key, ev.etag))
        self.dead_letters += 1
        self._log({"key": ev.key, "etag": ev.etag, "failed": reason, "attempts": job.attempt, "record": record})
        self._finish_job(job)

    def _renew_pool(self, broken) -> None:
        """After a worker died the pool is broken: every job in it fails; start a new one (once)."""
        if self.executor is None or broken is not self.executor:
            return
        old = self.executor
        self._make_executor()
        old.shutdown(wait=False, cancel_futures=True)

    def _log(self, record: dict) -> None:
        self.err.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.err.flush()

    # --------------------------------------------------------------------- run
    def stop(self, *_args) -> None:
        # (called as a signal handler, maybe while this thread holds the queue's
        # lock: put from another thread, never from here)
        threading.Thread(target=self.inbox.put, args=(("stop",),), daemon=True).start()

    def idle(self) -> bool:
        return not (self.sweeping or self.inflight or self.waiting or self.delayed or self.later)

    def run(self) -> int:
        self._make_executor()
        if not self.once:
            url = self._serve()
            self._log({"listening": url})
        self._start_sweep()
        next_sweep = time.monotonic() + self.interval
        try:
            while True:
                now = time.monotonic()
                while self.delayed and self.delayed[0][0] <= now:
                    _, _, job = heapq.heappop(self.delayed)
                    self._submit(job)
                if self.once and self.idle():
                    break
                if not self.once and now >= next_sweep:
                    self._start_sweep()
                    next_sweep = now + self.interval
                if self.batch and self.inbox.empty():
                    self._flush()  # nothing more to add to it right now
                waits = [self.delayed[0][0] - now] if self.delayed else []
                if not self.once:
                    waits.append(next_sweep - now)
                try:
                    msg = self.inbox.get(timeout=max(0.0, min(waits)) if waits else None)
                except queue.Empty:
                    continue
                kind = msg[0]
                if kind == "stop":
                    if self.stopping or self.idle():
                        break
                    self.stopping = True  # finish what is in flight, then stop
                    self.once = True
                elif kind == "event":
                    job = msg[1]
                    if (job.event.key, job.event.etag) in self.dead:
                        self._finish_job(job)
                    else:
                        self._submit(job)
                elif kind == "done":
                    self._completed(msg[1], msg[2])
                elif kind == "done-many":
                    self._completed_many(msg[1], msg[2])
                elif kind == "sweep-done":
                    self.sweeping = False
                    if msg[1] < 0 and self.once:  # the listing failed (said on stderr)
                        self.sweep_failed = True
        finally:
            if self.server is not None:
                self.server.shutdown()
            if self.executor is not None:
                self.executor.shutdown(wait=True, cancel_futures=True)
            if self.client is not None:
                self.client.close()
        return 1 if self.dead_letters or self.sweep_failed else 0


def install_signals(watcher: Watcher) -> None:
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, watcher.stop)
