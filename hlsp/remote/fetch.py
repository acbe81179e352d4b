"""Fetching a product listed by URL into the download cache, bounded and verified.

:func:`fetch` streams the file in bounded chunks into the cache, hashing as it
goes, stops as soon as more bytes arrive than the manifest says, and keeps the
file only when size and sha256 match; the cache is keyed by sha256, so a file
is downloaded once however often it is validated.  Timeouts apply to every
connection and read; transient failures are retried with back-off; a dead URL
ends as a :class:`RemoteError` naming the URL, never as a hang.

Bounds (issue 17; ``docs/limits.md``): nothing is fetched without a valid
size in the manifest, nor when that size is above ``HLSP_REMOTE_MAX_BYTES``
(default 10 GiB); a transfer stops as soon as more bytes arrive than the
manifest says, and when a product takes longer than ``HLSP_REMOTE_DEADLINE``
seconds (default 900, retries included: a server dripping a byte every few
seconds is cut off).  ``hlsp manifest``, which measures URLs before any size
is known, downloads at most ``HLSP_REMOTE_MAX_BYTES``.  Partial downloads are
temporary files that are always removed: at once on any error, and -- when the
process was killed -- by the next fetch into the same cache, which removes the
``.download.<pid>.*`` files of processes that no longer run.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from pathlib import Path

from hlsp.remote.downloads import _cached, _store, _tempfile
from hlsp.remote.options import DeadlineError, IntegrityError, RemoteError, RemoteOptions
from hlsp.remote.policy import url_problem
from hlsp.remote.transport import _chunks, _describe, _is_permanent


def _download(url: str, options: RemoteOptions, dest: Path, max_size: int | None) -> tuple[int, str]:
    """Stream ``url`` into ``dest``; (size, sha256).  Stops early beyond ``max_size``
    (the manifest's) or ``options.max_bytes``, and at ``options.deadline`` seconds."""
    last: BaseException | None = None
    deadline = time.monotonic() + options.deadline

    def over_time() -> None:
        if time.monotonic() > deadline:
            raise DeadlineError(
                f"{url}: not fetched within {options.deadline:g} seconds (limit: HLSP_REMOTE_DEADLINE); transfer stopped"
            )

    for attempt in range(options.retries + 1):
        if attempt:
            time.sleep(min(0.5 * 2 ** (attempt - 1), 5.0, max(0.0, deadline - time.monotonic())))
            over_time()
        h = hashlib.sha256()
        size = 0
        try:
            with open(dest, "wb") as out:
                for chunk in _chunks(url, options):
                    size += len(chunk)
                    if max_size is not None and size > max_size:
                        raise IntegrityError(
                            f"{url}: more than the {max_size} bytes the manifest gives; transfer stopped", size, None
                        )
                    if size > options.max_bytes:
                        raise RemoteError(
                            f"{url}: more than {options.max_bytes} bytes, the most a remote product may have "
                            "(limit: HLSP_REMOTE_MAX_BYTES); transfer stopped"
                        )
                    over_time()
                    h.update(chunk)
                    out.write(chunk)
            return size, h.hexdigest()
        except (IntegrityError, DeadlineError):
            raise
        except Exception as exc:  # network libraries raise many types; all end here
            last = exc
            if _is_permanent(exc):
                break
    attempts = f" (after {options.retries + 1} attempts)" if options.retries and not _is_permanent(last) else ""
    raise RemoteError(f"cannot fetch {url}: {_describe(last)}{attempts}")


def _check_size(url: str, size, options: RemoteOptions) -> int:
    """The manifest's size, if it is one that may be fetched; else RemoteError (nothing is fetched)."""
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise RemoteError(
            f"{url}: the manifest gives no valid size (a whole number of bytes), so it is not fetched: "
            "add the size (`hlsp manifest` measures it)"
        )
    if size > options.max_bytes:
        raise RemoteError(
            f"{url}: the manifest gives {size} bytes, more than the {options.max_bytes} a remote product may have "
            "(limit: HLSP_REMOTE_MAX_BYTES); nothing was fetched"
        )
    return size


def fetch(
    url: str, size: int | None, sha256: str | None, options: RemoteOptions | None = None, name: str | None = None
) -> Path:
    """The verified local copy of ``url`` (from the cache, or downloaded into it).

    Raises :class:`RemoteError` (refused, unreachable) or :class:`IntegrityError`
    (wrong size or sha256; nothing is kept).  ``name`` is the file name the
    copy gets (the product's), so that file-level rules see the real name.
    """
    options = options or RemoteOptions.from_env()
    problem = url_problem(url, options)
    if problem:
        raise RemoteError(f"{url}: {problem}")
    size = _check_size(url, size, options)
    if sha256:
        hit = _cached(sha256, size, options, name)
        if hit is not None:
            return hit
    tmp = _tempfile(options)
    try:
        got_size, got_sha = _download(url, options, tmp, size)
        if size is not None and got_size != size:
            raise IntegrityError(f"{url}: {got_size} bytes received, the manifest gives {size}", got_size, got_sha)
        if sha256 and got_sha != sha256:
            raise IntegrityError(f"{url}: sha256 is {got_sha}, the manifest gives {sha256}", got_size, got_sha)
        return _store(tmp, got_sha, options, name)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def measure_url(url: str, options: RemoteOptions | None = None, name: str | None = None) -> tuple[int, str]:
    """(size, sha256) of a remote file (for ``hlsp manifest``); the copy lands in the cache."""
    options = options or RemoteOptions.from_env()
    problem = url_problem(url, options)
    if problem:
        raise RemoteError(f"{url}: {problem}")
    tmp = _tempfile(options)
    try:
        size, digest = _download(url, options, tmp, None)
        _store(tmp, digest, options, name)
        return size, digest
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
