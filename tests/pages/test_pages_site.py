"""The site built from the example collection and small real collections:
content, links, JSON-LD, accessibility basics, caching, options and the CLI."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from pages_support import make_collection, metadata, write_metadata

from hlsp.errors import HlspError
from hlsp.pages import build_site
from hlsp.pages.site import templates_dir

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "contributions" / "example"


class Page(HTMLParser):
    """The parts of a page the tests look at."""

    def __init__(self, path: Path):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[int] = []
        self.jsonld = ""
        self.text: list[str] = []
        self.links: list[tuple[str, str]] = []  # (href, link text)
        self._script: str | None = None
        self._link: list | None = None
        self.feed(path.read_text())
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "script":
            self._script = a.get("type") or ""
        if tag == "a":
            self._link = [a.get("href", ""), ""]

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        if tag == "a" and self._link is not None:
            self.links.append((self._link[0], self._link[1].strip()))
            self._link = None

    def handle_data(self, data):
        if self._script == "application/ld+json":
            self.jsonld += data
        elif self._script is None:
            self.text.append(data)
            if self._link is not None:
                self._link[1] += data

    def all(self, tag: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag]

    @property
    def ld(self) -> dict:
        return json.loads(self.jsonld)

    @property
    def plain(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(autouse=True)
def _no_shared_cache(monkeypatch):
    """A user's (or the test session's) cache folder must not take the previews of these tests."""
    monkeypatch.delenv("HLSP_CACHE", raising=False)
    monkeypatch.delenv("HLSP_CACHE_DIR", raising=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    base = tmp_path_factory.mktemp("contributions")
    shutil.copytree(EXAMPLE, base / "example")
    make_collection(
        base,
        "second",
        "v2",
        extra_products=[
            {
                "url": "https://archive.example.org/hlsp/second/hlsp_second_hst_acs_m31_f814w_v2_img.fits",
                "size": 1,
                "sha256": "1" * 64,
                "product_type": "img",
            },
            {
                "url": "s3://bucket/hlsp_second_hst_acs_m31_f814w_v2_drz.fits",
                "size": 2,
                "sha256": "2" * 64,
                "product_type": "drz",
            },
        ],
        targets=[{"name": "m31", "ra": 10.6847, "dec": 41.269}, {"name": "no-coordinates"}],
    )
    out = tmp_path_factory.mktemp("site")
    # offline build: the remote products above are not fetched (tests/pages/test_pages_remote.py fetches)
    result = build_site([base / "example", base / "second"], out, jobs=2, cache_dir=out / "cache", fetch=False)
    return out, result


def test_build_writes_the_index_and_one_page_per_collection(built):
    out, result = built
    assert result.index == out / "index.html"
    assert result.pages == [out / "index.html", out / "example" / "index.html", out / "second" / "index.html"]
    for f in ("site.css", "site.js", "placeholder.svg", "favicon.svg"):
        assert (out / "static" / f).read_bytes() == (templates_dir() / "static" / f).read_bytes()
    # the example is clean; the second collection's remote products are warned about
    assert not [w for w in result.warnings if w.startswith("example:")]
    assert (
        sorted(w.split(": no preview: ")[1] for w in result.warnings)
        == ["the product is remote (not downloaded while building pages)"] * 2
    )
    assert result.previews == 4 + 4 + 3  # products + a sky map per collection + the index's


def test_collection_page_content(built):
    out, _ = built
    page = Page(out / "example" / "index.html")
    meta = yaml.safe_load((EXAMPLE / "hlsp.yaml").read_text())
    text = page.plain
    assert meta["title"] in text and " ".join(meta["abstract"].split()) in text
    for person in [meta["lead"]] + meta["team"]:
        assert person["name"] in text
    links = set(page.links)
    assert ("https://doi.org/10.17909/hlsp-example", "10.17909/hlsp-example") in links
    assert ("https://ui.adsabs.harvard.edu/abs/2026AJ....171...42L", "2026AJ....171...42L") in links
    assert ("https://creativecommons.org/licenses/by/4.0/", "CC BY 4.0") in links
    assert ("https://orcid.org/0000-0002-7182-8185", "0000-0002-7182-8185") in links
    assert "First release." in text
    # the product table: every science product (previews are not products), with size, short checksum
    # and a download that exists; every preview graphic downloadable under the previews
    rows = [p for p in meta["products"] if not p["path"].endswith(".png")]
    downloads = [h for h, t in page.links if t == "download"]
    assert len(downloads) == len(rows)
    assert sorted(h for h, t in page.links if t == "download preview") == sorted(
        f"files/{p['path']}" for p in meta["products"] if p["path"].endswith(".png")
    )
    for entry in rows:
        assert entry["sha256"][:12] in text and entry["path"] in text
        assert f"files/{entry['path']}" in downloads
        assert (out / "example" / "files" / entry["path"]).read_bytes() == (EXAMPLE / entry["path"]).read_bytes()
    assert "22.5 KiB" in text  # 23040 bytes
    # one preview per science product, all drawn; the sky map
    imgs = page.all("img")
    previews = [i["src"] for i in imgs if i["src"].startswith("previews/")]
    assert len(previews) == 4
    for src in previews + ["skymap.png"]:
        assert (out / "example" / src).read_bytes().startswith(b"\x89PNG")
    assert "skymap.png" in [i["src"] for i in imgs]
    # the BibTeX block
    (code,) = re.findall(
        r'<pre id="bibtex"[^>]*><code>(.*?)</code></pre>', (out / "example" / "index.html").read_text(), re.S
    )
    assert code.startswith("@misc{example2026,\n  author       = {Ada Lovelace and Grace Hopper},\n")
    assert "  doi          = {10.17909/hlsp-example},\n" in code


def test_remote_products_link_only_to_https(built):
    out, _ = built
    page = Page(out / "second" / "index.html")
    remote = [h for h, t in page.links if t == "remote"]
    assert remote == ["https://archive.example.org/hlsp/second/hlsp_second_hst_acs_m31_f814w_v2_img.fits"]
    assert "hlsp_second_hst_acs_m31_f814w_v2_drz.fits" in page.plain  # the s3 product is listed, without a link
    placeholders = [i for i in page.all("img") if i["src"] == "../static/placeholder.svg"]
    assert len(placeholders) == 2 and all(i["alt"].startswith("No preview available for ") for i in placeholders)
    assert "no-coordinates" in page.plain  # a target without coordinates is listed, not plotted


def test_json_ld_describes_each_dataset(built):
    out, _ = built
    ld = Page(out / "example" / "index.html").ld
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "Dataset"
    assert ld["name"].startswith("Example HLSP")
    assert ld["identifier"] == "https://doi.org/10.17909/hlsp-example"
    assert ld["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert ld["version"] == "v1" and ld["datePublished"] == "2026-11-01"
    assert [c["name"] for c in ld["creator"]] == ["Ada Lovelace", "Grace Hopper"]
    assert ld["creator"][0]["identifier"] == "https://orcid.org/0000-0002-7182-8185"
    assert ld["citation"] == ["https://ui.adsabs.harvard.edu/abs/2026AJ....171...42L"]
    assert len(ld["distribution"]) == 4 and ld["distribution"][0]["contentUrl"].startswith("files/hlsp_example_")
    assert {"hst", "tess", "img", "lc"} <= set(ld["keywords"])
    catalog = Page(out / "index.html").ld
    assert catalog["@type"] == "DataCatalog"
    assert sorted(d["url"] for d in catalog["dataset"]) == ["example/index.html", "second/index.html"]
    assert all(d["@type"] == "Dataset" for d in catalog["dataset"])


def test_index_lists_every_collection(built):
    out, _ = built
    page = Page(out / "index.html")
    cards = [h for h, _ in page.links if h.endswith("/index.html") and not h.startswith("..")]
    assert sorted(cards) == ["example/index.html", "second/index.html"]
    text = page.plain
    for word in ("Ada Lovelace", "v1", "v2", "img, spec, lc, cat", "ngc1234", "m31", "10.17909/hlsp-example"):
        assert word in text


@pytest.mark.parametrize("name", ["index.html", "example/index.html", "second/index.html"])
def test_pages_meet_basic_accessibility_and_offline_rules(built, name):
    out, _ = built
    page = Page(out / name)
    (html,) = page.all("html")
    assert html["lang"] == "en"
    assert any(m.get("name") == "viewport" and "width=device-width" in m["content"] for m in page.all("meta"))
    # one h1 first; headings never skip a level going down
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:])), page.headings
    for img in page.all("img"):
        assert img.get("alt", "").strip() and img.get("width") and img.get("height")
    label_for = {a.get("for") for a in page.all("label")}
    for field in page.all("input") + page.all("select") + page.all("textarea"):
        assert field["id"] in label_for or field.get("aria-label")
    for href, text in page.links:
        assert text or href == "#main", f"link {href} has no text"
    # offline: every resource is a file of the site
    for tag, attr in (("link", "href"), ("script", "src"), ("img", "src")):
        for a in page.all(tag):
            if a.get(attr):
                assert not re.match(r"[a-z]+:|//", a[attr]), f"{tag} loads {a[attr]} from elsewhere"
                assert (out / name).parent.joinpath(a[attr]).resolve().is_file()


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_colours_have_sufficient_contrast_and_styles_are_local():
    css = (templates_dir() / "static" / "site.css").read_text()
    colours = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{6})", css))
    for name in ("text", "muted", "link"):
        assert _contrast(colours[name], "#ffffff") >= 7, name  # WCAG AAA on white
        assert _contrast(colours[name], colours["band"]) >= 4.5, name  # AA on the grey bands
    assert _contrast("#ffffff", colours["link"]) >= 4.5  # button text
    assert _contrast("#ffffff", colours["accent"]) >= 4.5  # badge text
    for f in (templates_dir() / "static").iterdir():
        assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", f.read_text()), f"{f.name} refers to the network"


# ----------------------------------------------------------------- rebuilds
def test_rebuild_uses_the_preview_cache(tmp_path, monkeypatch):
    root = make_collection(tmp_path / "c", "demo")
    monkeypatch.setenv("HLSP_CACHE_DIR", str(tmp_path / "cache"))
    first = build_site([root], tmp_path / "site1", jobs=1)
    assert first.cached == 0 and first.previews == 6
    assert len(list((tmp_path / "cache" / "previews").glob("*.png"))) == 6
    second = build_site([root], tmp_path / "site2", jobs=1)
    assert second.cached == 6
    for png in ("demo/previews/p0.png", "demo/skymap.png", "skymap.png"):
        assert (tmp_path / "site2" / png).read_bytes() == (tmp_path / "site1" / png).read_bytes()
    # a rebuild over an existing site replaces it cleanly
    third = build_site([root], tmp_path / "site1", jobs=1)
    assert third.cached == 6 and not list((tmp_path / "site1").rglob("*.tmp"))


def test_default_cache_lives_in_the_output(tmp_path, monkeypatch):
    monkeypatch.delenv("HLSP_CACHE", raising=False)
    monkeypatch.delenv("HLSP_CACHE_DIR", raising=False)
    root = make_collection(tmp_path / "c", "demo")
    build_site([root], tmp_path / "site", jobs=1)
    assert len(list((tmp_path / "site" / ".cache" / "previews").glob("*.png"))) == 6


def test_download_base_links_instead_of_copying(tmp_path):
    root = make_collection(tmp_path / "c", "demo")
    build_site([root], tmp_path / "site", jobs=1, download_base="https://archive.example.org/hlsps/")
    page = Page(tmp_path / "site" / "demo" / "index.html")
    downloads = [h for h, t in page.links if t == "download"]
    assert len(downloads) == 4 and all(
        h.startswith("https://archive.example.org/hlsps/demo/hlsp_demo_") for h in downloads
    )
    assert not (tmp_path / "site" / "demo" / "files").exists()
    with pytest.raises(HlspError, match="must be an https:// URL"):
        build_site([root], tmp_path / "site", download_base="javascript:alert(1)")


def test_products_in_subfolders_keep_their_path(tmp_path):
    """Two products with the same name in different folders get different downloads."""
    root = make_collection(tmp_path / "c", "demo")
    meta = yaml.safe_load((root / "hlsp.yaml").read_text())
    first = meta["products"][0]["path"]
    for sub in ("a", "b"):
        (root / sub).mkdir()
        (root / sub / first).write_bytes(sub.encode() * 10)
        meta["products"].append({"path": f"{sub}/{first}", "size": 10, "sha256": "5" * 64, "product_type": "img"})
    write_metadata(root, meta)
    build_site([root], tmp_path / "site", jobs=1)
    page = Page(tmp_path / "site" / "demo" / "index.html")
    downloads = [h for h, t in page.links if t == "download"]
    assert f"files/a/{first}" in downloads and f"files/b/{first}" in downloads
    assert (tmp_path / "site" / "demo" / "files" / "b" / first).read_bytes() == b"b" * 10


def test_odd_metadata_types_render_as_text(tmp_path):
    """Pages are built from unvalidated metadata: wrong types are shown, never a crash."""
    root = make_collection(tmp_path / "c", "odd")
    meta = yaml.safe_load((root / "hlsp.yaml").read_text())
    meta.update(
        title=["a", "list"],
        lead="just a string",
        team={"not": "a list"},
        targets="m31",
        history=["a string", {"version": 2}],
        references="2020AJ....160..123X",
        doi=None,
        release_date=20261101,
    )
    meta["products"].append({"path": "../outside.fits", "size": "big", "sha256": None, "product_type": "img"})
    meta["products"].append(
        {"path": "hlsp_odd_missing_v1_img.fits", "size": 10, "sha256": "3" * 64, "product_type": "img"}
    )
    write_metadata(root, meta)
    result = build_site([root], tmp_path / "site", jobs=1)
    page = Page(tmp_path / "site" / "odd" / "index.html")
    assert "['a', 'list']" in page.plain
    assert any("../outside.fits" in w and "climbs out" in w for w in result.warnings)
    assert any("hlsp_odd_missing_v1_img.fits" in w and "missing" in w for w in result.warnings)
    assert not (tmp_path / "site" / "odd" / "files" / "outside.fits").exists()


def test_bad_collections_are_clear_errors(tmp_path):
    with pytest.raises(HlspError, match="not a collection folder"):
        build_site([tmp_path], tmp_path / "site")
    bad = tmp_path / "Bad_Name"
    bad.mkdir()
    write_metadata(bad, metadata("bad-name"))
    with pytest.raises(HlspError, match="is not a proj-id"):
        build_site([bad], tmp_path / "site")
    good = make_collection(tmp_path / "c", "good")
    with pytest.raises(HlspError, match="given twice"):
        build_site([good, tmp_path / "c" / "good" / "."], tmp_path / "site")
    (good / "hlsp.yaml").write_text("title: [unclosed\n")
    with pytest.raises(HlspError, match="hlsp.yaml"):
        build_site([good], tmp_path / "site")


# ----------------------------------------------------------------------- CLI
def test_cli_builds_every_collection_under_contributions(tmp_path, monkeypatch, run_cli):
    make_collection(tmp_path / "contributions", "one")
    make_collection(tmp_path / "contributions", "two")
    (tmp_path / "contributions" / "not-a-collection").mkdir()
    monkeypatch.chdir(tmp_path)
    res = run_cli("pages", "--out", "public", "--jobs", "1")
    assert res.code == 0, res
    assert res.out.strip() == str(Path("public") / "index.html")
    assert (tmp_path / "public" / "one" / "index.html").is_file() and (
        tmp_path / "public" / "two" / "index.html"
    ).is_file()
    assert "hlsp pages: 3 pages, 11 previews (0 from the cache), 0 warnings" in res.err


def test_cli_reports_warnings_and_errors(tmp_path, monkeypatch, run_cli):
    broken = {"path": "hlsp_demo_hst_acs_x_f606w_v1_img.fits", "size": 4, "sha256": "4" * 64, "product_type": "img"}
    root = make_collection(tmp_path / "c", "demo", extra_products=[broken])
    (root / broken["path"]).write_bytes(b"junk")
    res = run_cli("pages", root, "--out", tmp_path / "site", "--jobs", "1")
    assert res.code == 0, res
    assert "hlsp pages: warning: demo: hlsp_demo_hst_acs_x_f606w_v1_img.fits: no preview: not a FITS file" in res.err
    res = run_cli("pages", tmp_path / "nowhere", "--out", tmp_path / "site")
    assert res.code == 2 and res.err.count("\n") == 1 and "not a collection folder" in res.err
    monkeypatch.chdir(tmp_path)
    res = run_cli("pages")
    assert res.code == 2 and "contributions: no such folder" in res.err


# ------------------------------------------------------------------ issue 12
def test_team_previews_are_shown_and_only_products_are_counted(built):
    out, _ = built
    page = Page(out / "example" / "index.html")
    meta = yaml.safe_load((EXAMPLE / "hlsp.yaml").read_text())
    science = [p for p in meta["products"] if not p["path"].endswith(".png")]
    assert f"Products ({len(science)})" in page.plain  # the PNGs are previews, not products
    for i, p in enumerate(meta["products"]):
        if p["path"].endswith(".png"):
            continue
        own = EXAMPLE / p["path"].replace(".fits", ".png")
        assert (out / "example" / "previews" / f"p{i}.png").read_bytes() == own.read_bytes()  # the team's, not drawn
    ld = page.ld
    assert {d["encodingFormat"] for d in ld["distribution"]} == {"application/fits"}
    assert len(ld["keywords"]) == len({k.lower() for k in ld["keywords"]})  # tess (observatory and filter) once


def test_citation_is_in_journal_style(built):
    out, _ = built
    html = (out / "example" / "index.html").read_text()
    m = re.search(r'<p class="citation">(.*?)</p>', html, re.S)
    import html as html_module

    text = html_module.unescape(re.sub(r"<[^>]+>", "", m.group(1)))
    assert 'doi:<a href="https://doi.org/10.17909/hlsp-example">' in m.group(1)
    assert text == (
        "Lovelace, A., & Hopper, G. 2026, Example HLSP: image, spectrum, light curve and catalog of NGC 1234, v1, "
        "MAST, doi:10.17909/hlsp-example"
    )


def test_checksums_are_shortened_with_a_copy_button(built):
    out, _ = built
    html = (out / "example" / "index.html").read_text()
    meta = yaml.safe_load((EXAMPLE / "hlsp.yaml").read_text())
    sha = meta["products"][0]["sha256"]
    assert f">{sha[:12]}…</code>" in html and f'data-copy="{sha}"' in html
    assert f">{sha}<" not in html  # never the full 64 characters in the cell


def test_default_jobs_draw_few_previews_in_process():
    from hlsp.pages.previews import MIN_TASKS_PER_WORKER, default_jobs

    assert default_jobs(3) == 1 and default_jobs(MIN_TASKS_PER_WORKER - 1) == 1
    assert default_jobs(1000) >= 1
