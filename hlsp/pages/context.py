"""The page contexts: what the templates show of one collection (its page, its card on the index).

Contexts hold plain strings made by :mod:`hlsp.pages.values`; the templates
autoescape them, and links are made only from what :mod:`hlsp.pages.safe`
accepts.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from hlsp.contribution import Contribution, Product
from hlsp.pages import safe
from hlsp.pages.citation import bibtex, citation
from hlsp.pages.linked_data import dataset_ld, media_type
from hlsp.pages.previews import PreviewResult, is_sha256, kind_of
from hlsp.pages.values import _dict, people, targets, text, texts, year_of

PLACEHOLDER = "static/placeholder.svg"
MAX_CARD_TARGETS = 12  # target names shown per collection on the index
_SAFE_SEGMENT = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*\Z")
_KIND_WORDS = {
    "image": "the image, downsampled, with an asinh stretch on sky coordinates",
    "spectrum": "flux against wavelength",
    "lightcurve": "flux against time",
    "catalog": "sky positions of the catalog's sources",
    None: "the first image in the file",
}


def site_path(p: Product) -> str | None:
    """The product's path in the site (under ``files/``), when every part of it is URL-plain."""
    if p.path is None or p.refused:
        return None
    parts = p.path.split("/")
    return p.path if all(_SAFE_SEGMENT.match(part) for part in parts) else None


def product_row(
    slug: str, p: Product, preview: PreviewResult | None, download_base: str | None, team_preview: str | None = None
) -> dict:
    name = p.name
    filename = text(p.filename)
    path = site_path(p)
    if p.is_remote:
        href = safe.https_url(p.url)
    elif path and download_base:
        href = f"{download_base.rstrip('/')}/{slug}/{quote(path)}"
    elif path and p.local_path is not None and p.local_path.is_file():
        href = "files/" + quote(path)
    else:
        href = None
    kind = kind_of(p.product_type)
    ok = team_preview is not None or (preview is not None and preview.ok)
    if team_preview is not None:
        src, alt = team_preview, f"Preview of {filename}, made by the team"
    elif ok:
        src, alt = f"previews/p{p.index}.png", f"Preview of {filename}: {_KIND_WORDS.get(kind, _KIND_WORDS[None])}"
    else:
        src, alt = "../" + PLACEHOLDER, f"No preview available for {filename}"
    sha = text(p.sha256)
    return {
        "index": p.index,
        "file": filename or text(p.location),
        "type": text(p.product_type),
        "target": text(name.get("target")),
        "filter": text(name.get("opt_elem")),
        "size": p.size,
        "sha256": sha,
        "sha256_short": sha[:12] if is_sha256(sha) else sha,  # a malformed value is shown as it is, never copied
        "sha256_full": sha if is_sha256(sha) else "",
        "href": href,
        "remote": p.is_remote,
        "graphic": p.is_preview,  # a contributor's own preview image: listed, not previewed
        "format": media_type(filename),
        "preview_src": src,
        "preview_alt": alt,
    }


def collection_context(
    slug: str,
    c: Contribution,
    previews: dict[int, PreviewResult],
    skymap_ok: bool,
    download_base: str | None,
    team_previews: dict[int, str] | None = None,
) -> dict:
    meta = c.metadata
    team_previews = team_previews or {}
    rows = [product_row(slug, p, previews.get(p.index), download_base, team_previews.get(p.index)) for p in c.products]
    graphic_href = {}
    for r, p in zip(rows, c.products):
        if r["graphic"] and r["href"]:
            graphic_href[p.name.stem] = r["href"]
    for r, p in zip(rows, c.products):
        r["preview_href"] = graphic_href.get(p.name.stem) if not r["graphic"] else None
    history = []
    for h in meta.get("history") if isinstance(meta.get("history"), list) else []:
        h = _dict(h)
        history.append(
            {"version": text(h.get("version")), "date": text(h.get("date")), "changes": text(h.get("changes"))}
        )
    doi = text(meta.get("doi"))
    return {
        "slug": slug,
        "title": text(meta.get("title")) or slug,
        "abstract": [para for para in re.split(r"\n\s*\n", text(meta.get("abstract"))) if para.strip()],
        "version": text(meta.get("version")),
        "release_date": text(meta.get("release_date")),
        "doi": doi,
        "doi_href": safe.doi_url(doi),
        "license": text(meta.get("license")),
        "license_href": safe.https_url(meta.get("license_url")),
        "calibration_level": text(meta.get("calibration_level")),
        "observatories": texts(meta.get("observatories")),
        "instruments": texts(meta.get("instruments")),
        "filters": texts(meta.get("filters")),
        "product_types": texts(meta.get("product_types")),
        "people": people(meta),
        "targets": targets(meta),
        "references": texts(meta.get("references")),
        "history": history,
        "year": year_of(meta),
        "bibtex": bibtex(slug, meta),
        "citation": citation(meta),
        "products": [r for r in rows if not r["graphic"]],  # previews are not products
        "graphics": [r for r in rows if r["graphic"]],
        "previews": [r for r in rows if not r["graphic"]],
        "skymap": "skymap.png" if skymap_ok else "../" + PLACEHOLDER,
        "jsonld": dataset_ld(slug, meta, rows),
    }


def card_context(slug: str, c: Contribution) -> dict:
    meta = c.metadata
    lead = _dict(meta.get("lead"))
    names = [t["name"] for t in targets(meta)]
    return {
        "slug": slug,
        "href": f"{slug}/index.html",
        "title": text(meta.get("title")) or slug,
        "lead": text(lead.get("name")),
        "version": text(meta.get("version")),
        "product_types": texts(meta.get("product_types")),
        "targets": names[:MAX_CARD_TARGETS],
        "more_targets": max(0, len(names) - MAX_CARD_TARGETS),
        "doi": text(meta.get("doi")),
        "doi_href": safe.doi_url(meta.get("doi")),
    }
