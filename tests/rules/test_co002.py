"""CO002 unsafe-path: nothing outside the collection folder is read."""

import os

import pytest

from contribution_support import copy_example, edit, findings
from hlsp.collection_facts import build_context
from hlsp.engine import iter_collection
from hlsp.engine import Options

IMG = "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "CO002") == []


@pytest.mark.parametrize(
    "path, why",
    [("../secret.fits", "climbs out"), ("/etc/passwd", "absolute"), ("sub/../../secret.fits", "climbs out")],
)
def test_paths_escaping_the_folder(tmp_path, path, why):
    root = copy_example(tmp_path)
    (tmp_path / "secret.fits").write_bytes(b"secret")
    edit(root / "hlsp.yaml", f"path: {IMG}", f'path: "{path}"')
    (f,) = findings(root, "CO002")
    assert why in f.message and path in f.message


def test_symlink_pointing_out_is_not_read(tmp_path):
    root = copy_example(tmp_path)
    outside = tmp_path / "outside.fits"
    outside.write_bytes((root / IMG).read_bytes())
    os.unlink(root / IMG)
    os.symlink(outside, root / IMG)
    (f,) = findings(root, "CO002")
    assert "outside the collection folder" in f.message
    ctx = build_context(root, Options())
    (chk,) = [c for c in ctx.checks if c.product.path == IMG]
    assert chk.size is None and chk.sha256 is None and chk.file is None  # never hashed, never validated
    results = list(iter_collection(root, Options()))
    assert not any(r.path.endswith(IMG) for r in results)
