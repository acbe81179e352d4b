"""Issue 17, item 8: a full disk during `hlsp stage` is a one-line refusal, and leaves no partial file.

How the disk fills, in these tests:

- always: the kernel's per-process file-size limit (``RLIMIT_FSIZE``, with
  ``SIGXFSZ`` ignored) set in the `hlsp stage` subprocess, so that every write
  past 1 KB in one file fails with EFBIG -- a real refusal by the kernel at
  the same calls a full disk fails (``write``, and ``close`` flushing a buffer),
  with no mount and no root;
- where this process may mount (root): a real 48 KB tmpfs as the destination,
  which fills up and fails with ENOSPC.  (Elsewhere that case skips.)

Both then re-run without the limit: the run completes, as documented.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from contribution_support import copy_example

PARTS = (".", ".part")


def stage(contribution: Path, dest: Path, limit: int | None = None) -> subprocess.CompletedProcess:
    def limited():
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [
            sys.executable,
            "-m",
            "hlsp",
            "stage",
            str(contribution),
            "--to",
            str(dest),
            "--catalog",
            f"sqlite:///{dest.parent / 'catalog.sqlite'}",
            "--commit",
            "0" * 40,
        ],
        capture_output=True,
        text=True,
        preexec_fn=limited,
        timeout=300,
        env={**os.environ, "HLSP_CACHE_DIR": str(dest.parent / "cache")},
    )


def partial_files(dest: Path) -> list[str]:
    return sorted(p.name for p in dest.rglob("*") if p.name.endswith(".part"))


def check_refusal_then_recovery(contribution: Path, dest: Path, r: subprocess.CompletedProcess) -> None:
    assert r.returncode == 2, r
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr
    assert "cannot write" in r.stderr and "(is the disk full?)" in r.stderr, r.stderr
    assert partial_files(dest) == []  # abort() removed its .part file even though close() failed
    assert not list(dest.rglob("READY"))


def test_a_file_size_limit_mid_stage_is_a_one_line_refusal(tmp_path):
    contribution = copy_example(tmp_path)
    dest = tmp_path / "staging"
    r = stage(contribution, dest, limit=1024)
    check_refusal_then_recovery(contribution, dest, r)
    r = stage(contribution, dest)  # room again: the re-run completes
    assert r.returncode == 0, r
    assert list(dest.rglob("READY")) and partial_files(dest) == []


def _can_mount() -> bool:
    return os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.mark.skipif(not _can_mount(), reason="mounting a tmpfs needs root; the RLIMIT_FSIZE case covers the same calls")
def test_a_full_tmpfs_mid_stage_is_a_one_line_refusal(tmp_path):
    contribution = copy_example(tmp_path)
    dest = tmp_path / "staging"
    dest.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=48k", "tmpfs", str(dest)], capture_output=True).returncode:
        pytest.skip("mount refused here (no CAP_SYS_ADMIN)")
    try:
        r = stage(contribution, dest)
        check_refusal_then_recovery(contribution, dest, r)
        assert "No space left on device" in r.stderr
    finally:
        subprocess.run(["umount", str(dest)], check=True)


def test_abort_unlinks_even_when_close_fails(tmp_path):
    """A full disk fails the flush in close(); the partial file must still go (the file object
    here is a real one whose descriptor was closed under it, so close() raises EBADF)."""
    from hlsp.stage.targets import LocalUpload

    up = LocalUpload(tmp_path / "README.md")
    up.fh.write(b"x" * 100)  # buffered: close() will try to write it
    os.close(up.fh.fileno())
    with pytest.raises(OSError):
        up.fh.flush()
    up.abort()
    assert list(tmp_path.iterdir()) == []
