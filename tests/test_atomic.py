"""hlsp.atomic: whole files or nothing, and special files left as they are."""

import os
import stat

import pytest

from hlsp.atomic import atomic_open


def test_a_failed_write_leaves_the_target_untouched(tmp_path):
    target = tmp_path / "report.json"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_open(target) as fh:
            fh.write("half")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary left


def test_a_fifo_is_written_to_not_replaced(tmp_path):
    # As /dev/null or /dev/stdout would be (as root, `hlsp validate -o /dev/null` would replace
    # the machine's /dev/null by a plain file): a FIFO stands in for them here.
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there: the writer's open does not block
    try:
        with atomic_open(fifo) as fh:
            fh.write("report\n")
        assert os.read(reader, 100) == b"report\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]
