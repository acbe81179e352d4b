"""Build the static site: page contexts from collections, jinja2 rendering, files.

Layout of the output folder::

    index.html                   all collections, filterable in the page
    skymap.png                   every target of every collection
    static/                      site.css, site.js, placeholder.svg, favicon.svg
    <proj-id>/index.html         one landing page per collection
    <proj-id>/skymap.png
    <proj-id>/previews/pN.png    one preview per science product (N = manifest index): the
                                 team's own graphic (same name, .png/.jpg/.gif) when the
                                 collection has one, else one drawn from the product
    <proj-id>/files/<name>       local products (hard link or copy), unless a
                                 download base URL is given
    .cache/previews/             previews by sha256 (or $HLSP_CACHE_DIR/previews, or cache_dir)

Everything taken from ``hlsp.yaml`` is contributor text.  Contexts hold plain
strings; the templates autoescape them; links are made only from what
:mod:`hlsp.pages.safe` accepts.  Metadata is loaded without the schema check
(``hlsp validate`` is the gate), so every value is coerced defensively here:
a field of the wrong type shows up as text, never as a crash.

Products listed by URL are previewed from their verified local copy:
:func:`hlsp.remote.fetch` downloads them once into its sha256-keyed cache
(same policy as validation: https/s3 only, no private hosts).  A download
that fails -- dead URL, wrong size or sha256, refused URL, timeout -- becomes
a placeholder and a warning naming the URL, never a failed build.  Without
fetching (``fetch=False``, ``hlsp pages --no-fetch``, for offline builds)
remote products get the placeholder directly.  Either way their download
link is their URL.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import quote

import jinja2

from hlsp import __version__
from hlsp.atomic import atomic_open
from hlsp.cachedir import configured_dir
from hlsp.contribution import Contribution, Product, load_contribution
from hlsp.errors import HlspError
from hlsp.names import PROJ_ID_RE
from hlsp.pages import safe
from hlsp.pages.previews import PreviewResult, PreviewTask, build_previews, is_cached, is_sha256, kind_of

SITE_TITLE = "High-Level Science Products"
PUBLISHER = "Mikulski Archive for Space Telescopes (MAST)"
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


def templates_dir() -> Path:
    """``templates/site``: inside the installed package (``hlsp/templates``), else
    beside it in a source checkout (``$HLSP_TEMPLATES`` overrides the parent)."""
    env = os.environ.get("HLSP_TEMPLATES")
    here = Path(__file__).resolve().parent.parent
    candidates = [Path(env)] if env else [here / "templates", here.parent / "templates"]
    for base in candidates:
        if (base / "site" / "base.html.j2").is_file():
            return base / "site"
    raise HlspError(f"cannot find templates/site in or next to {here}; reinstall hlsp or set HLSP_TEMPLATES")


def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        autoescape=True,  # every template, whatever its name
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["safe_url"] = safe.safe_url
    env.filters["json_ld"] = safe.json_ld
    env.filters["filesize"] = filesize
    return env


@dataclass
class SiteResult:
    """What :func:`build` made: the index page, every page, and the warnings."""

    out: Path
    index: Path
    pages: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    previews: int = 0  # preview images in the site (sky maps and the teams' own previews included)
    cached: int = 0  # of which were copied from the cache


# ------------------------------------------------------------- coercion helpers
def text(value: Any) -> str:
    """Any metadata value as display text ("" for missing)."""
    if value is None:
        return ""
    return safe.clean_text(value if isinstance(value, str) else str(value))


def texts(value: Any) -> list[str]:
    if isinstance(value, list):
        return [text(v) for v in value if v is not None]
    return [text(value)] if value not in (None, "") else []


def number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def filesize(n: Any) -> str:
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        return "unknown"
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if size < 1024 or unit == "TiB":
            return f"{n} B" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"  # pragma: no cover -- loop always returns


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


# ------------------------------------------------------------------- contexts
def people(meta: dict) -> list[dict]:
    """The lead, then the team (lead not repeated), as display records."""
    out = []
    lead = _dict(meta.get("lead"))
    team = meta.get("team") if isinstance(meta.get("team"), list) else []
    for i, person in enumerate([lead] + [_dict(p) for p in team]):
        name = text(person.get("name"))
        if not name or (i > 0 and name == text(lead.get("name"))):
            continue
        out.append(
            {
                "name": name,
                "email": text(person.get("email")),
                "affiliation": text(person.get("affiliation")),
                "orcid": text(person.get("orcid")),
                "orcid_url": safe.orcid_url(person.get("orcid")),
                "lead": i == 0,
            }
        )
    return out


def targets(meta: dict) -> list[dict]:
    out = []
    for t in meta.get("targets") if isinstance(meta.get("targets"), list) else []:
        t = _dict(t)
        name = text(t.get("name"))
        if name:
            out.append({"name": name, "ra": number(t.get("ra")), "dec": number(t.get("dec"))})
    return out


def year_of(meta: dict) -> str:
    m = re.match(r"\d{4}", text(meta.get("release_date")))
    return m.group() if m else ""


def cited_name(name: str) -> str:
    """A person as journals cite them: ``Ada Lovelace`` -> ``Lovelace, A.``; ``Lovelace, Ada`` -> ``Lovelace, A.``."""
    name = " ".join(name.split())
    if "," in name:
        surname, given = (part.strip() for part in name.split(",", 1))
    else:
        parts = name.split(" ")
        surname, given = parts[-1], " ".join(parts[:-1])
    initials = " ".join(
        "-".join(piece[0].upper() + "." for piece in word.split("-") if piece) for word in given.split() if word
    )
    return f"{surname}, {initials}" if initials else surname


def citation(meta: dict) -> dict:
    """The parts of a journal-style data citation: authors; year; title; version; publisher; DOI."""
    names = [cited_name(p["name"]) for p in people(meta)]
    if len(names) > 1:
        authors = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        authors = names[0] if names else ""
    doi = safe.as_doi(meta.get("doi"))
    return {
        "authors": authors,
        "year": year_of(meta),
        "title": text(meta.get("title")),
        "version": text(meta.get("version")),
        "publisher": "MAST",
        "doi": doi or "",
        "doi_href": safe.doi_url(doi) or "",
        "pending": text(meta.get("doi")).strip().lower() == "pending",
    }


_BIB_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_BIB_ESCAPES = {"\\": r"\textbackslash{}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def bib_escape(value: str) -> str:
    """Contributor text as a BibTeX field value that keeps its braces balanced."""
    return _BIB_SPECIAL.sub(lambda m: _BIB_ESCAPES.get(m.group(), "\\" + m.group()), " ".join(value.split()))


def bibtex(slug: str, meta: dict) -> str:
    year = year_of(meta)
    doi = safe.as_doi(meta.get("doi"))
    fields = [
        ("author", " and ".join(bib_escape(p["name"]) for p in people(meta))),
        ("title", "{" + bib_escape(text(meta.get("title"))) + "}"),
        ("year", year),
        ("version", bib_escape(text(meta.get("version")))),
        ("publisher", PUBLISHER),
        ("howpublished", "High-Level Science Product"),
        ("doi", doi or ""),
        ("url", safe.doi_url(doi) or ""),
    ]
    key = re.sub(r"[^a-z0-9]", "", slug) + year
    body = ",\n".join(f"  {name:<12} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}\n"


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


# ----------------------------------------------------------------------- build
def slug_of(path: str | os.PathLike) -> str:
    """The page folder of a collection: its folder name, which must be a valid proj-id."""
    name = Path(os.path.abspath(path)).name
    if not PROJ_ID_RE.match(name):
        raise HlspError(f"{path}: the folder name {name!r} is not a proj-id (lowercase letters, digits and '-')")
    return name


def preview_tasks(
    out: Path, slug: str, c: Contribution, cache: Path | None = None, fetch: bool = False
) -> list[tuple[int | None, PreviewTask]]:
    """(manifest index or None for the sky map, task) for one collection.

    With ``fetch``, remote products whose preview is not in ``cache`` yet are
    downloaded (verified) so that the task can read the local copy.
    """
    page = out / slug
    tasks: list[tuple[int | None, PreviewTask]] = []
    own = team_previews(c)
    for p in c.science_products:
        if p.index in own:
            continue  # the team's own preview is shown as it is
        label = text(p.filename) or text(p.location) or f"product {p.index + 1}"
        source = str(p.local_path) if p.local_path is not None and not p.is_remote else None
        why = "the product is remote (not downloaded while building pages)" if p.is_remote else p.refused
        out_png = str(page / "previews" / f"p{p.index}.png")
        task = PreviewTask(out_png, label, kind_of(p.product_type), source, p.sha256, unavailable=why)
        if p.is_remote and fetch and not is_cached(task, cache):
            task = with_remote_source(task, p)
        tasks.append((p.index, task))
    sky = tuple(
        (t["name"], t["ra"], t["dec"]) for t in targets(c.metadata) if t["ra"] is not None and t["dec"] is not None
    )
    tasks.append((None, skymap_task(page / "skymap.png", f"Targets of {slug}", sky)))
    return tasks


def team_previews(c: Contribution) -> dict[int, Product]:
    """manifest index of a science product -> the team's own local preview graphic of it."""
    out = {}
    for p in c.science_products:
        graphic = c.preview_for(p)
        if graphic is not None and graphic.local_path is not None and graphic.local_path.is_file():
            if site_path(graphic) is not None:
                out[p.index] = graphic
    return out


def _publish_team_previews(page: Path, c: Contribution) -> dict[int, str]:
    """Copy the team's previews to ``previews/pN.<ext>``; index -> their path in the page."""
    shown = {}
    for index, graphic in team_previews(c).items():
        ext = graphic.name.extension.lower()
        rel = f"previews/p{index}.{ext}"
        (page / "previews").mkdir(parents=True, exist_ok=True)
        _link_or_copy(graphic.local_path, page / rel)
        shown[index] = rel
    return shown


def with_remote_source(task: PreviewTask, p: Product) -> PreviewTask:
    """``task`` reading the verified local copy of remote product ``p``, or saying why there is none."""
    from hlsp.remote import RemoteError, fetch

    if not is_sha256(p.sha256):  # also keeps a malformed value out of the cache's paths
        return replace(
            task, unavailable=f"{p.url}: not downloaded: hlsp.yaml gives no valid sha256 to verify it against"
        )
    try:
        path = fetch(p.url, p.size, p.sha256, name=p.filename)
    except (RemoteError, OSError) as exc:  # OSError: the download cache cannot be written
        message = str(exc)
        return replace(task, unavailable=message if p.url in message else f"{p.url}: {message}")
    return replace(task, source=str(path), unavailable=None)


def skymap_task(out: Path, label: str, sky: tuple) -> PreviewTask:
    """A sky map, cached under the checksum of what it shows."""
    key = hashlib.sha256(json.dumps([label, sky]).encode()).hexdigest()
    return PreviewTask(str(out), label, "skymap", sha256=key, targets=sky)


def build(
    paths: Iterable[str | os.PathLike],
    out: str | os.PathLike,
    *,
    jobs: int = 0,
    cache_dir: str | os.PathLike | None = None,
    download_base: str | None = None,
    fetch: bool = True,
) -> SiteResult:
    """Load the collections, draw the previews, write the pages (see the module docstring)."""
    out = Path(out)
    if download_base is not None and not safe.https_url(download_base):
        raise HlspError(f"--download-base must be an https:// URL, not {download_base!r}")
    collections = _load(paths)
    out.mkdir(parents=True, exist_ok=True)
    result = SiteResult(out=out, index=out / "index.html")
    cache = Path(cache_dir) if cache_dir else preview_cache(out)
    previews, skymaps = _draw(out, collections, cache, jobs, result, fetch)

    env = environment()
    _copy_static(out)
    for slug, c in collections.items():
        if download_base is None:
            result.warnings += _publish_files(out / slug / "files", slug, c)
        own = _publish_team_previews(out / slug, c)
        result.previews += len(own)
        ctx = collection_context(slug, c, previews[slug], skymaps[slug], download_base, own)
        page = out / slug / "index.html"
        _render(env, "collection.html.j2", page, root="../", page_title=ctx["title"], c=ctx, jsonld=ctx["jsonld"])
        result.pages.append(page)
    by_title = sorted(collections.items(), key=lambda kv: text(kv[1].metadata.get("title")).lower())
    catalog_ld = {
        "@context": "https://schema.org",
        "@type": "DataCatalog",
        "name": SITE_TITLE,
        "publisher": {"@type": "Organization", "name": PUBLISHER},
        "dataset": [dataset_ld(slug, c.metadata) for slug, c in collections.items()],
    }
    skymap = "skymap.png" if skymaps[None] else PLACEHOLDER
    cards = [card_context(slug, c) for slug, c in by_title]
    _render(
        env,
        "index.html.j2",
        result.index,
        root="",
        page_title=SITE_TITLE,
        cards=cards,
        jsonld=catalog_ld,
        skymap=skymap,
    )
    result.pages.insert(0, result.index)
    return result


def preview_cache(out: Path) -> Path:
    """``$HLSP_CACHE_DIR/previews`` (hlsp.cachedir; shared with hlsp.remote's downloads), else ``<out>/.cache/previews``."""
    chosen = configured_dir()
    return chosen / "previews" if chosen is not None else out / ".cache" / "previews"


def _load(paths: Iterable[str | os.PathLike]) -> dict[str, Contribution]:
    """slug -> collection.  Without the schema check: pages show what is there."""
    collections: dict[str, Contribution] = {}
    for path in paths:
        slug = slug_of(path)
        if slug in collections:
            raise HlspError(f"{path}: collection {slug!r} given twice")
        collections[slug] = load_contribution(path, strict=False)
    if not collections:
        raise HlspError("no collections to build pages for")
    return collections


def _draw(out: Path, collections: dict[str, Contribution], cache, jobs: int, result: SiteResult, fetch: bool):
    """Every preview and sky map of the site in one parallel batch.

    Returns ({slug: {manifest index: result}}, {slug or None for the index: sky map drawn?}).
    """
    planned = [
        (slug, index, task)
        for slug, c in collections.items()
        for index, task in preview_tasks(out, slug, c, cache, fetch)
    ]
    all_targets = tuple(t for _, _, task in planned if task.kind == "skymap" for t in task.targets)
    planned.append((None, None, skymap_task(out / "skymap.png", "Targets of all collections", all_targets)))
    done = build_previews([task for _, _, task in planned], cache, jobs)
    result.previews = sum(r.ok for r in done)
    result.cached = sum(r.cached for r in done)
    previews: dict[str, dict[int, PreviewResult]] = {slug: {} for slug in collections}
    skymaps: dict[str | None, bool] = {}
    for (slug, index, _), res in zip(planned, done):
        if index is None:
            skymaps[slug] = res.ok
        else:
            previews[slug][index] = res
        if res.warning:
            result.warnings.append(f"{slug}: {res.warning}" if slug else res.warning)
    return previews, skymaps


def _render(env: jinja2.Environment, template: str, path: Path, **context: Any) -> None:
    html = env.get_template(template).render(site_title=SITE_TITLE, version=__version__, **context)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_open(path) as fh:
        fh.write(html)


def _copy_static(out: Path) -> None:
    src = templates_dir() / "static"
    dst = out / "static"
    dst.mkdir(parents=True, exist_ok=True)
    for f in sorted(src.iterdir()):
        if f.is_file():
            with open(f, "rb") as fin, atomic_open(dst / f.name, "wb") as fout:
                shutil.copyfileobj(fin, fout)


def _publish_files(folder: Path, slug: str, c: Contribution) -> list[str]:
    """Hard-link (or copy) the local products into the site; return warnings."""
    warnings = []
    for p in c.products:
        if p.is_remote:
            continue
        if p.local_path is None or not p.local_path.is_file():
            warnings.append(f"{slug}: {text(p.location)}: no download link: {p.refused or 'the file is missing'}")
            continue
        path = site_path(p)
        if path is None:
            warnings.append(
                f"{slug}: {text(p.location)}: no download link: the path has characters a URL would need to escape"
            )
            continue
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(p.local_path, folder / path)
    return warnings


def _link_or_copy(src: Path, dst: Path) -> None:
    """Put ``src`` at ``dst`` atomically: a hard link when possible, else a copy."""
    try:
        if dst.exists() and os.path.samefile(src, dst):
            return
    except OSError:
        pass
    tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
    try:
        try:
            os.link(src, tmp)
        except OSError:
            shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    finally:
        if tmp.exists():
            tmp.unlink()
