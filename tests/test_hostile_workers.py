"""Issue 17, items 4 and 9: SIGKILLed local workers cost a retry, never a hang, and never a cached verdict.

The kills are real SIGKILLs of real worker processes (what the OOM killer
does).  The first test reproduces the exact hang of
``concurrent.futures.ProcessPoolExecutor``: a worker killed half-way through
writing its result.  It waits for events (the worker's pid file, data on the
pipe), never for a time.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from multiprocessing.connection import wait
from pathlib import Path

import numpy as np
import pytest

from fitsgen import hdu_bytes, primary_cards
from hlsp.engine import Options, _crash_result, iter_validate
from hlsp.scheduler import LocalPool

BIG = 32 * 1024 * 1024  # far more than a pipe holds: the writer blocks half-way


def big_result_once(paths: list[str], marker: str) -> list:
    """First call: note the pid, then return a result too big for the pipe; later calls: a small one."""
    try:
        fd = os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return [("small", p) for p in paths]
    os.write(fd, str(os.getpid()).encode())
    os.close(fd)
    return [("big", b"x" * BIG)]


def test_a_worker_killed_while_writing_its_result_costs_a_retry_not_a_hang(tmp_path):
    import functools

    marker = tmp_path / "pid"
    with LocalPool(functools.partial(big_result_once, marker=str(marker)), _crash_result, jobs=2) as pool:
        job = pool.submit(["a.fits", "b.fits"])
        # the worker that took the batch has started writing its result (the header and
        # the first bytes are on its pipe) and is blocked: nobody is reading yet
        busy = next(w for w in pool._pool if w.task is not None)
        assert wait([busy.conn], timeout=120), "the worker never started writing its result"
        pid = int(marker.read_text())
        assert pid == busy.process.pid
        os.kill(pid, signal.SIGKILL)
        got = pool.results(job)  # ProcessPoolExecutor blocks here for ever
        assert got == [("small", "a.fits"), ("small", "b.fits")]
        assert pool.replaced == 1 and job.attempts == 2


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    mine = Path(f"/proc/{pid}/cmdline").read_bytes()
    out = []
    for c in text.split():
        try:
            if Path(f"/proc/{c}/cmdline").read_bytes() == mine:  # forked workers, not helpers
                out.append(int(c))
        except OSError:
            pass
    return out


@pytest.fixture(scope="module")
def delivery(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("killed-delivery")
    good = hdu_bytes(primary_cards(-32, [8, 8]), np.ones((8, 8), ">f4").tobytes(), checksum=True)
    damaged = bytearray(good)
    damaged[-4] ^= 0x01
    for i in range(1500):
        (d / f"hlsp_x_hst_acs_t{i:04d}_f606w_v1_img.fits").write_bytes(bytes(damaged) if i % 7 == 3 else good)
    return d


@pytest.mark.skipif(
    not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(), reason="needs /proc children"
)
def test_killing_workers_again_and_again_never_hangs_the_run(delivery, tmp_path):
    """`hlsp validate --jobs 2` while its workers are SIGKILLed, one after the other, up to 30 times.

    Every kill waits for an event: a new worker pid, or (every other kill) a
    worker that has started reading the files of its batch, so kills land while
    batches are sent, run and written back.  The run must end (the timeout is
    only the hang detector) with one result per file: the file's own, or the
    "worker died" finding for files whose batch ran out of retries.
    """
    serial = {r.path: r.to_dict() for r in iter_validate([str(delivery)], Options(jobs=1))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "hlsp", "validate", "--jobs", "2", "--no-cache", "--format", "json", str(delivery)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "HLSP_CACHE_DIR": str(tmp_path / "cache")},
    )
    killed: list[int] = []

    def read_so_far(pid: int) -> int | None:
        try:
            return int(
                next(x for x in Path(f"/proc/{pid}/io").read_text().split("\n") if x.startswith("rchar:")).split()[1]
            )
        except (OSError, StopIteration):
            return None

    def killer():
        seen: dict[int, int] = {}
        while len(killed) < 30 and proc.poll() is None:
            workers = [c for c in _children(proc.pid) if c not in killed]
            # every other kill waits until the worker is reading files (it holds a batch);
            # the others kill it as soon as it exists (idle, or just handed a batch)
            ready = []
            for w in workers:
                now = read_so_far(w)
                if now is None:
                    continue
                first = seen.setdefault(w, now)
                if len(killed) % 2 == 0 or now - first > 16 * 1024:
                    ready.append(w)
            if not ready:
                threading.Event().wait(0.002)  # poll for the next event
                continue
            try:
                os.kill(ready[0], signal.SIGKILL)
            except ProcessLookupError:
                continue
            killed.append(ready[0])

    thread = threading.Thread(target=killer)
    thread.start()
    try:
        out, err = proc.communicate(timeout=600)  # a hang fails here
    finally:
        if proc.poll() is None:
            proc.kill()
        thread.join()
    assert proc.returncode == 1, err.decode()  # the damaged files
    assert killed, "no worker was ever killed"
    files = json.loads(out)["files"]
    assert [f["path"] for f in files] == list(serial)
    crashed = _crash_result("x").to_dict()["findings"]
    for f in files:
        assert f == serial[f["path"]] or f["findings"] == crashed, f


class _KillOn:
    """Wraps validate_file: in a worker process (not this one), SIGKILLs itself on a chosen file.

    Installed before the pool forks, so only the workers inherit it; ``armed``
    is a file: while it exists, the victim kills every worker that reads it.
    """

    def __init__(self, real, victim: str, armed: Path):
        self.real, self.victim, self.armed, self.parent = real, victim, armed, os.getpid()

    def __call__(self, path, *a, **kw):
        if self.victim in path and os.getpid() != self.parent and self.armed.exists():
            os.kill(os.getpid(), signal.SIGKILL)
        return self.real(path, *a, **kw)


def test_a_worker_crash_is_never_cached_as_the_files_verdict(delivery, tmp_path, monkeypatch):
    """Issue 17, item 9: after a run where a file kept killing its worker, the next
    cached run shows the file's real findings, not "the worker died"."""
    import hlsp.pipeline

    armed = tmp_path / "armed"
    armed.touch()
    victim = "t0703_"  # a damaged file (703 % 7 == 3): it has real findings to show
    monkeypatch.setattr(hlsp.pipeline, "validate_file", _KillOn(hlsp.pipeline.validate_file, victim, armed))
    opts = dict(jobs=2, cache=True, cache_dir=str(tmp_path / "cache"))
    first = {r.path: r.to_dict() for r in iter_validate([str(delivery)], Options(**opts))}
    crashed = _crash_result("x").to_dict()["findings"]
    hit = [p for p in first if victim in p]
    assert len(hit) == 1 and first[hit[0]]["findings"] == crashed  # the attack: it kept dying
    armed.unlink()  # the out-of-memory moment has passed
    again = {r.path: r.to_dict() for r in iter_validate([str(delivery)], Options(**opts))}
    real = next(iter_validate([hit[0]], Options(jobs=1))).to_dict()
    assert {f["rule"] for f in real["findings"]} >= {"CK002"}
    assert again[hit[0]] == real
    assert {p: r for p, r in again.items() if p != hit[0]} == {p: r for p, r in first.items() if p != hit[0]}


def test_a_read_that_failed_is_not_cached_either(tmp_path):
    from hlsp.cache import is_verdict
    from hlsp.pipeline import _read_error_finding
    from hlsp.findings import FileResult

    assert not is_verdict(FileResult("a.fits", [_read_error_finding("cannot read the file: Input/output error")]))
    assert is_verdict(FileResult("a.fits", [_read_error_finding("this is a folder, not a file")]))
    assert is_verdict(FileResult("a.fits", []))
