"""Stage an accepted collection for archive ingest: verified, atomic, idempotent, described.

``stage("contributions/example", "build/staging")`` produces::

    build/staging/example/v1/
        hlsp_example_..._img.fits ...   the products (and previews), byte for byte
        README.md  hlsp.yaml            the collection's documents
        caom/<obs-id>.xml               CAOM-2.4, one per observation, XSD-validated
        manifest.json                   sizes, sha256, md5, FITS checksum status,
                                        validation summary, git commit, ObsCore rows
        READY                           written last: the delivery is complete
    build/staging/catalog.sqlite        ObsCore rows (or --catalog sqlite:/// | postgresql://)

The steps, in order (each re-run starts over and skips what is already done):

1. ``READY`` exists -> the delivery is complete.  If hlsp.yaml still lists the
   same files (names, sizes, sha256) nothing is written ("already staged") --
   only the catalog rows are upserted again, which changes nothing unless they
   were lost; if the files differ the run is refused: a staged version is
   immutable, a new version goes to its own folder.
2. Leftovers of an interrupted run (hidden temporaries, unfinished multipart
   uploads) are removed.
3. Plan: every file already under its name must hold exactly the bytes hlsp.yaml
   lists (re-hashed to prove it); a different file is refused, never
   overwritten, and so is any unexpected file in the folder.  Nothing is
   written before the plan is clean.
4. Read every source file once (:func:`hlsp.stage.copy.read_copy`): the same
   pass reads its FITS structure and checksums (what validation judges), its
   size, sha256 and md5, and copies what is missing to a hidden temporary.
   Two files are read at a time (:mod:`hlsp.stage.pool`); results, messages
   and the error of a refused file are the same as one file after another.
5. Validate the collection from what the pass read (the file rules on each
   FitsFile, the collection rules on the sizes and hashes: nothing is read
   again), and refuse on errors; then every file's size and sha256 must match
   hlsp.yaml.  Only then are the temporaries made visible under their names;
   a refusal discards them.  So the staged bytes are exactly the validated
   bytes, even if a source changes while or after it is read.
6. Write the CAOM XML and ``manifest.json`` (derived files: rewritten while
   READY is absent, so an interrupted run converges).
7. Upsert the ObsCore rows.  If the catalog is unavailable the run stops with a
   one-line error *before* READY: the staged files stay verified and complete,
   the delivery is simply not marked ready, and a re-run finishes it.
8. Write ``READY`` (the sha256 of manifest.json, the catalog, a timestamp).

The DOI: a collection is reviewed with ``doi: pending`` (MD005) and no DOI
card in its headers; the archive mints the DOI at acceptance and passes it
here (``stage(..., doi="10.17909/...")``, ``hlsp stage --doi``).  It is
recorded in ``manifest.json`` (``doi``), in every CAOM plane (provenance
reference ``https://doi.org/<doi>``) and in every ObsCore row (``doi``);
the reviewed files are staged byte for byte, never rewritten.  Staging a
collection whose DOI is still pending without ``doi`` is refused in one line;
a ``doi`` that differs from a minted one in hlsp.yaml is refused too.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hlsp.contribution import METADATA_FILE, README_FILE, Contribution, Product, load_contribution
from hlsp.errors import HlspError
from hlsp.fits import FitsFile
from hlsp.names import parse_name
import re

from hlsp.stage import caom, manifest, obscore
from hlsp.stage.catalog import Counts, open_catalog, redact
from hlsp.stage.copy import Digest, copy_hashed, read_copy
from hlsp.stage.pool import Stopped, map_in_order
from hlsp.stage.targets import Exists, LocalTarget, Target, Upload, open_target

DEFAULT_DEST = "build/staging"
CATALOG_FILE = "catalog.sqlite"


class StageRefused(HlspError):
    """Staging would break a promise (validation errors, changed bytes under a staged name ...)."""

    exit_code = 1


@dataclass(slots=True)
class Source:
    """One file to stage: where it comes from and what it must be."""

    file: str  # key under <proj-id>/<version>/
    role: str  # product | preview | document
    local: Path
    size: int
    sha256: str
    product: Product | None = None
    staged: Digest | None = None  # set when already staged with the right bytes


@dataclass(slots=True)
class StageResult:
    proj_id: str
    version: str
    delivery: str  # where the version folder is
    catalog: str  # the catalog URL, password masked
    already_staged: bool = False
    partials_removed: int = 0
    files: dict[str, str] = field(default_factory=dict)  # file -> copied | already staged
    caom: dict[str, str] = field(default_factory=dict)  # caom/x.xml -> written | unchanged
    manifest: str = "unchanged"
    rows: Counts = field(default_factory=Counts)
    ready: str = "already there"

    @property
    def changed(self) -> bool:
        return (
            self.partials_removed > 0
            or any(v != "already staged" for v in self.files.values())
            or any(v != "unchanged" for v in self.caom.values())
            or self.manifest != "unchanged"
            or self.rows.changed
            or self.ready != "already there"
        )


def default_catalog(target: Target) -> str:
    if isinstance(target, LocalTarget):
        return f"sqlite:///{target.root / CATALOG_FILE}"
    raise HlspError(f"{target.url}: an S3 destination needs --catalog (sqlite:///PATH or postgresql://...)")


def stage(
    source: str | os.PathLike,
    dest: str | os.PathLike = DEFAULT_DEST,
    catalog: str | None = None,
    commit: str | None = None,
    doi: str | None = None,
) -> StageResult:
    """Stage the collection folder ``source`` under ``dest``; see the module docstring."""
    c = load_contribution(source)
    c.metadata = {**c.metadata, "doi": minted_doi(c, doi)}
    target = open_target(dest)
    catalog_url = catalog or default_catalog(target)
    prefix = f"{c.proj_id}/{c.version}/"
    result = StageResult(c.proj_id, c.version, target.display(prefix), redact(catalog_url))
    if target.stat(prefix + manifest.READY) is not None:
        return _already_staged(c, target, prefix, catalog_url, result)

    result.partials_removed = target.discard_partials(prefix)
    sources = _sources(c)
    _plan(sources, target, prefix, c)

    threading.Thread(target=_preload, name="hlsp-preload", daemon=True).start()
    pending: list[Upload] = []  # temporaries of this run, made visible only when all is verified
    try:
        reads = map_in_order(lambda s, stop: _read_and_copy(s, target, prefix, stop, pending), sources)
        validation = _validate(c, {s.local: r for s, r in zip(sources, reads) if s.role != "document" and r.read})
        for s, r in zip(sources, reads):  # in source order: the first wrong file is the one reported
            _verify(s, r.digest)
        for s, r in zip(sources, reads):
            if r.upload is not None:
                _commit(r.upload, target, prefix + s.file)
                pending.remove(r.upload)
    finally:
        for upload in pending:
            upload.abort()
    entries = []
    for s, r in zip(sources, reads):  # in source order, whatever order the copies ended in
        entries.append(_describe(s, r.fits, r.digest, target, prefix, c))
        result.files[s.file] = "already staged" if s.staged else "copied"

    caom_entries = []
    for obs_id, observation in caom.build_observations(c.metadata, entries).items():
        key = f"{manifest.CAOM_FOLDER}/{caom.xml_name(obs_id)}"
        try:
            data = caom.to_xml(observation)
        except Exception as exc:  # lxml.etree.DocumentInvalid and friends: a bug here, not in the data
            raise HlspError(f"CAOM XML of {obs_id} does not validate against CAOM-2.4: {exc}") from None
        result.caom[key] = _put_derived(target, prefix + key, data)
        caom_entries.append({"file": key, **_digest_dict(data)})

    doc = manifest.build(
        proj_id=c.proj_id,
        version=c.version,
        title=c.title,
        doi=c.metadata["doi"],
        commit=commit or manifest.git_commit(c.root),
        validation=validation,
        files=entries,
        caom=caom_entries,
    )
    manifest_bytes = manifest.dumps(doc)
    result.manifest = _put_derived(target, prefix + manifest.MANIFEST, manifest_bytes)

    rows = [e["obscore"] for e in entries if e.get("obscore")]
    try:
        with open_catalog(catalog_url) as cat:
            result.rows = cat.upsert(rows)
    except HlspError as exc:
        raise HlspError(
            f"{exc} -- the files under {result.delivery} are staged and verified, but READY is not written; "
            "re-run `hlsp stage` when the catalog is reachable"
        ) from None

    ready = {
        "manifest_sha256": hashlib.sha256(manifest_bytes).hexdigest(),
        "catalog": redact(catalog_url),
        "rows": len(rows),
        "staged_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    try:
        target.put_bytes(prefix + manifest.READY, (json.dumps(ready, indent=2) + "\n").encode())
        result.ready = "written"
    except Exists:  # another run finished first: fine if it staged the same manifest
        other = json.loads(target.read_bytes(prefix + manifest.READY))
        if other.get("manifest_sha256") != ready["manifest_sha256"]:
            raise StageRefused(
                f"{result.delivery}: another run marked this delivery READY with a different manifest"
            ) from None
    return result


# ----------------------------------------------------------------------------- steps
DOI_RE = re.compile(r"10\.17909/\S+\Z")


def minted_doi(c: Contribution, doi: str | None) -> str:
    """The DOI to record: ``doi`` (minted by the archive) or hlsp.yaml's; refused while pending."""
    said = str(c.metadata.get("doi", "")).strip()
    if doi is not None:
        doi = doi.strip()
        if not DOI_RE.match(doi):
            raise StageRefused(f"--doi {doi}: not a DOI under MAST's prefix (10.17909/...)")
        if said.lower() != "pending" and said != doi:
            raise StageRefused(f"--doi {doi}: {c.root}/{METADATA_FILE} already gives the DOI {said}")
        return doi
    if said.lower() == "pending":
        raise StageRefused(
            f"{c.root}: the DOI is still pending; pass the DOI the archive minted: hlsp stage {c.root} --doi 10.17909/..."
        )
    return said


def _preload() -> None:
    """Import what the steps after the copy pass use (astropy's WCS, time and FITS header
    for ObsCore, the metadata schema), while the pass is bound by the hashes and the disk.
    A step that needs a module first waits for this import to finish (the import lock)."""
    import importlib

    for name in ("astropy.wcs", "astropy.time", "astropy.io.fits", "jsonschema"):
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 -- the step that needs it reports the problem
            return


def _validate(c: Contribution, reads: dict[Path, Read]) -> dict[str, int]:
    """Validate the collection from what the copy pass read; refuse on errors.  Returns the summary for the manifest."""
    from hlsp.engine import iter_collection
    from hlsp.engine import Options
    from hlsp.findings import Report

    summary = Report(list(iter_collection(c.root, Options(), reads))).summary
    if summary.errors:
        raise StageRefused(
            f"{c.root}: validation finds {summary.errors} error(s); fix them first (`hlsp validate {c.root}` lists them)"
        )
    return summary.to_dict()


def _sha256_file(path: Path) -> Digest:
    with open(path, "rb") as fh:
        return copy_hashed(fh, None)


def _sources(c: Contribution) -> list[Source]:
    """Every file of the delivery with the bytes it must have: products from hlsp.yaml, documents as they are."""
    out = []
    for p in c.products:
        if p.refused:
            raise StageRefused(f"{p.location}: {p.refused}")
        if p.size is None or not p.sha256:
            raise StageRefused(f"{p.location}: hlsp.yaml gives no size or sha256 (run `hlsp manifest {c.root}`)")
        local = p.local_path if p.local_path is not None else _fetch(p)
        out.append(
            Source(p.path or p.filename, "preview" if p.is_preview else "product", Path(local), p.size, p.sha256, p)
        )
    for name in (README_FILE, METADATA_FILE):
        path = c.root / name
        if path.is_file():
            d = _sha256_file(path)
            out.append(Source(name, "document", path, d.size, d.sha256))
    names = [s.file for s in out]
    if len(set(names)) != len(names):
        raise StageRefused(f"{c.root}: two files would be staged under the same name")
    return out


def _fetch(p: Product) -> Path:
    from hlsp.remote import RemoteError, fetch

    try:
        return fetch(p.url, p.size, p.sha256)
    except RemoteError as exc:
        raise StageRefused(str(exc)) from None


def _expected_keys(sources: list[Source]) -> set[str]:
    obs = {
        obscore.observation_id(parse_name(s.file).stem, parse_name(s.file).fields)
        for s in sources
        if s.role != "document"
    }
    return {s.file for s in sources} | {f"{manifest.CAOM_FOLDER}/{caom.xml_name(o)}" for o in obs} | {manifest.MANIFEST}


def _plan(sources: list[Source], target: Target, prefix: str, c: Contribution) -> None:
    """Check everything already under the version folder before writing anything."""
    unexpected = sorted(set(k[len(prefix) :] for k in target.list(prefix)) - _expected_keys(sources))
    if unexpected:
        raise StageRefused(
            f"{target.display(prefix)} holds files that are not part of {c.proj_id} {c.version} "
            f"({', '.join(unexpected[:3])}{' ...' if len(unexpected) > 3 else ''}); a staged version is never "
            "changed: remove that folder if it is an abandoned attempt, or raise the version"
        )
    different = []
    for s in sources:
        if target.stat(prefix + s.file) is None:
            continue
        d = target.digest(prefix + s.file)
        if (d.size, d.sha256) == (s.size, s.sha256):
            s.staged = d
        else:
            different.append(s.file)
    if different:
        raise StageRefused(
            f"{target.display(prefix)}: {', '.join(different[:3])}{' ...' if len(different) > 3 else ''} already "
            f"staged with different bytes under {c.version}; staged files are never overwritten -- raise the version"
        )


@dataclass(slots=True)
class Read:
    """What the one pass over a source file found: its FITS structure, digest, and its copy (not yet visible)."""

    fits: FitsFile | None
    digest: Digest
    upload: Upload | None  # None: already staged (or not read), nothing copied
    read: bool = True  # False: not a regular file, left to validation to refuse (CO004)

    @property
    def size(self) -> int:  # (what hlsp.collection.check_products needs of a file already read)
        return self.digest.size

    @property
    def sha256(self) -> str:
        return self.digest.sha256


def _read_and_copy(s: Source, target: Target, prefix: str, stop, pending: list[Upload]) -> Read:
    """Read one file once: its FITS structure and checksums, digest, and a copy if it is not staged yet.

    Runs on a worker thread (:func:`hlsp.stage.pool.map_in_order`), so it only
    touches its own file and upload (``pending.append`` is atomic); ``stop()``
    turns true when an earlier file failed.
    """
    if not s.local.is_file():  # a folder, a named pipe (opening it would wait forever) ...
        return Read(None, Digest(0, "", ""), None, read=False)
    # as the validation engine decides: a FITS name, or FITS's first bytes
    fits = (parse_name(s.local.name).is_fits or None) if s.role == "product" else False
    if s.staged:  # already staged with the right bytes: read for validation only
        ff, digest = read_copy(str(s.local), _StoppableSink(None, stop), fits)
        return Read(ff, digest, None)
    upload = target.upload(prefix + s.file)
    pending.append(upload)
    ff, digest = read_copy(str(s.local), _StoppableSink(upload, stop), fits)
    upload.sync()  # on this worker, while the other files are read: the commits then only rename
    return Read(ff, digest, upload)


def _describe(
    s: Source, fits: FitsFile | None, digest: Digest, target: Target, prefix: str, c: Contribution
) -> dict[str, Any]:
    """The manifest entry of one file (FITS checksums, digests, ObsCore row).

    Runs on the calling thread: the ObsCore row uses astropy WCS under
    ``warnings.catch_warnings``, which is not thread-safe.
    """
    name = parse_name(s.file)
    entry: dict[str, Any] = {
        "file": s.file,
        "role": s.role,
        "product_type": s.product.product_type if s.product else None,
        "content_type": obscore.mime_type(name.extension),
        "fits_checksum": manifest.fits_checksum(fits) if s.role == "product" else None,
    }
    entry.update(size=digest.size, sha256=digest.sha256, md5=digest.md5)
    if s.role == "product":
        entry["obscore"] = obscore.row(
            fits=fits,
            local_path=str(s.local),
            filename=name.filename,
            product_type=s.product.product_type,
            name_fields=name.fields,
            metadata=c.metadata,
            did=obscore.publisher_did(c.proj_id, c.version, s.file),
            obs_id=obscore.observation_id(name.stem, name.fields),
            access_url=target.location(prefix + s.file),
            size=digest.size,
            extension=name.extension,
        )
    return entry


class _StoppableSink:
    """Passes chunks to an upload (or nowhere) until ``stop()`` says an earlier file failed."""

    def __init__(self, upload, stop):
        self.upload, self.stop = upload, stop

    def write(self, data: memoryview) -> None:
        if self.stop():
            raise Stopped
        if self.upload is not None:
            self.upload.write(data)


def _verify(s: Source, digest: Digest) -> None:
    """The bytes read (validated, copied) must be the bytes hlsp.yaml lists."""
    if (digest.size, digest.sha256) != (s.size, s.sha256) and s.role == "document":
        raise StageRefused(
            f"{s.local}: changed while it was being staged ({s.size} bytes, then {digest.size}); nothing was "
            "made visible -- stage again once the collection is settled"
        )
    if (digest.size, digest.sha256) != (s.size, s.sha256):
        raise StageRefused(
            f"{s.local}: {digest.size} bytes with sha256 {digest.sha256[:12]}..., but hlsp.yaml lists "
            f"{s.size} bytes with sha256 {s.sha256[:12]}...; the file changed after the manifest was made -- "
            "validate it again and refresh the manifest"
        )


def _commit(upload: Upload, target: Target, key: str) -> None:
    try:
        upload.commit()
    except Exists:
        raise StageRefused(
            f"{target.display(key)} appeared while staging (another run?); nothing overwritten"
        ) from None


def _digest_dict(data: bytes) -> dict[str, Any]:
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest(), "md5": hashlib.md5(data).hexdigest()}


def _put_derived(target: Target, key: str, data: bytes) -> str:
    """Write a derived file (XML, manifest) unless it already holds ``data``."""
    if target.stat(key) == len(data) and target.read_bytes(key) == data:
        return "unchanged"
    target.put_bytes(key, data, replace=True)
    return "written"


def _already_staged(c: Contribution, target: Target, prefix: str, catalog_url: str, result: StageResult) -> StageResult:
    where = target.display(prefix)
    try:
        manifest_bytes = target.read_bytes(prefix + manifest.MANIFEST)
        staged = manifest.loads(manifest_bytes)
        ready = json.loads(target.read_bytes(prefix + manifest.READY))
    except (OSError, ValueError, HlspError) as exc:
        raise StageRefused(
            f"{where}: READY is present but manifest.json or READY is unreadable ({exc}); run `hlsp ingest-check {where}`"
        ) from None
    if not isinstance(ready, dict) or ready.get("manifest_sha256") != hashlib.sha256(manifest_bytes).hexdigest():
        raise StageRefused(
            f"{where}: manifest.json is not the one READY names; the delivery is damaged (`hlsp ingest-check {where}`)"
        )
    want = {p.path or p.filename: (p.size, p.sha256) for p in c.products}
    for name in (README_FILE, METADATA_FILE):
        if (c.root / name).is_file():
            d = _sha256_file(c.root / name)
            want[name] = (d.size, d.sha256)
    have = manifest.file_identity(staged["files"])
    if want != have:
        changed = sorted(k for k in want.keys() & have.keys() if want[k] != have[k])
        added, removed = sorted(want.keys() - have.keys()), sorted(have.keys() - want.keys())
        parts = [
            f"{label} {', '.join(names[:3])}"
            for label, names in (("changed", changed), ("new", added), ("gone", removed))
            if names
        ]
        raise StageRefused(
            f"{c.proj_id} {c.version} is already staged at {where} with other files ({'; '.join(parts)}); "
            "a staged version never changes -- raise the version to stage a new delivery"
        )
    for f in staged["files"]:
        if target.stat(prefix + f["file"]) != f["size"]:
            raise StageRefused(
                f"{where}{f['file']} is missing or has the wrong size; the delivery is damaged (`hlsp ingest-check {where}`)"
            )
        result.files[f["file"]] = "already staged"
    result.already_staged = True
    with open_catalog(catalog_url) as cat:
        result.rows = cat.upsert(f["obscore"] for f in staged["files"] if f.get("obscore"))
    return result
