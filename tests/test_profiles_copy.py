"""Parsed copies of the validators files (hlsp.profiles): reused only while their source is unchanged."""

import json
import os

import pytest

from hlsp import profiles


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("HLSP_CACHE_DIR", str(folder))
    monkeypatch.setattr(profiles, "RACY_SECONDS", 0.0)  # files written by the test count as old
    return folder


def _copies(cache):
    return sorted((cache / "validators").glob("*.json")) if (cache / "validators").is_dir() else []


def _poison(copy):
    stored = json.loads(copy.read_text())
    stored["data"]["marker"] = "from the copy"
    copy.write_text(json.dumps(stored))


def test_copy_is_written_reused_and_dropped_after_an_edit(tmp_path, cache):
    src = tmp_path / "profile.yaml"
    src.write_text("keywords:\n  - name: TELESCOP\n    level: required\n")
    assert profiles._load_yaml(src) == {"keywords": [{"name": "TELESCOP", "level": "required"}]}
    (copy,) = _copies(cache)
    _poison(copy)
    assert profiles._load_yaml(src)["marker"] == "from the copy"  # proof the copy is what was read
    st = os.stat(src)
    src.write_text("keywords:\n  - name: INSTRUME\n    level: required\n")  # same size
    os.utime(src, ns=(st.st_atime_ns, st.st_mtime_ns))  # mtime restored: ctime still moves
    assert profiles._load_yaml(src) == {"keywords": [{"name": "INSTRUME", "level": "required"}]}


def test_a_file_changed_moments_ago_is_not_copied(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(profiles, "RACY_SECONDS", 3600.0)
    src = tmp_path / "v.yaml"
    src.write_text("a: 1\n")
    assert profiles._load_yaml(src) == {"a": 1}
    assert _copies(cache) == []


@pytest.mark.parametrize("text", ["when: 2024-01-01\n", "1: one\n", "x: !!set {a, b}\n"])
def test_data_json_cannot_hold_is_not_copied(tmp_path, cache, text):
    src = tmp_path / "v.yaml"
    src.write_text(text)
    first = profiles._load_yaml(src)
    assert _copies(cache) == []
    assert profiles._load_yaml(src) == first


def test_broken_copies_and_unwritable_folders_only_cost_a_parse(tmp_path, cache, monkeypatch):
    src = tmp_path / "v.yaml"
    src.write_text("a: [1, 2]\n")
    profiles._load_yaml(src)
    (copy,) = _copies(cache)
    copy.write_text("{not json")
    assert profiles._load_yaml(src) == {"a": [1, 2]}
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the cache folder should be (works even as root)")
    monkeypatch.setenv("HLSP_CACHE_DIR", str(blocker))
    assert profiles._load_yaml(src) == {"a": [1, 2]}
    assert blocker.read_text().startswith("a file")


def test_the_shipped_validators_round_trip(cache):
    """Every shipped validators file is copied, and the copy gives the same data."""
    files = sorted(profiles.validators_dir().rglob("*.yaml"))
    parsed = {f: profiles._parse_yaml(f) for f in files}
    for f in files:
        assert profiles._load_yaml(f) == parsed[f]
    assert len(_copies(cache)) == len(files)
    for f in files:
        assert profiles._load_yaml(f) == parsed[f]


def test_a_file_replaced_while_it_is_parsed_is_not_copied(tmp_path, cache, monkeypatch):
    src = tmp_path / "v.yaml"
    src.write_text("a: 1\n")
    real = profiles._parse_yaml

    def parse_then_replace(path):
        data = real(path)
        src.write_text("a: 2\n")  # a new version lands between the read and the copy
        return data

    monkeypatch.setattr(profiles, "_parse_yaml", parse_then_replace)
    assert profiles._load_yaml(src) == {"a": 1}
    assert _copies(cache) == []
    monkeypatch.setattr(profiles, "_parse_yaml", real)
    assert profiles._load_yaml(src) == {"a": 2}
