"""`hlsp manifest`: rewrites only the products block of hlsp.yaml."""

from __future__ import annotations

import hashlib
import os

import pytest

from contribution_support import EXAMPLE, copy_example, edit
from hlsp import validate
from hlsp.errors import HlspError
from hlsp.product_manifest import render_products, replace_products_block
from hlsp.metadata import parse_yaml

IMG = "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"


def test_example_manifest_is_current(run_cli):
    r = run_cli("manifest", EXAMPLE, "--check")
    assert r.code == 0 and "manifest is up to date" in r.out


def test_refresh_keeps_everything_else_byte_for_byte(tmp_path, run_cli):
    root = copy_example(tmp_path)
    meta = root / "hlsp.yaml"
    edit(meta, "calibration_level: 3", "calibration_level: 3  # a comment that must survive")
    before = meta.read_text()
    head = before[: before.index("products:")]
    with open(root / IMG, "ab") as fh:
        fh.write(b"\0" * 2880)
    (root / "hlsp_example_hst_acs_ngc1234_f606w_v1_cat.png").unlink()
    (root / "sub").mkdir()
    (root / "sub" / "hlsp_example_hst_acs_ngc1234_f814w_v1_img.png").write_bytes(b"png")
    assert run_cli("manifest", root, "--check").code == 1
    assert meta.read_text() == before  # --check writes nothing
    r = run_cli("manifest", root)
    assert r.code == 0, r
    assert r.out.splitlines()[:3] == [
        "added: sub/hlsp_example_hst_acs_ngc1234_f814w_v1_img.png",
        "removed: hlsp_example_hst_acs_ngc1234_f606w_v1_cat.png",
        f"updated: {IMG}",
    ]
    after = meta.read_text()
    assert after.startswith(head)
    products = parse_yaml(after).data["products"]
    assert {
        "path": "sub/hlsp_example_hst_acs_ngc1234_f814w_v1_img.png",
        "size": 3,
        "sha256": hashlib.sha256(b"png").hexdigest(),
        "product_type": "preview",
    } in products
    manifest_rules = {"CO004", "CO005", "CO006", "CO007"}
    assert [f.rule for _, f in validate([str(root)]).findings() if f.rule in manifest_rules] == []


def test_products_block_in_flow_style_and_trailing_comments(tmp_path):
    text = "a: 1  # one\nproducts: [{path: x.fits, size: 1}]  # old\n# end comment\nz: 2\n"
    new = replace_products_block(text, render_products([{"path": "y.fits", "size": 2}]))
    assert new == "a: 1  # one\nproducts:\n  - path: y.fits\n    size: 2\n# end comment\nz: 2\n"
    assert replace_products_block("a: 1\n", "products: []") == "a: 1\nproducts: []\n"
    assert replace_products_block("a: 1\nproducts:\nb: 2\n", "products: []") == "a: 1\nproducts: []\nb: 2\n"


def test_values_needing_quotes_round_trip():
    entries = [{"path": "weird: name #1.fits", "size": 1, "sha256": "0123", "product_type": "true"}]
    assert parse_yaml(render_products(entries)).data == {"products": entries}


def test_refuses_broken_yaml_and_keeps_it(tmp_path, run_cli):
    root = copy_example(tmp_path)
    (root / "hlsp.yaml").write_text("a: [1\n")
    r = run_cli("manifest", root)
    assert r.code == 2 and "not valid YAML" in r.err
    assert (root / "hlsp.yaml").read_text() == "a: [1\n"


def test_link_out_of_folder_is_not_listed(tmp_path, run_cli):
    root = copy_example(tmp_path)
    (tmp_path / "secret.fits").write_bytes(b"secret")
    os.symlink(tmp_path / "secret.fits", root / "hlsp_example_link.fits")
    r = run_cli("manifest", root)
    assert "refused: hlsp_example_link.fits: the path resolves (through a symbolic link) to a place outside" in r.out
    assert "hlsp_example_link.fits" not in (root / "hlsp.yaml").read_text()


def test_not_a_folder(tmp_path):
    from hlsp.product_manifest import refresh_manifest

    with pytest.raises(HlspError, match="no hlsp.yaml"):
        refresh_manifest(tmp_path)
