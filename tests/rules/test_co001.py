"""CO001 no-products."""

from contribution_support import copy_example, findings
from hlsp.product_manifest import render_products, replace_products_block


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "CO001") == []


def test_empty_manifest(tmp_path):
    root = copy_example(tmp_path)
    meta = root / "hlsp.yaml"
    meta.write_text(replace_products_block(meta.read_text(), render_products([])))
    (f,) = findings(root, "CO001")
    assert "no products yet" in f.message and f.line == len(meta.read_text().splitlines())
