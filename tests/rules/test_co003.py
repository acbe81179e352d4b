"""CO003 url-refused: only https and s3, never private hosts (unless allowed for tests)."""

import pytest

from contribution_support import copy_example, edit, findings
from hlsp.remote import RemoteOptions, url_problem

IMG = "hlsp_example_hst_acs_ngc1234_f606w_v1_img.fits"


def test_clean_example_passes(tmp_path):
    assert findings(copy_example(tmp_path), "CO003") == []


@pytest.mark.parametrize(
    "url, why",
    [
        ("file:///etc/passwd", "file:// URLs are not allowed"),
        ("http://example.org/x.fits", "plain http:// is not allowed"),
        ("ftp://example.org/x.fits", "ftp:// is not allowed"),
        ("https://127.0.0.1/x.fits", "private or local address 127.0.0.1"),
        ("https://localhost/x.fits", "private or local address"),
        ("https://10.1.2.3/x.fits", "private or local address 10.1.2.3"),
        ("https://169.254.169.254/latest/meta-data", "private or local address 169.254.169.254"),
        ("https://[::1]/x.fits", "private or local address ::1"),
    ],
)
def test_refused_urls(tmp_path, monkeypatch, url, why):
    monkeypatch.delenv("HLSP_ALLOW_PRIVATE_URLS", raising=False)
    root = copy_example(tmp_path)
    edit(root / "hlsp.yaml", f"path: {IMG}", f'url: "{url}"')
    (f,) = findings(root, "CO003")
    assert why in f.message and url in f.message


def test_private_hosts_allowed_only_when_configured():
    strict = RemoteOptions(allow_private=False)
    testing = RemoteOptions(allow_private=True)
    assert url_problem("http://127.0.0.1:8080/x.fits", strict)
    assert url_problem("http://127.0.0.1:8080/x.fits", testing) is None
    assert url_problem("file:///etc/passwd", testing)  # never
    assert url_problem("s3://bucket/key.fits", strict) is None
    assert url_problem("s3://bucket/key.fits", RemoteOptions(s3_endpoint="http://127.0.0.1:9000"))
