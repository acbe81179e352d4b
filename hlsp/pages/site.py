"""Build the static site: load the collections, draw the previews, render and write the files.

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

The page contexts come from :mod:`hlsp.pages.context` (text coerced by
:mod:`hlsp.pages.values`, citations by :mod:`hlsp.pages.citation`, schema.org
metadata by :mod:`hlsp.pages.linked_data`); the templates autoescape them.

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
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

import jinja2

from hlsp import __version__
from hlsp.atomic import atomic_open
from hlsp.cachedir import configured_dir
from hlsp.contribution import Contribution, Product, load_contribution
from hlsp.errors import HlspError
from hlsp.names import PROJ_ID_RE
from hlsp.pages import safe
from hlsp.pages.citation import PUBLISHER
from hlsp.pages.context import PLACEHOLDER, card_context, collection_context, site_path
from hlsp.pages.linked_data import dataset_ld
from hlsp.pages.previews import PreviewResult, PreviewTask, build_previews, is_cached, is_sha256, kind_of
from hlsp.pages.values import filesize, targets, text

SITE_TITLE = "High-Level Science Products"


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
