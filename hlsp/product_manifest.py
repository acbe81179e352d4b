"""The file manifest (the ``products:`` list of ``hlsp.yaml``): compute, render, rewrite.

``refresh_manifest`` is ``hlsp manifest``: it hashes every file it can reach
(local files in the folder, remote URLs through :mod:`hlsp.remote`) and
rewrites *only* the ``products:`` block of ``hlsp.yaml`` -- every other line,
comments included, stays byte for byte -- then re-reads the result and checks
that no other field changed before replacing the file atomically.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from hlsp.atomic import atomic_open
from hlsp.contribution import METADATA_FILE, NON_PRODUCTS, PREVIEW_EXTENSIONS, load_metadata, resolve_inside
from hlsp.errors import HlspError
from hlsp.metadata import YamlLoadError, MetadataLoader, parse_yaml
from hlsp.names import parse_name

HASH_CHUNK = 1024 * 1024
ENTRY_KEYS = ("path", "url", "size", "sha256", "product_type", "description")


def sha256_file(path: str | os.PathLike) -> tuple[int, str]:
    """(size, sha256 hex) of a file, read in bounded chunks."""
    h = hashlib.sha256()
    size = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            h.update(chunk)
            size += len(chunk)
    return size, h.hexdigest()


def product_type_of(filename: str) -> str:
    """The manifest's product type for a file: ``preview`` for graphics, else the name's last field."""
    name = parse_name(filename)
    if name.extension.lower() in PREVIEW_EXTENSIONS:
        return "preview"
    ptype = name.product_type or (name.parts[-1] if name.is_hlsp else "")
    return ptype.lower() if re.fullmatch(r"[a-z0-9][a-z0-9-]*", ptype.lower() or "-") else "unknown"


def folder_files(root: str | os.PathLike) -> Iterator[str]:
    """Every file of the collection folder that should be in the manifest (POSIX, relative, sorted).

    Hidden files and folders, ``hlsp.yaml`` and ``README.md`` are left out;
    symbolic links are listed (their safety is judged elsewhere) but never followed
    into folders.
    """
    root = os.fspath(root)
    for dirpath, dirs, files in os.walk(root, followlinks=False):
        linked = [d for d in dirs if os.path.islink(os.path.join(dirpath, d))]
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in linked)
        rel_dir = os.path.relpath(dirpath, root)
        for name in sorted(files + linked):
            if name.startswith("."):
                continue
            rel = name if rel_dir == "." else f"{rel_dir.replace(os.sep, '/')}/{name}"
            if rel in NON_PRODUCTS:
                continue
            yield rel


def local_entry(root: Path, rel: str, old: dict | None = None) -> dict:
    """A manifest entry for a local file (keeps a hand-written product_type/description)."""
    real, refused = resolve_inside(root, rel)
    if refused:
        raise HlspError(f"{rel}: {refused}")
    size, digest = sha256_file(real)
    old = old or {}
    entry = {
        "path": rel,
        "size": size,
        "sha256": digest,
        "product_type": old.get("product_type") or product_type_of(rel),
    }
    if old.get("description"):
        entry["description"] = old["description"]
    return entry


# ------------------------------------------------------------------- YAML rendering
def _scalar(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_./+-]*", text):
        try:
            if yaml.load(text, Loader=MetadataLoader) == text:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def render_products(entries: list[dict]) -> str:
    """The ``products:`` block (no trailing newline), one key per line."""
    if not entries:
        return "products: []"
    lines = ["products:"]
    for e in entries:
        keys = [k for k in ENTRY_KEYS if k in e] + [k for k in e if k not in ENTRY_KEYS]
        for i, k in enumerate(keys):
            lines.append(("  - " if i == 0 else "    ") + f"{k}: {_scalar(e[k])}")
    return "\n".join(lines)


def _last_node(node: Node) -> Node:
    """The last scalar (or flow collection) of a node: its end mark is exact."""
    while isinstance(node, (MappingNode, SequenceNode)) and node.value and not node.flow_style:
        node = node.value[-1][1] if isinstance(node, MappingNode) else node.value[-1]
    return node


def replace_products_block(text: str, block: str) -> str:
    """``text`` with its top-level ``products:`` entry replaced by ``block`` (appended if absent)."""
    loader = MetadataLoader(text)
    try:
        root = loader.get_single_node()
    finally:
        loader.dispose()
    if not isinstance(root, MappingNode):
        raise HlspError("hlsp.yaml is not a mapping")
    for key_node, value_node in root.value:
        if key_node.value == "products":
            start = key_node.start_mark.index - key_node.start_mark.column
            end_node = _last_node(value_node)
            end = end_node.end_mark.index
            if end_node is value_node and value_node.tag == "tag:yaml.org,2002:null":
                end = key_node.end_mark.index  # `products:` with nothing after it
            newline = text.find("\n", end)
            end = len(text) if newline < 0 else newline
            return text[:start] + block + text[end:]
    return text + ("" if text.endswith("\n") or not text else "\n") + block + "\n"


# ---------------------------------------------------------------------- refreshing
@dataclass(slots=True)
class ManifestChange:
    """What ``refresh_manifest`` did (or would do)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unreachable: list[tuple[str, str]] = field(default_factory=list)  # (url, why)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    written: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed or self.updated)


def compute_entries(root: Path, old_entries: list, remote_options: Any = None) -> tuple[list[dict], ManifestChange]:
    """New manifest entries from the old ones and the files that can be reached."""
    change = ManifestChange()
    entries: list[dict] = []
    listed: set[str] = set()
    present = list(folder_files(root))
    for old in old_entries if isinstance(old_entries, list) else []:
        if not isinstance(old, dict):
            continue
        if isinstance(old.get("path"), str):
            rel = old["path"]
            listed.add(rel)
            real, refused = resolve_inside(root, rel)
            if refused:
                change.refused.append((rel, refused))
                continue
            if not real.is_file():
                change.removed.append(rel)
                continue
            new = local_entry(root, rel, old)
        elif isinstance(old.get("url"), str):
            from hlsp.remote import RemoteError, RemoteOptions, measure_url

            url = old["url"]
            try:
                size, digest = measure_url(url, remote_options or RemoteOptions.from_env())
            except RemoteError as exc:
                change.unreachable.append((url, str(exc)))
                entries.append(old)
                continue
            new = {k: v for k, v in old.items()}
            new.update(size=size, sha256=digest)
            new.setdefault("product_type", product_type_of(url.rsplit("/", 1)[-1]))
        else:
            continue
        if any(new.get(k) != old.get(k) for k in ("size", "sha256", "product_type")):
            change.updated.append(new.get("path") or new.get("url"))
        entries.append(new)
    for rel in present:
        if rel in listed:
            continue
        real, refused = resolve_inside(root, rel)
        if refused:
            change.refused.append((rel, refused))
            continue
        if not real.is_file():
            continue
        entries.append(local_entry(root, rel))
        change.added.append(rel)
    return entries, change


def refresh_manifest(root: str | os.PathLike, *, write: bool = True, remote_options: Any = None) -> ManifestChange:
    """Recompute the manifest of a collection folder and rewrite it in place."""
    root = Path(root)
    try:
        doc = load_metadata(root)
    except YamlLoadError as exc:
        raise HlspError(f"{root / METADATA_FILE}" + (f":{exc.line}" if exc.line else "") + f": {exc.message}") from None
    entries, change = compute_entries(root, doc.data.get("products") or [], remote_options)
    text = (root / METADATA_FILE).read_text(encoding="utf-8")
    if entries == doc.data.get("products"):
        return change  # up to date: the file is left exactly as it is
    new_text = replace_products_block(text, render_products(entries))
    check = parse_yaml(new_text)
    before = {k: v for k, v in doc.data.items() if k != "products"}
    after = {k: v for k, v in check.data.items() if k != "products"}
    if before != after or check.data.get("products", []) != entries:
        raise HlspError(
            f"{root / METADATA_FILE}: could not rewrite the products block safely; the file was not changed"
        )
    if write and new_text != text:
        with atomic_open(root / METADATA_FILE) as fh:
            fh.write(new_text)
        change.written = True
    return change
