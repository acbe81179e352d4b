"""The CLI end to end on files the tests write: exit codes, formats, options."""

from __future__ import annotations

import re

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from fitsgen import hdu_bytes, primary_cards

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "validators" / "schemas" / "report.schema.json").read_text())


@pytest.fixture
def files(tmp_path):
    """One clean-structured file, one with a FITS error, one with a bad checksum."""
    good = tmp_path / "good.fits"
    good.write_bytes(hdu_bytes(primary_cards(-32, [8, 8]), np.ones((8, 8), ">f4").tobytes(), checksum=True))
    bad = tmp_path / "bad.fits"
    bad.write_bytes(hdu_bytes([("SIMPLE", True), ("NAXIS", 0), ("BITPIX", 8)]))  # order wrong
    damaged = bytearray(good.read_bytes())
    damaged[-100] ^= 0xFF  # flip bits in the data: CHECKSUM and DATASUM now disagree
    dmg = tmp_path / "damaged.fits"
    dmg.write_bytes(bytes(damaged))
    return tmp_path, good, bad, dmg


def test_exit_codes(run_cli, files):
    _, good, bad, dmg = files
    assert run_cli("validate", good, "--select", "fits,checksum").code == 0
    r = run_cli("validate", bad, "--select", "fits")
    assert r.code == 1 and "FS006" in r.out
    r = run_cli("validate", dmg, "--select", "checksum")
    assert r.code == 1 and "CK001" in r.out and "CK002" in r.out
    assert run_cli("validate", "/nonexistent/x.fits").code == 2
    assert run_cli("validate", good, "--format", "nope").code == 2
    assert run_cli("validate", good, "--select", "XX").code == 2


def test_fail_on_warning(run_cli, tmp_path):
    nochk = tmp_path / "nochk.fits"
    nochk.write_bytes(hdu_bytes(primary_cards(-32, [4, 4]), np.ones((4, 4), ">f4").tobytes()))
    assert run_cli("validate", nochk, "--select", "CK003").code == 0
    assert run_cli("validate", nochk, "--select", "CK003", "--fail-on", "warning").code == 1


def test_usage_error_is_one_line(run_cli, tmp_path):
    r = run_cli("validate", tmp_path / "missing.fits")
    assert r.code == 2
    assert r.err.strip().count("\n") == 0 and "no such file" in r.err
    assert "Traceback" not in r.err


def test_json_matches_schema_and_counts(run_cli, files):
    folder, *_ = files
    r = run_cli("validate", folder, "--format", "json")
    data = json.loads(r.out)
    jsonschema.validate(data, SCHEMA)
    assert data["summary"]["files"] == 3
    n_err = sum(1 for f in data["files"] for x in f["findings"] if x["severity"] == "error")
    assert data["summary"]["errors"] == n_err > 0
    paths = [Path(f["path"]).name for f in data["files"]]
    assert paths == sorted(paths)


def test_output_file_written(run_cli, files, tmp_path):
    folder, *_ = files
    out = tmp_path / "out" / "report.json"
    out.parent.mkdir()
    r = run_cli("validate", folder, "--format", "json", "--output", out)
    assert r.out == "" and r.code == 1
    jsonschema.validate(json.loads(out.read_text()), SCHEMA)
    assert [p.name for p in out.parent.iterdir()] == ["report.json"], "no temporary file left behind"


def test_github_format(run_cli, files):
    _, _, bad, _ = files
    r = run_cli("validate", bad, "--format", "github", "--select", "fits")
    lines = [line for line in r.out.splitlines() if line.startswith("::")]
    assert lines and all(line.startswith("::error file=") for line in lines)
    assert f"file={bad}".replace(":", "%3A").replace(",", "%2C") in lines[0]
    assert "title=FS006" in lines[0]


def test_github_format_chosen_under_actions(run_cli, files, monkeypatch):
    _, _, bad, _ = files
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    r = run_cli("validate", bad, "--select", "fits")
    assert r.out.startswith("::error ")


def test_markdown_format(run_cli, files):
    folder, *_ = files
    r = run_cli("validate", folder, "--format", "markdown")
    # the same rendering as the pull-request comment: verdict, commit, errors first, warnings folded
    assert "## \u274c HLSP validation failed" in r.out
    assert re.search(r"^Commit [0-9a-f]{12}: 3 files checked, \*\*\d+ errors\*\*", r.out, re.M)
    assert r.out.index("### Errors") < r.out.index("### Warnings")
    assert "<details><summary>" in r.out
    assert "<!-- hlsp-report -->" not in r.out  # the comment's marker belongs to the bot's comment only


def test_junit_format(run_cli, files):
    folder, *_ = files
    r = run_cli("validate", folder, "--format", "junit", "--select", "fits,checksum")
    root = ET.fromstring(r.out)
    assert root.tag == "testsuite" and root.get("tests") == "3"
    failures = root.findall("testcase/failure")
    assert int(root.get("failures")) == len(failures) == 2


def test_text_format_has_hint_and_summary(run_cli, files):
    _, _, bad, _ = files
    r = run_cli("validate", bad, "--select", "fits")
    assert "fix:" in r.out
    assert r.out.strip().splitlines()[-1].startswith("1 file checked: ")


def test_jobs_same_result(run_cli, files):
    folder, *_ = files
    one = json.loads(run_cli("validate", folder, "--format", "json").out)
    two = json.loads(run_cli("validate", folder, "--format", "json", "--jobs", "2").out)
    assert one == two


def test_rules_command(run_cli):
    r = run_cli("rules")
    assert r.code == 0 and "FS006" in r.out and "CK001" in r.out
    r = run_cli("rules", "CK001")
    assert r.code == 0 and "Why" in r.out and "How to fix:" in r.out and "Source:" in r.out
    r = run_cli("rules", "FN005")  # the example: a failing file name and its fix
    assert "*Example (file name):* fails::\n\n    hlsp_demo_hst_acs_m31_f814w_1.0_img.fits\n" in r.out
    assert "\nfixed::\n\n    hlsp_demo_hst_acs_m31_f814w_v1.0_img.fits\n" in r.out
    assert run_cli("rules", "QQ123").code == 2


def test_console_script_runs(tmp_path):
    """The installed entry point works in a fresh process (as users call it)."""
    exe = Path(sys.executable).parent / "hlsp"
    out = subprocess.run([str(exe), "--version"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("hlsp ")


def test_info_notes_hidden_unless_verbose(run_cli, tmp_path):
    f = tmp_path / "null.fits"
    f.write_bytes(hdu_bytes(primary_cards(8, [], extra=[("OBSERVER", None, "unknown")])))
    quiet = run_cli("validate", f, "--select", "FS016")
    assert "FS016" not in quiet.out and "1 info note not shown" in quiet.out
    loud = run_cli("validate", f, "--select", "FS016", "-v")
    assert "FS016" in loud.out and "OBSERVER" in loud.out


def test_markdown_file_heading_has_no_backslashes_in_a_code_span(run_cli, tmp_path):
    """GitHub does not decode escapes inside `code`: a path there would show backslashes."""
    f = tmp_path / "my_bad_file.fits"
    f.write_bytes(hdu_bytes([("SIMPLE", True), ("NAXIS", 0), ("BITPIX", 8)]))
    out = run_cli("validate", f, "--format", "markdown", "--select", "fits").out
    heading = next(line for line in out.splitlines() if line.startswith("**") and "my" in line)
    assert "`" not in heading and "my\\_bad\\_file.fits" in heading
