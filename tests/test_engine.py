"""The engine's orchestration: order, streaming, process pools and dying workers.

Worker deaths are real (the worker process exits mid-batch); what makes the
worker die is a fault-injection wrapper around ``validate_file`` installed
before the pool forks (so only the workers inherit it): no mock stands in for
the reader or the rules.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import hlsp.engine
import hlsp.pipeline
from fitsgen import hdu_bytes, primary_cards
from hlsp.engine import BATCH_FILES, Options, iter_validate

N_FILES = 3 * BATCH_FILES + 7  # several batches: a run that starts workers


@pytest.fixture(scope="module")
def delivery(tmp_path_factory) -> Path:
    """Clean, broken and non-FITS files, and a broken link, in one folder."""
    d = tmp_path_factory.mktemp("delivery")
    good = hdu_bytes(primary_cards(-32, [8, 8]), np.ones((8, 8), ">f4").tobytes(), checksum=True)
    damaged = bytearray(good)
    damaged[-4] ^= 0x01
    for i in range(N_FILES):
        name = d / f"hlsp_x_hst_acs_t{i:03d}_f606w_v1_img.fits"
        if i % 17 == 5:
            name.write_bytes(bytes(damaged))
        elif i % 23 == 7:
            name.write_text("not a FITS file\n")
        else:
            name.write_bytes(good)
    os.symlink(d / "nowhere.fits", d / "hlsp_x_hst_acs_t050b_f606w_v1_img.fits")
    return d


def results(folder, **kw) -> list[dict]:
    return [r.to_dict() for r in iter_validate([str(folder)], Options(**kw))]


@pytest.fixture(scope="module")
def serial(delivery) -> list[dict]:
    return results(delivery, jobs=1)


def test_serial_results_are_in_discovery_order_with_problems_in_place(delivery, serial):
    names = [Path(r["path"]).name for r in serial]
    assert names == sorted(os.listdir(delivery))
    link = next(r for r in serial if "t050b" in r["path"])
    assert [f["rule"] for f in link["findings"]] == ["FS001"] and "broken symbolic link" in link["findings"][0][
        "message"
    ]
    damaged = next(r for r in serial if "t005_" in r["path"])
    assert {"CK001", "CK002"} <= {f["rule"] for f in damaged["findings"]}


def test_process_pool_gives_the_same_results_in_the_same_order(delivery, serial):
    assert results(delivery, jobs=2) == serial


def test_results_stream_instead_of_piling_up(tmp_path, monkeypatch):
    """The first result comes out after a bounded number of files was discovered, not all of them."""
    f = tmp_path / "one.fits"
    f.write_bytes(hdu_bytes(primary_cards(-32, [4, 4]), np.ones((4, 4), ">f4").tobytes(), checksum=True))
    pulled = 0
    real = hlsp.pipeline.discover

    def counting(paths):
        nonlocal pulled
        for item in real(paths):
            pulled += 1
            yield item

    monkeypatch.setattr(hlsp.pipeline, "discover", counting)
    for jobs in (1, 2):
        pulled = 0
        stream = iter_validate([str(f)] * 20_000, Options(jobs=jobs, select=["fits"]))
        assert next(stream).findings == []
        assert pulled <= 8 * BATCH_FILES, f"jobs={jobs}: {pulled} files discovered before the first result"
        stream.close()


class _Saboteur:
    """Wraps validate_file: in a worker process, exits the process on a chosen file.

    ``once``: only the first time (a marker file remembers it across processes).
    """

    def __init__(self, real, victim: str, marker: Path, once: bool):
        self.real, self.victim, self.marker, self.once = real, victim, marker, once
        self.parent = os.getpid()

    def __call__(self, path, *a, **kw):
        if self.victim in path and os.getpid() != self.parent:
            if not (self.once and self.marker.exists()):
                with open(self.marker, "a") as fh:
                    fh.write(f"{os.getpid()}\n")
                os._exit(70)  # the worker dies mid-batch, its results unsent
        return self.real(path, *a, **kw)


def test_a_worker_that_dies_loses_no_result(delivery, serial, tmp_path, monkeypatch):
    marker = tmp_path / "deaths"
    monkeypatch.setattr(
        hlsp.pipeline, "validate_file", _Saboteur(hlsp.pipeline.validate_file, "t120_", marker, once=True)
    )
    assert results(delivery, jobs=2) == serial
    assert len(marker.read_text().split()) == 1  # a worker really died, once


def test_a_file_that_always_kills_its_worker_gets_a_finding(delivery, serial, tmp_path, monkeypatch):
    marker = tmp_path / "deaths"
    monkeypatch.setattr(
        hlsp.pipeline, "validate_file", _Saboteur(hlsp.pipeline.validate_file, "t130_", marker, once=False)
    )
    got = results(delivery, jobs=2)
    assert len(marker.read_text().split()) >= 2  # retried before giving up
    assert [r["path"] for r in got] == [r["path"] for r in serial]
    for mine, ref in zip(got, serial):
        if "t130_" in mine["path"]:
            assert [f["rule"] for f in mine["findings"]] == ["FS001"]
            assert "worker process validating it died" in mine["findings"][0]["message"]
        else:
            assert mine == ref


def test_a_crash_in_the_reader_is_a_finding_not_a_traceback(tmp_path, monkeypatch):
    import hlsp.fits
    from hlsp.engine import Options, validate_file

    path = tmp_path / "x.fits"
    path.write_bytes(b"SIMPLE  =                    T" + b" " * 2850)

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(hlsp.fits, "read_fits", broken)
    (f,) = validate_file(str(path), Options(select=["FS001"])).findings
    assert f.rule == "FS001" and "internal error while reading" in f.message and "simulated bug" in f.message


@pytest.mark.parametrize(
    ("pool_work", "lookahead", "workers"),
    [
        (float("inf"), 8, None),  # little work for the cores: the whole run stays in this process
        (1e-12, 8, "cores"),  # plenty: one worker per core
        (float("inf"), 1, "cores"),  # more files than discovered ahead: one worker per core
    ],
)
def test_jobs_0_starts_only_the_workers_the_work_is_worth(delivery, serial, monkeypatch, pool_work, lookahead, workers):
    """--jobs 0 (the default) sizes the pool from the first batch's time and the files known ahead;
    the results are the same whatever it chooses."""
    import hlsp.scheduler

    started = []
    real = hlsp.scheduler.make_scheduler

    def recording(work, on_crash, jobs=1, address=None):
        started.append(jobs)
        return real(work, on_crash, jobs, address)

    monkeypatch.setattr(hlsp.scheduler, "make_scheduler", recording)
    monkeypatch.setattr(hlsp.pipeline, "POOL_WORK", pool_work)
    monkeypatch.setattr(hlsp.pipeline, "LOOKAHEAD", lookahead)
    assert results(delivery, jobs=0) == serial
    assert started == ([] if workers is None else [hlsp.scheduler.cores()])
