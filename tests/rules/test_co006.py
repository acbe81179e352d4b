"""CO006 sha256-mismatch."""

from contribution_support import copy_example, findings, line_of
from hlsp.product_manifest import sha256_file

IMG = "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "CO006") == []


def test_same_size_other_content(tmp_path):
    root = copy_example(tmp_path)
    _, old = sha256_file(root / IMG)
    data = bytearray((root / IMG).read_bytes())
    data[-1] ^= 1
    (root / IMG).write_bytes(bytes(data))
    _, new = sha256_file(root / IMG)
    (f,) = findings(root, "CO006")
    assert f.message == f"{root / IMG}: sha256 is {new}, the manifest gives {old}"
    assert f.line == line_of(root / "hlsp.yaml", old)


def test_not_repeated_when_size_differs(tmp_path):
    root = copy_example(tmp_path)
    with open(root / IMG, "ab") as fh:
        fh.write(b"x")
    assert findings(root, "CO006") == []
    assert len(findings(root, "CO005")) == 1
