"""CO004 product-missing: a listed file that is not there, a URL that cannot be fetched."""

import socket

from contribution_support import copy_example, edit, findings, line_of

IMG = "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "CO004") == []


def test_missing_local_file(tmp_path):
    root = copy_example(tmp_path)
    (root / IMG).unlink()
    (f,) = findings(root, "CO004")
    assert f.message == f"{IMG}: no such file in the collection folder"
    assert f.line == line_of(root / "hlsp.yaml", IMG)


def test_dead_url_is_a_finding_naming_it(tmp_path, monkeypatch):
    """A real refused connection on 127.0.0.1 (a port nobody listens on)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again when the block ends: nobody listens there
    monkeypatch.setenv("HLSP_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("HLSP_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("HLSP_RETRIES", "1")
    url = f"http://127.0.0.1:{port}/{IMG}"
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", f"path: {IMG}", f'url: "{url}"')
    (root / IMG).unlink()
    (f,) = findings(root, "CO004")
    assert f.message.startswith(f"cannot fetch {url}: ") and "(after 2 attempts)" in f.message
