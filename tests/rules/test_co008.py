"""CO008 duplicate-name."""

from contribution_support import copy_example, edit, findings, line_of

CAT = "hlsp_example_hst_acs_ngc1234_f606w_v1_cat.fits"


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "CO008") == []


def test_same_name_in_a_subfolder(tmp_path):
    root = copy_example(tmp_path)
    (root / "copy").mkdir()
    (root / "copy" / CAT).write_bytes((root / CAT).read_bytes())
    edit(
        root / "hlsp.yaml",
        "products:\n",
        f"products:\n  - {{path: copy/{CAT}, size: 1, sha256: x, product_type: cat}}\n",
    )
    (f,) = findings(root, "CO008")
    first = line_of(root / "hlsp.yaml", f"path: {CAT}")
    assert f.message == f"{CAT} has the same file name as the entry on line {line_of(root / 'hlsp.yaml', 'copy/')}"
    assert f.line == first
