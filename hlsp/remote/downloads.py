"""The download cache: verified copies of remote products, keyed by sha256.

``<cache>/<sha[:2]>/<sha>/<file name>`` (``HLSP_CACHE_DIR``, :mod:`hlsp.cachedir`):
an entry is used only when its bytes still hash to its key; partial downloads
are ``.download.<pid>.*`` temporary files in the cache folder, and those of
killed processes are removed by the next download.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

from hlsp.remote.options import CHUNK, RemoteError, RemoteOptions

_SHA256_RE = re.compile(r"[0-9a-f]{64}")


def _safe_name(name: str | None) -> str:
    name = (name or "").strip()
    if not name or name.startswith(".") or "/" in name or "\\" in name or "\0" in name or len(name) > 200:
        return "data"
    return name


def cache_path(sha256: str, options: RemoteOptions, name: str | None = None) -> Path:
    """``<cache>/<sha[:2]>/<sha>/<file name>``: keyed by content, named like the product
    (file-level rules read the name).

    The sha256 comes from a contributor's manifest: anything but 64 lowercase hex
    digits is refused, so that it can never name a folder outside the cache.
    """
    if not isinstance(sha256, str) or not _SHA256_RE.fullmatch(sha256):
        raise RemoteError(f"{str(sha256)[:80]!r} is not a sha256 (64 lowercase hex digits); nothing was fetched")
    return options.cache_dir / sha256[:2] / sha256 / _safe_name(name)


def _verified(path: Path, sha256: str) -> bool:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            h.update(chunk)
    return h.hexdigest() == sha256


def _cached(sha256: str, size: int | None, options: RemoteOptions, name: str | None) -> Path | None:
    folder = cache_path(sha256, options).parent
    if not folder.is_dir():
        return None
    for entry in sorted(folder.iterdir()):
        if not entry.is_file() or entry.name.startswith("."):
            continue
        if (size is not None and entry.stat().st_size != size) or not _verified(entry, sha256):
            with contextlib.suppress(OSError):  # a damaged cache entry: drop it
                entry.unlink()
            continue
        target = cache_path(sha256, options, name)
        if entry != target:
            with contextlib.suppress(FileExistsError):
                try:
                    os.link(entry, target)
                except OSError:
                    shutil.copyfile(entry, target)
        return target
    return None


def _store(tmp: Path, sha256: str, options: RemoteOptions, name: str | None) -> Path:
    path = cache_path(sha256, options, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, path)
    return path


def _tempfile(options: RemoteOptions) -> Path:
    options.cache_dir.mkdir(parents=True, exist_ok=True)
    _remove_orphans(options.cache_dir)
    fd, name = tempfile.mkstemp(prefix=f".download.{os.getpid()}.", dir=options.cache_dir)
    os.close(fd)
    return Path(name)


def _remove_orphans(folder: Path) -> None:
    """Remove the partial downloads of processes that were killed (they could not clean up)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for e in entries:
        parts = e.name.split(".")
        if not e.name.startswith(".download.") or len(parts) < 4 or not parts[2].isdigit():
            continue
        pid = int(parts[2])
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
            continue  # still running (or not ours to signal): its download may be in progress
        except ProcessLookupError:
            pass
        except PermissionError:
            continue
        with contextlib.suppress(OSError):
            os.unlink(e.path)
