"""hlsp.contribution: the model other parts of hlsp build on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from contribution_support import copy_example, edit
from hlsp.contribution import contribution_of, is_contribution, load_contribution, resolve_inside, whole_contributions
from hlsp.errors import HlspError


def test_missing_folder_and_metadata(tmp_path):
    with pytest.raises(HlspError, match="no such collection folder"):
        load_contribution(tmp_path / "nope")
    with pytest.raises(HlspError, match=r"no hlsp.yaml in this folder \(`hlsp init` writes one\)"):
        load_contribution(tmp_path)
    assert not is_contribution(tmp_path)


def test_strict_load_refuses_schema_problems_in_one_line(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "calibration_level: 3", "calibration_level: 7")
    edit(root / "hlsp.yaml", "license: CC BY 4.0", "license: CC BY-NC 4.0")
    with pytest.raises(HlspError) as info:
        load_contribution(root)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{root / 'hlsp.yaml'}:")
    assert "(and 1 more)" in message and "hlsp validate" in message
    c = load_contribution(root, strict=False)
    assert c.metadata["calibration_level"] == 7


def test_yaml_problem_is_one_line_with_line_number(tmp_path):
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", "version: v1\n", "version: v1\nversion: v2\n")
    with pytest.raises(HlspError, match=r"hlsp.yaml:6: duplicate key 'version'"):
        load_contribution(root, strict=False)


def test_remote_product_model(tmp_path):
    root = copy_example(tmp_path)
    edit(
        root / "hlsp.yaml",
        "path: hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits",
        "url: https://data.example.org/dl/hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits",
    )
    c = load_contribution(root)
    remote = [p for p in c.products if p.is_remote]
    assert len(remote) == 1
    p = remote[0]
    assert p.path is None and p.local_path is None and p.filename.endswith("_img.fits")
    assert p.name.product_type == "img" and p.location == p.url


@pytest.mark.parametrize(
    "rel, ok",
    [
        ("a.fits", True),
        ("sub/a.fits", True),
        ("./a.fits", True),
        ("../a.fits", False),
        ("sub/../../a.fits", False),
        ("/etc/passwd", False),
        ("C:/x.fits", False),
        ("sub\\a.fits", False),
        ("", False),
        (" a.fits", False),
    ],
)
def test_resolve_inside(tmp_path, rel, ok):
    path, why = resolve_inside(tmp_path, rel)
    assert (path is not None) is ok and (why is None) is ok


def test_resolve_inside_follows_links(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (tmp_path / "out.fits").write_bytes(b"x")
    os.symlink(tmp_path / "out.fits", root / "link.fits")
    os.symlink(tmp_path, root / "up")
    (root / "in.fits").write_bytes(b"x")
    os.symlink("in.fits", root / "inner-link.fits")
    assert resolve_inside(root, "link.fits")[0] is None
    assert resolve_inside(root, "up/out.fits")[0] is None
    assert resolve_inside(root, "inner-link.fits")[0] == Path(os.path.realpath(root / "in.fits"))


def test_whole_contributions_maps_changed_files_to_their_folder(tmp_path, monkeypatch):
    root = copy_example(tmp_path / "contributions")
    monkeypatch.chdir(tmp_path)
    changed = ["contributions/example/README.md", "contributions/example/hlsp.yaml", "loose.fits", "contributions"]
    assert whole_contributions(changed) == ["contributions/example", "loose.fits", "contributions"]
    assert contribution_of(str(root / "sub" / "deeper" / "x.fits")) == str(root)
