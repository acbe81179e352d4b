"""Previews of products listed by URL, fetched from a real HTTP server on 127.0.0.1
(pytest-httpserver) through hlsp.remote: verified, cached, and never a failed build."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread
from pages_support import make_collection, write_image

from hlsp.pages import build_site

IMG = "hlsp_web_hst_acs_m31_f814w_v1_img.fits"
PLACEHOLDER_SRC = "../static/placeholder.svg"


@pytest.fixture
def remote_env(tmp_path, monkeypatch) -> Path:
    """Admit the 127.0.0.1 server; hlsp.remote's download cache in the test's folder."""
    monkeypatch.setenv("HLSP_ALLOW_PRIVATE_URLS", "1")
    monkeypatch.setenv("HLSP_CACHE_DIR", str(tmp_path / "hlsp-cache"))
    monkeypatch.setenv("HLSP_RETRIES", "1")
    monkeypatch.setenv("HLSP_TIMEOUT", "5")
    return tmp_path / "hlsp-cache"


@pytest.fixture
def fits_bytes(tmp_path) -> bytes:
    """A real FITS image (celestial WCS), as the server will send it."""
    path = tmp_path / "served.fits"
    write_image(path, pid="web")
    return path.read_bytes()


def remote_entry(url: str, data: bytes, sha256: str | None = None) -> dict:
    return {"url": url, "size": len(data), "sha256": sha256 or hashlib.sha256(data).hexdigest(), "product_type": "img"}


def collection(tmp_path: Path, *remote: dict) -> Path:
    """Four local products (manifest indexes 0-3), then ``remote`` (4, 5, ...)."""
    return make_collection(tmp_path / "contributions", "web", extra_products=list(remote))


def test_remote_product_gets_a_decoded_preview_and_keeps_its_url(tmp_path, remote_env, httpserver, fits_bytes):
    httpserver.expect_request(f"/data/{IMG}").respond_with_data(fits_bytes, content_type="application/fits")
    url = httpserver.url_for(f"/data/{IMG}")
    root = collection(tmp_path, remote_entry(url, fits_bytes))

    result = build_site([root], tmp_path / "site", jobs=1, cache_dir=tmp_path / "previews")

    assert result.warnings == []
    png = tmp_path / "site" / "web" / "previews" / "p4.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    pixels = imread(png)
    assert pixels.shape[:2] == (480, 640) and float(np.std(pixels[..., :3])) > 0.01  # a drawn image, not a blank
    html = (tmp_path / "site" / "web" / "index.html").read_text()
    assert 'src="previews/p4.png"' in html and PLACEHOLDER_SRC not in html
    assert not (tmp_path / "site" / "web" / "files" / IMG).exists()  # the download link stays the URL
    cached = list(remote_env.rglob(IMG))
    assert len(cached) == 1 and cached[0].read_bytes() == fits_bytes  # in hlsp.remote's sha256-keyed cache
    assert len(httpserver.log) == 1

    # a new site with a new preview cache: the verified copy is reused, nothing is downloaded again
    build_site([root], tmp_path / "site2", jobs=1, cache_dir=tmp_path / "previews2")
    assert (tmp_path / "site2" / "web" / "previews" / "p4.png").read_bytes() == png.read_bytes()
    assert len(httpserver.log) == 1


def test_dead_url_and_wrong_sha256_give_placeholders_and_warnings(tmp_path, remote_env, httpserver, fits_bytes):
    httpserver.expect_request(f"/gone/{IMG}").respond_with_data("gone", status=404)
    httpserver.expect_request(f"/bad/{IMG}").respond_with_data(fits_bytes)
    dead = httpserver.url_for(f"/gone/{IMG}")
    wrong = httpserver.url_for(f"/bad/{IMG}")
    root = collection(tmp_path, remote_entry(dead, fits_bytes), remote_entry(wrong, fits_bytes, sha256="0" * 64))

    result = build_site([root], tmp_path / "site", jobs=1, cache_dir=tmp_path / "previews")

    assert len(result.warnings) == 2
    dead_warning, wrong_warning = result.warnings
    assert dead_warning.startswith(f"web: {IMG}: no preview: ") and dead in dead_warning and "not found" in dead_warning
    assert wrong in wrong_warning and "sha256" in wrong_warning
    site = tmp_path / "site" / "web"
    assert not (site / "previews" / "p4.png").exists() and not (site / "previews" / "p5.png").exists()
    assert (site / "previews" / "p0.png").is_file()  # the local products are still previewed
    assert (site / "index.html").read_text().count(PLACEHOLDER_SRC) == 2
    assert not list(remote_env.rglob(IMG))  # nothing unverified is kept


def test_server_that_never_answers_gives_a_placeholder(tmp_path, monkeypatch, remote_env, fits_bytes):
    """A real listening socket that accepts connections and never responds."""
    monkeypatch.setenv("HLSP_TIMEOUT", "0.5")
    monkeypatch.setenv("HLSP_RETRIES", "0")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/{IMG}"
        result = build_site([collection(tmp_path, remote_entry(url, fits_bytes))], tmp_path / "site", jobs=1)
    assert result.warnings == [f"web: {IMG}: no preview: cannot fetch {url}: timed out"]
    assert (tmp_path / "site" / "web" / "index.html").read_text().count(PLACEHOLDER_SRC) == 1


def test_refused_url_and_missing_sha256_are_not_requested(tmp_path, monkeypatch, remote_env, httpserver, fits_bytes):
    httpserver.expect_request(f"/{IMG}").respond_with_data(fits_bytes)
    url = httpserver.url_for(f"/{IMG}")
    root = collection(tmp_path, remote_entry(url, fits_bytes))
    monkeypatch.delenv("HLSP_ALLOW_PRIVATE_URLS")  # the production policy: no plain http, no loopback hosts

    result = build_site([root], tmp_path / "site", jobs=1, cache_dir=tmp_path / "previews")
    assert len(result.warnings) == 1 and url in result.warnings[0] and "not allowed" in result.warnings[0]

    monkeypatch.setenv("HLSP_ALLOW_PRIVATE_URLS", "1")
    root2 = make_collection(
        tmp_path / "more", "web", extra_products=[{**remote_entry(url, fits_bytes), "sha256": "junk/.."}]
    )
    result = build_site([root2], tmp_path / "site2", jobs=1, cache_dir=tmp_path / "previews2")
    assert len(result.warnings) == 1 and url in result.warnings[0] and "no valid sha256" in result.warnings[0]
    assert len(httpserver.log) == 0


def test_no_fetch_makes_no_request(tmp_path, remote_env, httpserver, fits_bytes, run_cli):
    httpserver.expect_request(f"/{IMG}").respond_with_data(fits_bytes)
    root = collection(tmp_path, remote_entry(httpserver.url_for(f"/{IMG}"), fits_bytes))

    res = run_cli("pages", root, "--out", tmp_path / "site", "--jobs", "1", "--no-fetch")

    assert res.code == 0, res
    assert f"hlsp pages: warning: web: {IMG}: no preview: the product is remote" in res.err
    assert len(httpserver.log) == 0
    assert not (tmp_path / "site" / "web" / "previews" / "p4.png").exists()
    assert not list(remote_env.rglob(IMG))  # nothing downloaded
