"""schema.org metadata of the site (JSON-LD ``Dataset``), so that search engines find the collections."""

from __future__ import annotations

from typing import Any

from hlsp.pages import safe
from hlsp.pages.citation import PUBLISHER
from hlsp.pages.values import people, text, texts


_MEDIA_TYPES = {
    "fits": "application/fits",
    "fit": "application/fits",
    "fits.gz": "application/fits",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "csv": "text/csv",
    "ecsv": "text/csv",
    "txt": "text/plain",
    "md": "text/markdown",
    "json": "application/json",
    "xml": "application/xml",
    "pdf": "application/pdf",
    "h5": "application/x-hdf5",
    "asdf": "application/asdf",
    "zip": "application/zip",
    "tar.gz": "application/gzip",
}


def media_type(filename: str) -> str:
    """The IANA media type of a file from its extension (``application/octet-stream`` when unknown)."""
    lower = filename.lower()
    for ext in sorted(_MEDIA_TYPES, key=len, reverse=True):
        if lower.endswith("." + ext):
            return _MEDIA_TYPES[ext]
    return "application/octet-stream"


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    return [v for v in values if not (v.lower() in seen or seen.add(v.lower()))]


def dataset_ld(slug: str, meta: dict, rows: list[dict] | None = None) -> dict:
    """schema.org Dataset for one collection (https://schema.org/Dataset)."""
    doi_href = safe.doi_url(meta.get("doi"))
    license_href = safe.https_url(meta.get("license_url"))
    creators = []
    for p in people(meta):
        person: dict[str, Any] = {"@type": "Person", "name": p["name"]}
        if p["orcid_url"]:
            person["identifier"] = p["orcid_url"]
        if p["affiliation"]:
            person["affiliation"] = {"@type": "Organization", "name": p["affiliation"]}
        creators.append(person)
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": text(meta.get("title")),
        "description": text(meta.get("abstract")),
        "url": f"{slug}/index.html",
        "version": text(meta.get("version")),
        "creator": creators,
        "publisher": {"@type": "Organization", "name": PUBLISHER},
        "keywords": _unique(
            texts(meta.get("observatories"))
            + texts(meta.get("instruments"))
            + texts(meta.get("filters"))
            + texts(meta.get("product_types"))
        ),
        "isAccessibleForFree": True,
    }
    if doi_href:
        ld["identifier"] = doi_href
    if text(meta.get("release_date")):
        ld["datePublished"] = text(meta.get("release_date"))
    if license_href or text(meta.get("license")):
        ld["license"] = license_href or text(meta.get("license"))
    refs = [safe.safe_url(r) or r for r in texts(meta.get("references"))]
    if refs:
        ld["citation"] = refs
    if rows is not None:
        ld["url"] = "index.html"
        ld["distribution"] = [
            {
                "@type": "DataDownload",
                "name": r["file"],
                "encodingFormat": r["format"],
                **({"contentUrl": r["href"]} if r["href"] else {}),
                **({"contentSize": f"{r['size']} B"} if isinstance(r["size"], int) else {}),
            }
            for r in rows
            if not r["graphic"]  # previews are not products
        ]
    return ld
