"""`hlsp init`: a skeleton that validates except for "no products yet"."""

from __future__ import annotations

import datetime

import pytest

from hlsp import validate
from hlsp.errors import HlspError
from hlsp.skeleton import init_contribution


def test_skeleton_fails_on_each_stand_in(tmp_path, run_cli):
    r = run_cli("init", "my-survey", "--dir", tmp_path)
    assert r.code == 0, r
    folder = tmp_path / "my-survey"
    assert f"hlsp fix {folder} --write" in r.out  # the next steps name the real folder, fix before manifest
    assert r.out.index("hlsp fix") < r.out.index("hlsp manifest") < r.out.index("hlsp validate")
    assert sorted(p.name for p in folder.iterdir()) == ["README.md", "hlsp.yaml"]
    findings = [f for _, f in validate([str(folder)]).findings()]
    assert ("CO001", "no products yet: the manifest (`products:`) is empty") in [(f.rule, f.message) for f in findings]
    assert [f.rule for f in findings if f.severity.value == "warning"] == ["MD005"]  # doi: pending
    named = {
        f.message.split(" still holds", 1)[0]
        for f in findings
        if f.rule == "MD006" and not f.path.endswith("README.md")
    }
    assert named == {
        "title",
        "abstract",
        "lead.name",
        "lead.email",
        "lead.orcid",
        "references[1]",
        "targets[1].name",
        "observatories",
        "instruments",
        "filters",
        "product_types",
    }


def test_metadata_is_commented_and_dated(tmp_path):
    folder = init_contribution("abc", tmp_path, today=datetime.date(2027, 1, 2))
    text = (folder / "hlsp.yaml").read_text()
    assert text.count("\n#") > 10  # explanations for the fields
    assert "release_date: 2027-01-02" in text and "proj_id: abc\n" in text
    assert "v1 (2027-01-02)" in (folder / "README.md").read_text()


@pytest.mark.parametrize("bad", ["Upper", "1abc", "ends-", "has_underscore", "a" * 21])
def test_bad_proj_id(tmp_path, bad):
    with pytest.raises(HlspError, match="not a valid proj-id"):
        init_contribution(bad, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_refuses_to_overwrite(tmp_path, run_cli):
    (tmp_path / "x1").mkdir()
    (tmp_path / "x1" / "mine.txt").write_text("keep")
    r = run_cli("init", "x1", "--dir", tmp_path)
    assert r.code == 2 and "already exists and is not empty" in r.err
    assert [p.name for p in (tmp_path / "x1").iterdir()] == ["mine.txt"]
