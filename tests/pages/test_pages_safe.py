"""Contributor text stays text: the URL filter, JSON-LD escaping, BibTeX, and a
site built from a collection whose every metadata field is an attack payload
(parsed with html.parser; the same site in a real browser is in
test_pages_browser.py)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pages_support import BAD_URLS, FILE_PAYLOAD, MARK, PAYLOAD, make_collection, make_injected_collection

from hlsp.pages import build_site, safe
from hlsp.pages.site import bib_escape, bibtex, templates_dir


# ----------------------------------------------------------------- url filter
@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://example.org/a/b.fits?x=1&y=2", "https://example.org/a/b.fits?x=1&y=2"),
        ("https://creativecommons.org/licenses/by/4.0/", "https://creativecommons.org/licenses/by/4.0/"),
        ("10.17909/abcd-1234", "https://doi.org/10.17909/abcd-1234"),
        ("doi:10.3847/1538-3881/abc123", "https://doi.org/10.3847/1538-3881/abc123"),
        ("https://doi.org/10.3847/1538-3881/abc123", "https://doi.org/10.3847/1538-3881/abc123"),
        ("2020AJ....160..123X", "https://ui.adsabs.harvard.edu/abs/2020AJ....160..123X"),
        ("2019A&A...622A.205B", "https://ui.adsabs.harvard.edu/abs/2019A%26A...622A.205B"),
    ],
)
def test_safe_url_links_https_dois_and_bibcodes(value, expected):
    assert safe.safe_url(value) == expected


@pytest.mark.parametrize(
    "value",
    BAD_URLS
    + [
        "",
        None,
        42,
        "ftp://example.org/x",
        "https://",
        "https:///path-only",
        "https://exa mple.org/",
        "https://example.org/<script>",
        "https://example.org:99999/",
        "10.1234/<script>alert(1)</script>",
        "10.1234/x onerror=alert(1)",
        "2020AJ....160..123",  # 18 characters: not a bibcode
        "file:///etc/passwd",
        "s3://bucket/key.fits",
    ],
)
def test_safe_url_refuses_everything_else(value):
    assert safe.safe_url(value) is None


def test_orcid_links_only_valid_ids():
    assert safe.orcid_url("0000-0002-1825-0097") == "https://orcid.org/0000-0002-1825-0097"
    assert safe.orcid_url("https://orcid.org/0000-0002-1825-009X") == "https://orcid.org/0000-0002-1825-009X"
    assert safe.orcid_url("javascript:alert(1)") is None
    assert safe.orcid_url("0000-0002-1825-0097<script>") is None


# -------------------------------------------------------------------- json-ld
def test_json_ld_cannot_close_its_script_element():
    data = {"name": "</script><script>alert(1)</script>", "d": "a & b <!-- c --> \u2028", "n": [1, 2.5, None, True]}
    text = str(safe.json_ld(data))
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert "\\u003c/script\\u003e" in text
    assert json.loads(text) == data  # the escapes mean the same characters


# --------------------------------------------------------------------- bibtex
def _balanced(text: str) -> bool:
    depth = 0
    for i, ch in enumerate(text):
        if ch in "{}" and i > 0 and text[i - 1] == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_escapes_contributor_text():
    assert (
        bib_escape("A & B {x} 50% $1 #2 a_b \\ ~ ^")
        == r"A \& B \{x\} 50\% \$1 \#2 a\_b \textbackslash{} \textasciitilde{} \textasciicircum{}"
    )
    meta = {
        "title": "Broken } title {",
        "version": "v1",
        "release_date": "2026-11-01",
        "doi": "10.17909/abc",
        "lead": {"name": "Ada } Lovelace"},
        "team": [{"name": "C. Babbage"}],
    }
    entry = bibtex("my-hlsp", meta)
    assert entry.startswith("@misc{myhlsp2026,\n")
    assert "author       = {Ada \\} Lovelace and C. Babbage}" in entry
    assert "doi          = {10.17909/abc}" in entry
    assert "url          = {https://doi.org/10.17909/abc}" in entry
    assert _balanced(entry)


def test_bibtex_leaves_out_a_pending_doi():
    entry = bibtex("x", {"title": "T", "doi": "pending", "lead": {"name": "A"}})
    assert "doi" not in entry and "url" not in entry and _balanced(entry)


# ------------------------------------------------------------------ templates
def test_templates_never_mark_text_safe():
    """Only the json_ld filter returns markup; no template uses |safe or disables autoescape."""
    for path in templates_dir().glob("*.j2"):
        source = re.sub(r"\{#.*?#\}", "", path.read_text(), flags=re.S)  # comments may mention them
        assert not re.search(r"\|\s*safe\b(?!_)", source), path
        assert "autoescape" not in source, path
        assert "Markup" not in source, path


# ------------------------------------------------------- the injected site
class PageScan(HTMLParser):
    """Every element, attribute, script body and text run of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self.text: list[str] = []
        self._in_script: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "script":
            self._in_script = attrs
            self.scripts.append((attrs, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        else:
            self.text.append(data)


ALLOWED_TAGS = {
    "html", "head", "meta", "title", "link", "script", "body", "a", "header", "p", "main", "footer", "h1", "h2", "h3",
    "section", "div", "label", "input", "ul", "li", "dl", "dt", "dd", "figure", "img", "figcaption", "nav", "cite",
    "button", "span", "pre", "code", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


@pytest.fixture(scope="module")
def injected_site(tmp_path_factory) -> tuple[Path, list[str]]:
    base = tmp_path_factory.mktemp("contributions")
    make_injected_collection(base, "evil")
    out = tmp_path_factory.mktemp("site")
    # offline build: the payload URLs are not fetched (tests/pages/test_pages_remote.py covers fetching)
    result = build_site([base / "evil"], out, jobs=1, cache_dir=out / "cache", fetch=False)
    return out, result.warnings


def _scan(path: Path) -> PageScan:
    scan = PageScan()
    scan.feed(path.read_text())
    scan.close()
    return scan


def injection_problems(scan: PageScan) -> list[str]:
    """Everything in a parsed page that contributor text could have added."""
    problems = []
    for tag, attrs in scan.tags:
        if tag not in ALLOWED_TAGS:
            problems.append(f"element <{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                problems.append(f"attribute {name} on <{tag}>")
            if MARK in (value or "") and name not in ("alt", "aria-label"):
                problems.append(f"payload in {tag}@{name}")
        for name in ("href", "src", "action", "formaction"):
            url = re.sub(r"[\x00-\x20]", "", attrs.get(name) or "")
            if url and not url.startswith("https://") and re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//", url):
                problems.append(f"{tag}@{name}={url!r}")
        if tag == "img" and attrs.get("src") not in (
            "skymap.png",
            "../static/placeholder.svg",
            "static/placeholder.svg",
        ):
            problems.append(f"img src={attrs.get('src')!r}")
    # exactly our two scripts: the JSON-LD data block and the site's own file
    kinds = sorted(a.get("type") or a.get("src") or "inline" for a, _ in scan.scripts)
    if kinds not in (["../static/site.js", "application/ld+json"], ["application/ld+json", "static/site.js"]):
        problems.append(f"scripts {kinds}")
    for attrs, body in scan.scripts:
        if attrs.get("type") == "application/ld+json" and re.search("[<>]", body):
            problems.append("< or > inside the JSON-LD block")
    return problems


def test_the_scan_catches_an_unescaped_payload():
    """The checker itself is not blind: raw payload HTML is full of problems."""
    scan = PageScan()
    scan.feed(f'<p>{PAYLOAD}</p><a href="{BAD_URLS[0]}">x</a><a href="{BAD_URLS[2]}">y</a>')
    found = injection_problems(scan)
    assert any("element <svg>" in p for p in found)
    assert any("attribute onerror" in p for p in found)
    assert any("javascript:" in p for p in found)
    assert any(p.startswith("img src") for p in found)
    assert any(p.startswith("scripts") for p in found)


@pytest.mark.parametrize("page", ["index.html", "evil/index.html"])
def test_payloads_in_every_field_render_inert(injected_site, page):
    out, _ = injected_site
    scan = _scan(out / page)
    assert injection_problems(scan) == []
    ld = json.loads(next(body for a, body in scan.scripts if a.get("type") == "application/ld+json"))
    assert ld["@type"] in ("Dataset", "DataCatalog")
    text = "".join(scan.text)
    assert "Title " + PAYLOAD in text  # shown to the reader, as text
    assert "{{ 7*7 }}" in text  # not evaluated as a template


def test_collection_page_shows_payloads_and_bad_urls_as_text(injected_site):
    out, _ = injected_site
    scan = _scan(out / "evil" / "index.html")
    text = "".join(scan.text)
    for field_text in (PAYLOAD, FILE_PAYLOAD, "10.17909/" + PAYLOAD, BAD_URLS[0]):
        assert field_text in text
    hrefs = [a["href"] for t, a in scan.tags if t == "a"]
    assert sorted(set(hrefs)) == ["#main", "../index.html"]  # no link made from any payload or bad URL
    ld = json.loads(next(body for a, body in scan.scripts if a.get("type") == "application/ld+json"))
    assert ld["name"] == "Title " + PAYLOAD  # JSON-LD round-trips the text exactly
    assert "identifier" not in ld  # an invalid DOI gives no identifier link
    assert "license" in ld and not ld["license"].startswith("javascript")


def test_injected_site_builds_with_warnings_not_errors(injected_site):
    out, warnings = injected_site
    assert (out / "evil" / "index.html").is_file()
    assert any("remote" in w for w in warnings)  # remote products are not previewed
    assert any(FILE_PAYLOAD in w for w in warnings)  # the junk local file gets a placeholder


def test_characters_html_cannot_hold_are_replaced(tmp_path):
    """YAML escapes can put NUL, controls and lone surrogates in hlsp.yaml; the
    pages show U+FFFD instead, and are still valid UTF-8."""
    root = make_collection(tmp_path / "c", "odd-chars")
    text = (root / "hlsp.yaml").read_text()
    text = re.sub(r"^title: .*$", r'title: "T\\0i\\x07t\\udce9l\\x9fe \\u2028 done"', text, count=1, flags=re.M)
    text = re.sub(r"^license_url: .*$", r'license_url: "https://example.org/\\udce9"', text, count=1, flags=re.M)
    (root / "hlsp.yaml").write_text(text)
    build_site([root], tmp_path / "site", jobs=1, cache_dir=tmp_path / "cache")
    raw = (tmp_path / "site" / "odd-chars" / "index.html").read_bytes()
    html = raw.decode("utf-8")  # strict: no surrogates were written
    assert "<h1>T\ufffdi\ufffdt\ufffdl\ufffde \u2028 done</h1>" in html
    assert "\x00" not in html and "\x07" not in html
    assert "<dt>Licence</dt><dd>CC BY 4.0</dd>" in html  # the bad licence URL is not a link
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["name"] == "T\ufffdi\ufffdt\ufffdl\ufffde \u2028 done"
