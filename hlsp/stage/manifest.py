"""``manifest.json`` of a staged delivery: what was staged, proven by checksums.

One JSON document per ``<proj-id>/<version>/`` folder::

    {
      "format": "hlsp-staging-manifest/1",
      "proj_id": "example", "version": "v1", "title": "...",
      "commit": "<git commit the collection came from, or null>",
      "validation": {"files": 4, "errors": 0, "warnings": 2, "infos": 0},
      "files": [
        {"file": "hlsp_..._img.fits", "role": "product", "product_type": "img",
         "size": 23040, "sha256": "...", "md5": "...",
         "fits_checksum": {"status": "ok", "hdus": [{"hdu": 0, "checksum": "ok", "datasum": "ok"}]},
         "obscore": {... the ObsCore row of this product ...}},
        {"file": "README.md", "role": "document", ...}
      ],
      "caom": [{"file": "caom/<obs-id>.xml", "size": ..., "sha256": ..., "md5": ...}]
    }

``role`` is ``product`` (science files: a CAOM artifact and an ObsCore row),
``preview`` (a graphic of a product: a CAOM preview artifact, no ObsCore row)
or ``document`` (``README.md`` and ``hlsp.yaml``, staged for the archive's
records).  ``fits_checksum.status`` sums up the HDUs: ``bad`` if any HDU has a
wrong CHECKSUM or DATASUM, else ``unverifiable`` (truncated), else ``missing``
(some HDU carries none), else ``ok``; ``not-fits`` for other files.  The
serialisation is canonical (sorted keys, fixed indentation), so the same
delivery always gives the same bytes and a re-run can tell "unchanged".
"""

from __future__ import annotations

import json
import math
import os
import subprocess
from typing import Any

from hlsp.fits import FitsFile

FORMAT = "hlsp-staging-manifest/1"
MANIFEST = "manifest.json"
READY = "READY"
CAOM_FOLDER = "caom"


def fits_checksum(fits: FitsFile | None) -> dict[str, Any]:
    """Per-HDU CHECKSUM/DATASUM status (from :attr:`hlsp.fits.HDU.checksum_status`) and a summary."""
    if fits is None or not fits.is_fits:
        return {"status": "not-fits", "hdus": []}
    hdus = []
    for hdu in fits.hdus:
        chk, dat = hdu.checksum_status
        hdus.append({"hdu": hdu.index, "checksum": chk, "datasum": dat})
    seen = {h["checksum"] for h in hdus} | {h["datasum"] for h in hdus}
    for status in ("bad", "unverifiable", "missing"):
        if status in seen:
            return {"status": status, "hdus": hdus}
    return {"status": "ok" if hdus else "missing", "hdus": hdus}


def git_commit(folder: str | os.PathLike) -> str | None:
    """``git rev-parse HEAD`` of the repository holding ``folder``; None outside git."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and commit else None


def build(
    *,
    proj_id: str,
    version: str,
    title: str | None,
    commit: str | None,
    doi: str | None = None,
    validation: dict[str, int],
    files: list[dict[str, Any]],
    caom: list[dict[str, Any]],
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "proj_id": proj_id,
        "version": version,
        "title": title,
        "doi": doi,
        "commit": commit,
        "validation": validation,
        "files": sorted(files, key=lambda f: f["file"]),
        "caom": sorted(caom, key=lambda f: f["file"]),
    }


def dumps(manifest: dict[str, Any]) -> bytes:
    """Canonical bytes: sorted keys, two-space indent, NaN/inf as null."""
    return (
        json.dumps(_finite(manifest), indent=2, sort_keys=True, allow_nan=False, ensure_ascii=False) + "\n"
    ).encode()


def loads(data: bytes) -> dict[str, Any]:
    doc = json.loads(data)
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("files"), list):
        raise ValueError(f"not a {FORMAT} document")
    return doc


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def file_identity(files: list[dict[str, Any]]) -> dict[str, tuple[int, str]]:
    """file name -> (size, sha256): what must never change under a staged name and version."""
    return {f["file"]: (f["size"], f["sha256"]) for f in files}
