"""The facts of a contribution folder, for the collection rules.

What ``hlsp validate`` does with a folder holding ``hlsp.yaml``
(:func:`hlsp.engine.iter_collection`):

1. read ``hlsp.yaml`` safely (:mod:`hlsp.metadata`), the README, the folder
   listing, and the previous version of the collection on the base branch
   (git; skipped silently outside a git work tree);
2. measure every manifest entry: hash local files, fetch remote ones through
   the verified cache (:mod:`hlsp.remote`) -- nothing outside the folder is
   read, refused paths and URLs are only recorded;
3. (:mod:`hlsp.engine`) run the metadata and collection rules
   (``scope="collection"``) on these facts (:func:`build_context`); their
   findings form the result of ``<folder>/hlsp.yaml``;
4. (:mod:`hlsp.engine`) run every file-level rule on every product that could
   be read, telling the rules the collection's proj-id and version.

This module reads and measures; it runs no rule.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from hlsp.contribution import METADATA_FILE, README_FILE, Contribution, Product, load_metadata, resolve_inside
from hlsp.discover import display
from hlsp.errors import HlspError
from hlsp.manifest import folder_files, sha256_file
from hlsp.metadata import MAX_BYTES, YamlLoadError, parse_yaml
from hlsp.names import parse_name
from hlsp.profiles import load_vocabulary
from hlsp.rules._base import CollectionContext

if TYPE_CHECKING:
    from hlsp.findings import Finding
    from hlsp.pipeline import Options

DEFAULT_BASES = ("origin/main", "main")


@dataclass(slots=True)
class ProductCheck:
    """What was found for one manifest entry (facts for the collection rules)."""

    product: Product
    display: str  # the path or URL as shown in reports
    refused: str | None = None  # not read because of the path/URL policy: why
    missing: str | None = None  # not there or unreachable: why (names the URL)
    size: int | None = None  # bytes found
    sha256: str | None = None  # sha256 of the bytes found (None when not computed)
    stopped_early: bool = False  # remote transfer stopped: more bytes than the manifest says
    file: Path | None = None  # the verified local bytes the file rules read
    headers: list = field(default_factory=list)  # (HDU index, hlsp.fits.Header) of a FITS product, for CO015
    verdict: list[Finding] | None = None  # s3:// product: the findings of its current upload report (hlsp.events)


@dataclass(frozen=True, slots=True)
class PreviousVersion:
    """The collection as it stands on the base branch."""

    ref: str
    version: str | None
    files: dict[str, str | None]  # file key (name with the version blanked) -> sha256
    names: dict[str, str]  # file key -> the file's name there


def file_key(location: str) -> str:
    """Identity of a file across versions: its name with the version field blanked."""
    name = parse_name(posixpath.basename(location))
    if name.fields:
        parts = list(name.parts)
        parts[6] = "*"
        return "_".join(parts) + ("." + name.extension if name.extension else "")
    return posixpath.basename(location)


# --------------------------------------------------------------------------- facts
def _join(root: str, rel: str) -> str:
    return display(os.path.join(root, rel))


def check_products(
    root: str, products: list[Product], remote_options=None, reads=None, expected: dict | None = None
) -> list[ProductCheck]:
    """Measure every manifest entry (hash, fetch); never raises for a product.

    ``reads``: local path -> an object with ``size`` and ``sha256`` of products
    already read (staging hashes them while it copies them): not read again.
    ``expected``: what the file rules are told (an s3:// product's upload
    report stands for it only when made against the same, hlsp.events).
    """
    checks = []
    for p in products:
        if p.path is not None:
            c = ProductCheck(p, _join(root, p.path))
            if p.refused:
                c.refused = p.refused
            elif not os.path.lexists(p.local_path) or not p.local_path.exists():
                c.missing = "no such file in the collection folder"
            elif not p.local_path.is_file():
                c.missing = "not a regular file"
            else:
                try:
                    done = reads.get(p.local_path) if reads else None
                    c.size, c.sha256 = (done.size, done.sha256) if done else sha256_file(p.local_path)
                    c.file = Path(_join(root, p.path))
                except OSError as exc:
                    c.missing = f"cannot read it: {exc.strerror or exc}"
        else:
            c = ProductCheck(p, p.url or "")
            _check_remote(c, remote_options, expected)
        checks.append(c)
    return checks


def _check_remote(c: ProductCheck, remote_options, expected: dict | None = None) -> None:
    from hlsp.remote import IntegrityError, RemoteError, RemoteOptions, fetch, url_problem

    options = remote_options or RemoteOptions.from_env()
    p = c.product
    c.refused = url_problem(p.url or "", options)
    if c.refused:
        return
    sha = p.sha256 if isinstance(p.sha256, str) and len(p.sha256) == 64 else None
    if sha and options.use_reports and (p.url or "").startswith("s3://"):
        # Validated when it was uploaded: its report stands for it when current
        # (same ETag now, same sha256 as the manifest, same code) -- no download.
        from hlsp.events.reports import verdict_for

        found = verdict_for(p.url, p.size, sha, expected, options=options)
        if found is not None:
            c.verdict, c.size, c.headers = found  # (the headers it recorded: for CO015)
            c.sha256 = sha
            return
    try:
        c.file = fetch(p.url, p.size, sha, options, name=p.filename)  # verified against size and sha
        c.size = c.file.stat().st_size
        c.sha256 = sha or sha256_file(c.file)[1]
    except IntegrityError as exc:
        c.size, c.sha256, c.stopped_early = exc.size, exc.sha256, exc.sha256 is None
    except RemoteError as exc:
        c.missing = str(exc)


def read_readme(root: Path) -> str | None:
    path, refused = resolve_inside(root, README_FILE)
    if refused or path is None or not path.is_file():
        return None
    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_BYTES).decode("utf-8", "replace")
    except OSError:
        return None


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        run = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return run.stdout.decode("utf-8", "replace") if run.returncode == 0 else None


def previous_version(root: Path, base: str | None = None) -> PreviousVersion | None:
    """The collection's hlsp.yaml on the base branch; None outside git or for a new collection.

    ``base`` defaults to the first of ``origin/main`` and ``main`` that exists.
    An explicit ``base`` that does not exist is a usage error.
    """
    top = _git(["rev-parse", "--show-toplevel"], root)
    if top is None:
        return None
    ref = None
    for candidate in [base] if base else DEFAULT_BASES:
        if _git(["rev-parse", "--verify", "--quiet", candidate + "^{commit}"], root) is not None:
            ref = candidate
            break
    if ref is None:
        if base:
            raise HlspError(f"--base {base}: no such commit or branch in this git repository")
        return None
    rel = Path(os.path.relpath(os.path.realpath(root), os.path.realpath(top.strip()))).as_posix()
    spec = f"{ref}:{rel}/{METADATA_FILE}"
    size = _git(["cat-file", "-s", spec], root)
    if size is None or int(size) > MAX_BYTES:
        return None  # a new collection (or an oversized file there: nothing to compare)
    text = _git(["show", spec], root)
    try:
        data = parse_yaml(text or "").data
    except YamlLoadError:
        return None
    files: dict[str, str | None] = {}
    names: dict[str, str] = {}
    for e in data.get("products") or []:
        if isinstance(e, dict):
            loc = e.get("path") if isinstance(e.get("path"), str) else e.get("url")
            if isinstance(loc, str):
                files[file_key(loc)] = e.get("sha256") if isinstance(e.get("sha256"), str) else None
                names[file_key(loc)] = posixpath.basename(loc)
    version = data.get("version") if isinstance(data.get("version"), str) else None
    return PreviousVersion(ref, version, files, names)


def build_context(root: str | os.PathLike, options: Options, reads=None) -> CollectionContext:
    """Gather every fact the collection rules judge (all I/O happens here)."""
    shown = display(os.fspath(root))
    folder = Path(root)
    ctx = CollectionContext(
        root=shown,
        metadata_path=_join(shown, METADATA_FILE),
        readme_path=_join(shown, README_FILE),
        vocab=load_vocabulary(),
    )
    ctx.folder_files = list(folder_files(folder))
    ctx.readme = read_readme(folder)
    try:
        doc = load_metadata(folder)
    except YamlLoadError as exc:
        ctx.load_error = exc
        return ctx
    ctx.contribution = Contribution.from_document(folder, doc)
    c = ctx.contribution
    ctx.checks = check_products(shown, c.products, options.remote, reads, expected_of(c, shown))
    read_headers(ctx.checks, reads)
    ctx.previous = previous_version(folder, options.base)
    return ctx


MAX_HEADER_HDUS = 8  # CO015 compares the first HDUs' headers with hlsp.yaml


def read_headers(checks: list[ProductCheck], reads=None) -> None:
    """The headers (no data scan) of every readable FITS science product, for CO015
    (taken from ``reads``, see :func:`check_products`, for a product already read)."""
    from hlsp.fits import read_fits

    for chk in checks:
        if chk.file is None or chk.product.is_preview or not chk.product.name.is_fits:
            continue
        done = reads.get(chk.product.local_path) if reads else None
        try:
            fits = done.fits if done is not None else read_fits(chk.file, scan_data=False)
        except (OSError, ValueError):
            continue  # the file rules report what is wrong with it
        if fits is None:
            continue
        chk.headers = [(h.index, h.header) for h in fits.hdus[:MAX_HEADER_HDUS]]


def expected_of(c: Contribution, root: str) -> dict:
    """What the file rules are told about the collection (JSON-serialisable: it keys the result cache)."""
    m = c.metadata
    out = {"proj_id": c.proj_id, "version": c.version, "folder": root}
    if isinstance(m.get("doi"), str):
        out["doi"] = m["doi"]
    targets = [
        {
            k: t[k]
            for k in ("name", "ra", "dec")
            if isinstance(t.get(k), (str, int, float)) and not isinstance(t.get(k), bool)
        }
        for t in m.get("targets") or []
        if isinstance(t, dict)
    ]
    if targets:
        out["targets"] = targets
    if isinstance(m.get("keywords"), dict):
        out["keywords"] = {str(k): v for k, v in m["keywords"].items() if isinstance(v, (str, int, float, bool))}
    return out


def loose_fits_files(ctx: CollectionContext) -> list[str]:
    """The FITS files of the folder (display paths): checked one by one when hlsp.yaml is unusable."""
    return [_join(ctx.root, f) for f in ctx.folder_files if parse_name(posixpath.basename(f)).is_fits]


# ----------------------------------------------------------------- version diff
@dataclass(frozen=True, slots=True)
class VersionDiff:
    """Files added, removed and changed against the previous version (names as now / then)."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def version_diff(contribution: Contribution, previous: PreviousVersion) -> VersionDiff:
    now = {file_key(p.location): p for p in contribution.products}
    added = sorted(now[k].filename for k in now.keys() - previous.files.keys())
    removed = sorted(previous.names[k] for k in previous.files.keys() - now.keys())
    changed, same = [], 0
    for k in sorted(now.keys() & previous.files.keys()):
        if now[k].sha256 != previous.files[k]:
            changed.append(now[k].filename)
        else:
            same += 1
    return VersionDiff(added, removed, changed, same)
