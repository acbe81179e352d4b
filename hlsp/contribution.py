"""A contributed collection: ``contributions/<proj-id>/`` as one object.

The folder holds ``hlsp.yaml`` (metadata + file manifest, see
``validators/schemas/hlsp.schema.json``), ``README.md`` and the product files
(or URLs of remote ones in the manifest)::

    from hlsp.contribution import load_contribution
    c = load_contribution("contributions/example")
    for p in c.products:
        print(p.path or p.url, p.size, p.sha256, p.product_type, p.local_path)

Nothing outside the folder is ever read: a manifest path that is absolute,
climbs out with ``..`` or resolves (through symbolic links) outside the folder
gets ``local_path = None`` and ``refused`` saying why.  Loading does no network
access and reads no product; checking them is :mod:`hlsp.collection_facts`'s job.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from hlsp.discover import METADATA_FILE, is_contribution
from hlsp.errors import HlspError
from hlsp.metadata import YamlDocument, YamlLoadError, load_yaml_file, schema_problems
from hlsp.names import ParsedName, parse_name

README_FILE = "README.md"
# Files of the folder that are not products (never listed in the manifest).
NON_PRODUCTS = frozenset({METADATA_FILE, README_FILE})
# Graphics that preview a science product: same stem, one of these extensions.
PREVIEW_EXTENSIONS = ("png", "jpg", "jpeg", "gif")


@dataclass(frozen=True, slots=True)
class Product:
    """One manifest entry (a file of the collection)."""

    index: int  # position in the manifest (0-based)
    path: str | None = None  # POSIX path relative to the folder, for local files
    url: str | None = None  # https:// or s3:// for remote files
    size: int | None = None
    sha256: str | None = None
    product_type: str | None = None
    local_path: Path | None = None  # absolute, inside the folder; None if remote or refused
    refused: str | None = None  # why a local path is not used (escapes the folder, ...)

    @property
    def location(self) -> str:
        """The path or URL as written in the manifest."""
        return self.path if self.path is not None else (self.url or "")

    @property
    def is_remote(self) -> bool:
        return self.url is not None and self.path is None

    @property
    def filename(self) -> str:
        if self.path is not None:
            return posixpath.basename(self.path)
        return posixpath.basename(unquote(urlsplit(self.url or "").path))

    @property
    def name(self) -> ParsedName:
        return parse_name(self.filename)

    @property
    def is_preview(self) -> bool:
        return self.name.extension.lower() in PREVIEW_EXTENSIONS


@dataclass(slots=True)
class Contribution:
    root: Path  # the folder, as given (not resolved)
    metadata: dict[str, Any]
    document: YamlDocument  # positions of every value of hlsp.yaml
    products: list[Product] = field(default_factory=list)

    @property
    def metadata_path(self) -> Path:
        return self.root / METADATA_FILE

    @property
    def readme_path(self) -> Path:
        return self.root / README_FILE

    @property
    def proj_id(self) -> str | None:
        return _text(self.metadata.get("proj_id"))

    @property
    def version(self) -> str | None:
        return _text(self.metadata.get("version"))

    @property
    def title(self) -> str | None:
        return _text(self.metadata.get("title"))

    @property
    def science_products(self) -> list[Product]:
        """The products that are not preview graphics."""
        return [p for p in self.products if not p.is_preview]

    def preview_for(self, product: Product) -> Product | None:
        """The preview graphic of ``product``: same stem, a graphics extension."""
        stem = product.name.stem
        for p in self.products:
            if p.is_preview and p.name.stem == stem:
                return p
        return None

    @classmethod
    def from_document(cls, root: Path, doc: YamlDocument) -> "Contribution":
        return cls(root=root, metadata=doc.data, document=doc, products=parse_products(root, doc.data.get("products")))

    def position(self, path: tuple) -> tuple[int, int]:
        """(line, column) in hlsp.yaml of a value, e.g. ``("products", 2, "sha256")``."""
        return self.document.position(path)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def contribution_of(path: str | os.PathLike) -> str | None:
    """The contribution folder holding ``path`` (nearest folder with hlsp.yaml), or None."""
    folder = os.path.normpath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
    while True:
        if is_contribution(folder):
            return folder
        parent = os.path.dirname(folder) or "."
        if parent == folder:  # "." or "/": nothing above
            return None
        folder = parent


def whole_contributions(paths: list[str]) -> list[str]:
    """``paths`` with every path inside a contribution replaced by that folder (once, in order).

    pre-commit and CI pass the files that changed; a change to any file of a
    contribution (hlsp.yaml, README, a product) calls for checking it whole.
    """
    out: list[str] = []
    for p in paths:
        target = contribution_of(p) or p
        if target not in out:
            out.append(target)
    return out


def resolve_inside(root: Path, relative: str) -> tuple[Path | None, str | None]:
    """(absolute path, None) when ``relative`` stays inside ``root``; else (None, why).

    Checked on the text (absolute, ``..``, backslashes) and again after
    resolving symbolic links, so a link pointing out of the folder is refused
    before anything is read through it.
    """
    if not relative or relative.strip() != relative:
        return None, "the path is empty or has leading/trailing spaces"
    if "\\" in relative or "\0" in relative:
        return None, "the path contains a backslash or NUL; use '/' between folders"
    if relative.startswith("/") or (len(relative) > 1 and relative[1] == ":"):
        return None, "the path is absolute; give it relative to the collection folder"
    if ".." in relative.split("/"):
        return None, "the path climbs out of the collection folder with '..'"
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(root / relative))
    if real != real_root and real_root not in real.parents:
        return None, "the path resolves (through a symbolic link) to a place outside the collection folder"
    return real, None


def parse_products(root: Path, entries: Any) -> list[Product]:
    """The manifest entries that are mappings, as :class:`Product` (paths checked for containment)."""
    out: list[Product] = []
    if not isinstance(entries, list):
        return out
    for i, e in enumerate(entries):
        if not isinstance(e, dict):
            continue
        path, url = _text(e.get("path")), _text(e.get("url"))
        size = e.get("size") if isinstance(e.get("size"), int) and not isinstance(e.get("size"), bool) else None
        local, refused = (None, None)
        if path is not None:
            local, refused = resolve_inside(root, path)
        out.append(
            Product(
                index=i,
                path=path,
                url=url if path is None else None,
                size=size,
                sha256=_text(e.get("sha256")),
                product_type=_text(e.get("product_type")),
                local_path=local,
                refused=refused,
            )
        )
    return out


def load_metadata(root: str | os.PathLike) -> YamlDocument:
    """Parse ``<root>/hlsp.yaml`` safely; :class:`YamlLoadError` when unusable."""
    root = Path(root)
    meta = root / METADATA_FILE
    if not os.path.lexists(meta):
        raise YamlLoadError(f"{root}: no {METADATA_FILE} in this folder (`hlsp init` writes one)")
    _, refused = resolve_inside(root, METADATA_FILE)
    if refused:
        raise YamlLoadError(f"{METADATA_FILE}: {refused}; it must be a regular file in the folder")
    if not meta.is_file():
        raise YamlLoadError(f"{METADATA_FILE} is not a regular file")
    return load_yaml_file(meta)


def load_contribution(path: str | os.PathLike, *, strict: bool = True) -> Contribution:
    """Load a collection folder.

    Raises :class:`HlspError` (one line) when the folder or its ``hlsp.yaml``
    cannot be used; with ``strict`` (the default) also when the metadata does
    not pass the schema -- code that stages or publishes a collection wants
    that.  ``hlsp validate`` loads with ``strict=False`` and reports the
    problems as findings instead.
    """
    root = Path(path)
    if not root.is_dir():
        raise HlspError(f"{root}: no such collection folder")
    try:
        doc = load_metadata(root)
    except YamlLoadError as exc:
        where = f"{root / METADATA_FILE}" + (f":{exc.line}" if exc.line else "")
        raise HlspError(f"{where}: {exc.message}") from None
    if strict:
        problems = schema_problems(doc.data)
        if problems:
            first = problems[0]
            line = doc.position(first.path, key=first.key)[0]
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise HlspError(
                f"{root / METADATA_FILE}:{line}: {first.message}{more}; `hlsp validate {root}` lists every problem"
            )
    return Contribution.from_document(root, doc)
