"""The built site in a real browser: Debian's chromium driven by Playwright.

The site is served by a real http.server on 127.0.0.1 (a free port).  Every
page must load without console errors or failed requests, every preview must
decode, every internal link must resolve, the filter must filter, the copy
button must copy the BibTeX, and nothing may be fetched from another host.
Screenshots of every page (desktop and phone width) go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pages_support import MARK, make_collection, make_injected_collection

from hlsp.pages import build_site

pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 -- http.server's signature
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("contributions")
    make_collection(base, "demo")
    broken = {
        "path": "hlsp_galaxies_hst_acs_m31_f814w_v2_img.fits",
        "size": 5,
        "sha256": "0" * 64,
        "product_type": "img",
    }
    root = make_collection(
        base,
        "galaxies",
        "v2",
        extra_products=[broken],
        title="Andromeda & Triangulum: a second collection",
        targets=[{"name": "m31", "ra": 10.6847, "dec": 41.2690}, {"name": "m33", "ra": 23.4621, "dec": 30.6599}],
        history=[
            {"version": "v1", "date": "2025-05-01", "changes": "First release."},
            {"version": "v2", "date": "2026-11-01", "changes": "Recalibrated images; added the catalog."},
        ],
    )
    (root / broken["path"]).write_bytes(b"junk!")  # cannot be previewed: a placeholder
    shutil.copytree(ROOT / "contributions" / "example", base / "example")  # the real example, too
    out = tmp_path_factory.mktemp("site")
    result = build_site([base / "demo", base / "galaxies", base / "example"], out, jobs=2, cache_dir=out / "cache")
    assert any("hlsp_galaxies_hst_acs_m31_f814w_v2_img.fits" in w for w in result.warnings)
    return out


@contextlib.contextmanager
def serve(folder: Path):
    """A real HTTP server for ``folder`` on 127.0.0.1 (a free port); yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def server(site):
    with serve(site) as base:
        yield base


@pytest.fixture(scope="module")
def browser(system_tool):
    chromium = system_tool("chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """Everything a page did that a test may object to."""

    def __init__(self, page, base: str):
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.foreign: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.errors.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.errors.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.errors.append(f"request failed: {r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.errors.append(f"HTTP {r.status}: {r.url}"))
        page.on("request", lambda r: r.url.startswith(base) or self.foreign.append(r.url))

        def on_dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", on_dialog)


def _load_all_images(page) -> list[dict]:
    """Scroll every image into view (they are lazy), wait, report their sizes."""
    images = page.locator("img")
    for i in range(images.count()):
        images.nth(i).scroll_into_view_if_needed()
    page.wait_for_function("Array.from(document.images).every(i => i.complete)", timeout=15000)
    return page.evaluate("Array.from(document.images).map(i => ({src: i.src, w: i.naturalWidth, alt: i.alt}))")


def _pages(base: str) -> list[str]:
    return [base + "index.html", base + "demo/index.html", base + "galaxies/index.html", base + "example/index.html"]


def test_every_page_loads_cleanly_and_every_image_and_link_works(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    watch = Watch(page, server)
    SHOTS.mkdir(parents=True, exist_ok=True)
    checked_links: set[str] = set()
    for url in _pages(server):
        response = page.goto(url, wait_until="load")
        assert response is not None and response.status == 200, url
        images = _load_all_images(page)
        assert images, f"{url}: no images"
        for img in images:
            assert img["w"] > 0, f"{url}: image {img['src']} did not decode"
            assert img["alt"].strip(), f"{url}: image {img['src']} has no alt text"
        hrefs = page.evaluate("Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
        for href in hrefs:
            href = href.split("#")[0]
            if href.startswith(server):
                if href not in checked_links:
                    status = page.request.get(href).status
                    assert status == 200, f"{url}: link {href} -> {status}"
                    checked_links.add(href)
            else:
                assert urlsplit(href).scheme == "https", f"{url}: external link {href} is not https"
        name = urlsplit(url).path.strip("/").replace("/", "-").removesuffix(".html")
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert watch.errors == []
    assert watch.dialogs == []
    assert watch.foreign == [], "the site fetched something from another host"
    # the download links of the products were among the links checked
    assert any(h.endswith("_img.fits") for h in checked_links)
    context.close()


def test_pages_fit_a_phone_screen(browser, server):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    watch = Watch(page, server)
    for url in _pages(server):
        page.goto(url, wait_until="load")
        _load_all_images(page)
        # nothing wider than the screen except inside the scrollable table boxes
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url}: the page is {overflow}px wider than a phone screen"
        font = page.evaluate("parseFloat(getComputedStyle(document.querySelector('main p, main dd')).fontSize)")
        assert font >= 14
        name = urlsplit(url).path.strip("/").replace("/", "-").removesuffix(".html")
        page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    assert watch.errors == []
    context.close()


def test_filter_box_filters_the_index(browser, server):
    page = browser.new_page()
    watch = Watch(page, server)
    page.goto(server + "index.html", wait_until="load")
    cards = page.locator("[data-filter-item]")
    assert cards.count() == 3
    status = page.locator("#filter-status")
    assert status.inner_text() == "3 of 3 collections shown"
    assert page.get_by_label("Filter collections").count() == 1  # the input has a label

    page.fill("#filter", "m33")  # a target of one collection only
    assert status.inner_text() == "1 of 3 collections shown"
    visible = [cards.nth(i).locator("h3").inner_text() for i in range(3) if cards.nth(i).is_visible()]
    assert visible == ["Andromeda & Triangulum: a second collection"]

    page.fill("#filter", "LOVELACE img")  # case-insensitive; every word must match
    assert status.inner_text() == "3 of 3 collections shown"
    page.fill("#filter", "lovelace andromeda")
    assert status.inner_text() == "1 of 3 collections shown"
    page.fill("#filter", "10.17909/hlsp-example")  # by DOI
    assert status.inner_text() == "1 of 3 collections shown"

    page.fill("#filter", "no-such-collection")
    assert status.inner_text() == "0 of 3 collections shown"
    assert page.locator("#no-match").is_visible()

    page.fill("#filter", "")
    assert all(cards.nth(i).is_visible() for i in range(3))
    assert watch.errors == []
    page.close()


def test_copy_button_copies_the_bibtex(browser, server):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    watch = Watch(page, server)
    page.goto(server + "demo/index.html", wait_until="load")
    shown = page.locator("#bibtex").inner_text()
    assert shown.startswith("@misc{demo2026,")
    assert "doi          = {10.17909/t9-demo-1234}" in shown
    page.evaluate("navigator.clipboard.writeText('something else')")
    page.get_by_role("button", name="Copy BibTeX").click()
    page.wait_for_function("document.getElementById('copy-status').textContent.includes('Copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.evaluate("document.getElementById('bibtex').textContent")
    assert copied.strip() == shown.strip()
    assert watch.errors == []
    context.close()


def test_site_works_from_disk_without_a_server(browser, site):
    """Opened as file:// (offline, no server): styles and script still apply."""
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((site / "index.html").as_uri(), wait_until="load")
    assert page.locator("#filter-status").inner_text() == "3 of 3 collections shown"  # site.js ran
    assert page.evaluate("getComputedStyle(document.querySelector('ul.cards')).display") == "grid"  # site.css applied
    page.goto((site / "demo" / "index.html").as_uri(), wait_until="load")
    assert page.get_by_role("button", name="Copy BibTeX").is_visible()
    assert errors == []
    page.close()


def test_injected_payloads_do_not_run_in_the_browser(browser, tmp_path):
    """Every metadata field holds a script payload: no dialog, no script, no error."""
    make_injected_collection(tmp_path / "contributions", "evil")
    out = tmp_path / "site"
    build_site([tmp_path / "contributions" / "evil"], out, jobs=1, cache_dir=tmp_path / "cache")
    page = browser.new_page()
    with serve(out) as base:
        watch = Watch(page, base)
        for url in (base + "index.html", base + "evil/index.html"):
            page.goto(url, wait_until="load")
            _load_all_images(page)
            page.mouse.move(10, 10)
            page.mouse.move(400, 400)  # hover handlers, had any been injected
            assert page.evaluate("window.__pwned") is None, MARK
            assert "Title <script>window.__pwned=1" in page.locator("main").inner_text()  # shown as text
            assert page.locator("script").count() == 2  # JSON-LD + site.js, nothing injected
        page.screenshot(path=str(SHOTS / "injected-collection.png"), full_page=True)
    assert watch.dialogs == []
    assert watch.errors == []
    assert watch.foreign == []
    page.close()
