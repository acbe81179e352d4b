"""CO011 preview-missing."""

from contribution_support import copy_example, findings
from hlsp.product_manifest import refresh_manifest


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "CO011") == []


def test_product_without_preview(tmp_path):
    root = copy_example(tmp_path)
    (root / "hlsp_example_tess_ffi_ngc1234_tess_v1_lc.png").unlink()
    refresh_manifest(root)
    (f,) = findings(root, "CO011")
    assert f.message == "1 of 4 science products have no preview: hlsp_example_tess_ffi_ngc1234_tess_v1_lc.fits"
    assert f.severity.value == "warning"
