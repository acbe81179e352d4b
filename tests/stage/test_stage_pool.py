"""map_in_order: parallel jobs with the results and the error of a sequential loop.

The interleavings are forced with events (no timing): a later job finishes or
fails before an earlier one, and the outcome must not change.
"""

from __future__ import annotations

import threading
import time

import pytest

from hlsp.stage.pool import Stopped, map_in_order

WAIT = 30  # seconds; only reached if the code under test deadlocks


def test_results_come_back_in_item_order_when_a_later_job_finishes_first():
    second_done = threading.Event()

    def job(item, stop):
        if item == 0:
            assert second_done.wait(WAIT)  # job 1 ends before job 0
        else:
            second_done.set()
        return item * 10

    assert map_in_order(job, [0, 1, 2, 3], workers=2) == [0, 10, 20, 30]


def test_the_first_failing_item_wins_even_when_a_later_one_fails_first():
    later_failed = threading.Event()

    def job(item, stop):
        if item == 0:
            assert later_failed.wait(WAIT)
            assert not stop()  # an earlier item is never asked to stop for a later failure
            raise ValueError("item 0 is bad")
        if item == 1:
            later_failed.set()
            raise ValueError("item 1 is bad")
        return item

    with pytest.raises(ValueError, match="item 0 is bad"):
        map_in_order(job, [0, 1], workers=2)


def test_after_a_failure_later_jobs_are_stopped_or_never_started():
    started, stopped = [], []
    second_running = threading.Event()

    def job(item, stop):
        started.append(item)
        if item == 0:
            assert second_running.wait(WAIT)
            raise ValueError("item 0 is bad")
        second_running.set()
        deadline = time.monotonic() + WAIT  # (a deadlock guard, not a timing)
        while not stop():  # a long copy, checking between chunks
            assert time.monotonic() < deadline
            time.sleep(0.005)
        stopped.append(item)
        raise Stopped

    with pytest.raises(ValueError, match="item 0 is bad"):
        map_in_order(job, [0, 1, 2, 3], workers=2)
    assert sorted(started) == [0, 1] and stopped == [1]  # 2 and 3 never ran


def test_one_worker_or_one_item_runs_in_the_calling_thread():
    here = threading.get_ident()
    assert map_in_order(lambda item, stop: threading.get_ident(), [1, 2], workers=1) == [here, here]
    assert map_in_order(lambda item, stop: threading.get_ident(), [1], workers=2) == [here]
