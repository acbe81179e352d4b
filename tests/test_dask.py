"""Validation on a real Dask cluster (LocalCluster on 127.0.0.1, worker processes).

The cluster is started with ``allowed-failures = 0`` so that the first death
of a worker surfaces as ``KilledWorker`` and hlsp's own retry is what keeps
the results complete (with Dask's default, Dask retries a few times first).
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import numpy as np
import pytest

from fitsgen import hdu_bytes, primary_cards
from hlsp.engine import Options, _crash_result, iter_validate
from hlsp.scheduler import DaskCluster
from servers import dask_local_cluster

distributed = pytest.importorskip("distributed")  # a dependency; importorskip only guards odd installs


@pytest.fixture(scope="module")
def cluster():
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with dask_local_cluster() as c:
            yield c


@pytest.fixture(scope="module")
def client(cluster):
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as c:
        yield c


@pytest.fixture(scope="module")
def delivery(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("dask-delivery")
    good = hdu_bytes(primary_cards(-32, [16, 16]), np.ones((16, 16), ">f4").tobytes(), checksum=True)
    damaged = bytearray(good)
    damaged[-4] ^= 0x01
    for i in range(600):
        (d / f"hlsp_x_hst_acs_t{i:04d}_f606w_v1_img.fits").write_bytes(bytes(damaged) if i % 97 == 3 else good)
    (d / "hlsp_x_hst_acs_t0500b_f606w_v1_img.fits").write_text("not FITS")
    os.symlink(d / "nowhere.fits", d / "hlsp_x_hst_acs_t0900b_f606w_v1_img.fits")
    return d


@pytest.fixture(scope="module")
def local(delivery) -> list[dict]:
    return [r.to_dict() for r in iter_validate([str(delivery)], Options(jobs=1))]


def test_dask_gives_the_local_results_in_order(cluster, delivery, local):
    got = [r.to_dict() for r in iter_validate([str(delivery)], Options(scheduler=cluster.scheduler_address))]
    assert got == local
    assert any(f["rule"] == "CK002" for r in got for f in r["findings"])


def test_cli_takes_the_address_from_the_environment(run_cli, cluster, delivery, local, monkeypatch):
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", cluster.scheduler_address)
    r = run_cli("validate", "--no-cache", "--format", "json", delivery)
    assert r.code == 1, r  # the damaged files
    assert json.loads(r.out)["files"] == local


def test_cli_says_so_when_the_scheduler_is_unreachable(run_cli, delivery):
    import socket

    import dask

    with socket.socket() as s:  # a free port with nobody listening
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        r = run_cli("validate", "--no-cache", "--scheduler", f"tcp://127.0.0.1:{port}", delivery)
    assert r.code == 2 and "cannot connect to the Dask scheduler" in r.err and r.err.count("\n") == 1


def hold_until_killed(batch: list[str], options, holding: str) -> list:
    """Batch work for the kill test: the first batch holding ``t0100`` waits to be killed.

    It writes its pid to ``holding`` (the event the test waits for) and then
    waits for a SIGKILL; once ``holding`` exists, that batch runs normally --
    on its resubmission, in another worker.
    """
    from hlsp.engine import _validate_batch  # the real one: this runs in a Dask worker, not patched

    if any("t0100" in p for p in batch):
        try:
            fd = os.open(holding, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            pass
        else:
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            signal.pause()  # SIGKILL ends this; nothing else wakes it up
    return _validate_batch(batch, options)


def test_killing_a_busy_worker_loses_no_result(cluster, delivery, local, monkeypatch, tmp_path):
    """A worker is SIGKILLed while it certainly holds a batch: the batch is run again elsewhere.

    Deterministic: the batch with t0100 stops and writes its worker's pid; a
    thread waits for that file (an event, not a time), kills the worker and the
    run goes on.  (The earlier version killed a worker only if one happened to be
    seen busy when a result arrived, and failed about 1 in 25 under load.)
    """
    import functools
    import threading

    from hlsp import pipeline

    holding = tmp_path / "holding"
    monkeypatch.setattr(pipeline, "DASK_BATCH_FILES", 48)  # many batches, so that t0100 is not in the first
    monkeypatch.setattr(pipeline, "_validate_batch", functools.partial(hold_until_killed, holding=str(holding)))
    killed = []

    def killer():
        while not holding.exists() or not holding.read_text():
            if done.wait(0.02):
                return
        pid = int(holding.read_text())
        os.kill(pid, signal.SIGKILL)
        killed.append(pid)

    done = threading.Event()
    thread = threading.Thread(target=killer)
    thread.start()
    try:
        got = [r.to_dict() for r in iter_validate([str(delivery)], Options(scheduler=cluster.scheduler_address))]
    finally:
        done.set()
        thread.join()
    assert killed, "the batch holding t0100 never started: nothing was killed"
    assert got == local


def die_once(paths: list[str], marker: str) -> list:
    """Batch work for the scheduler test: the first batch holding ``t0007`` kills its worker."""
    from hlsp.engine import Options, _validate_batch

    if any("t0007" in p for p in paths) and not os.path.exists(marker):
        Path(marker).write_text(str(os.getpid()))
        os._exit(70)
    return _validate_batch(paths, Options())


def test_scheduler_resubmits_the_batch_of_a_dead_worker(cluster, delivery, tmp_path):
    import functools

    marker = tmp_path / "died"
    paths = sorted(str(p) for p in delivery.glob("*t00[0-2]*.fits"))
    batches = [paths[i : i + 5] for i in range(0, len(paths), 5)]
    with DaskCluster(functools.partial(die_once, marker=str(marker)), _crash_result, cluster.scheduler_address) as s:
        jobs = [s.submit(b) for b in batches]
        got = [r.to_dict() for j in jobs for r in s.results(j)]
    assert marker.exists()  # a worker died holding a batch ...
    assert [r["path"] for r in got] == paths  # ... and every result is there, in order
    want = {r.path: r for r in iter_validate(paths, Options(jobs=1))}
    assert got == [want[p].to_dict() for p in paths]
