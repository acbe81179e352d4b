"""Issue 17, item 7: hostile inputs that crashed become findings or one-line errors.

- an integer of thousands of digits in hlsp.yaml, as a value or as a key;
- `hlsp github check` on a contribution holding a git submodule (a gitlink)
  or a file whose name is not UTF-8 (report.json must still be written);
- NAXIS = 999 with NAXISn = 2**62: the size has more than 4,300 digits.
"""

from __future__ import annotations

import json
import os

import pytest

from contribution_support import copy_example
from fitsgen import header_bytes
from gh_support import GitRepo
from hlsp.metadata import YamlLoadError, parse_yaml


# ------------------------------------------------------------ hlsp.yaml integers
def test_a_huge_integer_value_is_a_one_line_error_at_its_line():
    with pytest.raises(YamlLoadError, match=r"a number of 5000 digits is too long") as info:
        parse_yaml("title: x\nproj_id: " + "7" * 5000 + "\n")
    assert (info.value.line, info.value.column) == (2, 10)


def test_a_huge_integer_key_is_a_one_line_error_at_its_line():
    with pytest.raises(YamlLoadError, match=r"a number of 4400 digits is too long") as info:
        parse_yaml("title: x\n? " + "9" * 4400 + "\n: value\n")
    assert info.value.line == 2


@pytest.mark.parametrize("text", ["n: 0x" + "f" * 3990, "n: " + ":".join(["59"] * 3000)])
def test_integers_that_only_grow_big_once_converted_are_refused(text):
    with pytest.raises(YamlLoadError, match="too long"):
        parse_yaml(text + "\n")


def test_ordinary_integers_still_load():
    assert parse_yaml("a: 12\nb: -3\nc: " + "9" * 4000 + "\n").data["c"] == int("9" * 4000)


def test_validate_reports_the_huge_integer_as_md001_not_a_traceback(run_cli, tmp_path):
    root = copy_example(tmp_path)
    meta = root / "hlsp.yaml"
    meta.write_text(meta.read_text() + "extra_number: " + "1" * 5000 + "\n")
    r = run_cli("validate", "--no-cache", "--format", "json", root)
    assert r.code == 1 and "Traceback" not in r.err, r
    md = [f for res in json.loads(r.out)["files"] for f in res["findings"] if f["rule"] == "MD001"]
    assert md and "5000 digits is too long" in md[0]["message"]


# --------------------------------------------------------------- github check
@pytest.fixture
def repo(tmp_path) -> GitRepo:
    r = GitRepo(tmp_path / "repo")
    r.write("README.md", "# archive contributions\n")
    r.commit("initial")
    r.branch("pr")
    r.copy_example()
    return r


def check(run_cli, repo, out):
    return run_cli("github", "check", "--base", "main", "--repo-dir", repo.path, "--out", out)


def test_a_submodule_in_a_contribution_is_a_finding(repo, run_cli, tmp_path):
    repo.git("add", "-A")
    other = repo.git("rev-parse", "main")
    # a gitlink, as `git submodule add` leaves it; a checkout without submodules has an empty folder
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{other},contributions/example/vendored")
    (repo.path / "contributions/example/vendored").mkdir()
    repo.git("commit", "-q", "-m", "add a submodule")
    r = check(run_cli, repo, tmp_path / "art")
    assert r.code == 1 and "Traceback" not in r.err, r
    files = {f["path"]: f["findings"] for f in json.loads((tmp_path / "art/report.json").read_text())["files"]}
    (f,) = files["contributions/example/vendored"]
    assert f["rule"] == "GH003" and "submodule" in f["message"]


def test_a_file_name_that_is_not_utf8_still_gives_a_report(repo, run_cli, tmp_path):
    name = os.fsdecode(b"contributions/example/caf\xe9.txt")
    (repo.path / name).write_text("notes\n")
    repo.commit("a Latin-1 file name")
    r = check(run_cli, repo, tmp_path / "art")
    assert "Traceback" not in r.err and r.code in (0, 1), r
    raw = (tmp_path / "art/report.json").read_bytes()
    raw.decode("utf-8")  # the artifact is UTF-8 text ...
    report = json.loads(raw)  # ... and JSON, naming the file with its byte escaped
    about = [f for r in report["files"] for f in r["findings"] if "caf\udce9.txt" in f["message"]]
    assert about, report  # e.g. CO007: a file the manifest does not list
    review = json.loads((tmp_path / "art/review.json").read_bytes().decode("utf-8"))
    assert name in review["contributions"][0]["files"]  # its checksum was recorded under its name
    assert "caf\\udce9.txt" in (tmp_path / "art/comment.md").read_text(encoding="utf-8")


# ------------------------------------------------------------------ NAXIS sizes
def test_naxis_999_with_huge_axes_is_judged_by_every_rule(tmp_path):
    from hlsp.engine import Options, validate_file

    cards = [("SIMPLE", True), ("BITPIX", 8), ("NAXIS", 999)] + [(f"NAXIS{i}", 2**62) for i in range(1, 1000)]
    path = tmp_path / "hlsp_x_hst_acs_t1_f606w_v1_img.fits"
    path.write_bytes(header_bytes(cards))
    result = validate_file(str(path), Options())
    messages = [f.message for f in result.findings]
    assert not any("internal error" in m for m in messages), messages
    rules = {f.rule for f in result.findings}
    assert "FS002" in rules  # the data the header declares are not there
    assert "KW001" in rules  # and the other rules ran: required keywords are missing


# ------------------------------------------------- item 12: a.b.fits.gz is read as FITS
def test_a_compressed_fits_file_whose_name_holds_another_dot_is_read(tmp_path):
    import gzip

    import numpy as np

    from fitsgen import hdu_bytes, primary_cards
    from hlsp.engine import Options, validate_file

    good = hdu_bytes(primary_cards(-32, [4, 4]), np.ones((4, 4), ">f4").tobytes(), checksum=True)
    damaged = bytearray(good)
    damaged[-4] ^= 0x01
    path = tmp_path / "hlsp_x_hst_acs_t1_f606w_v1_img.b.fits.gz"
    path.write_bytes(gzip.compress(bytes(damaged)))
    rules = {f.rule for f in validate_file(str(path), Options()).findings}
    assert "CK002" in rules  # the content was read and checked (not only the name rules)
