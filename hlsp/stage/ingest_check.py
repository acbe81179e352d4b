"""``hlsp ingest-check DEST/<proj-id>/<version>``: what the archive runs when a delivery arrives.

A delivery passes when all of these hold:

- ``READY`` is present and names the sha256 of ``manifest.json`` as it is now;
- every file of the manifest (products, documents, CAOM XML) is present, with
  the size, sha256 and md5 the manifest gives (each file is read once), and
  nothing else is in the folder;
- every CAOM file reads back through ``ObservationReader(validate=True)``, and
  its artifacts are exactly the staged products and previews, with their
  lengths and md5 checksums;
- the catalog holds one ObsCore row per product, equal to the row in the
  manifest, and no other row of this delivery.

The catalog is ``--catalog``, else the one READY names (when it carries no
password), else ``catalog.sqlite`` two folders up for a local delivery.
Problems are returned as findings, one line each; nothing is modified.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from hlsp.errors import HlspError
from hlsp.stage import caom, staging_manifest
from hlsp.stage.catalog import NAMES, open_catalog, same_value
from hlsp.stage.obscore import publisher_did
from hlsp.stage.targets import LocalTarget, Target, open_target

_MAX_SHOWN_PER_CHECK = 20


@dataclass(frozen=True, slots=True)
class Problem:
    file: str  # relative to the delivery folder, or "catalog"
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


@dataclass(slots=True)
class CheckResult:
    delivery: str
    problems: list[Problem] = field(default_factory=list)
    files: int = 0  # files verified
    observations: int = 0  # CAOM observations read back
    rows: int = 0  # catalog rows compared
    catalog: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, file: str, message: str) -> None:
        self.problems.append(Problem(file, message))


def ingest_check(delivery: str, catalog: str | None = None) -> CheckResult:
    """Check a staged delivery folder (local path or ``s3://bucket/.../<proj-id>/<version>``)."""
    target = open_target(delivery, create=False)
    result = CheckResult(target.url)
    ready_bytes = _read(target, staging_manifest.READY, result, "READY is missing: the delivery is incomplete")
    manifest_bytes = _read(target, staging_manifest.MANIFEST, result, "manifest.json is missing")
    if manifest_bytes is None:
        return result
    try:
        doc = staging_manifest.loads(manifest_bytes)
    except ValueError as exc:
        result.add(staging_manifest.MANIFEST, f"unreadable: {exc}")
        return result
    ready = _ready(ready_bytes, manifest_bytes, result)
    _check_files(target, doc, result)
    _check_caom(target, doc, result)
    url = catalog or _default_catalog(target, ready)
    if url is None:
        result.add("catalog", "no catalog to check: pass --catalog URL")
    else:
        _check_catalog(url, doc, result)
    return result


def _read(target: Target, key: str, result: CheckResult, missing: str) -> bytes | None:
    if target.stat(key) is None:
        result.add(key, missing)
        return None
    return target.read_bytes(key)


def _ready(ready_bytes: bytes | None, manifest_bytes: bytes, result: CheckResult) -> dict[str, Any]:
    if ready_bytes is None:
        return {}
    try:
        ready = json.loads(ready_bytes)
        assert isinstance(ready, dict)
    except (ValueError, AssertionError):
        result.add(staging_manifest.READY, "is not the JSON document `hlsp stage` writes")
        return {}
    if ready.get("manifest_sha256") != hashlib.sha256(manifest_bytes).hexdigest():
        result.add(
            staging_manifest.READY, "names a different manifest.json than the one present (changed after staging?)"
        )
    return ready


def _check_files(target: Target, doc: dict[str, Any], result: CheckResult) -> None:
    listed = list(doc["files"]) + list(doc.get("caom") or [])
    expected = {f["file"] for f in listed} | {staging_manifest.MANIFEST, staging_manifest.READY}
    for f in listed:
        size = target.stat(f["file"])
        if size is None:
            result.add(f["file"], "listed in the manifest but missing")
            continue
        if size != f["size"]:
            result.add(f["file"], f"{size} bytes, the manifest gives {f['size']}")
            continue
        d = target.digest(f["file"])
        if d.sha256 != f["sha256"] or d.md5 != f["md5"]:
            result.add(f["file"], "its checksums differ from the manifest (sha256/md5): the bytes changed")
            continue
        result.files += 1
    for extra in sorted(set(target.list("")) - expected)[:_MAX_SHOWN_PER_CHECK]:
        result.add(extra, "is not in the manifest")


def _check_caom(target: Target, doc: dict[str, Any], result: CheckResult) -> None:
    staged = {f["file"]: f for f in doc["files"] if f.get("role") in ("product", "preview")}
    uri_prefix = caom.artifact_uri(doc["proj_id"], doc["version"], "")
    seen: set[str] = set()
    for entry in doc.get("caom") or []:
        key = entry["file"]
        if target.stat(key) is None:
            continue  # already reported as missing
        try:
            observation = caom.from_xml(target.read_bytes(key))
        except Exception as exc:  # lxml/XSD errors come in several types
            result.add(
                key, f"does not validate as CAOM-2.4: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
            )
            continue
        result.observations += 1
        for plane in observation.planes.values():
            for uri, artifact in plane.artifacts.items():
                name = uri[len(uri_prefix) :] if uri.startswith(uri_prefix) else None
                f = staged.get(name)
                if f is None:
                    result.add(key, f"artifact {uri} is not a staged product")
                    continue
                seen.add(name)
                checksum = artifact.content_checksum.uri if artifact.content_checksum else None
                if artifact.content_length != f["size"] or checksum != f"md5:{f['md5']}":
                    result.add(key, f"artifact {uri}: length or md5 differ from the manifest")
    for name in sorted(set(staged) - seen):
        result.add(name, "no CAOM artifact describes this file")


def _default_catalog(target: Target, ready: dict[str, Any]) -> str | None:
    named = ready.get("catalog")
    if isinstance(named, str) and "***" not in named:
        return named
    if isinstance(target, LocalTarget):
        return f"sqlite:///{target.root.parent.parent / 'catalog.sqlite'}"
    return None


def _check_catalog(url: str, doc: dict[str, Any], result: CheckResult) -> None:
    want = {f["obscore"]["obs_publisher_did"]: f["obscore"] for f in doc["files"] if f.get("obscore")}
    prefix = publisher_did(doc["proj_id"], doc["version"], "")
    try:
        with open_catalog(url, create=False) as cat:
            result.catalog = cat.url
            have = cat.fetch_like(prefix)
    except HlspError as exc:
        result.add("catalog", str(exc))
        return
    for did, row in want.items():
        stored = have.get(did)
        if stored is None:
            result.add("catalog", f"no ObsCore row for {did}")
            continue
        wrong = [n for n in NAMES if not same_value(stored[n], row.get(n))]
        if wrong:
            result.add("catalog", f"row {did} differs from the manifest in {', '.join(wrong)}")
            continue
        result.rows += 1
    for did in sorted(set(have) - set(want))[:_MAX_SHOWN_PER_CHECK]:
        result.add("catalog", f"row {did} belongs to this delivery but is not in the manifest")
