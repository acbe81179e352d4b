"""Landing pages for collections: a static site with previews.

    from hlsp.pages import build_site
    result = build_site(["contributions/example"], "build/site")
    print(result.index, result.warnings)

:mod:`hlsp.pages.site` builds the site: the page contexts of
:mod:`hlsp.pages.context` rendered with the jinja2 templates in
``templates/site/``; :mod:`hlsp.pages.previews` draws the
product previews from bounded reads; :mod:`hlsp.pages.safe` keeps contributor
text inert (URL filter, JSON-LD escaping).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from hlsp.contribution import is_contribution
from hlsp.errors import HlspError
from hlsp.pages.site import SiteResult, build

DEFAULT_BASE = "contributions"

__all__ = ["build_site", "find_collections", "SiteResult"]


def find_collections(base: str | os.PathLike = DEFAULT_BASE) -> list[Path]:
    """Every folder directly under ``base`` that holds an ``hlsp.yaml``, sorted."""
    base = Path(base)
    if not base.is_dir():
        raise HlspError(f"{base}: no such folder; give collection folders or run from the project root")
    found = sorted(p for p in base.iterdir() if is_contribution(p))
    if not found:
        raise HlspError(f"no collections under {base}/ (folders holding hlsp.yaml)")
    return found


def build_site(
    paths: Iterable[str | os.PathLike] | None = None,
    out: str | os.PathLike = "build/site",
    *,
    jobs: int = 0,
    cache_dir: str | os.PathLike | None = None,
    download_base: str | None = None,
    fetch: bool = True,
) -> SiteResult:
    """Build the site for ``paths`` (default: every collection under ``contributions/``).

    ``jobs``: preview worker processes (0 = one per core).  ``cache_dir``:
    where previews are kept by sha256 (default ``$HLSP_CACHE_DIR/previews``,
    else ``<out>/.cache/previews``).  ``download_base``: an https URL under which
    the archive serves ``<proj-id>/<file>``; without it local products are
    hard-linked (or copied) into the site.  ``fetch``: download products listed
    by URL (verified, cached by sha256 through :mod:`hlsp.remote`) to preview
    them; False for offline builds.  Products that cannot be previewed
    become warnings in the result, never errors.
    """
    paths = list(paths) if paths else find_collections()
    for p in paths:
        if not is_contribution(p):
            raise HlspError(f"{p}: not a collection folder (no hlsp.yaml)")
    return build(paths, out, jobs=jobs, cache_dir=cache_dir, download_base=download_base, fetch=fetch)
