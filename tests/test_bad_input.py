"""Bad input through the real CLI: a finding or a one-line message, never a traceback.

Each case gives ``hlsp validate`` something a user really meets -- an empty
or cut file, an HTML error page saved as ``.fits``, a named pipe, a broken or
looping link, an unreadable file, a name that is not UTF-8, a folder without
FITS files, a path that does not exist -- and checks the documented exit
status (0 clean, 1 findings, 2 usage error), that stderr holds no traceback,
and that ``--format json`` still prints valid JSON (or nothing at all when the
run is refused before it starts).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from conftest import need_system

from fitsgen import hdu_bytes, primary_cards

GOOD = hdu_bytes(primary_cards(-32, [4, 4]), np.ones((4, 4), ">f4").tobytes(), checksum=True)


def _check(run_cli, *args, code: int):
    """Run ``validate`` in text and JSON; both must exit ``code`` without a traceback."""
    text = run_cli("validate", "--select", "fits,checksum", *args)
    assert text.code == code, text
    assert "Traceback" not in text.err
    js = run_cli("validate", "--select", "fits,checksum", "--format", "json", *args)
    assert js.code == code, js
    assert "Traceback" not in js.err
    if code == 2:
        assert js.out == "" and text.out == "", "a refused run must not print half a report"
        assert js.err.strip() and "\n" not in js.err.strip(), "one line on stderr"
        return text, None
    data = json.loads(js.out)
    assert data["summary"]["files"] == len(data["files"])
    return text, data


def _only_finding(data) -> dict:
    (result,) = data["files"]
    (finding,) = result["findings"]
    return finding


def test_good_file_passes(run_cli, tmp_path):
    (tmp_path / "good.fits").write_bytes(GOOD)
    _, data = _check(run_cli, tmp_path / "good.fits", code=0)
    assert data["files"][0]["findings"] == []


@pytest.mark.parametrize(
    "content, words",
    [
        (b"", "empty"),
        (b"just some text\nnot FITS at all\n", "not a FITS file"),
        (b"<!DOCTYPE html><html><body>404 Not Found</body></html>\n", "not a FITS file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "not a FITS file"),
    ],
    ids=["zero-length", "text", "html", "png"],
)
def test_not_fits_named_fits(run_cli, tmp_path, content, words):
    path = tmp_path / "product.fits"
    path.write_bytes(content)
    text, data = _check(run_cli, path, code=1)
    f = _only_finding(data)
    assert (f["rule"], f["severity"]) == ("FS001", "error") and words in f["message"]
    assert "FS001" in text.out


@pytest.mark.parametrize("cut", [1, 2000, 2880, 2881, len(GOOD) - 1], ids=lambda n: f"cut{n}")
def test_truncated_file(run_cli, tmp_path, cut):
    path = tmp_path / "cut.fits"
    path.write_bytes(GOOD[:cut])
    _, data = _check(run_cli, path, code=1)
    rules = {f["rule"] for f in data["files"][0]["findings"]}
    assert rules & {"FS002", "FS003", "FS001"}


def test_named_pipe_does_not_hang(run_cli, tmp_path):
    fifo = tmp_path / "pipe.fits"
    os.mkfifo(fifo)
    _, data = _check(run_cli, fifo, code=1)
    f = _only_finding(data)
    assert f["rule"] == "FS001" and "not a regular file" in f["message"]
    # inside a folder as well
    (tmp_path / "good.fits").write_bytes(GOOD)
    _, data = _check(run_cli, tmp_path, code=1)
    by_name = {Path(r["path"]).name: r["findings"] for r in data["files"]}
    assert by_name["good.fits"] == [] and by_name["pipe.fits"][0]["rule"] == "FS001"


def test_unreadable_file(run_cli, tmp_path):
    # chmod 000 does not stop root (these tests run as root in CI); /proc/self/mem
    # is a regular file whose first page no process may read (EIO), for anyone.
    if not Path("/proc/self/mem").exists():
        need_system("Linux /proc is absent: no file here that even root cannot read")
    link = tmp_path / "unreadable.fits"
    link.symlink_to("/proc/self/mem")
    _, data = _check(run_cli, link, code=1)
    f = _only_finding(data)
    assert f["rule"] == "FS001" and "cannot read the file" in f["message"]


def test_folder_named_like_a_file(run_cli, tmp_path):
    d = tmp_path / "x.fits"
    d.mkdir()
    text, _ = _check(run_cli, d, code=2)
    assert "no FITS" in text.err


def test_broken_symlink(run_cli, tmp_path):
    link = tmp_path / "gone.fits"
    link.symlink_to(tmp_path / "nowhere.fits")
    _, data = _check(run_cli, link, code=1)
    f = _only_finding(data)
    assert f["rule"] == "FS001" and "broken symbolic link" in f["message"]


def test_symlink_loop(run_cli, tmp_path):
    a, b = tmp_path / "a.fits", tmp_path / "b.fits"
    a.symlink_to(b)
    b.symlink_to(a)
    _, data = _check(run_cli, a, code=1)
    assert _only_finding(data)["rule"] == "FS001"
    _, data = _check(run_cli, tmp_path, code=1)  # the folder walk meets both
    assert [len(r["findings"]) for r in data["files"]] == [1, 1]


def test_folder_link_loop_does_not_hang(run_cli, tmp_path):
    (tmp_path / "good.fits").write_bytes(GOOD)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path)
    _, data = _check(run_cli, tmp_path, code=0)
    assert [Path(r["path"]).name for r in data["files"]] == ["good.fits"]


def test_non_utf8_file_name(run_cli, tmp_path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9-\xff.fits"
    with open(raw, "wb") as fh:
        fh.write(GOOD[:-2880])  # also truncated, so there is a finding to report
    name = os.fsdecode(raw)
    text, data = _check(run_cli, name, code=1)
    (result,) = data["files"]
    assert result["path"].endswith(".fits") and "\ufffd" in result["path"]
    assert result["findings"][0]["rule"] == "FS002"
    text.out.encode("utf-8")  # printable on a UTF-8 terminal (no lone surrogates)
    _, data = _check(run_cli, tmp_path, code=1)  # found by the folder walk too
    assert len(data["files"]) == 1


def test_folder_without_fits_files(run_cli, tmp_path):
    (tmp_path / "notes.txt").write_text("nothing to see")
    text, _ = _check(run_cli, tmp_path, code=2)
    assert "no FITS" in text.err and str(tmp_path) in text.err


def test_nonexistent_path(run_cli, tmp_path):
    text, _ = _check(run_cli, tmp_path / "missing.fits", code=2)
    assert "no such file" in text.err


def test_nonexistent_path_after_a_good_one_prints_nothing(run_cli, tmp_path):
    (tmp_path / "good.fits").write_bytes(GOOD)
    text, _ = _check(run_cli, tmp_path / "good.fits", tmp_path / "missing.fits", code=2)
    assert "missing.fits" in text.err
