"""Staging a collection reviewed with `doi: pending`: refused without the minted DOI, recorded with it."""

from __future__ import annotations

import json
import sqlite3

import pytest
from contribution_support import edit
from stage_support import copy_example

from hlsp.stage import StageRefused, stage

MINTED = "10.17909/abcd-1234"


@pytest.fixture
def pending(tmp_path):
    root = copy_example(tmp_path / "src")
    edit(root / "hlsp.yaml", 'doi: "10.17909/hlsp-example"', "doi: pending")
    return root


def test_pending_doi_is_refused_in_one_line(pending, tmp_path, run_cli):
    r = run_cli("stage", pending, "--to", tmp_path / "out")
    assert r.code == 1
    (line,) = r.err.strip().splitlines()
    assert "DOI is still pending" in line and "--doi 10.17909/" in line
    assert not (tmp_path / "out" / "example").exists()  # nothing written


def test_minted_doi_is_recorded_without_touching_the_files(pending, tmp_path, run_cli):
    before = {p.name: p.read_bytes() for p in pending.iterdir()}
    r = run_cli("stage", pending, "--to", tmp_path / "out", "--doi", MINTED)
    assert r.code == 0, r
    delivery = tmp_path / "out" / "example" / "v1"
    assert json.loads((delivery / "manifest.json").read_text())["doi"] == MINTED
    for xml in (delivery / "caom").iterdir():
        assert f"https://doi.org/{MINTED}" in xml.read_text()
    with sqlite3.connect(tmp_path / "out" / "catalog.sqlite") as db:
        assert {d for (d,) in db.execute("SELECT doi FROM obscore")} == {MINTED}
    assert {p.name: p.read_bytes() for p in pending.iterdir()} == before  # reviewed files unchanged
    assert (delivery / "hlsp.yaml").read_bytes() == before["hlsp.yaml"]


def test_bad_or_conflicting_doi_is_refused(pending, tmp_path):
    with pytest.raises(StageRefused, match="not a DOI under MAST's prefix"):
        stage(pending, tmp_path / "out", doi="https://doi.org/10.17909/x")
    edit(pending / "hlsp.yaml", "doi: pending", 'doi: "10.17909/other"')
    with pytest.raises(StageRefused, match="already gives the DOI 10.17909/other"):
        stage(pending, tmp_path / "out", doi=MINTED)
